# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: oauth_configuration_export
short_description: What TPP holds of one kind of its OAuth configuration, as items that the kind's module takes back
version_added: 0.2.0
description:
  - Turns what a C(*_info) module returned (API integrations, JWT mappings or OAuth roles) into declared items, each with the
    keys of the options of the kind's module and nothing else, so that applying them to a server (the same one, or another)
    gives it what was read.
  - V(integrations) leave out the read-only fields (C(minimum_scope), the grant counts), name each allowed identity by its
    prefixed name (by its prefixed universal only when TPP no longer knows the name), and give V(default) for a lifetime that
    follows TPP's global default, so that applying the item sets it back to that default. An allowed identity's own rule scope
    or lifetimes are not kept (M(venafi_tpp.auth.api_integration) gives every allowed identity the integration's whole scope).
  - V(jwt_mappings) and V(roles) leave out the keys whose value is null, and a role its identity's C(universal).
  - The role C(venafi_tpp.auth.oauth_configuration) writes its export (C(tasks_from=export)) with it.
author:
  - Venafi TPP Auth Collection Team (@venafi-tpp)
options:
  _input:
    description:
      - What TPP holds of O(kind), as the kind's C(*_info) module returned it (C(integrations) of
        M(venafi_tpp.auth.api_integration_info), C(jwt_mappings) of M(venafi_tpp.auth.jwt_mapping_info), C(roles) of
        M(venafi_tpp.auth.oauth_role_info)).
    type: list
    elements: dict
    required: true
  kind:
    description: Which kind O(_input) holds.
    type: str
    required: true
    choices: [integrations, jwt_mappings, roles]
seealso:
  - plugin: venafi_tpp.auth.oauth_configuration_changes
    plugin_type: filter
    description: Which declared items differ from what TPP holds.
'''

EXAMPLES = r'''
- name: Read the API integrations
  venafi_tpp.auth.api_integration_info:
    access_token: "{{ admin_token }}"
  register: held

- name: Write them as a list of api_integration items
  ansible.builtin.copy:
    content: "{{ held.integrations | venafi_tpp.auth.oauth_configuration_export('integrations') | to_nice_yaml(sort_keys=false) }}"
    dest: /srv/tpp/integrations.yml
    mode: "0600"
  delegate_to: localhost
'''

RETURN = r'''
_value:
  description: One item per item of O(_input), in its order, with the keys of the options of the kind's module.
  type: list
  elements: dict
  sample:
    - name: ansible-automation
      client_id: ansible-automation
      vendor: ''
      description: ''
      info_url: ''
      scope: certificate:discover,manage
      token_validity: default
      grant_validity: 2592000
      unused_token_expiration: default
      allowed_identities: [local:svc-ansible]
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import integration_options


def _without(view, *keys):
    return dict((key, value) for key, value in view.items() if value is not None and key not in keys)


KINDS = {'integrations': integration_options, 'jwt_mappings': _without, 'roles': lambda view: _without(view, 'universal')}


def oauth_configuration_export(held, kind):
    if kind not in KINDS:
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_export: kind must be one of %s, not %s' % (', '.join(KINDS), kind))
    if not isinstance(held, (list, tuple)) or not all(isinstance(view, dict) for view in held):
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_export: give the %s that the *_info module returned, a list of mappings'
                                 % kind)
    try:
        return [KINDS[kind](view) for view in held]
    except KeyError as error:
        raise AnsibleFilterError('venafi_tpp.auth.oauth_configuration_export: an item of %s lacks %s; give what the *_info module returned'
                                 % (kind, error)) from None


class FilterModule:
    def filters(self):
        return {'oauth_configuration_export': oauth_configuration_export}
