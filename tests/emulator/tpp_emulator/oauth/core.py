"""What every /vedsdk/oauth/* family shares: the admin-call wrapper, who may call what, the result envelope and the
field checks.

Every call needs the ``admin`` scope and the caller's OAuth role for the operation (``check_rights``, one table for
every operation); then it answers HTTP 200 with ``{"Success", "Result", "Error"?}``, ``Result`` being TPP's
OAuthResult code. An operation is a function of one ``Call`` that returns the fields it adds to a success, or raises
``OAuthFailure``.
"""

import dataclasses

from .. import scopes
from ..state.identities import Identity
from ..state.roles import ADMIN, AUDITOR, GRANT_ADMIN, MAINTAINER, OWNER, Rights
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
RIGHTS_ASSIGNMENT_ERROR = 16
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
    """One /vedsdk/oauth/* call as an operation sees it: its name ("CreateApplication"), the store, the JSON body,
    the identity behind the bearer token and what its OAuth roles let it administer."""

    name: str
    store: object
    body: dict
    caller: Identity
    rights: Rights


# -- who may call what --------------------------------------------------------------------------

READERS = (ADMIN, GRANT_ADMIN, AUDITOR)  # global roles that read every integration and rule


def _anyone(call):
    return True


def _holds(*roles):
    """Callers holding one of these global roles."""
    return lambda call: call.rights.has(*roles)


def _field(*path):
    """The body's value at ``path`` (None when absent)."""
    def locate(body):
        for name in path:
            body = body.get(name) if isinstance(body, dict) else None
        return body
    return locate


APPLICATION_ID = _field("ApplicationId")


def _on(locate, *roles):
    """Callers holding one of these roles (Owner, Maintainer) on the integration the body names."""
    def allowed(call):
        application_id = locate(call.body)
        return isinstance(application_id, str) and call.rights.role_on(application_id) in roles
    return allowed


def _listing(*roles):
    """Callers holding one of these roles on some integration (they see only those), and on the one the body names."""
    def allowed(call):
        if APPLICATION_ID(call.body):
            return _on(APPLICATION_ID, *roles)(call)
        return any(role in roles for role in dict(call.rights.applications).values())
    return allowed


def _own_grants(call):
    """A caller naming itself as GranteePrefixedUniversal (a user's own grants)."""
    grantee = call.body.get("GranteePrefixedUniversal")
    return isinstance(grantee, str) and grantee.strip().lower() == call.rights.identity.lower()


def _delegation(call):
    """An Owner giving or taking the Owner or Maintainer role of an integration it owns."""
    return call.body.get("Role") in (MAINTAINER, OWNER) and _on(APPLICATION_ID, OWNER)(call)


def _either(*checks):
    return lambda call: any(check(call) for check in checks)


_ADMIN = _holds(ADMIN)
_READ_APPLICATIONS = _either(_holds(*READERS), _listing(OWNER, MAINTAINER))
_READ_RULES = _either(_holds(*READERS), _listing(OWNER))
_READ_GRANTS = _either(_holds(*READERS), _on(APPLICATION_ID, OWNER), _own_grants)
_READ_JWT_MAPPINGS = _holds(ADMIN, AUDITOR)
_OWNER_OR_ADMIN = _either(_ADMIN, _on(APPLICATION_ID, OWNER))

# Every operation of the contract (the README's role table). Global roles (Admin, Grant Admin, Auditor) override the
# Owner and Maintainer roles; an operation missing here is for Admins only.
PERMISSIONS = {
    "GetConfiguration": _anyone,
    "SetConfiguration": _ADMIN,
    "GetScopes": _anyone,
    "GetRole": _anyone,
    "ListRoles": _either(_holds(ADMIN, AUDITOR), _listing(OWNER)),
    "GrantRole": _either(_ADMIN, _delegation),
    "RevokeRole": _either(_ADMIN, _delegation),
    "CreateApplication": _ADMIN,
    "GetApplication": _either(_holds(*READERS), _on(APPLICATION_ID, OWNER, MAINTAINER)),
    "GetApplications": _READ_APPLICATIONS,
    "EnumerateApplications": _READ_APPLICATIONS,
    "UpdateApplication": _either(_ADMIN, _on(_field("Application", "ID"), OWNER, MAINTAINER)),
    "DeleteApplication": _OWNER_OR_ADMIN,
    "CreateRule": _OWNER_OR_ADMIN,
    "GetRules": _READ_RULES,
    "EnumerateRules": _READ_RULES,
    "UpdateRule": _either(_ADMIN, _on(_field("Rule", "ApplicationId"), OWNER)),
    "DeleteRule": _OWNER_OR_ADMIN,
    "DeleteRules": _OWNER_OR_ADMIN,
    "GrantCount": _either(_holds(*READERS), _on(APPLICATION_ID, OWNER)),
    "UserCount": _either(_holds(*READERS), _on(APPLICATION_ID, OWNER)),
    "GetGrants": _READ_GRANTS,
    "EnumerateGrants": _READ_GRANTS,
    "RevokeGrants": _either(_holds(ADMIN, GRANT_ADMIN), _on(APPLICATION_ID, OWNER), _own_grants),
    "CreateJwtMapping": _ADMIN,
    "GetJwtMapping": _READ_JWT_MAPPINGS,
    "GetJwtMappings": _READ_JWT_MAPPINGS,
    "EnumerateJwtMappings": _READ_JWT_MAPPINGS,
    "UpdateJwtMapping": _ADMIN,
    "DeleteJwtMapping": _ADMIN,
}


def check_rights(call):
    """401 insufficient_rights unless ``call.caller`` may make ``call``: the one place that decides, by ``PERMISSIONS``
    (``call.body`` is {} when the request's body is not a JSON object)."""
    if not PERMISSIONS.get(call.name, _ADMIN)(call):
        fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)


def visible(call, application_id, *roles):
    """Whether a listing shows ``call``'s caller an item of ``application_id``: everything to the global readers, to
    an Owner or Maintainer only the integrations it holds one of ``roles`` on."""
    return call.rights.has(*READERS) or call.rights.role_on(application_id) in roles


def admin_call(name, operation):
    """The handler of POST /vedsdk/oauth/<name>: token and scope, the caller's rights, the body, then the envelope."""
    def handler(request):
        grant = require_grant(request, "admin")
        caller = request.store.identities.by_universal(grant.identity)
        if caller is None:
            fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)
        body = request.json_object()
        call = Call(name, request.store, body if body is not None else {}, caller, request.store.roles.rights_of(caller))
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


def application_or_identity(call, identity_field):
    """(ApplicationId or None, the ``identity_field`` universal or None) of a call about an integration, an identity
    or both: Result 6 when it names neither, 2 for an unknown integration."""
    application_id = text_field(call.body, "ApplicationId", required=False) or None
    identity = text_field(call.body, identity_field, required=False) or None
    if application_id is None and identity is None:
        raise OAuthFailure(INVALID_PARAMETERS, "ApplicationId or %s is required" % identity_field)
    if application_id is not None:
        existing_application(call.store, application_id)
    return application_id, identity


def existing_application(store, application_id):
    """The integration's view; Result 2 when there is none."""
    application = store.applications.get(application_id)
    if application is None:
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application_id)
    return application


def page(items, body, order_fields):
    """The Enumerate* page of ``items``: ordered by ``OrderBy`` (0 keeps their order; else a code of ``order_fields``,
    {code: field}, nulls first), reversed by ``Descending``, then ``Start`` items skipped (an offset, as the contract
    says) and at most ``Count`` kept (absent or 0: all)."""
    start, count = (body.get(name) for name in ("Start", "Count"))
    for name, value in (("Start", start), ("Count", count)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise OAuthFailure(INVALID_PARAMETERS, "%s must be a whole number of 0 or more" % name)
    order = body.get("OrderBy")
    order = 0 if order is None else order
    if isinstance(order, bool) or not isinstance(order, int) or (order and order not in order_fields):
        raise OAuthFailure(INVALID_PARAMETERS, "OrderBy must be 0 or one of %s here" % ", ".join(str(code) for code in sorted(order_fields)))
    descending = flag_field(body, "Descending")
    if order:
        field = order_fields[order]

        def key(item):
            value = item[field]
            return (value is not None, value.lower() if isinstance(value, str) else value)
        items = sorted(items, key=key)
    if descending:
        items = items[::-1]
    items = items[start or 0:]
    return items[:count] if count else items
