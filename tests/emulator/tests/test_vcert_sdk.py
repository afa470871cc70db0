# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Venafi's own Python SDK (vcert from PyPI), unmodified, against the emulator."""

import pytest
import vcert
from vcert.errors import VenafiConnectionError

from emulator_support import ACCESS_VALIDITY, PASSWORDS, SDK_CLIENT, SVC_ID, VERSION


def connection(api, **kwargs):
    """A TPPTokenConnection through vcert's own factory, trusting the emulator CA per request."""
    conn = vcert.venafi_connection(url=api.url, http_request_kwargs={"verify": api.ca_path}, **kwargs)
    assert isinstance(conn, vcert.TPPTokenConnection)
    return conn


def sdk_auth(**kwargs):
    """vcert's Authentication for the vcert-sdk integration."""
    return vcert.Authentication(client_id="vcert-sdk", scope="certificate:manage,revoke", **kwargs)


def test_get_refresh_and_revoke(api):
    conn = connection(api, user="svc-ansible", password=PASSWORDS["svc-ansible"])
    now = api.now()
    first = conn.get_access_token(sdk_auth(user="svc-ansible", password=PASSWORDS["svc-ansible"]))
    assert first.access_token and first.refresh_token
    assert abs(first.expires - (now + ACCESS_VALIDITY)) <= 2
    info = api.verify(first.access_token).json()
    assert info["application"] == SDK_CLIENT
    assert info["identity"] == SVC_ID
    assert info["scope"] == "certificate:manage,revoke"

    # an authenticated WebSDK call through vcert
    assert conn.get_version() == VERSION

    second = conn.refresh_access_token()
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert not api.is_valid(first.access_token)
    assert api.is_valid(second.access_token)
    assert api.refresh(first.refresh_token).status_code == 400

    status = conn.revoke_access_token()[0]
    assert status == 200
    assert not api.is_valid(second.access_token)
    assert api.refresh(second.refresh_token).status_code == 400
    assert api.stats()["active_grants"] == 0
    requests_seen = api.stats()["requests"]
    assert requests_seen["POST /vedauth/authorize/oauth"] == 1
    assert requests_seen["POST /vedauth/authorize/token"] == 3  # vcert once, the checks above twice
    assert requests_seen["GET /vedauth/revoke/token"] == 1
    assert requests_seen["GET /vedsdk/systemstatus/version"] == 1


def test_vcert_with_refresh_token_only(api):
    body = api.token(scope="certificate:manage,revoke")
    conn = connection(api, refresh_token=body["refresh_token"])
    info = conn.get_access_token(sdk_auth(refresh_token=body["refresh_token"]))
    assert info.access_token != body["access_token"]
    assert api.verify(info.access_token).json()["identity"] == SVC_ID
    assert conn.get_version() == VERSION


def test_vcert_with_access_token(api):
    token = api.sdk_token(scope="certificate:manage,revoke")
    conn = connection(api, access_token=token)
    assert conn.get_version() == VERSION
    status = conn.revoke_access_token()[0]
    assert status == 200
    assert not api.is_valid(token)


def test_vcert_wrong_password_raises(api):
    conn = connection(api, user="svc-ansible", password="nope")
    with pytest.raises(VenafiConnectionError) as info:
        conn.get_access_token(sdk_auth(user="svc-ansible", password="nope"))
    assert "400" in str(info.value)
    assert api.stats()["active_grants"] == 0
