# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module shares: its resolved options, the client, the administrator's API, the result, and the one exit for errors."""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import auth_method
from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import TppClient
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._oauth import ADMIN_TOKEN_HINT, OAuthApi
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import ACCESS_TOKEN, CONNECTION, argument_spec, resolve, url_sources
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import placeholder_error
from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import normalize_url


class TppModule:
    """An AnsibleModule with the shared options resolved; ``run`` is where every TppError leaves as a one-line failure."""

    def __init__(self, argument_spec, **kwargs):
        self.module = AnsibleModule(argument_spec=argument_spec, **kwargs)
        self.params = self.module.params
        self._options = None

    @property
    def options(self):
        if self._options is None:
            self._options = resolve(self.params)
        return self._options

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def diff_mode(self):
        return self.module._diff

    def client(self):
        options = self.options
        url = normalize_url(options['url'], url_sources(client_json='client_json' in self.params))
        return TppClient(url, validate_certs=options['validate_certs'], ca_path=options['ca_path'],
                         timeout=options['timeout'], retries=options['retries'], warn=self.module.warn)

    def auth_method(self):
        return auth_method(self.options)

    def admin(self):
        """TPP's grant-management API with ``access_token`` (a token whose scope includes admin); TppError without one."""
        if not self.params['access_token']:
            raise TppError(ADMIN_TOKEN_HINT)
        return OAuthApi(self.client(), self.params['access_token'])

    def change(self, changed, done, diff=None, **returned):
        """The result of a task that changes TPP: ``changed``, ``msg`` saying what was ``done`` ("created the x"; in check mode
        "check mode: nothing sent; would have created the x"), under --diff the (before, after) of ``diff``, and ``returned``."""
        result = dict(returned, changed=changed,
                      msg='check mode: nothing sent; would have %s' % done if self.check_mode and changed else done)
        if diff is not None and self.diff_mode:
            result['diff'] = dict(before=diff[0], after=diff[1])
        return result

    def run(self, main):
        """Call ``main(self)``; its dict is the result. A TppError fails the task with its one-line message and what TPP said.

        A token option that holds the token module's check-mode placeholder fails here, before any request.
        """
        try:
            placeholder = placeholder_error(self.params)
            if placeholder:
                raise TppError(placeholder)
            result = main(self)
        except TppError as error:
            self.module.fail_json(msg=str(error), **error.details())
        self.module.exit_json(**result)


def run_info(read, **options):
    """Run a module that only reads, with the connection, ``access_token`` and its own ``options``: ``read(tpp)`` gives the
    values it returns, and it never changes anything."""
    tpp = TppModule(argument_spec(CONNECTION, ACCESS_TOKEN, **options), supports_check_mode=True)
    tpp.run(lambda tpp: dict(read(tpp), changed=False))
