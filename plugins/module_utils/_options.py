# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options the plugins share: their specs, where each may come from, and the one rule that resolves them.

Each shared option falls back to the ``VENAFI_TPP_<NAME>`` environment variable. The lookup also takes it
from the ``venafi_tpp_<name>`` variable and, unless it is a secret, from ``<name>`` in the ``[venafi_tpp]``
section of ansible.cfg (:func:`plugin_sources`; the doc fragments' PLUGINS parts tell Ansible so, and a unit
test holds the fragments to these specs). ``client_id``, ``scope`` and ``url`` can also come from the client
JSON, which comes after the option itself and before those other sources: :func:`resolve`.
"""

import copy
import os

from ansible.module_utils.basic import env_fallback

ENV_PREFIX = 'VENAFI_TPP_'
VARS_PREFIX = 'venafi_tpp_'
INI_SECTION = 'venafi_tpp'
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 3
AUTH_METHOD_NAMES = ('certificate', 'integrated', 'jwt', 'password', 'refresh')
# The options the client JSON (_client_json) gives too.
CLIENT_JSON_KEYS = ('client_id', 'scope', 'url')

# The option groups, as AnsibleModule argument specs without their fallbacks (argument_spec() adds them).
CONNECTION = {
    'url': dict(type='str'),
    'validate_certs': dict(type='bool', default=True),
    'ca_path': dict(type='path', aliases=['trust_bundle']),
    'timeout': dict(type='int', default=DEFAULT_TIMEOUT),
    'retries': dict(type='int', default=DEFAULT_RETRIES),
}
AUTH = {
    'auth_method': dict(type='str', default='password', choices=list(AUTH_METHOD_NAMES)),
    'client_id': dict(type='str'),
    'scope': dict(type='raw'),
    'username': dict(type='str'),
    'password': dict(type='str', no_log=True),
    'client_cert': dict(type='path'),
    'client_key': dict(type='path', no_log=False),
    'jwt': dict(type='str', no_log=True),
    'refresh_token': dict(type='str', no_log=True),
    'client_json': dict(type='raw'),
}
ACCESS_TOKEN = {
    'access_token': dict(type='str', no_log=True),
}


def env_name(name):
    return ENV_PREFIX + name.upper()


def argument_spec(*groups, **own):
    """A module's argument spec: copies of the shared option ``groups`` with their environment fallbacks, then its ``own`` options.

    The environment fallback of client_id, scope and url is resolve()'s, after the client JSON.
    """
    spec = {}
    for group in groups:
        for name, entry in group.items():
            spec[name] = copy.deepcopy(entry)
            if name not in CLIENT_JSON_KEYS:
                spec[name]['fallback'] = (env_fallback, [env_name(name)])
    spec.update(copy.deepcopy(own))
    return spec


def plugin_sources(name, spec):
    """Where a plugin's configuration takes the shared option ``name`` from: env, vars and (not for a secret) ini."""
    sources = {'env': [{'name': env_name(name)}], 'vars': [{'name': VARS_PREFIX + name}]}
    if not spec.get('no_log'):
        sources['ini'] = [{'section': INI_SECTION, 'key': name}]
    return sources


def url_sources(client_json=False, plugin=False):
    """Where url can come from, first to last, for the message that asks for it: with ``client_json`` its url, and in a plugin
    (the lookup) the variable and ansible.cfg too."""
    sources = ['url'] + (['the url of client_json'] if client_json else []) + (['the %surl variable' % VARS_PREFIX] if plugin else [])
    sources.append('the %s environment variable' % env_name('url'))
    if plugin:
        sources.append('url in the [%s] section of ansible.cfg' % INI_SECTION)
    return tuple(sources)


def plugin_options(options):
    """Ansible's configuration definitions of a plugin's ``options`` (name -> spec): type, default, choices, aliases, sources."""
    return dict((name, dict(dict((key, spec[key]) for key in ('type', 'default', 'choices', 'aliases') if key in spec),
                            **plugin_sources(name, spec)))
                for name, spec in options.items())


def from_environment(environ):
    """The values that ``VENAFI_TPP_CLIENT_ID``, ``_SCOPE`` and ``_URL`` give in ``environ``, by option name."""
    return dict((name, environ.get(env_name(name))) for name in CLIENT_JSON_KEYS)


def resolve(values, fallback=None):
    """The option values to use: ``values``, and for client_id, scope and url unset there, the client JSON, then ``fallback``.

    ``fallback`` holds what the sources after the client JSON give for those three, by option name: for a module
    the environment (the default), for the lookup also its environment and ansible.cfg. An empty string is unset.
    """
    options = dict(values)
    fallback = from_environment(os.environ) if fallback is None else fallback
    from_client_json = {}
    if values.get('client_json'):
        # Imported for a client JSON only: Ansible imports the lookup, and so this module, in every worker process it forks.
        from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import load_client_json  # pylint: disable=import-outside-toplevel
        from_client_json = load_client_json(values['client_json'])
    for name in CLIENT_JSON_KEYS:
        if options.get(name) in (None, ''):
            options[name] = from_client_json.get(name) or fallback.get(name) or None
    return options
