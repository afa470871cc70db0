# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client: base URL handling, TLS, timeouts, retries and TPP's error shapes."""

import email.utils
import os
import time

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, ServerFailure, TppError, TransportFailure
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import DEFAULT_RETRIES, DEFAULT_TIMEOUT
from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import normalize_url

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as import_error:  # pragma: no cover - depends on the host
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = import_error

BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 8


class Reply:
    """A TPP answer: HTTP status, reason phrase and decoded JSON body (``{}`` when there is none)."""

    def __init__(self, status, reason, data):
        self.status = status
        self.reason = reason
        self.data = data


class TppClient:
    """Talks to one TPP server's /vedauth and /vedsdk services."""

    def __init__(self, url, validate_certs=True, ca_path=None, timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, warn=None, sleep=time.sleep):
        if not HAS_REQUESTS:
            raise TppError('the Python library requests is required on the host that talks to TPP: pip install requests (%s)' % REQUESTS_IMPORT_ERROR)
        self.url = normalize_url(url)
        if ca_path and not os.path.exists(ca_path):
            raise TppError('ca_path %s does not exist; give the PEM file of the CA that signed the TPP server certificate' % ca_path)
        self.ca_path = ca_path
        self.timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self.retries = retries if retries is not None else DEFAULT_RETRIES
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        # Passed on every request: requests lets REQUESTS_CA_BUNDLE override a Session-level verify.
        self.verify = (ca_path or True) if validate_certs else False
        if not validate_certs:
            self._warn('validate_certs is false: the TPP server certificate is not checked, so tokens and passwords '
                       'can be intercepted; set ca_path to the CA that signed it instead')
        self._session = requests.Session()
        # TPP's clock as its last answer's Date header gave it: (server epoch seconds, local epoch seconds then).
        self._server_clock = None

    def server_now(self):
        """Now in TPP's time: the Date header of its last answer plus the local time elapsed since; the local time before any answer."""
        if self._server_clock is None:
            return time.time()
        server, local = self._server_clock
        return server + (time.time() - local)

    def _note_date(self, response):
        try:
            moment = email.utils.parsedate_to_datetime(response.headers.get('Date') or '')
        except (TypeError, ValueError):
            return
        if moment.tzinfo is not None:
            self._server_clock = (moment.timestamp(), time.time())

    def request(self, method, path, body=None, bearer=None, auth=None, cert=None, safe_to_repeat=True, expect=(200,)):
        """Send ``method`` to ``{url}/{path}`` and return a Reply whose status is in ``expect``; TppError otherwise.

        A request that is ``safe_to_repeat`` is retried with exponential backoff after a transient failure
        (no connection, a timeout, HTTP 429 or 5xx); one that is not (a refresh-token exchange) only when TPP
        cannot have acted on it.
        """
        url = '%s/%s' % (self.url, path.lstrip('/'))
        headers = {'Accept': 'application/json'}
        if bearer:
            headers['Authorization'] = 'Bearer %s' % bearer
        attempts = 1 + max(0, int(self.retries))
        for attempt in range(1, attempts + 1):
            retry_after = None
            try:
                response = self._session.request(method, url, json=body, headers=headers, auth=auth, cert=cert,
                                                 verify=self.verify, timeout=self.timeout)
            except requests.exceptions.RequestException as error:
                failure = _transport_error(error, method, url, self, client_cert=cert)
                what = '%s %s failed (%s)' % (method, url, failure.message)
            except OSError as error:
                # requests checks local files (ca_path, client certificate) itself and raises a bare OSError.
                raise TppError('%s %s failed before reaching TPP: %s' % (method, url, error))
            else:
                self._note_date(response)
                if response.status_code in expect:
                    return Reply(response.status_code, response.reason, _json_body(response))
                failure = error_from_response(response, '%s %s failed' % (method, url))
                what = 'TPP answered HTTP %s %s to %s %s' % (response.status_code, response.reason, method, url)
                retry_after = response.headers.get('Retry-After')
            if attempt < attempts and (failure.transient if safe_to_repeat else failure.unprocessed):
                self._pause(attempt, attempts, what, retry_after)
                continue
            raise failure
        raise AssertionError('unreachable')  # pragma: no cover

    def vedauth(self, method, path, **kwargs):
        """A request to the VEDAuth authorization server."""
        return self.request(method, 'vedauth/' + path.lstrip('/'), **kwargs)

    def vedsdk(self, method, path, **kwargs):
        """A request to the WebSDK."""
        return self.request(method, 'vedsdk/' + path.lstrip('/'), **kwargs)

    def _pause(self, attempt, attempts, what, retry_after):
        delay = min(MAX_BACKOFF_SECONDS, BACKOFF_SECONDS * 2 ** (attempt - 1))
        if retry_after and retry_after.strip().isdigit():
            delay = min(MAX_BACKOFF_SECONDS, max(delay, int(retry_after)))
        self._warn('%s; retrying in %.1f s (attempt %d of %d)' % (what, delay, attempt + 1, attempts))
        self._sleep(delay)


def _transport_error(error, method, url, client, client_cert=None):
    """A TransportFailure in words; a TLS failure is not worth sending again, and only a connect timeout never reached TPP."""
    if isinstance(error, requests.exceptions.SSLError):
        cause = _root_cause(error)
        if client_cert and 'CERTIFICATE_VERIFY_FAILED' not in cause:
            # The server's certificate passed; what failed is most likely TPP refusing the client certificate.
            hint = 'TPP may have refused the client certificate; check that client_cert is issued by a CA that TPP trusts'
        else:
            hint = ('set ca_path to the CA bundle that signed the TPP server certificate' if client.verify is True
                    else 'check that ca_path (%s) holds the CA that signed the TPP server certificate' % client.verify
                    if client.verify else 'the TLS connection failed')
        return TransportFailure('TLS error talking to %s: %s; %s' % (url, cause, hint))
    if isinstance(error, requests.exceptions.Timeout):
        return TransportFailure('%s %s timed out after %s s; raise timeout or check that TPP is reachable' % (method, url, client.timeout),
                                transient=True, unprocessed=isinstance(error, requests.exceptions.ConnectTimeout))
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return TransportFailure('TPP dropped the connection in the middle of its answer to %s %s (%s)' % (method, url, _root_cause(error)),
                                transient=True)
    if isinstance(error, requests.exceptions.ConnectionError):
        return TransportFailure('cannot connect to TPP at %s: %s; check url and that the server is up' % (url, _root_cause(error)), transient=True)
    return TransportFailure('%s %s failed: %s' % (method, url, _root_cause(error)))


def _root_cause(error):
    """The innermost exception of a requests/urllib3 chain (urllib3 keeps it in ``reason``), as one short line."""
    cause, seen = error, set()
    while id(cause) not in seen:
        seen.add(id(cause))
        inner = getattr(cause, 'reason', None)
        if not isinstance(inner, BaseException):
            inner = cause.__cause__ or cause.__context__
        if not isinstance(inner, BaseException):
            break
        cause = inner
    return ' '.join((str(cause) or type(cause).__name__).split())


def _json_body(response):
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {'value': data}


def error_from_response(response, message):
    """A Refused or ServerFailure (5xx, 429) carrying everything TPP said: status, reason phrase, OAuth error body or Error text."""
    data = _json_body(response)
    kind = ServerFailure if response.status_code >= 500 or response.status_code == 429 else Refused
    return kind(message, status=response.status_code, reason=response.reason,
                error=data.get('error') or data.get('Error') or data.get('Message'),
                error_description=data.get('error_description'),
                success=data.get('Success'), result=data.get('Result'))
