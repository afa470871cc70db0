# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/oauth/*: integrations, rules and grants, with every Result code of the README."""

import pytest

from emulator_support import (
    ADMIN_CLIENT, ADMIN_ID, ADMIN_MAX_SCOPE, EVERYONE_ID, INSUFFICIENT_RIGHTS, JDOE_ID, PKI_OPERATORS_ID,
    SDK_CLIENT, SDK_MAX_SCOPE, SVC_ID, TOKEN_MISSING, WIN_ID, error_of, insufficient_scope_text,
)

APP_FIELDS = {"ID", "Name", "Description", "Vendor", "Url", "Scope", "MaximumScope", "AccessValidity",
              "GrantValidity", "Renewable", "GrantCount", "UserCount", "UnusedExpiration"}


@pytest.fixture
def admin(api):
    """An admin-scoped token of local:admin."""
    return api.admin_token("admin:delete")


def app_body(app_id="acme-app", **overrides):
    """A complete CreateApplication request."""
    body = {"ApplicationId": app_id, "Name": "Acme App", "Vendor": "Acme, Inc.", "Description": "Test integration",
            "Url": "https://acme.example/app", "Scope": "certificate:manage",
            "MaximumScope": "certificate:discover,manage;ssh:manage"}
    body.update(overrides)
    return body


def create_app(api, admin, app_id="acme-app", **overrides):
    """CreateApplication; asserts success; returns the Application."""
    result = api.oauth("CreateApplication", app_body(app_id, **overrides), admin)
    assert result["Success"] is True and result["Result"] == 0, result
    return result["Application"]


def create_rule(api, admin, trustee, app_id="acme-app", scope="certificate:manage", **extra):
    """CreateRule; asserts success; returns the Rule."""
    body = {"ApplicationId": app_id, "TrusteePrefixedUniversal": trustee, "MaximumScope": scope,
            "Description": "rule for %s" % trustee}
    body.update(extra)
    result = api.oauth("CreateRule", body, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    return result["Rule"]


def failed(result, code):
    """A 200 whose body reports failure with this OAuthResult code."""
    assert result["Success"] is False, result
    assert result["Result"] == code, result
    assert isinstance(result.get("Error", ""), str)


def get_app(api, admin, app_id):
    """GetApplication; the app or None (Result 2)."""
    result = api.oauth("GetApplication", {"ApplicationId": app_id}, admin)
    if result["Result"] == 2:
        assert result["Success"] is False
        return None
    assert result["Success"] is True and len(result["Applications"]) == 1, result
    return result["Applications"][0]


def authorize_status(api, username, client_id="acme-app", scope="certificate:manage"):
    """(status, error) of a password grant."""
    response = api.authorize(username, client_id=client_id, scope=scope)
    return response.status_code, (None if response.status_code == 200 else error_of(response)[0])


# ---- applications -----------------------------------------------------------------------------

def test_create_application(api, admin):
    app = create_app(api, admin)
    assert APP_FIELDS <= set(app)
    assert app["ID"] == "acme-app"
    assert app["Name"] == "Acme App"
    assert app["Vendor"] == "Acme, Inc."
    assert app["Description"] == "Test integration"
    assert app["Url"] == "https://acme.example/app"
    assert app["Scope"] == "certificate:manage"
    assert app["MaximumScope"] == "certificate:discover,manage;ssh:manage"
    assert app["AccessValidity"] is None and app["GrantValidity"] is None and app["Renewable"] is None
    assert app["GrantCount"] in (0, None) and app["UserCount"] in (0, None)
    assert get_app(api, admin, "acme-app") == app


def test_create_application_with_maxscope_alias(api, admin):
    body = app_body(MaxScope="ssh:approve,manage")
    del body["MaximumScope"]
    body["Scope"] = "ssh:manage"
    result = api.oauth("CreateApplication", body, admin)
    assert result["Success"] is True, result
    assert result["Application"]["MaximumScope"] == "ssh:approve,manage"


def test_create_application_with_validities(api, admin):
    app = create_app(api, admin, AccessValidity=3600, GrantValidity=86400, Renewable=False)
    assert (app["AccessValidity"], app["GrantValidity"], app["Renewable"]) == (3600, 86400, False)
    got = get_app(api, admin, "acme-app")
    assert (got["AccessValidity"], got["GrantValidity"], got["Renewable"]) == (3600, 86400, False)


def test_create_application_exists(api, admin):
    create_app(api, admin)
    failed(api.oauth("CreateApplication", app_body(Name="Other"), admin), 19)
    failed(api.oauth("CreateApplication", app_body(SDK_CLIENT), admin), 19)
    assert get_app(api, admin, "acme-app")["Name"] == "Acme App"
    assert get_app(api, admin, SDK_CLIENT)["MaximumScope"] == SDK_MAX_SCOPE


@pytest.mark.parametrize("field", ["ApplicationId", "Name", "Scope", "MaximumScope"])
def test_create_application_missing_field(api, admin, field):
    body = app_body()
    del body[field]
    failed(api.oauth("CreateApplication", body, admin), 6)
    assert get_app(api, admin, "acme-app") is None


@pytest.mark.parametrize("field, value", [("Scope", "bogus"), ("MaximumScope", "certificate:fly"),
                                          ("MaximumScope", "certificate:manage:revoke")])
def test_create_application_invalid_scope(api, admin, field, value):
    failed(api.oauth("CreateApplication", app_body(**{field: value}), admin), 17)
    assert get_app(api, admin, "acme-app") is None


def test_create_application_scope_not_within_maximum(api, admin):
    failed(api.oauth("CreateApplication", app_body(Scope="certificate:revoke"), admin), 23)
    failed(api.oauth("CreateApplication", app_body(Scope="configuration"), admin), 23)
    assert get_app(api, admin, "acme-app") is None


def test_get_application_seeded(api, admin):
    app = get_app(api, admin, ADMIN_CLIENT)
    assert app["ID"] == ADMIN_CLIENT
    assert app["MaximumScope"] == ADMIN_MAX_SCOPE
    assert app["AccessValidity"] is None and app["GrantValidity"] is None and app["Renewable"] is None
    assert get_app(api, admin, SDK_CLIENT)["MaximumScope"] == SDK_MAX_SCOPE


def test_get_application_not_found(api, admin):
    failed(api.oauth("GetApplication", {"ApplicationId": "nope"}, admin), 2)


def test_get_applications(api, admin):
    result = api.oauth("GetApplications", {}, admin)
    assert result["Success"] is True
    assert sorted(a["ID"] for a in result["Applications"]) == [ADMIN_CLIENT, SDK_CLIENT]
    create_app(api, admin)
    result = api.oauth("GetApplications", {}, admin)
    assert sorted(a["ID"] for a in result["Applications"]) == ["acme-app", ADMIN_CLIENT, SDK_CLIENT]
    result = api.oauth("GetApplications", {"ApplicationIds": [SDK_CLIENT, "acme-app"]}, admin)
    assert sorted(a["ID"] for a in result["Applications"]) == ["acme-app", SDK_CLIENT]
    for app in result["Applications"]:
        assert APP_FIELDS <= set(app)


def test_get_applications_filter(api, admin):
    result = api.oauth("GetApplications", {"Filter": "vcert"}, admin)
    ids = [a["ID"] for a in result["Applications"]]
    assert SDK_CLIENT in ids and ADMIN_CLIENT not in ids


def test_update_application_replaces_the_whole_object(api, admin):
    create_app(api, admin, AccessValidity=3600, GrantValidity=86400, Renewable=False)
    update = {"ID": "acme-app", "Name": "Acme App 2", "Vendor": "Acme, Inc.", "Description": "Changed",
              "Url": "https://acme.example/v2", "Scope": "ssh:manage", "MaximumScope": "ssh:manage;certificate:manage"}
    result = api.oauth("UpdateApplication", {"Application": update}, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    app = get_app(api, admin, "acme-app")
    assert app["Name"] == "Acme App 2"
    assert app["Description"] == "Changed"
    assert app["Url"] == "https://acme.example/v2"
    assert app["Scope"] == "ssh:manage"
    assert app["MaximumScope"] == "certificate:manage;ssh:manage"
    # omitted fields are reset to their defaults
    assert app["AccessValidity"] is None and app["GrantValidity"] is None and app["Renewable"] is None


def test_update_application_sets_validities(api, admin):
    create_app(api, admin)
    update = dict(app_body(), ID="acme-app", AccessValidity=60, GrantValidity=120, Renewable=True)
    del update["ApplicationId"]
    assert api.oauth("UpdateApplication", {"Application": update}, admin)["Success"] is True
    app = get_app(api, admin, "acme-app")
    assert (app["AccessValidity"], app["GrantValidity"], app["Renewable"]) == (60, 120, True)


def test_update_application_errors(api, admin):
    create_app(api, admin)
    base = dict(app_body(), ID="acme-app")
    del base["ApplicationId"]
    failed(api.oauth("UpdateApplication", {"Application": dict(base, ID="nope")}, admin), 2)
    failed(api.oauth("UpdateApplication", {"Application": dict(base, MaximumScope="bogus:x")}, admin), 17)
    failed(api.oauth("UpdateApplication", {"Application": dict(base, Scope="certificate:revoke")}, admin), 23)
    assert get_app(api, admin, "acme-app")["MaximumScope"] == "certificate:discover,manage;ssh:manage"
    assert get_app(api, admin, "nope") is None


def test_create_application_takes_no_unused_expiration(api, admin, contract):
    # The contract's CreateApplication request has no UnusedExpiration: a new integration starts without one.
    assert "UnusedExpiration" not in contract.components["Core_WebSDK_OAuthWebRequest_createapplication"]["properties"]
    app = create_app(api, admin, UnusedExpiration=600)
    assert app["UnusedExpiration"] is None
    assert get_app(api, admin, "acme-app")["UnusedExpiration"] is None


def update_body(**fields):
    """A complete UpdateApplication request for acme-app, checked against the contract's request schema."""
    application = dict(app_body(), ID="acme-app", **fields)
    del application["ApplicationId"]
    return {"Application": application}


def test_update_application_stores_and_returns_unused_expiration(api, admin, contract):
    create_app(api, admin, AccessValidity=3600)
    body = update_body(AccessValidity=3600, UnusedExpiration=7200)
    contract.validate_component("Core_WebSDK_OAuthWebRequest_updateapplication", body)
    assert api.oauth("UpdateApplication", body, admin)["Success"] is True
    assert get_app(api, admin, "acme-app")["UnusedExpiration"] == 7200
    listed = api.oauth("GetApplications", {"ApplicationIds": ["acme-app"]}, admin)["Applications"]
    assert [app["UnusedExpiration"] for app in listed] == [7200]
    # The whole object is replaced: an update without it unsets it, and the other fields stay as sent.
    assert api.oauth("UpdateApplication", update_body(AccessValidity=3600), admin)["Success"] is True
    app = get_app(api, admin, "acme-app")
    assert (app["UnusedExpiration"], app["AccessValidity"]) == (None, 3600)
    assert api.oauth("UpdateApplication", update_body(UnusedExpiration=None), admin)["Success"] is True
    assert get_app(api, admin, "acme-app")["UnusedExpiration"] is None


@pytest.mark.parametrize("value", [0, -60, "1h", True, 1.5])
def test_update_application_refuses_a_bad_unused_expiration(api, admin, value):
    create_app(api, admin)
    assert api.oauth("UpdateApplication", update_body(UnusedExpiration=600), admin)["Success"] is True
    failed(api.oauth("UpdateApplication", update_body(UnusedExpiration=value, Name="Changed"), admin), 6)
    app = get_app(api, admin, "acme-app")
    assert (app["UnusedExpiration"], app["Name"]) == (600, "Acme App")


def test_delete_application(api, admin):
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID)
    token = api.token("jdoe", client_id="acme-app", scope="certificate:manage")["access_token"]
    result = api.oauth("DeleteApplication", {"ApplicationId": "acme-app"}, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    assert get_app(api, admin, "acme-app") is None
    # its rules are gone and its grants revoked
    assert api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin).get("Rules", []) == []
    assert not api.is_valid(token)
    assert authorize_status(api, "jdoe") == (400, "invalid_client")
    failed(api.oauth("DeleteApplication", {"ApplicationId": "acme-app"}, admin), 2)


def test_delete_application_not_found(api, admin):
    failed(api.oauth("DeleteApplication", {"ApplicationId": "nope"}, admin), 2)


# ---- rules ------------------------------------------------------------------------------------

def test_create_rule_lets_the_trustee_in(api, admin):
    create_app(api, admin)
    assert authorize_status(api, "jdoe") == (400, "unauthorized_client")
    rule = create_rule(api, admin, JDOE_ID, scope="certificate:manage")
    assert rule["ApplicationId"] == "acme-app"
    assert rule["TrusteePrefixedUniversal"] == JDOE_ID
    assert rule["MaximumScope"] == "certificate:manage"
    assert rule["Description"] == "rule for %s" % JDOE_ID
    assert authorize_status(api, "jdoe") == (200, None)
    assert authorize_status(api, "svc-ansible") == (400, "unauthorized_client")


def test_team_rule(api, admin):
    create_app(api, admin)
    create_rule(api, admin, PKI_OPERATORS_ID)
    assert authorize_status(api, "svc-ansible") == (200, None)
    assert authorize_status(api, "jdoe") == (200, None)
    assert authorize_status(api, "admin") == (400, "unauthorized_client")


def test_rule_scope_limits_the_grant(api, admin):
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID, scope="certificate:discover")
    assert authorize_status(api, "jdoe", scope="certificate:discover") == (200, None)
    response = api.authorize("jdoe", client_id="acme-app", scope="certificate:manage")
    assert response.status_code == 403
    assert error_of(response)[0] == "invalid_scope"


def test_create_rule_errors(api, admin):
    create_app(api, admin)
    rule = {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": JDOE_ID, "MaximumScope": "certificate:manage",
            "Description": "d"}
    failed(api.oauth("CreateRule", dict(rule, ApplicationId="nope"), admin), 2)
    failed(api.oauth("CreateRule", dict(rule, TrusteePrefixedUniversal="local:{00000000-0000-0000-0000-000000000000}"),
                     admin), 10)
    failed(api.oauth("CreateRule", dict(rule, MaximumScope="certificate:fly"), admin), 17)
    failed(api.oauth("CreateRule", dict(rule, MaximumScope="certificate:revoke"), admin), 23)
    failed(api.oauth("CreateRule", dict(rule, MaximumScope="admin"), admin), 23)
    assert api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin).get("Rules", []) == []
    assert api.oauth("CreateRule", rule, admin)["Success"] is True
    failed(api.oauth("CreateRule", rule, admin), 20)
    assert len(api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin)["Rules"]) == 1


def test_get_rules(api, admin):
    rules = api.oauth("GetRules", {"ApplicationId": SDK_CLIENT}, admin)["Rules"]
    assert [(r["ApplicationId"], r["TrusteePrefixedUniversal"]) for r in rules] == [(SDK_CLIENT, EVERYONE_ID)]
    rules = api.oauth("GetRules", {"TrusteePrefixedUniversal": ADMIN_ID}, admin)["Rules"]
    assert [(r["ApplicationId"], r["TrusteePrefixedUniversal"]) for r in rules] == [(ADMIN_CLIENT, ADMIN_ID)]
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID)
    create_rule(api, admin, SVC_ID, scope="certificate:discover")
    rules = api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin)["Rules"]
    assert sorted((r["TrusteePrefixedUniversal"], r["MaximumScope"]) for r in rules) == sorted(
        [(JDOE_ID, "certificate:manage"), (SVC_ID, "certificate:discover")])
    rules = api.oauth("GetRules", {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": SVC_ID}, admin)["Rules"]
    assert [r["MaximumScope"] for r in rules] == ["certificate:discover"]
    everything = api.oauth("GetRules", {}, admin)["Rules"]
    assert len(everything) == 4
    assert api.oauth("GetRules", {"TrusteePrefixedUniversal": WIN_ID}, admin).get("Rules", []) == []


@pytest.fixture
def three_rules(api, admin):
    """acme-app with three rules: jdoe (renewable, own grant validity), svc-ansible (not renewable), PKI Operators (neither)."""
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID, scope="certificate:manage", Renewable=True, GrantValidity=86400)
    create_rule(api, admin, SVC_ID, scope="certificate:discover", Renewable=False)
    create_rule(api, admin, PKI_OPERATORS_ID, scope="certificate:manage")


def trustees(api, admin, contract, **criteria):
    """The trustees of GetRules' answer for acme-app and the criteria (a request the contract's schema accepts)."""
    body = dict(ApplicationId="acme-app", **criteria)
    contract.validate_component("Core_WebSDK_OAuthWebRequest_getrules", body)
    result = api.oauth("GetRules", body, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    return sorted(rule["TrusteePrefixedUniversal"] for rule in result["Rules"])


@pytest.mark.parametrize("criteria, expected", [
    ({}, [JDOE_ID, SVC_ID, PKI_OPERATORS_ID]),
    ({"MaximumScope": "certificate:manage"}, [JDOE_ID, PKI_OPERATORS_ID]),
    ({"MaximumScope": "Certificate:Manage;"}, [JDOE_ID, PKI_OPERATORS_ID]),
    ({"MaximumScope": "certificate:discover"}, [SVC_ID]),
    ({"MaximumScope": "certificate:discover,manage"}, []),
    ({"MaximumScope": ""}, [JDOE_ID, SVC_ID, PKI_OPERATORS_ID]),
    ({"Renewable": True}, [JDOE_ID]),
    ({"Renewable": False}, [SVC_ID]),
    ({"Renewable": None}, [JDOE_ID, SVC_ID, PKI_OPERATORS_ID]),
    ({"NoExpire": True}, [SVC_ID, PKI_OPERATORS_ID]),
    ({"NoExpire": False}, [JDOE_ID]),
    ({"NoExpire": None}, [JDOE_ID, SVC_ID, PKI_OPERATORS_ID]),
    ({"MaximumScope": "certificate:manage", "NoExpire": True}, [PKI_OPERATORS_ID]),
    ({"MaximumScope": "certificate:manage", "Renewable": False}, []),
    ({"Renewable": True, "NoExpire": False, "TrusteePrefixedUniversal": JDOE_ID}, [JDOE_ID]),
])
def test_get_rules_filters(api, admin, contract, three_rules, criteria, expected):
    """MaximumScope, Renewable and NoExpire: a rule is returned only when it matches all of the criteria given."""
    assert trustees(api, admin, contract, **criteria) == sorted(expected)


def test_get_rules_filters_across_integrations_and_identities(api, admin, three_rules):
    # The seeded rules set no Renewable of their own, so only jdoe's rule is renewable anywhere.
    result = api.oauth("GetRules", {"Renewable": True, "ResolveIdentities": True}, admin)
    assert [rule["TrusteePrefixedUniversal"] for rule in result["Rules"]] == [JDOE_ID]
    assert [entry["PrefixedUniversal"] for entry in result["IdentityEntries"]] == [JDOE_ID]
    everything = api.oauth("GetRules", {"NoExpire": True}, admin)["Rules"]
    assert sorted(rule["TrusteePrefixedUniversal"] for rule in everything) == sorted([ADMIN_ID, EVERYONE_ID, SVC_ID, PKI_OPERATORS_ID])


@pytest.mark.parametrize("criteria, code", [({"Renewable": "yes"}, 6), ({"NoExpire": 1}, 6), ({"MaximumScope": "bogus"}, 17)])
def test_get_rules_refuses_bad_criteria(api, admin, three_rules, criteria, code):
    failed(api.oauth("GetRules", dict(ApplicationId="acme-app", **criteria), admin), code)


def test_update_rule(api, admin):
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID, scope="certificate:discover")
    assert authorize_status(api, "jdoe")[0] == 403
    result = api.oauth("UpdateRule", {"Rule": {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": JDOE_ID,
                                               "MaximumScope": "certificate:discover,manage", "Description": "x"}},
                       admin)
    assert result["Success"] is True and result["Result"] == 0, result
    rules = api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin)["Rules"]
    assert [r["MaximumScope"] for r in rules] == ["certificate:discover,manage"]
    assert authorize_status(api, "jdoe") == (200, None)


def test_update_rule_errors(api, admin):
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID)
    rule = {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": JDOE_ID, "MaximumScope": "certificate:manage"}
    failed(api.oauth("UpdateRule", {"Rule": dict(rule, TrusteePrefixedUniversal=SVC_ID)}, admin), 4)
    failed(api.oauth("UpdateRule", {"Rule": dict(rule, ApplicationId=ADMIN_CLIENT, MaximumScope="admin:delete")}, admin), 4)
    failed(api.oauth("UpdateRule", {"Rule": dict(rule, MaximumScope="bogus")}, admin), 17)
    failed(api.oauth("UpdateRule", {"Rule": dict(rule, MaximumScope="ssh:approve")}, admin), 23)
    rules = api.oauth("GetRules", {"ApplicationId": "acme-app"}, admin)["Rules"]
    assert [r["MaximumScope"] for r in rules] == ["certificate:manage"]


def test_delete_rule(api, admin):
    create_app(api, admin)
    create_rule(api, admin, JDOE_ID)
    assert authorize_status(api, "jdoe") == (200, None)
    body = {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": JDOE_ID}
    result = api.oauth("DeleteRule", body, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    assert authorize_status(api, "jdoe") == (400, "unauthorized_client")
    failed(api.oauth("DeleteRule", body, admin), 4)


def test_delete_rule_not_found(api, admin):
    failed(api.oauth("DeleteRule", {"ApplicationId": SDK_CLIENT, "TrusteePrefixedUniversal": JDOE_ID}, admin), 4)


# ---- grants -----------------------------------------------------------------------------------

def counts(api, admin, app_id):
    """(GrantCount, UserCount) of an integration."""
    grants = api.oauth("GrantCount", {"ApplicationId": app_id}, admin)
    users = api.oauth("UserCount", {"ApplicationId": app_id}, admin)
    assert grants["Success"] is True and users["Success"] is True, (grants, users)
    return grants["Count"], users["Count"]


def test_grant_and_user_count(api, admin):
    assert counts(api, admin, SDK_CLIENT) == (0, 0)
    assert counts(api, admin, ADMIN_CLIENT) == (1, 1)  # the admin token itself
    first = api.sdk_token("svc-ansible")
    api.sdk_token("svc-ansible")
    api.sdk_token("jdoe")
    assert counts(api, admin, SDK_CLIENT) == (3, 2)
    app = get_app(api, admin, SDK_CLIENT)
    assert (app["GrantCount"], app["UserCount"]) == (3, 2)
    api.revoke(first)
    assert counts(api, admin, SDK_CLIENT) == (2, 2)
    # only active grants count: past the grant expiry every one of them is gone
    api.advance(366 * 86400)
    assert counts(api, api.admin_token(), SDK_CLIENT) == (0, 0)


def test_revoke_grants_by_application(api, admin):
    svc = api.sdk_token("svc-ansible")
    jdoe = api.sdk_token("jdoe")
    result = api.oauth("RevokeGrants", {"ApplicationId": SDK_CLIENT}, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    assert not api.is_valid(svc) and not api.is_valid(jdoe)
    assert api.is_valid(admin)
    assert counts(api, admin, SDK_CLIENT) == (0, 0)


def test_revoke_grants_by_grantee(api, admin):
    svc = api.token("svc-ansible")
    jdoe = api.sdk_token("jdoe")
    result = api.oauth("RevokeGrants", {"GranteePrefixedUniversal": SVC_ID}, admin)
    assert result["Success"] is True, result
    assert not api.is_valid(svc["access_token"])
    assert api.refresh(svc["refresh_token"]).status_code == 400
    assert api.is_valid(jdoe) and api.is_valid(admin)


def test_revoke_grants_by_application_and_grantee(api, admin):
    svc_sdk = api.sdk_token("svc-ansible")
    jdoe_sdk = api.sdk_token("jdoe")
    create_app(api, admin)
    create_rule(api, admin, SVC_ID)
    svc_acme = api.token("svc-ansible", client_id="acme-app")["access_token"]
    result = api.oauth("RevokeGrants", {"ApplicationId": SDK_CLIENT, "GranteePrefixedUniversal": SVC_ID}, admin)
    assert result["Success"] is True, result
    assert not api.is_valid(svc_sdk)
    assert api.is_valid(jdoe_sdk) and api.is_valid(svc_acme) and api.is_valid(admin)


# ---- method names, scope and rights ----------------------------------------------------------

@pytest.mark.parametrize("name", ["GetApplication", "getapplication", "GETAPPLICATION", "getApplication"])
def test_method_names_are_case_insensitive(api, admin, name):
    result = api.oauth(name, {"ApplicationId": SDK_CLIENT}, admin)
    assert result["Success"] is True
    assert result["Applications"][0]["ID"] == SDK_CLIENT


def test_parameter_names_are_case_sensitive(api, admin):
    # "applicationid" is not "ApplicationId": the request lacks its required field
    result = api.oauth("GetApplication", {"applicationid": SDK_CLIENT}, admin)
    assert result["Success"] is False


@pytest.mark.parametrize("client_id, scope", [(SDK_CLIENT, "certificate:manage"), (ADMIN_CLIENT, "security:manage"),
                                              (ADMIN_CLIENT, "configuration:delete,manage")])
def test_without_admin_scope(api, client_id, scope):
    token = api.token("admin", client_id=client_id, scope=scope)["access_token"]
    for name in ("GetApplications", "CreateApplication", "RevokeGrants"):
        response = api.post("/vedsdk/oauth/" + name, {}, token=token)
        assert response.status_code == 403
        assert response.json() == {"error": "insufficient_scope", "error_description": insufficient_scope_text(scope)}


@pytest.mark.parametrize("scope", ["admin", "admin:recyclebin", "admin:delete,viewlogs;security:manage"])
def test_any_admin_scope_is_enough(api, scope):
    token = api.token("admin", client_id=ADMIN_CLIENT, scope=scope)["access_token"]
    assert api.oauth("GetApplications", {}, token)["Success"] is True


def test_admin_scope_without_admin_role(api, admin):
    create_app(api, admin, app_id="jdoe-admin", Scope="admin", MaximumScope="admin:delete")
    create_rule(api, admin, JDOE_ID, app_id="jdoe-admin", scope="admin:delete")
    token = api.token("jdoe", client_id="jdoe-admin", scope="admin:delete")["access_token"]
    for name, body in (("GetApplications", {}), ("CreateApplication", app_body("sneaky")),
                       ("DeleteApplication", {"ApplicationId": SDK_CLIENT})):
        response = api.post("/vedsdk/oauth/" + name, body, token=token)
        assert response.status_code == 401
        assert response.json() == {"error": "insufficient_rights", "error_description": INSUFFICIENT_RIGHTS}
    assert get_app(api, admin, "sneaky") is None
    assert get_app(api, admin, SDK_CLIENT) is not None


def test_without_token(api):
    response = api.post("/vedsdk/oauth/GetApplications", {})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token", "error_description": TOKEN_MISSING}
