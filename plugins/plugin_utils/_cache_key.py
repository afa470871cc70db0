# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token cache key: who asks which server for what, never with which secret.

The key is the SHA-256 of the URL, client_id, normalised scope, auth method and the inputs that
decide the identity without being secrets: the user name, the client certificate's path and
fingerprint, the JWT's issuer, subject and audience. A password, a JWT or a refresh token never
enters it; for ``auth_method: refresh`` the grant is told apart by a digest of the refresh token
given, never the token itself.
"""

import base64
import binascii
import hashlib
import json
import os
import re

from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import normalize_scope
from ansible_collections.venafi_tpp.auth.plugins.module_utils._url import normalize_url

KEY_VERSION = 1
# Compiled by re for a client certificate's key only: the lookup imports this module in every worker process Ansible forks.
PEM_CERTIFICATE = r'-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----'


def cache_key(options):
    """The hex cache key of resolved lookup options (TppError on a bad url or scope)."""
    return hashlib.sha256(key_material(options).encode('utf-8')).hexdigest()


def key_material(options):
    """The JSON text the key is the digest of; it holds no secret."""
    method = options.get('auth_method') or 'password'
    material = {
        'v': KEY_VERSION,
        'url': normalize_url(options.get('url')),
        'client_id': options.get('client_id') or '',
        'scope': '' if method == 'refresh' else normalize_scope(options.get('scope') or ''),
        'auth_method': method,
        'identity': identity_inputs(method, options),
    }
    return json.dumps(material, sort_keys=True, separators=(',', ':'))


def identity_inputs(method, options):
    """The non-secret inputs that decide which identity a token is for."""
    if method in ('password', 'integrated'):
        # TPP and Active Directory match user names without regard to case.
        return {'username': (options.get('username') or '').strip().lower()}
    if method == 'certificate':
        cert = options.get('client_cert') or ''
        return {'client_cert': os.path.realpath(cert) if cert else '', 'fingerprint': certificate_fingerprint(cert)}
    if method == 'jwt':
        return jwt_claims(options.get('jwt') or '')
    if method == 'refresh':
        refresh_token = options.get('refresh_token') or ''
        return {'refresh_token_sha256': hashlib.sha256(refresh_token.encode('utf-8')).hexdigest() if refresh_token else ''}
    return {}


def certificate_fingerprint(path):
    """SHA-256 of the first certificate in a PEM file ('' when there is none to read)."""
    if not path:
        return ''
    try:
        with open(path, encoding='utf-8', errors='replace') as handle:
            match = re.search(PEM_CERTIFICATE, handle.read(), re.S)
    except OSError:
        return ''
    if not match:
        return ''
    try:
        der = base64.b64decode(''.join(match.group(1).split()))
    except (binascii.Error, ValueError):
        return ''
    return hashlib.sha256(der).hexdigest()


def jwt_claims(token):
    """The issuer, subject and audience of a compact JWT, read without verifying it (TPP does that)."""
    parts = token.strip().split('.')
    claims = {}
    if len(parts) == 3:
        try:
            payload = parts[1] + '=' * (-len(parts[1]) % 4)
            claims = json.loads(base64.urlsafe_b64decode(payload.encode('ascii')))
        except (binascii.Error, ValueError, UnicodeError):
            claims = {}
    if not isinstance(claims, dict):
        claims = {}
    return dict((name, claims.get(name)) for name in ('iss', 'sub', 'aud'))
