# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the token cache tests: a settable clock and a small in-memory TPP with single-use refresh tokens."""

import base64
import os

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, ServerFailure, TransportFailure
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import TokenCache
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import MemoryStore

START = 1700000000
ACCESS_VALIDITY = 7776000
GRANT_VALIDITY = 31536000
KEY = 'a' * 64
PASSWORD = 'svc-pass-1'
GRANT_REFUSED = 'Grant has been revoked, has expired, or the refresh token is invalid'


class Clock:
    """Local time, moved by the tests."""

    def __init__(self, now=START):
        self.now = float(now)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


def new_token():
    return base64.b64encode(os.urandom(16)).decode()


class FakeTpp:
    """Authorize, refresh and verify as VEDAuth does them, on a server clock ``offset`` seconds from the local one.

    Refresh tokens work once and rotate both tokens; a grant dies at ``refresh_until`` or when revoked.
    ``calls`` lists what was asked, in order. ``transport_error`` makes the named call fail without an answer,
    ``server_error`` with an HTTP 500.
    """

    url = 'https://tpp.example.com'
    client_id = 'ansible-automation'
    tls = {'ca_path': '/etc/pki/tpp-ca.pem', 'validate_certs': True}

    def __init__(self, clock, offset=0, access_validity=ACCESS_VALIDITY, grant_validity=GRANT_VALIDITY):
        self.clock = clock
        self.offset = offset
        self.access_validity = access_validity
        self.grant_validity = grant_validity
        self.calls = []
        self.grants = []
        self.transport_error = set()
        self.server_error = set()

    def server_now(self):
        return self.clock() + self.offset

    def _issue(self, grant):
        now = int(self.server_now())
        grant.update(access_token=new_token(), refresh_token=new_token(), expires=now + self.access_validity)
        return {'access_token': grant['access_token'], 'refresh_token': grant['refresh_token'], 'expires': grant['expires'],
                'expires_in': self.access_validity - 1, 'refresh_until': grant['refresh_until'], 'scope': 'certificate:manage',
                'identity': 'local:{0bd7fb40-2f7c-5a5e-8b49-1bd5d3bc3e34}', 'token_type': 'Bearer'}

    def _fail(self, call):
        if call in self.transport_error:
            raise TransportFailure('cannot connect to TPP at %s: connection refused' % self.url, transient=True)
        if call in self.server_error:
            raise ServerFailure('POST %s failed' % self.url, status=500, reason='Internal Server Error', error='server_error')

    def authorize(self):
        self.calls.append('authorize')
        self._fail('authorize')
        grant = {'refresh_until': int(self.server_now()) + self.grant_validity, 'revoked': False}
        self.grants.append(grant)
        return self._issue(grant)

    def refresh(self, refresh_token):
        self.calls.append('refresh')
        self._fail('refresh')
        for grant in self.grants:
            if grant['refresh_token'] == refresh_token and self.alive(grant):
                return self._issue(grant)
        raise Refused('TPP refused the refresh authorization for client_id %s' % self.client_id, status=400, reason=GRANT_REFUSED,
                      error='invalid_grant', error_description=GRANT_REFUSED)

    def verify(self, access_token):
        self.calls.append('verify')
        self._fail('verify')
        return any(grant['access_token'] == access_token and self.alive(grant) and self.server_now() < grant['expires']
                   for grant in self.grants)

    def revoke(self, access_token):
        """revoke/token: True when it ended a live grant, False for a token TPP no longer accepts."""
        self.calls.append('revoke')
        self._fail('revoke')
        for grant in self.grants:
            if grant['access_token'] == access_token and self.alive(grant) and self.server_now() < grant['expires']:
                grant['revoked'] = True
                return True
        return False

    def alive(self, grant):
        return not grant['revoked'] and self.server_now() < grant['refresh_until']

    def revoke_all(self):
        for grant in self.grants:
            grant['revoked'] = True

    def valid(self, access_token):
        """Whether TPP accepts the token, without counting a call."""
        return any(grant['access_token'] == access_token and self.alive(grant) and self.server_now() < grant['expires']
                   for grant in self.grants)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def tpp(clock):  # pylint: disable=redefined-outer-name
    return FakeTpp(clock)


@pytest.fixture
def messages():
    """What the cache warned (``warn``) and logged (``debug``)."""
    return {'warn': [], 'debug': []}


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / 'cache' / 'venafi_tpp.auth')


@pytest.fixture
def make_cache(clock, messages, cache_dir):  # pylint: disable=redefined-outer-name
    """TokenCache factory; each call is a new process of the given run, with memory of its own."""
    def factory(mode='file', run='run-1', **kwargs):
        kwargs.setdefault('cache_dir', cache_dir)
        kwargs.setdefault('min_validity', 3600)
        return TokenCache(mode=mode, warn=messages['warn'].append, debug=messages['debug'].append, clock=clock, run=run,
                          memory=MemoryStore(), **kwargs)

    return factory
