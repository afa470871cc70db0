# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Renewing a cached token, one process at a time: step 3 of the token cache (see _token_cache).

Under the entry's lock, read it again, then confirm it once per run, refresh it, or authorize again.
A module of its own because a cache hit, all that most of Ansible's forked workers do, needs none of it.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_policy import AUTHORIZE, REFRESH, USE, access_token_alive, decide, new_entry

# How many playbook runs an entry remembers as having confirmed it, so concurrent runs do not take turns verifying.
REMEMBERED_RUNS = 16


class Renewal:
    """Renews entries for a TokenCache: its memory layer, clock, run id, min_validity, warn and debug, given explicitly."""

    def __init__(self, memory, clock, run, min_validity, warn, debug):
        self.memory, self.clock, self.run, self.min_validity, self.warn, self.debug = memory, clock, run, min_validity, warn, debug

    def renew(self, key, make_backend, store):
        """The entry to use for ``key``, after whatever confirmation, refresh or authorization it needs, one process at a time.

        ``make_backend()`` returns the backend that talks to TPP, made on first use, and ``store`` is the FileStore of the
        file cache, or None for the memory cache.
        """
        backend = _Lazy(make_backend)
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
