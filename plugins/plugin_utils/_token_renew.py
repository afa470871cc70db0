# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the token cache does when it cannot simply reuse a token: confirm, refresh or authorize, one process at a time.

Under the entry's lock (file cache) or its thread lock (memory cache), the entry is read again, since
another process may have renewed it while this one waited, and then:

- an entry not yet confirmed in this playbook run is checked with ``authorize/verify``; one TPP no
  longer accepts is renewed as below;
- a refresh sends the refresh token once (never retried blindly: it works only once); the rotated
  pair is written to the cache before the new access token is returned. A refresh TPP refuses (the
  grant expired or was revoked) is followed by one new authorization; one TPP does not answer is not
  sent again: the cached access token is used while still valid, else one new authorization follows;
- otherwise the lookup authorizes with the configured auth method.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import AUTHORIZE, REFRESH, USE, decide
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import ENTRY_VERSION

# How many playbook runs an entry remembers as having confirmed it, so concurrent runs do not take turns verifying.
REMEMBERED_RUNS = 16


def new_entry(key, url, client_id, result, received_at, run, previous=None):
    """A cache entry from a token result received at local time ``received_at``.

    ``clock_offset`` estimates server time minus local time from the token's own ``expires`` and
    ``expires_in``; without ``expires_in`` the clocks are taken to agree.
    """
    previous = previous or {}
    expires, expires_in = result.get('expires'), result.get('expires_in')
    if not _is_int(expires):
        if not _is_int(expires_in):
            raise TppError('TPP answered without the expiry of the access token (expires); cannot cache it')
        expires = int(received_at) + expires_in
    lifetime = expires_in if _is_int(expires_in) and expires_in > 0 else None
    refresh_until = result.get('refresh_until')
    return {
        'version': ENTRY_VERSION,
        'key': key,
        'url': url,
        'client_id': client_id,
        'access_token': result['access_token'],
        'expires': expires,
        'refresh_token': result.get('refresh_token') or None,
        'refresh_until': refresh_until if _is_int(refresh_until) else previous.get('refresh_until'),
        'scope': result.get('scope') or previous.get('scope'),
        'identity': result.get('identity') or previous.get('identity'),
        'clock_offset': int(round(expires - lifetime - received_at)) if lifetime else 0,
        'lifetime': lifetime,
        'runs': [run],
    }


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def access_token_alive(entry, now):
    """Whether the cached access token has not yet expired, margin or not."""
    return now + entry.get('clock_offset', 0) < entry['expires']


def refused(error):
    """Whether TPP answered a refresh with a refusal (grant expired, revoked or unknown), not a failure to answer."""
    return error.status is not None and error.status != 429 and error.status < 500


def renew(cache, key, make_backend, store):
    """The entry to use for ``key``, after whatever confirmation, refresh or authorization it needs.

    ``store`` is the FileStore of the file cache, or None for the memory cache.
    """
    backend = _Lazy(make_backend)
    if store is None:
        with cache.memory.key_lock(key):
            entry = cache.memory.get(key)
            action = decide(entry, cache.clock(), cache.min_validity) if entry else AUTHORIZE
            if action != USE:
                entry = _renew(cache, key, backend, entry, action, save=None)
            cache.memory.put(key, entry)
            return entry

    def save(new):
        store.write(key, new)

    with cache.memory.key_lock(key), store.lock(key):
        entry = store.read(key)
        action = decide(entry, cache.clock(), cache.min_validity) if entry else AUTHORIZE
        dead = False
        if action == USE and cache.run not in entry['runs']:
            if _confirm(cache, backend, entry):
                # Confirmed (or TPP could not be asked, which was said once): the rest of this run trusts the entry.
                entry['runs'] = (entry['runs'] + [cache.run])[-REMEMBERED_RUNS:]
                _save(cache, save, entry, 'the confirmed token')
            else:
                cache.debug('token %s: TPP no longer accepts the cached access token' % key[:12])
                dead = True
                action = decide(entry, cache.clock(), cache.min_validity, access_dead=True)
        if action == USE:
            cache.debug('token %s: reused from %s' % (key[:12], store.path(key)))
        else:
            entry = _renew(cache, key, backend, entry, action, save, dead=dead)
        cache.memory.put(key, entry)
        return entry


def _confirm(cache, backend, entry):
    """Whether TPP still accepts the cached access token; when TPP cannot be asked, a warning and True."""
    try:
        return backend.verify(entry['access_token'])
    except TppError as error:
        cache.warn('could not confirm the cached TPP access token with authorize/verify (%s); using it as it is' % error)
        return True


def _renew(cache, key, backend, entry, action, save, dead=False):
    """A new entry by refresh (when ``action`` is REFRESH) or by authorization; saved before it is returned.

    A refresh TPP refuses is followed by one authorization. A refresh TPP did not answer (5xx, timeout, dropped
    connection) is not sent again: the cached access token is used while it is still valid (and TPP did not say
    otherwise, ``dead``); otherwise one authorization replaces the grant.
    """
    if action == REFRESH:
        started = cache.clock()
        try:
            result = backend.refresh(entry['refresh_token'])
        except TppError as error:
            if refused(error):
                cache.debug('token %s: TPP refused the refresh (%s); authorizing again' % (key[:12], error))
            elif not dead and access_token_alive(entry, cache.clock()):
                cache.warn('could not refresh the cached TPP access token (%s); using it until it expires' % error)
                return entry
            else:
                # TPP may have used the refresh token before failing, and it works once: a new grant replaces it.
                cache.warn('could not refresh the cached TPP access token (%s); not sending the refresh token again, '
                           'authorizing again' % error)
        else:
            new = new_entry(key, backend.url, backend.client_id, result, (started + cache.clock()) / 2, cache.run, previous=entry)
            _save(cache, save, new, 'the rotated refresh token')
            cache.debug('token %s: refreshed' % key[:12])
            return new
    started = cache.clock()
    result = backend.authorize()
    new = new_entry(key, backend.url, backend.client_id, result, (started + cache.clock()) / 2, cache.run)
    _save(cache, save, new, 'the new token')
    cache.debug('token %s: authorized' % key[:12])
    return new


def _save(cache, save, entry, what):
    if save is None:
        return
    try:
        save(entry)
    except OSError as error:
        cache.warn('could not save %s in the token cache (%s); other processes will authorize again' % (what, error.strerror or error))


class _Lazy:
    """Makes the backend on first use: a fork that finds the entry renewed by another while it waited needs none."""

    def __init__(self, factory):
        self._factory = factory
        self._backend = None

    def __getattr__(self, name):
        if self._backend is None:
            self._backend = self._factory()
        return getattr(self._backend, name)
