"""Request and response types, and the pieces every endpoint family shares: error envelopes, JSON body, TPP's date forms,
bearer check."""

import dataclasses
import datetime
import json
import re
from typing import Callable, Optional

from . import scopes

TOKEN_FORMAT = re.compile(r"^[A-Za-z0-9+/]{22}==$")
INVALID_TOKEN = "The access token provided is expired, revoked, malformed, or invalid for other reasons"
MALFORMED_REQUEST = "The request is missing a required parameter or is otherwise malformed."


@dataclasses.dataclass
class Response:
    """What an endpoint answers: status, JSON body, optional reason phrase and extra headers."""

    status: int
    body: dict = dataclasses.field(default_factory=dict)
    reason: Optional[str] = None
    headers: tuple = ()


class ApiError(Exception):
    """Raised by an endpoint to answer with ``response`` at once."""

    def __init__(self, response):
        super().__init__(response.reason or str(response.status))
        self.response = response


@dataclasses.dataclass
class Request:
    """One HTTP request as the endpoint modules see it."""

    method: str
    path: str
    headers: object
    body: bytes
    store: object
    control: object = None
    client_cn: Optional[str] = None
    windows_user: Optional[Callable[[], str]] = None

    def json_object(self):
        """The body as a JSON object, or None when it is not one."""
        try:
            value = json.loads(self.body or b"null")
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def bearer_token(self):
        """The bearer token of the Authorization header; None without one."""
        scheme, token = (self.headers.get("Authorization") or "").strip().partition(" ")[::2]
        return token.strip() if scheme.lower() == "bearer" else None


def date_fields(name, moment, iso_suffix, unix_suffix):
    """TPP's three renderings of an epoch moment: ``name`` .NET ``/Date(ms)/``, ``name + iso_suffix`` ISO 8601 (UTC,
    whole seconds) and ``name + unix_suffix`` Unix seconds, all truncated to the same second. A moment of None (a grant
    that never expires) is ``name`` null and Unix time 0, with no ISO 8601 form (the contract's type there is string)."""
    if moment is None:
        return {name: None, name + unix_suffix: 0}
    iso = datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {name: "/Date(%d)/" % int(moment * 1000), name + iso_suffix: iso, name + unix_suffix: int(moment)}


def oauth_error(status, error, description, reason=None, headers=()):
    """An OAuth-style error response: ``{"error", "error_description"}``."""
    return Response(status, {"error": error, "error_description": description}, reason, headers)


def fail(status, error, description, reason=None, headers=()):
    """Answer at once with an OAuth-style error."""
    raise ApiError(oauth_error(status, error, description, reason, headers))


def require_json(request):
    """The WebSDK request body as a JSON object, else 400 invalid_request."""
    body = request.json_object()
    if body is None:
        fail(400, "invalid_request", MALFORMED_REQUEST)
    return body


def require_grant(request, scope=None):
    """The grant behind a WebSDK call's bearer token, checked in TPP's order; ``scope`` None means any."""
    token = request.bearer_token()
    if not token:
        fail(401, "invalid_token", "The access token is missing")
    if not TOKEN_FORMAT.match(token):
        fail(401, "session_error", "Invalid token format")
    grant = request.store.grants.by_access_token(token)
    if grant is None:
        fail(401, "invalid_token", INVALID_TOKEN)
    if scope and not scopes.includes(grant.scope, scope):
        fail(403, "insufficient_scope", "Grant rejected scope '%s'. Call POST Authorize/OAuth with the correct scope and restriction. "
             "Update the header with the new token and retry." % grant.scope)
    return grant
