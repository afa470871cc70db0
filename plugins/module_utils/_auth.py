# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One small class per VEDAuth authorization method, each with an offline validate() and authenticate()."""

import os
import re
import ssl

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import AUTH_METHOD_NAMES
from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import Scope
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import token_result

JWT_FORMAT = re.compile(r'^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$')
# Options that only one auth method uses, so that giving them says which method was meant.
OTHER_METHOD_OPTIONS = (('jwt', 'jwt'), ('client_cert', 'certificate'), ('refresh_token', 'refresh'))


class AuthMethod:
    """Obtains a token from one VEDAuth endpoint.

    ``options`` holds the resolved option values (``client_id``, ``scope``, ``username``, ...).
    ``validate()`` checks them without any request; ``authenticate(client)`` returns the token result.
    """

    name = None
    endpoint = None
    required = ()
    takes_scope = True
    # A refresh token works once: an exchange whose answer was lost must not be sent blindly again.
    safe_to_repeat = True

    def __init__(self, options):
        self.options = options

    def validate(self):
        needed = ('client_id',) + (('scope',) if self.takes_scope else ()) + self.required
        missing = [name for name in needed if not self.options.get(name)]
        if self.takes_scope and 'scope' not in missing and not Scope.parse(self.options['scope']):
            missing.insert(1, 'scope')
        if missing:
            raise TppError('auth_method %s needs %s%s' % (self.name, ' and '.join(missing), self._other_method_hint()))
        self.validate_method()

    def _other_method_hint(self):
        """When the credentials of another auth method were given instead, say how to use them (most likely auth_method was left out)."""
        for option, method in OTHER_METHOD_OPTIONS:
            if method != self.name and self.options.get(option):
                return '; %s was given: set auth_method: %s to use it' % (option, method)
        return ''

    def validate_method(self):
        """Checks of this method's own options."""

    def body(self):
        body = {'client_id': self.options['client_id']}
        if self.takes_scope:
            body['scope'] = str(Scope.parse(self.options['scope']))
        return body

    def transport(self):
        """Extra arguments for the HTTP request (NTLM auth, client certificate)."""
        return {}

    def authenticate(self, client):
        try:
            reply = client.vedauth('POST', self.endpoint, body=self.body(), safe_to_repeat=self.safe_to_repeat, **self.transport())
        except Refused as error:
            # A refusal names the method; other failures keep the client's message, which names the request.
            raise error.reworded('TPP refused the %s authorization for client_id %s' % (self.name, self.options['client_id'])) from None
        return token_result(reply.data)


class PasswordAuth(AuthMethod):
    name = 'password'
    endpoint = 'authorize/oauth'
    required = ('username', 'password')

    def body(self):
        body = super().body()
        body.update(username=self.options['username'], password=self.options['password'])
        return body


class IntegratedAuth(AuthMethod):
    """Windows integrated authentication over NTLM, as DOMAIN\\user with a password."""

    name = 'integrated'
    endpoint = 'authorize/integrated'
    required = ('username', 'password')

    def validate_method(self):
        username = self.options['username']
        if '\\' not in username and '@' not in username:
            raise TppError('auth_method integrated needs username as DOMAIN\\user or user@domain, not %s; in YAML write CORP\\%s '
                           'unquoted or in single quotes, or "CORP\\\\%s" in double quotes' % (username, username, username))
        if '\\\\' in username:
            raise TppError('username %s has two backslashes; write one between domain and user, DOMAIN\\user (in YAML double quotes, '
                           '"DOMAIN\\\\user")' % username)
        ntlm_auth_class()

    def transport(self):
        return {'auth': ntlm_auth_class()(self.options['username'], self.options['password'])}


def ntlm_auth_class():
    """requests-ntlm's HttpNtlmAuth. Imported for integrated sign-in only: with pyspnego and cryptography it costs every
    module run that imports it about a tenth of a second."""
    try:
        from requests_ntlm import HttpNtlmAuth  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise TppError(missing_required_lib('requests-ntlm', reason='auth_method integrated')) from None
    return HttpNtlmAuth


class CertificateAuth(AuthMethod):
    """Mutual TLS: the client certificate identifies the user."""

    name = 'certificate'
    endpoint = 'authorize/certificate'
    required = ('client_cert',)

    def validate_method(self):
        cert, key = self.options['client_cert'], self.options.get('client_key')
        for option, path in (('client_cert', cert), ('client_key', key)):
            if path and not os.access(path, os.R_OK):
                raise TppError('%s %s is not a readable file' % (option, path))
        try:
            # An empty passphrase callback makes an encrypted key fail here instead of OpenSSL prompting on the terminal.
            ssl.create_default_context().load_cert_chain(cert, key, password=lambda: b'')
        except (ssl.SSLError, OSError) as error:
            if not key and _certificate_without_key(cert):
                raise TppError('client_cert %s holds a certificate but no private key; set client_key to the PEM file of its private key' % cert)
            reason = getattr(error, 'reason', None) or error
            if reason == 'KEY_VALUES_MISMATCH':
                reason = '%s: the key is not the private key of the certificate' % reason
            raise TppError('client_cert %s and client_key %s are not a PEM certificate and its unencrypted private key (%s)'
                           % (cert, key or '(in client_cert)', reason))

    def transport(self):
        key = self.options.get('client_key')
        return {'cert': (self.options['client_cert'], key) if key else self.options['client_cert']}


def _certificate_without_key(path):
    """True when the file at ``path`` holds a PEM certificate and no private key."""
    try:
        with open(path, 'rb') as handle:
            pem = handle.read()
    except OSError:
        return False
    return b'-----BEGIN CERTIFICATE-----' in pem and b'PRIVATE KEY-----' not in pem


class JwtAuth(AuthMethod):
    """A JWT from an identity provider that a TPP JWT mapping trusts."""

    name = 'jwt'
    endpoint = 'authorize/jwt'
    required = ('jwt',)

    def validate_method(self):
        if not JWT_FORMAT.match(self.options['jwt'].strip()):
            raise TppError('jwt is not a compact JSON Web Token (three base64url parts separated by dots)')

    def body(self):
        body = super().body()
        body['jwt'] = self.options['jwt'].strip()
        return body


class RefreshAuth(AuthMethod):
    """A refresh token exchanged for a new access token and a new refresh token of the same grant."""

    name = 'refresh'
    endpoint = 'authorize/token'
    required = ('refresh_token',)
    takes_scope = False
    safe_to_repeat = False

    def body(self):
        body = super().body()
        body['refresh_token'] = self.options['refresh_token']
        return body


AUTH_METHODS = dict((method.name, method) for method in (PasswordAuth, IntegratedAuth, CertificateAuth, JwtAuth, RefreshAuth))


def auth_method(options):
    """The validated auth method that ``options['auth_method']`` names."""
    name = options.get('auth_method') or 'password'
    if name not in AUTH_METHODS:
        raise TppError('auth_method must be one of %s, not %r' % (', '.join(AUTH_METHOD_NAMES), name))
    method = AUTH_METHODS[name](options)
    method.validate()
    return method
