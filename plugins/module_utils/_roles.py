# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP's OAuth roles (``oauth/GrantRole``, ``RevokeRole``, ``ListRoles``): who may administer which API integrations.

Admin, Grant Admin and Auditor are global; Owner and Maintainer belong to one integration, its ``client_id``. A role item
is what oauth_role takes and oauth_role_info returns: ``{identity, universal, role, client_id}``.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import check_names

# Role name -> TPP's OAuthRole code (Venafi's OpenAPI contract).
ROLES = (('admin', 6), ('grant_admin', 5), ('auditor', 1), ('owner', 3), ('maintainer', 2))
ROLE_NAMES = tuple(name for name, _code in ROLES)
APPLICATION_ROLES = ('owner', 'maintainer')
_CODES = dict(ROLES)
_NAMES = dict((code, name) for name, code in ROLES)


def check_role(role, client_id):
    """TppError, before any request, when client_id is missing for an integration's role or given for a global one."""
    if role in APPLICATION_ROLES and not client_id:
        raise TppError('role %s needs client_id, the API integration whose %s the identity becomes' % (role, role))
    if role not in APPLICATION_ROLES and client_id:
        raise TppError('role %s is global, for every API integration: leave client_id out, or give role owner or maintainer to '
                       'delegate the API integration %s alone' % (role, client_id))


def check_role_item(identity, role, client_id):
    """The checks of an oauth_role task, before any request: the identity's name (check_names), TppError for bad input."""
    if role not in ROLE_NAMES:
        raise TppError('role must be one of %s, not %s' % (', '.join(ROLE_NAMES), role))
    check_role(role, client_id)
    return check_names([identity], 'identity')


def list_roles(api):
    """ListRoles' entries: ``{Role, Grantee, ApplicationId}``, those the caller may see."""
    data = api.call('ListRoles', {}, 'listing the OAuth roles')
    return [entry for entry in data.get('Roles') or () if isinstance(entry, dict) and entry.get('Grantee')]


def role_item(identity, role, client_id):
    """A role item for the identity view ``identity`` ({'name', 'universal'})."""
    return {'identity': identity['name'] or identity['universal'], 'universal': identity['universal'], 'role': role,
            'client_id': client_id if role in APPLICATION_ROLES else None}


def role_entry(item):
    """The ListRoles entry of a role item (``role_item``'s inverse); None for a role this collection does not know."""
    if item.get('role') not in _CODES or not item.get('universal'):
        return None
    return {'Grantee': item['universal'], 'Role': _CODES[item['role']], 'ApplicationId': item.get('client_id')}


def holds(entries, universal, role, client_id):
    """True when ``entries`` give ``universal`` (any case) ``role``, of the integration ``client_id`` for Owner and Maintainer."""
    return any(entry['Grantee'].lower() == universal.lower() and entry.get('Role') == _CODES[role]
               and (role not in APPLICATION_ROLES or entry.get('ApplicationId') == client_id) for entry in entries)


def role_items(entries, directory, universal=None):
    """The role items of ``entries`` (of the identity ``universal`` alone, when given), names resolved with ``directory``, sorted."""
    items = []
    for entry in entries:
        if universal is not None and entry['Grantee'].lower() != universal.lower():
            continue
        role = _NAMES.get(entry.get('Role'), 'role %s' % entry.get('Role'))
        items.append(role_item(directory.by_universal(entry['Grantee']), role, entry.get('ApplicationId') or None))
    return sorted(items, key=lambda item: (item['identity'].lower(), ROLE_NAMES.index(item['role']) if item['role'] in ROLE_NAMES else 9,
                                           item['client_id'] or ''))


def role_body(universal, role, client_id):
    """The body of GrantRole and RevokeRole."""
    body = {'GranteePrefixedUniversal': universal, 'Role': _CODES[role]}
    if role in APPLICATION_ROLES:
        body['ApplicationId'] = client_id
    return body
