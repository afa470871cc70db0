"""The test identity provider under /_idp/: an OIDC issuer that tests drive (loopback only, never counted or faulted).

Issuer ``{url}/_idp``; ``GET .well-known/openid-configuration`` (discovery), ``GET jwks`` (the current key only),
``POST mint`` (a JWT signed with the current key, RS256, with its ``kid``) and ``POST rotate`` (a new key replaces the
current one). No JWT mapping trusts this issuer until one is created. Its key lives in memory: made on first use,
kept across ``/_emulator/reset`` (choice), new on every start.
"""

import collections
import threading
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from . import jwks, jwt
from .web import Response, fail, require_json

PREFIX = "/_idp/"
ISSUER_PATH = "/_idp"
DEFAULT_EXPIRES_IN = 300

SigningKey = collections.namedtuple("SigningKey", "pem jwk")


def _new_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return SigningKey(pem, jwks.rsa_jwk(key.public_key()))


class IdentityProvider:
    """The provider's issuer URL and its one signing key; times come from the emulator's test clock."""

    def __init__(self, base_url, clock):
        self.issuer = base_url + ISSUER_PATH
        self.default_audience = base_url + "/vedauth"
        self._clock = clock
        self._lock = threading.Lock()
        self._key = None

    def _current(self):
        with self._lock:
            if self._key is None:
                self._key = _new_key()
            return self._key

    def public_jwk(self):
        return dict(self._current().jwk)

    def rotate(self):
        """Replace the signing key; returns the new key's kid."""
        key = _new_key()
        with self._lock:
            self._key = key
        return key.jwk["kid"]

    def mint(self, subject, audience, expires_in, extra):
        """A compact JWT: iss, sub, aud, iat = nbf = now, exp = now + expires_in, jti; then ``extra`` claims on top."""
        key = self._current()
        now = int(self._clock.now())
        claims = {"iss": self.issuer, "sub": subject, "aud": audience, "iat": now, "nbf": now, "exp": now + expires_in,
                  "jti": str(uuid.uuid4())}
        claims.update(extra)
        return jwt.mint(key.pem, claims, "RS256", key.jwk["kid"])


def discovery(request):
    idp = request.control.idp
    return Response(200, {"issuer": idp.issuer, "jwks_uri": idp.issuer + "/jwks", "response_types_supported": ["id_token"],
                          "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]})


def key_set(request):
    return Response(200, {"keys": [request.control.idp.public_jwk()]})


def _audience(body, default):
    audience = body.get("aud", default)
    if isinstance(audience, str) and audience:
        return audience
    if isinstance(audience, list) and audience and all(isinstance(item, str) for item in audience):
        return audience
    fail(400, "invalid_request", "'aud' must be a string or a list of strings")


def mint(request):
    """``{"sub", "aud"?: {url}/vedauth, "expires_in"?: 300, "claims"?: {...}}`` -> ``{"jwt"}``."""
    body = require_json(request)
    idp = request.control.idp
    subject = body.get("sub")
    if not isinstance(subject, str) or not subject:
        fail(400, "invalid_request", "'sub' must be a non-empty string")
    expires_in = body.get("expires_in", DEFAULT_EXPIRES_IN)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int):
        fail(400, "invalid_request", "'expires_in' must be a whole number of seconds")
    extra = body.get("claims", {})
    if not isinstance(extra, dict):
        fail(400, "invalid_request", "'claims' must be an object")
    return Response(200, {"jwt": idp.mint(subject, _audience(body, idp.default_audience), expires_in, extra)})


def rotate(request):
    return Response(200, {"kid": request.control.idp.rotate()})


ROUTES = {
    ("GET", "/_idp/.well-known/openid-configuration"): discovery,
    ("GET", "/_idp/jwks"): key_set,
    ("POST", "/_idp/mint"): mint,
    ("POST", "/_idp/rotate"): rotate,
}
