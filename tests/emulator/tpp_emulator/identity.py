"""The /vedsdk/identity endpoints: Validate and Browse.

Both need the ``configuration`` scope ("_Required scope: configuration_" in Venafi's OpenAPI contract).
"""

from .state.identities import identity_type
from .web import Response, fail, require_grant, require_json

ALL_TYPES = 0xFFFF
DEFAULT_LIMIT = 100
SCOPE = "configuration"


def identity_entry(identity):
    """TPP's IdentityEntry object."""
    if identity.domain:
        full_name = "CN=%s,CN=Users,DC=%s,DC=emulator,DC=test" % (identity.name, identity.domain.lower())
    else:
        full_name = "\\VED\\Identity\\%s" % identity.name
    return {"Prefix": identity.prefix, "PrefixedName": identity.prefixed_name, "PrefixedUniversal": identity.prefixed_universal,
            "Name": identity.name, "FullName": full_name, "Universal": identity.universal, "IsGroup": identity.is_group,
            "Type": identity_type(identity), "State": 0}


def _lookup(store, wanted):
    """(identity or None, the name asked for): by PrefixedUniversal when given, else by PrefixedName."""
    for field, find in (("PrefixedUniversal", store.identities.by_universal), ("PrefixedName", store.identities.find)):
        value = wanted.get(field)
        if isinstance(value, str) and value:
            return find(value), value
    fail(400, "invalid_request", "ID.PrefixedName or ID.PrefixedUniversal is required")


def validate(request):
    require_grant(request, SCOPE)
    wanted = require_json(request).get("ID")
    identity, asked = _lookup(request.store, wanted if isinstance(wanted, dict) else {})
    if identity is None:
        return Response(400, {"Error": "Identity %s could not be found" % asked})
    return Response(200, {"ID": identity_entry(identity)})


def _integer(body, name, default):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        fail(400, "invalid_request", "%s must be a non-negative integer" % name)
    return value


def browse(request):
    require_grant(request, SCOPE)
    body = require_json(request)
    text = body.get("Filter")
    if not isinstance(text, str):
        fail(400, "invalid_request", "Filter is required")
    type_mask = _integer(body, "IdentityType", ALL_TYPES) or ALL_TYPES
    found = request.store.identities.browse(text, type_mask, _integer(body, "Limit", DEFAULT_LIMIT) or DEFAULT_LIMIT)
    return Response(200, {"Identities": [identity_entry(identity) for identity in found]})


ROUTES = {
    ("POST", "/vedsdk/identity/validate"): validate,
    ("POST", "/vedsdk/identity/browse"): browse,
}
