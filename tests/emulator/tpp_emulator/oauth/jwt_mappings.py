"""JWT mappings: CreateJwtMapping, GetJwtMapping, GetJwtMappings, EnumerateJwtMappings, UpdateJwtMapping,
DeleteJwtMapping.

A mapping is the contract's OAuthJwtMapping. Its unset optional fields (JwksUri, IdMatch, GranteePrefixedUniversal)
are left out of responses, because the contract types them as strings (choice: TPP documents them as null).
"""

import re

from ..identity import identity_entry
from ..state.jwt_mappings import MAPPING_FIELDS
from .core import (INVALID_PARAMETERS, JWT_MAPPING_EXISTS, JWT_MAPPING_NOT_FOUND, OBJECT_INVALID, OAuthFailure, flag_field,
                   text_field)

ORDER_NONE, ORDER_NAME = 0, 1
REQUIRED = ("Name", "IssuerUri", "PurposeField", "PurposeMatch", "IdField")


def _mapping_input(store, source):
    """A mapping record from request fields; what is left out takes its default (unset), required fields included."""
    record = {name: text_field(source, name) for name in REQUIRED}
    for name in ("JwksUri", "IdMatch", "GranteePrefixedUniversal"):
        record[name] = text_field(source, name, required=False) or None
    pattern = None
    if record["IdMatch"]:
        try:
            pattern = re.compile(record["IdMatch"])
        except re.error as error:
            raise OAuthFailure(INVALID_PARAMETERS, "IdMatch is not a valid regular expression: %s" % error)
    if record["GranteePrefixedUniversal"]:
        grantee = store.identities.by_universal(record["GranteePrefixedUniversal"])
        if grantee is None or grantee.is_group:
            raise OAuthFailure(OBJECT_INVALID, "GranteePrefixedUniversal '%s' is not a known user" % record["GranteePrefixedUniversal"])
        record["GranteePrefixedUniversal"] = grantee.prefixed_universal
    elif pattern is None or pattern.groups < 1:
        raise OAuthFailure(INVALID_PARAMETERS, "Without a GranteePrefixedUniversal, IdMatch must be a regular expression whose "
                                               "first group captures the identity")
    return record


def _view(record):
    return {field: record[field] for field in MAPPING_FIELDS if record[field] is not None}


def _with_identities(call, mappings, result):
    """``result`` plus IdentityEntries when the body asks to ResolveIdentities: one per distinct fixed grantee."""
    if flag_field(call.body, "ResolveIdentities") is not True:
        return result
    grantees = dict.fromkeys(mapping["GranteePrefixedUniversal"] for mapping in mappings if mapping["GranteePrefixedUniversal"])
    identities = (call.store.identities.by_universal(grantee) for grantee in grantees)
    return dict(result, IdentityEntries=[identity_entry(identity) for identity in identities if identity is not None])


def _not_found(name):
    return OAuthFailure(JWT_MAPPING_NOT_FOUND, "JWT mapping '%s' was not found" % name)


def create_jwt_mapping(call):
    record = _mapping_input(call.store, call.body)
    if not call.store.jwt_mappings.add(record):
        raise OAuthFailure(JWT_MAPPING_EXISTS, "A JWT mapping named '%s' already exists" % record["Name"])
    return {"JwtMapping": _view(record)}


def get_jwt_mapping(call):
    name = text_field(call.body, "Name")
    mapping = call.store.jwt_mappings.get(name)
    if mapping is None:
        raise _not_found(name)
    return _with_identities(call, [mapping], {"JwtMapping": _view(mapping)})


def get_jwt_mappings(call):
    """Every mapping whose Name or IssuerUri contains Filter (case-insensitive) and, when IssuerUris is a list, whose
    IssuerUri is one of them; by name."""
    text = text_field(call.body, "Filter", required=False).lower()
    issuers = call.body.get("IssuerUris")
    found = sorted((mapping for mapping in call.store.jwt_mappings.list()
                    if (text in mapping["Name"].lower() or text in mapping["IssuerUri"].lower())
                    and (not isinstance(issuers, list) or mapping["IssuerUri"] in issuers)), key=lambda mapping: mapping["Name"])
    return _with_identities(call, found, {"JwtMappings": [_view(mapping) for mapping in found]})


def _count_field(body, name):
    value = body.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a number not below 0, or null" % name)
    return value or 0


def enumerate_jwt_mappings(call):
    """A page: Start mappings skipped (an offset, as the contract says), at most Count (0 or null: all), OrderBy 0 in
    creation order or 1 by name, Descending reverses; Count in the response is how many this page holds."""
    start, count = _count_field(call.body, "Start"), _count_field(call.body, "Count")
    order = call.body.get("OrderBy")
    order = ORDER_NONE if order is None else order
    if isinstance(order, bool) or order not in (ORDER_NONE, ORDER_NAME):
        raise OAuthFailure(INVALID_PARAMETERS, "OrderBy must be 0 (none) or 1 (name) for JWT mappings")
    mappings = call.store.jwt_mappings.list()
    if order == ORDER_NAME:
        mappings.sort(key=lambda mapping: mapping["Name"])
    if flag_field(call.body, "Descending"):
        mappings.reverse()
    page = mappings[start:start + count] if count else mappings[start:]
    return _with_identities(call, page, {"JwtMappings": [_view(mapping) for mapping in page], "Count": len(page)})


def update_jwt_mapping(call):
    """A whole replace (TPP: "If they are not set in the request, they will be defaulted")."""
    source = call.body.get("JwtMapping")
    record = _mapping_input(call.store, source if isinstance(source, dict) else {})
    if not call.store.jwt_mappings.replace(record):
        raise _not_found(record["Name"])
    return {}


def delete_jwt_mapping(call):
    name = text_field(call.body, "Name")
    if not call.store.jwt_mappings.delete(name):
        raise _not_found(name)
    return {}


OPERATIONS = {
    "CreateJwtMapping": create_jwt_mapping,
    "GetJwtMapping": get_jwt_mapping,
    "GetJwtMappings": get_jwt_mappings,
    "EnumerateJwtMappings": enumerate_jwt_mappings,
    "UpdateJwtMapping": update_jwt_mapping,
    "DeleteJwtMapping": delete_jwt_mapping,
}
