# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bearer-token checks of /vedsdk: SystemStatus/Version and Certificates/."""

import pytest

from emulator_support import (
    ACCESS_VALIDITY, ADMIN_CLIENT, SDK_CLIENT, TOKEN_FORMAT, TOKEN_INVALID, TOKEN_MISSING, VERSION,
    insufficient_scope_text,
)

VERSION_PATH = "/vedsdk/SystemStatus/Version"
CERTIFICATES = "/vedsdk/Certificates/"


def unauthorized(response, error, description):
    """A 401 with this OAuth error body."""
    assert response.status_code == 401, (response.status_code, response.text)
    assert response.json() == {"error": error, "error_description": description}


@pytest.mark.parametrize("client_id, scope", [(SDK_CLIENT, "certificate:manage"), (SDK_CLIENT, "ssh:discover"),
                                              (ADMIN_CLIENT, "admin:delete"), (SDK_CLIENT, "configuration")])
def test_version_with_any_scope(api, client_id, scope):
    token = api.token("admin", client_id=client_id, scope=scope)["access_token"]
    response = api.get(VERSION_PATH, token=token)
    assert response.status_code == 200
    assert response.json() == {"Version": VERSION}


@pytest.mark.parametrize("path", ["/vedsdk/systemstatus/version", "/VEDSDK/SYSTEMSTATUS/VERSION"])
def test_version_case_insensitive(api, path):
    response = api.get(path, token=api.sdk_token())
    assert response.status_code == 200 and response.json() == {"Version": VERSION}


@pytest.mark.parametrize("scope", ["certificate", "certificate:manage", "certificate:discover,revoke;ssh:manage"])
def test_certificates_with_certificate_scope(api, scope):
    response = api.get(CERTIFICATES, token=api.sdk_token(scope=scope))
    assert response.status_code == 200
    assert response.json() == {"Certificates": [], "TotalCount": 0}


def test_certificates_case_insensitive(api):
    response = api.get("/vedsdk/certificates/", token=api.sdk_token())
    assert response.status_code == 200 and response.json()["TotalCount"] == 0


@pytest.mark.parametrize("client_id, scope", [(SDK_CLIENT, "ssh:manage"),
                                              (SDK_CLIENT, "configuration:delete,manage;ssh:discover"),
                                              (ADMIN_CLIENT, "admin:delete")])
def test_certificates_without_certificate_scope(api, client_id, scope):
    token = api.token("admin", client_id=client_id, scope=scope)
    response = api.get(CERTIFICATES, token=token["access_token"])
    assert response.status_code == 403
    assert response.json() == {"error": "insufficient_scope",
                               "error_description": insufficient_scope_text(token["scope"])}


@pytest.mark.parametrize("path", [VERSION_PATH, CERTIFICATES])
def test_missing_header(api, path):
    unauthorized(api.get(path), "invalid_token", TOKEN_MISSING)


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Token abc"])
def test_not_a_bearer_header(api, header):
    unauthorized(api.get(VERSION_PATH, headers={"Authorization": header}), "invalid_token", TOKEN_MISSING)


@pytest.mark.parametrize("token", ["abc", "not a token at all", "AAAAAAAAAAAAAAAAAAAAAAAA==",
                                   "eyJhbGciOiJSUzI1NiJ9.e30.sig", "AAAAAAAAAAAAAAAAAAAA!!=="])
def test_malformed_token(api, token):
    unauthorized(api.get(VERSION_PATH, token=token), "session_error", TOKEN_FORMAT)


def test_unknown_token(api):
    unauthorized(api.get(VERSION_PATH, token="AAAAAAAAAAAAAAAAAAAAAA=="), "invalid_token", TOKEN_INVALID)


def test_revoked_token(api):
    token = api.sdk_token()
    assert api.get(CERTIFICATES, token=token).status_code == 200
    assert api.revoke(token).status_code == 200
    unauthorized(api.get(VERSION_PATH, token=token), "invalid_token", TOKEN_INVALID)
    unauthorized(api.get(CERTIFICATES, token=token), "invalid_token", TOKEN_INVALID)


def test_expired_token_after_clock_advance(api):
    token = api.sdk_token()
    api.advance(ACCESS_VALIDITY - 60)
    assert api.get(CERTIFICATES, token=token).status_code == 200
    api.advance(61)
    unauthorized(api.get(CERTIFICATES, token=token), "invalid_token", TOKEN_INVALID)


def test_refresh_token_is_not_a_bearer(api):
    body = api.token()
    unauthorized(api.get(VERSION_PATH, token=body["refresh_token"]), "invalid_token", TOKEN_INVALID)


def test_expired_token_checked_before_scope(api):
    token = api.sdk_token(scope="ssh:manage")
    api.advance(ACCESS_VALIDITY + 1)
    unauthorized(api.get(CERTIFICATES, token=token), "invalid_token", TOKEN_INVALID)


@pytest.mark.parametrize("method, path", [("GET", "/vedsdk/NoSuchThing"), ("POST", "/vedauth/authorize/nothing"),
                                          ("GET", "/elsewhere")])
def test_unknown_endpoints_still_answer_json(api, method, path):
    # Api.request checks Content-Length and that the body is JSON on every response
    response = api.request(method, path, token=api.sdk_token(), json_body={})
    assert 400 <= response.status_code < 500
    assert isinstance(response.json(), dict)
