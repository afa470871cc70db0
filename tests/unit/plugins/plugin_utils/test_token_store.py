# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The file store: a private directory, private entries written atomically, and nothing trusted that is not ours."""

import json
import os
import stat
import threading
import time

import pytest

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import (
    ENTRY_VERSION, FileStore, MemoryStore, default_cache_dir, entry_problem)

from .conftest import KEY


def good_entry(**overrides):
    values = {'version': ENTRY_VERSION, 'key': KEY, 'url': 'https://tpp.example.com', 'client_id': 'ansible-automation',
              'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'expires': 1700007776, 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==',
              'refresh_until': 1731536000, 'scope': 'certificate:manage', 'identity': 'local:{x}', 'clock_offset': 0,
              'lifetime': 7775999, 'runs': ['run-1']}
    values.update(overrides)
    return values


@pytest.fixture
def warnings():
    return []


@pytest.fixture
def store(tmp_path, warnings):  # pylint: disable=redefined-outer-name
    made = FileStore(str(tmp_path / 'cache'), warnings.append)
    assert made.prepare()
    return made


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_default_cache_dir_follows_xdg_then_home(monkeypatch):
    assert default_cache_dir({'XDG_CACHE_HOME': '/var/cache/me'}) == '/var/cache/me/venafi_tpp.auth'
    monkeypatch.setenv('HOME', '/home/me')
    assert default_cache_dir({}) == '/home/me/.cache/venafi_tpp.auth'
    assert default_cache_dir({'XDG_CACHE_HOME': ''}) == '/home/me/.cache/venafi_tpp.auth'


def test_prepare_creates_a_private_directory_whatever_the_umask(tmp_path, warnings):  # pylint: disable=redefined-outer-name
    old = os.umask(0)
    try:
        directory = tmp_path / 'a' / 'b' / 'venafi_tpp.auth'
        assert FileStore(str(directory), warnings.append).prepare()
    finally:
        os.umask(old)
    assert mode(directory) == 0o700
    assert not warnings


def test_prepare_makes_a_loose_directory_private_with_a_warning(tmp_path, warnings):  # pylint: disable=redefined-outer-name
    directory = tmp_path / 'loose'
    directory.mkdir()
    directory.chmod(0o755)
    assert FileStore(str(directory), warnings.append).prepare()
    assert mode(directory) == 0o700
    assert warnings == ['the token cache directory %s had mode 0755; it is now 0700' % directory]


def test_prepare_refuses_a_directory_of_another_user(tmp_path, warnings, monkeypatch):  # pylint: disable=redefined-outer-name
    directory = tmp_path / 'theirs'
    directory.mkdir(mode=0o700)
    monkeypatch.setattr(os, 'getuid', lambda: os.stat(str(directory)).st_uid + 1)
    assert not FileStore(str(directory), warnings.append).prepare()
    assert 'belongs to uid' in warnings[0] and 'caching in memory only' in warnings[0]


def test_write_then_read(store):  # pylint: disable=redefined-outer-name
    assert store.read(KEY) is None
    store.write(KEY, good_entry())
    assert store.read(KEY) == good_entry()
    assert mode(store.path(KEY)) == 0o600
    assert os.listdir(store.directory) == [KEY + '.json']


def test_write_is_atomic_and_private_under_any_umask(store):  # pylint: disable=redefined-outer-name
    old = os.umask(0)
    try:
        store.write(KEY, good_entry())
        store.write(KEY, good_entry(access_token='new'))
    finally:
        os.umask(old)
    assert mode(store.path(KEY)) == 0o600
    assert store.read(KEY)['access_token'] == 'new'
    assert os.listdir(store.directory) == [KEY + '.json']


def test_write_leaves_no_temporary_file_when_it_fails(store):  # pylint: disable=redefined-outer-name
    with pytest.raises(TypeError):
        store.write(KEY, good_entry(access_token=object()))
    assert not os.listdir(store.directory)


def test_readers_see_the_old_entry_or_the_new_one_never_a_part(store):  # pylint: disable=redefined-outer-name
    store.write(KEY, good_entry())
    stop = threading.Event()
    seen, problems = set(), []

    def reader():
        while not stop.is_set():
            entry = store.read(KEY, warn=False)
            if entry is None:
                problems.append('unreadable')
            else:
                seen.add(entry['access_token'])

    thread = threading.Thread(target=reader)
    thread.start()
    for number in range(200):
        store.write(KEY, good_entry(access_token='token-%d' % number, scope='x' * (number * 37 % 5000)))
    stop.set()
    thread.join()
    assert not problems
    assert seen


@pytest.mark.parametrize('content, why', [
    ('{"access_token": ', 'it is not valid JSON'),
    ('\xff\xfe', 'it is not valid JSON'),
    ('[1, 2]', 'it does not hold a JSON object'),
    (json.dumps(good_entry(version=99)), 'it has format version 99'),
    (json.dumps(good_entry(key='b' * 64)), 'it was written for another key'),
    (json.dumps(dict((k, v) for k, v in good_entry().items() if k != 'expires')), 'its field expires is missing or of the wrong type'),
    (json.dumps(good_entry(expires='soon')), 'its field expires is missing or of the wrong type'),
    (json.dumps(good_entry(expires=True)), 'its field expires is missing or of the wrong type'),
    (json.dumps(good_entry(runs='run-1')), 'its field runs is missing or of the wrong type'),
])
def test_an_entry_that_does_not_parse_is_ignored_with_a_warning(store, warnings, content, why):  # pylint: disable=redefined-outer-name
    path = store.path(KEY)
    with open(path, 'w', encoding='utf-8', errors='surrogateescape') as handle:
        handle.write(content)
    os.chmod(path, 0o600)
    assert store.read(KEY) is None
    assert warnings == ['ignoring the token cache file %s: %s; it will be replaced' % (path, why) if 'format version' not in why
                        else 'ignoring the token cache file %s: %s, not %d; it will be replaced' % (path, why, ENTRY_VERSION)]
    assert store.read(KEY, warn=False) is None and len(warnings) == 1


@pytest.mark.parametrize('file_mode', [0o644, 0o640, 0o604, 0o400, 0o700])
def test_an_entry_with_another_mode_is_ignored(store, warnings, file_mode):  # pylint: disable=redefined-outer-name
    store.write(KEY, good_entry())
    os.chmod(store.path(KEY), file_mode)
    assert store.read(KEY) is None
    assert 'its mode is %04o, not 0600' % file_mode in warnings[0]


def test_an_entry_of_another_user_is_ignored(store, warnings, monkeypatch):  # pylint: disable=redefined-outer-name
    store.write(KEY, good_entry())
    if os.getuid() == 0:
        os.chown(store.path(KEY), 65534, 65534)
        expected = 'it belongs to uid 65534, not to you (uid 0)'
    else:
        uid = os.getuid()
        monkeypatch.setattr(os, 'getuid', lambda: uid + 1)
        monkeypatch.setattr(FileStore, 'prepare', lambda self: True)
        expected = 'it belongs to uid %d, not to you (uid %d)' % (uid, uid + 1)
    assert store.read(KEY) is None
    assert expected in warnings[0]
    # Replacing it makes it ours again.
    if os.getuid() == 0:
        store.write(KEY, good_entry())
        assert os.stat(store.path(KEY)).st_uid == 0 and store.read(KEY) == good_entry()


def test_a_symbolic_link_is_not_followed(store, warnings, tmp_path):  # pylint: disable=redefined-outer-name
    target = tmp_path / 'elsewhere.json'
    target.write_text(json.dumps(good_entry()))
    target.chmod(0o600)
    os.symlink(str(target), store.path(KEY))
    assert store.read(KEY) is None
    assert 'cannot be opened' in warnings[0]
    # Writing replaces the link, not its target.
    store.write(KEY, good_entry(access_token='new'))
    assert not os.path.islink(store.path(KEY))
    assert json.loads(target.read_text())['access_token'] == 'KT2EEVTIjWM/37L78dqJAg=='


def test_a_directory_in_place_of_an_entry_is_ignored(store, warnings):  # pylint: disable=redefined-outer-name
    os.mkdir(store.path(KEY), 0o700)
    assert store.read(KEY) is None
    assert 'it is not a regular file' in warnings[0]


def test_entry_problem_accepts_a_good_entry():
    assert entry_problem(good_entry(), KEY) is None
    assert entry_problem(good_entry(refresh_token=None, refresh_until=None, lifetime=None, scope=None, identity=None), KEY) is None


def test_the_lock_is_exclusive_between_descriptors_and_released_on_exit(store):  # pylint: disable=redefined-outer-name
    events = []
    inside = threading.Event()

    def holder():
        with store.lock(KEY):
            events.append('first in')
            inside.set()
            time.sleep(0.3)
            events.append('first out')

    thread = threading.Thread(target=holder)
    thread.start()
    inside.wait(5)
    with store.lock(KEY):
        events.append('second in')
    thread.join()
    assert events == ['first in', 'first out', 'second in']
    assert mode(os.path.join(store.directory, KEY + '.lock')) == 0o600


def test_the_lock_is_released_when_its_holder_raises(store):  # pylint: disable=redefined-outer-name
    with pytest.raises(RuntimeError):
        with store.lock(KEY):
            raise RuntimeError('authorization failed')
    acquired = threading.Event()

    def again():
        with store.lock(KEY):
            acquired.set()

    thread = threading.Thread(target=again, daemon=True)
    thread.start()
    assert acquired.wait(5)


def test_memory_store():
    memory = MemoryStore()
    assert memory.get(KEY) is None
    memory.put(KEY, {'a': 1})
    assert memory.get(KEY) == {'a': 1}
    assert memory.key_lock(KEY) is memory.key_lock(KEY)
    assert memory.key_lock(KEY) is not memory.key_lock('b' * 64)
