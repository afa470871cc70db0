#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
module: token_settings
short_description: Set Venafi TPP's global token settings, lifetimes and authorization methods
version_added: 0.2.0
description:
  - Sets TPP's global token settings (Platform, OAuth settings in TPP's console) through C(oauth/GetConfiguration) and
    C(oauth/SetConfiguration), that is the token and grant lifetimes that every API integration without its own uses, and which
    authorization methods VEDAuth accepts. This is the first step of TPP's API Integration wizard, "set the expiration and
    refresh time for tokens".
  - Changes only what the task names. TPP stores the whole settings object on every set and resets what a set leaves out,
    so the module reads the object, changes the named settings and sends it back whole, every setting it does not manage
    included.
  - Idempotent. A run that changes nothing sends no write and reports no change.
  - Refuses to switch off every authorization method, and refuses to switch off the method O(access_token) was obtained with,
    so that automation does not lock itself out. TPP does not say how a token was obtained, so say it with
    O(access_token_auth_method); while it is unknown, switching off any method fails unless O(force=true).
  - Authenticates with O(access_token) alone, of an identity with TPP's OAuth Admin role.
extends_documentation_fragment:
  - venafi_tpp.auth.admin.module
attributes:
  check_mode:
    description: Reads the settings and reports what would change without writing.
    support: full
  diff_mode:
    description: Shows every setting before and after, in the form of this module's options.
    support: full
options:
  token_validity:
    description:
      - How long an access token is valid when neither its integration nor its rule sets a lifetime (TPP's
        C(DefaultAccessTokenValidity)), in seconds (V(86400)) or as a duration such as V(90d), V(12h) or V(1d12h30m).
    type: raw
  grant_validity:
    description:
      - How long a grant lasts (until when its refresh token works) when neither its integration nor its rule sets one
        (C(DefaultGrantValidity)); seconds or a duration as for O(token_validity). V(0) means grants never expire.
    type: raw
  refresh:
    description:
      - Whether tokens come with a refresh token when neither their integration nor their rule says (C(DefaultGrantRefreshable)).
    type: bool
  unused_token_expiration:
    description:
      - How long an access token may stay expired before TPP ends its grant, even when the grant would last longer
        (C(UnusedAccessTokenExpiration)); seconds or a duration as for O(token_validity). V(0) switches it off. An integration's
        own O(venafi_tpp.auth.api_integration#module:unused_token_expiration) wins.
    type: raw
  auth_methods:
    description:
      - The authorization methods VEDAuth accepts; those not listed are switched off. V(password) is C(authorize/oauth),
        V(integrated) Windows integrated authentication, V(certificate) client certificates, V(jwt) JWTs of a JWT mapping,
        V(device) the device flow.
      - Must not be empty. Switching off a method that is enabled is refused while O(access_token_auth_method) does not say
        how O(access_token) was obtained, and when it names a method being switched off, unless O(force=true).
      - Refresh tokens keep working whatever the methods; so do tokens already issued.
    type: list
    elements: str
  certificate_source_field:
    description:
      - Which field of a client certificate names the identity for certificate sign-in (C(CertificateConfiguration.SourceField)),
        the subject's common name, or the UPN or e-mail address in its subject alternative name.
    type: str
    choices: [cn, san_upn, san_email]
  certificate_issuers:
    description:
      - The certificate authorities whose client certificates TPP accepts for certificate sign-in, as TPP's policy tree paths
        such as C(\VED\Intermediate and Root Certificates\Corp Issuing CA) (C(CertificateConfiguration.AuthorizedIssuerDns)).
        V([]) empties the list.
    type: list
    elements: str
  jwt_clock_skew:
    description:
      - How much clock drift TPP allows when it checks a JWT's C(iat), C(nbf) and C(exp) (C(JwtConfiguration.ClockSkew));
        seconds or a duration such as V(1m). V(0) allows none.
    type: raw
  access_token_auth_method:
    description:
      - How O(access_token) was obtained, for the lock-out guard of O(auth_methods), for example the RV(venafi_tpp.auth.token#module:auth_method)
        of M(venafi_tpp.auth.token)'s result.
      - A token from a refresh token was obtained as its first token was; give that method.
    type: str
    choices: [password, integrated, certificate, jwt, device]
  force:
    description:
      - Switch off authorization methods even when O(access_token) was obtained with one of them or
        O(access_token_auth_method) is not given. Make sure another way in works first.
      - Switching off every method is refused all the same.
    type: bool
    default: false
notes:
  - A run costs one C(GetConfiguration), and one C(SetConfiguration) when something changes.
  - Settings take effect for the next sign-in, refresh or token check; tokens already issued keep their lifetimes.
seealso:
  - module: venafi_tpp.auth.token_settings_info
  - module: venafi_tpp.auth.api_integration
'''

EXAMPLES = r'''
# admin_login: an administrator's token registered with venafi_tpp.auth.token (see its examples).
- name: Set the token lifetimes that integrations without their own use
  venafi_tpp.auth.token_settings:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_login.access_token }}"
    token_validity: 1d
    grant_validity: 30d
    refresh: true
    unused_token_expiration: 7d

# Once certificate sign-in works: the administrator's token comes from its client certificate, which stays enabled.
- name: Switch off password sign-in
  venafi_tpp.auth.token_settings:
    url: https://tpp.example.com
    ca_path: /etc/pki/tpp-ca.pem
    access_token: "{{ admin_cert_login.access_token }}"
    access_token_auth_method: "{{ admin_cert_login.auth_method }}"
    auth_methods: [certificate, jwt, integrated]
'''

RETURN = r'''
settings:
  description:
    - The settings after the task (in check mode, as they would be), every option of this module, durations in seconds.
    - Can be given back to this module as it is, as M(venafi_tpp.auth.token_settings_info) returns it.
  returned: always
  type: dict
  contains:
    token_validity:
      description: Access token lifetime in seconds.
      type: int
      sample: 7776000
    grant_validity:
      description: Grant lifetime in seconds; 0 when grants never expire.
      type: int
      sample: 31536000
    refresh:
      description: Whether tokens come with a refresh token.
      type: bool
      sample: true
    unused_token_expiration:
      description: Seconds an access token may stay expired before its grant ends; 0 when off.
      type: int
      sample: 0
    auth_methods:
      description: The authorization methods that are enabled.
      type: list
      elements: str
      sample: [password, integrated, certificate, jwt, device]
    certificate_source_field:
      description: The certificate field that names the identity.
      type: str
      sample: cn
    certificate_issuers:
      description: The certificate authorities accepted for certificate sign-in.
      type: list
      elements: str
      sample: []
    jwt_clock_skew:
      description: Seconds of clock drift allowed for JWTs.
      type: int
      sample: 60
msg:
  description: What happened, in check mode what would happen.
  returned: always
  type: str
  sample: "changed token_validity, grant_validity"
'''

from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec
from ansible_collections.venafi_tpp.auth.plugins.module_utils._token_settings import (
    METHOD_NAMES, OPTIONS, check_lockout, desired_configuration, read_configuration, settings_view, wanted_settings)


def apply(tpp):
    wanted = wanted_settings(tpp.params)
    api = tpp.admin()
    current = read_configuration(api)
    desired = desired_configuration(current, wanted)
    before, after = settings_view(current), settings_view(desired)
    check_lockout(before['auth_methods'], after['auth_methods'], tpp.params['access_token_auth_method'], tpp.params['force'])
    changes = [option for option in OPTIONS if before[option] != after[option]]
    if changes and not tpp.check_mode:
        api.call('SetConfiguration', {'Configuration': desired}, "changing TPP's token settings")
    done = 'changed %s' % ', '.join(changes) if changes else "TPP's token settings are as wanted"
    return tpp.change(bool(changes), done, (before, after), settings=after)


def main():
    tpp = TppModule(argument_spec(CONNECTION, ACCESS_TOKEN,
                                  token_validity=dict(type='raw', no_log=False), grant_validity=dict(type='raw'), refresh=dict(type='bool'),
                                  unused_token_expiration=dict(type='raw', no_log=False), auth_methods=dict(type='list', elements='str'),
                                  certificate_source_field=dict(type='str', choices=['cn', 'san_upn', 'san_email']),
                                  certificate_issuers=dict(type='list', elements='str'), jwt_clock_skew=dict(type='raw'),
                                  access_token_auth_method=dict(type='str', choices=list(METHOD_NAMES)),
                                  force=dict(type='bool', default=False)),
                    supports_check_mode=True)
    tpp.run(apply)


if __name__ == '__main__':
    main()
