# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api_integration module: what it reads and writes, its result, check and diff mode, and its refusals, over the fake transport."""

import pytest
import yaml

from ansible_collections.venafi_tpp.auth.plugins.modules import api_integration

from ..conftest import OAUTH, OK, SCOPE, SVC, TPP_URL, app, rule

SVC_ENTRY = {'PrefixedName': 'local:svc-ansible', 'PrefixedUniversal': SVC}
NOT_FOUND = {'Success': False, 'Result': 2, 'Error': 'Application not found'}
ARGS = {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'Acme', 'client_id': 'acme', 'vendor': 'Acme, Inc.',
        'description': 'Acme automation', 'scope': 'Certificate:Manage,Discover', 'allowed_identities': ['local:svc-ansible']}


def requests_sent(transport):
    return [call.url.replace(OAUTH, '').replace(TPP_URL + '/vedsdk/', '') for call in transport.calls]


@pytest.mark.parametrize('check_mode', [True, False], ids=['check mode', 'for real'])
def test_a_new_integration(run_module, transport, response, check_mode):
    transport.queue(response(200, NOT_FOUND), response(200, {'ID': SVC_ENTRY}))
    if not check_mode:
        transport.queue(response(200, dict(OK, Application={})), response(200, dict(OK, Rule={})))
    result = run_module(api_integration, ARGS, check_mode=check_mode, diff=True)
    writes = [] if check_mode else ['CreateApplication', 'CreateRule']
    assert requests_sent(transport) == ['GetApplication', 'identity/validate'] + writes
    assert result['changed'] is True
    done = 'created the API integration acme, allowed 1 identity'
    assert result['msg'] == ('check mode: nothing sent; would have ' + done if check_mode else done)
    assert result['integration']['allowed_identities'][0]['name'] == 'local:svc-ansible'
    assert (result['integration']['scope'], result['integration']['grant_count']) == (SCOPE, 0)
    assert result['client_json'] == {'client_id': 'acme', 'scope': SCOPE, 'url': TPP_URL}
    assert result['diff']['before'] == {}
    assert result['diff']['after']['allowed_identities'] == ['local:svc-ansible']
    assert 'grant_count' not in result['diff']['after']
    assert all(call.headers['Authorization'] == 'Bearer admin-token' for call in transport.calls)


def test_an_integration_as_wanted_is_no_change_and_costs_two_reads(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=[SVC_ENTRY])))
    result = run_module(api_integration, ARGS)
    assert requests_sent(transport) == ['GetApplication', 'GetRules']
    assert (result['changed'], result['msg']) == (False, 'the API integration acme is as wanted')
    assert (result['integration']['grant_count'], result['integration']['user_count']) == (2, 1)
    assert 'diff' not in result


def test_an_update_sends_the_whole_application(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app(Description='old')])),
                    response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=[SVC_ENTRY])), response(200, OK))
    result = run_module(api_integration, ARGS, diff=True)
    assert requests_sent(transport) == ['GetApplication', 'GetRules', 'UpdateApplication']
    assert transport.calls[2].body['Application']['Description'] == 'Acme automation'
    assert (result['diff']['before']['description'], result['diff']['after']['description']) == ('old', 'Acme automation')
    assert result['msg'] == 'updated the API integration acme'


def test_someone_elses_integration_is_not_taken_over(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app(Name='Other')])))
    result = run_module(api_integration, ARGS)
    assert result['failed'] is True
    assert result['msg'] == ("client_id acme already belongs to the API integration named 'Other', not 'Acme'; give another client_id, "
                             "or set rename: true to rename that integration")
    assert requests_sent(transport) == ['GetApplication']


@pytest.mark.parametrize('args', [{}, {'url': None}], ids=['with url', 'without url'])
def test_the_access_token_is_asked_for_first(run_module, transport, args):
    result = run_module(api_integration, dict(ARGS, access_token=None, **args))
    assert result['msg'].startswith('access_token is required: a token whose scope includes admin')
    assert transport.calls == []


def test_a_token_without_the_admin_scope_says_so_with_what_tpp_said(run_module, transport, response):
    transport.queue(response(403, {'error': 'insufficient_scope', 'error_description': "Grant rejected scope 'certificate:manage'."}))
    result = run_module(api_integration, ARGS)
    assert result['msg'].startswith("reading the API integration acme: access_token lacks the admin scope (its scope is 'certificate:manage')")
    assert (result['status'], result['error']) == (403, 'insufficient_scope')


def test_absent_of_an_integration_that_does_not_exist(run_module, transport, response):
    transport.queue(response(200, NOT_FOUND))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'client_id': 'acme', 'state': 'absent'}, diff=True)
    assert result == {'changed': False, 'msg': 'the API integration acme does not exist'}


def test_absent_in_check_and_diff_mode_reads_and_shows_but_deletes_nothing(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=[SVC_ENTRY])))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'Acme', 'client_id': 'acme', 'state': 'absent',
                                          'revoke_grants': True}, check_mode=True, diff=True)
    assert requests_sent(transport) == ['GetApplication', 'GetRules']
    assert result['msg'] == 'check mode: nothing sent; would have deleted the API integration acme after revoking its grants'
    assert (result['diff']['before']['allowed_identities'], result['diff']['after']) == (['local:svc-ansible'], {})


def test_absent_revokes_and_deletes(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, OK), response(200, OK))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'client_id': 'acme', 'state': 'absent',
                                          'revoke_grants': True})
    assert requests_sent(transport) == ['GetApplication', 'RevokeGrants', 'DeleteApplication']
    assert (result['changed'], result['msg']) == (True, 'deleted the API integration acme after revoking its grants')


def test_absent_of_an_integration_with_another_name_deletes_nothing(run_module, transport, response):
    transport.queue(response(200, dict(OK, Applications=[app()])))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'Other', 'client_id': 'acme', 'state': 'absent'})
    assert result['msg'].startswith("client_id acme belongs to the API integration named 'Acme', not 'Other'; not deleting it")
    assert requests_sent(transport) == ['GetApplication']


def test_a_definition_fills_what_the_task_leaves_unset(run_module, transport, response, tmp_path):
    """An item exported by api_integration_info, read from a file: its fields, the task's options over them, read-only keys ignored."""
    exported = {'client_id': 'acme', 'name': 'Acme', 'vendor': 'Acme, Inc.', 'description': 'Acme automation', 'info_url': '',
                'scope': SCOPE, 'minimum_scope': SCOPE, 'token_validity': None, 'grant_validity': None, 'refresh': None,
                'unused_token_expiration': None, 'grant_count': 9, 'user_count': 9,
                'allowed_identities': [{'name': 'local:svc-ansible', 'universal': SVC, 'scope': SCOPE}]}
    path = tmp_path / 'acme.yml'
    path.write_text(yaml.safe_dump(exported))
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=[SVC_ENTRY])))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'definition': str(path)})
    assert (result['changed'], result['msg']) == (False, 'the API integration acme is as wanted')
    transport.queue(response(200, dict(OK, Applications=[app()])), response(200, dict(OK, Rules=[rule(SVC)], IdentityEntries=[SVC_ENTRY])),
                    response(200, OK))
    result = run_module(api_integration, {'url': TPP_URL, 'access_token': 'admin-token', 'definition': exported, 'vendor': 'Other'})
    assert result['msg'] == 'updated the API integration acme'
    assert transport.calls[-1].body['Application']['Vendor'] == 'Other'


@pytest.mark.parametrize('args, message', [
    ({'definition': {'vendor': 'Acme'}}, 'one of the following is required: name, client_id (or a definition that gives one)'),
    ({'client_id': 'acme'}, 'state is present but all of the following are missing: name (give it, or a definition that gives it)'),
    ({'definition': {'name': 'Acme', 'state': 'absent'}}, 'definition has unknown keys: state; known are name, client_id,'),
], ids=['no name nor client_id', 'no name', 'unknown key'])
def test_what_a_task_with_a_definition_lacks_fails_before_any_request(run_module, transport, args, message):
    result = run_module(api_integration, dict(args, url=TPP_URL, access_token='admin-token'))
    assert result['msg'].startswith(message)
    assert transport.calls == []
