# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""authorize/token (refresh), authorize/verify, revoke/token and authorize/isAuthServer."""

import pytest

from emulator_support import (
    ACCESS_VALIDITY, ADMIN_CLIENT, CLIENT_MISMATCH, GRANT_VALIDITY, REFRESH_INVALID, SDK_CLIENT, SVC_ID,
    TOKEN_INVALID, dotnet_date_seconds, error_of, is_token, iso8601_seconds,
)


def refresh_denied(response, description=REFRESH_INVALID, reason=REFRESH_INVALID):
    """The documented 400 of a refused refresh."""
    assert response.status_code == 400, (response.status_code, response.text)
    if reason is not None:
        assert response.reason == reason
    assert response.json() == {"error": "invalid_grant", "error_description": description}


# ---- refresh ----------------------------------------------------------------------------------

def test_refresh_rotates_both_tokens_and_keeps_scope_and_grant_expiry(api):
    first = api.token(scope="certificate:manage,revoke;ssh:discover")
    api.advance(100)
    response = api.refresh(first["refresh_token"])
    assert response.status_code == 200, response.text
    second = response.json()
    api.contract.validate_component("Web_SDK_Authentication_AuthorizeOAuthResponse", second)
    assert is_token(second["access_token"]) and is_token(second["refresh_token"])
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == first["scope"] == "certificate:manage,revoke;ssh:discover"
    assert second["refresh_until"] == first["refresh_until"]
    assert second["identity"] == SVC_ID
    assert second["token_type"] == "Bearer"
    assert second["expires_in"] == ACCESS_VALIDITY - 1
    assert first["expires"] + 99 <= second["expires"] <= first["expires"] + 102


def test_previous_access_token_dies_on_refresh(api):
    first = api.token()
    second = api.refresh(first["refresh_token"]).json()
    assert not api.is_valid(first["access_token"])
    assert api.is_valid(second["access_token"])


def test_refresh_token_used_twice(api):
    first = api.token()
    second = api.refresh(first["refresh_token"])
    assert second.status_code == 200
    refresh_denied(api.refresh(first["refresh_token"]))
    # the grant itself survives and its current refresh token still works
    third = api.refresh(second.json()["refresh_token"])
    assert third.status_code == 200
    assert api.is_valid(third.json()["access_token"])


def test_refresh_chain(api):
    body = api.token()
    tokens = {body["access_token"], body["refresh_token"]}
    for dummy in range(5):
        body = api.refresh(body["refresh_token"]).json()
        tokens.update((body["access_token"], body["refresh_token"]))
    assert len(tokens) == 12
    assert api.stats()["active_grants"] == 1


def test_unknown_refresh_token(api):
    refresh_denied(api.refresh("AAAAAAAAAAAAAAAAAAAAAA=="))


def test_malformed_refresh_token(api):
    refresh_denied(api.refresh("not-a-token"))


def test_refresh_of_revoked_grant(api):
    body = api.token()
    assert api.revoke(body["access_token"]).status_code == 200
    refresh_denied(api.refresh(body["refresh_token"]))


def test_refresh_with_another_client_id(api):
    body = api.token()
    response = api.refresh(body["refresh_token"], client_id=ADMIN_CLIENT)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": CLIENT_MISMATCH}


def test_refresh_with_access_token_is_refused(api):
    body = api.token()
    refresh_denied(api.refresh(body["access_token"]))


@pytest.mark.parametrize("path", ["/vedauth/Authorize/Token", "/vedauth/AUTHORIZE/TOKEN"])
def test_refresh_method_name_case_insensitive(api, path):
    body = api.token()
    response = api.post(path, {"client_id": SDK_CLIENT, "refresh_token": body["refresh_token"]})
    assert response.status_code == 200
    assert response.json()["scope"] == "certificate:manage"


# ---- verify -----------------------------------------------------------------------------------

def test_verify_fields(api):
    now = api.now()
    body = api.token(scope="certificate:discover,manage")
    response = api.verify(body["access_token"])
    assert response.status_code == 200
    assert response.reason == "Token is valid"
    info = response.json()
    assert {"access_issued_on", "access_issued_on_ISO8601", "access_issued_on_unix_time", "application",
            "expires", "expires_ISO8601", "expires_unix_time", "grant_issued_on", "grant_issued_on_ISO8601",
            "grant_issued_on_unix_time", "identity", "scope", "valid_for"} <= set(info)
    assert info["application"] == SDK_CLIENT
    assert info["identity"] == SVC_ID
    assert info["scope"] == "certificate:discover,manage"
    assert info["valid_for"] == ACCESS_VALIDITY
    assert abs(info["access_issued_on_unix_time"] - now) <= 2
    for stem in ("access_issued_on", "grant_issued_on", "expires"):
        unix = info[stem + "_unix_time"]
        assert isinstance(unix, int)
        assert dotnet_date_seconds(info[stem]) == unix
        assert iso8601_seconds(info[stem + "_ISO8601"]) == unix
    assert info["grant_issued_on_unix_time"] == info["access_issued_on_unix_time"]
    # expires is the grant expiry (refresh_until), not the access token's
    assert info["expires_unix_time"] == body["refresh_until"]
    assert info["grant_issued_on_unix_time"] + GRANT_VALIDITY == info["expires_unix_time"]


def test_verify_after_refresh_moves_access_issued_on_only(api):
    body = api.token()
    before = api.verify(body["access_token"]).json()
    api.advance(1000)
    after = api.verify(api.refresh(body["refresh_token"]).json()["access_token"]).json()
    assert after["grant_issued_on_unix_time"] == before["grant_issued_on_unix_time"]
    assert after["expires_unix_time"] == before["expires_unix_time"]
    assert 999 <= after["access_issued_on_unix_time"] - before["access_issued_on_unix_time"] <= 1002


def test_verify_case_insensitive_path(api):
    token = api.sdk_token()
    response = api.get("/vedauth/Authorize/Verify", token=token)
    assert response.status_code == 200 and response.json()["identity"] == SVC_ID


@pytest.mark.parametrize("token", ["AAAAAAAAAAAAAAAAAAAAAA==", "garbage", "a.b.c"])
def test_verify_unknown_or_malformed(api, token):
    response = api.verify(token)
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_token", "error_description": TOKEN_INVALID}


def test_verify_without_header(api):
    response = api.get("/vedauth/authorize/verify")
    assert response.status_code == 401
    assert error_of(response)[0] == "invalid_token"


def test_verify_refresh_token_is_not_an_access_token(api):
    body = api.token()
    assert api.verify(body["refresh_token"]).status_code == 401


# ---- revoke -----------------------------------------------------------------------------------

def test_revoke_kills_the_whole_grant(api):
    body = api.token(scope="certificate:manage,revoke")
    other = api.token()
    response = api.revoke(body["access_token"])
    assert response.status_code == 200
    assert response.reason == "Grant for identity %s with scope certificate:manage,revoke has been revoked" % SVC_ID
    assert response.json() == {}
    assert not api.is_valid(body["access_token"])
    refresh_denied(api.refresh(body["refresh_token"]))
    assert api.is_valid(other["access_token"])
    assert api.stats()["active_grants"] == 1


def test_revoke_without_header(api):
    response = api.get("/vedauth/revoke/token")
    assert response.status_code == 202
    assert response.reason == "Token not found"
    assert response.json() == {}


def test_revoke_twice(api):
    token = api.sdk_token()
    assert api.revoke(token).status_code == 200
    response = api.revoke(token)
    assert response.status_code == 401
    assert error_of(response)[0] == "invalid_token"


def test_revoke_unknown_token(api):
    response = api.revoke("AAAAAAAAAAAAAAAAAAAAAA==")
    assert response.status_code == 401
    assert error_of(response)[0] == "invalid_token"
    assert api.stats()["active_grants"] == 0


def test_revoke_expired_token(api):
    token = api.sdk_token()
    api.advance(ACCESS_VALIDITY + 1)
    response = api.revoke(token)
    assert response.status_code == 401
    assert error_of(response)[0] == "invalid_token"


def test_revoke_case_insensitive_path(api):
    token = api.sdk_token()
    assert api.get("/vedauth/Revoke/Token", token=token).status_code == 200
    assert not api.is_valid(token)


# ---- isAuthServer -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/vedauth/authorize/isAuthServer", "/vedauth/authorize/isauthserver",
                                  "/vedauth/Authorize/IsAuthServer"])
def test_is_auth_server(api, path):
    response = api.get(path)
    assert response.status_code == 202
    assert response.reason == "Venafi Authentication Server"
    assert response.json() == {}


@pytest.mark.parametrize("body", [{}, {"client_id": SDK_CLIENT}, {"refresh_token": "AAAAAAAAAAAAAAAAAAAAAA=="},
                                  {"client_id": SDK_CLIENT, "refresh_token": ""}])
def test_refresh_with_missing_fields(api, body):
    response = api.post("/vedauth/authorize/token", body)
    assert response.status_code == 400
    assert error_of(response)[0] in ("invalid_request", "invalid_grant")
