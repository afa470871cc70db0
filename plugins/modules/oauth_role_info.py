#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: oauth_role_info
short_description: List who holds which Venafi TPP OAuth role
version_added: 0.2.0
description:
  - Lists TPP's OAuth role assignments (C(oauth/ListRoles)), of every identity or of one, each in the form of
    M(venafi_tpp.auth.oauth_role)'s options, so that an item can be given back to that module.
  - Lists the roles given to the identity itself, not those it holds through its teams.
  - Authenticates with O(access_token) alone, of an identity with TPP's OAuth Admin or Auditor role (an integration's owner
    sees the roles of the integrations it owns).
extends_documentation_fragment:
  - venafi_tpp.auth.admin.info_module
options:
  identity:
    description:
      - List the roles of this identity alone, a prefixed name such as V(local:jdoe) or a prefixed universal, as
        O(venafi_tpp.auth.oauth_role#module:identity) takes it. An identity TPP does not know fails the task.
    type: str
notes:
  - Reading costs one C(ListRoles) and one C(identity/Validate) per identity listed (and for a prefixed name in O(identity)).
    Request C(admin:delete;configuration) for O(access_token).
seealso:
  - module: venafi_tpp.auth.oauth_role
'''

EXAMPLES = r'''
# admin_login: an administrator's token with the scope admin:delete;configuration, registered with venafi_tpp.auth.token.
- name: List the roles jdoe holds
  venafi_tpp.auth.oauth_role_info:
    identity: local:jdoe
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  register: jdoe_roles

- name: Show the integrations jdoe owns
  ansible.builtin.debug:
    msg: "{{ jdoe_roles.roles | selectattr('role', 'equalto', 'owner') | map(attribute='client_id') | list }}"
'''

RETURN = r'''
roles:
  description: The role assignments, sorted by identity, role and client_id.
  returned: always
  type: list
  elements: dict
  contains:
    identity:
      description: The prefixed name; the universal when TPP no longer knows the identity.
      type: str
      sample: local:jdoe
    universal:
      description: The prefixed universal.
      type: str
      sample: "local:{5be5a591-c842-4520-9142-b455f4ad2286}"
    role:
      description: The role, V(admin), V(grant_admin), V(auditor), V(owner) or V(maintainer).
      type: str
      sample: owner
    client_id:
      description: The API integration of an V(owner) or V(maintainer) role; null for a global role.
      type: str
      sample: ansible-automation
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory, check_names
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info
from ansible_collections.venafi_tpp.auth.plugins.module_utils._roles import list_roles, role_items


def read(tpp):
    names = check_names([tpp.params['identity']], 'identity') if tpp.params['identity'] is not None else None
    api = tpp.admin()
    directory = IdentityDirectory(api)
    universal = directory.resolve(names, 'identity')[0]['universal'] if names else None
    return dict(roles=role_items(list_roles(api), directory, universal))


def main():
    run_info(read, identity=dict(type='str'))


if __name__ == '__main__':
    main()
