"""An issuer's JWT keys over HTTPS (OIDC discovery or a JWKS URI), and RSA keys as JWKs.

TPP fetches a JWT mapping's keys from ``{IssuerUri}/.well-known/openid-configuration`` (whose ``issuer`` must be the
IssuerUri and whose ``jwks_uri`` names the key set) or straight from the mapping's ``JwksUri``. Every URL must be HTTPS
and the discovery document's issuer must match, unless the test-only switches of the token settings
(JwtConfiguration.CacheConfiguration.NoHttps, NoOidcIssuerCheck) turn that off; the server certificate is checked
against the system's CAs and the emulator's own CA; no proxy, no redirects.
Fetched key sets hold RSA keys (RS256); other keys are skipped (choice).
"""

import hashlib
import http.client
import json
import ssl
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa

from .jwt import JwtError, Key, b64url_decode, b64url_encode

DISCOVERY_PATH = "/.well-known/openid-configuration"
FETCH_TIMEOUT = 5
MAX_DOCUMENT = 256 * 1024


def https_context(ca_path):
    """The TLS trust for fetching keys: the system's CAs plus the emulator CA at ``ca_path``."""
    context = ssl.create_default_context()
    context.load_verify_locations(ca_path)
    return context


def _b64_int(value):
    return int.from_bytes(b64url_decode(value), "big")


def _int_b64(value):
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def rsa_jwk(public_key):
    """The public JWK of an RSA key, its ``kid`` the RFC 7638 thumbprint."""
    numbers = public_key.public_numbers()
    members = {"e": _int_b64(numbers.e), "kty": "RSA", "n": _int_b64(numbers.n)}
    kid = b64url_encode(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())
    return dict(members, kid=kid, alg="RS256", use="sig")


def keys_of(jwks):
    """The RS256 verification keys of a JWKS document; keys of other types or uses are skipped."""
    entries = jwks.get("keys")
    if not isinstance(entries, list):
        raise ValueError("it has no 'keys' list")
    keys = []
    for entry in entries:
        if (not isinstance(entry, dict) or entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig"
                or entry.get("alg", "RS256") != "RS256"):
            continue
        try:
            public_key = rsa.RSAPublicNumbers(_b64_int(entry["e"]), _b64_int(entry["n"])).public_key()
        except (KeyError, TypeError, ValueError):
            continue
        keys.append(Key(entry.get("kid"), "RS256", public_key))
    return keys


def fetch_json(url, context, allow_http=False):
    """The JSON object at an HTTPS ``url`` (or HTTP, with ``allow_http``); JwtError saying why not."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in (("https", "http") if allow_http else ("https",)) or not parts.hostname:
        raise JwtError("'%s' is not an HTTPS URL" % url)
    target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    if scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=FETCH_TIMEOUT)
    else:
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=FETCH_TIMEOUT, context=context)
    try:
        connection.request("GET", target, headers={"Accept": "application/json"})
        response = connection.getresponse()
        data = response.read(MAX_DOCUMENT + 1)
    except (OSError, http.client.HTTPException) as error:
        raise JwtError("'%s' could not be fetched: %s" % (url, error))
    finally:
        connection.close()
    if response.status != 200:
        raise JwtError("'%s' answered HTTP %d" % (url, response.status))
    try:
        document = json.loads(data) if len(data) <= MAX_DOCUMENT else None
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise JwtError("'%s' did not return a JSON object" % url)
    return document


def issuer_keys(issuer, jwks_uri, context, allow_http=False, check_issuer=True):
    """The keys of ``issuer``: from ``jwks_uri`` when given, else through the issuer's OIDC discovery document (whose
    ``issuer`` must be ``issuer`` when ``check_issuer``); ``allow_http`` accepts http:// URLs."""
    if not jwks_uri:
        discovery = fetch_json(issuer.rstrip("/") + DISCOVERY_PATH, context, allow_http)  # OIDC Discovery 1.0 §4: no double slash
        if check_issuer and discovery.get("issuer") != issuer:
            raise JwtError("The discovery document of '%s' names the issuer '%s'" % (issuer, discovery.get("issuer")))
        jwks_uri = discovery.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise JwtError("The discovery document of '%s' has no jwks_uri" % issuer)
    document = fetch_json(jwks_uri, context, allow_http)
    try:
        return keys_of(document)
    except ValueError as error:
        raise JwtError("The key set at '%s' is not a JWKS: %s" % (jwks_uri, error))
