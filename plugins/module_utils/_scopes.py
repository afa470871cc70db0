# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one scope model: TPP's scope grammar, the scope map, normalisation and the subset test.

Grammar: ``name[:restriction[,restriction...]][;name...]``, case-insensitive. A scope can also be
given as a list of such strings, or as a mapping of scope name to restrictions
(``{certificate: [discover, manage], ssh: []}``). The normal form is lower-case with scopes and
restrictions sorted and de-duplicated, the form TPP itself echoes.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

# Scopes and their restrictions: TPP's "Scopes for token" table, plus admin:viewlogs (VenafiPS and
# TPP's own administration integration) and log (the API Integration wizard's example).
SCOPE_MAP = {
    'admin': ('delete', 'recyclebin', 'viewlogs'),
    'agent': ('delete',),
    'certificate': ('approve', 'delete', 'discover', 'manage', 'revoke'),
    'codesign': ('approve', 'delete', 'manage'),
    'codesignclient': (),
    'configuration': ('delete', 'manage'),
    'log': ('delete', 'manage'),
    'restricted': ('delete', 'manage'),
    'security': ('delete', 'manage'),
    'ssh': ('approve', 'delete', 'discover', 'manage'),
    'statistics': (),
}


class Scope:
    """A validated, normalised scope: a mapping of scope name to a frozenset of restrictions."""

    def __init__(self, entries=None):
        self._entries = dict((name, frozenset(restrictions)) for name, restrictions in (entries or {}).items())

    @classmethod
    def parse(cls, value, check=True):
        """Build a Scope from a string, a list of strings or a mapping; TppError names any bad part.

        ``check=False`` skips the scope map, for scopes TPP itself returns: a newer TPP may know more.
        """
        if isinstance(value, Scope):
            return value
        if value is None:
            return cls()
        if isinstance(value, str):
            pairs = _parse_string(value)
        elif isinstance(value, dict):
            pairs = _parse_mapping(value)
        elif isinstance(value, (list, tuple)):
            pairs = []
            for item in value:
                if not isinstance(item, str):
                    raise TppError('scope list items must be strings such as "certificate:manage", not %r' % (item,))
                pairs.extend(_parse_string(item))
        else:
            raise TppError('scope must be a string, a list of strings or a mapping of scope to restrictions, not %s' % type(value).__name__)
        entries = {}
        for name, restrictions in pairs:
            if check:
                _validate(name, restrictions)
            entries[name] = entries.get(name, frozenset()) | frozenset(restrictions)
        return cls(entries)

    def issubset(self, other):
        """True when every scope here is in ``other`` with all of its restrictions."""
        other = Scope.parse(other)
        return all(name in other._entries and restrictions <= other._entries[name] for name, restrictions in self._entries.items())

    def difference(self, other):
        """The part of this scope that ``other`` does not grant (empty when this is a subset)."""
        other = Scope.parse(other)
        missing = {}
        for name, restrictions in self._entries.items():
            if name not in other._entries:
                missing[name] = restrictions
            elif not restrictions <= other._entries[name]:
                missing[name] = restrictions - other._entries[name]
        return Scope(missing)

    def as_dict(self):
        """The mapping form, restrictions as sorted lists."""
        return dict((name, sorted(self._entries[name])) for name in sorted(self._entries))

    def __str__(self):
        return ';'.join(
            name + (':' + ','.join(sorted(restrictions)) if restrictions else '')
            for name, restrictions in sorted(self._entries.items())
        )

    def __repr__(self):
        return 'Scope(%r)' % str(self)

    def __eq__(self, other):
        return isinstance(other, Scope) and self._entries == other._entries

    def __hash__(self):
        return hash(str(self))

    def __bool__(self):
        return bool(self._entries)


def normalize_scope(value, check=True):
    """The normal string form of any accepted scope input (``check=False``: without the scope map)."""
    return str(Scope.parse(value, check))


def _parse_string(text):
    pairs = []
    for segment in text.split(';'):
        segment = segment.strip()
        if not segment:
            continue
        name, separator, restriction_text = segment.partition(':')
        name = name.strip().lower()
        if not name:
            raise TppError('malformed scope %r: a scope name is missing before ":"; write it as name[:restriction,...]' % segment)
        restrictions = []
        if separator:
            restrictions = [part.strip().lower() for part in restriction_text.split(',')]
            if not all(restrictions):
                raise TppError('malformed scope %r: empty restriction; separate restrictions with single commas, e.g. certificate:discover,manage' % segment)
        pairs.append((name, restrictions))
    return pairs


def _parse_mapping(mapping):
    pairs = []
    for name, restrictions in mapping.items():
        if not isinstance(name, str) or not name.strip():
            raise TppError('scope mapping keys must be scope names, not %r' % (name,))
        if restrictions is None:
            restrictions = []
        elif isinstance(restrictions, str):
            restrictions = [part for part in restrictions.split(',') if part.strip()]
        elif not isinstance(restrictions, (list, tuple)) or not all(isinstance(item, str) for item in restrictions):
            raise TppError('restrictions of scope %r must be a list of strings, not %r' % (name, restrictions))
        pairs.append((name.strip().lower(), [item.strip().lower() for item in restrictions]))
    return pairs


def _validate(name, restrictions):
    if name not in SCOPE_MAP:
        raise TppError('unknown scope %r; allowed scopes: %s' % (name, ', '.join(sorted(SCOPE_MAP))))
    allowed = SCOPE_MAP[name]
    for restriction in restrictions:
        if restriction not in allowed:
            if not allowed:
                raise TppError('scope %r takes no restrictions (it only grants read access), but %r was given' % (name, restriction))
            raise TppError('unknown restriction %r for scope %r; allowed: %s' % (restriction, name, ', '.join(allowed)))
