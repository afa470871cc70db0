# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oauth_configuration_changes filter: which declared items a module would change, and what purge takes and keeps.

The property the role relies on is checked against the modules themselves: for each TPP state and declared item below, the
item's module runs in check mode against a TPP that holds that state, and whenever it changes something, the filter, given
what the kind's ``*_info`` module read from the same TPP, must hand it the item. Otherwise the filter must answer as the module
(hand it an item the module refuses, not one it leaves as it is), except where a case says why it may not: erring towards the
module costs a run that changes nothing, and two items the role never handed to a module are still not handed.
"""

import itertools

import pytest
from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader

from ansible_collections.venafi_tpp.auth.plugins.filter.oauth_configuration_changes import oauth_configuration_changes

from ..conftest import JDOE, SCOPE, SVC
from .conftest import GONE, TEAM, application, mapping, rule

ACME = {'name': 'Acme', 'client_id': 'acme', 'vendor': 'Acme', 'description': 'automation', 'scope': SCOPE,
        'allowed_identities': ['local:svc-ansible']}
HELD_ACME = {'applications': [application()], 'rules': [rule(SVC)]}

# (id, records TPP holds, the declared item, None: the filter answers as the module, or the filter's answer where it may differ)
INTEGRATIONS = [
    ('as held', HELD_ACME, ACME, None),
    ('only the client_id and name', HELD_ACME, {'name': 'Acme', 'client_id': 'acme'}, None),
    ('by name alone', {'applications': [application('acme', Name='acme')]}, {'name': 'acme', 'scope': SCOPE}, None),
    ('identity in another case', HELD_ACME, dict(ACME, allowed_identities=['LOCAL:Svc-Ansible']), None),
    ('identity by universal', HELD_ACME, dict(ACME, allowed_identities=[SVC]), None),
    ('scope written otherwise', HELD_ACME, dict(ACME, scope={'certificate': ['Manage', 'Discover']}), None),
    ('lifetimes as durations', {'applications': [application(AccessValidity=3600, GrantValidity=86400)], 'rules': [rule(SVC)]},
     dict(ACME, token_validity='1h', grant_validity=86400), None),
    ('lifetimes default, as held', HELD_ACME, dict(ACME, token_validity='default', grant_validity='DEFAULT', unused_token_expiration='default'),
     None),
    ('refresh as held', {'applications': [application(Renewable=True)], 'rules': [rule(SVC)]}, dict(ACME, refresh=True), None),
    ('identities left alone', {'applications': [application()], 'rules': [rule(SVC), rule(JDOE, AccessValidity=60)]},
     {'name': 'Acme', 'scope': SCOPE}, None),
    ('an unlisted identity kept', {'applications': [application()], 'rules': [rule(SVC), rule(JDOE, scope='certificate:discover')]},
     dict(ACME, purge_identities=False), None),
    # The export names such a trustee by universal: applying it back to the same server changes nothing (the module would
    # fail to resolve it).
    ('a trustee TPP no longer knows, by universal (the export of it)', {'applications': [application()], 'rules': [rule(GONE)]},
     dict(ACME, allowed_identities=[GONE]), False),
    ('absent, not held', {}, {'client_id': 'acme', 'state': 'absent'}, None),
    ('description differs', HELD_ACME, dict(ACME, description='other'), None),
    ('renamed without rename', HELD_ACME, dict(ACME, name='Other'), None),
    ('renamed with rename', HELD_ACME, dict(ACME, name='Other', rename=True), None),
    ('vendor emptied', HELD_ACME, dict(ACME, vendor=''), None),
    ('info_url set', HELD_ACME, dict(ACME, info_url='https://acme.example.com'), None),
    ('scope differs', HELD_ACME, dict(ACME, scope='certificate:discover'), None),
    ('minimum scope below the scope on TPP', {'applications': [application(Scope='certificate:discover')], 'rules': [rule(SVC)]}, ACME,
     None),
    ('token validity differs', HELD_ACME, dict(ACME, token_validity='2h'), None),
    ('token validity back to default', {'applications': [application(AccessValidity=3600)], 'rules': [rule(SVC)]},
     dict(ACME, token_validity='default'), None),
    ('token validity longer than the held grant validity', {'applications': [application(GrantValidity=3600)], 'rules': [rule(SVC)]},
     dict(ACME, token_validity='2h'), None),
    ('refresh differs', HELD_ACME, dict(ACME, refresh=False), None),
    ('unused token expiration set', HELD_ACME, dict(ACME, unused_token_expiration='7d'), None),
    ('an identity added', HELD_ACME, dict(ACME, allowed_identities=['local:svc-ansible', 'local:jdoe']), None),
    ('an identity TPP does not know', HELD_ACME, dict(ACME, allowed_identities=['local:nobody']), None),
    ('an identity purged', {'applications': [application()], 'rules': [rule(SVC), rule(JDOE)]}, ACME, None),
    ('an identity with its own lifetime', {'applications': [application()], 'rules': [rule(SVC, GrantValidity=600)]}, ACME, None),
    ('an identity with its own refresh', {'applications': [application()], 'rules': [rule(SVC, Renewable=False)]}, ACME, None),
    ('an identity with a narrower scope', {'applications': [application()], 'rules': [rule(SVC, scope='certificate:discover')]}, ACME, None),
    ('no identity yet', {'applications': [application()]}, ACME, None),
    ('a kept identity follows a scope change', {'applications': [application()], 'rules': [rule(JDOE)]},
     dict(ACME, scope='certificate:discover', allowed_identities=[], purge_identities=False), None),
    ('new', {}, ACME, None),
    ('new, without scope', {}, {'name': 'Acme'}, None),
    ('absent, held', HELD_ACME, {'client_id': 'acme', 'state': 'absent'}, None),
    ('absent by name, held', HELD_ACME, {'name': 'acme', 'state': 'absent'}, None),
    ('absent under another name', HELD_ACME, {'client_id': 'acme', 'name': 'Other', 'state': 'absent'}, None),
]

CI = {'name': 'ci', 'issuer': 'https://idp.example.com', 'purpose_value': 'https://tpp.example.com/vedauth', 'identity_match': '^(.+)$'}
FIXED = {'mappings': [mapping(IdMatch=None, GranteePrefixedUniversal=SVC)]}
CI_FIXED = dict(CI, identity_match=None, identity='local:svc-ansible')
JWT_MAPPINGS = [
    ('as held', {'mappings': [mapping()]}, CI, None),
    ('defaults written out', {'mappings': [mapping()]}, dict(CI, purpose_claim='aud', identity_claim='sub'), None),
    ('fixed identity as held', FIXED, CI_FIXED, None),
    ('fixed identity in another case', FIXED, dict(CI_FIXED, identity='Local:SVC-ansible'), None),
    # A mapping's view names its identity one way: another costs a module run that changes nothing.
    ('fixed identity by universal (errs towards the module)', FIXED, dict(CI_FIXED, identity=SVC), True),
    ('absent, not held', {}, {'name': 'ci', 'state': 'absent'}, None),
    ('issuer differs', {'mappings': [mapping()]}, dict(CI, issuer='https://other.example.com'), None),
    ('jwks_uri set', {'mappings': [mapping()]}, dict(CI, jwks_uri='https://idp.example.com/keys'), None),
    ('purpose claim differs', {'mappings': [mapping()]}, dict(CI, purpose_claim='azp'), None),
    ('purpose claim back to its default', {'mappings': [mapping(PurposeField='azp')]}, CI, None),
    ('identity claim differs', {'mappings': [mapping()]}, dict(CI, identity_claim='email'), None),
    ('identity match differs', {'mappings': [mapping()]}, dict(CI, identity_match='^repo:(.+)$'), None),
    ('a fixed identity instead of a match', {'mappings': [mapping()]}, CI_FIXED, None),
    ('another fixed identity', FIXED, dict(CI_FIXED, identity='local:jdoe'), None),
    ('a fixed identity TPP does not know', FIXED, dict(CI_FIXED, identity='local:nobody'), None),
    ('a team as fixed identity', FIXED, dict(CI_FIXED, identity='local:ci-team'), None),
    ('an http issuer', {'mappings': [mapping()]}, dict(CI, issuer='http://idp.example.com'), None),
    ('new', {}, CI, None),
    ('absent, held', {'mappings': [mapping()]}, {'name': 'ci', 'state': 'absent'}, None),
]

HELD_ROLES = {'applications': [application()], 'roles': [(SVC, 6, None), (JDOE, 3, 'acme'), (TEAM, 1, None)]}
ROLES = [
    ('admin as held', HELD_ROLES, {'identity': 'local:svc-ansible', 'role': 'admin'}, None),
    ('identity in another case', HELD_ROLES, {'identity': 'LOCAL:svc-ansible', 'role': 'admin', 'state': 'present'}, None),
    ('identity by universal', HELD_ROLES, {'identity': SVC, 'role': 'admin'}, None),
    ('owner as held', HELD_ROLES, {'identity': 'local:jdoe', 'role': 'owner', 'client_id': 'acme'}, None),
    ('absent, not held', HELD_ROLES, {'identity': 'local:svc-ansible', 'role': 'auditor', 'state': 'absent'}, None),
    # No role to take: not handed to the module, which would fail to resolve the identity.
    ('absent, of an identity TPP does not know', HELD_ROLES, {'identity': 'local:nobody', 'role': 'admin', 'state': 'absent'}, False),
    ('absent, owner of another integration', HELD_ROLES, {'identity': 'local:jdoe', 'role': 'owner', 'client_id': 'other', 'state': 'absent'},
     None),
    ('another role', HELD_ROLES, {'identity': 'local:svc-ansible', 'role': 'grant_admin'}, None),
    ('owner of another integration', HELD_ROLES, {'identity': 'local:jdoe', 'role': 'owner', 'client_id': 'other'}, None),
    ('maintainer instead of owner', HELD_ROLES, {'identity': 'local:jdoe', 'role': 'maintainer', 'client_id': 'acme'}, None),
    ('an identity holding no role', HELD_ROLES, {'identity': 'local:nobody', 'role': 'auditor'}, None),
    ('a global role with a client_id', HELD_ROLES, {'identity': 'local:svc-ansible', 'role': 'admin', 'client_id': 'acme'}, None),
    ('owner without a client_id', HELD_ROLES, {'identity': 'local:jdoe', 'role': 'owner'}, None),
    ('absent, held', HELD_ROLES, {'identity': 'local:ci-team', 'role': 'auditor', 'state': 'absent'}, None),
    ('absent by universal, held', HELD_ROLES, {'identity': TEAM, 'role': 'auditor', 'state': 'absent'}, None),
]
CASES = [('integrations',) + case for case in INTEGRATIONS] + [('jwt_mappings',) + case for case in JWT_MAPPINGS] + \
        [('roles',) + case for case in ROLES]


def applies(item, kind, held, **keep):
    return item in oauth_configuration_changes([item], kind, held, **keep)['apply']


@pytest.mark.parametrize('kind, records, item, answer', [case[:1] + case[2:] for case in CASES],
                         ids=['%s: %s' % case[:2] for case in CASES])
def test_an_item_goes_to_its_module_when_the_module_changes_something(fake_tpp, kind, records, item, answer):
    tpp = fake_tpp(**records)
    outcome = tpp.module_outcome(kind, item)
    handed = applies(item, kind, tpp.held(kind))
    if outcome == 'changed':
        assert handed
    else:
        assert handed == (outcome == 'failed' if answer is None else answer)


def test_the_cases_cover_every_outcome_of_each_kind(fake_tpp):
    """So that no part of the property above holds by default."""
    outcomes = set((kind, fake_tpp(**records).module_outcome(kind, item)) for kind, _name, records, item, _answer in CASES)
    assert outcomes == set(itertools.product(('integrations', 'jwt_mappings', 'roles'), ('changed', 'failed', 'same')))


# Each option of an integration, as TPP may hold it and as a declaration may give it: every combination, against the module.
HELD_VARIANTS = {
    'Description': ['automation', ''],
    'Scope': [SCOPE, 'certificate:discover'],
    'AccessValidity': [None, 3600],
    'GrantValidity': [None, 86400],
    'Renewable': [None, True],
    'rules': [[rule(SVC)], [rule(SVC), rule(JDOE)], [rule(SVC, AccessValidity=60)], []],
}
DECLARED_VARIANTS = {
    'description': [None, 'automation', ''],
    'scope': [None, SCOPE, 'certificate:discover'],
    'token_validity': [None, 'default', '1h'],
    'grant_validity': [None, '1d'],
    'refresh': [None, True],
    'allowed_identities': [None, ['local:svc-ansible'], [], ['local:svc-ansible', 'local:jdoe']],
    'purge_identities': [None, False],
}


def _variants(variants):
    return [dict(zip(variants, values)) for values in itertools.product(*variants.values())]


@pytest.mark.parametrize('held', _variants(HELD_VARIANTS), ids=['held-%02d' % number for number in range(len(_variants(HELD_VARIANTS)))])
def test_every_combination_of_integration_options_goes_to_the_module_when_it_changes_something(fake_tpp, held):
    fields = dict(held)
    rules = fields.pop('rules')
    fields['MaximumScope'] = SCOPE
    tpp = fake_tpp(applications=[application(**fields)], rules=rules)
    view = tpp.held('integrations')
    for declared in _variants(DECLARED_VARIANTS)[::23]:
        item = dict(((key, value) for key, value in declared.items() if value is not None), name='Acme', client_id='acme')
        if tpp.module_outcome('integrations', item) == 'changed':
            assert applies(item, 'integrations', view), item


def test_purge_takes_what_no_item_names_and_keeps_the_administrators_integration(fake_tpp):
    tpp = fake_tpp(applications=[application('acme'), application('tpp-admin'), application('stray'), application('gone')])
    declared = [{'name': 'acme', 'scope': SCOPE}, {'client_id': 'gone', 'state': 'absent'}]
    found = oauth_configuration_changes(declared, 'integrations', tpp.held('integrations'), keep_client_ids=['tpp-admin'])
    assert [view['client_id'] for view in found['purge']] == ['stray']
    assert [view['client_id'] for view in found['kept']] == ['tpp-admin']
    assert found['apply'] == declared


def test_purge_takes_the_jwt_mappings_no_item_names(fake_tpp):
    tpp = fake_tpp(mappings=[mapping('ci'), mapping('stray')])
    found = oauth_configuration_changes([CI], 'jwt_mappings', tpp.held('jwt_mappings'))
    assert ([view['name'] for view in found['purge']], found['kept'], found['apply']) == (['stray'], [], [])


def test_purge_takes_the_roles_no_item_names_and_keeps_the_administrators_admin_role(fake_tpp):
    tpp = fake_tpp(roles=[(SVC, 6, None), (JDOE, 6, None), (JDOE, 3, 'acme'), (JDOE, 3, 'other'), (TEAM, 1, None)])
    declared = [{'identity': 'LOCAL:JDOE', 'role': 'owner', 'client_id': 'acme'}, {'identity': TEAM, 'role': 'auditor', 'state': 'absent'}]
    found = oauth_configuration_changes(declared, 'roles', tpp.held('roles'), keep_admin=SVC.upper())
    assert [(view['identity'], view['role'], view['client_id']) for view in found['purge']] == \
        [('local:jdoe', 'admin', None), ('local:jdoe', 'owner', 'other')]
    assert [(view['identity'], view['role']) for view in found['kept']] == [('local:svc-ansible', 'admin')]
    assert found['apply'] == [declared[1]]


def test_without_keep_nothing_is_kept(fake_tpp):
    tpp = fake_tpp(applications=[application('tpp-admin')], roles=[(SVC, 6, None)])
    assert [view['client_id'] for view in oauth_configuration_changes([], 'integrations', tpp.held('integrations'))['purge']] == ['tpp-admin']
    assert oauth_configuration_changes([], 'roles', tpp.held('roles'))['kept'] == []


def test_the_filter_is_found_by_its_name():
    assert filter_loader.get('venafi_tpp.auth.oauth_configuration_changes') is not None


@pytest.mark.parametrize('declared, kind, held, message', [
    ([], 'groups', [], 'kind must be one of integrations, jwt_mappings, roles, not groups'),
    ({'name': 'acme'}, 'integrations', [], 'the declared integrations must be a list of mappings, not dict'),
    (['acme'], 'integrations', [], 'the declared integrations must be a list of mappings, not a list with other items'),
    ([], 'roles', None, 'held (what TPP holds of roles) must be a list of mappings, not NoneType'),
    ([], 'jwt_mappings', [{'issuer': 'https://idp.example.com'}], "an item of held lacks 'name'"),
])
def test_bad_input_fails_with_one_line(declared, kind, held, message):
    with pytest.raises(AnsibleFilterError, match=r'^venafi_tpp\.auth\.oauth_configuration_changes: ') as failed:
        oauth_configuration_changes(declared, kind, held)
    assert message in str(failed.value) and '\n' not in str(failed.value)
