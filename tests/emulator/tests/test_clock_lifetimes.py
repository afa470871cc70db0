# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Access-token and grant lifetimes on the server clock."""

import email.utils
import time

import pytest

from emulator_support import ACCESS_VALIDITY, DAY, GRANT_VALIDITY, JDOE_ID, REFRESH_INVALID, SVC_ID


def test_clock_starts_at_real_time(api):
    clock = api.clock()
    assert clock["offset"] == 0
    assert abs(clock["now"] - time.time()) < 5


def test_clock_advance_accumulates(api):
    api.advance(100)
    api.advance(50.5)
    clock = api.clock()
    assert clock["offset"] == pytest.approx(150.5)
    assert clock["now"] - time.time() == pytest.approx(150.5, abs=5)


def test_the_date_header_follows_the_server_clock(api):
    api.advance(3 * DAY)
    date = email.utils.parsedate_to_datetime(api.get("/vedsdk/SystemStatus/Version", token=api.sdk_token()).headers["Date"])
    assert date.timestamp() == pytest.approx(api.now(), abs=5)
    assert date.timestamp() - time.time() == pytest.approx(3 * DAY, abs=5)


def test_default_lifetimes(api):
    now = api.now()
    body = api.token()
    assert body["expires_in"] == 7775999 == ACCESS_VALIDITY - 1
    assert abs(body["expires"] - (now + ACCESS_VALIDITY)) <= 2
    assert abs(body["refresh_until"] - (now + GRANT_VALIDITY)) <= 2
    assert "refresh_token" in body


def test_tokens_follow_the_server_clock(api):
    api.advance(10 * DAY)
    now = api.now()
    body = api.token()
    assert abs(body["expires"] - (now + ACCESS_VALIDITY)) <= 2
    info = api.verify(body["access_token"]).json()
    assert abs(info["grant_issued_on_unix_time"] - now) <= 2


def test_past_access_token_expiry(api):
    body = api.token()
    api.advance(ACCESS_VALIDITY - 10)
    assert api.is_valid(body["access_token"])
    api.advance(11)
    assert not api.is_valid(body["access_token"])
    refreshed = api.refresh(body["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    fresh = refreshed.json()
    assert api.is_valid(fresh["access_token"])
    assert fresh["refresh_until"] == body["refresh_until"]
    assert abs(fresh["expires"] - (api.now() + ACCESS_VALIDITY)) <= 2


def test_past_grant_expiry(api):
    body = api.token()
    api.advance(GRANT_VALIDITY - 10)
    second = api.refresh(body["refresh_token"])
    assert second.status_code == 200
    # the refreshed access token may not outlive its grant
    token = second.json()["access_token"]
    assert api.is_valid(token)
    api.advance(11)
    assert not api.is_valid(token)
    response = api.refresh(second.json()["refresh_token"])
    assert response.status_code == 400
    assert response.reason == REFRESH_INVALID
    assert response.json() == {"error": "invalid_grant", "error_description": REFRESH_INVALID}
    assert api.stats()["active_grants"] == 0


def create_app(api, admin, app_id, **validity):
    """An integration open to everyone with the given validities."""
    body = {"ApplicationId": app_id, "Name": app_id, "Vendor": "Test", "Description": "lifetimes", "Url": "",
            "Scope": "certificate:manage", "MaximumScope": "certificate:discover,manage"}
    body.update(validity)
    result = api.oauth("CreateApplication", body, admin)
    assert result["Success"] is True, result
    result = api.oauth("CreateRule", {"ApplicationId": app_id, "TrusteePrefixedUniversal": SVC_ID,
                                      "MaximumScope": "certificate:discover,manage", "Description": "svc"}, admin)
    assert result["Success"] is True, result


def test_custom_access_and_grant_validity(api):
    create_app(api, api.admin_token(), "short-lived", AccessValidity=60, GrantValidity=120, Renewable=True)
    now = api.now()
    body = api.token(client_id="short-lived")
    assert body["expires_in"] == 59
    assert abs(body["expires"] - (now + 60)) <= 2
    assert abs(body["refresh_until"] - (now + 120)) <= 2
    info = api.verify(body["access_token"]).json()
    assert info["valid_for"] == 60
    assert info["expires_unix_time"] == body["refresh_until"]
    api.advance(61)
    assert not api.is_valid(body["access_token"])
    second = api.refresh(body["refresh_token"], client_id="short-lived")
    assert second.status_code == 200
    assert second.json()["refresh_until"] == body["refresh_until"]
    api.advance(60)
    assert api.refresh(second.json()["refresh_token"], client_id="short-lived").status_code == 400


def test_not_renewable_means_no_refresh_token(api):
    create_app(api, api.admin_token(), "no-refresh", Renewable=False)
    body = api.token(client_id="no-refresh")
    assert "refresh_token" not in body
    assert body["expires_in"] == ACCESS_VALIDITY - 1
    assert api.is_valid(body["access_token"])


def test_renewable_flip_after_issue(api):
    admin = api.admin_token()
    create_app(api, admin, "flip")
    body = api.token(client_id="flip")
    assert "refresh_token" in body
    update = {"ID": "flip", "Name": "flip", "Vendor": "Test", "Description": "lifetimes", "Url": "",
              "Scope": "certificate:manage", "MaximumScope": "certificate:discover,manage", "Renewable": False}
    assert api.oauth("UpdateApplication", {"Application": update}, admin)["Success"] is True
    assert "refresh_token" not in api.token(client_id="flip")


def test_jdoe_default_validities_through_seeded_rule(api):
    body = api.token("jdoe")
    assert body["identity"] == JDOE_ID
    assert body["expires_in"] == ACCESS_VALIDITY - 1


def test_reset_clears_the_clock_offset(api):
    api.advance(5 * DAY)
    assert api.clock()["offset"] == 5 * DAY
    api.reset()
    assert api.clock()["offset"] == 0
