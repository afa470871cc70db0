# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The expiry policy of cached tokens: use, refresh or authorize again, judged in TPP's time; and the entry a token makes.

TPP's ``expires`` and ``refresh_until`` are in the server's time. An entry keeps ``clock_offset``, the
server's clock minus the local one, measured when the token was issued (``expires - expires_in``), so a
server clock that differs from the local one does not make the cache reuse dead tokens or throw away good ones.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import ENTRY_VERSION

USE, REFRESH, AUTHORIZE = 'use', 'refresh', 'authorize'
# A refresh is not tried this close to the end of the grant: it would race the grant's expiry.
REFRESH_MARGIN = 60


def decide(entry, now, min_validity, access_dead=False):
    """USE the cached access token, REFRESH it, or AUTHORIZE again, at local time ``now``.

    The access token is used while it stays valid for ``min_validity`` more seconds, a margin capped
    at half the token's lifetime so that short-lived tokens are not refreshed on every call. After
    that, or when TPP said the token is no longer valid (``access_dead``), the refresh token is used
    while the grant lasts; otherwise a new authorization is needed.
    """
    server_now = now + entry.get('clock_offset', 0)
    lifetime = entry.get('lifetime')
    margin = min(min_validity, lifetime // 2) if lifetime and lifetime > 0 else min_validity
    if not access_dead and server_now < entry['expires'] - margin:
        return USE
    refresh_until = entry.get('refresh_until')
    if entry.get('refresh_token') and (refresh_until is None or server_now < refresh_until - REFRESH_MARGIN):
        return REFRESH
    return AUTHORIZE


def access_token_alive(entry, now):
    """Whether the cached access token has not yet expired, margin or not."""
    return now + entry.get('clock_offset', 0) < entry['expires']


def new_entry(key, url, client_id, result, received_at, run, previous=None, tls=None):
    """A cache entry from a token result received at local time ``received_at``.

    ``previous`` is the entry a refresh replaces: the grant stays the one that run obtained (``obtained_by``); without it the
    grant is new, obtained by ``run``. ``tls`` holds the ``ca_path`` and ``validate_certs`` the token was obtained with.

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
        'obtained_by': previous.get('obtained_by') if previous else run,
        'ca_path': (tls or {}).get('ca_path') or None,
        'validate_certs': (tls or {}).get('validate_certs') is not False,
    }


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)
