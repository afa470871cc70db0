# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/oauth/GetGrants, EnumerateGrants and RevokeGrants, and POST /_emulator/grants (grants in bulk).

Every 200 is validated against the contract's OAuthGrant by the Api client.
"""

import pytest

from emulator_support import (
    ACCESS_VALIDITY, ADMIN_CLIENT, ADMIN_ID, DAY, EVERYONE_ID, GRANT_VALIDITY, JDOE_ID, PKI_OPERATORS_ID, SDK_CLIENT, SVC_ID,
    WIN_ID, WIN_PASSWORD, WIN_USER, dotnet_date_seconds, error_of, iso8601_seconds,
)

GRANT_FIELDS = {"Scope", "AccessToken", "ValidFor", "AccessIssuedOn", "AccessIssuedOnUnixTime", "AccessIssuedOnISO8601",
                "RefreshToken", "Expires", "ExpiresUnixTime", "ExpiresISO8601", "GrantIssuedOn", "GrantIssuedOnUnixTime",
                "GrantIssuedOnISO8601", "Application", "GranteePrefixedUniversal", "GrantedToPrefixedUniversal"}


@pytest.fixture
def admin(api):
    # configuration too: ResolveIdentities is compared with identity/Validate, which needs it.
    return api.admin_token("admin:delete;configuration")


def grants(api, admin, name="EnumerateGrants", **body):
    """The Grants of a successful GetGrants / EnumerateGrants."""
    result = api.oauth(name, body, admin)
    assert result["Success"] is True and result["Result"] == 0, result
    return result["Grants"]


def failed(api, admin, name, body, code):
    result = api.oauth(name, body, admin)
    assert result["Success"] is False and result["Result"] == code, result
    assert isinstance(result["Error"], str) and result["Error"]


def bulk(api, identity, count, client_id=SDK_CLIENT, **extra):
    """POST /_emulator/grants; returns its answer."""
    return api.control("POST", "grants", dict({"client_id": client_id, "identity": identity, "count": count}, **extra))


def date_seconds(record, name):
    """The one second the three forms of a date field agree on."""
    forms = {dotnet_date_seconds(record[name]), iso8601_seconds(record[name + "ISO8601"]), record[name + "UnixTime"]}
    assert len(forms) == 1, (name, record)
    return forms.pop()


def create_app(api, admin, app_id, vendor="Acme, Inc.", **extra):
    body = {"ApplicationId": app_id, "Name": app_id, "Vendor": vendor, "Description": "", "Url": "",
            "Scope": "certificate:manage", "MaximumScope": "certificate:manage"}
    body.update(extra)
    assert api.oauth("CreateApplication", body, admin)["Success"] is True


def create_rule(api, admin, app_id, trustee, **extra):
    body = dict({"ApplicationId": app_id, "TrusteePrefixedUniversal": trustee, "MaximumScope": ""}, **extra)
    result = api.oauth("CreateRule", body, admin)
    assert result["Success"] is True, result


# ---- the record -------------------------------------------------------------------------------

def test_the_record_carries_the_grant_and_its_current_tokens(api, admin):
    token = api.token("svc-ansible", scope="certificate:manage;ssh:discover")
    [record] = grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)
    assert set(record) == GRANT_FIELDS
    assert record["AccessToken"] == token["access_token"] and record["RefreshToken"] == token["refresh_token"]
    assert record["Scope"] == token["scope"] == "certificate:manage;ssh:discover"
    assert record["ValidFor"] == ACCESS_VALIDITY
    assert record["Application"] == SDK_CLIENT
    assert record["GranteePrefixedUniversal"] == SVC_ID
    assert record["GrantedToPrefixedUniversal"] == EVERYONE_ID  # vcert-sdk's only rule is Everyone's
    issued = date_seconds(record, "GrantIssuedOn")
    assert date_seconds(record, "AccessIssuedOn") == issued
    assert date_seconds(record, "Expires") == issued + GRANT_VALIDITY == token["refresh_until"]
    # the same moments as verify gives
    verified = api.verify(token["access_token"]).json()
    assert verified["grant_issued_on"] == record["GrantIssuedOn"] and verified["expires"] == record["Expires"]
    assert verified["access_issued_on_ISO8601"] == record["AccessIssuedOnISO8601"]


def test_granted_to_is_the_rule_that_allowed_the_grant(api, admin):
    create_app(api, admin, "acme-app")
    create_rule(api, admin, "acme-app", SVC_ID)
    create_rule(api, admin, "acme-app", PKI_OPERATORS_ID)
    api.token("svc-ansible", client_id="acme-app")
    api.token("jdoe", client_id="acme-app")
    granted_to = {g["GranteePrefixedUniversal"]: g["GrantedToPrefixedUniversal"] for g in grants(api, admin, ApplicationId="acme-app")}
    assert granted_to == {SVC_ID: SVC_ID, JDOE_ID: PKI_OPERATORS_ID}  # a direct rule before a team's


def test_a_grant_without_refresh_has_an_empty_refresh_token(api, admin):
    create_app(api, admin, "no-refresh", Renewable=False, GrantValidity=3600, AccessValidity=600)
    create_rule(api, admin, "no-refresh", JDOE_ID)
    token = api.token("jdoe", client_id="no-refresh")
    assert "refresh_token" not in token
    [record] = grants(api, admin, ApplicationId="no-refresh")
    assert record["RefreshToken"] == "" and record["AccessToken"] == token["access_token"]
    assert record["ValidFor"] == 600
    assert date_seconds(record, "Expires") == date_seconds(record, "GrantIssuedOn") + 3600


def test_a_grant_that_never_expires_has_a_null_expiry(api, admin):
    # The global DefaultGrantValidity 0 (README: grants that never expire), for a rule and an integration without one.
    configuration = api.oauth("GetConfiguration", {}, admin)["Configuration"]
    assert api.oauth("SetConfiguration", {"Configuration": dict(configuration, DefaultGrantValidity=0)}, admin)["Success"]
    create_app(api, admin, "short-app", GrantValidity=DAY)
    create_rule(api, admin, "short-app", SVC_ID)
    never = api.token("svc-ansible")
    short = api.token("svc-ansible", client_id="short-app")
    records = grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID, OrderBy=4)
    assert [g["AccessToken"] for g in records] == [short["access_token"], never["access_token"]]  # never expiring: last
    record = records[1]
    assert record["Expires"] is None and record["ExpiresUnixTime"] == 0 and "ExpiresISO8601" not in record
    assert date_seconds(records[0], "Expires") == date_seconds(records[0], "GrantIssuedOn") + DAY
    api.advance(10 * 365 * DAY)
    admin = api.admin_token("admin:delete")
    assert [g["Application"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)] == [SDK_CLIENT]


def test_a_refreshed_grant_shows_its_new_access_token(api, admin):
    token = api.token("svc-ansible")
    [before] = grants(api, admin, ApplicationId=SDK_CLIENT)
    api.advance(3600)
    refreshed = api.refresh(token["refresh_token"]).json()
    [after] = grants(api, admin, ApplicationId=SDK_CLIENT)
    assert after["AccessToken"] == refreshed["access_token"] != before["AccessToken"]
    assert after["RefreshToken"] == refreshed["refresh_token"] != before["RefreshToken"]
    assert date_seconds(after, "AccessIssuedOn") == date_seconds(before, "AccessIssuedOn") + 3600
    assert after["GrantIssuedOn"] == before["GrantIssuedOn"] and after["Expires"] == before["Expires"]


def test_only_active_grants_are_listed(api, admin):
    first = api.sdk_token("svc-ansible")
    second = api.sdk_token("svc-ansible")
    api.revoke(first)
    assert [g["AccessToken"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)] == [second]
    # an expired access token leaves its grant listed: it can still be refreshed
    api.advance(ACCESS_VALIDITY + 1)
    assert not api.is_valid(second)
    admin = api.admin_token("admin:delete")
    assert len(grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)) == 1
    # past the grant's expiry it is gone
    api.advance(GRANT_VALIDITY)
    admin = api.admin_token("admin:delete")
    assert grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID) == []
    assert grants(api, admin, ApplicationId=SDK_CLIENT) == []


# ---- who and what -----------------------------------------------------------------------------

def test_get_grants_of_an_identity_across_integrations(api, admin):
    create_app(api, admin, "acme-app")
    create_rule(api, admin, "acme-app", SVC_ID)
    sdk = api.sdk_token("svc-ansible")
    acme = api.token("svc-ansible", client_id="acme-app")["access_token"]
    api.sdk_token("jdoe")
    assert [g["AccessToken"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)] == [sdk, acme]
    only_acme = grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID, ApplicationId="acme-app")
    assert [g["AccessToken"] for g in only_acme] == [acme]
    # universals match case-insensitively; the record carries the stored one
    assert [g["GranteePrefixedUniversal"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID.upper())] == [SVC_ID] * 2
    # EnumerateGrants takes an identity too, and both together
    assert grants(api, admin, GranteePrefixedUniversal=SVC_ID) == grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID)
    assert grants(api, admin, GranteePrefixedUniversal=SVC_ID, ApplicationId="acme-app") == only_acme


def test_enumerate_grants_of_an_integration(api, admin):
    tokens = [api.sdk_token(user) for user in ("svc-ansible", "jdoe", "svc-ansible")]
    listed = grants(api, admin, ApplicationId=SDK_CLIENT)
    assert [g["AccessToken"] for g in listed] == tokens
    assert [g["GranteePrefixedUniversal"] for g in listed] == [SVC_ID, JDOE_ID, SVC_ID]
    assert [g["Application"] for g in grants(api, admin, ApplicationId=ADMIN_CLIENT)] == [ADMIN_CLIENT]
    # a user without grants, a team: nothing
    assert grants(api, admin, "GetGrants", GranteePrefixedUniversal=WIN_ID) == []
    assert grants(api, admin, "GetGrants", GranteePrefixedUniversal=EVERYONE_ID) == []


@pytest.mark.parametrize("name, body, code", [
    ("GetGrants", {}, 6),
    ("GetGrants", {"ApplicationId": SDK_CLIENT}, 6),
    ("GetGrants", {"GranteePrefixedUniversal": 5}, 6),
    ("EnumerateGrants", {}, 6),
    ("EnumerateGrants", {"ApplicationId": ["vcert-sdk"]}, 6),
    ("EnumerateGrants", {"ApplicationId": "no-such-app"}, 2),
    ("GetGrants", {"GranteePrefixedUniversal": SVC_ID, "ApplicationId": "no-such-app"}, 2),
    ("GetGrants", {"GranteePrefixedUniversal": "local:{00000000-0000-0000-0000-000000000000}"}, 10),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "Start": -1}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "Count": "100"}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "Count": 1.5}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "OrderBy": 5}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "OrderBy": "Name"}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "Descending": "yes"}, 6),
    ("EnumerateGrants", {"ApplicationId": SDK_CLIENT, "ResolveIdentities": 1}, 6),
])
def test_bad_requests(api, admin, name, body, code):
    failed(api, admin, name, body, code)


# ---- paging -----------------------------------------------------------------------------------

def test_paging_returns_each_grant_once(api, admin):
    assert bulk(api, "svc-ansible", 150)["issued"] == 150
    bulk(api, "jdoe", 100)
    pages, start = [], 0
    while True:
        page = grants(api, admin, ApplicationId=SDK_CLIENT, Start=start, Count=100)
        pages.append(page)
        start += len(page)
        if len(page) < 100:
            break
    assert [len(page) for page in pages] == [100, 100, 50]
    everything = grants(api, admin, ApplicationId=SDK_CLIENT)
    assert len({g["AccessToken"] for g in everything}) == 250
    assert [g for page in pages for g in page] == everything
    # Start is an offset, not a page number
    assert grants(api, admin, ApplicationId=SDK_CLIENT, Start=120, Count=5) == everything[120:125]
    assert grants(api, admin, ApplicationId=SDK_CLIENT, Start=250, Count=100) == []
    assert grants(api, admin, ApplicationId=SDK_CLIENT, Start=0, Count=0) == everything  # 0: all of them
    counted = api.oauth("GrantCount", {"ApplicationId": SDK_CLIENT}, admin)["Count"]
    assert counted == 250


def test_five_thousand_grants_enumerate_in_pages(api, admin):
    assert bulk(api, "svc-ansible", 5000)["issued"] == 5000
    seen, start, requests = set(), 0, 0
    while True:
        page = grants(api, admin, ApplicationId=SDK_CLIENT, Start=start, Count=1000)
        requests += 1
        seen.update(g["AccessToken"] for g in page)
        start += len(page)
        if len(page) < 1000:
            break
    assert len(seen) == start == 5000 and requests == 6
    assert api.oauth("UserCount", {"ApplicationId": SDK_CLIENT}, admin)["Count"] == 1
    assert len(grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID, Start=4990, Count=1000)) == 10
    assert api.oauth("RevokeGrants", {"ApplicationId": SDK_CLIENT}, admin)["Success"] is True
    assert grants(api, admin, ApplicationId=SDK_CLIENT, Count=1000) == []
    assert api.stats()["active_grants"] == 1  # the admin's


# ---- ordering ---------------------------------------------------------------------------------

def test_ordering(api, admin):
    # jdoe's direct rule ends its grants after an hour; the others get the default year
    create_rule(api, admin, SDK_CLIENT, JDOE_ID, GrantValidity=3600)
    svc = api.token("svc-ansible")
    api.advance(10)
    jdoe = api.sdk_token("jdoe")
    api.advance(10)
    win = api.token(WIN_USER, password=WIN_PASSWORD)["access_token"]
    api.advance(10)
    refreshed = api.refresh(svc["refresh_token"]).json()["access_token"]  # svc's access token now expires last

    def order(**body):
        return [g["AccessToken"] for g in grants(api, admin, ApplicationId=SDK_CLIENT, **body)]
    issued = [refreshed, jdoe, win]
    assert order() == order(OrderBy=0) == order(OrderBy=None) == issued
    assert order(OrderBy=0, Descending=True) == issued[::-1]
    # 1 Name: the grantee's prefixed name (AD+corp:svc-win, local:jdoe, local:svc-ansible)
    assert order(OrderBy=1) == [win, jdoe, refreshed]
    assert order(OrderBy=1, Descending=True) == [refreshed, jdoe, win]
    # 3 AccessValidity: when the access token expires
    assert order(OrderBy=3) == [jdoe, win, refreshed]
    # 4 GrantValidity: when the grant expires
    assert order(OrderBy=4) == [jdoe, refreshed, win]
    assert order(OrderBy=4, Descending=True) == [win, refreshed, jdoe]


def test_ordering_across_integrations(api, admin):
    create_app(api, admin, "zeta-app", vendor="Acme, Inc.")
    create_rule(api, admin, "zeta-app", SVC_ID)
    sdk = api.sdk_token("svc-ansible")
    zeta = api.token("svc-ansible", client_id="zeta-app")["access_token"]

    def order(**body):
        return [g["AccessToken"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID, **body)]
    assert order() == [sdk, zeta]
    assert order(OrderBy=1) == [sdk, zeta]  # then by integration: vcert-sdk < zeta-app
    assert order(OrderBy=2) == [zeta, sdk]  # vendor: Acme, Inc. < Venafi, Inc.
    assert order(OrderBy=2, Descending=True) == [sdk, zeta]


def test_ties_keep_the_order_of_issue_and_descending_reverses_it(api, admin):
    bulk(api, "jdoe", 30)
    ascending = [g["AccessToken"] for g in grants(api, admin, ApplicationId=SDK_CLIENT, OrderBy=1)]
    assert ascending == [g["AccessToken"] for g in grants(api, admin, ApplicationId=SDK_CLIENT)]
    descending = [g["AccessToken"] for g in grants(api, admin, ApplicationId=SDK_CLIENT, OrderBy=1, Descending=True)]
    assert descending == ascending[::-1]
    # paging over a sorted listing still returns each grant once
    paged = [g["AccessToken"] for start in (0, 7, 14, 21, 28)
             for g in grants(api, admin, ApplicationId=SDK_CLIENT, OrderBy=4, Descending=True, Start=start, Count=7)]
    assert paged == descending


# ---- ResolveIdentities ------------------------------------------------------------------------

def test_resolve_identities(api, admin):
    create_app(api, admin, "acme-app")
    create_rule(api, admin, "acme-app", PKI_OPERATORS_ID)
    api.token("jdoe", client_id="acme-app")
    api.sdk_token("jdoe")
    result = api.oauth("GetGrants", {"GranteePrefixedUniversal": JDOE_ID, "ResolveIdentities": True}, admin)
    entries = result["IdentityEntries"]
    assert [e["PrefixedUniversal"] for e in entries] == [JDOE_ID, PKI_OPERATORS_ID, EVERYONE_ID]
    for entry in entries:
        validated = api.post("/vedsdk/identity/Validate", {"ID": {"PrefixedUniversal": entry["PrefixedUniversal"]}}, token=admin)
        assert validated.json()["ID"] == entry
    assert "IdentityEntries" not in api.oauth("GetGrants", {"GranteePrefixedUniversal": JDOE_ID}, admin)
    assert "IdentityEntries" not in api.oauth("GetGrants", {"GranteePrefixedUniversal": JDOE_ID, "ResolveIdentities": False}, admin)
    # only the identities of the page returned
    page = api.oauth("EnumerateGrants", {"ApplicationId": "acme-app", "Count": 1, "Start": 1, "ResolveIdentities": True}, admin)
    assert page["Grants"] == [] and page["IdentityEntries"] == []


# ---- RevokeGrants -----------------------------------------------------------------------------

def test_revoke_grants_of_an_identity_leaves_the_others_valid(api, admin):
    create_app(api, admin, "acme-app")
    create_rule(api, admin, "acme-app", PKI_OPERATORS_ID)
    svc = [api.sdk_token("svc-ansible"), api.token("svc-ansible", client_id="acme-app")["access_token"]]
    jdoe = [api.sdk_token("jdoe"), api.token("jdoe", client_id="acme-app")["access_token"]]
    result = api.oauth("RevokeGrants", {"GranteePrefixedUniversal": SVC_ID}, admin)
    assert result == {"Success": True, "Result": 0}
    assert not any(api.is_valid(token) for token in svc)
    assert all(api.is_valid(token) for token in jdoe + [admin])
    assert grants(api, admin, "GetGrants", GranteePrefixedUniversal=SVC_ID) == []
    assert [g["AccessToken"] for g in grants(api, admin, "GetGrants", GranteePrefixedUniversal=JDOE_ID)] == jdoe
    # nothing left to revoke is still a success
    assert api.oauth("RevokeGrants", {"GranteePrefixedUniversal": SVC_ID}, admin) == {"Success": True, "Result": 0}


def test_revoke_grants_of_an_integration_ends_all_of_them(api, admin):
    bulk(api, "svc-ansible", 40)
    bulk(api, "jdoe", 40)
    listed = grants(api, admin, ApplicationId=SDK_CLIENT)
    assert len(listed) == 80
    assert api.oauth("RevokeGrants", {"ApplicationId": SDK_CLIENT}, admin) == {"Success": True, "Result": 0}
    assert grants(api, admin, ApplicationId=SDK_CLIENT) == []
    assert not api.is_valid(listed[0]["AccessToken"]) and not api.is_valid(listed[-1]["AccessToken"])
    assert api.refresh(listed[0]["RefreshToken"]).status_code == 400
    assert [g["GranteePrefixedUniversal"] for g in grants(api, admin, ApplicationId=ADMIN_CLIENT)] == [ADMIN_ID]


@pytest.mark.parametrize("body, code", [
    ({}, 6),
    ({"ApplicationId": "", "GranteePrefixedUniversal": ""}, 6),
    ({"ApplicationId": 7}, 6),
    ({"ApplicationId": "no-such-app"}, 2),
    ({"GranteePrefixedUniversal": "local:{00000000-0000-0000-0000-000000000000}"}, 10),
])
def test_revoke_grants_errors(api, admin, body, code):
    token = api.sdk_token("svc-ansible")
    failed(api, admin, "RevokeGrants", body, code)
    assert api.is_valid(token)


# ---- POST /_emulator/grants -------------------------------------------------------------------

def test_bulk_grants_are_real_grants(api, admin):
    answer = bulk(api, SVC_ID, 3, scope="certificate:discover")
    assert answer == {"issued": 3, "active_grants": 4}
    listed = grants(api, admin, ApplicationId=SDK_CLIENT)
    assert [g["Scope"] for g in listed] == ["certificate:discover"] * 3
    assert [g["GrantedToPrefixedUniversal"] for g in listed] == [EVERYONE_ID] * 3
    assert api.verify(listed[0]["AccessToken"]).json()["identity"] == SVC_ID
    refreshed = api.refresh(listed[1]["RefreshToken"])
    assert refreshed.status_code == 200
    # without a scope: the integration's own Scope; the identity by log-in name
    bulk(api, "CORP\\svc-win", 1)
    [win] = grants(api, admin, "GetGrants", GranteePrefixedUniversal=WIN_ID)
    assert win["Scope"] == "certificate:manage,revoke"
    # the integration's lifetimes apply
    create_app(api, admin, "short-app", GrantValidity=DAY)
    create_rule(api, admin, "short-app", JDOE_ID)
    bulk(api, "jdoe", 1, client_id="short-app")
    [short] = grants(api, admin, ApplicationId="short-app")
    assert date_seconds(short, "Expires") == date_seconds(short, "GrantIssuedOn") + DAY


@pytest.mark.parametrize("body, error", [
    ({"client_id": "no-such-app", "identity": "jdoe"}, "invalid_client"),
    ({"client_id": SDK_CLIENT, "identity": "nobody"}, "invalid_request"),
    ({"client_id": SDK_CLIENT, "identity": "local:Everyone"}, "invalid_request"),
    ({"client_id": SDK_CLIENT}, "invalid_request"),
    ({"client_id": SDK_CLIENT, "identity": "jdoe", "count": 0}, "invalid_request"),
    ({"client_id": SDK_CLIENT, "identity": "jdoe", "count": 10001}, "invalid_request"),
    ({"client_id": SDK_CLIENT, "identity": "jdoe", "scope": "admin"}, "invalid_scope"),
    ({"client_id": ADMIN_CLIENT, "identity": "jdoe"}, "unauthorized_client"),
])
def test_bulk_grants_refuse_what_authorization_refuses(api, body, error):
    response = api.post("/_emulator/grants", body)
    assert response.status_code == 400 and error_of(response)[0] == error, response.text
    assert api.stats()["active_grants"] == 0


def test_bulk_grants_are_not_counted(api):
    bulk(api, "jdoe", 2)
    assert not any("_emulator" in key for key in api.stats()["requests"])
