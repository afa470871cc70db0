"""Grants: GrantCount, UserCount, RevokeGrants."""

from .core import INVALID_PARAMETERS, OAuthFailure, existing_application, text_field


def grant_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["GrantCount"]}


def user_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["UserCount"]}


def revoke_grants(call):
    application_id = text_field(call.body, "ApplicationId", required=False) or None
    grantee = text_field(call.body, "GranteePrefixedUniversal", required=False) or None
    if application_id is None and grantee is None:
        raise OAuthFailure(INVALID_PARAMETERS, "ApplicationId or GranteePrefixedUniversal is required")
    if application_id is not None:
        existing_application(call.store, application_id)
    call.store.grants.revoke(application_id, grantee)
    return {}


OPERATIONS = {
    "GrantCount": grant_count,
    "UserCount": user_count,
    "RevokeGrants": revoke_grants,
}
