#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: grant_info
short_description: Read the Venafi TPP grants of an API integration or of an identity, never a token
version_added: 0.2.0
description:
  - Reads the active grants of one API integration (O(client_id), with C(oauth/EnumerateGrants)) or of one identity on every
    integration (O(identity), with C(oauth/GetGrants)), with who holds them, through which rule, for which scope, and when they end.
  - Every authorization creates a grant that lives until it expires (a year by default) or is revoked. This module shows them,
    for example for a report of the grants that expire this month (O(expiring_within)); M(venafi_tpp.auth.grant) ends them.
  - TPP's grant records carry the grant's current access and refresh tokens. The module drops both as it reads each record, so
    no token value is ever returned, shown or logged.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin,
    Grant Admin or Auditor role (the Application Owner of O(client_id) sees its grants too, anyone their own).
extends_documentation_fragment:
  - venafi_tpp.auth.admin.info_module
options:
  client_id:
    description:
      - The Client ID of the integration whose grants to read (case-sensitive).
      - An integration that does not exist has no grants, an empty RV(grants), not a failure.
      - Give exactly one of O(client_id) or O(identity).
    type: str
  identity:
    description:
      - The identity whose grants to read, on every integration, as a prefixed name such as C(local:jdoe) or C(AD+corp:jdoe), or a
        prefixed universal such as C(local:{198c2d48-9e79-4f10-b871-e2f109476032}).
      - A name is resolved with C(identity/Validate), which needs the C(configuration) scope too; an unknown one fails.
      - Give exactly one of O(client_id) or O(identity).
    type: str
  expiring_within:
    description:
      - Only the grants that end within this long from now, as seconds or a duration such as C(30d), C(12h) or C(1d12h30m).
        Grants that never expire are left out.
      - V(now) is TPP's clock, read from the C(Date) header of its answers, so a controller whose clock is off does not shift
        the window. Before TPP has answered, the clock of the host that runs the module is used.
      - Omit it for every grant.
    type: raw
notes:
  - Requests grow with the number of pages, not of grants. The module asks for 1000 grants per request and stops at the first
    page that is not full, so 5000 grants cost six C(EnumerateGrants) requests, plus one C(identity/Validate) for an O(identity)
    given by name.
  - Request the scope C(admin:delete;configuration) for O(access_token) to read by name and to revoke with M(venafi_tpp.auth.grant).
seealso:
  - module: venafi_tpp.auth.grant
  - module: venafi_tpp.auth.api_integration_info
'''

EXAMPLES = r'''
# admin_login: an administrator's token registered with venafi_tpp.auth.token; an auditor's will do.
- name: Report on grants with the connection the token module returned
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  block:
    - name: Read the grants of an integration that end within 30 days
      venafi_tpp.auth.grant_info:
        client_id: ansible-automation
        expiring_within: 30d
      register: expiring

    - name: Say who must authorize again soon
      ansible.builtin.debug:
        msg: "{{ expiring.grants | map(attribute='identity') | unique | list }}"

    - name: Read the grants of a person, on every integration
      venafi_tpp.auth.grant_info:
        identity: local:jdoe
      register: jdoe_grants
'''

RETURN = r'''
grants:
  description: The active grants, in the order TPP issued them; empty when there are none or the integration does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    identity:
      description: The prefixed name of the identity that obtained the grant; null when TPP does not resolve it.
      type: str
      sample: local:jdoe
    universal:
      description: The prefixed universal of that identity.
      type: str
      sample: "local:{5be5a591-c842-4520-9142-b455f4ad2286}"
    granted_to:
      description:
        - The identity that the integration's rule allows, by prefixed name (its universal when TPP does not resolve it); a team
          such as C(local:Everyone) when the permission came through one.
      type: str
      sample: local:Everyone
    client_id:
      description: The Client ID of the integration.
      type: str
      sample: ansible-automation
    scope:
      description: The scope of the grant.
      type: str
      sample: certificate:discover,manage
    issued:
      description: When the grant was issued, in epoch seconds.
      type: int
      sample: 1767225600
    access_expires:
      description: When the grant's current access token expires, in epoch seconds; a refresh moves it.
      type: int
      sample: 1774915200
    grant_expires:
      description: When the grant ends and its refresh token stops working, in epoch seconds; null when it never expires.
      type: int
      sample: 1798761600
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._grants import GrantQuery, expiring_window, read_grants
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info


def read(tpp):
    query = GrantQuery(tpp.params['client_id'], tpp.params['identity'])
    window = expiring_window(tpp.params['expiring_within'])
    return dict(grants=read_grants(tpp.admin(), query, window))


def main():
    run_info(read, client_id=dict(type='str'), identity=dict(type='str'), expiring_within=dict(type='raw'))


if __name__ == '__main__':
    main()
