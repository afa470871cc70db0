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

import contextlib
import gc
import importlib.util
import multiprocessing
import os
import sys

# ansible-core's collection loader compiles a module's source each time a process imports it and keeps no bytecode, and
# Ansible runs each task of each host in a new fork of ansible-playbook: a lookup templated on a thousand hosts compiled its
# code a thousand times, half of what a cached call cost. While a `with bytecode_cached_imports():` block runs, a finder
# placed before Ansible's loads the collection's private helpers (plugins/module_utils/_*.py, plugins/plugin_utils/_*.py)
# with Python's own source loader, which keeps their bytecode in __pycache__ beside the source and checks it against the
# source's size and modification time, as every Python import does. Packages, plugins and what meta/runtime.yml redirects
# stay with Ansible's loader, and so does every import after the block: the finder is removed then, so nothing else in the
# process finds its imports changed (ansible-test's import check forbids a lasting change). Where __pycache__ cannot be
# written and holds no bytecode yet, Python compiles as Ansible would. The finder is here, not in a helper module, because
# importing a helper through Ansible's loader costs each worker about as much as the finder saves on one.
PLUGINS_PACKAGE = __name__.rpartition('.lookup.')[0] + '.'
PRIVATE_HELPERS = (PLUGINS_PACKAGE + 'module_utils._', PLUGINS_PACKAGE + 'plugin_utils._')


class BytecodeCachingFinder:
    """A meta path finder for the private helper modules only; every other import falls through to the next finder."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):  # pylint: disable=unused-argument
        if not path or not fullname.startswith(PRIVATE_HELPERS) or '.' in fullname[len(PLUGINS_PACKAGE):].partition('.')[2]:
            return None
        for directory in path:
            source = os.path.join(directory, fullname.rpartition('.')[2] + '.py')
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None


@contextlib.contextmanager
def bytecode_cached_imports():
    """The private helpers imported in the block, and those they import, are loaded by Python's source loader."""
    if BytecodeCachingFinder in sys.meta_path:
        yield
        return
    sys.meta_path.insert(0, BytecodeCachingFinder)
    try:
        yield
    finally:
        sys.meta_path.remove(BytecodeCachingFinder)


# Ansible forks a worker per host and task, and the worker inherits every object ansible-playbook holds. The allocations of the
# lookup's imports set off Python's cyclic garbage collector, whose collections of the older generations walk thousands of those
# inherited objects: about 2 ms of a worker's CPU, which a worker forked from a small process (tools/lookup_load_cost.py) does
# not show. Python's documentation advises a process that forks to call gc.freeze() before it forks; called in the worker, it
# takes the objects the worker holds so far out of every later collection there. A worker lives for one task, and what it
# froze goes when it exits.
IN_WORKER = multiprocessing.parent_process() is not None
if IN_WORKER:
    gc.freeze()

# The lookup's code is a helper's, so that it too is imported from its bytecode.
with bytecode_cached_imports():
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._access_token_lookup import AccessTokenLookup, define_options

# Ansible learns a plugin's options by parsing its documentation and doc fragments in every process that loads it, and it runs
# each host's task in a new worker process: that parsing cost each worker more than a cached call. So in a worker the lookup
# defines them itself; elsewhere (ansible-config, which shows their descriptions) Ansible reads the documentation.
if IN_WORKER:
    define_options(__name__)


class LookupModule(AccessTokenLookup):
    """See DOCUMENTATION; the code is AccessTokenLookup's."""
