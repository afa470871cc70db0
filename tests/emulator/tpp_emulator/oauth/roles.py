"""OAuth roles: GrantRole, RevokeRole, ListRoles, GetRole."""

from ..state.roles import APPLICATION_ROLES, ASSIGNABLE
from .core import INVALID_PARAMETERS, OBJECT_INVALID, RIGHTS_ASSIGNMENT_ERROR, OAuthFailure, existing_application, shown, text_field

ROLE_NAMES = {1: "Auditor", 2: "Maintainer", 3: "Owner", 5: "GrantAdmin", 6: "Admin"}


def _assignment(call):
    """(grantee universal, role, application ID or None) of a GrantRole/RevokeRole request."""
    store, body = call.store, call.body
    grantee_text = text_field(body, "GranteePrefixedUniversal")
    role = body.get("Role")
    if isinstance(role, bool) or not isinstance(role, int) or role not in ASSIGNABLE:
        raise OAuthFailure(INVALID_PARAMETERS, "Role must be one of %s; 0 (User) and 4 (MixedOwnerMaintainer) cannot be assigned"
                           % ", ".join("%d (%s)" % item for item in sorted(ROLE_NAMES.items())))
    application_id = None
    if role in APPLICATION_ROLES:
        if not isinstance(body.get("ApplicationId"), str) or not body["ApplicationId"]:
            raise OAuthFailure(INVALID_PARAMETERS, "ApplicationId is required for the %s role" % ROLE_NAMES[role])
        application_id = existing_application(store, body["ApplicationId"])["ID"]
    grantee = store.identities.by_universal(grantee_text)
    if grantee is None:
        raise OAuthFailure(OBJECT_INVALID, "Grantee '%s' is not a known identity" % grantee_text)
    return grantee.prefixed_universal, role, application_id


def _described(role, application_id):
    return ROLE_NAMES[role] + (" of application '%s'" % application_id if application_id else "")


def grant_role(call):
    grantee, role, application_id = _assignment(call)
    if not call.store.roles.grant(grantee, role, application_id):
        raise OAuthFailure(RIGHTS_ASSIGNMENT_ERROR, "'%s' already holds the role %s" % (grantee, _described(role, application_id)))
    return {}


def revoke_role(call):
    grantee, role, application_id = _assignment(call)
    if not call.store.roles.revoke(grantee, role, application_id):
        raise OAuthFailure(RIGHTS_ASSIGNMENT_ERROR, "'%s' does not hold the role %s" % (grantee, _described(role, application_id)))
    return {}


def list_roles(call):
    """Admins and Auditors see every assignment, an Owner those of the integrations it owns (``core.shown``).
    ``ApplicationId`` is left out of a global role's entry (the contract types it as a string; its description says
    null)."""
    roles = []
    for grantee, role, application_id in call.store.roles.list():
        if shown(call, application_id):
            roles.append(dict({"Role": role, "Grantee": grantee}, **({"ApplicationId": application_id} if application_id else {})))
    return {"Roles": roles}


def get_role(call):
    """The caller's own role; with a global role, no application lists."""
    rights = call.rights
    role = {"Role": rights.summary()}
    if not rights.global_roles:
        role["PermittedApplications"] = list(dict(rights.applications))
        role["OwnedApplications"] = [{"ApplicationId": application_id, "Role": held} for application_id, held in rights.applications]
    return {"Role": role}


OPERATIONS = {
    "GrantRole": grant_role,
    "RevokeRole": revoke_role,
    "ListRoles": list_roles,
    "GetRole": get_role,
}
