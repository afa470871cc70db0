#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: token_settings_info
short_description: Read Venafi TPP's global token settings
version_added: 0.2.0
description:
  - Reads TPP's global token settings (C(oauth/GetConfiguration)) in the form of M(venafi_tpp.auth.token_settings)'s options,
    so that RV(settings) can be given back to that module, on this TPP or another.
  - Authenticates with O(access_token) alone; any OAuth role may read the settings.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.info_module
notes:
  - Reading costs one C(GetConfiguration).
seealso:
  - module: venafi_tpp.auth.token_settings
'''

EXAMPLES = r'''
# admin_login: a token registered with venafi_tpp.auth.token, of an identity with any OAuth role.
- name: Read the token settings, to apply them to another TPP server with venafi_tpp.auth.token_settings
  venafi_tpp.auth.token_settings_info:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
  register: token_settings

- name: Fail while password sign-in is enabled
  ansible.builtin.assert:
    that: "'password' not in token_settings.settings.auth_methods"
    fail_msg: password sign-in is still enabled
'''

RETURN = r'''
settings:
  description:
    - The settings, every option of M(venafi_tpp.auth.token_settings), durations in seconds (the same keys and values as that
      module's RV(venafi_tpp.auth.token_settings#module:settings)).
  returned: always
  type: dict
  sample:
    token_validity: 7776000
    grant_validity: 31536000
    refresh: true
    unused_token_expiration: 0
    auth_methods: [password, integrated, certificate, jwt, device]
    certificate_source_field: cn
    certificate_issuers: []
    jwt_clock_skew: 60
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info
from ansible_collections.venafi_tpp.auth.plugins.module_utils._token_settings import read_configuration, settings_view


def main():
    run_info(lambda tpp: dict(settings=settings_view(read_configuration(tpp.admin()))))


if __name__ == '__main__':
    main()
