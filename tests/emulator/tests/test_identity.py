# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/identity/Validate and /vedsdk/identity/Browse."""

import pytest

from emulator_support import (
    ADMIN_CLIENT, ADMIN_ID, EVERYONE_ID, JDOE_ID, PKI_OPERATORS_ID, SDK_CLIENT, SVC_ID, TOKEN_MISSING, WIN_ID,
    insufficient_scope_text, universal_uuid,
)

VALIDATE = "/vedsdk/identity/Validate"
BROWSE = "/vedsdk/identity/Browse"

IDENTITIES = {
    "local:admin": (ADMIN_ID, False),
    "local:svc-ansible": (SVC_ID, False),
    "local:jdoe": (JDOE_ID, False),
    "AD+corp:svc-win": (WIN_ID, False),
    "local:PKI Operators": (PKI_OPERATORS_ID, True),
    "local:Everyone": (EVERYONE_ID, True),
}


@pytest.fixture
def token(api):
    """A token with the configuration scope, which the contract requires of both identity endpoints."""
    return api.sdk_token("jdoe", scope="configuration")


def check_entry(entry, prefixed_name):
    """An identity entry of a seeded identity."""
    prefixed_universal, is_group = IDENTITIES[prefixed_name]
    prefix, name = prefixed_name.split(":", 1)
    assert entry["PrefixedName"] == prefixed_name
    assert entry["PrefixedUniversal"] == prefixed_universal
    assert entry["Prefix"] == prefix
    assert entry["Name"] == name
    assert isinstance(entry["FullName"], str) and entry["FullName"]
    assert universal_uuid(prefixed_name) in entry["Universal"]
    assert prefixed_universal == "%s:%s" % (prefix, entry["Universal"])
    assert entry["IsGroup"] is is_group
    assert entry["Type"] == (2 if is_group else 1)
    assert entry["State"] == 0


@pytest.mark.parametrize("prefixed_name", sorted(IDENTITIES))
def test_validate_by_prefixed_name(api, token, prefixed_name):
    response = api.post(VALIDATE, {"ID": {"PrefixedName": prefixed_name}}, token=token)
    assert response.status_code == 200, response.text
    check_entry(response.json()["ID"], prefixed_name)


@pytest.mark.parametrize("prefixed_name", sorted(IDENTITIES))
def test_validate_by_prefixed_universal(api, token, prefixed_name):
    response = api.post(VALIDATE, {"ID": {"PrefixedUniversal": IDENTITIES[prefixed_name][0]}}, token=token)
    assert response.status_code == 200, response.text
    check_entry(response.json()["ID"], prefixed_name)


def test_validate_unknown_name(api, token):
    response = api.post(VALIDATE, {"ID": {"PrefixedName": "local:nobody"}}, token=token)
    assert response.status_code == 400
    assert response.json() == {"Error": "Identity local:nobody could not be found"}


def test_validate_unknown_universal(api, token):
    unknown = "local:{00000000-0000-0000-0000-000000000000}"
    response = api.post(VALIDATE, {"ID": {"PrefixedUniversal": unknown}}, token=token)
    assert response.status_code == 400
    assert response.json() == {"Error": "Identity %s could not be found" % unknown}


def test_validate_case_insensitive_method(api, token):
    response = api.post("/vedsdk/Identity/validate", {"ID": {"PrefixedName": "local:jdoe"}}, token=token)
    assert response.status_code == 200
    assert response.json()["ID"]["PrefixedUniversal"] == JDOE_ID


def test_validate_needs_a_token(api):
    response = api.post(VALIDATE, {"ID": {"PrefixedName": "local:jdoe"}})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token", "error_description": TOKEN_MISSING}


def browse(api, token, **body):
    """Browse; the PrefixedNames found."""
    response = api.post(BROWSE, body, token=token)
    assert response.status_code == 200, response.text
    identities = response.json()["Identities"]
    for entry in identities:
        check_entry(entry, entry["PrefixedName"])
    return sorted(entry["PrefixedName"] for entry in identities)


def test_browse_substring(api, token):
    assert browse(api, token, Filter="svc") == ["AD+corp:svc-win", "local:svc-ansible"]
    assert browse(api, token, Filter="jdoe") == ["local:jdoe"]
    assert browse(api, token, Filter="Operators") == ["local:PKI Operators"]


def test_browse_no_match(api, token):
    assert not browse(api, token, Filter="zzz-no-such")


def test_browse_limit(api, token):
    found = browse(api, token, Filter="svc", Limit=1)
    assert len(found) == 1 and found[0] in ("AD+corp:svc-win", "local:svc-ansible")


def test_browse_identity_type(api, token):
    assert browse(api, token, Filter="e", IdentityType=2) == ["local:Everyone", "local:PKI Operators"]
    assert "local:Everyone" not in browse(api, token, Filter="e", IdentityType=1)
    assert "local:jdoe" in browse(api, token, Filter="e", IdentityType=1)


def test_browse_needs_a_token(api):
    response = api.post(BROWSE, {"Filter": "svc"})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token", "error_description": TOKEN_MISSING}


def test_browse_with_revoked_token(api, token):
    assert api.revoke(token).status_code == 200
    response = api.post(BROWSE, {"Filter": "svc"}, token=token)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


REQUESTS = ((VALIDATE, {"ID": {"PrefixedName": "local:jdoe"}}), (BROWSE, {"Filter": "jdoe"}))


@pytest.mark.parametrize("path, body", REQUESTS)
@pytest.mark.parametrize("username, client_id, scope", [
    ("jdoe", SDK_CLIENT, "certificate:manage;ssh:discover"),
    ("admin", ADMIN_CLIENT, "admin:delete"),
    ("admin", ADMIN_CLIENT, "admin:delete,recyclebin,viewlogs;security:delete,manage"),
])
def test_without_the_configuration_scope(api, path, body, username, client_id, scope):
    """Validate and Browse refuse a token without the configuration scope: 403 insufficient_scope."""
    short = api.token(username, client_id=client_id, scope=scope)
    response = api.post(path, body, token=short["access_token"])
    assert response.status_code == 403
    assert response.json() == {"error": "insufficient_scope", "error_description": insufficient_scope_text(short["scope"])}
    assert ("POST", path, 403) in api.validated


@pytest.mark.parametrize("path, body", REQUESTS)
@pytest.mark.parametrize("username, client_id, scope", [
    ("jdoe", SDK_CLIENT, "configuration:manage"),
    ("admin", ADMIN_CLIENT, "admin:delete;configuration"),
])
def test_any_configuration_scope_is_enough(api, path, body, username, client_id, scope):
    response = api.post(path, body, token=api.token(username, client_id=client_id, scope=scope)["access_token"])
    assert response.status_code == 200, response.text
    assert ("POST", path, 200) in api.validated
