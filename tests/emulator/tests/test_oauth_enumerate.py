# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/oauth/GetScopes, EnumerateApplications, EnumerateRules and DeleteRules."""

import pytest

from emulator_support import ADMIN_CLIENT, ADMIN_ID, EVERYONE_ID, JDOE_ID, PKI_OPERATORS_ID, SDK_CLIENT, SVC_ID


@pytest.fixture
def admin(api):
    return api.admin_token("admin")


def ok(result):
    assert result["Success"] is True and result["Result"] == 0, result
    return result


def failed(result, code):
    assert result["Success"] is False and result["Result"] == code and result["Error"], result


def create_app(api, token, app_id, name, vendor, access=None, grant=None, maximum="certificate:manage"):
    ok(api.oauth("CreateApplication", {"ApplicationId": app_id, "Name": name, "Vendor": vendor, "Description": "", "Url": "",
                                       "Scope": "", "MaximumScope": maximum, "AccessValidity": access, "GrantValidity": grant}, token))


def create_rule(api, token, app_id, trustee, **fields):
    ok(api.oauth("CreateRule", dict({"ApplicationId": app_id, "TrusteePrefixedUniversal": trustee, "MaximumScope": ""}, **fields),
                 token))


# ---- GetScopes --------------------------------------------------------------------------------

def test_get_scopes_is_the_union_of_the_integrations_scopes(api, admin):
    scopes = ok(api.oauth("GetScopes", {}, admin))["Scopes"]
    assert scopes == [
        {"Scope": "admin", "RestrictionList": ["delete", "recyclebin", "viewlogs"]},
        {"Scope": "certificate", "RestrictionList": ["approve", "delete", "discover", "manage", "revoke"]},
        {"Scope": "configuration", "RestrictionList": ["delete", "manage"]},
        {"Scope": "security", "RestrictionList": ["delete", "manage"]},
        {"Scope": "ssh", "RestrictionList": ["approve", "delete", "discover", "manage"]},
    ]
    create_app(api, admin, "logs", "Logs", "", maximum="log:manage;statistics")
    scopes = ok(api.oauth("GetScopes", {}, admin))["Scopes"]
    assert {"Scope": "log", "RestrictionList": ["manage"]} in scopes
    assert {"Scope": "statistics", "RestrictionList": []} in scopes


# ---- EnumerateApplications --------------------------------------------------------------------

@pytest.fixture
def three_apps(api, admin):
    """Besides the seed's tpp-admin (Venafi, Inc.) and vcert-sdk (Venafi, Inc.): three with names, vendors, validities."""
    create_app(api, admin, "c-app", "charlie", "Beta", access=300, grant=None)
    create_app(api, admin, "a-app", "Alpha", "gamma", access=None, grant=900)
    create_app(api, admin, "b-app", "bravo", "Alpha", access=100, grant=600)


def ids(api, token, **body):
    return [app["ID"] for app in ok(api.oauth("EnumerateApplications", body, token))["Applications"]]


@pytest.mark.usefixtures("three_apps")
@pytest.mark.parametrize("body, expected", [
    ({}, [ADMIN_CLIENT, SDK_CLIENT, "c-app", "a-app", "b-app"]),
    ({"OrderBy": 0, "Descending": True}, ["b-app", "a-app", "c-app", SDK_CLIENT, ADMIN_CLIENT]),
    ({"OrderBy": 1}, ["a-app", "b-app", "c-app", ADMIN_CLIENT, SDK_CLIENT]),
    ({"OrderBy": 1, "Descending": True}, [SDK_CLIENT, ADMIN_CLIENT, "c-app", "b-app", "a-app"]),
    ({"OrderBy": 2}, ["b-app", "c-app", "a-app", ADMIN_CLIENT, SDK_CLIENT]),
    ({"OrderBy": 3}, [ADMIN_CLIENT, SDK_CLIENT, "a-app", "b-app", "c-app"]),
    ({"OrderBy": 4, "Descending": True}, ["a-app", "b-app", "c-app", SDK_CLIENT, ADMIN_CLIENT]),
    ({"OrderBy": 1, "Start": 1, "Count": 2}, ["b-app", "c-app"]),
    ({"OrderBy": 1, "Start": 4, "Count": 2}, [SDK_CLIENT]),
    ({"OrderBy": 1, "Start": 9, "Count": 2}, []),
    ({"OrderBy": 1, "Count": 0}, ["a-app", "b-app", "c-app", ADMIN_CLIENT, SDK_CLIENT]),
    ({"Start": None, "Count": None, "OrderBy": None, "Descending": None}, [ADMIN_CLIENT, SDK_CLIENT, "c-app", "a-app", "b-app"]),
])
def test_enumerate_applications_orders_and_pages(api, admin, body, expected):
    assert ids(api, admin, **body) == expected


def test_enumerate_applications_pages_cover_everything_once(api, admin, three_apps):
    pages, start = [], 0
    while True:
        page = ids(api, admin, OrderBy=1, Start=start, Count=2)
        pages.extend(page)
        if len(page) < 2:
            break
        start += 2
    assert pages == ids(api, admin, OrderBy=1)


def test_enumerate_applications_returns_whole_application_objects(api, admin):
    result = ok(api.oauth("EnumerateApplications", {}, admin))
    assert "Application" not in result  # the docs' array, not the contract's single object
    assert result["Applications"][1] == ok(api.oauth("GetApplication", {"ApplicationId": SDK_CLIENT}, admin))["Applications"][0]


@pytest.mark.parametrize("body", [{"OrderBy": 5}, {"OrderBy": -1}, {"OrderBy": "1"}, {"OrderBy": True}, {"OrderBy": [1]}, {"OrderBy": 1.0}, {"Start": -1},
                                  {"Count": -2}, {"Start": "0"}, {"Count": 1.5}, {"Descending": "yes"}])
def test_enumerate_applications_refuses_bad_paging(api, admin, body):
    failed(api.oauth("EnumerateApplications", body, admin), 6)


# ---- one paging for every listing ------------------------------------------------------------

PAGED = {  # each listing that pages, with a well-formed request and the field holding its items
    "EnumerateApplications": ({}, "Applications"),
    "EnumerateRules": ({"ApplicationId": SDK_CLIENT}, "Rules"),
    "GetGrants": ({"GranteePrefixedUniversal": SVC_ID}, "Grants"),
    "EnumerateGrants": ({"ApplicationId": SDK_CLIENT}, "Grants"),
    "EnumerateJwtMappings": ({}, "JwtMappings"),
}
BAD_PAGING = [{"Start": -1}, {"Start": "0"}, {"Start": 1.0}, {"Start": True}, {"Count": -2}, {"Count": 1.5}, {"Count": [1]},
              {"OrderBy": -1}, {"OrderBy": 5}, {"OrderBy": "1"}, {"OrderBy": True}, {"OrderBy": [1]}, {"OrderBy": 1.0},
              {"Descending": "yes"}, {"Descending": 1}]


@pytest.mark.parametrize("name", sorted(PAGED))
@pytest.mark.parametrize("paging", BAD_PAGING + [{"ResolveIdentities": "yes"}])
def test_every_listing_refuses_the_same_bad_paging(api, admin, name, paging):
    answer = api.oauth(name, dict(PAGED[name][0], **paging), admin)
    if name == "EnumerateApplications" and "ResolveIdentities" in paging:
        ok(answer)  # it takes no ResolveIdentities: an unknown parameter is ignored
    else:
        failed(answer, 6)


@pytest.mark.parametrize("name", sorted(PAGED))
def test_every_listing_pages_the_same_way(api, admin, name):
    api.token("svc-ansible")
    api.token("svc-ansible")
    api.token("svc-ansible", scope="certificate:discover")
    for number in range(3):  # three more of each kind: integrations, rules of vcert-sdk, JWT mappings
        create_app(api, admin, "app-%d" % number, "App %d" % number, "")
        create_rule(api, admin, SDK_CLIENT, [JDOE_ID, PKI_OPERATORS_ID, ADMIN_ID][number])
        ok(api.oauth("CreateJwtMapping", {"Name": "m-%d" % number, "IssuerUri": "https://ci.example.test", "PurposeField": "aud",
                                          "PurposeMatch": "tpp", "IdField": "sub", "IdMatch": "^(.+)$"}, admin))
    body, field = PAGED[name]

    def items(**paging):
        return ok(api.oauth(name, dict(body, **paging), admin))[field]
    everything = items()
    assert len(everything) >= 3
    assert items(Count=0) == items(Count=None, Start=None, OrderBy=None, Descending=None) == items(OrderBy=0) == everything
    assert items(Descending=True) == everything[::-1]
    assert items(Start=1, Count=2) == everything[1:3]
    assert items(Start=2) == everything[2:]
    assert items(Start=len(everything), Count=5) == []
    pages = [items(Start=start, Count=2) for start in range(0, len(everything), 2)]
    assert [item for page in pages for item in page] == everything


# ---- EnumerateRules ---------------------------------------------------------------------------

@pytest.fixture
def rules(api, admin):
    """acme-app with four rules of different lifetimes."""
    create_app(api, admin, "acme-app", "Acme", "", maximum="certificate:discover,manage")
    create_rule(api, admin, "acme-app", SVC_ID, AccessValidity=600, GrantValidity=3600, Renewable=True, MaximumScope="certificate:manage")
    create_rule(api, admin, "acme-app", JDOE_ID, AccessValidity=60, Renewable=False)
    create_rule(api, admin, "acme-app", PKI_OPERATORS_ID, GrantValidity=60)
    create_rule(api, admin, "acme-app", ADMIN_ID)


def trustees(api, token, **body):
    return [rule["TrusteePrefixedUniversal"] for rule in ok(api.oauth("EnumerateRules", body, token))["Rules"]]


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize("body, expected", [
    ({"ApplicationId": "acme-app"}, [SVC_ID, JDOE_ID, PKI_OPERATORS_ID, ADMIN_ID]),
    ({"ApplicationId": "acme-app", "OrderBy": 3}, [PKI_OPERATORS_ID, ADMIN_ID, JDOE_ID, SVC_ID]),
    ({"ApplicationId": "acme-app", "OrderBy": 4, "Descending": True}, [SVC_ID, PKI_OPERATORS_ID, ADMIN_ID, JDOE_ID]),
    ({"ApplicationId": "acme-app", "Start": 1, "Count": 2}, [JDOE_ID, PKI_OPERATORS_ID]),
    ({"ApplicationId": "acme-app", "Renewable": False}, [JDOE_ID]),
    ({"ApplicationId": "acme-app", "NoExpire": True}, [JDOE_ID, ADMIN_ID]),
    ({"ApplicationId": "acme-app", "MaximumScope": "Certificate:Manage"}, [SVC_ID]),
    ({"GranteePrefixedUniversal": SVC_ID}, [SVC_ID]),
    ({"GranteePrefixedUniversal": ADMIN_ID}, [ADMIN_ID, ADMIN_ID]),
    ({"Count": 3}, [ADMIN_ID, EVERYONE_ID, SVC_ID]),
])
def test_enumerate_rules_filters_orders_and_pages(api, admin, body, expected):
    assert trustees(api, admin, **body) == expected


def test_enumerate_rules_resolves_identities(api, admin, rules):
    result = ok(api.oauth("EnumerateRules", {"ApplicationId": "acme-app", "Count": 2, "ResolveIdentities": True}, admin))
    assert [entry["PrefixedUniversal"] for entry in result["IdentityEntries"]] == [SVC_ID, JDOE_ID]
    assert "IdentityEntries" not in ok(api.oauth("EnumerateRules", {"ApplicationId": "acme-app"}, admin))


@pytest.mark.parametrize("body", [{}, {"Start": 1}, {"ApplicationId": ""}, {"OrderBy": 3}])
def test_enumerate_rules_needs_an_application_a_grantee_or_a_count(api, admin, body):
    failed(api.oauth("EnumerateRules", body, admin), 6)


@pytest.mark.parametrize("body, code", [({"ApplicationId": SDK_CLIENT, "OrderBy": 1}, 6), ({"ApplicationId": SDK_CLIENT, "OrderBy": 2}, 6),
                                        ({"ApplicationId": SDK_CLIENT, "Count": -1}, 6),
                                        ({"ApplicationId": SDK_CLIENT, "MaximumScope": "nonsense"}, 17)])
def test_enumerate_rules_refuses_bad_criteria(api, admin, body, code):
    failed(api.oauth("EnumerateRules", body, admin), code)


# ---- DeleteRules ------------------------------------------------------------------------------

@pytest.fixture
def two_apps(api, admin):
    for app_id in ("acme-app", "beta-app"):
        create_app(api, admin, app_id, app_id, "")
        create_rule(api, admin, app_id, SVC_ID)
        create_rule(api, admin, app_id, JDOE_ID)


def pairs(api, token):
    return sorted((rule["ApplicationId"], rule["TrusteePrefixedUniversal"]) for rule in ok(api.oauth("GetRules", {}, token))["Rules"])


@pytest.mark.usefixtures("two_apps")
@pytest.mark.parametrize("body, gone", [
    ({"TrusteePrefixedUniversal": SVC_ID}, {("acme-app", SVC_ID), ("beta-app", SVC_ID)}),
    ({"TrusteePrefixedUniversal": SVC_ID.upper()}, {("acme-app", SVC_ID), ("beta-app", SVC_ID)}),
    ({"ApplicationId": "acme-app"}, {("acme-app", SVC_ID), ("acme-app", JDOE_ID)}),
    ({"ApplicationId": "acme-app", "TrusteePrefixedUniversal": JDOE_ID}, {("acme-app", JDOE_ID)}),
])
def test_delete_rules(api, admin, body, gone):
    before = pairs(api, admin)
    ok(api.oauth("DeleteRules", body, admin))
    assert pairs(api, admin) == [pair for pair in before if pair not in gone]


def test_delete_rules_leaves_the_grants_alone(api, admin, two_apps):
    token = api.token("svc-ansible", client_id="acme-app")
    ok(api.oauth("DeleteRules", {"ApplicationId": "acme-app"}, admin))
    assert api.is_valid(token["access_token"])
    assert api.refresh(token["refresh_token"], client_id="acme-app").status_code == 200
    assert api.authorize("svc-ansible", client_id="acme-app").status_code == 400  # but no new grant


@pytest.mark.usefixtures("two_apps")
@pytest.mark.parametrize("body, code", [
    ({}, 6), ({"ApplicationId": "", "TrusteePrefixedUniversal": ""}, 6), ({"ApplicationId": 5}, 6),
    ({"ApplicationId": "no-such-app"}, 2),
    ({"TrusteePrefixedUniversal": EVERYONE_ID + "x"}, 4), ({"ApplicationId": "acme-app", "TrusteePrefixedUniversal": ADMIN_ID}, 4),
])
def test_delete_rules_refusals(api, admin, body, code):
    before = pairs(api, admin)
    failed(api.oauth("DeleteRules", body, admin), code)
    assert pairs(api, admin) == before
