# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api_integration_info module, and the RETURN documentation of both integration modules against what they return."""

import yaml

from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import integration_view
from ansible_collections.venafi_tpp.auth.plugins.modules import api_integration, api_integration_info

from ..conftest import JDOE, OAUTH, OK, SVC, TPP_URL, app, rule

ENTRIES = [{'PrefixedName': 'local:svc-ansible', 'PrefixedUniversal': SVC}, {'PrefixedName': 'local:jdoe', 'PrefixedUniversal': JDOE}]


def test_one_integration_with_its_identities(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=ENTRIES)))
    result = run_module(api_integration_info, {'url': TPP_URL, 'access_token': 'admin-token', 'client_id': 'acme'}, check_mode=True)
    assert result['changed'] is False
    [integration] = result['integrations']
    assert (integration['client_id'], integration['grant_count'], integration['user_count']) == ('acme', 2, 1)
    assert integration['allowed_identities'][0]['name'] == 'local:svc-ansible'
    assert [call.url for call in transport.calls] == [OAUTH + 'GetApplication', OAUTH + 'GetRules']


def test_an_integration_that_does_not_exist_is_an_empty_list(run_module, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 2}))
    assert run_module(api_integration_info, {'url': TPP_URL, 'access_token': 'admin-token', 'client_id': 'nope'})['integrations'] == []
    assert len(transport.calls) == 1


def test_every_integration_sorted_with_the_counts_tpp_left_out(run_module, transport, response):
    other = app(ID='other', GrantCount=None, UserCount=None)
    transport.queue(response(200, dict(OK, Applications=[other, app()])),
                    response(200, dict(OK, Rules=[rule(SVC), rule(JDOE, ApplicationId='other')], IdentityEntries=ENTRIES)),
                    response(200, dict(OK, Count=5)), response(200, dict(OK, Count=3)))
    integrations = run_module(api_integration_info, {'url': TPP_URL, 'access_token': 'admin-token'})['integrations']
    assert [(item['client_id'], item['grant_count'], [who['name'] for who in item['allowed_identities']]) for item in integrations] == [
        ('acme', 2, ['local:svc-ansible']), ('other', 5, ['local:jdoe'])]
    assert transport.calls[1].body == {'ResolveIdentities': True}


def test_it_asks_for_an_administrators_token_first(run_module, transport):
    assert run_module(api_integration_info, {})['msg'].startswith('access_token is required: a token whose scope includes admin')
    assert transport.calls == []


# RETURN cannot use doc fragments: the info module documents an integration's keys, api_integration refers to them.

def returned(module, key):
    return yaml.safe_load(module.RETURN)[key]


def a_view(make_api):
    directory = IdentityDirectory(make_api())
    directory.learn(ENTRIES)
    return integration_view(app(), [rule(SVC)], directory, 2, 1)


def test_the_info_module_documents_every_key_of_an_integration(make_api):
    view = a_view(make_api)
    documented = returned(api_integration_info, 'integrations')['contains']
    assert sorted(documented) == sorted(view)
    assert sorted(documented['allowed_identities']['contains']) == sorted(view['allowed_identities'][0])
    assert sorted(documented['allowed_identities']['sample'][0]) == sorted(view['allowed_identities'][0])


def test_api_integration_returns_the_same_keys_and_refers_to_them(make_api):
    view = a_view(make_api)
    documented = returned(api_integration, 'integration')
    assert 'RV(venafi_tpp.auth.api_integration_info#module:integrations)' in ' '.join(documented['description'])
    assert 'contains' not in documented
    assert sorted(documented['sample']) == sorted(view)
    assert sorted(documented['sample']['allowed_identities'][0]) == sorted(view['allowed_identities'][0])
