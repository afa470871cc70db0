"""Compact JWTs (RS256 and ES256): verification for authorize/jwt and minting for tests.

ES256 signatures are raw ``r || s`` (RFC 7518 §3.4), not the DER form ``cryptography`` uses.
"""

import base64
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

ALGORITHMS = ("RS256", "ES256")
ES256_PART = 32


class JwtError(ValueError):
    """A JWT that cannot be trusted; the message says why."""


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_segment(data):
    return b64url_encode(json.dumps(data, separators=(",", ":")).encode())


def mint(key_pem, claims, alg="RS256"):
    """Sign ``claims`` with a PEM private key (RSA for RS256, EC P-256 for ES256); returns a compact JWT."""
    if alg not in ALGORITHMS:
        raise ValueError("Unsupported algorithm %s" % alg)
    key = serialization.load_pem_private_key(key_pem if isinstance(key_pem, bytes) else key_pem.encode(), password=None)
    signing_input = "%s.%s" % (_json_segment({"alg": alg, "typ": "JWT"}), _json_segment(claims))
    if alg == "RS256":
        signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    else:
        r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(ES256_PART, "big") + s.to_bytes(ES256_PART, "big")
    return "%s.%s" % (signing_input, b64url_encode(signature))


def _decode(token):
    try:
        header_text, claims_text, signature_text = token.split(".")
        header = json.loads(b64url_decode(header_text))
        claims = json.loads(b64url_decode(claims_text))
        signature = b64url_decode(signature_text)
    except ValueError:
        raise JwtError("The JWT is malformed")
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwtError("The JWT is malformed")
    return header, claims, ("%s.%s" % (header_text, claims_text)).encode(), signature


def _check_signature(alg, public_key, signing_input, signature):
    try:
        if alg == "RS256":
            public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif len(signature) == 2 * ES256_PART:
            der = encode_dss_signature(int.from_bytes(signature[:ES256_PART], "big"), int.from_bytes(signature[ES256_PART:], "big"))
            public_key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        else:
            raise InvalidSignature()
    except InvalidSignature:
        raise JwtError("The JWT signature is invalid")


def _numeric(claims, name):
    value = claims.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise JwtError("The JWT claim '%s' is not a number" % name)
    return value


def _check_claims(claims, issuer, audience, now, skew):
    if claims.get("iss") != issuer:
        raise JwtError("The JWT issuer '%s' is not trusted" % claims.get("iss"))
    audiences = claims.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise JwtError("The JWT audience does not match '%s'" % audience)
    expires = _numeric(claims, "exp")
    if expires is None:
        raise JwtError("The JWT has no 'exp' claim")
    if now - skew >= expires:
        raise JwtError("The JWT has expired")
    for claim in ("nbf", "iat"):
        not_before = _numeric(claims, claim)
        if not_before is not None and not_before > now + skew:
            raise JwtError("The JWT is not yet valid")


def verify(token, keys, issuer, audience, now, skew=60):
    """Return the claims of a JWT signed by one of ``keys`` ({alg: public key}) and meant for us, else raise JwtError."""
    header, claims, signing_input, signature = _decode(token)
    alg = header.get("alg")
    if alg not in keys:
        raise JwtError("The JWT algorithm '%s' is not accepted" % alg)
    _check_signature(alg, keys[alg], signing_input, signature)
    _check_claims(claims, issuer, audience, now, skew)
    return claims
