#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: api_integration_info
short_description: Read Venafi TPP API integrations, who may use them and their grant counts
version_added: 0.1.0
description:
  - Reads one API integration by O(client_id), or all of them, through TPP's grant-management API (C(/vedsdk/oauth/*)), with every
    field, the identities allowed to use it by name and universal, and how many active grants and people with active grants it has.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin
    role, from M(venafi_tpp.auth.token) or the C(venafi_tpp.auth.access_token) lookup.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.info_module
options:
  client_id:
    description:
      - The Client ID of the integration to read (case-sensitive). Omit it to read every integration.
      - An integration that does not exist gives an empty RV(integrations), not a failure.
    type: str
notes:
  - An allowed identity that C(GetRules) does not resolve is looked up with C(identity/Validate), which needs the C(configuration)
    scope too, so request C(admin:delete;configuration) for O(access_token).
  - Reading costs two requests (C(GetApplication) or C(GetApplications), and C(GetRules) with C(ResolveIdentities)), plus
    C(GrantCount) and C(UserCount) for an integration whose counts TPP leaves out of the application object, and one
    C(identity/Validate) per allowed identity that C(GetRules) does not resolve.
seealso:
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
# admin_login: an administrator's token registered with venafi_tpp.auth.token; its connection holds url, ca_path,
# validate_certs and the token, the options every module of the collection shares.
- name: Read the integrations with the administrator's token
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  block:
    - name: Read one integration
      venafi_tpp.auth.api_integration_info:
        client_id: ansible-automation
      register: found

    - name: Show who may use it
      ansible.builtin.debug:
        msg: "{{ found.integrations[0].allowed_identities | map(attribute='name') | list }}"
      when: found.integrations | length > 0

    - name: List every integration
      venafi_tpp.auth.api_integration_info:
      register: everything
'''

RETURN = r'''
integrations:
  description: The integrations read, sorted by Client ID; empty when O(client_id) does not exist.
  returned: always
  type: list
  elements: dict
  contains:
    client_id:
      description: The Client ID (TPP's application ID).
      type: str
      sample: ansible-automation
    name:
      description: The name.
      type: str
      sample: ansible-automation
    vendor:
      description: Who makes the integration.
      type: str
      sample: Example Corp
    description:
      description: What the integration is for.
      type: str
      sample: Certificate automation with Ansible
    info_url:
      description: A URL to learn more.
      type: str
      sample: https://example.com/ansible
    scope:
      description: The integration's maximum scope, normalised.
      type: str
      sample: certificate:discover,manage,revoke;configuration
    minimum_scope:
      description: The integration's own C(Scope), normalised.
      type: str
      sample: certificate:manage
    token_validity:
      description: Access token lifetime in seconds; null when TPP's global default applies.
      type: int
      sample: 86400
    grant_validity:
      description: Grant lifetime in seconds; null when TPP's global default applies.
      type: int
      sample: 2592000
    refresh:
      description: Whether tokens come with a refresh token; null when TPP's global default applies.
      type: bool
      sample: true
    unused_token_expiration:
      description:
        - Seconds an access token may stay expired before TPP ends its grant early (the O(venafi_tpp.auth.api_integration#module:unused_token_expiration)
          option); null when TPP's global setting applies.
        - Named C(unused_expiration) before version 0.2.0.
      type: int
      sample: 604800
      version_added: 0.2.0
    allowed_identities:
      description: Who may use the integration, one entry per rule, sorted by name.
      type: list
      elements: dict
      contains:
        name:
          description: The prefixed name; null when TPP no longer knows the identity.
          type: str
          sample: local:svc-ansible
        universal:
          description: The prefixed universal.
          type: str
          sample: "local:{198c2d48-9e79-4f10-b871-e2f109476032}"
        scope:
          description: The most this identity may request (the rule's maximum scope).
          type: str
          sample: certificate:discover,manage,revoke;configuration
        token_validity:
          description: The rule's own access token lifetime; null when the integration's applies.
          type: int
          sample: null
        grant_validity:
          description: The rule's own grant lifetime; null when the integration's applies.
          type: int
          sample: null
        refresh:
          description: The rule's own refresh setting; null when the integration's applies.
          type: bool
          sample: null
      sample:
        - name: local:svc-ansible
          universal: "local:{198c2d48-9e79-4f10-b871-e2f109476032}"
          scope: certificate:discover,manage,revoke;configuration
          token_validity: null
          grant_validity: null
          refresh: null
    grant_count:
      description: Active grants of the integration; null when TPP does not say.
      type: int
      sample: 3
    user_count:
      description: Identities with an active grant of the integration; null when TPP does not say.
      type: int
      sample: 2
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import read_integrations
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import run_info


def main():
    run_info(lambda tpp: dict(integrations=read_integrations(tpp.admin(), tpp.params['client_id'])), client_id=dict(type='str'))


if __name__ == '__main__':
    main()
