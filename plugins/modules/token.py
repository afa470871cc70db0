#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: token
short_description: Obtain or revoke a Venafi TPP access token
version_added: 0.1.0
description:
  - With O(state=present), obtains an access token (and, when the API integration allows it, a refresh token) from TPP's
    VEDAuth service by password, Windows integrated authentication (NTLM), client certificate, JWT or refresh token.
    Every authorization creates a grant on TPP, so the task always reports a change.
  - With O(state=absent), revokes the grant of O(access_token) (its access and refresh token). Reports a change only when a
    grant was revoked; a token that is already invalid, expired or revoked is not an error.
  - The returned tokens are secrets. The task result is hidden from output at every verbosity and from callbacks, but a
    registered variable holds it all, so later tasks can use RV(access_token) and RV(refresh_token).
extends_documentation_fragment:
  - venafi_tpp.auth.connection
  - venafi_tpp.auth.auth
  - venafi_tpp.auth.attributes
attributes:
  check_mode:
    description:
      - Can run in check mode and return a prediction of its changed status without changing anything on TPP.
      - >-
        With O(state=present) nothing is sent; placeholder values are returned and RV(msg) says so. Every module of the
        collection refuses the placeholder token (C(check-mode-placeholder)) with a message that says what to do: to use
        the token in later tasks under C(--check), give the task that obtains it C(check_mode: false), and the task that
        revokes it too, so that the run leaves no grant behind.
      - With O(state=absent) only C(authorize/verify), a read, is sent, to predict whether a grant would be revoked.
    support: full
  diff_mode:
    description: Tokens are not shown, so there is nothing to diff.
    support: none
options:
  state:
    description:
      - V(present) obtains a token, V(absent) revokes the grant of O(access_token).
    type: str
    choices: [present, absent]
    default: present
  access_token:
    description:
      - The access token whose grant to revoke, with O(state=absent). Never shown in output.
      - Falls back to the E(VENAFI_TPP_ACCESS_TOKEN) environment variable.
    type: str
notes:
  - The result of O(state=present) is marked C(no_log) by the module's action plugin. To see it, register it and use its
    keys, for example C({{ login.access_token }}); do not print it.
  - >-
    A task that loops over registered token results, such as C(loop: "{{ logins.results }}"), prints each item, and
    with it the tokens it holds, at C(-v). C(loop_control.label) does not prevent it: it only shortens the task's line,
    and the result printed at C(-v) still holds the whole item. Loop over something that holds no token, such as the
    scopes, and look each token up by its index (see EXAMPLES), or give the task C(no_log: true), which also hides its
    results and the message of a failure.
seealso:
  - module: venafi_tpp.auth.token_info
'''

EXAMPLES = r'''
- name: Obtain a token with a password
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    client_id: ansible-automation
    scope: certificate:discover,manage
    username: svc-ansible
    password: "{{ vault_tpp_password }}"
  register: login

# check_mode: false on the tasks that obtain and revoke: under --check, the task in between gets a real token, and
# the run still leaves no grant behind.
- name: Use the token and revoke it at the end, with the connection set once for every module
  module_defaults:
    group/venafi_tpp.auth.tpp:
      url: https://tpp.example.com
      ca_path: /etc/pki/tpp-ca.pem
  block:
    - name: Obtain a token with Windows integrated authentication
      venafi_tpp.auth.token:
        auth_method: integrated
        client_id: ansible-automation
        scope: {certificate: [discover, manage]}
        username: CORP\svc-ansible
        password: "{{ vault_windows_password }}"
      check_mode: false
      register: login

    - name: Check who the token belongs to
      venafi_tpp.auth.token_info:
        access_token: "{{ login.access_token }}"
      register: token_facts

    - name: Revoke the grant
      venafi_tpp.auth.token:
        state: absent
        access_token: "{{ login.access_token }}"
      check_mode: false

- name: Obtain tokens for two scopes, registered as a list in logins.results
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    client_id: ansible-automation
    scope: "{{ item }}"
    username: svc-ansible
    password: "{{ vault_tpp_password }}"
  loop: [certificate:discover, certificate:manage]
  check_mode: false
  register: logins

- name: Revoke them, looping over the scopes, not over the results that hold the tokens (they would show at -v)
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    state: absent
    access_token: "{{ logins.results[index].access_token }}"
  loop: "{{ logins.results | map(attribute='item') | list }}"
  loop_control:
    index_var: index
  check_mode: false

- name: Obtain a token with a client certificate, taking client_id, scope and url from a client JSON
  venafi_tpp.auth.token:
    auth_method: certificate
    client_json: /etc/venafi/ansible-automation.json
    client_cert: /etc/pki/svc-ansible.pem
    client_key: /etc/pki/svc-ansible.key
  register: login

- name: Obtain a token with a JWT from the identity provider
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    auth_method: jwt
    client_id: ansible-automation
    scope: certificate:manage
    jwt: "{{ idp_jwt }}"
  register: login

- name: Exchange the refresh token for a new token pair (the old refresh token stops working)
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    auth_method: refresh
    client_id: ansible-automation
    refresh_token: "{{ login.refresh_token }}"
  register: login

# admin_login, as the examples of the modules that manage TPP's OAuth configuration call it. With check_mode: false on
# obtaining and revoking it, those modules read TPP with a real token under --check --diff, and the run leaves no grant.
- name: Obtain an administrator's token
  venafi_tpp.auth.token:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    client_id: tpp-admin
    scope: admin:delete;configuration
    username: admin
    password: "{{ vault_tpp_admin_password }}"
  check_mode: false
  register: admin_login

- name: Revoke it at the end, with the connection it came with
  venafi_tpp.auth.token:
    state: absent
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  check_mode: false
'''

RETURN = r'''
access_token:
  description: 'The access token, to send in an C(Authorization: Bearer) header.'
  returned: when O(state=present); in check mode the placeholder C(check-mode-placeholder), which every module refuses
  type: str
  sample: KT2EEVTIjWM/37L78dqJAg==
refresh_token:
  description: The refresh token, when the API integration allows refresh (else null). It works once.
  returned: when O(state=present)
  type: str
  sample: f60/oxwEeBAqUSCalEzUJw==
expires:
  description: When the access token expires, in seconds since the epoch.
  returned: when O(state=present)
  type: int
  sample: 1565028229
expires_in:
  description: Seconds until the access token expires, as TPP computed it.
  returned: when O(state=present)
  type: int
  sample: 7775999
refresh_until:
  description: When the grant expires and the refresh token stops working, in seconds since the epoch.
  returned: when O(state=present)
  type: int
  sample: 1596564229
scope:
  description: The granted scope, normalised (lower-case, sorted).
  returned: when O(state=present)
  type: str
  sample: certificate:discover,manage
identity:
  description: The prefixed universal ID of the identity the token belongs to.
  returned: when O(state=present)
  type: str
  sample: "local:{198c2d48-9e79-4f10-b871-e2f109476032}"
token_type:
  description: Always C(Bearer).
  returned: when O(state=present)
  type: str
  sample: Bearer
url:
  description: The TPP base URL used, normalised, so the result can feed other modules.
  returned: always
  type: str
  sample: https://tpp.example.com
ca_path:
  description: The CA bundle used, so the result can feed other modules.
  returned: always
  type: str
  sample: /etc/pki/tpp-ca.pem
auth_method:
  description:
    - How the token was obtained, O(auth_method), for the lock-out guard of M(venafi_tpp.auth.token_settings)
      (its O(venafi_tpp.auth.token_settings#module:access_token_auth_method) option). V(refresh) for a token from a refresh token.
  returned: when O(state=present)
  type: str
  sample: certificate
  version_added: 0.2.0
connection:
  description:
    - The options of every module in the C(venafi_tpp.auth.tpp) action group that this token satisfies, ready for
      C(module_defaults), for example V(group/venafi_tpp.auth.tpp) set to C({{ login.connection }}).
  returned: when O(state=present), with the placeholder token in check mode
  type: dict
  sample: {url: https://tpp.example.com, ca_path: /etc/pki/tpp-ca.pem, validate_certs: true, access_token: KT2EEVTIjWM/37L78dqJAg==}
msg:
  description: What happened, in check mode what would happen.
  returned: always
  type: str
  sample: obtained a token for local:{198c2d48-9e79-4f10-b871-e2f109476032} with scope certificate:manage
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, AUTH, CONNECTION, argument_spec
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import CHECK_MODE_PLACEHOLDER, TOKEN_KEYS, revoke, verify


def obtain(tpp):
    method = tpp.auth_method()
    client = tpp.client()
    result = dict(url=client.url, ca_path=tpp.options['ca_path'], auth_method=tpp.options['auth_method'], changed=True)
    if tpp.check_mode:
        result.update((key, CHECK_MODE_PLACEHOLDER if key in ('access_token', 'refresh_token', 'identity', 'scope', 'token_type') else 0)
                      for key in TOKEN_KEYS)
        result['msg'] = 'check mode: no token was requested; the token values are placeholders'
    else:
        result.update(method.authenticate(client))
        result['msg'] = 'obtained a token for %s with scope %s' % (result['identity'], result['scope'])
    result['connection'] = dict(url=client.url, ca_path=tpp.options['ca_path'], validate_certs=tpp.options['validate_certs'],
                                access_token=result['access_token'])
    return result


def revoke_grant(tpp):
    access_token = tpp.params['access_token']
    if not access_token:
        raise TppError('state=absent needs access_token, the token whose grant to revoke')
    client = tpp.client()
    result = dict(url=client.url, ca_path=tpp.options['ca_path'])
    if tpp.check_mode:
        result['changed'] = verify(client, access_token) is not None
        result['msg'] = 'check mode: the grant %s' % ('would be revoked' if result['changed'] else 'is already invalid, expired or revoked')
        return result
    result['changed'] = revoke(client, access_token)
    result['msg'] = 'revoked the grant' if result['changed'] else 'the token was already invalid, expired or revoked'
    return result


def main():
    tpp = TppModule(argument_spec(CONNECTION, AUTH, ACCESS_TOKEN, state=dict(type='str', default='present', choices=['present', 'absent'])),
                    supports_check_mode=True)
    tpp.run(obtain if tpp.params['state'] == 'present' else revoke_grant)


if __name__ == '__main__':
    main()
