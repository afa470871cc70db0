# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where cached tokens live: a per-process memory layer and a private directory shared by every process of the user.

The directory is 0700 and each entry a 0600 JSON file ``<key>.json``, replaced atomically (a temporary
file in the same directory, fsync, rename). ``<key>.lock`` is the entry's lock: an exclusive
``flock`` held while a process checks, authorizes or refreshes, so concurrent forks and playbook runs
wait for one another instead of each sending its own request. The kernel drops the lock when its
holder dies. An entry holds the access and refresh token, their expiry, scope, identity, client_id and
url, and bookkeeping (the server clock's offset, the token's lifetime, the runs that confirmed it);
never a password. An entry that is not a regular file of this user with mode 0600, or that
does not parse, is ignored with a warning and replaced.
"""

import contextlib
import fcntl
import json
import os
import stat
import tempfile
import threading

ENTRY_VERSION = 1
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# What an entry must hold, and the types it may hold them in.
ENTRY_FIELDS = {
    'version': (int,),
    'key': (str,),
    'url': (str,),
    'client_id': (str,),
    'access_token': (str,),
    'expires': (int,),
    'refresh_token': (str, type(None)),
    'refresh_until': (int, type(None)),
    'scope': (str, type(None)),
    'identity': (str, type(None)),
    'clock_offset': (int,),
    'lifetime': (int, type(None)),
    'runs': (list,),
}
# Fields that entries written before version 0.2.0 lack: which run obtained the grant (the revoke_at_exit callback ends those of its
# own run) and the TLS settings it was obtained with (to reach TPP again from the callback).
OPTIONAL_FIELDS = {
    'obtained_by': (str, type(None)),
    'ca_path': (str, type(None)),
    'validate_certs': (bool,),
}


def default_cache_dir(environ=None):
    """``$XDG_CACHE_HOME/venafi_tpp.auth``, else ``~/.cache/venafi_tpp.auth``."""
    environ = os.environ if environ is None else environ
    base = environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'venafi_tpp.auth')


def entry_problem(entry, key):
    """Why a decoded cache entry cannot be trusted, or None."""
    if not isinstance(entry, dict):
        return 'it does not hold a JSON object'
    for name, types in ENTRY_FIELDS.items():
        if name not in entry or not isinstance(entry[name], types) or isinstance(entry[name], bool):
            return 'its field %s is missing or of the wrong type' % name
    for name, types in OPTIONAL_FIELDS.items():
        if name in entry and not isinstance(entry[name], types):
            return 'its field %s is of the wrong type' % name
    if entry['version'] != ENTRY_VERSION:
        return 'it has format version %s, not %s' % (entry['version'], ENTRY_VERSION)
    if entry['key'] != key:
        return 'it was written for another key'
    return None


class MemoryStore:
    """Entries of this process, shared by its threads."""

    def __init__(self):
        self._entries = {}
        self._lock = threading.Lock()
        self._key_locks = {}

    def get(self, key):
        with self._lock:
            return self._entries.get(key)

    def put(self, key, entry):
        with self._lock:
            self._entries[key] = entry

    def key_lock(self, key):
        """A lock for one key, so threads of this process renew it one at a time."""
        with self._lock:
            return self._key_locks.setdefault(key, threading.Lock())


class FileStore:
    """The private cache directory of the user running Ansible."""

    def __init__(self, directory, warn):
        self.directory = os.path.abspath(os.path.expanduser(directory))
        self._warn = warn

    def prepare(self):
        """Create the directory (0700) or check it; False, with a warning, when it must not be used."""
        try:
            info = os.stat(self.directory)
        except FileNotFoundError:
            try:
                os.makedirs(self.directory, mode=PRIVATE_DIR_MODE, exist_ok=True)
                os.chmod(self.directory, PRIVATE_DIR_MODE)
                info = os.stat(self.directory)
            except OSError as error:
                self._warn('cannot create the token cache directory %s (%s); caching in memory only' % (self.directory, error.strerror or error))
                return False
        except OSError as error:
            self._warn('cannot use the token cache directory %s (%s); caching in memory only' % (self.directory, error.strerror or error))
            return False
        if not stat.S_ISDIR(info.st_mode):
            self._warn('the token cache directory %s is not a directory; caching in memory only' % self.directory)
            return False
        if info.st_uid != os.getuid():
            self._warn('the token cache directory %s belongs to uid %d, not to you (uid %d); caching in memory only'
                       % (self.directory, info.st_uid, os.getuid()))
            return False
        if stat.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE:
            try:
                os.chmod(self.directory, PRIVATE_DIR_MODE)
            except OSError as error:
                self._warn('cannot make the token cache directory %s private (%s); caching in memory only' % (self.directory, error.strerror or error))
                return False
            self._warn('the token cache directory %s had mode %04o; it is now %04o' % (self.directory, stat.S_IMODE(info.st_mode), PRIVATE_DIR_MODE))
        return True

    def path(self, key):
        return os.path.join(self.directory, key + '.json')

    def keys(self):
        """The keys of the entries in the directory (none when it cannot be listed)."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return []
        return sorted(name[:-len('.json')] for name in names if name.endswith('.json') and not name.startswith('.'))

    def remove(self, key):
        """Drop the entry of ``key``; its lock file stays, since another process may be waiting on it."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))

    def read(self, key, warn=True):
        """The entry stored under ``key``, or None when there is none or it must not be trusted."""
        path = self.path(key)
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
        except FileNotFoundError:
            return None
        except OSError as error:
            return self._ignore(path, 'it cannot be opened (%s)' % (error.strerror or error), warn)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return self._ignore(path, 'it is not a regular file', warn)
        with os.fdopen(fd, 'rb') as handle:
            if info.st_uid != os.getuid():
                return self._ignore(path, 'it belongs to uid %d, not to you (uid %d)' % (info.st_uid, os.getuid()), warn)
            if stat.S_IMODE(info.st_mode) != PRIVATE_FILE_MODE:
                return self._ignore(path, 'its mode is %04o, not %04o' % (stat.S_IMODE(info.st_mode), PRIVATE_FILE_MODE), warn)
            try:
                entry = json.loads(handle.read(1 << 20).decode('utf-8'))
            except (OSError, ValueError):
                return self._ignore(path, 'it is not valid JSON', warn)
        problem = entry_problem(entry, key)
        if problem:
            return self._ignore(path, problem, warn)
        return entry

    def _ignore(self, path, why, warn):
        if warn:
            self._warn('ignoring the token cache file %s: %s; it will be replaced' % (path, why))
        return None

    def write(self, key, entry):
        """Store ``entry`` atomically with mode 0600; a reader sees the old entry or the new one, never a part."""
        fd, temporary = tempfile.mkstemp(prefix='.%s.' % key[:16], suffix='.tmp', dir=self.directory)
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as handle:
                os.fchmod(handle.fileno(), PRIVATE_FILE_MODE)
                json.dump(entry, handle, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path(key))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        # The rename itself must survive a crash: a rotated refresh token is the only one that works.
        with contextlib.suppress(OSError):
            dir_fd = os.open(self.directory, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    @contextlib.contextmanager
    def lock(self, key):
        """Hold ``<key>.lock`` exclusively: one process at a time checks, authorizes or refreshes this entry."""
        fd = os.open(os.path.join(self.directory, key + '.lock'), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            # Closing the descriptor releases the lock.
            os.close(fd)
