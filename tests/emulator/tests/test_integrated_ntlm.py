# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedauth/authorize/integrated with a real NTLM handshake (requests-ntlm over TLS, with CBT)."""

import base64

import pytest
import requests
import spnego
import spnego.channel_bindings
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from requests_ntlm import HttpNtlmAuth

from emulator_support import GRANT_ISSUANCE_DENIED, NTLM_FAILED, SDK_CLIENT, WIN_ID, WIN_PASSWORD, WIN_USER, error_of

INTEGRATED = "/vedauth/authorize/integrated"
BODY = {"client_id": SDK_CLIENT, "scope": "certificate:manage"}


@pytest.fixture
def session():
    """A fresh keep-alive session: NTLM state lives on one connection."""
    with requests.Session() as value:
        yield value


def schemes(response):
    """The WWW-Authenticate schemes offered, lower-cased."""
    values = response.raw.headers.getlist("WWW-Authenticate") if response.raw is not None else []
    if not values:
        values = [response.headers.get("WWW-Authenticate", "")]
    found = set()
    for value in values:
        for part in value.split(","):
            if part.strip():
                found.add(part.strip().split(" ")[0].lower())
    return found


def assert_challenge(api, response):
    """A 401 that offers both NTLM and Negotiate."""
    assert response.status_code == 401, (response.status_code, response.text)
    assert {"ntlm", "negotiate"} <= schemes(response), response.headers
    api.check("POST", INTEGRATED, response)


@pytest.mark.parametrize("user", [WIN_USER, "corp\\svc-win"])
def test_ntlm_right_password(api, session, user):
    response = api.post(INTEGRATED, BODY, auth=HttpNtlmAuth(user, WIN_PASSWORD), session=session)
    assert response.status_code == 200, (response.status_code, response.headers, response.text)
    body = response.json()
    assert body["identity"] == WIN_ID
    assert body["scope"] == "certificate:manage"
    assert body["token_type"] == "Bearer"
    assert "refresh_token" in body
    # the handshake was 401 (challenge) -> 401 (NTLM challenge message) -> 200
    assert [r.status_code for r in response.history] == [401, 401]
    assert_challenge(api, response.history[0])
    assert response.history[0].json() == {}
    info = api.verify(body["access_token"]).json()
    assert info["identity"] == WIN_ID and info["application"] == SDK_CLIENT


def test_ntlm_token_refreshes(api, session):
    body = api.post(INTEGRATED, BODY, auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD), session=session).json()
    refreshed = api.refresh(body["refresh_token"])
    assert refreshed.status_code == 200
    assert refreshed.json()["identity"] == WIN_ID


def test_no_credentials_is_challenged(api, session):
    response = api.post(INTEGRATED, BODY, session=session)
    assert_challenge(api, response)
    assert response.json() == {}


def test_challenge_comes_before_body_checks(api, session):
    response = api.post(INTEGRATED, {"client_id": "no-such-app"}, session=session)
    assert_challenge(api, response)


@pytest.mark.parametrize("user, password", [
    (WIN_USER, "wrong-pass"),
    ("CORP\\nobody", WIN_PASSWORD),
    ("OTHER\\svc-win", WIN_PASSWORD),
])
def test_ntlm_failure(api, session, user, password):
    response = api.post(INTEGRATED, BODY, auth=HttpNtlmAuth(user, password), session=session)
    assert_challenge(api, response)
    assert response.json() == {"error": "invalid_grant", "error_description": NTLM_FAILED}
    assert api.stats()["active_grants"] == 0


def test_authenticated_but_unknown_client(api, session):
    response = api.post(INTEGRATED, dict(BODY, client_id="no-such-app"), auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD),
                        session=session)
    assert response.status_code == 400
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert error_of(response)[0] == "invalid_client"


def test_authenticated_but_scope_beyond_integration(api, session):
    response = api.post(INTEGRATED, dict(BODY, scope="admin:delete"), auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD),
                        session=session)
    assert response.status_code == 400
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert error_of(response)[0] == "invalid_scope"


def test_authenticated_but_missing_scope(api, session):
    response = api.post(INTEGRATED, {"client_id": SDK_CLIENT}, auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD),
                        session=session)
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_request"


def test_each_handshake_is_its_own_grant(api, session):
    tokens = set()
    for dummy in range(3):
        response = api.post(INTEGRATED, BODY, auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD), session=session)
        assert response.status_code == 200
        tokens.add(response.json()["access_token"])
    assert len(tokens) == 3
    assert api.stats()["active_grants"] == 3


def test_ntlm_tokens_under_the_negotiate_scheme(api, session):
    # what requests-ntlm does when a server offers only Negotiate: raw NTLM messages, scheme "Negotiate"
    server_cert = x509.load_pem_x509_certificate((api.workdir / "server.pem").read_bytes())
    bindings = spnego.channel_bindings.GssChannelBindings(
        application_data=b"tls-server-end-point:" + server_cert.fingerprint(hashes.SHA256()))
    client = spnego.client(WIN_USER, WIN_PASSWORD, hostname="127.0.0.1", service="http", protocol="ntlm",
                           channel_bindings=bindings)
    negotiate = "Negotiate " + base64.b64encode(client.step()).decode()
    first = api.post(INTEGRATED, BODY, headers={"Authorization": negotiate}, session=session)
    assert first.status_code == 401
    challenge = [part.strip() for part in first.headers["WWW-Authenticate"].split(",")
                 if part.strip().lower().startswith("negotiate ")]
    assert len(challenge) == 1, first.headers
    reply = client.step(base64.b64decode(challenge[0].split(" ", 1)[1]))
    second = api.post(INTEGRATED, BODY, headers={"Authorization": "Negotiate " + base64.b64encode(reply).decode()},
                      session=session)
    assert second.status_code == 200, (second.status_code, second.text)
    assert second.json()["identity"] == WIN_ID
