# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token cache: expiry decisions, and what each cache mode asks TPP, run after run."""

import json
import multiprocessing
import os
import stat
import subprocess
import sys

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils import _token_cache
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import TokenCache, run_id
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_policy import AUTHORIZE, REFRESH, USE, decide, new_entry
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_renewal import REMEMBERED_RUNS
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore

from .conftest import ACCESS_VALIDITY, GRANT_VALIDITY, KEY, PASSWORD, START, FakeTpp

DAY = 86400


def entry(**overrides):
    values = {'expires': START + 1000, 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'refresh_until': START + 100000,
              'clock_offset': 0, 'lifetime': None}
    values.update(overrides)
    return values


# decide(): the expiry decision, in server time


@pytest.mark.parametrize('now, min_validity, overrides, expected', [
    (START, 0, {}, USE),
    (START + 999, 0, {}, USE),
    (START + 1000, 0, {}, REFRESH),
    (START, 999, {}, USE),
    (START, 1000, {}, REFRESH),
    (START + 500, 600, {}, REFRESH),
    # No refresh token (an integration without refresh): authorize again.
    (START + 1000, 0, {'refresh_token': None}, AUTHORIZE),
    # The grant ends: no refresh within REFRESH_MARGIN of it.
    (START + 99939, 0, {}, REFRESH),
    (START + 99940, 0, {}, AUTHORIZE),
    (START + 200000, 0, {}, AUTHORIZE),
    # A grant that never expires.
    (START + 10 ** 9, 0, {'refresh_until': None}, REFRESH),
    # The server's clock is a day ahead: its expires is a day later in local terms, and the offset says so.
    (START, 0, {'expires': START + DAY + 1000, 'refresh_until': START + DAY + 100000, 'clock_offset': DAY}, USE),
    (START + 1000, 0, {'expires': START + DAY + 1000, 'refresh_until': START + DAY + 100000, 'clock_offset': DAY}, REFRESH),
    # The server's clock is a year behind: its expires looks long past locally, yet the token is good.
    (START, 0, {'expires': START - 365 * DAY + 1000, 'refresh_until': START - 365 * DAY + 100000, 'clock_offset': -365 * DAY}, USE),
    # min_validity is capped at half the token's lifetime, so short-lived tokens are not refreshed on every call.
    (START + 400, 3600, {'lifetime': 1000}, USE),
    (START + 500, 3600, {'lifetime': 1000}, REFRESH),
])
def test_decide(now, min_validity, overrides, expected):
    assert decide(entry(**overrides), now, min_validity) == expected


def test_decide_when_tpp_said_the_access_token_is_dead():
    assert decide(entry(), START, 0, access_dead=True) == REFRESH
    assert decide(entry(refresh_token=None), START, 0, access_dead=True) == AUTHORIZE
    assert decide(entry(), START + 100000, 0, access_dead=True) == AUTHORIZE


def test_new_entry_measures_the_server_clock_offset():
    result = {'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': START + DAY + 7776000,
              'expires_in': 7775999, 'refresh_until': START + DAY + GRANT_VALIDITY, 'scope': 'certificate:manage', 'identity': 'local:{x}'}
    made = new_entry(KEY, 'https://tpp.example.com', 'ansible-automation', result, START, 'run-1')
    assert made['clock_offset'] == DAY + 1
    assert made['lifetime'] == 7775999
    assert made['runs'] == ['run-1']
    assert decide(made, START, 3600) == USE
    assert decide(made, START + 7776000 - 3600, 3600) == REFRESH
    assert sorted(made) == ['access_token', 'ca_path', 'client_id', 'clock_offset', 'expires', 'identity', 'key', 'lifetime', 'obtained_by',
                            'refresh_token', 'refresh_until', 'runs', 'scope', 'url', 'validate_certs', 'version']
    assert (made['obtained_by'], made['ca_path'], made['validate_certs']) == ('run-1', None, True)


def test_new_entry_without_expires_in_takes_the_clocks_as_equal_and_keeps_what_a_refresh_omits():
    previous = {'refresh_until': START + 5000, 'scope': 'ssh', 'identity': 'local:{x}'}
    made = new_entry(KEY, 'u', 'c', {'access_token': 't', 'expires': START + 100}, START, 'r', previous=previous)
    assert (made['clock_offset'], made['lifetime'], made['refresh_token']) == (0, None, None)
    assert (made['refresh_until'], made['scope'], made['identity']) == (START + 5000, 'ssh', 'local:{x}')
    assert new_entry(KEY, 'u', 'c', {'access_token': 't', 'expires_in': 60}, START, 'r')['expires'] == START + 60
    with pytest.raises(TppError, match='without the expiry'):
        new_entry(KEY, 'u', 'c', {'access_token': 't'}, START, 'r')


# run_id(): what makes a playbook run


def _child_run_id(queue):
    queue.put(run_id())


def test_run_id_is_the_parent_process_in_a_worker_and_the_process_itself_otherwise():
    own = run_id()
    assert own.startswith('%d:' % os.getpid())
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    child = context.Process(target=_child_run_id, args=(queue,))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) == own
    if os.path.exists('/proc/self/stat'):
        assert own.split(':')[1].isdigit()


# The cache modes


def test_cache_none_authorizes_on_every_call(make_cache, tpp):
    cache = make_cache('none')
    tokens = [cache.get(KEY, lambda: tpp) for _call in range(3)]
    assert tpp.calls == ['authorize'] * 3
    assert len(set(tokens)) == 3


def test_cache_memory_reuses_within_the_process_then_refreshes(make_cache, tpp, clock, cache_dir):
    cache = make_cache('memory')
    first = cache.get(KEY, lambda: tpp)
    assert cache.get(KEY, lambda: tpp) == first
    assert tpp.calls == ['authorize']
    clock.advance(ACCESS_VALIDITY - 3000)
    second = cache.get(KEY, lambda: tpp)
    assert second != first and tpp.valid(second)
    assert tpp.calls == ['authorize', 'refresh']
    # Another process has its own memory.
    make_cache('memory').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'refresh', 'authorize']
    assert not os.path.exists(cache_dir)


def test_the_backend_is_only_made_when_a_request_is_needed(make_cache, tpp):
    made = []

    def factory():
        made.append(1)
        return tpp

    cache = make_cache('file')
    cache.get(KEY, factory)
    cache.get(KEY, factory)
    make_cache('file').get(KEY, factory)
    assert len(made) == 1


def test_file_cache_first_call_authorizes_and_stores_a_private_entry_without_secrets_of_the_user(make_cache, tpp, cache_dir):
    token = make_cache().get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize']
    assert stat.S_IMODE(os.stat(cache_dir).st_mode) == 0o700
    path = os.path.join(cache_dir, KEY + '.json')
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.join(cache_dir, KEY + '.lock')).st_mode) == 0o600
    assert sorted(os.listdir(cache_dir)) == [KEY + '.json', KEY + '.lock']
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    stored = json.loads(text)
    assert stored['access_token'] == token
    assert stored['refresh_token'] == tpp.grants[0]['refresh_token']
    assert stored['url'] == 'https://tpp.example.com' and stored['client_id'] == 'ansible-automation'
    assert PASSWORD not in text and 'password' not in text


def test_file_cache_is_shared_by_the_processes_of_a_run_and_confirmed_once_per_run(make_cache, tpp):
    token = make_cache(run='run-1').get(KEY, lambda: tpp)
    for _process in range(5):
        assert make_cache(run='run-1').get(KEY, lambda: tpp) == token
    assert tpp.calls == ['authorize']
    # The next playbook run asks TPP once whether the token still works, then trusts it for the rest of the run.
    for _process in range(5):
        assert make_cache(run='run-2').get(KEY, lambda: tpp) == token
    assert tpp.calls == ['authorize', 'verify']
    # Runs that overlap do not take turns verifying.
    make_cache(run='run-3').get(KEY, lambda: tpp)
    make_cache(run='run-2').get(KEY, lambda: tpp)
    make_cache(run='run-3').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'verify', 'verify']


def test_an_entry_remembers_a_bounded_number_of_runs(make_cache, tpp, cache_dir):
    for number in range(REMEMBERED_RUNS + 5):
        make_cache(run='run-%d' % number).get(KEY, lambda: tpp)
    with open(os.path.join(cache_dir, KEY + '.json'), encoding='utf-8') as handle:
        runs = json.load(handle)['runs']
    assert len(runs) == REMEMBERED_RUNS and runs[-1] == 'run-%d' % (REMEMBERED_RUNS + 4)


def test_past_access_token_expiry_the_token_is_refreshed_and_the_rotated_pair_saved(make_cache, tpp, clock, cache_dir):
    first = make_cache(run='run-1').get(KEY, lambda: tpp)
    old_refresh = tpp.grants[0]['refresh_token']
    clock.advance(ACCESS_VALIDITY + DAY)
    second = make_cache(run='run-2').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'refresh']
    assert second != first and tpp.valid(second)
    with open(os.path.join(cache_dir, KEY + '.json'), encoding='utf-8') as handle:
        stored = json.load(handle)
    assert stored['access_token'] == second
    assert stored['refresh_token'] == tpp.grants[0]['refresh_token'] != old_refresh
    assert stored['refresh_until'] == tpp.grants[0]['refresh_until']
    # Other processes use the refreshed token; none refreshes again (the old refresh token no longer works).
    assert make_cache(run='run-2').get(KEY, lambda: tpp) == second
    assert tpp.calls == ['authorize', 'refresh']


def test_an_entry_records_the_run_that_obtained_its_grant_and_a_refresh_keeps_it(make_cache, tpp, clock, cache_dir):
    def stored():
        with open(os.path.join(cache_dir, KEY + '.json'), encoding='utf-8') as handle:
            return json.load(handle)

    make_cache(run='run-1').get(KEY, lambda: tpp)
    assert (stored()['obtained_by'], stored()['ca_path']) == ('run-1', '/etc/pki/tpp-ca.pem')
    clock.advance(ACCESS_VALIDITY + DAY)
    make_cache(run='run-2').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'refresh']
    # The same grant, refreshed: still the one run-1 obtained, which run-2 only reused.
    assert (stored()['obtained_by'], stored()['runs']) == ('run-1', ['run-2'])
    tpp.revoke_all()
    make_cache(run='run-3').get(KEY, lambda: tpp)
    assert stored()['obtained_by'] == 'run-3'


def test_within_min_validity_of_expiry_the_token_is_refreshed(make_cache, tpp, clock):
    make_cache(min_validity=DAY).get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY - DAY - 10)
    make_cache(min_validity=DAY).get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize']
    clock.advance(20)
    make_cache(min_validity=DAY).get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'refresh']


def test_past_grant_expiry_the_lookup_authorizes_again(make_cache, tpp, clock):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    clock.advance(GRANT_VALIDITY + DAY)
    token = make_cache(run='run-2').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'authorize']
    assert tpp.valid(token)


def test_a_grant_revoked_out_of_band_is_replaced_in_the_next_run(make_cache, tpp):
    first = make_cache(run='run-1').get(KEY, lambda: tpp)
    tpp.revoke_all()
    second = make_cache(run='run-2').get(KEY, lambda: tpp)
    # The refresh of a revoked grant is refused; one new authorization follows.
    assert tpp.calls == ['authorize', 'verify', 'refresh', 'authorize']
    assert second != first and tpp.valid(second)
    assert make_cache(run='run-2').get(KEY, lambda: tpp) == second
    assert len(tpp.calls) == 4


def test_a_server_clock_moved_past_expiry_shows_at_the_next_run(make_cache, tpp):
    """The local clock says the token is good, TPP says it expired: the per-run check catches it."""
    make_cache(run='run-1').get(KEY, lambda: tpp)
    tpp.offset += ACCESS_VALIDITY + DAY
    token = make_cache(run='run-2').get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'verify', 'refresh']
    assert tpp.valid(token)


def test_a_server_clock_far_ahead_or_behind_does_not_defeat_the_cache(make_cache, clock):
    for offset in (365 * DAY, -365 * DAY):
        tpp = FakeTpp(clock, offset=offset)
        key = ('%d' % abs(offset)).rjust(64, '0' if offset > 0 else '1')
        token = make_cache(run='r').get(key, lambda tpp=tpp: tpp)
        assert make_cache(run='r').get(key, lambda tpp=tpp: tpp) == token
        assert tpp.calls == ['authorize']
        clock.advance(ACCESS_VALIDITY - 1800)
        make_cache(run='r').get(key, lambda tpp=tpp: tpp)
        assert tpp.calls == ['authorize', 'refresh']


def test_a_refresh_tpp_does_not_answer_keeps_a_still_valid_token_with_a_warning(make_cache, tpp, clock, messages):
    first = make_cache().get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY - 1800)
    tpp.transport_error.add('refresh')
    assert make_cache().get(KEY, lambda: tpp) == first
    assert tpp.calls == ['authorize', 'refresh']
    assert any('could not refresh the cached TPP access token' in message for message in messages['warn'])
    # Once it has expired, the refresh token is not sent again: one authorization replaces the grant.
    clock.advance(3600)
    token = make_cache().get(KEY, lambda: tpp)
    assert tpp.valid(token)
    assert tpp.calls == ['authorize', 'refresh', 'refresh', 'authorize']
    # When TPP cannot be reached at all, that authorization fails with TPP's error.
    clock.advance(ACCESS_VALIDITY)
    tpp.transport_error.add('authorize')
    with pytest.raises(TppError, match='cannot connect'):
        make_cache().get(KEY, lambda: tpp)


def test_a_refresh_answered_with_a_server_error_is_not_repeated_and_a_new_authorization_is_cached(make_cache, tpp, clock, messages):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY + 60)
    tpp.server_error.add('refresh')
    token = make_cache(run='run-2').get(KEY, lambda: tpp)
    assert tpp.valid(token)
    assert tpp.calls == ['authorize', 'refresh', 'authorize']
    assert [message for message in messages['warn'] if 'not sending the refresh token again, authorizing again' in message]
    # The cache holds the new grant: at its expiry, its own refresh token works.
    tpp.server_error.clear()
    clock.advance(ACCESS_VALIDITY + 60)
    assert tpp.valid(make_cache(run='run-3').get(KEY, lambda: tpp))
    assert tpp.calls == ['authorize', 'refresh', 'authorize', 'refresh']


def test_a_verification_tpp_does_not_answer_uses_the_token_with_one_warning(make_cache, tpp, messages):
    token = make_cache(run='run-1').get(KEY, lambda: tpp)
    tpp.transport_error.add('verify')
    assert make_cache(run='run-2').get(KEY, lambda: tpp) == token
    assert make_cache(run='run-2').get(KEY, lambda: tpp) == token
    assert tpp.calls == ['authorize', 'verify']
    assert len([message for message in messages['warn'] if 'authorize/verify' in message]) == 1


def test_a_failed_authorization_is_an_error_and_caches_nothing(make_cache, tpp, cache_dir):
    tpp.transport_error.add('authorize')
    with pytest.raises(TppError):
        make_cache().get(KEY, lambda: tpp)
    assert not os.path.exists(os.path.join(cache_dir, KEY + '.json'))
    tpp.transport_error.clear()
    assert tpp.valid(make_cache().get(KEY, lambda: tpp))


def test_a_rotated_token_that_cannot_be_saved_is_still_used_with_a_warning(make_cache, tpp, clock, messages, monkeypatch):
    make_cache().get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY)

    def full(self, key, entry):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(FileStore, 'write', full)
    token = make_cache().get(KEY, lambda: tpp)
    assert tpp.valid(token)
    assert any('could not save the rotated refresh token' in message for message in messages['warn'])


def test_a_cache_dir_that_cannot_be_used_falls_back_to_memory(make_cache, tpp, tmp_path, messages):
    blocker = tmp_path / 'not-a-directory'
    blocker.write_text('')
    cache = make_cache(cache_dir=str(blocker))
    token = cache.get(KEY, lambda: tpp)
    assert cache.get(KEY, lambda: tpp) == token
    assert tpp.calls == ['authorize']
    assert any('is not a directory; caching in memory only' in message for message in messages['warn'])


def test_a_corrupt_cache_file_is_ignored_with_a_warning_and_replaced(make_cache, tpp, cache_dir, messages):
    make_cache().get(KEY, lambda: tpp)
    path = os.path.join(cache_dir, KEY + '.json')
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('{"access_token": "forged", ')
    token = make_cache().get(KEY, lambda: tpp)
    assert token != 'forged' and tpp.calls == ['authorize', 'authorize']
    assert any('ignoring the token cache file %s: it is not valid JSON' % path in message for message in messages['warn'])
    with open(path, encoding='utf-8') as handle:
        assert json.load(handle)['access_token'] == token
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_cache_file_of_another_user_is_not_trusted(make_cache, tpp, cache_dir, messages, monkeypatch):
    make_cache().get(KEY, lambda: tpp)
    path = os.path.join(cache_dir, KEY + '.json')
    if os.getuid() == 0:
        os.chown(path, 65534, 65534)
    else:
        real_uid = os.getuid()
        monkeypatch.setattr(os, 'fstat', lambda fd, real=os.fstat: _owned_by(real(fd), real_uid + 1))
    token = make_cache().get(KEY, lambda: tpp)
    assert tpp.calls == ['authorize', 'authorize']
    assert any('ignoring the token cache file %s: it belongs to uid' % path in message for message in messages['warn'])
    assert tpp.valid(token)


def _owned_by(info, uid):
    values = list(info)
    values[stat.ST_UID] = uid
    return os.stat_result(values)


def test_messages_never_hold_a_token_or_a_password(make_cache, tpp, clock, messages):
    tokens = [make_cache(run='run-1').get(KEY, lambda: tpp)]
    clock.advance(ACCESS_VALIDITY)
    tokens.append(make_cache(run='run-2').get(KEY, lambda: tpp))
    tpp.revoke_all()
    tokens.append(make_cache(run='run-3').get(KEY, lambda: tpp))
    secrets = set(tokens) | set(grant['refresh_token'] for grant in tpp.grants) | {PASSWORD}
    assert messages['debug']
    for message in messages['debug'] + messages['warn']:
        assert not any(secret in message for secret in secrets)


@pytest.mark.parametrize('kwargs, message', [
    ({'mode': 'disk'}, 'cache must be one of file, memory, none'),
    ({'min_validity': -1}, 'min_validity must be a number of seconds'),
])
def test_bad_cache_options_are_refused(kwargs, message):
    with pytest.raises(TppError, match=message):
        TokenCache(**kwargs)


def test_the_default_memory_layer_is_one_per_process():
    assert TokenCache().memory is _token_cache.MEMORY


FAST_PATH_PROBE = '''
import sys
from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import TokenCache
token = TokenCache(cache_dir=sys.argv[1], run='run-1', clock=lambda: %d).get(%r, lambda: 1 / 0)
print(token)
heavy = ('requests', 'requests_ntlm')
slow = ('_token_renewal', '_tpp_backend', '_client', '_auth')
print(' '.join(sorted(name for name in sys.modules if name in heavy or name.endswith(slow))))
'''


def test_a_cache_hit_in_a_fresh_process_imports_neither_requests_nor_the_code_that_talks_to_tpp(make_cache, tpp, cache_dir):
    """Ansible runs each host's task in a new fork: a hit there must not pay for importing requests, nor compile the renewal."""
    token = make_cache(run='run-1').get(KEY, lambda: tpp)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(_token_cache.__file__))))))
    probe = subprocess.run([sys.executable, '-c', FAST_PATH_PROBE % (START, KEY), cache_dir], capture_output=True, text=True, check=False,
                           env=dict(os.environ, PYTHONPATH=os.pathsep.join([root] + sys.path)))
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.splitlines() == [token, '']
