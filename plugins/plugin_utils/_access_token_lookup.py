# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The code of the access_token lookup; plugins/lookup/access_token.py holds its documentation and imports it from here.

Ansible's collection loader compiles a plugin's source in every worker process it forks, one per host and task, while
the plugin imports this module with Python's loader, which keeps its bytecode (see bytecode_cached_imports there): so the
lookup's code is here, and the plugin's file holds its documentation, which costs next to nothing to compile.
"""

from ansible import constants as C
from ansible.errors import AnsibleLookupError, AnsibleOptionsError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

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


def define_options(plugin_name):
    """Hand Ansible the lookup's option definitions, under the name it loads the lookup by (its Python module's)."""
    if not C.config.has_configuration_definition('lookup', plugin_name):
        C.config.initialize_plugin_configuration_definitions('lookup', plugin_name, OPTION_DEFINITIONS)


class AccessTokenLookup(LookupBase):
    """The code of the venafi_tpp.auth.access_token lookup, which plugins/lookup/access_token.py documents."""

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
            min_validity = self._min_validity()
            cache = TokenCache(mode=self.get_option('cache'), cache_dir=self.get_option('cache_dir') or default_cache_dir(),
                               min_validity=min_validity, warn=display.warning, debug=self._debug)
            return [cache.get(key, lambda: tpp_backend(options, warn=display.warning))]
        except TppError as error:
            raise AnsibleLookupError(str(error)) from None

    def _min_validity(self):
        """min_validity in seconds. The default needs no parsing, so that most workers do not import the duration code."""
        value = self.get_option('min_validity')
        if isinstance(value, int) and value == DEFAULT_MIN_VALIDITY:
            return value
        from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import parse_duration  # pylint: disable=import-outside-toplevel
        return parse_duration(value, 'min_validity', zero=True)

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
