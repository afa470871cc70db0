#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: api_integration
short_description: Register, update or delete a Venafi TPP API integration and who may use it
version_added: 0.1.0
description:
  - Does what TPP's API Integration wizard does (Overview, Base access, token settings, User or team access) through TPP's
    grant-management API (C(/vedsdk/oauth/*)), so that an integration can be reviewed, repeated on every TPP instance and checked.
  - An integration is TPP's OAuth application; its Client ID is O(client_id). Each identity in O(allowed_identities) gets a rule
    that lets it request a token for the integration's whole O(scope), with the integration's O(token_validity),
    O(grant_validity) and O(refresh).
  - Idempotent. TPP replaces the whole integration on update, so the module reads it first and sends it back complete with the
    options given; options left out keep their current values. A run that changes nothing sends no write and reports no change.
  - Authenticates with O(access_token) alone, an access token whose scope includes C(admin), of an identity with TPP's OAuth Admin
    role. Obtain it with M(venafi_tpp.auth.token) or the C(venafi_tpp.auth.access_token) lookup. The module's own
    O(client_id) and O(scope) describe the integration being managed, not the token.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.module
attributes:
  check_mode:
    description:
      - Reads the integration and its rules and resolves O(allowed_identities), then reports what would change without writing.
    support: full
  diff_mode:
    description:
      - Shows every field of the integration before and after, and its allowed identities by name. A rule's own scope or
        lifetimes are shown after the identity's name when they differ from the integration's.
    support: full
options:
  state:
    description:
      - V(present) creates or updates the integration, V(absent) deletes it (TPP deletes its rules with it).
      - Deleting an integration that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The integration's name, as shown in TPP's API Integrations list. Required with O(state=present).
      - When an integration with this O(client_id) exists under another name, the task fails rather than take over
        someone else's integration, unless O(rename=true).
    type: str
  client_id:
    description:
      - The integration's Client ID (TPP's application ID), which clients send to obtain tokens. Case-sensitive, and the key
        the module manages the integration by.
      - Defaults to O(name), as in the wizard.
    type: str
  vendor:
    description:
      - Who makes the integration. New integrations get an empty one when not set.
    type: str
  description:
    description:
      - What the integration is for. New integrations get an empty one when not set.
    type: str
  info_url:
    description:
      - A URL to learn more about the integration (TPP's C(Url)). New integrations get an empty one when not set.
    type: str
  scope:
    description:
      - The integration's scope, the most that its users may request (the wizard's Base access). TPP stores it as both the
        integration's maximum scope and its scope. Required to create an integration.
      - 'A string such as V(certificate:discover,manage;configuration), a list such as V([certificate:manage, ssh]),
        or a mapping of scope to restrictions such as V({certificate: [discover, manage], ssh: []}).'
      - Checked against TPP's scope map before any request; an unknown scope or restriction fails, naming it and the allowed values.
    type: raw
  token_validity:
    description:
      - How long an access token of this integration is valid, in seconds (V(86400)) or as a duration of days, hours, minutes
        (and seconds or weeks) such as V(90d), V(12h) or V(1d12h30m), as in the wizard's token settings.
      - V(default) goes back to TPP's global default (90 days unless changed). New integrations use it when not set.
      - A token cannot outlive its grant, so a O(token_validity) longer than O(grant_validity) fails, before any request when
        both are given, and after reading the integration, before any write, when the other one is the integration's current
        value. TPP's global defaults are not compared.
    type: raw
  grant_validity:
    description:
      - How long a grant of this integration lasts, that is, until when its refresh token works; seconds or a duration as for
        O(token_validity).
      - V(default) goes back to TPP's global default (one year unless changed). New integrations use it when not set.
      - It must be at least O(token_validity); see there.
    type: raw
  refresh:
    description:
      - Whether tokens of this integration come with a refresh token. New integrations use TPP's global default (on) when not set.
    type: bool
  unused_token_expiration:
    description:
      - How long an access token of this integration may stay expired before TPP ends its grant, even when the grant would last
        longer (TPP's C(UnusedExpiration)), so that a client that stops refreshing loses its grant early. Seconds or a duration as for
        O(token_validity).
      - V(default) unsets it, so that TPP's global setting applies. New integrations have none when not set.
      - TPP's C(CreateApplication) does not take it, so creating an integration with it sends one C(UpdateApplication) more.
    type: raw
    version_added: 0.2.0
  allowed_identities:
    description:
      - The users, teams and service accounts that may use the integration, as prefixed names such as V(local:svc-ansible),
        V(local:PKI Operators) or V(AD+corp:jdoe), or as prefixed universals such as V(local:{198c2d48-9e79-4f10-b871-e2f109476032}).
      - Resolved with TPP's C(identity/Validate) (names already allowed are recognised from the rules without it). An identity
        TPP does not know fails the task, naming it.
      - Each gets a rule for the integration's whole O(scope) with the integration's lifetimes; an existing rule of a listed
        identity that grants less or sets its own lifetimes is updated.
      - When not set, the identities allowed stay as they are. Their rules are kept, but one that gave the integration's
        whole scope follows a change of O(scope), so its identity keeps being allowed the whole integration.
    type: list
    elements: str
  purge_identities:
    description:
      - With V(true), O(allowed_identities) is the whole set and every other identity's rule is removed.
      - With V(false), the listed identities are added and the others kept (a kept rule that gave the integration's whole
        scope follows a change of O(scope)).
      - Removing an identity does not end the grants it already holds; they end when they expire, or when
        M(venafi_tpp.auth.grant) ends them.
    type: bool
    default: true
  revoke_grants:
    description:
      - With O(state=absent), revoke the integration's active grants (C(RevokeGrants)) before deleting it, so tokens already
        issued stop working at once.
    type: bool
    default: false
  definition:
    description:
      - The integration described in one document, as the wizard's Import takes it. The path of a JSON or YAML file, or its content
        (a mapping, or JSON or YAML text of several lines or starting with C({)); a one-line string is a path.
      - For example an item of RV(venafi_tpp.auth.api_integration_info#module:integrations) exported from another TPP server, or the
        JSON a vendor or developer hands out with C(client_id), C(scope) and the other fields.
      - Its keys are this module's options that describe the integration, C(name), C(client_id), C(vendor), C(description),
        C(info_url), C(scope), C(token_validity), C(grant_validity), C(refresh), C(unused_token_expiration) and
        C(allowed_identities), each with the option's meaning. Options the task gives win over the document's.
      - 'Accepted and ignored: C(minimum_scope), C(grant_count) and C(user_count), which TPP reports of an exported integration,
        and C(url), the TPP server of a client JSON (O(url) says which server the integration is registered on). Any other key
        fails the task, naming the known ones, before any request.'
      - The C(allowed_identities) of an exported item are read by C(name) (by C(universal) when TPP no longer knew the name); each
        gets a rule for the integration's whole scope, as with the option, so an exported rule's own scope or lifetimes are not imported.
      - A relative path is looked for on the controller, as C(copy) looks for C(src) (the C(files/) directory, and the directory of the
        role and of the playbook), and its document is read there; an absolute path is read where the module runs.
    type: raw
    version_added: 0.2.0
  rename:
    description:
      - Allow changing the name of an existing integration with this O(client_id). Without it, a different name fails the task,
        because two tasks most likely claim the same O(client_id) by mistake.
    type: bool
    default: false
notes:
  - O(access_token) needs the C(configuration) scope too, which TPP's C(identity/Validate) needs to resolve O(allowed_identities)
    that are not allowed yet, so request C(admin:delete;configuration). Without C(configuration), adding an identity fails saying so.
  - The Success/Result answers of TPP's grant-management API become one-line messages, for example C(Result 19) for a Client ID
    that already exists or C(Result 23) for a scope beyond what the integration allows. A token without the C(admin) scope
    fails with the scope it lacks; an identity without the OAuth Admin role fails saying it needs that role.
  - A run that changes nothing sends two requests (C(GetApplication) and C(GetRules) with C(ResolveIdentities)), however many
    identities are allowed, plus one C(identity/Validate) per listed identity that is not allowed yet or that TPP does not
    resolve in C(GetRules).
seealso:
  - module: venafi_tpp.auth.api_integration_info
  - module: venafi_tpp.auth.token
'''

EXAMPLES = r'''
# admin_login: an administrator's token with the scope admin:delete;configuration, registered with venafi_tpp.auth.token
# (its examples obtain it, and revoke it at the end of the run).
- name: Register the integration Ansible uses, and who may use it
  venafi_tpp.auth.api_integration:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    name: ansible-automation
    vendor: Example Corp
    description: Certificate automation with Ansible
    scope:
      certificate: [discover, manage, revoke]
      configuration: []
    token_validity: 1d
    grant_validity: 30d
    unused_token_expiration: 7d
    refresh: true
    allowed_identities:
      - local:svc-ansible
      - AD+corp:PKI Operators
  register: integration

- name: Hand the client JSON to the integration's users
  ansible.builtin.copy:
    content: "{{ integration.client_json | to_nice_json }}"
    dest: /etc/venafi/ansible-automation.json
    mode: "0644"

- name: Add one more user, keeping the others, with the connection the token module returned set for every module
  module_defaults:
    group/venafi_tpp.auth.tpp: "{{ admin_login.connection }}"
  venafi_tpp.auth.api_integration:
    name: ansible-automation
    allowed_identities: [local:jdoe]
    purge_identities: false

- name: Import the integration a vendor describes in its JSON, allowing our service account
  venafi_tpp.auth.api_integration:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    definition: files/acme-agent.json   # {"client_id": "acme-agent", "name": "Acme Agent", "vendor": "Acme", "scope": "certificate:manage"}
    allowed_identities: [local:svc-acme]

- name: Delete the integration and end every grant it issued
  venafi_tpp.auth.api_integration:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    client_id: ansible-automation
    state: absent
    revoke_grants: true
'''

RETURN = r'''
integration:
  description:
    - The integration as it is after the task (in check mode, as it would be), with the keys of an item of
      RV(venafi_tpp.auth.api_integration_info#module:integrations), where each is described.
    - Its C(minimum_scope) is its C(scope), as the module sets both. Its C(grant_count) and C(user_count) are those of
      before the task (0 for a new integration), null when TPP does not say.
  returned: when O(state=present)
  type: dict
  sample:
    client_id: ansible-automation
    name: ansible-automation
    vendor: Example Corp
    description: Certificate automation with Ansible
    info_url: https://example.com/ansible
    scope: certificate:discover,manage,revoke;configuration
    minimum_scope: certificate:discover,manage,revoke;configuration
    token_validity: 86400
    grant_validity: 2592000
    refresh: true
    unused_token_expiration: 604800
    allowed_identities:
      - {name: local:svc-ansible, universal: "local:{198c2d48-9e79-4f10-b871-e2f109476032}",
         scope: "certificate:discover,manage,revoke;configuration", token_validity: null, grant_validity: null, refresh: null}
    grant_count: 3
    user_count: 2
client_json:
  description:
    - 'The client JSON for the integration''s users, C({"client_id", "scope", "url"}): what O(venafi_tpp.auth.token#module:client_json)
      and the role C(venafi_tpp.auth.integration_bootstrap) read. It never holds a secret.'
  returned: when O(state=present)
  type: dict
  sample: {client_id: ansible-automation, scope: "certificate:discover,manage,revoke;configuration", url: https://tpp.example.com}
msg:
  description: What the task did, or in check mode what it would do.
  returned: always
  type: str
  sample: created the API integration ansible-automation, allowed 2 identities
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integration_definition import with_definition
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integrations import (
    apply_plan, check_name, client_json, delete_integration, diff_views, get_integration, get_rules, integration_view, plan_integration,
    wanted_settings,
)
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec


def options(tpp):
    """The task's options with its definition's values where the task leaves them unset; TppError without name or client_id."""
    params = with_definition(tpp.params)
    if not params['name'] and not params['client_id']:
        raise TppError('one of the following is required: name, client_id (or a definition that gives one)')
    if params['state'] == 'present' and not params['name']:
        raise TppError('state is present but all of the following are missing: name (give it, or a definition that gives it)')
    return params


def present(tpp):
    params = options(tpp)
    client_id = params['client_id'] or params['name']
    wanted = wanted_settings(params)
    api = tpp.admin()
    directory = IdentityDirectory(api)
    plan = plan_integration(api, directory, client_id, wanted, params['name'], params['rename'], params['purge_identities'])
    before, after = plan.views(directory)
    if plan.changed and not tpp.check_mode:
        apply_plan(api, plan, directory)
    return tpp.change(plan.changed, plan.summary(), diff_views(before, after), integration=after, client_json=client_json(after, api.url))


def absent(tpp):
    params = options(tpp)
    client_id = params['client_id'] or params['name']
    api = tpp.admin()
    current = get_integration(api, client_id)
    if current is None:
        return tpp.change(False, 'the API integration %s does not exist' % client_id)
    check_name(current, params['name'], client_id, deleting=True)
    diff = None
    if tpp.diff_mode:
        directory = IdentityDirectory(api)
        diff = diff_views(integration_view(current, get_rules(api, directory, client_id), directory,
                                           current.get('GrantCount'), current.get('UserCount')), {})
    if not tpp.check_mode:
        delete_integration(api, client_id, params['revoke_grants'])
    return tpp.change(True, 'deleted the API integration %s%s' % (client_id, ' after revoking its grants' if params['revoke_grants'] else ''), diff)


def main():
    tpp = TppModule(argument_spec(
        CONNECTION, ACCESS_TOKEN,
        state=dict(type='str', default='present', choices=['present', 'absent']),
        name=dict(type='str'),
        client_id=dict(type='str'),
        vendor=dict(type='str'),
        description=dict(type='str'),
        info_url=dict(type='str'),
        scope=dict(type='raw'),
        token_validity=dict(type='raw', no_log=False),
        grant_validity=dict(type='raw'),
        refresh=dict(type='bool'),
        unused_token_expiration=dict(type='raw', no_log=False),
        allowed_identities=dict(type='list', elements='str'),
        purge_identities=dict(type='bool', default=True),
        revoke_grants=dict(type='bool', default=False),
        rename=dict(type='bool', default=False),
        definition=dict(type='raw'),
    ), supports_check_mode=True)
    tpp.run(present if tpp.params['state'] == 'present' else absent)


if __name__ == '__main__':
    main()
