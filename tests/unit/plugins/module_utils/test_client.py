# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client: base URL, TLS settings per request, retries with backoff, TPP's error shapes."""

import socket

import pytest
import requests

from ansible_collections.venafi_tpp.auth.plugins.module_utils import _client
from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import TppClient, error_from_response
from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import normalize_url
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, ServerFailure, TppError, TransportFailure

VERSION = 'https://tpp.example.com/vedsdk/systemstatus/version'
OAUTH = 'https://tpp.example.com/vedauth/authorize/oauth'
VERIFY = 'https://tpp.example.com/vedauth/authorize/verify'
INSECURE_WARNING = ('validate_certs is false: the TPP server certificate is not checked, so tokens and passwords '
                    'can be intercepted; set ca_path to the CA that signed it instead')


# normalize_url

@pytest.mark.parametrize('url, expected', [
    ('https://tpp.example.com', 'https://tpp.example.com'),
    ('https://tpp.example.com/', 'https://tpp.example.com'),
    ('https://tpp.example.com///', 'https://tpp.example.com'),
    ('https://tpp.example.com/vedsdk', 'https://tpp.example.com'),
    ('https://tpp.example.com/vedauth', 'https://tpp.example.com'),
    ('https://tpp.example.com/vedauth/', 'https://tpp.example.com'),
    ('https://tpp.example.com/VEDSDK/', 'https://tpp.example.com'),
    ('https://tpp.example.com:8443', 'https://tpp.example.com:8443'),
    ('https://tpp.example.com:8443/vedsdk/', 'https://tpp.example.com:8443'),
    ('https://tpp.example.com/tpp', 'https://tpp.example.com/tpp'),
    ('https://tpp.example.com/tpp/vedauth/', 'https://tpp.example.com/tpp'),
    ('tpp.example.com', 'https://tpp.example.com'),
    ('tpp.example.com:8443/vedsdk', 'https://tpp.example.com:8443'),
    ('  https://tpp.example.com/vedsdk  ', 'https://tpp.example.com'),
    ('HTTPS://tpp.example.com', 'https://tpp.example.com'),
    ('https://127.0.0.1:4443', 'https://127.0.0.1:4443'),
])
def test_normalize_url_gives_the_server_base(url, expected):
    assert normalize_url(url) == expected


@pytest.mark.parametrize('url, message', [
    ('http://tpp.example.com', 'url http://tpp.example.com uses http://; TPP tokens must only travel over TLS, use https://tpp.example.com'),
    ('HTTP://tpp.example.com/vedsdk',
     'url HTTP://tpp.example.com/vedsdk uses http://; TPP tokens must only travel over TLS, use https://tpp.example.com/vedsdk'),
    ('ftp://tpp.example.com', 'url ftp://tpp.example.com is not an https:// URL of a TPP server, for example https://tpp.example.com'),
    ('https://', 'url https:// is not an https:// URL of a TPP server, for example https://tpp.example.com'),
    ('', 'url is required: the TPP server, for example https://tpp.example.com; set url or the VENAFI_TPP_URL environment variable'),
    ('   ', 'url is required: the TPP server, for example https://tpp.example.com; set url or the VENAFI_TPP_URL environment variable'),
    (None, 'url is required: the TPP server, for example https://tpp.example.com; set url or the VENAFI_TPP_URL environment variable'),
    (['https://tpp.example.com'], 'url is required: the TPP server, for example https://tpp.example.com; set url or the VENAFI_TPP_URL environment variable'),
    ('https://tpp.example.com/?debug=1',
     'url https://tpp.example.com/?debug=1 must not carry a query or fragment; give the server base, for example https://tpp.example.com'),
    ('https://svc:s3cret@tpp.example.com', 'url must not carry a user name or password; give credentials in their own options'),
    ('http://svc:s3cret@tpp.example.com', 'url must not carry a user name or password; give credentials in their own options'),
    ('https://tpp.example.com:https/vedsdk',
     'url https://tpp.example.com:https/vedsdk has an invalid port; give the server base, for example https://tpp.example.com:8443'),
    ('https://tpp.example.com/vedsdk#top',
     'url https://tpp.example.com/vedsdk#top must not carry a query or fragment; give the server base, for example https://tpp.example.com'),
    # A scheme without its "://" is not a host name called https.
    ('https//tpp.example.com', 'url https//tpp.example.com is not a URL: its scheme lacks "://"; write https://tpp.example.com'),
    ('https:/tpp.example.com/vedsdk', 'url https:/tpp.example.com/vedsdk is not a URL: its scheme lacks "://"; write https://tpp.example.com/vedsdk'),
    ('HTTPS:tpp.example.com', 'url HTTPS:tpp.example.com is not a URL: its scheme lacks "://"; write https://tpp.example.com'),
    ('http//tpp.example.com:8443', 'url http//tpp.example.com:8443 is not a URL: its scheme lacks "://"; write https://tpp.example.com:8443'),
    ('https//svc:s3cret@tpp.example.com', 'url must not carry a user name or password; give credentials in their own options'),
])
def test_normalize_url_refuses_what_is_not_an_https_base(url, message):
    with pytest.raises(TppError) as raised:
        normalize_url(url)
    assert str(raised.value) == message
    assert raised.value.status is None


@pytest.mark.parametrize('url', ['https.example.com', 'httpserver.corp:8443', 'http-proxy.example.com/tpp'])
def test_host_names_that_start_like_a_scheme_are_host_names(url):
    assert normalize_url(url) == 'https://' + url


def test_a_missing_url_names_where_it_can_come_from():
    with pytest.raises(TppError) as raised:
        normalize_url(None, ('url', 'the url of client_json', 'the VENAFI_TPP_URL environment variable'))
    assert str(raised.value) == ('url is required: the TPP server, for example https://tpp.example.com; '
                                 'set url, the url of client_json or the VENAFI_TPP_URL environment variable')


def test_client_refuses_http_before_any_request(transport):
    with pytest.raises(TppError, match='use https://tpp.example.com'):
        TppClient('http://tpp.example.com')
    assert not transport.calls


def test_client_needs_requests(monkeypatch):
    monkeypatch.setattr(_client, 'HAS_REQUESTS', False)
    monkeypatch.setattr(_client, 'REQUESTS_IMPORT_ERROR', ImportError("No module named 'requests'"))
    with pytest.raises(TppError) as raised:
        TppClient('https://tpp.example.com')
    assert str(raised.value) == ("the Python library requests is required on the host that talks to TPP: pip install requests "
                                 "(No module named 'requests')")


# what is sent

def test_request_sends_url_method_body_headers_and_timeout(make_client, transport, response):
    transport.queue(response(200, {'access_token': 'a1'}))
    reply = make_client('https://tpp.example.com/vedsdk/').vedauth('POST', 'authorize/oauth', body={'client_id': 'demo'})
    assert (reply.status, reply.reason, reply.data) == (200, 'OK', {'access_token': 'a1'})
    assert len(transport.calls) == 1
    call = transport.calls[0]
    assert (call.method, call.url) == ('POST', OAUTH)
    assert call.kwargs == {'json': {'client_id': 'demo'}, 'headers': {'Accept': 'application/json'}, 'auth': None, 'cert': None,
                           'verify': True, 'timeout': 30}


def test_bearer_token_path_prefix_and_timeout(make_client, transport, response):
    transport.queue(response(200, {'Version': '24.1.0'}))
    client = make_client('tpp.example.com:8443/tpp/vedauth', timeout=7)
    reply = client.vedsdk('GET', 'SystemStatus/Version', bearer='tok-1')
    assert reply.data == {'Version': '24.1.0'}
    call = transport.calls[0]
    assert call.url == 'https://tpp.example.com:8443/tpp/vedsdk/SystemStatus/Version'
    assert call.headers == {'Accept': 'application/json', 'Authorization': 'Bearer tok-1'}
    assert call.body is None
    assert call.kwargs['timeout'] == 7


def test_leading_slash_of_the_path_is_dropped(make_client, transport, response):
    transport.queue(response(200, {}))
    make_client().request('GET', '/vedsdk/SystemStatus/Version')
    assert transport.calls[0].url == 'https://tpp.example.com/vedsdk/SystemStatus/Version'


def test_none_timeout_and_retries_mean_the_defaults(make_client):
    client = make_client(timeout=None, retries=None)
    assert (client.timeout, client.retries) == (30, 3)


@pytest.mark.parametrize('body, data', [
    (b'', {}),
    (b'<html>ok</html>', {}),
    (b'[1, 2]', {'value': [1, 2]}),
    (b'{"Success": true}', {'Success': True}),
])
def test_reply_data_is_always_a_dict(make_client, transport, response, body, data):
    transport.queue(response(200, body))
    assert make_client().request('GET', 'vedsdk/x').data == data


def test_expected_non_200_status_is_returned_not_raised_nor_retried(make_client, transport, response, sleeps):
    transport.queue(response(401, {'error': 'invalid_token'}))
    reply = make_client().vedauth('GET', 'authorize/verify', bearer='t', expect=(200, 401))
    assert (reply.status, reply.data) == (401, {'error': 'invalid_token'})
    assert len(transport.calls) == 1 and not sleeps


# TLS

def test_certificates_are_verified_by_default_without_warning(make_client, transport, response, warnings):
    transport.queue(response(200, {}))
    client = make_client()
    client.request('GET', 'vedsdk/x')
    assert client.verify is True
    assert transport.calls[0].kwargs['verify'] is True
    assert not warnings


def test_validate_certs_false_warns_once_and_sends_verify_false(make_client, transport, response, warnings, ca_file):
    transport.queue(response(200, {}), response(200, {}))
    client = make_client(validate_certs=False, ca_path=ca_file)
    client.request('GET', 'vedsdk/x')
    client.request('GET', 'vedsdk/y')
    assert warnings == [INSECURE_WARNING]
    assert [call.kwargs['verify'] for call in transport.calls] == [False, False]


def test_ca_path_is_passed_on_every_request(make_client, transport, response, monkeypatch, ca_file):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt')
    monkeypatch.setenv('CURL_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt')
    ca_path = ca_file
    transport.queue(response(200, {}), response(200, {}))
    client = make_client(ca_path=ca_path)
    client.request('GET', 'vedsdk/x')
    client.request('POST', 'vedauth/authorize/oauth', body={})
    assert [call.kwargs['verify'] for call in transport.calls] == [ca_path, ca_path]


def _capture_send(monkeypatch, response):
    """Stub requests.Session.send, below the environment merge of Session.request; return what it received."""
    sent = []

    def send(session, prepared, **kwargs):  # pylint: disable=unused-argument
        sent.append(kwargs)
        return response(200, {})

    monkeypatch.setattr(requests.Session, 'send', send)
    return sent


def test_requests_ca_bundle_does_not_override_ca_path(make_client, response, monkeypatch, ca_file):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt')
    monkeypatch.setenv('CURL_CA_BUNDLE', '/etc/ssl/certs/ca-certificates.crt')
    sent = _capture_send(monkeypatch, response)
    ca_path = ca_file
    make_client(ca_path=ca_path).request('GET', 'vedsdk/x')
    make_client(validate_certs=False).request('GET', 'vedsdk/x')
    # Without ca_path, requests' own environment handling applies (this is what makes the first assertion meaningful).
    make_client().request('GET', 'vedsdk/x')
    assert [kwargs['verify'] for kwargs in sent] == [ca_path, False, '/etc/ssl/certs/ca-certificates.crt']


# retries

def _failure(kind, response):
    if isinstance(kind, int):
        return response(kind, {'error': 'busy'} if kind == 429 else None)
    return kind('simulated %s' % kind.__name__)


@pytest.mark.parametrize('kind', [requests.exceptions.ConnectionError, requests.exceptions.ReadTimeout,
                                  requests.exceptions.ConnectTimeout, requests.exceptions.ChunkedEncodingError, 429, 500, 502, 503, 504])
def test_safe_request_is_retried_with_backoff_then_succeeds(make_client, transport, response, warnings, sleeps, kind):
    transport.queue(_failure(kind, response), _failure(kind, response), response(200, {'Version': '24.1'}))
    reply = make_client().vedsdk('GET', 'systemstatus/version')
    assert reply.data == {'Version': '24.1'}
    assert len(transport.calls) == 3
    assert [call.url for call in transport.calls] == [VERSION] * 3
    assert sleeps == [0.5, 1]
    assert len(warnings) == 2
    assert all(VERSION in warning for warning in warnings)
    assert warnings[0].endswith('retrying in 0.5 s (attempt 2 of 4)')
    assert warnings[1].endswith('retrying in 1.0 s (attempt 3 of 4)')


def test_retry_warning_for_a_status_names_status_url_and_attempt(make_client, transport, response, warnings):
    transport.queue(response(503), response(200, {}))
    make_client().vedsdk('GET', 'systemstatus/version')
    assert warnings == ['TPP answered HTTP 503 Service Unavailable to GET %s; retrying in 0.5 s (attempt 2 of 4)' % VERSION]


def test_retry_warning_for_a_transport_error_names_url_cause_and_attempt(make_client, transport, response, warnings):
    transport.queue(requests.exceptions.ConnectionError('Connection reset by peer'), response(200, {}))
    make_client().vedsdk('GET', 'systemstatus/version')
    assert warnings == ['GET %s failed (cannot connect to TPP at %s: Connection reset by peer; check url and that the server is up); '
                        'retrying in 0.5 s (attempt 2 of 4)' % (VERSION, VERSION)]


def test_backoff_doubles_and_is_capped_at_8_seconds(make_client, transport, response, sleeps):
    transport.queue(*[response(500) for dummy in range(7)])
    with pytest.raises(TppError) as raised:
        make_client(retries=6).request('GET', 'vedsdk/x')
    assert sleeps == [0.5, 1, 2, 4, 8, 8]
    assert len(transport.calls) == 7
    assert raised.value.status == 500


@pytest.mark.parametrize('retry_after, delay', [('3', 3), ('120', 8), ('0', 0.5), (' 2 ', 2),
                                                ('Wed, 21 Oct 2015 07:28:00 GMT', 0.5), ('-1', 0.5)])
def test_retry_after_is_honoured_and_capped(make_client, transport, response, sleeps, warnings, retry_after, delay):
    transport.queue(response(429, headers={'Retry-After': retry_after}), response(200, {}))
    make_client().request('GET', 'vedsdk/x')
    assert sleeps == [delay]
    assert warnings[0].endswith('retrying in %.1f s (attempt 2 of 4)' % delay)


def test_exhausted_retries_raise_tpp_error_with_status_and_reason(make_client, transport, response, sleeps):
    transport.queue(response(503), response(503), response(503))
    with pytest.raises(TppError) as raised:
        make_client(retries=2).vedsdk('GET', 'systemstatus/version')
    assert str(raised.value) == 'GET %s failed (HTTP 503 Service Unavailable)' % VERSION
    assert (raised.value.status, raised.value.reason) == (503, 'Service Unavailable')
    assert len(transport.calls) == 3
    assert sleeps == [0.5, 1]


def test_exhausted_retries_after_transport_errors_raise_the_last_one(make_client, transport, sleeps):
    transport.queue(*[requests.exceptions.ConnectionError('Connection refused') for dummy in range(4)])
    with pytest.raises(TppError) as raised:
        make_client().vedsdk('GET', 'systemstatus/version')
    assert str(raised.value) == 'cannot connect to TPP at %s: Connection refused; check url and that the server is up' % VERSION
    assert raised.value.status is None
    assert len(transport.calls) == 4
    assert sleeps == [0.5, 1, 2]


@pytest.mark.parametrize('safe_to_repeat', [True, False])
def test_tls_errors_are_never_retried(make_client, transport, sleeps, warnings, safe_to_repeat):
    transport.queue(requests.exceptions.SSLError('certificate verify failed: unable to get local issuer certificate'))
    with pytest.raises(TppError) as raised:
        make_client().request('POST', 'vedauth/authorize/oauth', body={}, safe_to_repeat=safe_to_repeat)
    assert str(raised.value) == ('TLS error talking to %s: certificate verify failed: unable to get local issuer certificate; '
                                 'set ca_path to the CA bundle that signed the TPP server certificate' % OAUTH)
    assert len(transport.calls) == 1
    assert not sleeps and not warnings


def test_tls_error_with_ca_path_names_the_ca_path(make_client, transport, ca_file):
    transport.queue(requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(TppError) as raised:
        make_client(ca_path=ca_file).request('GET', 'vedsdk/x')
    assert str(raised.value) == ('TLS error talking to https://tpp.example.com/vedsdk/x: certificate verify failed; '
                                 'check that ca_path (%s) holds the CA that signed the TPP server certificate' % ca_file)


def test_tls_error_with_a_client_certificate_points_at_the_client_certificate(make_client, transport, ca_file):
    transport.queue(requests.exceptions.SSLError('EOF occurred in violation of protocol (_ssl.c:2427)'))
    with pytest.raises(TppError) as raised:
        make_client(ca_path=ca_file).request('POST', 'vedauth/authorize/certificate', cert=('c.pem', 'c.key'))
    assert str(raised.value) == ('TLS error talking to https://tpp.example.com/vedauth/authorize/certificate: EOF occurred in violation '
                                 'of protocol (_ssl.c:2427); TPP may have refused the client certificate; check that client_cert is '
                                 'issued by a CA that TPP trusts')


def test_tls_error_verifying_the_server_with_a_client_certificate_still_names_the_ca_path(make_client, transport, ca_file):
    transport.queue(requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed'))
    with pytest.raises(TppError) as raised:
        make_client(ca_path=ca_file).request('POST', 'vedauth/authorize/certificate', cert='c.pem')
    assert str(raised.value).endswith('check that ca_path (%s) holds the CA that signed the TPP server certificate' % ca_file)


def test_tls_error_without_verification(make_client, transport):
    transport.queue(requests.exceptions.SSLError('wrong version number'))
    with pytest.raises(TppError) as raised:
        make_client(validate_certs=False).request('GET', 'vedsdk/x')
    assert str(raised.value) == 'TLS error talking to https://tpp.example.com/vedsdk/x: wrong version number; the TLS connection failed'


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409])
def test_client_errors_are_never_retried(make_client, transport, response, sleeps, status):
    transport.queue(response(status, {'error': 'invalid_request'}))
    with pytest.raises(TppError) as raised:
        make_client().request('GET', 'vedsdk/x')
    assert raised.value.status == status
    assert len(transport.calls) == 1 and not sleeps


def test_other_request_exceptions_are_not_retried(make_client, transport, sleeps):
    transport.queue(requests.exceptions.InvalidURL('Failed to parse: https://tpp.example.com:abc'))
    with pytest.raises(TppError) as raised:
        make_client().request('GET', 'vedsdk/x')
    assert str(raised.value) == 'GET https://tpp.example.com/vedsdk/x failed: Failed to parse: https://tpp.example.com:abc'
    assert len(transport.calls) == 1 and not sleeps


@pytest.mark.parametrize('kind', [429, 503, requests.exceptions.ConnectTimeout])
def test_unsafe_request_is_retried_only_when_tpp_cannot_have_acted(make_client, transport, response, sleeps, kind):
    transport.queue(_failure(kind, response), response(200, {'access_token': 'new'}))
    reply = make_client().vedauth('POST', 'authorize/token', body={'refresh_token': 'r1'}, safe_to_repeat=False)
    assert reply.data == {'access_token': 'new'}
    assert len(transport.calls) == 2
    assert sleeps == [0.5]


@pytest.mark.parametrize('kind', [500, 502, 504, requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError,
                                  requests.exceptions.ChunkedEncodingError])
def test_unsafe_request_is_never_repeated_when_tpp_may_have_acted(make_client, transport, response, sleeps, warnings, kind):
    transport.queue(_failure(kind, response), response(200, {'access_token': 'new'}))
    with pytest.raises(TppError):
        make_client().vedauth('POST', 'authorize/token', body={'refresh_token': 'r1'}, safe_to_repeat=False)
    assert len(transport.calls) == 1
    assert not sleeps and not warnings


@pytest.mark.parametrize('retries', [0, -2])
def test_retries_zero_means_one_attempt(make_client, transport, response, sleeps, warnings, retries):
    transport.queue(response(503), response(200, {}))
    with pytest.raises(TppError) as raised:
        make_client(retries=retries).request('GET', 'vedsdk/x')
    assert raised.value.status == 503
    assert len(transport.calls) == 1
    assert not sleeps and not warnings


# TPP's error shapes, one line each

def _fail_with(make_client, transport, answer, method='POST', path='vedauth/authorize/oauth'):
    transport.queue(answer)
    with pytest.raises(TppError) as raised:
        make_client(retries=0).request(method, path, body={})
    assert '\n' not in str(raised.value)
    return raised.value


def test_oauth_error_body(make_client, transport, response):
    error = _fail_with(make_client, transport, response(400, {'error': 'invalid_grant', 'error_description': 'Username or password is incorrect'}))
    assert str(error) == 'POST %s failed (HTTP 400 Bad Request; invalid_grant: Username or password is incorrect)' % OAUTH
    assert (error.status, error.reason, error.error, error.error_description) == (
        400, 'Bad Request', 'invalid_grant', 'Username or password is incorrect')


def test_message_only_in_the_reason_phrase(make_client, transport, response):
    reason = 'Grant has been revoked, has expired, or the refresh token is invalid'
    error = _fail_with(make_client, transport, response(400, reason=reason), path='vedauth/authorize/token')
    assert str(error) == ('POST https://tpp.example.com/vedauth/authorize/token failed '
                          '(HTTP 400 Grant has been revoked, has expired, or the refresh token is invalid)')
    assert (error.status, error.reason, error.error) == (400, reason, None)


def test_403_reason_phrase_with_empty_body(make_client, transport, response):
    error = _fail_with(make_client, transport, response(403, reason='Failed to issue grant: User is not authorized for the requested scope'))
    assert str(error) == 'POST %s failed (HTTP 403 Failed to issue grant: User is not authorized for the requested scope)' % OAUTH
    assert error.status == 403


def test_401_invalid_token(make_client, transport, response):
    body = {'error': 'invalid_token', 'error_description': 'The access token provided is expired, revoked, malformed, or invalid for other reasons'}
    error = _fail_with(make_client, transport, response(401, body), method='GET', path='vedsdk/certificates/')
    assert str(error) == ('GET https://tpp.example.com/vedsdk/certificates/ failed (HTTP 401 Unauthorized; invalid_token: '
                          'The access token provided is expired, revoked, malformed, or invalid for other reasons)')


def test_403_insufficient_scope_with_dotnet_escaped_slashes(make_client, transport, response):
    body = (b'{"error":"insufficient_scope","error_description":"Grant rejected scope \'certificate:delete\'. Call POST Authorize\\/OAuth '
            b'with the correct scope and restriction. Update the header with the new token and retry."}')
    error = _fail_with(make_client, transport, response(403, body), path='vedsdk/certificates/reset')
    assert str(error) == ("POST https://tpp.example.com/vedsdk/certificates/reset failed (HTTP 403 Forbidden; insufficient_scope: "
                          "Grant rejected scope 'certificate:delete'. Call POST Authorize/OAuth with the correct scope and restriction. "
                          "Update the header with the new token and retry.)")
    assert error.error == 'insufficient_scope'


def test_non_json_body(make_client, transport, response):
    error = _fail_with(make_client, transport, response(502, '<html><body><h1>502 Bad Gateway</h1>\n</body></html>'), method='GET', path='vedsdk/x')
    assert str(error) == 'GET https://tpp.example.com/vedsdk/x failed (HTTP 502 Bad Gateway)'
    assert (error.error, error.error_description) == (None, None)


def test_websdk_message_body(make_client, transport, response):
    error = _fail_with(make_client, transport, response(500, {'Message': 'An error has occurred.'}), method='GET', path='vedsdk/x')
    assert str(error) == 'GET https://tpp.example.com/vedsdk/x failed (HTTP 500 Internal Server Error; An error has occurred.)'


def test_websdk_envelope_error_from_response(response):
    reply = response(200, {'Success': False, 'Result': 19, 'Error': 'Application already exists'})
    error = error_from_response(reply, 'could not register API integration tpp-demo')
    assert str(error) == 'could not register API integration tpp-demo (HTTP 200 OK; Application already exists; Result 19)'
    assert (error.status, error.success, error.result, error.error) == (200, False, 19, 'Application already exists')


def test_websdk_envelope_without_error_text(response):
    error = error_from_response(response(200, {'Success': False, 'Result': 2}), 'integration demo not deleted')
    assert str(error) == 'integration demo not deleted (HTTP 200 OK; Result 2)'


@pytest.mark.parametrize('status, kind', [(200, Refused), (400, Refused), (401, Refused), (404, Refused), (429, ServerFailure),
                                          (500, ServerFailure), (503, ServerFailure)])
def test_an_answer_is_a_refusal_or_a_server_failure(response, status, kind):
    assert isinstance(error_from_response(response(status), 'x'), kind)


@pytest.mark.parametrize('exception, transient, unprocessed', [
    (requests.exceptions.ConnectTimeout('x'), True, True),
    (requests.exceptions.ReadTimeout('x'), True, False),
    (requests.exceptions.ConnectionError('x'), True, False),
    (requests.exceptions.ChunkedEncodingError('x'), True, False),
    (requests.exceptions.SSLError('x'), False, False),
    (requests.exceptions.InvalidURL('x'), False, False),
])
def test_no_answer_is_a_transport_failure(make_client, transport, exception, transient, unprocessed):
    transport.queue(exception)
    with pytest.raises(TransportFailure) as raised:
        make_client(retries=0).vedsdk('GET', 'systemstatus/version')
    assert (raised.value.transient, raised.value.unprocessed) == (transient, unprocessed)


def test_timeout_names_url_and_timeout(make_client, transport):
    transport.queue(requests.exceptions.ReadTimeout('HTTPSConnectionPool: Read timed out. (read timeout=7)'))
    with pytest.raises(TppError) as raised:
        make_client(timeout=7, retries=0).vedauth('GET', 'authorize/verify', bearer='t')
    assert str(raised.value) == 'GET %s timed out after 7 s; raise timeout or check that TPP is reachable' % VERIFY
    assert raised.value.status is None


def _closed_loopback_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def test_connection_refused_names_url_and_root_cause(make_client, monkeypatch):
    # No stub: requests really connects to a closed loopback port and raises its ConnectionError chain
    # (ConnectionError -> MaxRetryError -> NewConnectionError -> ConnectionRefusedError); the message keeps only the root cause.
    for name in ('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy'):
        monkeypatch.delenv(name, raising=False)
    url = 'https://127.0.0.1:%d' % _closed_loopback_port()
    with pytest.raises(TppError) as raised:
        make_client(url, retries=0).vedauth('POST', 'authorize/oauth', body={})
    assert str(raised.value) == ('cannot connect to TPP at %s/vedauth/authorize/oauth: [Errno 111] Connection refused; '
                                 'check url and that the server is up' % url)


def test_multi_line_transport_cause_becomes_one_line(make_client, transport):
    transport.queue(requests.exceptions.ConnectionError('Connection aborted.\n  RemoteDisconnected'))
    with pytest.raises(TppError) as raised:
        make_client(retries=0).request('GET', 'vedsdk/x')
    assert str(raised.value) == ('cannot connect to TPP at https://tpp.example.com/vedsdk/x: Connection aborted. RemoteDisconnected; '
                                 'check url and that the server is up')


def test_missing_ca_path_file_is_refused_before_any_request(make_client, transport, tmp_path):
    missing = str(tmp_path / 'no-such-ca.pem')
    with pytest.raises(TppError) as raised:
        make_client(ca_path=missing).request('GET', 'vedsdk/x')
    assert str(raised.value) == 'ca_path %s does not exist; give the PEM file of the CA that signed the TPP server certificate' % missing
    assert not transport.calls


def test_ca_path_that_vanishes_is_a_tpp_error_not_an_oserror(make_client, tmp_path):
    # No stub: requests itself raises a bare OSError ("Could not find a suitable TLS CA certificate bundle") before connecting.
    ca_path = tmp_path / 'ca.pem'
    ca_path.write_text('placeholder')
    client = make_client('https://127.0.0.1:9', ca_path=str(ca_path), retries=0)
    ca_path.unlink()
    with pytest.raises(TppError) as raised:
        client.request('GET', 'vedsdk/x')
    assert str(raised.value).startswith('GET https://127.0.0.1:9/vedsdk/x failed before reaching TPP: ')
    assert str(ca_path) in str(raised.value)


def test_local_file_errors_from_requests_are_not_retried(make_client, transport, sleeps):
    transport.queue(OSError('Could not find the TLS certificate file, invalid path: /etc/tpp/client.pem'))
    with pytest.raises(TppError) as raised:
        make_client().request('POST', 'vedauth/authorize/certificate', body={})
    assert str(raised.value) == ('POST https://tpp.example.com/vedauth/authorize/certificate failed before reaching TPP: '
                                 'Could not find the TLS certificate file, invalid path: /etc/tpp/client.pem')
    assert len(transport.calls) == 1 and not sleeps


def test_non_string_error_field_still_renders_one_line(response):
    # A JSON error object, as some proxies and gateways send, must not break str().
    error = error_from_response(response(502, {'error': {'code': 502, 'message': 'upstream connect error'}}), 'GET x failed')
    assert str(error).startswith('GET x failed (HTTP 502 Bad Gateway; ')
    assert 'upstream connect error' in str(error)


def test_description_equal_to_the_reason_phrase_is_said_once(make_client, transport, response):
    reason = 'Grant has been revoked, has expired, or the refresh token is invalid'
    error = _fail_with(make_client, transport, response(400, {'error': 'invalid_grant', 'error_description': reason}, reason=reason),
                       path='vedauth/authorize/token')
    assert str(error) == ('POST https://tpp.example.com/vedauth/authorize/token failed '
                          '(HTTP 400 Grant has been revoked, has expired, or the refresh token is invalid; invalid_grant)')


def test_dropped_answer_is_named_as_such(make_client, transport):
    transport.queue(requests.exceptions.ChunkedEncodingError('IncompleteRead(42 bytes read, 42 more expected)'))
    with pytest.raises(TppError) as raised:
        make_client(retries=0).vedauth('GET', 'authorize/verify')
    assert str(raised.value) == ('TPP dropped the connection in the middle of its answer to GET %s/vedauth/authorize/verify '
                                 '(IncompleteRead(42 bytes read, 42 more expected))' % 'https://tpp.example.com')
