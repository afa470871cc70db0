# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oauth_configuration_export filter: what the *_info modules read, as items their modules take back and leave as they are."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader

from ansible_collections.venafi_tpp.auth.plugins.filter.oauth_configuration_changes import oauth_configuration_changes
from ansible_collections.venafi_tpp.auth.plugins.filter.oauth_configuration_export import oauth_configuration_export

from ..conftest import JDOE, SCOPE, SVC
from .conftest import GONE, TEAM, application, mapping, rule

RECORDS = {
    'applications': [application('acme', AccessValidity=3600, Renewable=False, UnusedExpiration=604800, Url='https://acme.example.com'),
                     application('plain', Scope='certificate:discover', MaximumScope='certificate:discover'),
                     application('rules', GrantValidity=86400)],
    'rules': [rule(SVC), rule(JDOE, scope='certificate:discover', AccessValidity=60), rule(SVC, 'rules'), rule(GONE, 'rules')],
    'mappings': [mapping('ci'), mapping('fixed', IdMatch=None, GranteePrefixedUniversal=SVC, JwksUri='https://idp.example.com/keys')],
    'roles': [(SVC, 6, None), (JDOE, 3, 'acme'), (TEAM, 1, None)],
}


def test_an_integration_has_the_options_of_api_integration_alone(fake_tpp):
    exported = oauth_configuration_export(fake_tpp(**RECORDS).held('integrations'), 'integrations')
    assert exported[0] == {'name': 'Acme', 'client_id': 'acme', 'vendor': 'Acme', 'description': 'automation', 'info_url': 'https://acme.example.com',
                           'scope': SCOPE, 'token_validity': 3600, 'grant_validity': 'default', 'unused_token_expiration': 604800,
                           'refresh': False, 'allowed_identities': ['local:jdoe', 'local:svc-ansible']}
    assert 'refresh' not in exported[1] and exported[1]['token_validity'] == exported[1]['unused_token_expiration'] == 'default'
    assert exported[2]['allowed_identities'] == ['local:svc-ansible', GONE]


def test_a_mapping_and_a_role_leave_out_their_null_keys_and_a_role_its_universal(fake_tpp):
    tpp = fake_tpp(**RECORDS)
    assert oauth_configuration_export(tpp.held('jwt_mappings'), 'jwt_mappings') == [
        {'name': 'ci', 'issuer': 'https://idp.example.com', 'purpose_claim': 'aud', 'purpose_value': 'https://tpp.example.com/vedauth',
         'identity_claim': 'sub', 'identity_match': '^(.+)$'},
        {'name': 'fixed', 'issuer': 'https://idp.example.com', 'jwks_uri': 'https://idp.example.com/keys', 'purpose_claim': 'aud',
         'purpose_value': 'https://tpp.example.com/vedauth', 'identity_claim': 'sub', 'identity': 'local:svc-ansible'}]
    assert oauth_configuration_export(tpp.held('roles'), 'roles') == [
        {'identity': 'local:ci-team', 'role': 'auditor'}, {'identity': 'local:jdoe', 'role': 'owner', 'client_id': 'acme'},
        {'identity': 'local:svc-ansible', 'role': 'admin'}]


@pytest.mark.parametrize('kind', ['integrations', 'jwt_mappings', 'roles'])
def test_the_export_applied_to_the_same_server_changes_nothing_but_rules_of_their_own(fake_tpp, kind):
    """Restore, and promotion to a server that holds the same: each item's module leaves TPP as it is, and the filter hands
    it none, except an integration whose allowed identity has a rule scope or lifetimes of its own (not exported: the module
    gives it the integration's)."""
    tpp = fake_tpp(**RECORDS)
    held = tpp.held(kind)
    exported = oauth_configuration_export(held, kind)
    outcomes = [tpp.module_outcome(kind, item) for item in exported]
    changes = oauth_configuration_changes(exported, kind, held)
    if kind == 'integrations':
        # The module cannot resolve an identity TPP no longer knows, named by universal: the filter leaves that item alone.
        assert (outcomes, changes['apply']) == (['changed', 'same', 'failed'], exported[:1])
    else:
        assert (outcomes, changes['apply']) == (['same'] * len(exported), [])
    assert (changes['purge'], changes['kept']) == ([], [])


def test_the_filter_is_found_by_its_name():
    assert filter_loader.get('venafi_tpp.auth.oauth_configuration_export') is not None


@pytest.mark.parametrize('held, kind, message', [
    ([], 'settings', 'kind must be one of integrations, jwt_mappings, roles, not settings'),
    ({'integrations': []}, 'integrations', 'give the integrations that the *_info module returned, a list of mappings'),
    ([{'name': 'acme'}], 'integrations', "an item of integrations lacks 'client_id'"),
])
def test_bad_input_fails_with_one_line(held, kind, message):
    with pytest.raises(AnsibleFilterError, match=r'^venafi_tpp\.auth\.oauth_configuration_export: ') as failed:
        oauth_configuration_export(held, kind)
    assert message in str(failed.value)
