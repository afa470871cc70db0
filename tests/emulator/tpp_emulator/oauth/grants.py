"""Grants: GrantCount, UserCount, RevokeGrants."""

from .core import application_or_identity, existing_application, text_field


def grant_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["GrantCount"]}


def user_count(call):
    return {"Count": existing_application(call.store, text_field(call.body, "ApplicationId"))["UserCount"]}


def revoke_grants(call):
    application_id, grantee = application_or_identity(call, "GranteePrefixedUniversal")
    call.store.grants.revoke(application_id, grantee)
    return {}


OPERATIONS = {
    "GrantCount": grant_count,
    "UserCount": user_count,
    "RevokeGrants": revoke_grants,
}
