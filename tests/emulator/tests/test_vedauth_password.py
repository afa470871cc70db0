# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedauth/authorize/oauth: the token response and the ordered error checks."""

import pytest

from emulator_support import (
    ACCESS_VALIDITY, ADMIN_CLIENT, ADMIN_ID, EVERYONE_ID, GRANT_ISSUANCE_DENIED, GRANT_VALIDITY, JDOE_ID,
    NOT_AUTHORIZED_INTEGRATION, NOT_AUTHORIZED_SCOPE, PASSWORDS, SDK_CLIENT, SVC_ID, WIN_ID, WIN_PASSWORD, error_of, is_token,
)

OAUTH = "/vedauth/authorize/oauth"


def test_password_grant_token_response(api):
    before = api.now()
    response = api.authorize("svc-ansible", scope="certificate:manage")
    after = api.now()
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "expires", "expires_in", "refresh_until",
                         "scope", "identity", "token_type"}
    assert is_token(body["access_token"]) and is_token(body["refresh_token"])
    assert body["access_token"] != body["refresh_token"]
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "certificate:manage"
    assert body["identity"] == SVC_ID
    assert body["expires_in"] == ACCESS_VALIDITY - 1 == 7775999
    assert int(before) + ACCESS_VALIDITY - 1 <= body["expires"] <= int(after) + ACCESS_VALIDITY + 1
    assert int(before) + GRANT_VALIDITY - 1 <= body["refresh_until"] <= int(after) + GRANT_VALIDITY + 1
    assert api.is_valid(body["access_token"])


def test_admin_through_tpp_admin(api):
    body = api.token("admin", client_id=ADMIN_CLIENT, scope="admin:delete;security:manage")
    assert body["identity"] == ADMIN_ID
    assert body["scope"] == "admin:delete;security:manage"


def test_every_call_gives_a_new_grant(api):
    first = api.token()
    second = api.token()
    assert first["access_token"] != second["access_token"]
    assert first["refresh_token"] != second["refresh_token"]
    assert api.is_valid(first["access_token"]) and api.is_valid(second["access_token"])
    assert api.stats()["active_grants"] == 2


@pytest.mark.parametrize("username", ["svc-ansible", "local:svc-ansible", "SVC-Ansible", "Local:SVC-ANSIBLE"])
def test_user_names_match_case_insensitively_with_or_without_prefix(api, username):
    assert api.token(username, password=PASSWORDS["svc-ansible"])["identity"] == SVC_ID


@pytest.mark.parametrize("username", ["CORP\\svc-win", "corp\\svc-win"])
def test_ad_user_by_password(api, username):
    assert api.token(username, password=WIN_PASSWORD)["identity"] == WIN_ID


def test_state_and_unknown_parameters_are_accepted(api):
    body = {"client_id": SDK_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "certificate",
            "state": "xyz", "something_else": [1, 2]}
    response = api.post(OAUTH, body)
    assert response.status_code == 200
    assert response.json()["identity"] == JDOE_ID
    assert response.json()["scope"] == "certificate"


@pytest.mark.parametrize("path", ["/vedauth/Authorize/OAuth", "/VEDAUTH/AUTHORIZE/OAUTH"])
def test_method_names_are_case_insensitive(api, path):
    body = {"client_id": SDK_CLIENT, "username": "svc-ansible", "password": PASSWORDS["svc-ansible"], "scope": "certificate:manage"}
    response = api.post(path, body)
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == SVC_ID


def denied(response, error):
    """Assert a 400 `Grant issuance denied` with this RFC 6749 error; return the description."""
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.reason == GRANT_ISSUANCE_DENIED
    code, description = error_of(response)
    assert code == error, response.text
    assert isinstance(description, str) and description
    return description


GOOD = {"client_id": SDK_CLIENT, "username": "svc-ansible", "password": PASSWORDS["svc-ansible"], "scope": "certificate:manage"}


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'"a string"', b""])
def test_body_not_a_json_object(api, raw):
    response = api.post(OAUTH, data=raw, headers={"Content-Type": "application/json"})
    denied(response, "invalid_request")


@pytest.mark.parametrize("field", ["client_id", "username", "password", "scope"])
def test_missing_field(api, field):
    body = {k: v for k, v in GOOD.items() if k != field}
    denied(api.post(OAUTH, body), "invalid_request")


@pytest.mark.parametrize("field", ["client_id", "username", "password", "scope"])
def test_empty_field(api, field):
    denied(api.post(OAUTH, dict(GOOD, **{field: ""})), "invalid_request")


def test_parameter_names_are_case_sensitive(api):
    body = {"Client_Id": SDK_CLIENT, "username": "svc-ansible", "password": PASSWORDS["svc-ansible"], "scope": "certificate:manage"}
    denied(api.post(OAUTH, body), "invalid_request")


@pytest.mark.parametrize("client_id", ["no-such-app", "VCERT-SDK", "Vcert-sdk"])
def test_unknown_client_id_is_exact_match(api, client_id):
    denied(api.post(OAUTH, dict(GOOD, client_id=client_id)), "invalid_client")


def test_wrong_password(api):
    denied(api.post(OAUTH, dict(GOOD, password="svc-pass-2")), "invalid_grant")


def test_password_is_case_sensitive(api):
    denied(api.post(OAUTH, dict(GOOD, password="SVC-PASS-1")), "invalid_grant")


def test_unknown_user(api):
    denied(api.post(OAUTH, dict(GOOD, username="ghost", password="x")), "invalid_grant")


def test_team_cannot_log_in(api):
    denied(api.post(OAUTH, dict(GOOD, username="local:PKI Operators", password="x")), "invalid_grant")


def test_scope_beyond_integration(api):
    description = denied(api.post(OAUTH, dict(GOOD, scope="certificate:manage;admin:delete")), "invalid_scope")
    assert "admin" in description


def test_user_without_a_rule(api):
    body = {"client_id": ADMIN_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "admin:delete"}
    description = denied(api.post(OAUTH, body), "unauthorized_client")
    assert description == NOT_AUTHORIZED_INTEGRATION


def test_scope_beyond_the_rule_is_403(api):
    admin = api.admin_token()
    result = api.oauth("UpdateRule", {"Rule": {"ApplicationId": SDK_CLIENT, "TrusteePrefixedUniversal": EVERYONE_ID,
                                               "MaximumScope": "certificate:discover"}}, admin)
    assert result["Success"] is True, result
    response = api.post(OAUTH, dict(GOOD, scope="certificate:manage"))
    assert response.status_code == 403
    assert response.reason == NOT_AUTHORIZED_SCOPE
    assert response.json() == {"error": "invalid_scope", "error_description": NOT_AUTHORIZED_SCOPE}
    # within the narrowed rule it still works
    assert api.token(scope="certificate:discover")["scope"] == "certificate:discover"


# ---- the order of the checks ------------------------------------------------------------------

def test_order_missing_field_before_unknown_client(api):
    denied(api.post(OAUTH, {"client_id": "no-such-app", "username": "svc-ansible", "password": "x"}), "invalid_request")


def test_order_unknown_client_before_credentials(api):
    denied(api.post(OAUTH, dict(GOOD, client_id="no-such-app", password="wrong")), "invalid_client")


def test_order_credentials_before_scope(api):
    denied(api.post(OAUTH, dict(GOOD, password="wrong", scope="bogus")), "invalid_grant")


def test_order_scope_before_rule(api):
    body = {"client_id": ADMIN_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "certificate:manage"}
    denied(api.post(OAUTH, body), "invalid_scope")


def test_order_rule_before_rule_scope(api):
    admin = api.admin_token()
    result = api.oauth("UpdateRule", {"Rule": {"ApplicationId": ADMIN_CLIENT, "TrusteePrefixedUniversal": ADMIN_ID,
                                               "MaximumScope": "admin:viewlogs"}}, admin)
    assert result["Success"] is True, result
    body = {"client_id": ADMIN_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "admin:delete"}
    denied(api.post(OAUTH, body), "unauthorized_client")
    # and admin, who has a rule, now gets the 403 for a scope beyond it
    response = api.post(OAUTH, dict(body, username="admin", password=PASSWORDS["admin"]))
    assert response.status_code == 403 and response.reason == NOT_AUTHORIZED_SCOPE
