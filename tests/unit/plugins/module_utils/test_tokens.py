# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token results, authorize/verify and revoke/token as the collection reads them."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import CHECK_MODE_PLACEHOLDER, placeholder_error, revoke, token_result, verify

VERIFY_URL = 'https://tpp.example.com/vedauth/authorize/verify'
REVOKE_URL = 'https://tpp.example.com/vedauth/revoke/token'
# The authorize/verify answer of Venafi's "GET Authorize/Verify" documentation page, with a token lifetime of 90 days.
VERIFIED = {
    'access_issued_on': '/Date(1604956045163)/', 'access_issued_on_ISO8601': '2020-11-09T21:07:25Z', 'access_issued_on_unix_time': 1604956045,
    'application': 'TPP.Auto',
    'expires': '/Date(1636492045163)/', 'expires_ISO8601': '2021-11-09T21:07:25Z', 'expires_unix_time': 1636492045,
    'grant_issued_on': '/Date(1604956045163)/', 'grant_issued_on_ISO8601': '2020-11-09T21:07:25Z', 'grant_issued_on_unix_time': 1604956045,
    'identity': 'local:{8e1bf110-8ef8-4a53-a6da-d5d29c983451}',
    'scope': 'security:manage;Configuration:Manage;certificate:manage', 'valid_for': 7776000,
}


# token_result

def test_token_result_keeps_the_token_keys_and_normalises_scope():
    data = {'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': 1721806543, 'expires_in': 7775999,
            'refresh_until': 1745566543, 'identity': 'local:{identity}', 'scope': 'SSH:Manage;certificate:manage,discover', 'token_type': 'Bearer',
            'state': 'x', 'device_code': 'ignored'}
    assert token_result(data) == {
        'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': 1721806543, 'expires_in': 7775999,
        'refresh_until': 1745566543, 'identity': 'local:{identity}', 'scope': 'certificate:discover,manage;ssh:manage', 'token_type': 'Bearer',
    }


def test_token_result_without_refresh_token():
    result = token_result({'access_token': 'a1', 'expires': 1565028229, 'scope': 'certificate:manage', 'token_type': 'Bearer'})
    assert result['refresh_token'] is None
    assert result['refresh_until'] is None
    assert result['expires_in'] is None
    assert result['access_token'] == 'a1'
    assert sorted(result) == ['access_token', 'expires', 'expires_in', 'identity', 'refresh_token', 'refresh_until', 'scope', 'token_type']


def test_token_result_without_scope_has_the_empty_scope():
    assert token_result({'access_token': 'a1'})['scope'] == ''


@pytest.mark.parametrize('data', [{}, {'access_token': ''}, {'access_token': None, 'refresh_token': 'r'}, {'value': []}, [], None, 'token'])
def test_token_result_without_access_token_is_an_error(data):
    with pytest.raises(TppError) as raised:
        token_result(data)
    assert str(raised.value) == 'TPP answered without an access_token; is url the TPP server?'


# verify

def test_verify_maps_the_documented_answer(make_client, transport, response):
    transport.queue(response(200, VERIFIED, reason='Token is valid'))
    assert verify(make_client(), 'KT2EEVTIjWM/37L78dqJAg==') == {
        'valid': True,
        'identity': 'local:{8e1bf110-8ef8-4a53-a6da-d5d29c983451}',
        'application': 'TPP.Auto',
        'scope': 'certificate:manage;configuration:manage;security:manage',
        'access_issued_on': 1604956045,
        'access_expires': 1604956045 + 7776000,
        'grant_issued_on': 1604956045,
        'grant_expires': 1636492045,
        'valid_for': 7776000,
    }
    call = transport.calls[0]
    assert (call.method, call.url, call.body) == ('GET', VERIFY_URL, None)
    assert call.headers['Authorization'] == 'Bearer KT2EEVTIjWM/37L78dqJAg=='


def test_verify_falls_back_to_the_iso_timestamps(make_client, transport, response):
    data = dict((key, value) for key, value in VERIFIED.items() if not key.endswith('_unix_time'))
    data['grant_issued_on_ISO8601'] = '2020-11-09T21:07:26Z'
    transport.queue(response(200, data))
    facts = verify(make_client(), 't')
    assert facts['access_issued_on'] == 1604956045
    assert facts['access_expires'] == 1612732045
    assert facts['grant_issued_on'] == 1604956046
    assert facts['grant_expires'] == 1636492045


def test_verify_prefers_unix_time_over_iso(make_client, transport, response):
    data = dict(VERIFIED, expires_ISO8601='2030-01-01T00:00:00Z')
    transport.queue(response(200, data))
    assert verify(make_client(), 't')['grant_expires'] == 1636492045


def test_verify_of_a_grant_that_never_expires(make_client, transport, response):
    transport.queue(response(200, dict(VERIFIED, expires=None, expires_ISO8601=None, expires_unix_time=0)))
    facts = verify(make_client(), 't')
    assert facts['grant_expires'] is None
    assert facts['access_expires'] == 1612732045


def test_verify_with_unparsable_timestamps_and_no_valid_for(make_client, transport, response):
    data = {'identity': 'local:{x}', 'application': 'demo', 'scope': 'ssh', 'access_issued_on_ISO8601': 'yesterday',
            'expires_ISO8601': '2021-11-09 21:07:25'}
    transport.queue(response(200, data))
    facts = verify(make_client(), 't')
    assert (facts['access_issued_on'], facts['access_expires'], facts['grant_expires'], facts['grant_issued_on']) == (None, None, None, None)
    assert (facts['valid'], facts['scope'], facts['valid_for']) == (True, 'ssh', None)


@pytest.mark.parametrize('body', [
    {'error': 'invalid_token', 'error_description': 'The access token provided is expired, revoked, malformed, or invalid for other reasons'},
    {'error': 'invalid_token', 'error_description': 'Grant not found'},
    None,
])
def test_verify_of_an_invalid_token_is_none(make_client, transport, response, sleeps, body):
    transport.queue(response(401, body))
    assert verify(make_client(), 'expired') is None
    assert len(transport.calls) == 1 and not sleeps


def test_verify_other_errors_raise(make_client, transport, response):
    transport.queue(response(400, reason='Grant has been revoked, has expired, or the refresh token is invalid'))
    with pytest.raises(TppError) as raised:
        verify(make_client(), 't')
    assert str(raised.value) == 'GET %s failed (HTTP 400 Grant has been revoked, has expired, or the refresh token is invalid)' % VERIFY_URL


def test_verify_is_retried_as_a_safe_request(make_client, transport, response):
    transport.queue(response(502), response(200, VERIFIED))
    assert verify(make_client(), 't')['application'] == 'TPP.Auto'
    assert len(transport.calls) == 2


# revoke

@pytest.mark.parametrize('status, reason, revoked', [
    (200, 'Grant for identity local:{x} with scope certificate:manage has been revoked', True),
    (202, 'Accepted', False),
    (401, 'Unauthorized', False),
])
def test_revoke(make_client, transport, response, status, reason, revoked):
    transport.queue(response(status, {}, reason=reason))
    assert revoke(make_client(), 'KT2EEVTIjWM/37L78dqJAg==') is revoked
    call = transport.calls[0]
    assert (call.method, call.url, call.body) == ('GET', REVOKE_URL, None)
    assert call.headers['Authorization'] == 'Bearer KT2EEVTIjWM/37L78dqJAg=='
    assert len(transport.calls) == 1


def test_revoke_other_errors_raise(make_client, transport, response):
    transport.queue(response(403, {'error': 'insufficient_scope', 'error_description': 'Grant rejected scope'}))
    with pytest.raises(TppError) as raised:
        revoke(make_client(), 't')
    assert str(raised.value) == 'GET %s failed (HTTP 403 Forbidden; insufficient_scope: Grant rejected scope)' % REVOKE_URL


NEWER_SCOPE = 'admin:rotate;certificate:manage'  # admin:rotate appears in TPP 26.1's OpenAPI but not in SCOPE_MAP


def test_token_result_keeps_tokens_whose_scope_the_scope_map_does_not_know():
    # A refresh (which sends no scope) of a grant made by another client can return such a scope; the refresh token was
    # already used up by TPP, so raising here loses the grant.
    result = token_result({'access_token': 'a2', 'refresh_token': 'r2', 'scope': NEWER_SCOPE})
    assert (result['access_token'], result['refresh_token']) == ('a2', 'r2')
    assert result['scope'] == NEWER_SCOPE


def test_verify_accepts_a_scope_the_scope_map_does_not_know(make_client, transport, response):
    transport.queue(response(200, dict(VERIFIED, scope=NEWER_SCOPE)))
    facts = verify(make_client(), 't')
    assert facts['valid'] is True
    assert facts['scope'] == NEWER_SCOPE


# placeholder_error

@pytest.mark.parametrize('name', ['access_token', 'refresh_token'])
def test_the_check_mode_placeholder_is_refused_with_what_to_do(name):
    message = placeholder_error({name: CHECK_MODE_PLACEHOLDER, 'password': 'secret'})
    assert message.startswith("%s is the token module's check-mode placeholder, not a token: " % name)
    assert 'give the task that obtains it `check_mode: false`' in message
    assert 'a `state: absent` task that also has `check_mode: false`' in message
    assert '\n' not in message


@pytest.mark.parametrize('params', [{}, {'access_token': None}, {'access_token': 'KT2EEVTIjWM/37L78dqJAg=='}, {'refresh_token': ''},
                                    {'password': CHECK_MODE_PLACEHOLDER}])
def test_real_or_missing_tokens_are_not_the_placeholder(params):
    assert placeholder_error(params) is None
