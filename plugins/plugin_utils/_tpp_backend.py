# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The requests the token cache sends, on the collection's one HTTP client and auth methods."""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import auth_method
from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import TppClient
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import revoke, verify


class TppBackend:
    """Authorize, refresh, verify and revoke for one set of resolved lookup options."""

    def __init__(self, options, warn=None):
        self.options = options
        self._warn = warn
        self._client = None
        self.client_id = options.get('client_id') or ''
        self.url = options.get('url') or ''
        self.tls = {'ca_path': options.get('ca_path'), 'validate_certs': options.get('validate_certs', True)}

    def client(self):
        if self._client is None:
            options = self.options
            self._client = TppClient(options['url'], validate_certs=options.get('validate_certs', True), ca_path=options.get('ca_path'),
                                     timeout=options.get('timeout'), retries=options.get('retries'), warn=self._warn)
            self.url = self._client.url
        return self._client

    def authorize(self):
        method = auth_method(self.options)
        return method.authenticate(self.client())

    def refresh(self, refresh_token):
        method = auth_method(dict(self.options, auth_method='refresh', refresh_token=refresh_token))
        return method.authenticate(self.client())

    def verify(self, access_token):
        return verify(self.client(), access_token) is not None

    def revoke(self, access_token):
        """End the token's grant; False when TPP says it had ended already."""
        return revoke(self.client(), access_token)
