# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The grant-management envelope: Success/Result codes and 401/403 answers become one clear line."""

import os

import pytest
import requests
import yaml

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._oauth import RESULT_CODES, ROLE_NEEDED, OAuthApi

GET_APP = 'https://tpp.example.com/vedsdk/oauth/GetApplication'
TOKEN = 'KT2EEVTIjWM/37L78dqJAg=='


def call(make_client, operation='GetApplication', allow=()):
    return OAuthApi(make_client(retries=1), TOKEN).call(operation, {'ApplicationId': 'app'}, 'reading the API integration app', allow=allow)


def test_success_returns_the_data(make_client, transport, response):
    transport.queue(response(200, {'Success': True, 'Result': 0, 'Applications': [{'ID': 'app'}]}))
    assert call(make_client)['Applications'] == [{'ID': 'app'}]
    sent = transport.calls[0]
    assert (sent.method, sent.url, sent.body) == ('POST', GET_APP, {'ApplicationId': 'app'})
    assert sent.headers['Authorization'] == 'Bearer ' + TOKEN


def test_an_allowed_result_returns_the_data(make_client, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 2, 'Error': 'not found'}))
    assert call(make_client, allow=(2,))['Result'] == 2


@pytest.mark.parametrize('code, words', [
    (1, 'TPP reports a failure without a reason'),
    (2, 'the API integration does not exist'),
    (6, 'TPP rejected a parameter of the request'),
    (10, 'its trustee is not a known identity'),
    (17, 'TPP rejects the scope as invalid'),
    (19, 'an API integration with this client_id already exists'),
    (20, 'a rule exists'),
    (23, "a rule's scope must lie within the API integration's scope"),
])
def test_result_codes_become_messages(make_client, transport, response, code, words):
    transport.queue(response(200, {'Success': False, 'Result': code, 'Error': 'what TPP said'}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    error = caught.value
    assert str(error) == 'reading the API integration app: %s (what TPP said; Result %d)' % (RESULT_CODES[code][1], code)
    assert words in str(error)
    assert (error.result, error.success, error.error) == (code, False, 'what TPP said')


def test_every_result_code_has_a_meaning():
    assert sorted(RESULT_CODES) == list(range(24))
    assert all(name and meaning for name, meaning in RESULT_CODES.values())


def test_a_failure_without_error_text_names_the_code(make_client, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 19}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert str(caught.value) == ('reading the API integration app: an API integration with this client_id already exists '
                                 '(ApplicationAlreadyExists; Result 19)')


def test_an_unknown_result_code(make_client, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 99}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert str(caught.value) == 'reading the API integration app: TPP reports an unknown failure (unknown; Result 99)'


def test_an_answer_without_the_envelope(make_client, transport, response):
    transport.queue(response(200, {'Version': '24.1'}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert 'without the Success/Result envelope of /vedsdk/oauth/GetApplication; is url a TPP server?' in str(caught.value)


def test_403_names_the_missing_scope_and_the_tokens_scope(make_client, transport, response):
    transport.queue(response(403, {'error': 'insufficient_scope', 'error_description':
                                   "Grant rejected scope 'certificate:manage'. Call POST Authorize/OAuth with the correct scope and "
                                   "restriction. Update the header with the new token and retry."}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    error = caught.value
    assert error.message == ("reading the API integration app: access_token lacks the admin scope (its scope is 'certificate:manage'); "
                             'obtain a token whose scope includes admin from an API integration that allows it, with '
                             'venafi_tpp.auth.token or the venafi_tpp.auth.access_token lookup')
    assert (error.status, error.error) == (403, 'insufficient_scope')


def test_403_without_a_body(make_client, transport, response):
    transport.queue(response(403, None, reason='Forbidden'))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert caught.value.message.startswith('reading the API integration app: access_token lacks the admin scope; obtain')


def test_401_insufficient_rights_names_the_roles_the_operation_needs(make_client, transport, response):
    transport.queue(response(401, {'error': 'insufficient_rights',
                                   'error_description': 'The underlying user account does not have sufficient permissions for this request.'}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert caught.value.message == (
        "reading the API integration app: the identity of access_token lacks the OAuth role this needs: TPP's OAuth Admin, Grant Admin "
        "or Auditor role, or the Owner or Maintainer role of this API integration (they reach only their own integrations; only an Admin "
        "creates one); ask a TPP OAuth administrator to give it one "
        "(venafi_tpp.auth.oauth_role), or use the token of an identity that holds one")
    assert (caught.value.status, caught.value.error) == (401, 'insufficient_rights')


@pytest.mark.parametrize('operation, says', [
    ('CreateApplication', "TPP's OAuth Admin role (an Owner of an API integration may update it, but not create one; an Auditor may only read)"),
    ('UpdateApplication', "TPP's OAuth Admin role, or the Owner or Maintainer role of this API integration (an Auditor may only read)"),
    ('SetConfiguration', "TPP's OAuth Admin role (an Auditor may only read)"),
    ('ListRoles', "TPP's OAuth Admin or Auditor role, or the Owner role of an API integration"),
])
def test_a_refused_write_says_who_may_do_it(make_client, transport, response, operation, says):
    transport.queue(response(401, {'error': 'insufficient_rights'}))
    with pytest.raises(TppError) as caught:
        call(make_client, operation)
    assert 'lacks the OAuth role this needs: %s; ask' % says in caught.value.message


def test_result_9_names_the_roles_too(make_client, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 9}))
    with pytest.raises(TppError) as caught:
        call(make_client, 'DeleteRule')
    assert "needs: TPP's OAuth Admin role, or the Owner role of this API integration (an Auditor may only read)" in caught.value.message


def test_a_call_outside_the_oauth_api_asks_for_the_admin_role(make_client, transport, response):
    transport.queue(response(401, {'error': 'insufficient_rights'}))
    with pytest.raises(TppError) as caught:
        OAuthApi(make_client(retries=1), TOKEN).request('POST', 'identity/validate', 'resolving x', 'configuration')
    assert "lacks TPP's OAuth Admin role" in caught.value.message


def test_401_invalid_token(make_client, transport, response):
    transport.queue(response(401, {'error': 'invalid_token', 'error_description': 'expired'}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert caught.value.message == 'reading the API integration app: access_token is invalid, expired or revoked; obtain a new one'


def test_other_http_errors_keep_the_clients_message(make_client, transport, response):
    transport.queue(response(400, {'error': 'invalid_request', 'error_description': 'bad'}))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert str(caught.value) == ('reading the API integration app: POST %s failed (HTTP 400 Bad Request; invalid_request: bad)' % GET_APP)


def test_a_transport_error_is_left_as_it_is(make_client, transport):
    transport.queue(requests.exceptions.ConnectionError('refused'), requests.exceptions.ConnectionError('refused'))
    with pytest.raises(TppError) as caught:
        call(make_client)
    assert str(caught.value).startswith('cannot connect to TPP at %s' % GET_APP)


def test_reads_and_updates_are_retried(make_client, transport, response):
    transport.queue(response(503), response(200, {'Success': True, 'Result': 0}))
    assert call(make_client, operation='UpdateApplication')['Success'] is True
    assert len(transport.calls) == 2


@pytest.mark.parametrize('operation', ['CreateApplication', 'DeleteApplication', 'CreateRule', 'DeleteRule', 'RevokeGrants'])
def test_creates_and_deletes_are_not_repeated_after_an_answer_that_may_have_acted(make_client, transport, response, operation):
    transport.queue(response(500), response(200, {'Success': True, 'Result': 0}))
    with pytest.raises(TppError):
        call(make_client, operation=operation)
    assert len(transport.calls) == 1


CONTRACT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'emulator', 'contract',
                        'venafi-access-management-apis-api-openapi.yml')
# Venafi's pages: "Roles: Any".
ANY_ROLE = ('getconfiguration', 'getrole', 'getscopes')


def test_every_operation_of_the_contract_says_which_roles_it_needs():
    with open(CONTRACT, encoding='utf-8') as handle:
        paths = yaml.safe_load(handle)['paths']
    operations = set(path.lower()[len('/vedsdk/oauth/'):] for path in paths if path.lower().startswith('/vedsdk/oauth/'))
    assert len(operations) == 30
    assert set(ROLE_NEEDED) | set(ANY_ROLE) == operations
    assert not set(ROLE_NEEDED) & set(ANY_ROLE)
