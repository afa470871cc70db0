# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP's grants: reading those of an integration or an identity page by page, and revoking them (``RevokeGrants``).

A grant record of TPP carries the grant's current ``AccessToken`` and ``RefreshToken``. ``_page`` is the one place
records are read, and it drops both before anything else sees a record: no token leaves this file.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import parse_duration
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import NAME_EXAMPLES, IdentityDirectory, check_names, is_universal

SECRET_FIELDS = ('AccessToken', 'RefreshToken')
# Grants per request: a listing costs one request per PAGE_SIZE grants, plus one that finds the end.
PAGE_SIZE = 1000
APPLICATION_NOT_FOUND = 2


class GrantQuery:
    """Whose grants: one integration (``client_id``) or one identity (``identity``, a prefixed name or universal)."""

    def __init__(self, client_id=None, identity=None):
        if bool(client_id) == bool(identity):
            raise TppError('give exactly one of client_id (the grants of an API integration) or identity (the grants of a person or service '
                           'account, on every integration)')
        self.client_id = client_id
        self.identity = check_names([identity], 'identity')[0] if identity else None
        self.universal = None

    @property
    def what(self):
        return 'the grants of the API integration %s' % self.client_id if self.client_id else 'the grants of %s' % self.identity

    def resolve(self, api):
        """The identity's prefixed universal, which GetGrants and RevokeGrants take; TppError when TPP does not know it."""
        if self.client_id or self.universal:
            return
        if is_universal(self.identity):
            self.universal = self.identity
            return
        view = IdentityDirectory(api).lookup(self.identity)
        if view is None:
            raise TppError('identity: TPP knows no identity %s; give %s' % (self.identity, NAME_EXAMPLES))
        self.universal = view['universal']

    def body(self):
        return {'ApplicationId': self.client_id} if self.client_id else {'GranteePrefixedUniversal': self.universal}


def expiring_window(value):
    """Seconds of ``expiring_within`` (a duration), or None when not given."""
    return None if value in (None, '') else parse_duration(value, 'expiring_within')


def read_grants(api, query, expiring_within=None):
    """The active grants of ``query`` as ``grant_view``s, in TPP's order; with ``expiring_within`` (seconds) only the grants that end
    within that long of now on TPP's clock (the Date of its answers). An integration that does not exist has none."""
    query.resolve(api)
    operation = 'EnumerateGrants' if query.client_id else 'GetGrants'
    grants, names, start = [], {}, 0
    while True:
        records, entries = _page(api, operation, dict(query.body(), Start=start, Count=PAGE_SIZE, ResolveIdentities=True), query.what)
        if records is None:
            return []
        names.update((entry['PrefixedUniversal'].lower(), entry.get('PrefixedName')) for entry in entries
                     if isinstance(entry, dict) and entry.get('PrefixedUniversal'))
        grants.extend(records)
        if len(records) < PAGE_SIZE:
            break
        start += len(records)
    views = [grant_view(record, names) for record in grants]
    if expiring_within is None:
        return views
    deadline = api.client.server_now() + expiring_within
    return [view for view in views if view['grant_expires'] is not None and view['grant_expires'] <= deadline]


def _page(api, operation, body, what):
    """(records without their tokens, IdentityEntries) of one page; (None, []) for an integration that does not exist."""
    data = api.call(operation, body, 'reading ' + what, allow=(APPLICATION_NOT_FOUND,))
    if data.get('Result') == APPLICATION_NOT_FOUND and data.get('Success') is not True:
        return None, []
    records = data.get('Grants') or []
    if not isinstance(records, list):
        raise TppError('reading %s: TPP answered %s with Grants that is not a list' % (what, operation))
    for record in records:
        for field in SECRET_FIELDS:
            record.pop(field, None)
    return records, data.get('IdentityEntries') or []


def grant_view(record, names):
    """A grant as the modules return it, from a record without tokens and the prefixed names by lower-case universal."""
    universal = record.get('GranteePrefixedUniversal')
    granted_to = record.get('GrantedToPrefixedUniversal')
    issued_access = _epoch(record, 'AccessIssuedOn')
    valid_for = record.get('ValidFor')
    expires = _epoch(record, 'Expires')
    return {
        'identity': names.get((universal or '').lower()),
        'universal': universal,
        'granted_to': names.get((granted_to or '').lower()) or granted_to,
        'client_id': record.get('Application'),
        'scope': record.get('Scope'),
        'issued': _epoch(record, 'GrantIssuedOn'),
        'access_expires': issued_access + valid_for if issued_access is not None and _is_int(valid_for) else None,
        'grant_expires': expires if expires else None,
    }


def _epoch(record, name):
    """A date of a grant record in epoch seconds: its UnixTime form, else its ``/Date(ms)/`` form; None when absent or null."""
    value = record.get(name + 'UnixTime')
    if _is_int(value):
        return value
    text = record.get(name)
    if isinstance(text, str) and '(' in text:
        digits = text.partition('(')[2].partition(')')[0].split('+')[0].split('-')[0]
        if digits.isdigit():
            return int(digits) // 1000
    return None


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def revoke_grants(api, query):
    """RevokeGrants: every grant of the integration or of the identity ends (access and refresh tokens)."""
    query.resolve(api)
    api.call('RevokeGrants', query.body(), 'revoking ' + query.what)
