#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: token_info
short_description: Verify a Venafi TPP access token
version_added: 0.1.0
description:
  - Asks TPP's C(authorize/verify) whether O(access_token) is valid, and if so whose it is, for which API integration and scope,
    and when the token and its grant expire.
  - An invalid, expired or revoked token gives RV(valid=false), not a failure.
extends_documentation_fragment:
  - venafi_tpp.auth.connection
  - venafi_tpp.auth.attributes
  - venafi_tpp.auth.attributes.info_module
options:
  access_token:
    description:
      - The access token to verify. Never shown in output.
      - Falls back to the E(VENAFI_TPP_ACCESS_TOKEN) environment variable.
    type: str
    required: false
seealso:
  - module: venafi_tpp.auth.token
'''

EXAMPLES = r'''
- name: Verify a token
  venafi_tpp.auth.token_info:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ login.access_token }}"
  register: token_facts

- name: Renew when the token expires within a day
  ansible.builtin.debug:
    msg: The token needs renewing
  when: not token_facts.valid or token_facts.access_expires - now(utc=true).timestamp() < 86400

- name: Verify with the connection set once for the whole group
  module_defaults:
    group/venafi_tpp.auth.tpp:
      url: https://tpp.example.com
      ca_path: /etc/pki/tpp-ca.pem
  venafi_tpp.auth.token_info:
    access_token: "{{ login.access_token }}"
'''

RETURN = r'''
valid:
  description: Whether TPP accepts the token.
  returned: always
  type: bool
  sample: true
identity:
  description: The prefixed universal ID of the token's identity.
  returned: when RV(valid)
  type: str
  sample: "local:{198c2d48-9e79-4f10-b871-e2f109476032}"
application:
  description: The Client ID of the API integration that issued the token.
  returned: when RV(valid)
  type: str
  sample: vcert-sdk
scope:
  description: The token's scope, normalised.
  returned: when RV(valid)
  type: str
  sample: certificate:manage
access_expires:
  description: When the access token expires, in seconds since the epoch (C(access_issued_on) plus C(valid_for)).
  returned: when RV(valid)
  type: int
  sample: 1636492045
grant_expires:
  description: When the grant expires and the token can no longer be refreshed, in seconds since the epoch (null for a grant that never expires).
  returned: when RV(valid)
  type: int
  sample: 1667944045
access_issued_on:
  description: When the access token was issued (or last refreshed), in seconds since the epoch.
  returned: when RV(valid)
  type: int
  sample: 1604956045
grant_issued_on:
  description: When the grant was first issued, in seconds since the epoch.
  returned: when RV(valid)
  type: int
  sample: 1604956045
valid_for:
  description: The access token's lifetime in seconds.
  returned: when RV(valid)
  type: int
  sample: 7776000
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import verify


def inspect(tpp):
    if not tpp.params['access_token']:
        raise TppError('access_token is required: the token to verify')
    facts = verify(tpp.client(), tpp.params['access_token'])
    return facts or {'valid': False}


def main():
    run_info(inspect)


if __name__ == '__main__':
    main()
