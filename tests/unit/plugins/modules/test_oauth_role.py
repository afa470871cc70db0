# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oauth_role and oauth_role_info modules: client_id checks before any request, idempotence through ListRoles, the items."""

import pytest
import yaml

from ansible_collections.venafi_tpp.auth.plugins.module_utils._roles import role_item
from ansible_collections.venafi_tpp.auth.plugins.modules import oauth_role, oauth_role_info

from ..conftest import JDOE, OAUTH, OK, SVC, TPP_URL

ARGS = {'url': TPP_URL, 'access_token': 'admin-token'}
VALIDATE = TPP_URL + '/vedsdk/identity/validate'


def identity(name, universal):
    return {'ID': {'PrefixedName': name, 'PrefixedUniversal': universal}}


@pytest.mark.parametrize('args, message', [
    ({'role': 'owner'}, 'role owner needs client_id, the API integration whose owner the identity becomes'),
    ({'role': 'maintainer', 'client_id': ''}, 'role maintainer needs client_id'),
    ({'role': 'auditor', 'client_id': 'acme'}, 'role auditor is global, for every API integration: leave client_id out'),
    ({'role': 'admin', 'identity': 'jdoe'}, "identity: 'jdoe' has no identity provider prefix; write local:jdoe"),
])
def test_bad_input_fails_before_any_request(run_module, transport, args, message):
    result = run_module(oauth_role, dict(ARGS, **dict({'identity': 'local:jdoe'}, **args)))
    assert result['failed'] is True
    assert result['msg'].startswith(message)
    assert transport.calls == []


def test_it_gives_an_owner_role(run_module, transport, response):
    transport.queue(response(200, identity('local:jdoe', JDOE)),
                    response(200, dict(OK, Roles=[{'Role': 3, 'Grantee': JDOE, 'ApplicationId': 'other'}])), response(200, OK))
    result = run_module(oauth_role, dict(ARGS, identity='local:jdoe', role='owner', client_id='acme'), diff=True)
    item = {'identity': 'local:jdoe', 'universal': JDOE, 'role': 'owner', 'client_id': 'acme'}
    assert result['changed'] is True
    assert result['msg'] == 'granted local:jdoe the owner role of the API integration acme'
    assert result['role'] == item
    assert result['diff'] == {'before': {}, 'after': item}
    assert [call.url for call in transport.calls] == [VALIDATE, OAUTH + 'ListRoles', OAUTH + 'GrantRole']
    assert transport.calls[2].body == {'GranteePrefixedUniversal': JDOE, 'Role': 3, 'ApplicationId': 'acme'}


def test_a_held_role_is_not_given_again(run_module, transport, response):
    transport.queue(response(200, identity('local:jdoe', JDOE)), response(200, dict(OK, Roles=[{'Role': 1, 'Grantee': JDOE.upper()}])))
    result = run_module(oauth_role, dict(ARGS, identity=JDOE, role='auditor'))
    assert (result['changed'], result['msg']) == (False, 'local:jdoe holds the auditor role')
    assert transport.calls[0].body == {'ID': {'PrefixedUniversal': JDOE}}
    assert len(transport.calls) == 2


def test_taking_a_role_away_in_check_mode(run_module, transport, response):
    transport.queue(response(200, identity('local:jdoe', JDOE)), response(200, dict(OK, Roles=[{'Role': 5, 'Grantee': JDOE}])))
    result = run_module(oauth_role, dict(ARGS, identity='local:jdoe', role='grant_admin', state='absent'), check_mode=True, diff=True)
    assert result['msg'] == 'check mode: nothing sent; would have revoked the grant_admin role from local:jdoe'
    assert result['diff']['after'] == {}
    assert len(transport.calls) == 2


def test_taking_away_a_role_not_held_sends_nothing(run_module, transport, response):
    transport.queue(response(200, identity('local:jdoe', JDOE)), response(200, dict(OK, Roles=[])))
    result = run_module(oauth_role, dict(ARGS, identity='local:jdoe', role='admin', state='absent'))
    assert (result['changed'], result['msg']) == (False, 'local:jdoe does not hold the admin role')


def test_an_unknown_identity_is_named(run_module, transport, response):
    transport.queue(response(400, {'Error': 'Identity local:nobody could not be found'}))
    result = run_module(oauth_role, dict(ARGS, identity='local:nobody', role='admin'))
    assert result['msg'].startswith('identity: TPP knows no identity local:nobody; give prefixed names')


def test_info_lists_the_roles_with_names(run_module, transport, response):
    transport.queue(response(200, dict(OK, Roles=[{'Role': 3, 'Grantee': JDOE, 'ApplicationId': 'acme'}, {'Role': 6, 'Grantee': SVC},
                                                  {'Role': 1, 'Grantee': JDOE}])),
                    response(200, identity('local:jdoe', JDOE)), response(200, identity('local:svc-ansible', SVC)))
    result = run_module(oauth_role_info, ARGS)
    assert result['roles'] == [
        {'identity': 'local:jdoe', 'universal': JDOE, 'role': 'auditor', 'client_id': None},
        {'identity': 'local:jdoe', 'universal': JDOE, 'role': 'owner', 'client_id': 'acme'},
        {'identity': 'local:svc-ansible', 'universal': SVC, 'role': 'admin', 'client_id': None}]
    assert len(transport.calls) == 3


def test_info_for_one_identity(run_module, transport, response):
    transport.queue(response(200, identity('local:jdoe', JDOE)),
                    response(200, dict(OK, Roles=[{'Role': 6, 'Grantee': SVC}, {'Role': 2, 'Grantee': JDOE, 'ApplicationId': 'acme'}])))
    result = run_module(oauth_role_info, dict(ARGS, identity='local:jdoe'))
    assert result['roles'] == [{'identity': 'local:jdoe', 'universal': JDOE, 'role': 'maintainer', 'client_id': 'acme'}]


def test_the_info_module_documents_every_key_of_a_role_item():
    documented = yaml.safe_load(oauth_role_info.RETURN)['roles']['contains']
    assert sorted(documented) == sorted(role_item({'name': 'local:jdoe', 'universal': JDOE}, 'owner', 'acme'))
    assert sorted(yaml.safe_load(oauth_role.RETURN)['role']['sample']) == sorted(documented)
