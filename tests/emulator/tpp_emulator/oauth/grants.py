"""Grants: GetGrants, EnumerateGrants, GrantCount, UserCount, RevokeGrants.

Only active grants are listed, counted and revoked (not revoked, not past their expiry). What a call is about, the
integration and the identity, is read by ``core.subject`` for both the operation and the rights decision; an Owner's
listing and revocation reach only its integrations' grants, a user's only its own (``core.shown``).
"""

import math

from ..web import date_fields
from .core import (OBJECT_INVALID, OAuthFailure, application_or_identity, existing_application, paging, resolved, shown,
                   text_field)


def _checked_subject(call):
    """(ApplicationId, GranteePrefixedUniversal) of the call: Result 6 for a field that is not a string or for
    neither field, 2 for an unknown integration and 10 for an unknown identity; the identity comes back as its stored
    prefixed universal."""
    application_id, grantee = application_or_identity(call, "GranteePrefixedUniversal")
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


def _orderings(store):
    """The OrderBy codes (the contract's OAuthOrderByField) that sort grants (choice: the contract does not say which):
    1 Name: the grantee's prefixed name, then the integration's ID; 2 Vendor: the integration's vendor, then as Name;
    3 AccessValidity: when the current access token expires; 4 GrantValidity: when the grant expires (one that never
    expires last). Names compare case-insensitively."""
    names = {}

    def name(grant):
        if grant.identity not in names:
            identity = store.identities.by_universal(grant.identity)
            names[grant.identity] = (identity.prefixed_name if identity else grant.identity).lower()
        return names[grant.identity], grant.application.lower()
    vendors = {application["ID"]: application["Vendor"].lower() for application in store.applications.list()}
    return {1: name, 2: lambda grant: (vendors.get(grant.application, ""),) + name(grant),
            3: lambda grant: grant.access_expires,
            4: lambda grant: math.inf if grant.refresh_until is None else grant.refresh_until}


def _grants(call):
    """One page of the active grants of an integration and/or an identity that the caller may see."""
    application_id, grantee = _checked_subject(call)
    page = paging(call.body, _orderings(call.store))
    grants = call.store.grants.select(application_id, grantee,
                                      lambda grants: page([g for g in grants if shown(call, g.application, g.identity)]))
    return resolved(call, {"Grants": [grant_record(grant) for grant in grants]},
                    [universal for grant in grants for universal in (grant.identity, grant.granted_to)])


def get_grants(call):
    """The grants of an identity (GranteePrefixedUniversal, required), optionally of one integration only."""
    text_field(call.body, "GranteePrefixedUniversal")
    return _grants(call)


def enumerate_grants(call):
    """The grants of an integration (ApplicationId), of an identity (GranteePrefixedUniversal, as the docs allow), or
    of both; at least one is required."""
    return _grants(call)


def grant_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["GrantCount"]}


def user_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["UserCount"]}


def revoke_grants(call):
    """Revoke every active grant of an integration or of an identity (both given: those of the identity on that
    integration) that the caller may reach; Result 0 also when there were none."""
    call.store.grants.revoke(*_checked_subject(call), keep=lambda grant: shown(call, grant.application, grant.identity))
    return {}


OPERATIONS = {
    "GetGrants": get_grants,
    "EnumerateGrants": enumerate_grants,
    "GrantCount": grant_count,
    "UserCount": user_count,
    "RevokeGrants": revoke_grants,
}
