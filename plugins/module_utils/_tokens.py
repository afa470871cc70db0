# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What VEDAuth answers about tokens: the token result, verification and revocation."""

import calendar
import time

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import normalize_scope

TOKEN_KEYS = ('access_token', 'refresh_token', 'expires', 'expires_in', 'refresh_until', 'scope', 'identity', 'token_type')
SECRET_KEYS = ('access_token', 'refresh_token')
# What the token module returns as its tokens in check mode, where it obtains none.
CHECK_MODE_PLACEHOLDER = 'check-mode-placeholder'


def placeholder_error(params):
    """The one-line error for a token option that holds the check-mode placeholder instead of a token, else None."""
    for name in SECRET_KEYS:
        if params.get(name) == CHECK_MODE_PLACEHOLDER:
            return ("%s is the token module's check-mode placeholder, not a token: give the task that obtains it `check_mode: false` "
                    "so that check mode gets a real token, and revoke it at the end with a `state: absent` task that also has "
                    "`check_mode: false`" % name)
    return None


def token_result(data):
    """The token keys of an authorize/token response, scope normalised; absent keys are None."""
    if not isinstance(data, dict) or not data.get('access_token'):
        raise TppError('TPP answered without an access_token; is url the TPP server?')
    result = dict((key, data.get(key)) for key in TOKEN_KEYS)
    result['scope'] = normalize_scope(data.get('scope') or '', check=False)
    return result


def verify(client, access_token):
    """authorize/verify: the token's facts, or None when TPP says it is invalid, expired or revoked (401)."""
    reply = client.vedauth('GET', 'authorize/verify', bearer=access_token, expect=(200, 401))
    if reply.status == 401:
        return None
    data = reply.data
    access_issued_on = _unix_time(data, 'access_issued_on')
    valid_for = data.get('valid_for')
    return {
        'valid': True,
        'identity': data.get('identity'),
        'application': data.get('application'),
        'scope': normalize_scope(data.get('scope') or '', check=False),
        'access_issued_on': access_issued_on,
        'access_expires': access_issued_on + valid_for if access_issued_on is not None and isinstance(valid_for, int) else None,
        'grant_issued_on': _unix_time(data, 'grant_issued_on'),
        'grant_expires': _unix_time(data, 'expires'),
        'valid_for': valid_for,
    }


def revoke(client, access_token):
    """revoke/token: True when TPP revoked the grant, False when the token was already invalid or revoked."""
    reply = client.vedauth('GET', 'revoke/token', bearer=access_token, expect=(200, 202, 401))
    return reply.status == 200


def _unix_time(data, name):
    """A verify timestamp in epoch seconds: the _unix_time form, else the ISO 8601 one; None when absent."""
    value = data.get(name + '_unix_time')
    if isinstance(value, int) and value > 0:
        return value
    iso = data.get(name + '_ISO8601')
    if isinstance(iso, str) and iso:
        try:
            return calendar.timegm(time.strptime(iso, '%Y-%m-%dT%H:%M:%SZ'))
        except ValueError:
            return None
    return None
