# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP identities (users, teams, service accounts) by prefixed name or prefixed universal.

A prefixed name is ``provider:name`` (``local:svc-ansible``, ``AD+corp:jdoe``); a prefixed universal is
``provider:{guid}`` (``local:{198c2d48-...}``). Rules name their trustee by universal; people write names.
The directory resolves both, reusing what ``GetRules`` with ``ResolveIdentities`` already returned, and asks
``identity/Validate`` only about the rest.
"""

import re

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

# identity/Validate needs the configuration scope (Venafi's OpenAPI contract); the administrator's token then needs both.
VALIDATE_SCOPE = 'configuration'
ADMIN_TOKEN_SCOPE = 'admin:delete;configuration'
_GUID = re.compile(r'^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$', re.IGNORECASE)
NAME_EXAMPLES = 'prefixed names such as local:svc-ansible or AD+corp:jdoe, or prefixed universals such as local:{198c2d48-9e79-4f10-b871-e2f109476032}'


def is_universal(identity):
    """True for a prefixed universal (``provider:{guid}``), False for a prefixed name."""
    return bool(_GUID.match(identity.partition(':')[2].strip()))


def check_names(names, option='allowed_identities'):
    """The identities of ``option``, stripped and de-duplicated (case-insensitively); TppError for one without a provider prefix."""
    found, seen = [], set()
    for item in names:
        if not isinstance(item, str) or not item.strip():
            raise TppError('%s: every item must be an identity, %s; got %r' % (option, NAME_EXAMPLES, item))
        text = item.strip()
        prefix, separator, rest = text.partition(':')
        if not separator or not prefix.strip() or not rest.strip():
            raise TppError('%s: %r has no identity provider prefix; write local:%s for a local identity, or the prefix of its directory such as '
                           'AD+corp:%s' % (option, text, text, text))
        if text.lower() not in seen:
            seen.add(text.lower())
            found.append(text)
    return found


def _view(entry):
    return {'name': entry.get('PrefixedName') or None, 'universal': entry.get('PrefixedUniversal')}


class IdentityDirectory:
    """What is known about identities: ``{'name', 'universal'}`` by lower-case name and universal."""

    def __init__(self, api):
        self._api = api
        self._known = {}
        self.validations = 0

    def learn(self, entries):
        """Remember TPP IdentityEntry objects (from GetRules' IdentityEntries or identity/Validate)."""
        for entry in entries or ():
            if isinstance(entry, dict) and entry.get('PrefixedUniversal'):
                self._remember(_view(entry))

    def _remember(self, view):
        for key in (view['name'], view['universal']):
            if key:
                self._known[key.lower()] = view
        return view

    def _validate(self, identity):
        """identity/Validate; the view, or None when TPP does not know the identity."""
        field = 'PrefixedUniversal' if is_universal(identity) else 'PrefixedName'
        self.validations += 1
        reply = self._api.request('POST', 'identity/validate', 'resolving the identity %s with identity/Validate' % identity, VALIDATE_SCOPE,
                                  ADMIN_TOKEN_SCOPE, body={'ID': {field: identity}}, expect=(200, 400))
        entry = reply.data.get('ID') if reply.status == 200 else None
        if not isinstance(entry, dict) or not entry.get('PrefixedUniversal'):
            return None
        return self._remember(_view(entry))

    def lookup(self, identity):
        """The view of a name or universal, asking TPP when it is not known yet; None when TPP does not know it."""
        return self._known.get(identity.lower()) or self._validate(identity)

    def by_universal(self, universal):
        """The view of a rule's trustee; its name is None when TPP no longer knows the identity."""
        return self.lookup(universal) or {'name': None, 'universal': universal}

    def resolve(self, names, option='allowed_identities'):
        """Views for ``names`` (checked with check_names), de-duplicated by universal; TppError naming every unknown one."""
        views, unknown, seen = [], [], set()
        for name in names:
            view = self.lookup(name)
            if view is None:
                unknown.append(name)
            elif view['universal'].lower() not in seen:
                seen.add(view['universal'].lower())
                views.append(view)
        if unknown:
            raise TppError('%s: TPP knows no identity %s; give %s' % (option, ', '.join(unknown), NAME_EXAMPLES))
        return views


class KnownIdentities(IdentityDirectory):
    """A directory of the identity views given alone, that never asks TPP: one it was not given is unknown.

    For deciding without a request, from what the ``*_info`` modules returned, what a module would do: the module's own
    comparison runs with this directory in place of the module's, and an identity unknown here counts as a difference.
    """

    def __init__(self, views):
        super().__init__(None)
        for view in views:
            if view.get('universal'):
                self._remember({'name': view.get('name') or None, 'universal': view['universal']})

    def _validate(self, identity):
        return None
