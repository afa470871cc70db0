# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for the emulator's tests: start/stop, a validating HTTP client, seed facts."""

import base64
import datetime
import re
import sys
import uuid
from pathlib import Path

import requests

EMULATOR_DIR = Path(__file__).resolve().parents[1]
if str(EMULATOR_DIR) not in sys.path:
    sys.path.insert(0, str(EMULATOR_DIR))

# pylint: disable=wrong-import-position
import launch  # noqa: E402
from tpp_emulator.seed import DEFAULT_SEED, published  # noqa: E402

SERVE = EMULATOR_DIR / "serve.py"
MINT_JWT = EMULATOR_DIR / "mint_jwt.py"

# ---- the default seed (tests/emulator/README.md "Default seed") -------------------------------

# What serve.py publishes in DIR/seed.json about the default seed (without file paths): the credentials come from here.
SEED = published(DEFAULT_SEED)
PASSWORDS = {name: user["password"] for name, user in SEED["users"].items() if user["prefixed_name"].startswith("local:")}
WIN_USER = SEED["users"]["svc-win"]["username"]
WIN_PASSWORD = SEED["users"]["svc-win"]["password"]

ADMIN_CLIENT = "tpp-admin"
SDK_CLIENT = "vcert-sdk"
ADMIN_MAX_SCOPE = "admin:delete,recyclebin,viewlogs;configuration:delete,manage;security:delete,manage"
SDK_MAX_SCOPE = ("certificate:approve,delete,discover,manage,revoke;configuration:delete,manage;"
                 "ssh:approve,delete,discover,manage")

JWT_ISSUER = "https://idp.emulator.test"
JWT = "/vedauth/authorize/jwt"
IDP = "/_idp"

DAY = 86400
ACCESS_VALIDITY = 90 * DAY
GRANT_VALIDITY = 365 * DAY

VERSION = "24.1.0.2345"

GRANT_ISSUANCE_DENIED = "Grant issuance denied"
REFRESH_INVALID = "Grant has been revoked, has expired, or the refresh token is invalid"
CLIENT_MISMATCH = ("The client_id value being requested with the refresh token does not match "
                   "the client_id of the access token making the call")
TOKEN_INVALID = "The access token provided is expired, revoked, malformed, or invalid for other reasons"
TOKEN_MISSING = "The access token is missing"
TOKEN_FORMAT = "Invalid token format"
NOT_AUTHORIZED_INTEGRATION = "User is not authorized to use this API integration"
NOT_AUTHORIZED_SCOPE = "Failed to issue grant: User is not authorized for the requested scope"
INSUFFICIENT_RIGHTS = "The underlying user account does not have sufficient permissions for this request."
NTLM_FAILED = "Integrated Windows authentication failed"
CERT_REQUIRED = "A client certificate is required"


def insufficient_scope_text(token_scope):
    """The 403 description of /vedsdk for a token whose scope is short of the endpoint's."""
    return ("Grant rejected scope '%s'. Call POST Authorize/OAuth with the correct scope and restriction. "
            "Update the header with the new token and retry." % token_scope)


def universal_uuid(prefixed_name):
    """The stable uuid5 of a seeded identity (README: a choice of the emulator)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "tpp-emulator:" + prefixed_name))


def universal(prefixed_name):
    """The prefixed universal of a seeded identity, e.g. ``local:{<uuid5>}``."""
    prefix = prefixed_name.split(":", 1)[0]
    return "%s:{%s}" % (prefix, universal_uuid(prefixed_name))


ADMIN_ID = universal("local:admin")
SVC_ID = universal("local:svc-ansible")
JDOE_ID = universal("local:jdoe")
WIN_ID = universal("AD+corp:svc-win")
PKI_OPERATORS_ID = universal("local:PKI Operators")
EVERYONE_ID = universal("local:Everyone")

TOKEN_RE = re.compile(r"^[A-Za-z0-9+/]{22}==$")
DOTNET_DATE_RE = re.compile(r"^/Date\((\d+)\)/$")


def is_token(value):
    """A TPP token: 16 random bytes, base64, 24 characters; never a JWT."""
    if not isinstance(value, str) or not TOKEN_RE.match(value):
        return False
    return len(base64.b64decode(value, validate=True)) == 16


def dotnet_date_seconds(value):
    """Seconds of a ``/Date(ms)/`` string."""
    match = DOTNET_DATE_RE.match(value)
    assert match, "not a /Date(ms)/ value: %r" % (value,)
    return int(match.group(1)) // 1000


def iso8601_seconds(value):
    """Seconds of a ``YYYY-MM-DDTHH:MM:SSZ`` string."""
    parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    return int(parsed.replace(tzinfo=datetime.timezone.utc).timestamp())


# ---- starting and stopping the emulator -------------------------------------------------------

# The suite's fixtures and test_serve construct one, then ``start()`` it; ``stop()`` returns serve.py's exit code.
EmulatorProcess = launch.Emulator


# ---- the HTTP client --------------------------------------------------------------------------

class ResponseCheckError(AssertionError):
    """A response broke a rule that holds for every emulator response."""


class Api:
    """requests with the emulator CA passed per request and every body checked.

    This machine (like users' machines) exports REQUESTS_CA_BUNDLE, which overrides
    ``Session.verify``; only a per-request ``verify=`` is honoured, so every call passes it.
    Every response must carry a correct Content-Length and a JSON body; every body whose
    status the OpenAPI contract documents is validated against its schema (all 200s included).
    """

    def __init__(self, emulator, contract):
        self.url = emulator.url
        self.ca_path = emulator.ca_path
        self.workdir = Path(emulator.workdir)
        self.contract = contract
        self.session = requests.Session()
        self.validated = []  # (method, path, status) of validated bodies

    def close(self):
        """Close the pooled connections."""
        self.session.close()

    # -- raw --------------------------------------------------------------------------------
    def request(self, method, path, token=None, json_body=None, data=None, headers=None,
                session=None, check=True, **kwargs):
        """Send one request; ``token`` adds ``Authorization: Bearer``; ``check=False`` skips checks."""
        all_headers = dict(headers or {})
        if token is not None:
            all_headers["Authorization"] = "Bearer %s" % token
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("verify", self.ca_path)
        sender = session if session is not None else self.session
        response = sender.request(method, self.url + path, json=json_body, data=data,
                                  headers=all_headers, **kwargs)
        if check:
            self.check(method, path, response)
        return response

    def check(self, method, path, response):
        """Content-Length, JSON body, and the OpenAPI schema of the body."""
        length = response.headers.get("Content-Length")
        if length is None:
            raise ResponseCheckError("%s %s -> %s has no Content-Length" % (method, path, response.status_code))
        if int(length) != len(response.content):
            raise ResponseCheckError("%s %s -> Content-Length %s but %d bytes"
                                     % (method, path, length, len(response.content)))
        try:
            body = response.json()
        except ValueError:
            raise ResponseCheckError("%s %s -> %s body is not JSON: %r"
                                     % (method, path, response.status_code, response.content[:200])) from None
        if path.startswith(("/_emulator/", IDP + "/")):  # test-only paths, not TPP's
            return body
        status = response.status_code
        if status == 200 or self.contract.is_documented(method, path, status):
            # raises UndocumentedOperation for a 200 of an operation the contract lacks
            self.contract.validate(method, path, status, body)
            self.validated.append((method.upper(), path, status))
        return body

    def get(self, path, **kwargs):
        """GET."""
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        """POST a JSON body."""
        return self.request("POST", path, json_body=body, **kwargs)

    # -- vedauth ----------------------------------------------------------------------------
    def authorize(self, username="svc-ansible", password=None, client_id=SDK_CLIENT,
                  scope="certificate:manage", **kwargs):
        """POST /vedauth/authorize/oauth; returns the response."""
        if password is None:
            password = PASSWORDS[username.split(":")[-1].lower()]
        body = {"client_id": client_id, "username": username, "password": password, "scope": scope}
        return self.post("/vedauth/authorize/oauth", body, **kwargs)

    def token(self, username="svc-ansible", password=None, client_id=SDK_CLIENT, scope="certificate:manage"):
        """A password-grant token response (asserted 200 and fully shaped)."""
        response = self.authorize(username, password, client_id, scope)
        assert response.status_code == 200, (response.status_code, response.reason, response.text)
        body = response.json()
        self.contract.validate_component("Web_SDK_Authentication_AuthorizeOAuthResponse", body)
        return body

    def admin_token(self, scope="admin:delete"):
        """An access token of local:admin through tpp-admin."""
        return self.token("admin", client_id=ADMIN_CLIENT, scope=scope)["access_token"]

    def sdk_token(self, username="svc-ansible", scope="certificate:manage"):
        """An access token through vcert-sdk."""
        return self.token(username, client_id=SDK_CLIENT, scope=scope)["access_token"]

    def refresh(self, refresh_token, client_id=SDK_CLIENT, **kwargs):
        """POST /vedauth/authorize/token."""
        return self.post("/vedauth/authorize/token", {"client_id": client_id, "refresh_token": refresh_token}, **kwargs)

    def verify(self, token):
        """GET /vedauth/authorize/verify."""
        return self.get("/vedauth/authorize/verify", token=token)

    def revoke(self, token):
        """GET /vedauth/revoke/token."""
        return self.get("/vedauth/revoke/token", token=token)

    def is_valid(self, token):
        """True when verify answers 200, False on 401."""
        response = self.verify(token)
        assert response.status_code in (200, 401), (response.status_code, response.text)
        return response.status_code == 200

    # -- vedsdk -----------------------------------------------------------------------------
    def oauth(self, name, body, token):
        """POST /vedsdk/oauth/<name>; asserts HTTP 200 and returns the body."""
        response = self.post("/vedsdk/oauth/" + name, body, token=token)
        assert response.status_code == 200, (name, response.status_code, response.reason, response.text)
        result = response.json()
        assert isinstance(result.get("Success"), bool) and isinstance(result.get("Result"), int), result
        return result

    # -- control ----------------------------------------------------------------------------
    def control(self, method, name, body=None):
        """Call /_emulator/<name>; asserts 200 and returns the body."""
        response = self.request(method, "/_emulator/" + name, json_body=body)
        assert response.status_code == 200, (name, response.status_code, response.text)
        return response.json()

    def reset(self):
        """Restore the seed, clear grants, stats, faults and the clock offset."""
        return self.control("POST", "reset")

    def stats(self):
        """GET /_emulator/stats."""
        return self.control("GET", "stats")

    def clock(self):
        """GET /_emulator/clock."""
        return self.control("GET", "clock")

    def now(self):
        """The server clock, epoch seconds."""
        return self.clock()["now"]

    def advance(self, seconds):
        """Move the server clock forward."""
        return self.control("POST", "clock", {"advance": seconds})

    def fault(self, path, **options):
        """Inject a fault for the next requests to ``path``."""
        body = {"path": path}
        body.update(options)
        return self.control("POST", "faults", body)

    def clear_faults(self):
        """DELETE /_emulator/faults."""
        return self.control("DELETE", "faults")


def error_of(response):
    """``(error, error_description)`` of an OAuth error response."""
    body = response.json()
    return body.get("error"), body.get("error_description")


def authorize_jwt(api, token, scope="certificate:manage", client_id=SDK_CLIENT):
    """POST /vedauth/authorize/jwt."""
    return api.post(JWT, {"client_id": client_id, "jwt": token, "scope": scope})


def rejected_grant(response, *words):
    """400 invalid_grant whose description names the reason (one of ``words``, lower-case); returns the description."""
    assert response.status_code == 400, (response.status_code, response.text)
    assert response.reason == GRANT_ISSUANCE_DENIED
    code, description = error_of(response)
    assert code == "invalid_grant", response.text
    assert description and (not words or any(w in description.lower() for w in words)), description
    return description
