# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token module: obtain (and in check mode, a placeholder), revoke, and one-line failures with what TPP said."""

import json

from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import CHECK_MODE_PLACEHOLDER, TOKEN_KEYS
from ansible_collections.venafi_tpp.auth.plugins.modules import token

URL = 'https://tpp.example.com'
ACCESS = 'KT2EEVTIjWM/37L78dqJAg=='
IDENTITY = 'local:{198c2d48-9e79-4f10-b871-e2f109476032}'
ARGS = {'url': URL + '/vedsdk/', 'client_id': 'ansible-automation', 'scope': 'Certificate:Manage', 'username': 'svc-ansible',
        'password': 'svc-pass-1'}
TOKEN = {'access_token': ACCESS, 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': 1565028229, 'expires_in': 7775999,
         'refresh_until': 1596564229, 'scope': 'certificate:manage', 'identity': IDENTITY, 'token_type': 'Bearer'}


def test_present_obtains_a_token_and_returns_it_with_the_connection(run_module, transport, response):
    transport.queue(response(200, TOKEN))
    result = run_module(token, ARGS)
    assert dict((key, result[key]) for key in TOKEN_KEYS) == TOKEN
    assert result['changed'] is True
    assert result['msg'] == 'obtained a token for %s with scope certificate:manage' % IDENTITY
    assert (result['url'], result['ca_path']) == (URL, None)
    assert result['connection'] == {'url': URL, 'ca_path': None, 'validate_certs': True, 'access_token': ACCESS}
    sent = transport.calls[0]
    assert (sent.method, sent.url, sent.body) == ('POST', URL + '/vedauth/authorize/oauth', {
        'client_id': 'ansible-automation', 'scope': 'certificate:manage', 'username': 'svc-ansible', 'password': 'svc-pass-1'})


def test_check_mode_requests_nothing_and_returns_the_placeholder(run_module, transport):
    result = run_module(token, ARGS, check_mode=True)
    assert transport.calls == []
    assert result['changed'] is True
    assert (result['access_token'], result['refresh_token'], result['expires']) == (CHECK_MODE_PLACEHOLDER, CHECK_MODE_PLACEHOLDER, 0)
    assert result['connection']['access_token'] == CHECK_MODE_PLACEHOLDER
    assert result['msg'] == 'check mode: no token was requested; the token values are placeholders'


def test_client_json_and_the_environment_supply_what_is_not_given(run_module, transport, response, monkeypatch):
    monkeypatch.setenv('VENAFI_TPP_URL', 'https://env.example.com')
    monkeypatch.setenv('VENAFI_TPP_USERNAME', 'svc-ansible')
    monkeypatch.setenv('VENAFI_TPP_PASSWORD', 'svc-pass-1')
    transport.queue(response(200, TOKEN))
    result = run_module(token, {'client_json': {'client_id': 'from-json', 'scope': 'ssh:discover', 'url': URL}})
    assert result['url'] == URL
    assert transport.calls[0].body == {'client_id': 'from-json', 'scope': 'ssh:discover', 'username': 'svc-ansible', 'password': 'svc-pass-1'}


def test_a_refusal_fails_with_one_line_and_what_tpp_said_but_no_secret(run_module, transport, response):
    transport.queue(response(400, {'error': 'invalid_grant', 'error_description': 'Username/password combination not valid'}))
    result = run_module(token, ARGS)
    assert result['failed'] is True
    assert result['msg'] == ('TPP refused the password authorization for client_id ansible-automation '
                             '(HTTP 400 Bad Request; invalid_grant: Username/password combination not valid)')
    assert (result['status'], result['reason'], result['error']) == (400, 'Bad Request', 'invalid_grant')
    assert 'svc-pass-1' not in json.dumps(result)
    assert len(transport.calls) == 1


def test_bad_input_fails_before_any_request(run_module, transport):
    result = run_module(token, dict(ARGS, scope='certificate:bogus'))
    assert result['failed'] is True
    assert result['msg'].startswith("unknown restriction 'bogus' for scope 'certificate'")
    result = run_module(token, dict(ARGS, url=None))
    assert result['msg'] == ('url is required: the TPP server, for example https://tpp.example.com; set url, the url of client_json or '
                             'the VENAFI_TPP_URL environment variable')
    assert transport.calls == []


def test_absent_revokes_the_grant(run_module, transport, response):
    transport.queue(response(200))
    result = run_module(token, {'url': URL, 'state': 'absent', 'access_token': ACCESS})
    assert (result['changed'], result['msg'], result['url']) == (True, 'revoked the grant', URL)
    sent = transport.calls[0]
    assert (sent.method, sent.url, sent.headers['Authorization']) == ('GET', URL + '/vedauth/revoke/token', 'Bearer ' + ACCESS)


def test_absent_of_a_token_that_is_already_dead_is_no_change(run_module, transport, response):
    transport.queue(response(401, {'error': 'invalid_token'}))
    result = run_module(token, {'url': URL, 'state': 'absent', 'access_token': ACCESS})
    assert (result['changed'], result['msg']) == (False, 'the token was already invalid, expired or revoked')


def test_absent_in_check_mode_only_verifies(run_module, transport, response):
    transport.queue(response(200, {'identity': IDENTITY, 'valid_for': 60}))
    result = run_module(token, {'url': URL, 'state': 'absent', 'access_token': ACCESS}, check_mode=True)
    assert (result['changed'], result['msg']) == (True, 'check mode: the grant would be revoked')
    assert [call.url for call in transport.calls] == [URL + '/vedauth/authorize/verify']


def test_absent_needs_the_token(run_module, transport):
    result = run_module(token, {'url': URL, 'state': 'absent'})
    assert (result['failed'], result['msg']) == (True, 'state=absent needs access_token, the token whose grant to revoke')
    assert transport.calls == []


def test_the_check_mode_placeholder_is_refused_before_any_request(run_module, transport):
    result = run_module(token, {'url': URL, 'state': 'absent', 'access_token': CHECK_MODE_PLACEHOLDER})
    assert result['failed'] is True
    assert result['msg'].startswith("access_token is the token module's check-mode placeholder, not a token")
    assert transport.calls == []
