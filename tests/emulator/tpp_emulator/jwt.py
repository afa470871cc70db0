"""Compact JWTs (RS256 and ES256): decoding, signature and time checks for authorize/jwt, and minting for tests.

ES256 signatures are raw ``r || s`` (RFC 7518 §3.4), not the DER form ``cryptography`` uses. A verification key is a
``Key``: its ``kid`` (None when its key set gives none), the algorithm it verifies and the public key.
"""

import base64
import collections
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ALGORITHMS = ("RS256", "ES256")
ES256_PART = 32

Key = collections.namedtuple("Key", "kid alg public_key")
Token = collections.namedtuple("Token", "header claims signing_input signature")


class JwtError(ValueError):
    """A JWT that cannot be trusted; the message says why."""


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_segment(data):
    return b64url_encode(json.dumps(data, separators=(",", ":")).encode())


def mint(key_pem, claims, alg="RS256", kid=None):
    """Sign ``claims`` with a PEM private key (RSA for RS256, EC P-256 for ES256); returns a compact JWT."""
    if alg not in ALGORITHMS:
        raise ValueError("Unsupported algorithm %s" % alg)
    key = serialization.load_pem_private_key(key_pem if isinstance(key_pem, bytes) else key_pem.encode(), password=None)
    header = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = kid
    signing_input = "%s.%s" % (_json_segment(header), _json_segment(claims))
    if alg == "RS256":
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(ES256_PART, "big") + s.to_bytes(ES256_PART, "big")
    return "%s.%s" % (signing_input, b64url_encode(signature))


def decode(token):
    """The unverified parts of a compact JWT; JwtError when it is not one."""
    try:
        header_text, claims_text, signature_text = token.split(".")
        header = json.loads(b64url_decode(header_text))
        claims = json.loads(b64url_decode(claims_text))
        signature = b64url_decode(signature_text)
    except ValueError:
        raise JwtError("The JWT is malformed")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwtError("The JWT is malformed")
    return Token(header, claims, ("%s.%s" % (header_text, claims_text)).encode(), signature)


def _verifies(alg, public_key, signing_input, signature):
    try:
        if alg == "RS256":
            public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif len(signature) == 2 * ES256_PART:
            der = encode_dss_signature(int.from_bytes(signature[:ES256_PART], "big"), int.from_bytes(signature[ES256_PART:], "big"))
            public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def check_signature(token, keys, issuer):
    """JwtError unless one of ``keys`` (the issuer's key set) signed ``token``.

    The header's ``alg`` must be RS256 or ES256 (never ``none`` or HMAC); a ``kid`` in the header narrows the
    candidates to the keys with that kid (and keys without one); without a kid every key of the algorithm is tried.
    """
    alg, kid = token.header.get("alg"), token.header.get("kid")
    if alg not in ALGORITHMS:
        raise JwtError("The JWT algorithm '%s' is not accepted" % alg)
    candidates = [key for key in keys if key.alg == alg and (kid is None or key.kid in (None, kid))]
    if not candidates:
        raise JwtError("No %s key%s in the key set of issuer '%s'" % (alg, " with kid '%s'" % kid if kid is not None else "", issuer))
    if not any(_verifies(alg, key.public_key, token.signing_input, token.signature) for key in candidates):
        raise JwtError("The JWT signature is invalid")


def _numeric(claims, name):
    value = claims.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise JwtError("The JWT claim '%s' is not a number" % name)
    return value


def check_times(claims, now, skew):
    """JwtError unless ``exp`` (required) is ahead of ``now - skew`` and ``nbf``/``iat`` are not after ``now + skew``."""
    expires = _numeric(claims, "exp")
    if expires is None:
        raise JwtError("The JWT has no 'exp' claim")
    if now - skew >= expires:
        raise JwtError("The JWT has expired (exp, with a clock skew of %s s)" % skew)
    for claim in ("nbf", "iat"):
        not_before = _numeric(claims, claim)
        if not_before is not None and not_before > now + skew:
            raise JwtError("The JWT is not yet valid (%s, with a clock skew of %s s)" % (claim, skew))
