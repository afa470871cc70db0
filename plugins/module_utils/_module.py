# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module shares: the connection and auth options, their resolution, the client, errors."""

from ansible.module_utils.basic import AnsibleModule, env_fallback

from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import AUTH_METHODS, auth_method
from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import DEFAULT_RETRIES, DEFAULT_TIMEOUT, TppClient
from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import ENV_PREFIX, resolve_options
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import placeholder_error
from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import URL_SOURCES, normalize_url


def _env(name):
    return dict(fallback=(env_fallback, [ENV_PREFIX + name.upper()]))


CONNECTION_SPEC = dict(
    url=dict(type='str'),
    validate_certs=dict(type='bool', default=True, **_env('validate_certs')),
    ca_path=dict(type='path', aliases=['trust_bundle'], **_env('ca_path')),
    timeout=dict(type='int', default=DEFAULT_TIMEOUT, **_env('timeout')),
    retries=dict(type='int', default=DEFAULT_RETRIES, **_env('retries')),
)

AUTH_SPEC = dict(
    auth_method=dict(type='str', default='password', choices=sorted(AUTH_METHODS), **_env('auth_method')),
    client_id=dict(type='str'),
    scope=dict(type='raw'),
    username=dict(type='str', **_env('username')),
    password=dict(type='str', no_log=True, **_env('password')),
    client_cert=dict(type='path', **_env('client_cert')),
    client_key=dict(type='path', no_log=False, **_env('client_key')),
    jwt=dict(type='str', no_log=True, **_env('jwt')),
    refresh_token=dict(type='str', no_log=True, **_env('refresh_token')),
    client_json=dict(type='raw', **_env('client_json')),
)

ACCESS_TOKEN_SPEC = dict(
    access_token=dict(type='str', no_log=True, **_env('access_token')),
)


class TppModule:
    """An AnsibleModule with the shared options resolved, and TppError turned into a one-line failure.

    A token option that holds the token module's check-mode placeholder fails the task here, before any request.
    """

    def __init__(self, argument_spec, **kwargs):
        self.module = AnsibleModule(argument_spec=argument_spec, **kwargs)
        self.params = self.module.params
        self._options = None
        placeholder = placeholder_error(self.params)
        if placeholder:
            self.module.fail_json(msg=placeholder)

    @property
    def options(self):
        if self._options is None:
            self._options = resolve_options(self.params)
        return self._options

    def client(self):
        options = self.options
        sources = URL_SOURCES[:1] + ('the url of client_json',) + URL_SOURCES[1:] if 'client_json' in self.params else URL_SOURCES
        return TppClient(normalize_url(options['url'], sources), validate_certs=options['validate_certs'], ca_path=options['ca_path'],
                         timeout=options['timeout'], retries=options['retries'], warn=self.module.warn)

    def auth_method(self):
        return auth_method(self.options)

    def run(self, main):
        """Call ``main(self)``; its dict is the result. A TppError fails the task with its one-line message."""
        try:
            result = main(self)
        except TppError as error:
            details = dict((name, getattr(error, name)) for name in ('status', 'reason', 'error', 'error_description', 'result')
                           if getattr(error, name) is not None)
            self.module.fail_json(msg=str(error), **details)
        self.module.exit_json(**result)
