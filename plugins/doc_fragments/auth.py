# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How to obtain a token: the auth method and its credentials."""


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  auth_method:
    description:
      - How to authenticate to VEDAuth.
      - V(password) uses C(authorize/oauth) with O(username) and O(password).
      - V(integrated) uses C(authorize/integrated), Windows integrated authentication over NTLM, with O(username) as C(DOMAIN\user)
        (or C(user@domain)) and O(password). Needs the Python library C(requests-ntlm).
      - V(certificate) uses C(authorize/certificate), mutual TLS with O(client_cert) and O(client_key).
      - V(jwt) uses C(authorize/jwt) with a JSON Web Token from an identity provider that a TPP JWT mapping trusts, in O(jwt).
      - V(refresh) uses C(authorize/token) to exchange O(refresh_token) for a new access token and a new refresh token of the same grant.
        A refresh token works only once. O(scope) is not used, the grant keeps its scope.
      - Falls back to the E(VENAFI_TPP_AUTH_METHOD) environment variable.
    type: str
    choices: [certificate, integrated, jwt, password, refresh]
    default: password
  client_id:
    description:
      - The Client ID of the API integration to authorize with (case-sensitive).
      - When not set, taken from O(client_json), then from the E(VENAFI_TPP_CLIENT_ID) environment variable.
    type: str
  scope:
    description:
      - The scope to request, all or part of the API integration's scope. Not used with O(auth_method=refresh).
      - 'A string such as V(certificate:discover,manage;configuration), a list such as V([certificate:manage, ssh]),
        or a mapping of scope to restrictions such as V({certificate: [discover, manage], ssh: []}).'
      - Checked against TPP's scope map before any request; an unknown scope or restriction fails, naming it and the allowed values.
      - When not set, taken from O(client_json), then from the E(VENAFI_TPP_SCOPE) environment variable.
    type: raw
  username:
    description:
      - User name for O(auth_method=password) (optionally prefixed with its identity provider), or C(DOMAIN\user) (or C(user@domain))
        for O(auth_method=integrated), which refuses a name without a domain before any request.
      - 'In YAML, C(DOMAIN\user) has one backslash when written unquoted (C(username: CORP\svc-ansible)) or in single quotes
        (C(username: ''CORP\svc-ansible'')); in double quotes, write the backslash twice (C(username: "CORP\\svc-ansible")).'
      - Falls back to the E(VENAFI_TPP_USERNAME) environment variable.
    type: str
  password:
    description:
      - Password for O(auth_method=password) and O(auth_method=integrated). Never shown in output.
      - Falls back to the E(VENAFI_TPP_PASSWORD) environment variable.
    type: str
  client_cert:
    description:
      - PEM client certificate for O(auth_method=certificate); it may also hold the private key.
      - Falls back to the E(VENAFI_TPP_CLIENT_CERT) environment variable.
    type: path
  client_key:
    description:
      - Unencrypted PEM private key of O(client_cert), when it is in a file of its own. A O(client_cert) without its key fails
        before any request, asking for this option.
      - Falls back to the E(VENAFI_TPP_CLIENT_KEY) environment variable.
    type: path
  jwt:
    description:
      - The JSON Web Token for O(auth_method=jwt). Never shown in output.
      - Falls back to the E(VENAFI_TPP_JWT) environment variable.
    type: str
  refresh_token:
    description:
      - The refresh token for O(auth_method=refresh). Never shown in output.
      - Falls back to the E(VENAFI_TPP_REFRESH_TOKEN) environment variable.
    type: str
  client_json:
    description:
      - 'The client JSON of an API integration, C({"client_id": ..., "scope": ..., "url": ...}), as a path to a file, its text or a mapping.'
      - It supplies O(client_id), O(scope) and O(url); options given explicitly win over it.
      - A relative path is looked for on the controller, where M(ansible.builtin.copy) looks for its C(src) - in the C(files/)
        directory and the directory of the role, then of the playbook - not in the current working directory. The module then
        gets the file's content, so the file does not need to be on the host the module runs on.
      - An absolute path (or one starting with C(~)) is read where the plugin runs - the lookup on the controller, the module on
        the host it runs on.
      - Falls back to the E(VENAFI_TPP_CLIENT_JSON) environment variable. The module reads that variable on the host it runs on,
        where a relative path is taken from the module's working directory, so give an absolute one there.
    type: raw
'''

    PLUGINS = r'''
options:
  auth_method:
    env:
      - name: VENAFI_TPP_AUTH_METHOD
    ini:
      - section: venafi_tpp
        key: auth_method
    vars:
      - name: venafi_tpp_auth_method
  client_id:
    env:
      - name: VENAFI_TPP_CLIENT_ID
    ini:
      - section: venafi_tpp
        key: client_id
    vars:
      - name: venafi_tpp_client_id
  scope:
    env:
      - name: VENAFI_TPP_SCOPE
    ini:
      - section: venafi_tpp
        key: scope
    vars:
      - name: venafi_tpp_scope
  username:
    env:
      - name: VENAFI_TPP_USERNAME
    ini:
      - section: venafi_tpp
        key: username
    vars:
      - name: venafi_tpp_username
  password:
    env:
      - name: VENAFI_TPP_PASSWORD
    vars:
      - name: venafi_tpp_password
  client_cert:
    env:
      - name: VENAFI_TPP_CLIENT_CERT
    ini:
      - section: venafi_tpp
        key: client_cert
    vars:
      - name: venafi_tpp_client_cert
  client_key:
    env:
      - name: VENAFI_TPP_CLIENT_KEY
    ini:
      - section: venafi_tpp
        key: client_key
    vars:
      - name: venafi_tpp_client_key
  jwt:
    env:
      - name: VENAFI_TPP_JWT
    vars:
      - name: venafi_tpp_jwt
  refresh_token:
    env:
      - name: VENAFI_TPP_REFRESH_TOKEN
    vars:
      - name: venafi_tpp_refresh_token
  client_json:
    env:
      - name: VENAFI_TPP_CLIENT_JSON
    ini:
      - section: venafi_tpp
        key: client_json
    vars:
      - name: venafi_tpp_client_json
'''
