# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identities by prefixed name or universal: offline checks, and resolution that asks TPP only about what it does not know."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory, check_names, is_universal

VALIDATE = 'https://tpp.example.com/vedsdk/identity/validate'
JDOE = 'local:{5be5a591-c842-4520-9142-b455f4ad2286}'
SVC = 'local:{198c2d48-9e79-4f10-b871-e2f109476032}'
WIN = 'AD+corp:6457517e-04a5-46e4-8ed4-7e515764a504'


def entry(name, universal, group=False):
    return {'PrefixedName': name, 'PrefixedUniversal': universal, 'IsGroup': group, 'Name': name.split(':', 1)[1]}


@pytest.mark.parametrize('identity, universal', [
    (JDOE, True), (WIN, True), ('local:{5BE5A591-C842-4520-9142-B455F4AD2286}', True),
    ('local:jdoe', False), ('AD+corp:jdoe', False), ('local:PKI Operators', False), ('local:{not-a-guid}', False),
])
def test_is_universal(identity, universal):
    assert is_universal(identity) is universal


def test_check_names_strips_and_removes_duplicates():
    assert check_names([' local:jdoe ', 'LOCAL:JDOE', 'AD+corp:svc-win', JDOE]) == ['local:jdoe', 'AD+corp:svc-win', JDOE]


@pytest.mark.parametrize('name, message', [
    ('jdoe', "allowed_identities: 'jdoe' has no identity provider prefix; write local:jdoe for a local identity, "
             'or the prefix of its directory such as AD+corp:jdoe'),
    (':jdoe', "allowed_identities: ':jdoe' has no identity provider prefix"),
    ('local:', "allowed_identities: 'local:' has no identity provider prefix"),
    ('', 'allowed_identities: every item must be an identity'),
    (None, 'allowed_identities: every item must be an identity'),
])
def test_check_names_refuses_names_without_a_prefix(name, message):
    with pytest.raises(TppError) as caught:
        check_names(['local:svc-ansible', name])
    assert str(caught.value).startswith(message)


def test_known_identities_need_no_request(make_api, transport):
    directory = IdentityDirectory(make_api())
    directory.learn([entry('local:jdoe', JDOE), entry('local:svc-ansible', SVC), {'PrefixedName': 'broken'}, None])
    views = directory.resolve(['LOCAL:jdoe', SVC])
    assert views == [{'name': 'local:jdoe', 'universal': JDOE}, {'name': 'local:svc-ansible', 'universal': SVC}]
    assert directory.by_universal(JDOE.upper().replace('LOCAL', 'local')) == {'name': 'local:jdoe', 'universal': JDOE}
    assert transport.calls == []
    assert directory.validations == 0


def test_unknown_names_are_validated_by_name_universals_by_universal(make_api, transport, response):
    transport.queue(response(200, {'ID': entry('AD+corp:svc-win', WIN)}), response(200, {'ID': entry('local:jdoe', JDOE)}))
    directory = IdentityDirectory(make_api())
    views = directory.resolve(['AD+corp:svc-win', JDOE, 'local:jdoe'])
    assert views == [{'name': 'AD+corp:svc-win', 'universal': WIN}, {'name': 'local:jdoe', 'universal': JDOE}]
    assert [(call.url, call.body) for call in transport.calls] == [
        (VALIDATE, {'ID': {'PrefixedName': 'AD+corp:svc-win'}}), (VALIDATE, {'ID': {'PrefixedUniversal': JDOE}})]
    assert transport.calls[0].headers['Authorization'] == 'Bearer token'
    assert directory.validations == 2


def test_every_unknown_identity_is_named(make_api, transport, response):
    transport.queue(response(400, {'Error': 'Identity local:nobody could not be found'}),
                    response(200, {'ID': entry('local:jdoe', JDOE)}),
                    response(200, {'ID': {}}))
    directory = IdentityDirectory(make_api())
    with pytest.raises(TppError) as caught:
        directory.resolve(['local:nobody', 'local:jdoe', 'AD+corp:ghost'])
    assert str(caught.value) == ('allowed_identities: TPP knows no identity local:nobody, AD+corp:ghost; give prefixed names such as '
                                 'local:svc-ansible or AD+corp:jdoe, or prefixed universals such as local:{198c2d48-9e79-4f10-b871-e2f109476032}')


def test_a_trustee_tpp_no_longer_knows_keeps_its_universal(make_api, transport, response):
    transport.queue(response(400, {'Error': 'Identity could not be found'}))
    directory = IdentityDirectory(make_api())
    assert directory.by_universal(SVC) == {'name': None, 'universal': SVC}


def test_validate_without_the_configuration_scope(make_api, transport, response):
    transport.queue(response(403, {'error': 'insufficient_scope', 'error_description': "Grant rejected scope 'admin:delete'. Call ..."}))
    directory = IdentityDirectory(make_api())
    with pytest.raises(TppError) as caught:
        directory.resolve(['local:jdoe'])
    assert caught.value.message == ("resolving the identity local:jdoe with identity/Validate: access_token lacks the configuration scope "
                                    "(its scope is 'admin:delete'); obtain a token with scope admin:delete;configuration from an API "
                                    "integration that allows it, with venafi_tpp.auth.token or the venafi_tpp.auth.access_token lookup")
