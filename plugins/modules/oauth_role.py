#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: oauth_role
short_description: Give or take a Venafi TPP OAuth role, to administer all API integrations or one
version_added: 0.2.0
description:
  - Gives an identity one of TPP's OAuth roles, or takes it away (C(oauth/GrantRole), C(RevokeRole)), so that it may
    administer TPP's OAuth configuration or delegate one API integration to its owner.
  - V(admin) may do everything; V(grant_admin) may read integrations and rules and list and revoke every grant; V(auditor) may
    read everything and change nothing; V(owner) of an integration may update and delete it, decide who may use it, revoke its
    grants and delegate it further, but not create integrations; V(maintainer) of an integration may update its properties.
  - A global role (V(admin), V(grant_admin), V(auditor)) overrides the integration roles of the same identity (TPP's rule).
  - Idempotent through C(ListRoles). A run that changes nothing sends no write and reports no change.
  - Authenticates with O(access_token) alone, of an identity with TPP's OAuth Admin role (an integration's owner may give and
    take the V(owner) and V(maintainer) roles of that integration).
extends_documentation_fragment:
  - venafi_tpp.auth.admin.module
attributes:
  check_mode:
    description: Reads the roles and resolves O(identity), then reports what would change without writing.
    support: full
  diff_mode:
    description: Shows the role item (RV(role)) before and after; C({}) where the identity does not hold the role.
    support: full
options:
  identity:
    description:
      - The user, team or service account, as a prefixed name such as V(local:jdoe) or V(AD+corp:PKI Operators), or a prefixed
        universal such as V(local:{198c2d48-9e79-4f10-b871-e2f109476032}), as in
        O(venafi_tpp.auth.api_integration#module:allowed_identities).
      - Resolved with TPP's C(identity/Validate), which needs the C(configuration) scope too; an identity TPP does not know fails
        the task, naming it.
    type: str
    required: true
  role:
    description:
      - The OAuth role.
    type: str
    required: true
    choices: [admin, grant_admin, auditor, owner, maintainer]
  client_id:
    description:
      - The API integration whose V(owner) or V(maintainer) the identity becomes; required with those roles, refused with the
        global ones.
    type: str
  state:
    description:
      - V(present) gives the role, V(absent) takes it away.
    type: str
    choices: [present, absent]
    default: present
notes:
  - A run costs one C(identity/Validate) for a prefixed name, one C(ListRoles), and one C(GrantRole) or C(RevokeRole) when
    something changes. Request C(admin:delete;configuration) for O(access_token).
seealso:
  - module: venafi_tpp.auth.oauth_role_info
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
# admin_login: an administrator's token with the scope admin:delete;configuration, registered with venafi_tpp.auth.token.
- name: Delegate one integration to its owner, with the connection the token module returned
  venafi_tpp.auth.oauth_role:
    identity: local:jdoe
    role: owner
    client_id: ansible-automation
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"

- name: Take the auditor role from the PKI Operators team
  venafi_tpp.auth.oauth_role:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    identity: local:PKI Operators
    role: auditor
    state: absent
'''

RETURN = r'''
role:
  description:
    - The role item the task is about, with the keys of an item of RV(venafi_tpp.auth.oauth_role_info#module:roles), where each is
      described; C(client_id) is null for a global role.
  returned: always
  type: dict
  sample: {identity: local:jdoe, universal: "local:{5be5a591-c842-4520-9142-b455f4ad2286}", role: owner, client_id: ansible-automation}
msg:
  description: What happened, in check mode what would happen.
  returned: always
  type: str
  sample: granted local:jdoe the owner role of the API integration ansible-automation
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec
from ansible_collections.venafi_tpp.auth.plugins.module_utils._roles import (
    ROLE_NAMES, check_role_item, holds, list_roles, role_body, role_item)


def apply(tpp):
    role, client_id, present = tpp.params['role'], tpp.params['client_id'], tpp.params['state'] == 'present'
    names = check_role_item(tpp.params['identity'], role, client_id)
    api = tpp.admin()
    [who] = IdentityDirectory(api).resolve(names, 'identity')
    item = role_item(who, role, client_id)
    held = holds(list_roles(api), who['universal'], role, client_id)
    which = 'the %s role%s' % (role, ' of the API integration %s' % client_id if client_id else '')
    changed = held != present
    if changed and not tpp.check_mode:
        api.call('GrantRole' if present else 'RevokeRole', role_body(who['universal'], role, client_id),
                 '%s %s %s' % ('granting' if present else 'revoking from', item['identity'], which))
    if changed:
        done = ('granted %s %s' if present else 'revoked %s from %s') % ((item['identity'], which) if present else (which, item['identity']))
    else:
        done = '%s %s %s' % (item['identity'], 'holds' if held else 'does not hold', which)
    return tpp.change(changed, done, (item if held else {}, item if present else {}), role=item)


def main():
    tpp = TppModule(argument_spec(CONNECTION, ACCESS_TOKEN, identity=dict(type='str', required=True),
                                  role=dict(type='str', required=True, choices=list(ROLE_NAMES)), client_id=dict(type='str'),
                                  state=dict(type='str', default='present', choices=['present', 'absent'])),
                    supports_check_mode=True)
    tpp.run(apply)


if __name__ == '__main__':
    main()
