# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth roles: GrantRole, RevokeRole, ListRoles, GetRole, and who may call each /vedsdk/oauth/* operation."""

import pytest

from emulator_support import (
    ADMIN_ID, EVERYONE_ID, INSUFFICIENT_RIGHTS, JDOE_ID, PKI_OPERATORS_ID, SDK_CLIENT, SVC_ID, WIN_ID, WIN_PASSWORD, WIN_USER,
)

# pylint: disable=wrong-import-order
from tpp_emulator.oauth import core  # noqa: E402  (emulator_support puts tests/emulator on sys.path)

USER, AUDITOR, MAINTAINER, OWNER, MIXED, GRANT_ADMIN, ADMIN = range(7)
SEEDED_MAPPING = "idp.emulator.test"
APP = "acme-app"
OTHER_APP = "other-app"
ADMIN_SCOPED = "ops-admin"  # an integration that gives every user an admin-scoped token


def create_app(api, token, app_id):
    body = {"ApplicationId": app_id, "Name": app_id.title(), "Vendor": "Acme", "Description": "", "Url": "",
            "Scope": "certificate:manage", "MaximumScope": "certificate:discover,manage"}
    result = api.oauth("CreateApplication", body, token)
    assert result["Success"] is True, result


def create_rule(api, token, app_id, trustee, scope="certificate:manage"):
    result = api.oauth("CreateRule", {"ApplicationId": app_id, "TrusteePrefixedUniversal": trustee, "MaximumScope": scope}, token)
    assert result["Success"] is True, result


def grant_role(api, token, grantee, role, app_id=None):
    body = {"GranteePrefixedUniversal": grantee, "Role": role}
    if app_id:
        body["ApplicationId"] = app_id
    return api.oauth("GrantRole", body, token)


def granted(api, token, grantee, role, app_id=None):
    result = grant_role(api, token, grantee, role, app_id)
    assert result == {"Success": True, "Result": 0}, result


def user_token(api, username):
    """An admin-scoped token of ``username`` through ops-admin."""
    return api.token(username, client_id=ADMIN_SCOPED, scope="admin")["access_token"]


@pytest.fixture
def admin(api):
    """local:admin's admin-scoped token, and the integrations the tests use: ops-admin (every user may have the admin
    scope through it), acme-app (svc-ansible's rule) and other-app."""
    token = api.admin_token("admin")
    result = api.oauth("CreateApplication", {"ApplicationId": ADMIN_SCOPED, "Name": "Ops", "Vendor": "", "Description": "",
                                             "Url": "", "Scope": "admin", "MaximumScope": "admin"}, token)
    assert result["Success"] is True, result
    create_rule(api, token, ADMIN_SCOPED, EVERYONE_ID, scope="admin")
    create_app(api, token, APP)
    create_app(api, token, OTHER_APP)
    create_rule(api, token, APP, SVC_ID)
    return token


def rights_error(response):
    assert response.status_code == 401, (response.status_code, response.text)
    assert response.json() == {"error": "insufficient_rights", "error_description": INSUFFICIENT_RIGHTS}


def roles_of(api, token):
    result = api.oauth("ListRoles", {}, token)
    assert result["Success"] is True, result
    return result["Roles"]


# ---- the seed and GetRole ---------------------------------------------------------------------

def test_the_seeded_admin_is_an_admin(api, admin):
    assert roles_of(api, admin) == [{"Role": ADMIN, "Grantee": ADMIN_ID}]
    assert api.oauth("GetRole", {}, admin) == {"Success": True, "Result": 0, "Role": {"Role": ADMIN}}


def test_get_role_of_a_plain_user(api, admin):
    result = api.oauth("GetRole", {}, user_token(api, "jdoe"))
    assert result["Role"] == {"Role": USER, "PermittedApplications": [], "OwnedApplications": []}


def test_get_role_of_an_owner_and_a_maintainer(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    assert api.oauth("GetRole", {}, user_token(api, "jdoe"))["Role"] == {
        "Role": OWNER, "PermittedApplications": [APP], "OwnedApplications": [{"ApplicationId": APP, "Role": OWNER}]}
    granted(api, admin, JDOE_ID, MAINTAINER, OTHER_APP)
    assert api.oauth("GetRole", {}, user_token(api, "jdoe"))["Role"] == {
        "Role": MIXED, "PermittedApplications": [APP, OTHER_APP],
        "OwnedApplications": [{"ApplicationId": APP, "Role": OWNER}, {"ApplicationId": OTHER_APP, "Role": MAINTAINER}]}


def test_owner_and_maintainer_of_one_integration_is_its_owner(api, admin):
    granted(api, admin, JDOE_ID, MAINTAINER, APP)
    granted(api, admin, JDOE_ID, OWNER, APP)
    assert api.oauth("GetRole", {}, user_token(api, "jdoe"))["Role"]["OwnedApplications"] == [{"ApplicationId": APP, "Role": OWNER}]


@pytest.mark.parametrize("role", [AUDITOR, GRANT_ADMIN, ADMIN])
def test_a_global_role_overrides_the_application_roles(api, admin, role):
    granted(api, admin, JDOE_ID, OWNER, APP)
    granted(api, admin, JDOE_ID, role)
    jdoe = user_token(api, "jdoe")
    assert api.oauth("GetRole", {}, jdoe)["Role"] == {"Role": role}
    update = {"Application": {"ID": APP, "Name": "Renamed", "Scope": "", "MaximumScope": "certificate:manage"}}
    if role == ADMIN:
        assert api.oauth("UpdateApplication", update, jdoe)["Success"] is True
    else:  # an auditor or grant admin changes no integration, not even one it owns
        rights_error(api.post("/vedsdk/oauth/UpdateApplication", update, token=jdoe))


def test_the_strongest_global_role_is_reported(api, admin):
    granted(api, admin, JDOE_ID, AUDITOR)
    granted(api, admin, JDOE_ID, GRANT_ADMIN)
    assert api.oauth("GetRole", {}, user_token(api, "jdoe"))["Role"] == {"Role": GRANT_ADMIN}


def test_a_teams_role_is_its_members_role(api, admin):
    granted(api, admin, PKI_OPERATORS_ID, AUDITOR)
    for member in ("svc-ansible", "jdoe"):
        token = user_token(api, member)
        assert api.oauth("GetRole", {}, token)["Role"] == {"Role": AUDITOR}
        assert {app["ID"] for app in api.oauth("GetApplications", {}, token)["Applications"]} >= {APP, OTHER_APP, SDK_CLIENT}
    outsider = api.token(WIN_USER, password=WIN_PASSWORD, client_id=ADMIN_SCOPED, scope="admin")["access_token"]
    rights_error(api.post("/vedsdk/oauth/GetApplications", {}, token=outsider))


# ---- GrantRole and RevokeRole -----------------------------------------------------------------

def test_grant_and_revoke_roles(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    granted(api, admin, SVC_ID, MAINTAINER, APP)
    granted(api, admin, WIN_ID, GRANT_ADMIN, APP)  # a global role: the ApplicationId does not apply
    granted(api, admin, PKI_OPERATORS_ID, AUDITOR)
    assert roles_of(api, admin) == sorted([
        {"Role": ADMIN, "Grantee": ADMIN_ID}, {"Role": OWNER, "Grantee": JDOE_ID, "ApplicationId": APP},
        {"Role": MAINTAINER, "Grantee": SVC_ID, "ApplicationId": APP}, {"Role": GRANT_ADMIN, "Grantee": WIN_ID},
        {"Role": AUDITOR, "Grantee": PKI_OPERATORS_ID}], key=lambda item: (item["Grantee"].lower(), item["Role"]))
    for grantee, role, app_id in ((JDOE_ID, OWNER, APP), (SVC_ID, MAINTAINER, APP), (WIN_ID, GRANT_ADMIN, None),
                                  (PKI_OPERATORS_ID, AUDITOR, None)):
        body = {"GranteePrefixedUniversal": grantee, "Role": role, "ApplicationId": app_id}
        assert api.oauth("RevokeRole", body, admin) == {"Success": True, "Result": 0}
    assert roles_of(api, admin) == [{"Role": ADMIN, "Grantee": ADMIN_ID}]


def test_grantee_universal_matches_case_insensitively(api, admin):
    granted(api, admin, JDOE_ID.upper(), AUDITOR)
    assert {"Role": AUDITOR, "Grantee": JDOE_ID} in roles_of(api, admin)  # stored as the identity's own universal
    assert api.oauth("RevokeRole", {"GranteePrefixedUniversal": JDOE_ID.lower(), "Role": AUDITOR}, admin)["Success"] is True


@pytest.mark.parametrize("body, code", [
    ({"Role": AUDITOR}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": USER}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": MIXED, "ApplicationId": APP}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": 7}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": "1"}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": True}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": 1.0}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": OWNER}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": MAINTAINER, "ApplicationId": ""}, 6),
    ({"GranteePrefixedUniversal": JDOE_ID, "Role": MAINTAINER, "ApplicationId": "no-such-app"}, 2),
    ({"GranteePrefixedUniversal": "local:{00000000-0000-0000-0000-000000000000}", "Role": AUDITOR}, 10),
    ({"GranteePrefixedUniversal": "local:jdoe", "Role": AUDITOR}, 10),
])
@pytest.mark.parametrize("operation", ["GrantRole", "RevokeRole"])
def test_role_calls_refuse_bad_requests(api, admin, operation, body, code):
    result = api.oauth(operation, body, admin)
    assert result["Success"] is False and result["Result"] == code, result
    assert result["Error"]
    assert roles_of(api, admin) == [{"Role": ADMIN, "Grantee": ADMIN_ID}]


def test_granting_a_held_role_or_revoking_a_missing_one_fails(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    again = grant_role(api, admin, JDOE_ID, OWNER, APP)
    assert again["Success"] is False and again["Result"] == 16 and "already holds" in again["Error"], again
    missing = api.oauth("RevokeRole", {"GranteePrefixedUniversal": JDOE_ID, "Role": OWNER, "ApplicationId": OTHER_APP}, admin)
    assert missing["Success"] is False and missing["Result"] == 16 and "does not hold" in missing["Error"], missing


def test_deleting_an_integration_drops_its_roles(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    granted(api, admin, JDOE_ID, OWNER, OTHER_APP)
    assert api.oauth("DeleteApplication", {"ApplicationId": APP}, admin)["Success"] is True
    assert {"Role": OWNER, "Grantee": JDOE_ID, "ApplicationId": OTHER_APP} in roles_of(api, admin)
    assert all(role.get("ApplicationId") != APP for role in roles_of(api, admin))


def test_an_owner_delegates_only_its_own_integration(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    jdoe = user_token(api, "jdoe")
    granted(api, jdoe, SVC_ID, MAINTAINER, APP)
    granted(api, jdoe, SVC_ID, OWNER, APP)
    assert api.oauth("RevokeRole", {"GranteePrefixedUniversal": SVC_ID, "Role": OWNER, "ApplicationId": APP}, jdoe)["Success"]
    for body in ({"GranteePrefixedUniversal": SVC_ID, "Role": OWNER, "ApplicationId": OTHER_APP},
                 {"GranteePrefixedUniversal": SVC_ID, "Role": AUDITOR},
                 {"GranteePrefixedUniversal": SVC_ID, "Role": ADMIN, "ApplicationId": APP},
                 {"GranteePrefixedUniversal": SVC_ID, "Role": OWNER}):
        rights_error(api.post("/vedsdk/oauth/GrantRole", body, token=jdoe))
    # a maintainer delegates nothing
    maintainer = user_token(api, "svc-ansible")
    rights_error(api.post("/vedsdk/oauth/GrantRole", {"GranteePrefixedUniversal": WIN_ID, "Role": MAINTAINER,
                                                      "ApplicationId": APP}, token=maintainer))


# ---- ListRoles visibility ---------------------------------------------------------------------

def test_list_roles_by_caller(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    granted(api, admin, SVC_ID, MAINTAINER, APP)
    granted(api, admin, SVC_ID, OWNER, OTHER_APP)
    granted(api, admin, WIN_ID, AUDITOR)
    everything = roles_of(api, admin)
    assert len(everything) == 5
    auditor = api.token(WIN_USER, password=WIN_PASSWORD, client_id=ADMIN_SCOPED, scope="admin")["access_token"]
    assert roles_of(api, auditor) == everything
    # an Owner sees the roles of the integrations it owns, and no global role
    mine = roles_of(api, user_token(api, "jdoe"))
    assert mine == [role for role in everything if role.get("ApplicationId") == APP]
    assert sorted(role["Role"] for role in mine) == [MAINTAINER, OWNER]


@pytest.mark.parametrize("role, app_id", [(None, None), (MAINTAINER, APP), (GRANT_ADMIN, None)])
def test_list_roles_is_refused_to_others(api, admin, role, app_id):
    if role is not None:
        granted(api, admin, JDOE_ID, role, app_id)
    rights_error(api.post("/vedsdk/oauth/ListRoles", {}, token=user_token(api, "jdoe")))


# ---- who may call what ------------------------------------------------------------------------

CALLERS = {
    "admin": None,
    "auditor": (AUDITOR, None),
    "grant_admin": (GRANT_ADMIN, None),
    "owner": (OWNER, APP),
    "maintainer": (MAINTAINER, APP),
    "owner_elsewhere": (OWNER, OTHER_APP),
    "user": (),
}

# One well-formed request per served operation, all about acme-app (svc-ansible: a rule, a grant, the Maintainer role).
REQUESTS = {
    "GetConfiguration": {},
    "SetConfiguration": None,  # the current configuration, sent back
    "GetScopes": {},
    "GetRole": {},
    "ListRoles": {},
    "GrantRole": {"GranteePrefixedUniversal": SVC_ID, "Role": OWNER, "ApplicationId": APP},
    "RevokeRole": {"GranteePrefixedUniversal": SVC_ID, "Role": MAINTAINER, "ApplicationId": APP},
    "CreateApplication": {"ApplicationId": "new-app", "Name": "New", "Vendor": "", "Description": "", "Url": "",
                          "Scope": "certificate:manage", "MaximumScope": "certificate:manage"},
    "GetApplication": {"ApplicationId": APP},
    "GetApplications": {},
    "EnumerateApplications": {},
    "UpdateApplication": {"Application": {"ID": APP, "Name": "Renamed", "Vendor": "Acme", "Description": "", "Url": "",
                                          "Scope": "certificate:manage", "MaximumScope": "certificate:discover,manage"}},
    "DeleteApplication": {"ApplicationId": APP},
    "CreateRule": {"ApplicationId": APP, "TrusteePrefixedUniversal": WIN_ID, "MaximumScope": "certificate:manage"},
    "GetRules": {"ApplicationId": APP},
    "EnumerateRules": {"ApplicationId": APP},
    "UpdateRule": {"Rule": {"ApplicationId": APP, "TrusteePrefixedUniversal": SVC_ID, "MaximumScope": "certificate:discover"}},
    "DeleteRule": {"ApplicationId": APP, "TrusteePrefixedUniversal": SVC_ID},
    "DeleteRules": {"ApplicationId": APP},
    "GrantCount": {"ApplicationId": APP},
    "UserCount": {"ApplicationId": APP},
    "GetGrants": {"GranteePrefixedUniversal": SVC_ID, "ApplicationId": APP},
    "EnumerateGrants": {"ApplicationId": APP},
    "RevokeGrants": {"ApplicationId": APP},
    "CreateJwtMapping": {"Name": "ci", "IssuerUri": "https://ci.example.test", "PurposeField": "aud", "PurposeMatch": "tpp",
                         "IdField": "sub", "IdMatch": "^(.+)$"},
    "GetJwtMapping": {"Name": SEEDED_MAPPING},
    "GetJwtMappings": {},
    "EnumerateJwtMappings": {},
    "UpdateJwtMapping": {"JwtMapping": {"Name": SEEDED_MAPPING, "IssuerUri": "https://idp.emulator.test", "PurposeField": "aud",
                                        "PurposeMatch": "https://elsewhere.example/vedauth", "IdField": "sub", "IdMatch": "^(.+)$"}},
    "DeleteJwtMapping": {"Name": SEEDED_MAPPING},
}

EVERYONE = {"GetConfiguration", "GetScopes", "GetRole"}
READ_ALL = {"GetApplication", "GetApplications", "EnumerateApplications", "GetRules", "EnumerateRules", "GrantCount", "UserCount",
            "GetGrants", "EnumerateGrants"}
JWT_MAPPINGS = {"CreateJwtMapping", "GetJwtMapping", "GetJwtMappings", "EnumerateJwtMappings", "UpdateJwtMapping", "DeleteJwtMapping"}
ALLOWED = {
    "admin": set(REQUESTS),
    "auditor": EVERYONE | READ_ALL | {"ListRoles", "GetJwtMapping", "GetJwtMappings", "EnumerateJwtMappings"},
    "grant_admin": EVERYONE | READ_ALL | {"RevokeGrants"},
    "owner": set(REQUESTS) - {"SetConfiguration", "CreateApplication"} - JWT_MAPPINGS,
    "maintainer": EVERYONE | {"GetApplication", "GetApplications", "EnumerateApplications", "UpdateApplication"},
    "owner_elsewhere": EVERYONE | {"ListRoles", "GetApplications", "EnumerateApplications"},
    "user": EVERYONE,
}


def snapshot(api, admin):
    """What an operation could change, as local:admin reads it."""
    return [api.oauth(name, body, admin) for name, body in (
        ("GetApplications", {}), ("GetRules", {}), ("ListRoles", {}), ("GetConfiguration", {}), ("GetJwtMappings", {}),
        ("EnumerateGrants", {"ApplicationId": APP}))]


def test_the_requests_cover_every_operation():
    assert set(REQUESTS) == set(core.PERMISSIONS)


def test_an_auditor_may_call_exactly_the_operations_that_change_nothing():
    assert ALLOWED["auditor"] == set(core.PERMISSIONS) - set(core.WRITES)


@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_who_may_call_what(api, admin, operation, caller):
    granted(api, admin, SVC_ID, MAINTAINER, APP)
    api.token("svc-ansible", client_id=APP)
    if caller == "admin":
        token = admin
    else:
        if CALLERS[caller]:
            granted(api, admin, JDOE_ID, *CALLERS[caller])
        token = user_token(api, "jdoe")
    body = REQUESTS[operation]
    if body is None:
        body = {"Configuration": api.oauth("GetConfiguration", {}, admin)["Configuration"]}
    before = snapshot(api, admin)
    response = api.post("/vedsdk/oauth/" + operation, body, token=token)
    if operation in ALLOWED[caller]:
        assert response.status_code == 200, (response.status_code, response.text)
        assert response.json()["Success"] is True, response.json()
        if operation not in core.WRITES:
            assert snapshot(api, admin) == before
    else:
        rights_error(response)
        assert snapshot(api, admin) == before


def test_a_user_lists_and_revokes_its_own_grants_only(api, admin):
    api.token("jdoe", client_id=SDK_CLIENT)
    svc = api.token("svc-ansible", client_id=SDK_CLIENT)["access_token"]
    jdoe = user_token(api, "jdoe")
    for name in ("GetGrants", "EnumerateGrants"):
        own = api.oauth(name, {"GranteePrefixedUniversal": JDOE_ID.upper()}, jdoe)["Grants"]
        assert sorted(g["Application"] for g in own) == [ADMIN_SCOPED, SDK_CLIENT]
        rights_error(api.post("/vedsdk/oauth/" + name, {"GranteePrefixedUniversal": SVC_ID}, token=jdoe))
        rights_error(api.post("/vedsdk/oauth/" + name, {"ApplicationId": SDK_CLIENT}, token=jdoe))
    rights_error(api.post("/vedsdk/oauth/RevokeGrants", {"GranteePrefixedUniversal": SVC_ID}, token=jdoe))
    assert api.oauth("RevokeGrants", {"GranteePrefixedUniversal": JDOE_ID.lower()}, jdoe)["Success"] is True
    assert not api.is_valid(jdoe)
    assert api.is_valid(svc)


def test_listings_show_an_owner_or_maintainer_only_its_integrations(api, admin):
    granted(api, admin, JDOE_ID, MAINTAINER, APP)
    granted(api, admin, SVC_ID, OWNER, OTHER_APP)
    jdoe, svc = user_token(api, "jdoe"), user_token(api, "svc-ansible")
    for name in ("GetApplications", "EnumerateApplications"):
        assert [app["ID"] for app in api.oauth(name, {}, jdoe)["Applications"]] == [APP]
        assert [app["ID"] for app in api.oauth(name, {}, svc)["Applications"]] == [OTHER_APP]
    create_rule(api, admin, OTHER_APP, JDOE_ID)
    rules = api.oauth("GetRules", {}, svc)["Rules"]
    assert [(rule["ApplicationId"], rule["TrusteePrefixedUniversal"]) for rule in rules] == [(OTHER_APP, JDOE_ID)]
    rules = api.oauth("EnumerateRules", {"GranteePrefixedUniversal": JDOE_ID}, svc)["Rules"]
    assert [rule["ApplicationId"] for rule in rules] == [OTHER_APP]
    rights_error(api.post("/vedsdk/oauth/GetRules", {}, token=jdoe))  # a maintainer reads no rules
    rights_error(api.post("/vedsdk/oauth/GetRules", {"ApplicationId": ["other-app"]}, token=svc))


def test_an_owner_sees_and_revokes_only_its_integrations_grants(api, admin):
    granted(api, admin, JDOE_ID, OWNER, APP)
    create_rule(api, admin, OTHER_APP, SVC_ID)
    elsewhere = api.token("svc-ansible", client_id=OTHER_APP)["access_token"]
    sdk = api.sdk_token("svc-ansible")
    on_app = api.token("svc-ansible", client_id=APP)["access_token"]
    jdoe = user_token(api, "jdoe")
    everything = api.oauth("GetGrants", {"GranteePrefixedUniversal": SVC_ID}, admin)["Grants"]
    assert [g["AccessToken"] for g in everything] == [elsewhere, sdk, on_app]
    for name in ("GetGrants", "EnumerateGrants"):
        listed = api.oauth(name, {"GranteePrefixedUniversal": SVC_ID.upper()}, jdoe)["Grants"]
        assert [g["AccessToken"] for g in listed] == [on_app]
        # the filter comes before the page
        first = api.oauth(name, {"GranteePrefixedUniversal": SVC_ID, "Start": 0, "Count": 1}, jdoe)["Grants"]
        assert [g["AccessToken"] for g in first] == [on_app]
        rights_error(api.post("/vedsdk/oauth/" + name, {"GranteePrefixedUniversal": SVC_ID, "ApplicationId": OTHER_APP}, token=jdoe))
    assert [g["AccessToken"] for g in api.oauth("EnumerateGrants", {"ApplicationId": APP}, jdoe)["Grants"]] == [on_app]
    rights_error(api.post("/vedsdk/oauth/EnumerateGrants", {"ApplicationId": OTHER_APP}, token=jdoe))
    rights_error(api.post("/vedsdk/oauth/RevokeGrants", {"ApplicationId": OTHER_APP}, token=jdoe))
    # and its own grants, on any integration
    assert [g["Application"] for g in api.oauth("GetGrants", {"GranteePrefixedUniversal": JDOE_ID}, jdoe)["Grants"]] == [ADMIN_SCOPED]
    # revoking an identity's grants reaches only those on its integrations
    assert api.oauth("RevokeGrants", {"GranteePrefixedUniversal": SVC_ID}, jdoe) == {"Success": True, "Result": 0}
    assert not api.is_valid(on_app)
    assert api.is_valid(elsewhere) and api.is_valid(sdk)
