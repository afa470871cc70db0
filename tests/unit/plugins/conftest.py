# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the plugins' unit tests: a scripted stand-in for requests.Session.request, and clients on it.

Tests queue real ``requests.Response`` objects (or real requests exceptions) on ``transport``; every
call the client makes is recorded with its keyword arguments, and a request nobody queued an answer
for fails the test. ``run_module`` runs a module's main() in the test process, with its arguments as Ansible passes them.
"""

import json
import os
from unittest import mock

import pytest
import requests
from ansible.module_utils import basic

from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import TppClient
from ansible_collections.venafi_tpp.auth.plugins.module_utils._oauth import OAuthApi

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    import contextlib

    @contextlib.contextmanager
    def patch_module_args(args=None):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode()):
            yield


TPP_URL = 'https://tpp.example.com'
OAUTH = TPP_URL + '/vedsdk/oauth/'
OK = {'Success': True, 'Result': 0}
# Identities and a scope of the TPP records below.
JDOE = 'local:{5be5a591-c842-4520-9142-b455f4ad2286}'
SVC = 'local:{198c2d48-9e79-4f10-b871-e2f109476032}'
TEAM = 'local:{0c1f7c1e-3b7a-4a57-9d6e-2f2b8c0b9a11}'
SCOPE = 'certificate:discover,manage'
REASONS = {200: 'OK', 202: 'Accepted', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
           429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable'}


def build_response(status, body=None, reason=None, headers=None):
    """A real requests.Response: ``body`` is a dict/list (sent as JSON), str, bytes or None (empty)."""
    response = requests.Response()
    response.status_code = status
    response.reason = REASONS.get(status, '') if reason is None else reason
    if body is None:
        response._content = b''
    elif isinstance(body, bytes):
        response._content = body
    elif isinstance(body, str):
        response._content = body.encode('utf-8')
    else:
        response._content = json.dumps(body).encode('utf-8')
        response.headers['Content-Type'] = 'application/json; charset=utf-8'
    response.headers.update(headers or {})
    response.encoding = 'utf-8'
    return response


def app(**fields):
    """An application (API integration) as GetApplication returns it."""
    record = {'ID': 'acme', 'Name': 'Acme', 'Description': 'Acme automation', 'Vendor': 'Acme, Inc.', 'Url': '', 'Scope': SCOPE,
              'MaximumScope': SCOPE, 'AccessValidity': None, 'GrantValidity': None, 'Renewable': None, 'UnusedExpiration': None,
              'GrantCount': 2, 'UserCount': 1}
    record.update(fields)
    return record


def rule(trustee, scope=SCOPE, **fields):
    """A rule as GetRules returns it."""
    record = {'ApplicationId': 'acme', 'TrusteePrefixedUniversal': trustee, 'Description': 'by hand', 'MaximumScope': scope,
              'AccessValidity': None, 'GrantValidity': None, 'Renewable': None}
    record.update(fields)
    return record


class Call:
    """One request the client sent."""

    def __init__(self, method, url, kwargs):
        self.method = method
        self.url = url
        self.kwargs = kwargs

    @property
    def body(self):
        return self.kwargs.get('json')

    @property
    def headers(self):
        return self.kwargs.get('headers')


class Transport:
    """Answers requests.Session.request from a queue and records every call."""

    def __init__(self):
        self.answers = []
        self.calls = []

    def queue(self, *answers):
        self.answers.extend(answers)

    def request(self, method, url, **kwargs):
        self.calls.append(Call(method, url, kwargs))
        if not self.answers:
            raise AssertionError('unexpected request %s %s: no answer queued' % (method, url))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


@pytest.fixture
def response():
    return build_response


@pytest.fixture
def transport(monkeypatch):
    fake = Transport()

    def session_request(session, method, url, **kwargs):  # pylint: disable=unused-argument
        return fake.request(method, url, **kwargs)

    monkeypatch.setattr(requests.Session, 'request', session_request)
    return fake


@pytest.fixture
def warnings():
    """The messages given to the client's warn callback."""
    return []


@pytest.fixture
def sleeps():
    """The delays the client asked to sleep."""
    return []


@pytest.fixture
def make_client(warnings, sleeps):  # pylint: disable=redefined-outer-name
    """TppClient factory that records warnings and never really sleeps."""

    def factory(url=TPP_URL, **kwargs):
        kwargs.setdefault('warn', warnings.append)
        kwargs.setdefault('sleep', sleeps.append)
        return TppClient(url, **kwargs)

    return factory


@pytest.fixture
def make_api(make_client):  # pylint: disable=redefined-outer-name
    """OAuthApi factory: the grant-management API with the access token ``token`` on a client from make_client."""

    def factory(access_token='token', **kwargs):
        return OAuthApi(make_client(**kwargs), access_token)

    return factory


@pytest.fixture
def ca_file(tmp_path):
    """An existing file to give as ca_path (the client checks that it exists)."""
    path = tmp_path / 'tpp-ca.pem'
    path.write_text('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n')
    return str(path)


class ModuleExit(Exception):
    """What exit_json or fail_json was called with."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def _exit_json(module, **result):  # pylint: disable=unused-argument
    raise ModuleExit(result)


def _fail_json(module, msg, **result):  # pylint: disable=unused-argument
    raise ModuleExit(dict(result, failed=True, msg=msg))


@pytest.fixture
def run_module(monkeypatch):
    """Run ``module.main()`` with ``args`` (plus check and diff mode) and return its result; ``failed`` is set when it failed."""
    for name in list(os.environ):
        if name.startswith('VENAFI_TPP_'):
            monkeypatch.delenv(name)

    def runner(module, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(args), mock.patch.object(basic.AnsibleModule, 'exit_json', _exit_json), \
                mock.patch.object(basic.AnsibleModule, 'fail_json', _fail_json):
            with pytest.raises(ModuleExit) as finished:
                module.main()
        return finished.value.result

    return runner
