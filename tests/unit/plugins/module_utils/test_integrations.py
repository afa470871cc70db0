# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An API integration and its rules: the desired object, the plan (what to write), the views and diff, and the writes."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import (
    DEFAULT, RULE_DESCRIPTION, Plan, apply_plan, client_json, counts, delete_integration, desired_application, diff_view, diff_views,
    get_integration, get_rules, integration_view, managed_rule, wanted_settings,
)

from ..conftest import JDOE, OAUTH, OK, SCOPE, SVC, TEAM, app, rule

WIDER = 'certificate:discover,manage,revoke;configuration'


def who(universal, name):
    return {'name': name, 'universal': universal}


@pytest.fixture
def directory(make_api):
    """A directory that knows jdoe, svc-ansible and a team, so views need no request."""
    known = IdentityDirectory(make_api())
    known.learn([{'PrefixedName': 'local:jdoe', 'PrefixedUniversal': JDOE}, {'PrefixedName': 'local:svc-ansible', 'PrefixedUniversal': SVC},
                 {'PrefixedName': 'local:PKI Operators', 'PrefixedUniversal': TEAM}])
    return known


def plan_for(current, wanted, rules=(), allowed=None, purge=True):
    return Plan(current, desired_application(current, 'acme', wanted), list(rules), allowed, purge)


# -- the desired application --------------------------------------------------------------------

def test_a_new_integration_takes_the_options_and_tpp_defaults():
    desired = desired_application(None, 'acme', {'name': 'Acme', 'scope': SCOPE, 'token_validity': 3600})
    assert desired == {'ID': 'acme', 'Name': 'Acme', 'Description': '', 'Vendor': '', 'Url': '', 'Scope': SCOPE, 'MaximumScope': SCOPE,
                       'AccessValidity': 3600, 'GrantValidity': None, 'Renewable': None, 'UnusedExpiration': None}


def test_a_new_integration_needs_a_scope():
    with pytest.raises(TppError) as caught:
        desired_application(None, 'acme', {'name': 'Acme'})
    assert str(caught.value) == ('scope is required to create the API integration acme: the scope its clients may request, '
                                 'for example certificate:discover,manage')


def test_an_update_keeps_what_the_task_leaves_out():
    current = app(AccessValidity=3600, GrantValidity=86400, Renewable=False, UnusedExpiration=600, Scope='certificate:manage')
    desired = desired_application(current, 'acme', {'name': 'Acme', 'description': 'new', 'refresh': None})
    assert desired == {'ID': 'acme', 'Name': 'Acme', 'Description': 'new', 'Vendor': 'Acme, Inc.', 'Url': '', 'Scope': 'certificate:manage',
                       'MaximumScope': SCOPE, 'AccessValidity': 3600, 'GrantValidity': 86400, 'Renewable': False, 'UnusedExpiration': 600}


def test_a_scope_sets_both_scopes_and_default_resets_a_lifetime():
    current = app(AccessValidity=3600, GrantValidity=86400, Scope='certificate:manage')
    desired = desired_application(current, 'acme', {'scope': WIDER, 'token_validity': DEFAULT, 'grant_validity': 172800, 'refresh': True})
    assert (desired['Scope'], desired['MaximumScope']) == (WIDER, WIDER)
    assert (desired['AccessValidity'], desired['GrantValidity'], desired['Renewable']) == (None, 172800, True)


# -- the options, checked before any request ----------------------------------------------------

def test_wanted_settings_are_checked_and_normalised():
    wanted = wanted_settings({'name': 'Acme', 'vendor': None, 'scope': 'Certificate:Manage,Discover', 'token_validity': '1d',
                              'grant_validity': 'Default', 'allowed_identities': [' local:jdoe ', 'LOCAL:jdoe', 'local:svc-ansible']})
    assert wanted == {'name': 'Acme', 'vendor': None, 'description': None, 'info_url': None, 'refresh': None, 'scope': SCOPE,
                      'token_validity': 86400, 'grant_validity': DEFAULT, 'allowed_identities': ['local:jdoe', 'local:svc-ansible']}


@pytest.mark.parametrize('params, message', [
    ({'token_validity': '60d', 'grant_validity': '30d'},
     'token_validity 60d is longer than grant_validity 30d: a token cannot outlive its grant; give a shorter token_validity or a longer '
     'grant_validity'),
    ({'token_validity': 90000, 'grant_validity': '1d'}, 'token_validity 1d1h is longer than grant_validity 1d: a token cannot outlive'),
])
def test_a_token_that_would_outlive_its_grant_is_refused(params, message):
    with pytest.raises(TppError) as caught:
        wanted_settings(params)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('params', [
    {'token_validity': '30d', 'grant_validity': '30d'},
    {'token_validity': '400d', 'grant_validity': 'default'},
    {'token_validity': 'default', 'grant_validity': '1d'},
    {'token_validity': '400d'},
])
def test_lifetimes_that_cannot_be_compared_or_are_in_order_pass(params):
    wanted_settings(params)


@pytest.mark.parametrize('params, message', [
    ({'scope': 'ssh:manag'}, "integration_bootstrap_scope: unknown restriction 'manag' for scope 'ssh'"),
    ({'scope': ';'}, 'integration_bootstrap_scope must not be empty'),
    ({'token_validity': '3y'}, "integration_bootstrap_token_validity '3y' is not a duration"),
    ({'token_validity': '2d', 'grant_validity': '1d'},
     'integration_bootstrap_token_validity 2d is longer than integration_bootstrap_grant_validity 1d: a token cannot outlive its grant; '
     'give a shorter integration_bootstrap_token_validity or a longer integration_bootstrap_grant_validity'),
    ({'allowed_identities': ['jdoe']}, "integration_bootstrap_allowed_identities: 'jdoe' has no identity provider prefix"),
])
def test_errors_name_the_options_with_a_prefix(params, message):
    with pytest.raises(TppError) as caught:
        wanted_settings(params, 'integration_bootstrap_')
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('current, wanted, message', [
    (app(GrantValidity=2592000), {'token_validity': 5184000},
     'token_validity 60d is longer than the grant_validity of 30d that the API integration acme has on TPP: a token cannot outlive its '
     'grant; give a shorter token_validity or a longer grant_validity'),
    (app(AccessValidity=131400), {'grant_validity': 86400},
     'the token_validity of 1d12h30m that the API integration acme has on TPP is longer than grant_validity 1d: a token cannot outlive'),
])
def test_a_token_that_would_outlive_the_grant_on_tpp_is_refused_before_any_write(current, wanted, message):
    with pytest.raises(TppError) as caught:
        desired_application(current, 'acme', wanted)
    assert str(caught.value).startswith(message)


def test_lifetimes_the_task_leaves_alone_are_not_judged():
    # TPP's own values, whatever they are, do not fail a task that changes something else.
    current = app(AccessValidity=5184000, GrantValidity=2592000)
    assert desired_application(current, 'acme', {'description': 'new'})['AccessValidity'] == 5184000
    assert desired_application(current, 'acme', {'token_validity': DEFAULT})['AccessValidity'] is None


# -- the plan: the application ------------------------------------------------------------------

def test_creating_plans_the_application_and_a_rule_per_identity():
    plan = plan_for(None, {'name': 'Acme', 'scope': SCOPE}, allowed=[who(SVC, 'local:svc-ansible'), who(JDOE, 'local:jdoe')])
    assert plan.application_action == 'create'
    assert plan.rule_creates == [managed_rule('acme', SVC, SCOPE), managed_rule('acme', JDOE, SCOPE)]
    assert plan.rule_updates == plan.rule_deletes == []
    assert plan.changed
    assert plan.summary() == 'created the API integration acme, allowed 2 identities'


def test_the_same_settings_written_differently_plan_nothing():
    current = app(Scope='Certificate:Manage,Discover', MaximumScope='certificate:manage,discover;', Url=None, AccessValidity=0)
    plan = plan_for(current, {'name': 'Acme', 'vendor': 'Acme, Inc.', 'scope': SCOPE, 'info_url': ''},
                    [rule(SVC, scope='CERTIFICATE:manage,discover')], allowed=[who(SVC, 'local:svc-ansible')])
    assert plan.application_action is None
    assert not plan.changed
    assert plan.summary() == 'the API integration acme is as wanted'


@pytest.mark.parametrize('wanted', [
    {'name': 'Acme 2'}, {'vendor': 'Other'}, {'description': ''}, {'info_url': 'https://x'}, {'scope': WIDER},
    {'token_validity': 60}, {'grant_validity': 60}, {'refresh': False}, {'refresh': True}, {'unused_token_expiration': 60},
])
def test_any_difference_updates_the_application(wanted):
    plan = plan_for(app(), wanted)
    assert plan.application_action == 'update'
    assert plan.summary() == 'updated the API integration acme'


def test_default_on_an_unset_lifetime_changes_nothing():
    assert not plan_for(app(), {'token_validity': DEFAULT, 'grant_validity': DEFAULT, 'unused_token_expiration': DEFAULT}).changed
    assert plan_for(app(AccessValidity=60), {'token_validity': DEFAULT}).application_action == 'update'


def test_unused_token_expiration_is_set_kept_and_reset():
    assert plan_for(app(), {'unused_token_expiration': 3600}).desired['UnusedExpiration'] == 3600
    assert not plan_for(app(UnusedExpiration=3600), {'unused_token_expiration': 3600}).changed
    assert plan_for(app(UnusedExpiration=3600), {'name': 'Acme'}).desired['UnusedExpiration'] == 3600
    reset = plan_for(app(UnusedExpiration=3600), {'unused_token_expiration': DEFAULT})
    assert (reset.application_action, reset.desired['UnusedExpiration']) == ('update', None)


# -- the plan: the rules ------------------------------------------------------------------------

def test_identities_are_added_updated_and_purged():
    rules = [rule(SVC), rule(JDOE, scope='certificate:manage'), rule(TEAM)]
    plan = plan_for(app(), {}, rules, allowed=[who(JDOE, 'local:jdoe'), who('local:{new}', 'local:new')])
    assert plan.application_action is None
    assert plan.rule_creates == [managed_rule('acme', 'local:{new}', SCOPE)]
    assert plan.rule_updates == [managed_rule('acme', JDOE, SCOPE, 'by hand')]
    assert plan.rule_deletes == [rule(SVC), rule(TEAM)]
    assert sorted(r['TrusteePrefixedUniversal'] for r in plan.after_rules) == sorted([JDOE, 'local:{new}'])
    assert plan.summary() == 'allowed 1 identity, updated the rules of 1 identity, disallowed 2 identities'


def test_without_purge_others_are_kept():
    plan = plan_for(app(), {}, [rule(SVC), rule(TEAM, scope='certificate:manage')], allowed=[who(JDOE, 'local:jdoe')], purge=False)
    assert plan.rule_deletes == [] and plan.rule_updates == []
    assert plan.rule_creates == [managed_rule('acme', JDOE, SCOPE)]
    assert len(plan.after_rules) == 3


@pytest.mark.parametrize('own', [{'AccessValidity': 3600}, {'GrantValidity': 60}, {'Renewable': False}, {'Renewable': True},
                                 {'MaximumScope': ''}, {'MaximumScope': 'certificate:manage'}])
def test_a_listed_identity_gets_the_integrations_whole_scope_and_lifetimes(own):
    plan = plan_for(app(), {}, [rule(SVC, **own)], allowed=[who(SVC, 'local:svc-ansible')])
    assert plan.rule_updates == [managed_rule('acme', SVC, SCOPE, 'by hand')]
    assert plan.rule_updates[0]['AccessValidity'] is None and plan.rule_updates[0]['Renewable'] is None


def test_a_listed_identity_by_universal_in_another_case_matches_its_rule():
    plan = plan_for(app(), {}, [rule(SVC)], allowed=[who(SVC.upper().replace('LOCAL', 'local'), 'local:svc-ansible')])
    assert not plan.changed


def test_without_allowed_identities_the_rules_are_left_alone():
    plan = plan_for(app(), {'description': 'new'}, [rule(SVC, AccessValidity=60), rule(JDOE, scope='certificate:manage')])
    assert plan.rule_creates == plan.rule_updates == plan.rule_deletes == []
    assert plan.application_action == 'update'


def test_rules_that_gave_the_whole_scope_follow_a_scope_change():
    rules = [rule(SVC), rule(JDOE, scope='certificate:manage'), rule(TEAM, AccessValidity=60)]
    plan = plan_for(app(), {'scope': WIDER}, rules)
    assert plan.rule_updates == [managed_rule('acme', SVC, WIDER, 'by hand')]
    assert plan.summary() == 'updated the API integration acme, updated the rules of 1 identity'
    unlisted = plan_for(app(), {'scope': WIDER}, rules, allowed=[who(JDOE, 'local:jdoe')], purge=False)
    assert unlisted.rule_updates == [managed_rule('acme', SVC, WIDER, 'by hand'), managed_rule('acme', JDOE, WIDER, 'by hand')]


def test_an_empty_allowed_list_purges_every_rule():
    plan = plan_for(app(), {}, [rule(SVC), rule(JDOE)], allowed=[])
    assert plan.rule_deletes == [rule(SVC), rule(JDOE)]
    assert plan.after_rules == []


# -- views and diff -----------------------------------------------------------------------------

def test_the_integration_view(directory):
    view = integration_view(app(AccessValidity=3600, Renewable=True, Url='https://acme'), [rule(SVC), rule(JDOE, scope='certificate:manage')],
                            directory, 2, 1)
    assert view == {
        'client_id': 'acme', 'name': 'Acme', 'vendor': 'Acme, Inc.', 'description': 'Acme automation', 'info_url': 'https://acme',
        'scope': SCOPE, 'minimum_scope': SCOPE, 'token_validity': 3600, 'grant_validity': None, 'refresh': True,
        'unused_token_expiration': None,
        'allowed_identities': [
            {'name': 'local:jdoe', 'universal': JDOE, 'scope': 'certificate:manage', 'token_validity': None, 'grant_validity': None, 'refresh': None},
            {'name': 'local:svc-ansible', 'universal': SVC, 'scope': SCOPE, 'token_validity': None, 'grant_validity': None, 'refresh': None},
        ],
        'grant_count': 2, 'user_count': 1,
    }
    assert client_json(view, 'https://tpp.example.com') == {'client_id': 'acme', 'scope': SCOPE, 'url': 'https://tpp.example.com'}


def test_the_diff_shows_identities_by_name_and_only_the_rule_settings_that_differ(directory, transport, response):
    transport.queue(response(400, {'Error': 'Identity could not be found'}))
    gone = 'local:{11111111-2222-3333-4444-555555555555}'
    rules = [rule(SVC), rule(JDOE, scope='certificate:manage', AccessValidity=60, Renewable=False), rule(TEAM, GrantValidity=86400), rule(gone)]
    shown = diff_view(integration_view(app(), rules, directory, 2, 1))
    assert shown['allowed_identities'] == [
        "local:jdoe (rule: scope 'certificate:manage', token_validity 60, refresh False)",
        'local:PKI Operators (rule: grant_validity 86400)',
        'local:svc-ansible',
        gone,
    ]
    assert 'grant_count' not in shown and 'user_count' not in shown
    assert shown['scope'] == SCOPE and shown['name'] == 'Acme'
    assert diff_view({}) == {}


def test_before_and_after_of_a_plan(directory):
    current = app()
    plan = plan_for(current, {'scope': WIDER}, [rule(SVC)], allowed=[who(SVC, 'local:svc-ansible'), who(JDOE, 'local:jdoe')])
    before = diff_view(integration_view(current, plan.before_rules, directory))
    after = diff_view(integration_view(plan.desired, plan.after_rules, directory))
    assert (before['scope'], after['scope']) == (SCOPE, WIDER)
    assert (before['allowed_identities'], after['allowed_identities']) == (['local:svc-ansible'], ['local:jdoe', 'local:svc-ansible'])


def test_a_plan_gives_the_views_before_and_after_with_the_counts_of_before(directory):
    plan = plan_for(app(), {'scope': WIDER}, [rule(SVC)], allowed=[who(SVC, 'local:svc-ansible'), who(JDOE, 'local:jdoe')])
    before, after = plan.views(directory)
    assert (before['scope'], after['scope'], before['grant_count'], after['grant_count'], after['user_count']) == (SCOPE, WIDER, 2, 2, 1)
    assert diff_views(before, after) == (diff_view(before), diff_view(after))
    new = plan_for(None, {'name': 'Acme', 'scope': SCOPE})
    assert new.views(directory)[0] == {}
    assert (new.views(directory)[1]['grant_count'], new.views(directory)[1]['user_count']) == (0, 0)


# -- reading and writing ------------------------------------------------------------------------

def test_get_integration(make_api, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, {'Success': False, 'Result': 2, 'Error': 'not found'}))
    api = make_api()
    assert get_integration(api, 'acme')['Name'] == 'Acme'
    assert get_integration(api, 'nope') is None
    assert [call.body for call in transport.calls] == [{'ApplicationId': 'acme'}, {'ApplicationId': 'nope'}]


def test_get_rules_resolves_identities_in_the_same_request(make_api, transport, response):
    transport.queue(response(200, dict(OK, Rules=[rule(SVC), rule(JDOE, ApplicationId='other'), {'ApplicationId': 'acme'}],
                                       IdentityEntries=[{'PrefixedName': 'local:svc-ansible', 'PrefixedUniversal': SVC}])))
    known = IdentityDirectory(make_api())
    assert get_rules(make_api(), known, 'acme') == [rule(SVC)]
    assert transport.calls[0].body == {'ApplicationId': 'acme', 'ResolveIdentities': True}
    assert known.by_universal(SVC)['name'] == 'local:svc-ansible'
    assert len(transport.calls) == 1


def test_counts_come_from_the_application_or_from_grantcount_and_usercount(make_api, transport, response):
    api = make_api()
    assert counts(api, app()) == (2, 1)
    assert transport.calls == []
    transport.queue(response(200, dict(OK, Count=5)), response(200, dict(OK, Count=3)))
    assert counts(api, app(GrantCount=None, UserCount=None)) == (5, 3)
    assert [(call.url, call.body) for call in transport.calls] == [
        (OAUTH + 'GrantCount', {'ApplicationId': 'acme'}), (OAUTH + 'UserCount', {'ApplicationId': 'acme'})]


def test_apply_creates_the_application_then_its_rules(make_api, transport, response, directory):
    plan = plan_for(None, {'name': 'Acme', 'scope': SCOPE, 'refresh': False}, allowed=[who(SVC, 'local:svc-ansible')])
    transport.queue(response(200, dict(OK, Application={})), response(200, dict(OK, Rule={})))
    apply_plan(make_api(), plan, directory)
    assert [(call.url, call.body) for call in transport.calls] == [
        (OAUTH + 'CreateApplication', {'ApplicationId': 'acme', 'Name': 'Acme', 'Description': '', 'Vendor': '', 'Url': '',
                                       'Scope': SCOPE, 'MaximumScope': SCOPE, 'Renewable': False}),
        (OAUTH + 'CreateRule', {'ApplicationId': 'acme', 'TrusteePrefixedUniversal': SVC, 'Description': RULE_DESCRIPTION,
                                'MaximumScope': SCOPE}),
    ]


def test_apply_creates_then_updates_an_application_with_unused_token_expiration(make_api, transport, response, directory):
    # CreateApplication takes no UnusedExpiration (Venafi's OpenAPI contract): the whole application follows in an update.
    plan = plan_for(None, {'name': 'Acme', 'scope': SCOPE, 'unused_token_expiration': 600})
    transport.queue(response(200, dict(OK, Application={})), response(200, OK))
    apply_plan(make_api(), plan, directory)
    assert [call.url for call in transport.calls] == [OAUTH + 'CreateApplication', OAUTH + 'UpdateApplication']
    assert 'UnusedExpiration' not in transport.calls[0].body
    assert transport.calls[1].body == {'Application': dict(plan.desired, UnusedExpiration=600)}


def test_apply_sends_the_whole_application_then_updates_creates_and_deletes_rules(make_api, transport, response, directory):
    current = app(UnusedExpiration=600)
    plan = plan_for(current, {'scope': WIDER}, [rule(SVC), rule(TEAM)], allowed=[who(SVC, 'local:svc-ansible'), who(JDOE, 'local:jdoe')])
    transport.queue(*[response(200, OK) for _index in range(4)])
    apply_plan(make_api(), plan, directory)
    assert [call.url for call in transport.calls] == [OAUTH + name for name in ('UpdateApplication', 'UpdateRule', 'CreateRule', 'DeleteRule')]
    assert transport.calls[0].body == {'Application': {
        'ID': 'acme', 'Name': 'Acme', 'Description': 'Acme automation', 'Vendor': 'Acme, Inc.', 'Url': '', 'Scope': WIDER, 'MaximumScope': WIDER,
        'AccessValidity': None, 'GrantValidity': None, 'Renewable': None, 'UnusedExpiration': 600}}
    assert transport.calls[1].body == {'Rule': managed_rule('acme', SVC, WIDER, 'by hand')}
    assert transport.calls[3].body == {'ApplicationId': 'acme', 'TrusteePrefixedUniversal': TEAM}


def test_a_failed_rule_write_names_the_identity(make_api, transport, response, directory):
    plan = plan_for(app(), {}, [], allowed=[who(JDOE, 'local:jdoe')])
    transport.queue(response(200, {'Success': False, 'Result': 10, 'Error': 'Trustee unknown'}))
    with pytest.raises(TppError) as caught:
        apply_plan(make_api(), plan, directory)
    assert str(caught.value).startswith('allowing local:jdoe to use the API integration acme: TPP found an object invalid')


def test_delete_revokes_the_grants_first_when_asked(make_api, transport, response):
    transport.queue(response(200, OK), response(200, OK), response(200, {'Success': False, 'Result': 2}))
    delete_integration(make_api(), 'acme', revoke_grants=True)
    delete_integration(make_api(), 'acme')
    assert [(call.url, call.body) for call in transport.calls] == [
        (OAUTH + 'RevokeGrants', {'ApplicationId': 'acme'}), (OAUTH + 'DeleteApplication', {'ApplicationId': 'acme'}),
        (OAUTH + 'DeleteApplication', {'ApplicationId': 'acme'})]
