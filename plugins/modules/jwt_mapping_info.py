#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: jwt_mapping_info
short_description: Read Venafi TPP JWT mappings
version_added: 0.2.0
description:
  - Reads one JWT mapping by O(name), or all of them, through TPP's grant-management API (C(GetJwtMapping), C(GetJwtMappings)).
  - Each mapping comes with the keys of the options of M(venafi_tpp.auth.jwt_mapping), so an item can be given back to that module,
    for example on another TPP server.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin
    (or Auditor) role.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.info_module
options:
  name:
    description:
      - The name of the mapping to read (exact, case-sensitive). Omit it to read every mapping.
      - A mapping that does not exist gives an empty RV(jwt_mappings), not a failure.
    type: str
notes:
  - Reading costs one request. A fixed identity is named by TPP's C(ResolveIdentities); only one TPP no longer resolves costs an
    C(identity/Validate), which needs the C(configuration) scope.
seealso:
  - module: venafi_tpp.auth.jwt_mapping
'''

EXAMPLES = r'''
# admin_login: an administrator's token registered with venafi_tpp.auth.token.
- name: Read every JWT mapping
  venafi_tpp.auth.jwt_mapping_info:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
  register: found

- name: Fail when an issuer other than the cluster's is trusted
  ansible.builtin.assert:
    that: found.jwt_mappings | map(attribute='issuer') | reject('eq', 'https://kubernetes.default.svc.cluster.local') | list == []
'''

RETURN = r'''
jwt_mappings:
  description: The mappings read, sorted by name; empty when O(name) does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The mapping's name.
      type: str
      sample: k8s-prod-ci
    issuer:
      description: The issuer TPP trusts (TPP's C(IssuerUri)).
      type: str
      sample: https://kubernetes.default.svc.cluster.local
    jwks_uri:
      description: Where TPP fetches the issuer's keys; null when it uses OpenID Connect discovery.
      type: str
      sample: https://k8s.example.com/openid/v1/jwks
    purpose_claim:
      description: The claim that says whom a JWT is for (TPP's C(PurposeField)).
      type: str
      sample: aud
    purpose_value:
      description: The value that claim must have (TPP's C(PurposeMatch)).
      type: str
      sample: https://tpp.example.com/vedauth
    identity_claim:
      description: The claim that names the identity (TPP's C(IdField)).
      type: str
      sample: sub
    identity_match:
      description: The regular expression whose first group names the identity (TPP's C(IdMatch)); null with a fixed RV(jwt_mappings[].identity).
      type: str
      sample: ^system:serviceaccount:ci:(.+)$
    identity:
      description:
        - The one fixed identity of the mapping (TPP's C(GranteePrefixedUniversal)), by prefixed name, or by prefixed universal when
          TPP no longer knows it; null when RV(jwt_mappings[].identity_match) names the identity.
      type: str
      sample: null
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._jwt_mappings import read_mappings
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info


def main():
    run_info(lambda tpp: dict(jwt_mappings=read_mappings(tpp.admin(), tpp.params['name'])), name=dict(type='str'))


if __name__ == '__main__':
    main()
