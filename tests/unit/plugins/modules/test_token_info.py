# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token_info module: a valid token's facts, an invalid one as valid: false, and what it needs."""

from ansible_collections.venafi_tpp.auth.plugins.modules import token_info

URL = 'https://tpp.example.com'
ACCESS = 'KT2EEVTIjWM/37L78dqJAg=='


def test_a_valid_token_and_its_facts(run_module, transport, response):
    transport.queue(response(200, {'identity': 'local:{x}', 'application': 'vcert-sdk', 'scope': 'Certificate:Manage',
                                   'access_issued_on_unix_time': 1604956045, 'expires_unix_time': 1636492045, 'valid_for': 3600}))
    result = run_module(token_info, {'url': URL, 'access_token': ACCESS}, check_mode=True)
    assert result == {'changed': False, 'valid': True, 'identity': 'local:{x}', 'application': 'vcert-sdk', 'scope': 'certificate:manage',
                      'access_issued_on': 1604956045, 'access_expires': 1604956045 + 3600, 'grant_issued_on': None, 'grant_expires': 1636492045,
                      'valid_for': 3600}
    sent = transport.calls[0]
    assert (sent.method, sent.url, sent.headers['Authorization']) == ('GET', URL + '/vedauth/authorize/verify', 'Bearer ' + ACCESS)


def test_an_invalid_token_is_not_a_failure(run_module, transport, response, monkeypatch):
    monkeypatch.setenv('VENAFI_TPP_ACCESS_TOKEN', ACCESS)
    transport.queue(response(401, {'error': 'invalid_token'}))
    assert run_module(token_info, {'url': URL}) == {'changed': False, 'valid': False}
    assert transport.calls[0].headers['Authorization'] == 'Bearer ' + ACCESS


def test_it_needs_a_token_and_a_url(run_module, transport):
    assert run_module(token_info, {'url': URL})['msg'] == 'access_token is required: the token to verify'
    assert run_module(token_info, {'access_token': ACCESS})['msg'] == (
        'url is required: the TPP server, for example https://tpp.example.com; set url or the VENAFI_TPP_URL environment variable')
    assert transport.calls == []


def test_a_server_failure_fails_with_its_status(run_module, transport, response):
    transport.queue(response(500, {'Error': 'boom'}))
    result = run_module(token_info, {'url': URL, 'access_token': ACCESS, 'retries': 0})
    assert result['failed'] is True
    assert result['msg'] == 'GET %s/vedauth/authorize/verify failed (HTTP 500 Internal Server Error; boom)' % URL
    assert (result['status'], result['error']) == (500, 'boom')
