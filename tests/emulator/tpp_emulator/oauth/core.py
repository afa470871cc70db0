"""What every /vedsdk/oauth/* family shares: the admin-call wrapper, the result envelope and the field checks.

Every call needs the ``admin`` scope and the caller's rights for the operation (``check_rights``); then it answers
HTTP 200 with ``{"Success", "Result", "Error"?}``, ``Result`` being TPP's OAuthResult code. An operation is a function
of one ``Call`` that returns the fields it adds to a success, or raises ``OAuthFailure``.
"""

import dataclasses

from .. import scopes
from ..identity import identity_entry
from ..state.identities import Identity
from ..web import MALFORMED_REQUEST, Response, fail, require_grant

# TPP's OAuthResult codes (the contract's Web_SDK_Authentication_OAuthResult).
APPLICATION_NOT_FOUND = 2
GRANT_NOT_FOUND = 3
RULE_NOT_FOUND = 4
INVALID_PARAMETERS = 6
INSUFFICIENT_PRIVILEGES = 9
OBJECT_INVALID = 10
INVALID_SCOPE = 17
APPLICATION_EXISTS = 19
RULE_EXISTS = 20
JWT_MAPPING_NOT_FOUND = 21
JWT_MAPPING_EXISTS = 22
SCOPE_MISMATCH = 23

INSUFFICIENT_RIGHTS = "The underlying user account does not have sufficient permissions for this request."


class OAuthFailure(Exception):
    """An operation that fails with an OAuthResult code (still HTTP 200)."""

    def __init__(self, result, message):
        super().__init__(message)
        self.result = result
        self.message = message


@dataclasses.dataclass(frozen=True)
class Call:
    """One /vedsdk/oauth/* call as an operation sees it: its name ("CreateApplication"), the store, the JSON body and
    the identity behind the bearer token."""

    name: str
    store: object
    body: dict
    caller: Identity


def check_rights(call):
    """401 insufficient_rights unless ``call.caller`` may make ``call``: the one place that decides (today the OAuth
    Admin role, for every operation). ``call.body`` is {} when the request's body is not a JSON object."""
    if not call.caller.oauth_admin:
        fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)


def admin_call(name, operation):
    """The handler of POST /vedsdk/oauth/<name>: token and scope, the caller's rights, the body, then the envelope."""
    def handler(request):
        grant = require_grant(request, "admin")
        caller = request.store.identities.by_universal(grant.identity)
        if caller is None:
            fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)
        body = request.json_object()
        call = Call(name, request.store, body if body is not None else {}, caller)
        check_rights(call)
        if body is None:
            fail(400, "invalid_request", MALFORMED_REQUEST)
        try:
            return Response(200, dict({"Success": True, "Result": 0}, **operation(call)))
        except OAuthFailure as failure:
            return Response(200, {"Success": False, "Result": failure.result, "Error": failure.message})
    return handler


def routes(operations):
    """``{(method, path): handler}`` for a family's ``OPERATIONS`` (operation name -> function)."""
    return {("POST", "/vedsdk/oauth/" + name.lower()): admin_call(name, operation) for name, operation in operations.items()}


# -- field checks -------------------------------------------------------------------------------

def text_field(source, name, required=True):
    """A string field; a missing or empty one is "" unless ``required`` (then Result 6)."""
    value = source.get(name)
    if value is None or value == "":
        if required:
            raise OAuthFailure(INVALID_PARAMETERS, "%s is required" % name)
        return ""
    if not isinstance(value, str):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a string" % name)
    return value


def seconds_field(source, name):
    """A lifetime field: positive seconds or null."""
    value = source.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a positive number of seconds or null" % name)
    return value


def flag_field(source, name):
    """A boolean field: true, false or null."""
    value = source.get(name)
    if value is not None and not isinstance(value, bool):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be true, false or null" % name)
    return value


def validities(source):
    """AccessValidity, GrantValidity (positive seconds or null) and Renewable (bool or null)."""
    return {"AccessValidity": seconds_field(source, "AccessValidity"), "GrantValidity": seconds_field(source, "GrantValidity"),
            "Renewable": flag_field(source, "Renewable")}


def parsed_scope(text, name):
    """The parsed scope of field ``name``; Result 17 when it does not parse."""
    try:
        return scopes.parse(text)
    except scopes.ScopeError as error:
        raise OAuthFailure(INVALID_SCOPE, "%s: %s" % (name, error))


def check_within(parsed, maximum, what):
    """Result 23 unless ``parsed`` lies within ``maximum``."""
    beyond = scopes.excess(parsed, maximum)
    if beyond:
        raise OAuthFailure(SCOPE_MISMATCH, "%s exceeds the maximum scope by '%s'" % (what, scopes.render(beyond)))


def existing_application(store, application_id):
    """The integration's view; Result 2 when there is none."""
    application = store.applications.get(application_id)
    if application is None:
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application_id)
    return application


def identity_entries(store, prefixed_universals):
    """``IdentityEntries`` of a ResolveIdentities answer: one IdentityEntry (as identity/Validate returns it) per
    distinct known identity among ``prefixed_universals``, in the order they first appear (choice: the contract names
    the field but not its shape)."""
    entries, seen = [], set()
    for prefixed_universal in prefixed_universals:
        identity = store.identities.by_universal(prefixed_universal)
        if identity is not None and identity.prefixed_universal not in seen:
            seen.add(identity.prefixed_universal)
            entries.append(identity_entry(identity))
    return entries
