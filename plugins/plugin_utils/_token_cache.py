# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access-token cache behind the access_token lookup: reuse, refresh, re-authorize, and one request at a time.

``TokenCache.get(key, make_backend)`` returns an access token:

1. memory: an entry this process already holds and that is not close to expiry;
2. file, without the lock: an entry that is not close to expiry and that TPP confirmed during this
   playbook run (``runs``);
3. file, under ``<key>.lock`` (memory cache: the key's thread lock): read the entry again (another
   process may have renewed it while this one waited), then
   - confirm it with ``authorize/verify`` once per run (a grant revoked out of band, or a server
     that forgot it, shows up here, at the cost of one cheap request per run);
   - or refresh it: the refresh token is sent once (never retried blindly: it works only once) and
     the rotated pair is saved before the new access token is used. A refresh TPP refuses (grant
     expired or revoked) is followed by one new authorization; one TPP does not answer is not sent
     again: the cached access token is used while still valid, else one new authorization follows;
   - or authorize with the configured auth method.

Forks and concurrent runs queue on the lock and then find the entry the first one saved, so a run
over any number of hosts costs one authorization. When to use, refresh or authorize is
``_token_policy``'s. Ansible runs each host's task in a fresh fork, so steps 1 and 2 are all most
forks do: the backend that talks to TPP (requests among its imports) is imported when a fork needs it.
"""

import multiprocessing
import os
import time

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_policy import AUTHORIZE, REFRESH, USE, access_token_alive, decide, new_entry
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore, MemoryStore

CACHE_MODES = ('file', 'memory', 'none')
DEFAULT_MIN_VALIDITY = 3600
# How many playbook runs an entry remembers as having confirmed it, so concurrent runs do not take turns verifying.
REMEMBERED_RUNS = 16

# The memory layer: one per process, shared by every lookup call in it.
MEMORY = MemoryStore()


def run_id():
    """Which playbook run this process belongs to: the ansible-playbook process, by pid and start time.

    Ansible runs each task of each host in a forked worker, a child of the ansible-playbook process;
    a lookup templated in that process itself belongs to it.
    """
    pid = os.getppid() if multiprocessing.parent_process() is not None else os.getpid()
    try:
        # UTF-8, the codec every Python process has loaded: opening with 'ascii' would import a codec module in each fork.
        with open('/proc/%d/stat' % pid, encoding='utf-8', errors='replace') as handle:
            # The 22nd field, counted after the parenthesised command name, which may hold spaces.
            started = handle.read().rpartition(')')[2].split()[19]
    except (OSError, IndexError):
        started = ''
    return '%d:%s' % (pid, started)


class TokenCache:
    """Gets access tokens through the memory and file layers; see the module documentation."""

    def __init__(self, mode='file', cache_dir=None, min_validity=DEFAULT_MIN_VALIDITY, warn=None, debug=None,
                 clock=time.time, run=None, memory=None):
        if mode not in CACHE_MODES:
            raise TppError('cache must be one of %s, not %r' % (', '.join(CACHE_MODES), mode))
        if not isinstance(min_validity, int) or min_validity < 0:
            raise TppError('min_validity must be a number of seconds, 0 or more, not %r' % (min_validity,))
        self.mode = mode
        self.cache_dir = cache_dir
        self.min_validity = min_validity
        self.warn = warn or (lambda message: None)
        self.debug = debug or (lambda message: None)
        self.clock = clock
        self._run = run
        self.memory = MEMORY if memory is None else memory

    @property
    def run(self):
        if self._run is None:
            self._run = run_id()
        return self._run

    def get(self, key, make_backend):
        """An access token for ``key``, from the cache or from the backend ``make_backend()`` returns (authorize, refresh, verify)."""
        if self.mode == 'none':
            self.debug('cache none: authorizing')
            return make_backend().authorize()['access_token']
        entry = self.memory.get(key)
        if entry is not None and decide(entry, self.clock(), self.min_validity) == USE:
            self.debug('token %s: reused from memory' % key[:12])
            return entry['access_token']
        store = FileStore(self.cache_dir, self.warn) if self.mode == 'file' and self.cache_dir else None
        if store is not None and store.prepare():
            entry = store.read(key, warn=False)
            if entry is not None and self.run in entry['runs'] and decide(entry, self.clock(), self.min_validity) == USE:
                self.memory.put(key, entry)
                self.debug('token %s: reused from %s' % (key[:12], store.path(key)))
                return entry['access_token']
        else:
            store = None
        return self._renew(key, _Lazy(make_backend), store)['access_token']

    def _renew(self, key, backend, store):
        """The entry to use for ``key``, after whatever confirmation, refresh or authorization it needs, one process at a time.

        ``store`` is the FileStore of the file cache, or None for the memory cache.
        """
        if store is None:
            with self.memory.key_lock(key):
                entry = self.memory.get(key)
                action = decide(entry, self.clock(), self.min_validity) if entry else AUTHORIZE
                if action != USE:
                    entry = self._replace(key, backend, entry, action, store)
                self.memory.put(key, entry)
                return entry
        with self.memory.key_lock(key), store.lock(key):
            entry = store.read(key)
            action = decide(entry, self.clock(), self.min_validity) if entry else AUTHORIZE
            dead = False
            if action == USE and self.run not in entry['runs']:
                if self._confirm(backend, entry):
                    # Confirmed (or TPP could not be asked, which was said once): the rest of this run trusts the entry.
                    entry['runs'] = (entry['runs'] + [self.run])[-REMEMBERED_RUNS:]
                    self._save(store, entry, 'the confirmed token')
                else:
                    self.debug('token %s: TPP no longer accepts the cached access token' % key[:12])
                    dead = True
                    action = decide(entry, self.clock(), self.min_validity, access_dead=True)
            if action == USE:
                self.debug('token %s: reused from %s' % (key[:12], store.path(key)))
            else:
                entry = self._replace(key, backend, entry, action, store, dead=dead)
            self.memory.put(key, entry)
            return entry

    def _confirm(self, backend, entry):
        """Whether TPP still accepts the cached access token; when TPP cannot be asked, a warning and True."""
        try:
            return backend.verify(entry['access_token'])
        except TppError as error:
            self.warn('could not confirm the cached TPP access token with authorize/verify (%s); using it as it is' % error)
            return True

    def _replace(self, key, backend, entry, action, store, dead=False):
        """A new entry by refresh (when ``action`` is REFRESH) or by authorization; saved before it is returned.

        A refresh TPP refuses is followed by one authorization. A refresh TPP did not answer (5xx, timeout, dropped
        connection) is not sent again: the cached access token is used while it is still valid (and TPP did not say
        otherwise, ``dead``); otherwise one authorization replaces the grant.
        """
        if action == REFRESH:
            started = self.clock()
            try:
                result = backend.refresh(entry['refresh_token'])
            except Refused as error:
                self.debug('token %s: TPP refused the refresh (%s); authorizing again' % (key[:12], error))
            except TppError as error:
                if not dead and access_token_alive(entry, self.clock()):
                    self.warn('could not refresh the cached TPP access token (%s); using it until it expires' % error)
                    return entry
                # TPP may have used the refresh token before failing, and it works once: a new grant replaces it.
                self.warn('could not refresh the cached TPP access token (%s); not sending the refresh token again, '
                          'authorizing again' % error)
            else:
                new = new_entry(key, backend.url, backend.client_id, result, (started + self.clock()) / 2, self.run, previous=entry,
                                tls=backend.tls)
                self._save(store, new, 'the rotated refresh token')
                self.debug('token %s: refreshed' % key[:12])
                return new
        started = self.clock()
        result = backend.authorize()
        new = new_entry(key, backend.url, backend.client_id, result, (started + self.clock()) / 2, self.run, tls=backend.tls)
        self._save(store, new, 'the new token')
        self.debug('token %s: authorized' % key[:12])
        return new

    def _save(self, store, entry, what):
        if store is None:
            return
        try:
            store.write(entry['key'], entry)
        except OSError as error:
            self.warn('could not save %s in the token cache (%s); other processes will authorize again' % (what, error.strerror or error))


class _Lazy:
    """Makes the backend on first use: a fork that finds the entry renewed by another while it waited needs none."""

    def __init__(self, factory):
        self._factory = factory
        self._backend = None

    def __getattr__(self, name):
        if self._backend is None:
            self._backend = self._factory()
        return getattr(self._backend, name)


def tpp_backend(options, warn=None):
    """The backend that talks to TPP with the shared client and auth methods (requests among its imports)."""
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._tpp_backend import TppBackend  # pylint: disable=import-outside-toplevel
    return TppBackend(options, warn=warn)
