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
``_token_policy``'s; step 3 is ``_token_renewal``'s. Ansible runs each host's task in a fresh fork,
which compiles the source of every collection module it imports, and steps 1 and 2 are all most forks
do: step 3 and the backend that talks to TPP (requests among its imports) are imported when a fork needs them.
"""

import multiprocessing
import os
import time

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_policy import USE, decide
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore, MemoryStore

CACHE_MODES = ('file', 'memory', 'none')
DEFAULT_MIN_VALIDITY = 3600

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
        # Imported on a miss only: a hit, all that most forked workers do, does not compile the renewal's code.
        from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_renewal import Renewal  # pylint: disable=import-outside-toplevel
        renewal = Renewal(self.memory, self.clock, self.run, self.min_validity, self.warn, self.debug)
        return renewal.renew(key, make_backend, store)['access_token']


def tpp_backend(options, warn=None):
    """The backend that talks to TPP with the shared client and auth methods (requests among its imports)."""
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._tpp_backend import TppBackend  # pylint: disable=import-outside-toplevel
    return TppBackend(options, warn=warn)
