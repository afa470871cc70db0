# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: api_integration_options
short_description: Check the options of an API integration as venafi_tpp.auth.api_integration does, before any request
version_added: 0.2.0
description:
  - Checks the options of M(venafi_tpp.auth.api_integration) in O(_input) with the module's own code, as the module checks them
    before it sends a request, and returns them normalised. Bad input fails with the module's one-line message.
  - Checked are C(scope) (against TPP's scope map), C(token_validity), C(grant_validity) and C(unused_token_expiration) (durations, or C(default)), that the
    token validity is not longer than the grant validity when both are given, and the provider prefixes of C(allowed_identities).
    The other options are returned as they are.
  - It lets a play or a role refuse bad input before it obtains an administrator's token; the role
    C(venafi_tpp.auth.integration_bootstrap) checks its variables with it.
author:
  - Venafi TPP Auth Collection Team (@venafi-tpp)
options:
  _input:
    description: Options of M(venafi_tpp.auth.api_integration), by their names. A null option is not checked.
    type: dict
    required: true
  prefix:
    description: Put before each option's name in an error, for variables named after the options, such as a role's.
    type: str
    default: ''
seealso:
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
- name: Refuse a bad integration before asking for an administrator's password
  ansible.builtin.assert:
    that: my_integration | venafi_tpp.auth.api_integration_options is mapping
    quiet: true
  vars:
    my_integration:
      name: ansible-automation
      scope: {certificate: [discover, manage]}
      token_validity: 1d
      grant_validity: 30d
      allowed_identities: [local:svc-ansible]

- name: The scope as TPP echoes it, and the lifetimes in seconds
  ansible.builtin.debug:
    msg: "{{ {'scope': 'Certificate:Manage,Discover', 'grant_validity': '30d'} | venafi_tpp.auth.api_integration_options }}"
  # {"scope": "certificate:discover,manage", "grant_validity": 2592000}
'''

RETURN = r'''
_value:
  description:
    - The options of O(_input), with C(scope) normalised (lower-case, sorted), C(token_validity), C(grant_validity) and C(unused_token_expiration) in seconds
      (or V(default)), and C(allowed_identities) stripped and without duplicates.
  type: dict
'''

from ansible.errors import AnsibleFilterError

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import wanted_settings

CHECKED = ('scope', 'token_validity', 'grant_validity', 'unused_token_expiration', 'allowed_identities')


def api_integration_options(options, prefix=''):
    if not isinstance(options, dict):
        raise AnsibleFilterError('venafi_tpp.auth.api_integration_options takes a mapping of api_integration options, not %s'
                                 % type(options).__name__)
    try:
        wanted = wanted_settings(options, prefix)
    except TppError as error:
        raise AnsibleFilterError(str(error)) from None
    return dict(options, **dict((name, wanted[name]) for name in CHECKED if options.get(name) is not None))


class FilterModule:
    def filters(self):
        return {'api_integration_options': api_integration_options}
