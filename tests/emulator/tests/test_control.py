# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API: stats, clock, faults and reset."""

import time

import pytest
import requests

from emulator_support import ADMIN_CLIENT, PASSWORDS, SDK_CLIENT, SVC_ID

OAUTH = "/vedauth/authorize/oauth"
OAUTH_KEY = "POST /vedauth/authorize/oauth"


def test_stats_after_reset(api):
    assert api.stats() == {"requests": {}, "active_grants": 0}


def test_stats_count_requests_by_method_and_lower_case_path(api):
    token = api.sdk_token()
    api.sdk_token()
    body = {"client_id": SDK_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "certificate"}
    assert api.post("/vedauth/Authorize/OAuth", body).status_code == 200
    api.authorize(password="wrong")  # failures count too
    api.verify(token)
    api.get("/vedsdk/SystemStatus/Version", token=token)
    api.get("/vedauth/authorize/isAuthServer")
    api.clock()  # control calls are never counted
    stats = api.stats()
    assert stats["requests"] == {
        OAUTH_KEY: 4,
        "GET /vedauth/authorize/verify": 1,
        "GET /vedsdk/systemstatus/version": 1,
        "GET /vedauth/authorize/isauthserver": 1,
    }
    assert stats["active_grants"] == 3


def test_active_grants_follow_revocation_and_expiry(api):
    first = api.sdk_token()
    api.sdk_token()
    assert api.stats()["active_grants"] == 2
    api.revoke(first)
    assert api.stats()["active_grants"] == 1
    api.advance(366 * 86400)
    assert api.stats()["active_grants"] == 0


def test_fault_status_and_count(api):
    api.fault(OAUTH, status=503, count=2)
    for attempt in range(2):
        response = api.authorize()
        assert response.status_code == 503
        body = response.json()
        assert isinstance(body, dict) and body.get("error"), (attempt, body)
    response = api.authorize()
    assert response.status_code == 200
    assert response.json()["identity"] == SVC_ID
    stats = api.stats()
    assert stats["requests"][OAUTH_KEY] == 3  # faulted requests are counted
    assert stats["active_grants"] == 1


def test_fault_default_count_is_one(api):
    api.fault(OAUTH, status=500)
    assert api.authorize().status_code == 500
    assert api.authorize().status_code == 200


def test_fault_only_hits_its_path(api):
    token = api.sdk_token()
    api.fault("/vedauth/authorize/verify", status=429, count=1)
    assert api.authorize().status_code == 200
    assert api.get("/vedsdk/SystemStatus/Version", token=token).status_code == 200
    assert api.verify(token).status_code == 429
    assert api.verify(token).status_code == 200


def test_fault_path_matches_case_insensitively(api):
    api.fault(OAUTH, status=502)
    body = {"client_id": SDK_CLIENT, "username": "svc-ansible", "password": PASSWORDS["svc-ansible"], "scope": "certificate"}
    assert api.post("/vedauth/Authorize/OAuth", body).status_code == 502


def test_fault_delay_then_served_normally(api):
    api.fault(OAUTH, delay=0.6)
    started = time.monotonic()
    response = api.authorize()
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert elapsed >= 0.55
    started = time.monotonic()
    assert api.authorize().status_code == 200
    assert time.monotonic() - started < 0.5


def test_fault_delay_with_status(api):
    api.fault(OAUTH, status=504, delay=0.3)
    started = time.monotonic()
    assert api.authorize().status_code == 504
    assert time.monotonic() - started >= 0.25


def test_fault_drop(api):
    api.fault(OAUTH, drop=True, count=1)
    with requests.Session() as session:
        with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            api.authorize(session=session)
    response = api.authorize()
    assert response.status_code == 200
    assert api.stats()["requests"][OAUTH_KEY] == 2


def test_delete_faults(api):
    api.fault(OAUTH, status=503, count=5)
    api.fault("/vedauth/authorize/verify", status=503, count=5)
    api.clear_faults()
    token = api.sdk_token()
    assert api.verify(token).status_code == 200


def test_reset_clears_everything(api):
    admin = api.admin_token()
    result = api.oauth("DeleteApplication", {"ApplicationId": SDK_CLIENT}, admin)
    assert result["Success"] is True
    result = api.oauth("CreateApplication", {
        "ApplicationId": "temp", "Name": "temp", "Vendor": "t", "Description": "t", "Url": "",
        "Scope": "certificate", "MaximumScope": "certificate"}, admin)
    assert result["Success"] is True
    api.advance(1000)
    api.fault(OAUTH, status=503, count=10)
    api.reset()
    assert api.stats() == {"requests": {}, "active_grants": 0}
    assert api.clock()["offset"] == 0
    assert not api.is_valid(admin)  # grants cleared
    admin = api.admin_token()  # faults cleared
    apps = api.oauth("GetApplications", {}, admin)["Applications"]
    assert sorted(a["ID"] for a in apps) == [ADMIN_CLIENT, SDK_CLIENT]  # the seed restored
