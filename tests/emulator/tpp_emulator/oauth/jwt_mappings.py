"""JWT mappings: CreateJwtMapping, GetJwtMapping, GetJwtMappings, EnumerateJwtMappings, UpdateJwtMapping,
DeleteJwtMapping.

A mapping is the contract's OAuthJwtMapping. Its unset optional fields (JwksUri, IdMatch, GranteePrefixedUniversal)
are left out of responses, because the contract types them as strings (choice: TPP documents them as null).
"""

import re

from ..state.jwt_mappings import MAPPING_FIELDS
from .core import (INVALID_PARAMETERS, JWT_MAPPING_EXISTS, JWT_MAPPING_NOT_FOUND, OBJECT_INVALID, OAuthFailure, by_field, paging,
                   resolved, text_field)

ORDERINGS = {1: by_field("Name")}  # EnumerateJwtMappings' OrderBy: 0 creation order, 1 name
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
    return resolved(call, result, [mapping["GranteePrefixedUniversal"] for mapping in mappings if mapping["GranteePrefixedUniversal"]])


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


def enumerate_jwt_mappings(call):
    """A page of the mappings (``core.paging``; OrderBy 0 creation order, 1 name); Count in the response is how many
    this page holds."""
    page = paging(call.body, ORDERINGS)(call.store.jwt_mappings.list())
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
