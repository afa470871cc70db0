# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The server-side scope grammar: normalisation, validation and the subset test."""

import pytest

from emulator_support import ADMIN_CLIENT, GRANT_ISSUANCE_DENIED, JDOE_ID, SDK_CLIENT, SDK_MAX_SCOPE, error_of


@pytest.mark.parametrize("requested, echoed", [
    ("certificate:manage", "certificate:manage"),
    ("Certificate:Manage", "certificate:manage"),
    ("CERTIFICATE:REVOKE,MANAGE", "certificate:manage,revoke"),
    ("ssh:manage;certificate:manage,discover", "certificate:discover,manage;ssh:manage"),
    ("certificate:manage,revoke;", "certificate:manage,revoke"),
    ("certificate:manage;;ssh:discover;", "certificate:manage;ssh:discover"),
    ("certificate:manage,manage,Manage", "certificate:manage"),
    ("certificate", "certificate"),
    ("ssh;certificate", "certificate;ssh"),
    ("configuration:Manage;Certificate:Discover", "certificate:discover;configuration:manage"),
    (SDK_MAX_SCOPE, SDK_MAX_SCOPE),
    ("ssh:manage,discover,delete,approve;configuration:manage,delete;certificate:revoke,manage,discover,delete,approve",
     SDK_MAX_SCOPE),
])
def test_normalised_echo(api, requested, echoed):
    body = api.token(scope=requested)
    assert body["scope"] == echoed
    assert api.verify(body["access_token"]).json()["scope"] == echoed


def test_repeated_scope_names_are_merged(api):
    assert api.token(scope="certificate:manage;certificate:revoke")["scope"] == "certificate:manage,revoke"


def test_admin_normalisation(api):
    body = api.token("admin", client_id=ADMIN_CLIENT, scope="Security:Manage;Admin:ViewLogs,Delete")
    assert body["scope"] == "admin:delete,viewlogs;security:manage"


def invalid_scope(api, scope, client_id=SDK_CLIENT, username="svc-ansible"):
    """The 400 invalid_scope of an authorization; returns the description."""
    response = api.authorize(username, client_id=client_id, scope=scope)
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.reason == GRANT_ISSUANCE_DENIED
    code, description = error_of(response)
    assert code == "invalid_scope", response.text
    return description


@pytest.mark.parametrize("scope, offending", [
    ("bogus", "bogus"),
    ("certificate:manage;bogus:read", "bogus"),
    ("certificate:fly", "fly"),
    ("certificate:manage,teleport", "teleport"),
    ("statistics:manage", "manage"),
    ("codesignclient:manage", "manage"),
])
def test_unknown_scope_or_restriction(api, scope, offending):
    assert offending in invalid_scope(api, scope).lower()


@pytest.mark.parametrize("scope", ["certificate:manage:revoke", ":manage", "certificate manage"])
def test_malformed(api, scope):
    invalid_scope(api, scope)


@pytest.mark.parametrize("scope, offending", [
    ("admin", "admin"),
    ("admin:delete", "admin"),
    ("certificate:manage;security:manage", "security"),
    ("codesign:manage", "codesign"),
    ("statistics", "statistics"),
    ("configuration:delete,manage;log:manage", "log"),
])
def test_beyond_the_integration(api, scope, offending):
    assert offending in invalid_scope(api, scope).lower()


def test_restriction_beyond_the_integration(api):
    # admin:viewlogs is in tpp-admin, admin:recyclebin too, but security:approve does not exist
    invalid_scope(api, "security:approve", client_id=ADMIN_CLIENT, username="admin")
    # certificate is not part of tpp-admin at all
    assert "certificate" in invalid_scope(api, "certificate", client_id=ADMIN_CLIENT, username="admin").lower()


@pytest.mark.parametrize("scope", [
    "admin:delete,recyclebin,viewlogs", "agent:delete", "codesign:approve,delete,manage", "codesignclient",
    "log:delete,manage", "restricted:delete,manage", "statistics",
])
def test_every_known_scope_parses(api, scope):
    # known names and restrictions: valid, but beyond vcert-sdk -> invalid_scope naming the scope, not a parse error
    description = invalid_scope(api, scope)
    assert scope.split(":")[0] in description.lower()


def test_known_scopes_in_a_new_integration(api):
    admin = api.admin_token()
    everything = ("admin:delete,recyclebin,viewlogs;agent:delete;certificate:approve,delete,discover,manage,revoke;"
                  "codesign:approve,delete,manage;codesignclient;configuration:delete,manage;log:delete,manage;"
                  "restricted:delete,manage;security:delete,manage;ssh:approve,delete,discover,manage;statistics")
    result = api.oauth("CreateApplication", {
        "ApplicationId": "everything", "Name": "Everything", "Vendor": "Test", "Description": "all scopes", "Url": "",
        "Scope": "statistics", "MaximumScope": everything}, admin)
    assert result["Success"] is True, result
    assert result["Application"]["MaximumScope"] == everything
    rule = api.oauth("CreateRule", {"ApplicationId": "everything", "TrusteePrefixedUniversal": JDOE_ID,
                                    "MaximumScope": everything, "Description": "jdoe"}, admin)
    assert rule["Success"] is True, rule
    body = api.token("jdoe", client_id="everything", scope=everything.upper())
    assert body["scope"] == everything


def test_empty_scope_is_invalid_request(api):
    response = api.authorize(scope="")
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_request"
