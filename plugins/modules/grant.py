#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: grant
short_description: End every Venafi TPP grant of an identity or of an API integration (offboarding)
version_added: 0.2.0
description:
  - Revokes every active grant of one identity, on every API integration (O(identity)), or of one integration (O(client_id)),
    with TPP's C(oauth/RevokeGrants). Their access and refresh tokens stop working at once.
  - Removing a person from an integration's allowed identities does not end the grants they already hold; this does. Use it
    when someone leaves, or to make every user of an integration authorize again.
  - Reads the grants first (as M(venafi_tpp.auth.grant_info) does), so it is idempotent; when there are none it sends no
    write and reports no change. No token value is ever returned, shown or logged.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin
    or Grant Admin role (the Application Owner of O(client_id) may end its grants too, anyone their own).
extends_documentation_fragment:
  - venafi_tpp.auth.admin.module
attributes:
  check_mode:
    description: Reads the grants and reports how many would end, without revoking any.
    support: full
  diff_mode:
    description: Shows the grants that end (as RV(venafi_tpp.auth.grant_info#module:grants) gives them) before, and none after.
    support: full
options:
  state:
    description:
      - V(absent) ends every grant of O(identity) or O(client_id). Grants are created by authorizing (M(venafi_tpp.auth.token),
        the C(venafi_tpp.auth.access_token) lookup), never by this module.
    type: str
    choices: [absent]
    default: absent
  identity:
    description:
      - The identity whose grants end, on every integration, by prefixed name or prefixed universal as for
        O(venafi_tpp.auth.grant_info#module:identity), which also reads them.
      - Give exactly one of O(identity) or O(client_id).
    type: str
  client_id:
    description:
      - The Client ID of the integration whose grants end, all of them, whoever holds them (case-sensitive).
      - An integration that does not exist has no grants to end.
      - Give exactly one of O(identity) or O(client_id).
    type: str
notes:
  - Request the scope C(admin:delete;configuration) for O(access_token). Revoking the grants of the identity of O(access_token)
    itself, or of the integration it came from, also ends O(access_token).
  - TPP revokes every grant that matches when it receives the request; RV(revoked) counts those the read just before found.
seealso:
  - module: venafi_tpp.auth.grant_info
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
# admin_login: an administrator's token with the scope admin:delete;configuration, registered with venafi_tpp.auth.token.
- name: End every grant of a person who left, on every integration
  venafi_tpp.auth.grant:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    identity: local:jdoe
  register: offboarded

- name: Make every user of an integration authorize again, with the connection the token module returned
  venafi_tpp.auth.grant:
    client_id: ansible-automation
    state: absent
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
'''

RETURN = r'''
revoked:
  description: How many grants ended (in check mode, would end); 0 when there were none.
  returned: always
  type: int
  sample: 2
grants:
  description: The grants that ended (in check mode, would end), with the keys of RV(venafi_tpp.auth.grant_info#module:grants); never a token.
  returned: always
  type: list
  elements: dict
  sample:
    - identity: local:jdoe
      universal: "local:{5be5a591-c842-4520-9142-b455f4ad2286}"
      granted_to: local:Everyone
      client_id: ansible-automation
      scope: certificate:discover,manage
      issued: 1767225600
      access_expires: 1774915200
      grant_expires: 1798761600
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._grants import GrantQuery, read_grants, revoke_grants
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec


def absent(tpp):
    query = GrantQuery(tpp.params['client_id'], tpp.params['identity'])
    api = tpp.admin()
    grants = read_grants(api, query)
    if grants and not tpp.check_mode:
        revoke_grants(api, query)
    done = 'revoked %d grant(s): %s' % (len(grants), query.what) if grants else 'no grant to revoke: %s' % query.what
    return tpp.change(bool(grants), done, ({'grants': grants}, {'grants': []}), revoked=len(grants), grants=grants)


def main():
    tpp = TppModule(argument_spec(CONNECTION, ACCESS_TOKEN, state=dict(type='str', choices=['absent'], default='absent'),
                                  identity=dict(type='str'), client_id=dict(type='str')),
                    supports_check_mode=True)
    tpp.run(absent)


if __name__ == '__main__':
    main()
