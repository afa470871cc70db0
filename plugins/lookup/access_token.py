# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: access_token
short_description: A Venafi TPP access token for templates, cached so that a whole run costs one authorization
version_added: 0.1.0
description:
  - Returns an access token of TPP's VEDAuth service as a string, for example for an C(Authorization) header or a
    configuration file. It takes the connection and auth options of the M(venafi_tpp.auth.token) module.
  - Every authorization creates a grant on TPP that lives until it expires (a year by default), and a refresh token works
    only once. So the lookup keeps the token in a cache, in memory and, by default, in a private file cache that every fork
    and every concurrent playbook run of the same user shares (O(cache)). A lock makes one process authorize or refresh at a
    time while the others wait and then reuse its token, so a playbook over any number of hosts and forks sends one
    authorization.
  - A cached token is reused while it stays valid for at least O(min_validity) longer. Then it is refreshed with its refresh
    token; the rotated refresh token is saved before the new access token is used. When TPP refuses the refresh (the grant
    expired or was revoked), the lookup authorizes again, once. A refresh TPP does not answer (a server error, a timeout, a
    dropped connection) is never sent again, since TPP may have used the refresh token; the lookup keeps using the cached
    access token while it is valid, with a warning, and otherwise authorizes again, once.
  - The first time a playbook run uses a token from the file cache, the lookup asks TPP (C(authorize/verify)) whether it is
    still valid, so a grant revoked out of band is replaced instead of handed to templates. That is one request per run
    and token, and no grant.
  - The cache key is a SHA-256 digest of the URL, client_id, normalised scope, auth method and what names the identity
    without being secret (the user name, the client certificate's path and fingerprint, the JWT's issuer, subject and
    audience; for O(auth_method=refresh), a digest of the refresh token given). A password, JWT or token is never part of
    a key, a file name or a log line, and a password is never stored.
  - A cached token is returned without sending the credentials to TPP again, so changing a password does not invalidate it.
author:
  - Venafi TPP Auth Collection Team (@venafi-tpp)
extends_documentation_fragment:
  - venafi_tpp.auth.connection
  - venafi_tpp.auth.connection.plugins
  - venafi_tpp.auth.auth
  - venafi_tpp.auth.auth.plugins
  - venafi_tpp.auth.token_cache
options:
  cache:
    description:
      - Where to keep tokens.
      - V(file) keeps them in memory and in O(cache_dir), shared by the forks of a run, by concurrent runs and by later runs
        of the same user.
      - V(memory) keeps them only in the process that runs the lookup. Ansible runs each task of each host in a process of
        its own, so this saves authorizations only within one task of one host, for example in a loop or a template with
        several lookups.
      - V(none) authorizes on every call; each call creates a grant on TPP.
    type: str
    choices: [file, memory, none]
    default: file
    env:
      - name: VENAFI_TPP_CACHE
    ini:
      - section: venafi_tpp
        key: cache
    vars:
      - name: venafi_tpp_cache
  cache_dir:
    description:
      - The directory of the file cache. It is created with mode 0700, and each cached token is a file of mode 0600 in it,
        named by its cache key. A directory of another user is not used; a looser mode is corrected, with a warning.
      - A cache file that does not belong to the user running Ansible, has another mode than 0600, or does not parse, is
        ignored with a warning and replaced.
      - The files hold access and refresh tokens. Keep the directory on a local file system, where C(flock) works.
      - When not set, C($XDG_CACHE_HOME/venafi_tpp.auth), or C(~/.cache/venafi_tpp.auth) without E(XDG_CACHE_HOME).
    vars:
      - name: venafi_tpp_cache_dir
  min_validity:
    description:
      - A cached access token is returned only while it stays valid for at least this long; after that it is
        refreshed. The margin is capped at half the lifetime of the token, so that short-lived tokens are not refreshed on
        every call.
      - Seconds (V(3600)) or a duration such as V(1h), V(30m) or V(1d12h), as the lifetimes of M(venafi_tpp.auth.api_integration);
        V(0) returns a cached token until it expires.
      - Expiry is judged by TPP's own C(expires) and C(refresh_until), in the server's time, with the difference between the
        server's clock and the local clock measured when the token was issued.
    type: raw
    default: 3600
    env:
      - name: VENAFI_TPP_MIN_VALIDITY
    ini:
      - section: venafi_tpp
        key: min_validity
    vars:
      - name: venafi_tpp_min_validity
notes:
  - 'Precedence, highest first: keyword arguments of the lookup, then variables (C(venafi_tpp_*), for example in the
    inventory or C(vars)), then environment variables (E(VENAFI_TPP_*)), then the C([venafi_tpp]) section of C(ansible.cfg),
    then the defaults. For O(url), O(client_id) and O(scope), a value from O(client_json) comes after keyword arguments and
    variables and before environment variables and C(ansible.cfg).'
  - O(password), O(jwt) and O(refresh_token) cannot be set in C(ansible.cfg).
  - The lookup takes no terms; give its options as keyword arguments.
  - Lookups run on the controller, so the cache is the controller's and belongs to the user running Ansible.
seealso:
  - module: venafi_tpp.auth.token
  - module: venafi_tpp.auth.token_info
'''

EXAMPLES = r'''
- name: Call a WebSDK endpoint with a cached token
  ansible.builtin.uri:
    url: https://tpp.example.com/vedsdk/Certificates/
    headers:
      Authorization: "Bearer {{ lookup('venafi_tpp.auth.access_token', url='https://tpp.example.com', client_id='ansible-automation',
                                        scope='certificate:discover,manage', username='svc-ansible', password=vault_tpp_password) }}"
  no_log: true  # the uri module would show the header, token included, at -vvv

- name: The same with the options in variables, for example in group_vars/all.yml, so every lookup call stays short
  vars:
    venafi_tpp_client_json: /etc/venafi/ansible-automation.json
    venafi_tpp_ca_path: /etc/pki/tpp-ca.pem
    venafi_tpp_username: svc-ansible
    venafi_tpp_password: "{{ vault_tpp_password }}"
  ansible.builtin.template:
    src: agent.conf.j2
    dest: /etc/agent/agent.conf
    mode: "0600"
  diff: false  # --diff would show the file's new content, token included
  # agent.conf.j2 holds: token = {{ lookup('venafi_tpp.auth.access_token') }}

- name: Authorize with a client certificate, and keep the token in memory only
  ansible.builtin.set_fact:
    tpp_token: "{{ lookup('venafi_tpp.auth.access_token', auth_method='certificate', client_json='/etc/venafi/ansible-automation.json',
                          client_cert='/etc/pki/svc-ansible.pem', client_key='/etc/pki/svc-ansible.key', cache='memory') }}"
  no_log: true

- name: Require at least a day of validity, with a JWT from the identity provider
  ansible.builtin.set_fact:
    tpp_token: "{{ lookup('venafi_tpp.auth.access_token', auth_method='jwt', jwt=idp_jwt, client_id='ansible-automation',
                          scope='certificate:manage', min_validity='1d') }}"
  no_log: true
'''

RETURN = r'''
_raw:
  description:
    - One access token, to send in an C(Authorization) header as C(Bearer <token>). It is a secret; do not print it.
  type: list
  elements: str
'''

import multiprocessing

from ansible import constants as C
from ansible.errors import AnsibleLookupError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._bytecode_cache import bytecode_cached_imports

# Ansible runs each host's task in a new worker process, which would compile the source of these helpers again.
with bytecode_cached_imports():
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import parse_duration
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import (
        AUTH, CLIENT_JSON_KEYS, CONNECTION, VARS_PREFIX, plugin_options, resolve, url_sources)
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import normalize_url
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._cache_key import cache_key
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import CACHE_MODES, DEFAULT_MIN_VALIDITY, TokenCache, tpp_backend
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import default_cache_dir

display = Display()

# The options of the token module that the lookup takes, and its own.
SHARED = dict(CONNECTION, **AUTH)
CACHE = {
    'cache': dict(type='str', default='file', choices=list(CACHE_MODES)),
    'cache_dir': dict(type='path'),
    'min_validity': dict(type='raw', default=DEFAULT_MIN_VALIDITY),
}
KNOWN = set(SHARED) | set(CACHE) | set(alias for spec in SHARED.values() for alias in spec.get('aliases', ()))

# What Ansible needs to know of the options (type, default, choices, aliases, where each comes from), as their documentation
# says it; tests/unit/plugins/doc_fragments/test_options.py holds them equal.
OPTION_DEFINITIONS = plugin_options(dict(SHARED, **CACHE))


def define_options():
    """Hand Ansible the lookup's option definitions, under the name it loads the lookup by (its Python module's)."""
    if not C.config.has_configuration_definition('lookup', __name__):
        C.config.initialize_plugin_configuration_definitions('lookup', __name__, OPTION_DEFINITIONS)


# Ansible learns a plugin's options by parsing its documentation and doc fragments in every process that loads it, and it runs
# each host's task in a new worker process: that parsing cost each worker more than a cached call. So in a worker the lookup
# defines them itself; elsewhere (ansible-config, which shows their descriptions) Ansible reads the documentation.
if multiprocessing.parent_process() is not None:
    define_options()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        if terms:
            raise AnsibleLookupError('venafi_tpp.auth.access_token takes no terms; give its options as keyword arguments, '
                                     "for example lookup('venafi_tpp.auth.access_token', client_id='my-integration')")
        unknown = sorted(set(kwargs) - KNOWN)
        if unknown:
            raise AnsibleLookupError('unknown option%s %s; the options are those of the venafi_tpp.auth.token module and %s'
                                     % ('s' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(CACHE)))
        option_variables = self._option_variables(variables)
        try:
            self.set_options(var_options=option_variables, direct=kwargs)
        except AnsibleOptionsError as error:
            # ansible-core 2.19 keeps the valid choices of an option in the error's help text, which a failed lookup does not show.
            help_text = getattr(error, '_help_text', None)
            raise AnsibleLookupError('%s%s' % (error, ' %s' % help_text if help_text else '')) from None
        options = dict((name, self.get_option(name)) for name in SHARED)
        if options['client_json']:
            options['client_json'] = self._client_json(options['client_json'], variables)
        # url, client_id and scope given as keyword arguments or variables win over the client JSON; from the environment or
        # ansible.cfg they come after it, as the environment does for the modules.
        later = dict((name, options.pop(name)) for name in CLIENT_JSON_KEYS if name not in kwargs and VARS_PREFIX + name not in option_variables)
        try:
            options = resolve(options, later)
            normalize_url(options['url'], url_sources(client_json=True, plugin=True))
            key = cache_key(options)
            min_validity = parse_duration(self.get_option('min_validity'), 'min_validity', zero=True)
            cache = TokenCache(mode=self.get_option('cache'), cache_dir=self.get_option('cache_dir') or default_cache_dir(),
                               min_validity=min_validity, warn=display.warning, debug=self._debug)
            return [cache.get(key, lambda: tpp_backend(options, warn=display.warning))]
        except TppError as error:
            raise AnsibleLookupError(str(error)) from None

    def _client_json(self, value, variables):
        """The client_json to use: ``value``, or the file a relative path names in the task's search path, where the token module's
        action plugin looks too, so that it means the same file in both."""
        # Imported for a client JSON only: Ansible imports the lookup in every worker process it forks, most of which have none.
        from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import not_found, relative_path  # pylint: disable=import-outside-toplevel
        if not relative_path(value):
            return value
        path = value.strip()
        found = self.find_file_in_search_path(variables or {}, 'files', path, ignore_missing=True)
        if not found:
            raise AnsibleLookupError(str(not_found(path)))
        return found

    def _option_variables(self, variables):
        """The venafi_tpp_* variables, templated: a lookup gets variables as written, so venafi_tpp_password: "{{ vault_password }}"
        would otherwise reach TPP as that text."""
        found = dict((name, value) for name, value in (variables or {}).items() if name.startswith(VARS_PREFIX))
        return self._templar.template(found) if found and self._templar is not None else found

    @staticmethod
    def _debug(message):
        display.vvv('venafi_tpp.auth.access_token: %s' % message)
