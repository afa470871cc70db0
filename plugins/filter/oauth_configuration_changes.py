# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: oauth_configuration_changes
short_description: Which declared OAuth items a module would change, and what TPP holds that they do not name
version_added: 0.2.0
description:
  - Compares declared items of one kind of TPP's OAuth configuration (API integrations, JWT mappings or OAuth roles) with what
    TPP holds, as the kind's C(*_info) module returned it, and says which items to hand to the kind's module, which held items
    the declaration does not name (to purge), and which of those to keep.
  - The comparison is the module's own code (M(venafi_tpp.auth.api_integration), M(venafi_tpp.auth.jwt_mapping),
    M(venafi_tpp.auth.oauth_role)), run on what was read instead of on a new read, so a play can read each kind once and run a
    module only for the items that differ. It sends no request.
  - Where the module would need to ask TPP, the filter counts the item as differing and the module decides; an item the module's
    checks refuse is handed to it too, so that it fails with its one-line message. An item never counts as the same when the
    module would change something.
  - The role C(venafi_tpp.auth.oauth_configuration) decides with it what to apply and what to purge.
author:
  - Venafi TPP Auth Collection Team (@venafi-tpp)
options:
  _input:
    description:
      - The declared items of O(kind), each a mapping of the options of the kind's module (without the connection and the token).
      - An item with C(state=absent) is to be handed to the module when TPP holds it; it counts as named for the purge.
    type: list
    elements: dict
    required: true
  kind:
    description:
      - V(integrations) (items of M(venafi_tpp.auth.api_integration), matched by C(client_id), else C(name)),
        V(jwt_mappings) (of M(venafi_tpp.auth.jwt_mapping), by C(name)) or V(roles) (of M(venafi_tpp.auth.oauth_role), by
        identity, role and C(client_id)).
    type: str
    required: true
    choices: [integrations, jwt_mappings, roles]
  held:
    description:
      - What TPP holds of O(kind), as the kind's C(*_info) module returned it (C(integrations) of
        M(venafi_tpp.auth.api_integration_info), C(jwt_mappings) of M(venafi_tpp.auth.jwt_mapping_info), C(roles) of
        M(venafi_tpp.auth.oauth_role_info)), all of them.
    type: list
    elements: dict
    required: true
  keep_client_ids:
    description: For V(integrations), the Client IDs of integrations never to purge, such as the one of the administrator's token.
    type: list
    elements: str
    default: []
  keep_admin:
    description:
      - For V(roles), the prefixed universal of an identity whose C(admin) role is never purged, such as the administrator's (the
        C(identity) of M(venafi_tpp.auth.token_info)).
    type: str
seealso:
  - module: venafi_tpp.auth.api_integration
  - module: venafi_tpp.auth.jwt_mapping
  - module: venafi_tpp.auth.oauth_role
  - plugin: venafi_tpp.auth.oauth_configuration_export
    plugin_type: filter
'''

EXAMPLES = r'''
- name: Read the API integrations once
  venafi_tpp.auth.api_integration_info:
    access_token: "{{ admin_token }}"
  register: held

- name: Apply only the integrations that differ from TPP's
  venafi_tpp.auth.api_integration:
    access_token: "{{ admin_token }}"
    name: "{{ item.name }}"
    scope: "{{ item.scope }}"
    allowed_identities: "{{ item.allowed_identities }}"
  loop: "{{ (integrations | venafi_tpp.auth.oauth_configuration_changes('integrations', held.integrations)).apply }}"
  vars:
    integrations:
      - name: ansible-automation
        scope: certificate:discover,manage
        allowed_identities: [local:svc-ansible]

- name: Say which integrations TPP holds and the list does not name, except the administrator's
  ansible.builtin.debug:
    msg: >-
      {{ (integrations | venafi_tpp.auth.oauth_configuration_changes('integrations', held.integrations,
          keep_client_ids=['tpp-admin'])).purge | map(attribute='client_id') }}
'''

RETURN = r'''
_value:
  description: The items of the three lists, each in the order of its input.
  type: dict
  contains:
    apply:
      description:
        - The declared items (as given) to hand to the kind's module, those it would change and those whose change only the
          module can tell. Without them a run changes nothing.
      type: list
      elements: dict
    purge:
      description: The held items (as O(held) gives them) that no declared item names, less those in RV(_value.kept).
      type: list
      elements: dict
    kept:
      description:
        - The held items that no declared item names and that O(keep_client_ids) or O(keep_admin) protect (always empty for
          V(jwt_mappings)).
      type: list
      elements: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import KnownIdentities
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import held_state, plan_changes, wanted_settings
from ansible_collections.venafi_tpp.auth.plugins.module_utils._jwt_mappings import plan_mapping, wanted_mapping
from ansible_collections.venafi_tpp.auth.plugins.module_utils._roles import check_role_item, holds, role_entry


def _absent(item):
    return item.get('state') == 'absent'


def _integration_id(item):
    """The Client ID an api_integration task acts on."""
    return item.get('client_id') or item.get('name')


def _integration_differs(item, view):
    """True when api_integration, given ``item``, would change the integration TPP holds as ``view`` (None: none)."""
    if _absent(item) or view is None:
        return _absent(item) == (view is not None)
    try:
        current, rules = held_state(view)
        # Another name than TPP's fails without rename and renames with it: the Plan differs either way.
        plan = plan_changes(current, rules, KnownIdentities(view.get('allowed_identities') or ()), view['client_id'], wanted_settings(item),
                            item.get('purge_identities') is not False)
    except TppError:
        return True
    return plan.changed


def _integrations(declared, held, keep_client_ids, keep_admin):  # pylint: disable=unused-argument
    by_id = dict((view['client_id'], view) for view in held)
    named = set(_integration_id(item) for item in declared)
    undeclared = [view for view in held if view['client_id'] not in named]
    return ([item for item in declared if _integration_differs(item, by_id.get(_integration_id(item)))],
            undeclared, [view for view in undeclared if view['client_id'] in keep_client_ids])


def _mapping_differs(item, view, directory):
    """True when jwt_mapping, given ``item``, would change the mapping TPP holds as ``view`` (None: none)."""
    if _absent(item) or view is None:
        return _absent(item) == (view is not None)
    try:
        return plan_mapping(directory, view, wanted_mapping(item))[2]
    except TppError:
        return True


def _jwt_mappings(declared, held, keep_client_ids, keep_admin):  # pylint: disable=unused-argument
    by_name = dict((view['name'], view) for view in held)
    # A mapping's view names its fixed identity one way (by name, or by universal when TPP knows no name): known as itself.
    directory = KnownIdentities({'name': view['identity'], 'universal': view['identity']} for view in held if view.get('identity'))
    named = set(item.get('name') for item in declared)
    return ([item for item in declared if _mapping_differs(item, by_name.get(item.get('name')), directory)],
            [view for view in held if view['name'] not in named], [])


def _role_names(item):
    """The identity's names of a role item, checked as oauth_role checks them; None for an item oauth_role refuses."""
    try:
        return check_role_item(item.get('identity'), item.get('role'), item.get('client_id') or None)
    except TppError:
        return None


def _who(names, directory):
    """The identity view of ``names`` among the identities that hold a role, or None (it holds none)."""
    try:
        return directory.resolve(names, 'identity')[0]
    except TppError:
        return None


def _role_differs(item, entries, directory):
    """True when oauth_role, given ``item``, would give or take a role that ``entries`` (ListRoles') do or do not hold."""
    names = _role_names(item)
    if names is None:
        return True
    who = _who(names, directory)
    # An identity that holds no role here: a role to give differs, one to take is not held.
    held = who is not None and holds(entries, who['universal'], item['role'], item.get('client_id') or None)
    return held == _absent(item)


def _roles(declared, held, keep_client_ids, keep_admin):  # pylint: disable=unused-argument
    directory = KnownIdentities({'name': view.get('identity'), 'universal': view.get('universal')} for view in held)
    entries = [entry for entry in (role_entry(view) for view in held) if entry]
    named = []
    for item in declared:
        names = _role_names(item)
        who = _who(names, directory) if names else None
        if who is not None:
            named.append((who['universal'], item['role'], item.get('client_id') or None))

    def is_named(view):
        entry = role_entry(view)
        return entry is not None and any(holds([entry], *key) for key in named)

    undeclared = [view for view in held if not is_named(view)]
    return ([item for item in declared if _role_differs(item, entries, directory)], undeclared,
            [view for view in undeclared if view.get('role') == 'admin' and keep_admin
             and (view.get('universal') or '').lower() == keep_admin.lower()])


KINDS = {'integrations': _integrations, 'jwt_mappings': _jwt_mappings, 'roles': _roles}


def _items(value, what):
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, dict) for item in value):
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_changes: %s must be a list of mappings, not %s'
                                 % (what, type(value).__name__ if not isinstance(value, (list, tuple)) else 'a list with other items'))
    return list(value)


def oauth_configuration_changes(declared, kind, held, keep_client_ids=(), keep_admin=None):
    if kind not in KINDS:
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_changes: kind must be one of %s, not %s' % (', '.join(KINDS), kind))
    try:
        apply, undeclared, kept = KINDS[kind](_items(declared, 'the declared %s' % kind), _items(held, 'held (what TPP holds of %s)' % kind),
                                              list(keep_client_ids or ()), keep_admin)
    except KeyError as error:
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_changes: an item of held lacks %s; give the %s that the *_info module '
                                 'returned' % (error, kind)) from None
    kept_ids = set(id(view) for view in kept)
    return {'apply': apply, 'purge': [view for view in undeclared if id(view) not in kept_ids], 'kept': kept}


class FilterModule:
    def filters(self):
        return {'oauth_configuration_changes': oauth_configuration_changes}
