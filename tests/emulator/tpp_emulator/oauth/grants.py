"""Grants: GetGrants, EnumerateGrants, GrantCount, UserCount, RevokeGrants.

Only active grants are listed, counted and revoked (not revoked, not past their expiry). ``subject(body)`` gives what a
grants call is about, the integration and the identity, read from the body as the operations read it, so that the
rights decision (``core.check_rights``) can tell an owner's or a user's own grants from others'.
"""

import math

from ..web import date_fields
from .core import (INVALID_PARAMETERS, OBJECT_INVALID, OAuthFailure, existing_application, flag_field, identity_entries,
                   text_field)

SUBJECT_FIELDS = ("ApplicationId", "GranteePrefixedUniversal")


def subject(body):
    """(ApplicationId, GranteePrefixedUniversal) of a grants call, None where a field is absent, empty or not a
    string; never fails (the operation itself answers Result 6 for a field of the wrong type)."""
    return tuple(body.get(name) if isinstance(body.get(name), str) and body.get(name) else None for name in SUBJECT_FIELDS)


def _checked_subject(call):
    """``subject`` with Result 6 for a field that is not a string or for neither field, 2 for an unknown integration
    and 10 for an unknown identity; the identity comes back as its stored prefixed universal."""
    for name in SUBJECT_FIELDS:
        text_field(call.body, name, required=False)
    application_id, grantee = subject(call.body)
    if application_id is None and grantee is None:
        raise OAuthFailure(INVALID_PARAMETERS, "ApplicationId or GranteePrefixedUniversal is required")
    if application_id is not None:
        existing_application(call.store, application_id)
    if grantee is not None:
        identity = call.store.identities.by_universal(grantee)
        if identity is None:
            raise OAuthFailure(OBJECT_INVALID, "GranteePrefixedUniversal '%s' is not a known identity" % grantee)
        grantee = identity.prefixed_universal
    return application_id, grantee


def grant_record(grant):
    """TPP's OAuthGrant object, token values included (as the contract has them)."""
    record = {"Scope": grant.scope, "AccessToken": grant.access_token, "ValidFor": grant.valid_for}
    record.update(date_fields("AccessIssuedOn", grant.access_issued_on, "ISO8601", "UnixTime"))
    record["RefreshToken"] = grant.refresh_token or ""
    record.update(date_fields("Expires", grant.refresh_until, "ISO8601", "UnixTime"))
    record.update(date_fields("GrantIssuedOn", grant.grant_issued_on, "ISO8601", "UnixTime"))
    record.update(Application=grant.application, GranteePrefixedUniversal=grant.identity,
                  GrantedToPrefixedUniversal=grant.granted_to)
    return record


def _ordering(store, order_by):
    """The sort key of an OrderBy code (the contract's OAuthOrderByField), None for 0; Result 6 for other values.

    0 Default: the order of issue; 1 Name: the grantee's prefixed name, then the integration's ID; 2 Vendor: the
    integration's vendor, then as Name; 3 AccessValidity: when the current access token expires; 4 GrantValidity:
    when the grant expires (one that never expires last). Names compare case-insensitively (choice: the contract
    does not say which codes sort grants).
    """
    if isinstance(order_by, bool) or order_by not in (None, 0, 1, 2, 3, 4):
        raise OAuthFailure(INVALID_PARAMETERS, "OrderBy must be 0 (Default), 1 (Name), 2 (Vendor), 3 (AccessValidity) or 4 (GrantValidity)")
    if order_by == 3:
        return lambda grant: grant.access_expires
    if order_by == 4:
        return lambda grant: math.inf if grant.refresh_until is None else grant.refresh_until
    if not order_by:
        return None
    names = {}

    def name(grant):
        if grant.identity not in names:
            identity = store.identities.by_universal(grant.identity)
            names[grant.identity] = (identity.prefixed_name if identity else grant.identity).lower()
        return names[grant.identity], grant.application.lower()
    if order_by == 1:
        return name
    vendors = {application["ID"]: application["Vendor"].lower() for application in store.applications.list()}
    return lambda grant: (vendors.get(grant.application, ""),) + name(grant)


def _whole_number(body, name):
    """Start or Count: a non-negative integer, 0 when absent or null."""
    value = body.get(name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a non-negative integer" % name)
    return value


def _grants(call, application_id, grantee):
    """One page of the active grants of an integration and/or an identity: Start grants skipped (an offset, as the
    contract says), at most Count (absent or 0: all the rest), in the order of OrderBy and Descending."""
    body = call.body
    start, count = _whole_number(body, "Start"), _whole_number(body, "Count")
    order = _ordering(call.store, body.get("OrderBy"))
    descending, resolve = flag_field(body, "Descending"), flag_field(body, "ResolveIdentities")
    page = call.store.grants.page(application_id, grantee, order, bool(descending), start, count or None)
    answer = {"Grants": [grant_record(grant) for grant in page]}
    if resolve:
        answer["IdentityEntries"] = identity_entries(call.store, [u for grant in page for u in (grant.identity, grant.granted_to)])
    return answer


def get_grants(call):
    """The grants of an identity (GranteePrefixedUniversal, required), optionally of one integration only."""
    text_field(call.body, "GranteePrefixedUniversal")
    return _grants(call, *_checked_subject(call))


def enumerate_grants(call):
    """The grants of an integration (ApplicationId), of an identity (GranteePrefixedUniversal, as the docs allow), or
    of both; at least one is required."""
    return _grants(call, *_checked_subject(call))


def grant_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["GrantCount"]}


def user_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["UserCount"]}


def revoke_grants(call):
    """Revoke every active grant of an integration or of an identity (both given: those of the identity on that
    integration); Result 0 also when there were none."""
    call.store.grants.revoke(*_checked_subject(call))
    return {}


OPERATIONS = {
    "GetGrants": get_grants,
    "EnumerateGrants": enumerate_grants,
    "GrantCount": grant_count,
    "UserCount": user_count,
    "RevokeGrants": revoke_grants,
}
