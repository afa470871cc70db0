#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: jwt_mapping
short_description: Create, update or delete a Venafi TPP JWT mapping, which lets auth_method jwt sign in
version_added: 0.2.0
description:
  - A JWT mapping tells TPP to trust the JWTs of one issuer (a CI system's OIDC tokens, a Kubernetes service account's tokens, any
    OpenID Connect provider) for C(POST /vedauth/authorize/jwt), which O(venafi_tpp.auth.token#module:auth_method=jwt) and the
    C(venafi_tpp.auth.access_token) lookup use. Without one, signing in with a JWT fails.
  - TPP checks that the JWT's C(iss) is O(issuer), verifies its signature with the issuer's keys (fetched over HTTPS by OpenID Connect
    discovery at O(issuer), or from O(jwks_uri)), that its O(purpose_claim) is O(purpose_value), and takes the identity from its
    O(identity_claim) through O(identity_match), or uses the fixed O(identity). That identity then needs to be allowed to use the
    API integration it requests a token of (M(venafi_tpp.auth.api_integration)).
  - The task declares the whole mapping, as TPP stores it whole (C(UpdateJwtMapping) replaces every field). It reads the mapping,
    compares, and writes only when something differs; a run that changes nothing sends no write and reports no change.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin role.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.module
attributes:
  check_mode:
    description: Reads the mapping (and resolves O(identity)), then reports what would change without writing.
    support: full
  diff_mode:
    description: Shows the mapping before and after, with the keys of the module's options.
    support: full
options:
  name:
    description: The mapping's name, its key on TPP (exact, case-sensitive).
    type: str
    required: true
  state:
    description:
      - V(present) creates the mapping or makes it as declared, V(absent) deletes it. Deleting one that does not exist is not a change.
      - With V(absent) only O(name) is used.
    type: str
    choices: [present, absent]
    default: present
  issuer:
    description:
      - The issuer TPP trusts, exactly as the JWTs name it in their C(iss) claim (a trailing slash counts). Required with O(state=present).
      - An C(https://) URL. Without O(jwks_uri), TPP finds the issuer's keys by OpenID Connect discovery,
        C(<issuer>/.well-known/openid-configuration).
      - For example V(https://token.actions.githubusercontent.com) (GitHub Actions), V(https://gitlab.example.com) (GitLab CI), or a
        Kubernetes cluster's service account issuer.
    type: str
  jwks_uri:
    description:
      - Where TPP fetches the issuer's keys (a JSON Web Key Set) when it should not use OpenID Connect discovery, for example because
        the issuer URL serves no discovery document (common for Kubernetes clusters). An C(https://) URL.
      - Every mapping of one issuer must name the same O(jwks_uri) or none, as TPP caches keys per issuer.
      - Not set, the mapping has none.
    type: str
  purpose_claim:
    description: The claim of the JWT that says whom it is for.
    type: str
    default: aud
  purpose_value:
    description:
      - The value O(purpose_claim) must have (when it is a list, one of its items), for example the TPP URL with C(/vedauth), so that
        a JWT minted for another service does not sign in here. Required with O(state=present).
    type: str
  identity_claim:
    description: The claim of the JWT that names the identity.
    type: str
    default: sub
  identity_match:
    description:
      - A regular expression searched in O(identity_claim); its first group names the TPP identity (a prefixed name such as
        C(local:svc-ansible), a local user name, or a prefixed universal). For example V(^(.+\)$) takes the whole claim, and
        V(^system:serviceaccount:ci:(.+\)$) a Kubernetes service account's name in the namespace C(ci).
      - TPP uses .NET regular expressions; the module checks it with Python's, which agree on the common syntax, before any request.
      - Give either O(identity_match) or O(identity).
    type: str
  identity:
    description:
      - One fixed identity for every JWT of the mapping, a prefixed name such as V(local:svc-ansible) or a prefixed universal,
        instead of O(identity_match). It must be a user that TPP knows; the module resolves it with C(identity/Validate).
      - Give either O(identity_match) or O(identity).
    type: str
notes:
  - O(access_token) needs the C(configuration) scope too when O(identity) is given, for C(identity/Validate), so request
    C(admin:delete;configuration).
  - A run that changes nothing sends one request, C(GetJwtMapping) (plus an C(identity/Validate) when O(identity) is not yet the
    mapping's identity).
seealso:
  - module: venafi_tpp.auth.jwt_mapping_info
  - module: venafi_tpp.auth.token
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
# admin_login: an administrator's token with the scope admin:delete;configuration, registered with venafi_tpp.auth.token;
# its connection holds url, ca_path, validate_certs and the token.
- name: Map the JWTs of identity providers to TPP identities
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  block:
    # GitHub lets any workflow choose its token's audience, so the expression admits only the organisation's repositories,
    # and only their production environment; each repository signs in as the TPP user named after it.
    - name: Trust the OIDC tokens of GitHub Actions jobs of the organisation example in its production environment
      venafi_tpp.auth.jwt_mapping:
        name: github-actions-example
        issuer: https://token.actions.githubusercontent.com
        purpose_value: https://tpp.example.com/vedauth
        identity_match: ^repo:example/([A-Za-z0-9_.-]+):environment:production$

    - name: Let every JWT of an internal issuer sign in as one service account
      venafi_tpp.auth.jwt_mapping:
        name: build-farm
        issuer: https://idp.example.com/build-farm
        purpose_value: https://tpp.example.com/vedauth
        identity: local:svc-ansible

    - name: Trust a Kubernetes cluster's service account tokens of the namespace ci; the account's name is the TPP user's
      venafi_tpp.auth.jwt_mapping:
        name: k8s-prod-ci
        issuer: https://kubernetes.default.svc.cluster.local
        jwks_uri: https://k8s.example.com/openid/v1/jwks
        purpose_value: https://tpp.example.com/vedauth
        identity_match: ^system:serviceaccount:ci:(.+)$

    - name: Delete a mapping; its JWTs no longer sign in
      venafi_tpp.auth.jwt_mapping:
        name: k8s-prod-ci
        state: absent
'''

RETURN = r'''
jwt_mapping:
  description:
    - The mapping after the task, or in check mode as the task would leave it. RV(venafi_tpp.auth.jwt_mapping_info#module:jwt_mappings)
      describes its keys.
  returned: when O(state=present)
  type: dict
  sample:
    name: k8s-prod-ci
    issuer: https://kubernetes.default.svc.cluster.local
    jwks_uri: https://k8s.example.com/openid/v1/jwks
    purpose_claim: aud
    purpose_value: https://tpp.example.com/vedauth
    identity_claim: sub
    identity_match: ^system:serviceaccount:ci:(.+)$
    identity: null
msg:
  description: What the task did, or in check mode what it would do.
  returned: always
  type: str
  sample: created the JWT mapping k8s-prod-ci
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory
from ansible_collections.venafi_tpp.auth.plugins.module_utils._jwt_mappings import (
    delete_mapping, get_mapping, plan_mapping, wanted_mapping, write_mapping,
)
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec


def present(tpp):
    wanted = wanted_mapping(tpp.params)
    api = tpp.admin()
    directory = IdentityDirectory(api)
    name = wanted['name']
    before = get_mapping(api, directory, name)
    wanted, after, changed = plan_mapping(directory, before, wanted)
    if changed and not tpp.check_mode:
        write_mapping(api, wanted, exists=before is not None)
    done = '%s the JWT mapping %s' % ('updated' if before else 'created', name) if changed else 'the JWT mapping %s is as wanted' % name
    return tpp.change(changed, done, (before or {}, after), jwt_mapping=after)


def absent(tpp):
    name = tpp.params['name']
    api = tpp.admin()
    before = get_mapping(api, IdentityDirectory(api), name)
    if before is None:
        return tpp.change(False, 'the JWT mapping %s does not exist' % name)
    if not tpp.check_mode:
        delete_mapping(api, name)
    return tpp.change(True, 'deleted the JWT mapping %s' % name, (before, {}))


def main():
    tpp = TppModule(argument_spec(
        CONNECTION, ACCESS_TOKEN,
        name=dict(type='str', required=True),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        issuer=dict(type='str'),
        jwks_uri=dict(type='str'),
        purpose_claim=dict(type='str', default='aud'),
        purpose_value=dict(type='str'),
        identity_claim=dict(type='str', default='sub'),
        identity_match=dict(type='str'),
        identity=dict(type='str'),
    ), supports_check_mode=True)
    tpp.run(present if tpp.params['state'] == 'present' else absent)


if __name__ == '__main__':
    main()
