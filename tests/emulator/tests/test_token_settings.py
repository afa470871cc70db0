# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/oauth/GetConfiguration and SetConfiguration, and what the settings do to the tokens issued."""

import copy
from pathlib import Path

import pytest
import requests
from requests_ntlm import HttpNtlmAuth

from emulator_support import (
    ACCESS_VALIDITY, ADMIN_CLIENT, DAY, GRANT_ISSUANCE_DENIED, GRANT_VALIDITY, JWT_ISSUER, REFRESH_INVALID, SDK_CLIENT,
    SVC_ID, WIN_PASSWORD, WIN_USER, error_of,
)

# pylint: disable=wrong-import-order
from tpp_emulator import jwt as emulator_jwt  # noqa: E402  (emulator_support puts tests/emulator on sys.path)

CONFIGURATION_SCHEMA = "Core_WebSDK_OAuthWebResponse_getconfiguration"
BODY = {"client_id": SDK_CLIENT, "scope": "certificate:manage"}
METHOD_DISABLED = "This authorization method is disabled on this server (%s is false)"

SEEDED = {
    "SessionPoolSize": 5000, "SessionPoolAge": 86400, "SessionPoolExpirationInterval": 300, "SessionRightsRefreshInterval": 60,
    "StrictExpiration": False, "StatisticsApiTracking": False, "StatisticsTrackingIncludesTime": False,
    "OpenApiEnabled": True, "OpenApiUi": "redoc",
    "DefaultAccessTokenValidity": ACCESS_VALIDITY, "DefaultGrantValidity": GRANT_VALIDITY, "DefaultGrantRefreshable": True,
    "UnusedAccessTokenExpiration": 0, "RefreshEndpointEnabled": True,
    "AuthorizeByPassword": True, "AuthorizeByCertificate": True, "AuthorizeByIntegrated": True, "AuthorizeByJwt": True,
    "AuthorizeDevice": True,
    "DeviceConfiguration": {"VerificationUri": "/aperture/activate", "VerificationUriCompleteFormat": "/aperture/activate/{0}"},
    "CertificateConfiguration": {"AttemptSIDExtensionBeforeSourceField": False, "SourceField": "CN", "AuthorizedIssuerDns": []},
    "JwtConfiguration": {
        "ClockSkew": 60,
        "CacheConfiguration": {"DegreeOfParallelism": 4, "RefreshDelay": 60, "MinTtl": 300, "MaxTtl": 86400, "Timeout": 30,
                               "NoHttps": False, "NoOidcIssuerCheck": False, "AutoRefresh": 3600},
    },
}


@pytest.fixture
def admin(api):
    """An admin-scoped token of local:admin, obtained while password sign-in is still on."""
    return api.admin_token("admin")


def settings(api, token):
    """GetConfiguration's Configuration (the body is validated against the contract by ``api``)."""
    result = api.oauth("GetConfiguration", {}, token)
    assert result["Success"] is True and result["Result"] == 0, result
    return result["Configuration"]


def set_settings(api, token, configuration):
    """SetConfiguration; returns the result body."""
    return api.oauth("SetConfiguration", {"Configuration": configuration}, token)


def change(api, token, **changes):
    """Read, modify (top-level fields; a dict value updates that nested object), write back; asserts success."""
    configuration = settings(api, token)
    for name, value in changes.items():
        if isinstance(value, dict):
            configuration[name].update(value)
        else:
            configuration[name] = value
    result = set_settings(api, token, configuration)
    assert result["Success"] is True and result["Result"] == 0, result
    return configuration


def shape(schema):
    """The field names of a Configuration schema, nested objects as dicts."""
    return {name: shape(sub) if sub.get("type") == "object" else None for name, sub in schema["properties"].items()}


def shape_of(value):
    return {name: shape_of(sub) if isinstance(sub, dict) else None for name, sub in value.items()}


def refused(response, setting):
    """400 unauthorized_client naming the setting that switched the method off."""
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert error_of(response) == ("unauthorized_client", METHOD_DISABLED % setting)


# ---- the object -------------------------------------------------------------------------------

def test_get_configuration_returns_the_seeded_settings(api, admin, contract):
    configuration = settings(api, admin)
    assert configuration == SEEDED
    schema = contract.components[CONFIGURATION_SCHEMA]["properties"]["Configuration"]
    assert shape_of(configuration) == shape(schema)  # every field of the contract, and no other


def test_set_configuration_stores_the_whole_object(api, admin):
    configuration = copy.deepcopy(SEEDED)
    configuration.update(DefaultAccessTokenValidity=3600, AuthorizeDevice=False, OpenApiUi="swagger")
    configuration["CertificateConfiguration"]["AuthorizedIssuerDns"] = ["\\VED\\Intermediate and Root Certificates\\Corp CA"]
    configuration["JwtConfiguration"]["CacheConfiguration"]["NoHttps"] = True
    assert set_settings(api, admin, configuration) == {"Success": True, "Result": 0}
    assert settings(api, admin) == configuration


def test_a_partial_set_defaults_what_it_leaves_out(api, admin):
    result = set_settings(api, admin, {"DefaultAccessTokenValidity": 3600, "JwtConfiguration": {"ClockSkew": 30}})
    assert result["Success"] is True, result
    configuration = settings(api, admin)
    assert configuration["DefaultAccessTokenValidity"] == 3600
    assert configuration["JwtConfiguration"]["ClockSkew"] == 30
    assert configuration["JwtConfiguration"]["CacheConfiguration"] == {
        "DegreeOfParallelism": 0, "RefreshDelay": 0, "MinTtl": 0, "MaxTtl": 0, "Timeout": 0, "NoHttps": False,
        "NoOidcIssuerCheck": False, "AutoRefresh": 0}
    assert configuration["DefaultGrantValidity"] == 0 and configuration["SessionPoolSize"] == 0
    assert configuration["OpenApiUi"] == ""
    assert configuration["CertificateConfiguration"] == {"AttemptSIDExtensionBeforeSourceField": False, "SourceField": "",
                                                         "AuthorizedIssuerDns": []}
    assert not any(configuration[name] for name in ("AuthorizeByPassword", "AuthorizeByCertificate", "AuthorizeByIntegrated",
                                                    "AuthorizeByJwt", "AuthorizeDevice", "RefreshEndpointEnabled",
                                                    "DefaultGrantRefreshable"))
    # and it takes effect: password sign-in was left out, so it is off now
    refused(api.authorize("svc-ansible"), "AuthorizeByPassword")


def test_null_fields_take_their_defaults(api, admin):
    configuration = dict(SEEDED, DefaultGrantRefreshable=None, OpenApiUi=None, JwtConfiguration=None)
    assert set_settings(api, admin, configuration)["Success"] is True
    stored = settings(api, admin)
    assert stored["DefaultGrantRefreshable"] is False and stored["OpenApiUi"] == ""
    assert stored["JwtConfiguration"]["ClockSkew"] == 0


def test_unknown_keys_are_dropped(api, admin):
    configuration = copy.deepcopy(SEEDED)
    configuration["NotATppSetting"] = 1
    configuration["JwtConfiguration"]["Extra"] = "x"
    assert set_settings(api, admin, configuration)["Success"] is True
    assert settings(api, admin) == SEEDED


@pytest.mark.parametrize("changes, named", [
    ({"DefaultAccessTokenValidity": -1}, "Configuration.DefaultAccessTokenValidity"),
    ({"DefaultAccessTokenValidity": 0}, "Configuration.DefaultAccessTokenValidity"),
    ({"DefaultAccessTokenValidity": "3600"}, "Configuration.DefaultAccessTokenValidity"),
    ({"DefaultGrantValidity": 2 ** 31}, "Configuration.DefaultGrantValidity"),
    ({"UnusedAccessTokenExpiration": 1.5}, "Configuration.UnusedAccessTokenExpiration"),
    ({"SessionPoolSize": True}, "Configuration.SessionPoolSize"),
    ({"AuthorizeByPassword": "false"}, "Configuration.AuthorizeByPassword"),
    ({"OpenApiUi": 3}, "Configuration.OpenApiUi"),
    ({"CertificateConfiguration": {"AuthorizedIssuerDns": "one"}}, "Configuration.CertificateConfiguration.AuthorizedIssuerDns"),
    ({"CertificateConfiguration": {"AuthorizedIssuerDns": [1]}}, "Configuration.CertificateConfiguration.AuthorizedIssuerDns"),
    ({"JwtConfiguration": []}, "Configuration.JwtConfiguration"),
    ({"JwtConfiguration": {"ClockSkew": -5}}, "Configuration.JwtConfiguration.ClockSkew"),
    ({"JwtConfiguration": {"CacheConfiguration": {"NoHttps": 1}}}, "Configuration.JwtConfiguration.CacheConfiguration.NoHttps"),
])
def test_set_configuration_refuses_bad_values(api, admin, changes, named):
    configuration = copy.deepcopy(SEEDED)
    configuration.update(changes)
    result = set_settings(api, admin, configuration)
    assert result["Success"] is False and result["Result"] == 6, result
    assert result["Error"].startswith(named + " must be"), result
    assert settings(api, admin) == SEEDED


# {"Configuration": {}} leaves DefaultAccessTokenValidity out: its type default, 0, is no lifetime.
@pytest.mark.parametrize("body", [{}, {"Configuration": None}, {"Configuration": "x"}, {"configuration": SEEDED}, {"Configuration": {}}])
def test_set_configuration_needs_the_object(api, admin, body):
    result = api.oauth("SetConfiguration", body, admin)
    assert result["Success"] is False and result["Result"] == 6, result
    assert settings(api, admin) == SEEDED


# ---- lifetimes --------------------------------------------------------------------------------

def test_global_lifetimes_drive_the_tokens(api, admin):
    change(api, admin, DefaultAccessTokenValidity=3600, DefaultGrantValidity=2 * DAY, DefaultGrantRefreshable=False)
    now = api.now()
    body = api.token()
    assert body["expires_in"] == 3599
    assert abs(body["expires"] - (now + 3600)) <= 2
    assert abs(body["refresh_until"] - (now + 2 * DAY)) <= 2
    assert "refresh_token" not in body
    assert api.verify(body["access_token"]).json()["valid_for"] == 3600


def test_refreshable_default_on_gives_refresh_tokens_again(api, admin):
    change(api, admin, DefaultGrantRefreshable=False)
    assert "refresh_token" not in api.token()
    change(api, admin, DefaultGrantRefreshable=True)
    assert "refresh_token" in api.token()


def test_an_integrations_own_lifetimes_beat_the_globals(api, admin):
    change(api, admin, DefaultAccessTokenValidity=3600, DefaultGrantValidity=2 * DAY, DefaultGrantRefreshable=False)
    created = api.oauth("CreateApplication", {
        "ApplicationId": "own-lifetimes", "Name": "Own", "Vendor": "", "Description": "", "Url": "", "Scope": "certificate:manage",
        "MaximumScope": "certificate:manage", "AccessValidity": 600, "Renewable": True}, admin)
    assert created["Success"] is True, created
    rule = api.oauth("CreateRule", {"ApplicationId": "own-lifetimes", "TrusteePrefixedUniversal": SVC_ID, "MaximumScope": "",
                                    "GrantValidity": 1200}, admin)
    assert rule["Success"] is True, rule
    now = api.now()
    body = api.token(client_id="own-lifetimes")
    assert body["expires_in"] == 599 and "refresh_token" in body
    assert abs(body["refresh_until"] - (now + 1200)) <= 2


def test_a_default_grant_validity_of_zero_issues_grants_that_never_expire(api, admin):
    change(api, admin, DefaultGrantValidity=0)
    body = api.token()
    assert "refresh_until" not in body and "refresh_token" in body and body["expires_in"] == ACCESS_VALIDITY - 1
    verified = api.verify(body["access_token"]).json()
    assert verified["expires"] is None and verified["expires_unix_time"] == 0 and "expires_ISO8601" not in verified
    api.advance(20 * 365 * DAY)
    refreshed = api.refresh(body["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert "refresh_until" not in refreshed.json()
    assert api.verify(refreshed.json()["access_token"]).json()["expires"] is None


def test_settings_do_not_change_tokens_already_issued(api, admin):
    before = api.token()
    change(api, admin, DefaultAccessTokenValidity=60)
    after = api.token()
    api.advance(61)
    assert api.is_valid(before["access_token"])
    assert not api.is_valid(after["access_token"])


# ---- authorization methods --------------------------------------------------------------------

def by_password(api):
    return api.authorize("svc-ansible")


def by_certificate(api):
    clients = Path(api.workdir) / "clients"
    cert = (str(clients / "svc-ansible.pem"), str(clients / "svc-ansible.key"))
    with requests.Session() as session:
        return api.post("/vedauth/authorize/certificate", BODY, cert=cert, session=session)


def by_jwt(api):
    now = int(api.now())
    claims = {"iss": JWT_ISSUER, "aud": api.url + "/vedauth", "sub": "svc-ansible", "iat": now, "nbf": now, "exp": now + 300}
    token = emulator_jwt.mint((Path(api.workdir) / "jwt" / "signing-key.pem").read_bytes(), claims)
    return api.post("/vedauth/authorize/jwt", dict(BODY, jwt=token))


def by_windows(api):
    with requests.Session() as session:
        return api.post("/vedauth/authorize/integrated", BODY, auth=HttpNtlmAuth(WIN_USER, WIN_PASSWORD), session=session)


METHODS = {"AuthorizeByPassword": by_password, "AuthorizeByCertificate": by_certificate, "AuthorizeByJwt": by_jwt,
           "AuthorizeByIntegrated": by_windows}


@pytest.mark.parametrize("switch", sorted(METHODS))
def test_a_switched_off_method_refuses_while_the_others_work(api, admin, switch):
    change(api, admin, **{switch: False})
    refused(METHODS[switch](api), switch)
    for other, sign_in in METHODS.items():
        if other != switch:
            response = sign_in(api)
            assert response.status_code == 200, (other, response.status_code, response.text)
    change(api, admin, **{switch: True})
    assert METHODS[switch](api).status_code == 200


def test_the_switch_comes_before_the_request_checks(api, admin):
    change(api, admin, AuthorizeByPassword=False)
    refused(api.post("/vedauth/authorize/oauth", {"client_id": "no-such-client"}), "AuthorizeByPassword")


def test_a_disabled_refresh_endpoint_refuses_and_keeps_the_refresh_token(api, admin):
    body = api.token()
    change(api, admin, RefreshEndpointEnabled=False)
    refused(api.refresh(body["refresh_token"]), "RefreshEndpointEnabled")
    assert api.is_valid(body["access_token"])
    change(api, admin, RefreshEndpointEnabled=True)
    assert api.refresh(body["refresh_token"]).status_code == 200


def test_admin_calls_still_work_with_every_method_off(api, admin):
    change(api, admin, AuthorizeByPassword=False, AuthorizeByCertificate=False, AuthorizeByIntegrated=False,
           AuthorizeByJwt=False, AuthorizeDevice=False)
    assert api.oauth("GetApplications", {}, admin)["Success"] is True
    refused(api.authorize("admin", client_id=ADMIN_CLIENT, scope="admin"), "AuthorizeByPassword")


# ---- unused access tokens ---------------------------------------------------------------------

def grant_count(api, admin, client_id=SDK_CLIENT):
    return api.oauth("GrantCount", {"ApplicationId": client_id}, admin)["Count"]


def test_unused_access_token_expiration_ends_the_grant(api, admin):
    change(api, admin, DefaultAccessTokenValidity=3600, UnusedAccessTokenExpiration=600)
    kept, ended = api.token(), api.token()
    api.advance(3600 + 590)
    assert grant_count(api, admin) == 2
    assert api.refresh(kept["refresh_token"]).status_code == 200  # used in time: a fresh access token
    api.advance(20)
    assert grant_count(api, admin) == 1
    response = api.refresh(ended["refresh_token"])
    assert response.status_code == 400 and response.reason == REFRESH_INVALID, response.text


def test_unused_expiration_zero_never_ends_a_grant(api, admin):
    change(api, admin, DefaultAccessTokenValidity=3600, UnusedAccessTokenExpiration=0)
    body = api.token()
    api.advance(100 * DAY)
    assert api.refresh(body["refresh_token"]).status_code == 200


def test_an_integrations_unused_expiration_overrides_the_global_one(api, admin):
    change(api, admin, DefaultAccessTokenValidity=3600, UnusedAccessTokenExpiration=600)
    application = api.oauth("GetApplication", {"ApplicationId": SDK_CLIENT}, admin)["Applications"][0]
    updated = api.oauth("UpdateApplication", {"Application": dict(application, UnusedExpiration=7200)}, admin)
    assert updated["Success"] is True, updated
    body = api.token()
    api.advance(3600 + 3600)
    assert api.refresh(body["refresh_token"]).status_code == 200  # past the global 600 s, within the integration's 7200 s
    change(api, admin, UnusedAccessTokenExpiration=0)
    api.oauth("UpdateApplication", {"Application": dict(application, UnusedExpiration=300)}, admin)
    body = api.token()
    api.advance(3600 + 300)
    assert api.refresh(body["refresh_token"]).status_code == 400  # the integration's 300 s, though the global is off


# ---- JWT clock skew ---------------------------------------------------------------------------

def test_the_jwt_clock_skew_comes_from_the_configuration(api, admin):
    now = int(api.now())
    claims = {"iss": JWT_ISSUER, "aud": api.url + "/vedauth", "sub": "svc-ansible", "iat": now + 30, "nbf": now + 30,
              "exp": now + 300}
    token = emulator_jwt.mint((Path(api.workdir) / "jwt" / "signing-key.pem").read_bytes(), claims)
    assert api.post("/vedauth/authorize/jwt", dict(BODY, jwt=token)).status_code == 200  # within the seeded 60 s
    change(api, admin, JwtConfiguration={"ClockSkew": 10})
    response = api.post("/vedauth/authorize/jwt", dict(BODY, jwt=token))
    assert response.status_code == 400 and error_of(response)[0] == "invalid_grant", response.text
