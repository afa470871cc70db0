# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lock protocol: processes (Ansible's forks, concurrent runs) and threads that start together send one request."""

import json
import multiprocessing
import os
import signal
import threading
import time

import pytest

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import TokenCache
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore, MemoryStore

from .conftest import ACCESS_VALIDITY, KEY, START, new_token

PROCESSES = 8
CONTEXT = multiprocessing.get_context('fork')


class SharedTpp:
    """A TPP whose calls every process appends to one log file; each call is slow, to make the race likely."""

    url = 'https://tpp.example.com'
    client_id = 'ansible-automation'
    tls = None

    def __init__(self, log, delay=0.2):
        self.log = log
        self.delay = delay

    def _record(self, call):
        with open(self.log, 'a', encoding='utf-8') as handle:
            handle.write(call + '\n')
        time.sleep(self.delay)

    def _token(self):
        return {'access_token': new_token(), 'refresh_token': new_token(), 'expires': int(time.time()) + ACCESS_VALIDITY,
                'expires_in': ACCESS_VALIDITY - 1, 'refresh_until': int(time.time()) + 10 * ACCESS_VALIDITY, 'scope': 'certificate:manage',
                'identity': 'local:{x}'}

    def authorize(self):
        self._record('authorize')
        return self._token()

    def refresh(self, refresh_token):
        self._record('refresh ' + refresh_token)
        return self._token()

    def verify(self, access_token):
        self._record('verify')
        return True

    def calls(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log, encoding='utf-8') as handle:
            return [line.split()[0] for line in handle.read().splitlines()]


def _worker(cache_dir, log, run, barrier, results, clock_offset):
    """One Ansible fork: a process with empty memory, calling the lookup once."""
    cache = TokenCache(mode='file', cache_dir=cache_dir, min_validity=3600, run=run, memory=MemoryStore(),
                       clock=lambda: time.time() + clock_offset)
    barrier.wait(10)
    results.put(cache.get(KEY, lambda: SharedTpp(log)))


def run_processes(cache_dir, log, run='run-1', count=PROCESSES, clock_offset=0):
    barrier = CONTEXT.Barrier(count)
    results = CONTEXT.Queue()
    processes = [CONTEXT.Process(target=_worker, args=(cache_dir, log, run, barrier, results, clock_offset)) for _number in range(count)]
    for process in processes:
        process.start()
    tokens = [results.get(timeout=60) for _process in processes]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    return tokens


@pytest.fixture
def paths(tmp_path):
    return str(tmp_path / 'cache'), str(tmp_path / 'calls.log')


def stored(cache_dir):
    with open(os.path.join(cache_dir, KEY + '.json'), encoding='utf-8') as handle:
        return json.load(handle)


def test_forks_on_an_empty_cache_authorize_once(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    tokens = run_processes(cache_dir, log)
    assert SharedTpp(log).calls() == ['authorize']
    assert len(set(tokens)) == 1 and tokens[0] == stored(cache_dir)['access_token']


def test_forks_of_a_new_run_verify_once(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    first = run_processes(cache_dir, log, run='run-1')
    second = run_processes(cache_dir, log, run='run-2')
    assert SharedTpp(log).calls() == ['authorize', 'verify']
    assert set(first) == set(second)


def test_two_concurrent_runs_on_an_empty_cache_authorize_once(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    barrier = CONTEXT.Barrier(2 * PROCESSES)
    results = CONTEXT.Queue()
    processes = [CONTEXT.Process(target=_worker, args=(cache_dir, log, run, barrier, results, 0))
                 for run in ('run-a', 'run-b') for _number in range(PROCESSES)]
    for process in processes:
        process.start()
    tokens = [results.get(timeout=60) for _process in processes]
    for process in processes:
        process.join(30)
    calls = SharedTpp(log).calls()
    assert calls.count('authorize') == 1
    # The run that did not authorize confirms the token once.
    assert calls.count('verify') <= 1
    assert len(set(tokens)) == 1


def test_forks_near_expiry_refresh_once_and_share_the_rotated_pair(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    run_processes(cache_dir, log)
    old = stored(cache_dir)
    tokens = run_processes(cache_dir, log, clock_offset=ACCESS_VALIDITY - 60)
    calls = SharedTpp(log).calls()
    assert calls == ['authorize', 'refresh']
    with open(log, encoding='utf-8') as handle:
        assert handle.read().splitlines()[1] == 'refresh ' + old['refresh_token']
    new = stored(cache_dir)
    assert len(set(tokens)) == 1 and tokens[0] == new['access_token'] != old['access_token']
    assert new['refresh_token'] != old['refresh_token']


def run_threads(cache, log, count=PROCESSES):
    """``count`` threads of this process call the cache at the same moment; returns the tokens they got."""
    barrier = threading.Barrier(count)
    tokens = []

    def call():
        barrier.wait(10)
        tokens.append(cache.get(KEY, lambda: SharedTpp(log)))

    threads = [threading.Thread(target=call) for _number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return tokens


def test_threads_of_one_process_authorize_once(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    tokens = run_threads(TokenCache(mode='file', cache_dir=cache_dir, run='run-1', memory=MemoryStore()), log)
    assert SharedTpp(log).calls() == ['authorize'] and len(set(tokens)) == 1


def test_threads_in_memory_mode_authorize_once(paths):  # pylint: disable=redefined-outer-name
    log = paths[1]
    tokens = run_threads(TokenCache(mode='memory', run='run-1', memory=MemoryStore()), log)
    assert SharedTpp(log).calls() == ['authorize'] and len(set(tokens)) == 1


def _hold_lock_forever(cache_dir, ready):
    store = FileStore(cache_dir, lambda message: None)
    store.prepare()
    with store.lock(KEY):
        ready.set()
        time.sleep(600)


def test_a_lock_holder_that_dies_does_not_block_the_others(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    ready = CONTEXT.Event()
    holder = CONTEXT.Process(target=_hold_lock_forever, args=(cache_dir, ready))
    holder.start()
    assert ready.wait(10)
    waiter = CONTEXT.Process(target=_worker, args=(cache_dir, log, 'run-1', CONTEXT.Barrier(1), CONTEXT.Queue(), 0))
    waiter.start()
    waiter.join(1)
    # Still waiting for the lock while its holder lives...
    assert waiter.is_alive() and SharedTpp(log).calls() == []
    os.kill(holder.pid, signal.SIGKILL)
    holder.join(10)
    # ...and served once the kernel has dropped it with its holder.
    waiter.join(30)
    assert waiter.exitcode == 0
    assert SharedTpp(log).calls() == ['authorize']


def test_with_clocks_that_agree_the_measured_offset_is_tpps_one_second_truncation(paths):  # pylint: disable=redefined-outer-name
    cache_dir, log = paths
    run_processes(cache_dir, log, count=2)
    entry = stored(cache_dir)
    assert abs(entry['clock_offset'] - 1) <= 1
    assert entry['expires'] > START
