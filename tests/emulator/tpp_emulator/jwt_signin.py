"""The credential check of authorize/jwt: a JWT validated through the JWT mappings (Venafi's CreateJwtMapping and "About JWT mappings" documentation pages).

In this order, each failure a JwtError naming the check: the JWT decodes; its ``iss`` is exactly the IssuerUri of one
or more mappings; the issuer's keys (the seeded key set for the seeded issuer, else fetched over HTTPS on every sign-in,
never cached, so a key the issuer rotated away stops working at once) include one that signed it; a mapping's purpose
and identity checks pass (the first by name that accepts it; else the first one's failure); ``exp``/``nbf``/``iat``
hold with the token settings' clock skew (JwtConfiguration.ClockSkew).
"""

import re

from . import jwks, jwt
from .jwt import JwtError


def _mappings_of_issuer(store, claims):
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or not issuer:
        raise JwtError("The JWT has no 'iss' claim")
    mappings = store.jwt_mappings.of_issuer(issuer)
    if not mappings:
        raise JwtError("The JWT issuer '%s' is not trusted: no JWT mapping has this IssuerUri" % issuer)
    return issuer, mappings


def _issuer_keys(store, issuer, mappings, cache_settings):
    jwks_uris = {mapping["JwksUri"] for mapping in mappings}
    if len(jwks_uris) > 1:
        raise JwtError("The JWT mappings of issuer '%s' name different JWKS URIs" % issuer)
    jwks_uri = jwks_uris.pop()
    if not jwks_uri and issuer == store.jwt_issuer:
        return [jwt.Key(None, alg, public_key) for alg, public_key in store.jwt_keys.items()]
    return jwks.issuer_keys(issuer, jwks_uri, store.https_context, allow_http=cache_settings["NoHttps"],
                            check_issuer=not cache_settings["NoOidcIssuerCheck"])


def _check_purpose(mapping, claims):
    field, wanted = mapping["PurposeField"], mapping["PurposeMatch"]
    value = claims.get(field)
    if wanted not in (value if isinstance(value, list) else [value]):
        raise JwtError("The JWT claim '%s' does not match the mapping's PurposeMatch '%s'" % (field, wanted))


def _mapped_identity(store, mapping, claims):
    """The user the mapping gives: its fixed GranteePrefixedUniversal (IdMatch, if set, must match the IdField claim)
    or the one IdMatch's first group names (a prefixed name, a local user name, DOMAIN\\user or a prefixed universal)."""
    field, pattern = mapping["IdField"], mapping["IdMatch"]
    value = claims.get(field)
    if not isinstance(value, str):
        raise JwtError("The JWT has no text claim '%s' (the mapping's IdField)" % field)
    match = re.search(pattern, value) if pattern else None
    if pattern and match is None:
        raise JwtError("The JWT claim '%s' ('%s') does not match the mapping's IdMatch '%s'" % (field, value, pattern))
    name = mapping["GranteePrefixedUniversal"] or match.group(1)
    identity = (store.identities.by_universal(name) or store.identities.find(name)) if name else None
    if identity is None or identity.is_group:
        raise JwtError("The JWT claim '%s' ('%s') names no TPP user" % (field, value))
    return identity


def authenticate(store, token):
    """The TPP user a JWT signs in as; JwtError saying which check failed. The token settings' JwtConfiguration gives
    the clock skew and the two test-only switches of CacheConfiguration (NoHttps, NoOidcIssuerCheck)."""
    settings = store.oauth_configuration()["JwtConfiguration"]
    parsed = jwt.decode(token)
    issuer, mappings = _mappings_of_issuer(store, parsed.claims)
    jwt.check_signature(parsed, _issuer_keys(store, issuer, mappings, settings["CacheConfiguration"]), issuer)
    failures = []
    for mapping in mappings:
        try:
            _check_purpose(mapping, parsed.claims)
            identity = _mapped_identity(store, mapping, parsed.claims)
            break
        except JwtError as failure:
            failures.append(failure)
    else:
        raise failures[0]
    jwt.check_times(parsed.claims, store.now(), settings["ClockSkew"])
    return identity
