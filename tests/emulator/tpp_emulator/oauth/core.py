"""What every /vedsdk/oauth/* family shares: the admin-call wrapper, who may call what, the result envelope and the
field checks.

Every call needs the ``admin`` scope and the caller's OAuth role for the operation (``check_rights``, one table for
every operation); then it answers HTTP 200 with ``{"Success", "Result", "Error"?}``, ``Result`` being TPP's
OAuthResult code. An operation is a function of one ``Call`` that returns the fields it adds to a success, or raises
``OAuthFailure``.
"""

import dataclasses
from typing import Callable, Optional

from .. import scopes
from ..identity import identity_entry
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

READERS = (ADMIN, GRANT_ADMIN, AUDITOR)  # global roles that read every integration, rule and grant


@dataclasses.dataclass(frozen=True)
class Permission:
    """One row of ``PERMISSIONS``: ``allows(call)`` decides whether the call may be made at all; a listing (and a bulk
    revocation) then only reaches the items ``shows(rights, application_id, identity)`` accepts, an item being a
    record of an integration (and, for grants, of an identity). None: every item."""

    allows: Callable
    shows: Optional[Callable] = None


def subject(body, identity_field="GranteePrefixedUniversal"):
    """(ApplicationId, the ``identity_field`` universal) a call is about, as the operations read them: None for a field
    that is absent, null or empty, else its value as sent (the operation answers 6 for one that is not a string)."""
    return tuple(None if body.get(name) in (None, "") else body.get(name) for name in ("ApplicationId", identity_field))


def _is_caller(rights, universal):
    """Whether ``universal`` names the caller itself (universals match case-insensitively)."""
    return isinstance(universal, str) and universal.strip().lower() == rights.identity.lower()


def _anyone(call):
    return True


def _holds(*roles):
    """Callers holding one of these global roles."""
    return lambda call: call.rights.has(*roles)


def _either(*checks):
    return lambda call: any(check(call) for check in checks)


def _on(locate, *roles):
    """Callers holding one of these roles (Owner, Maintainer) on the integration ``locate(body)`` names."""
    def allowed(call):
        application_id = locate(call.body)
        return isinstance(application_id, str) and call.rights.role_on(application_id) in roles
    return allowed


def _field(*path):
    """The body's value at ``path`` (None when absent)."""
    def locate(body):
        for name in path:
            body = body.get(name) if isinstance(body, dict) else None
        return body
    return locate


def _listing(readers, roles, own=False):
    """A listing: callers holding a global role of ``readers`` see every item; callers holding one of ``roles`` on an
    integration see its items, and with ``own`` every caller sees its own items (its grants). The call is allowed when
    it can show something: an ApplicationId in the body must be one the caller holds such a role on (or, with ``own``,
    the body names the caller itself)."""
    def shows(rights, application_id, identity=None):
        return rights.has(*readers) or rights.role_on(application_id) in roles or (own and _is_caller(rights, identity))

    def allows(call):
        rights = call.rights
        application_id, identity = subject(call.body)
        if rights.has(*readers) or (own and _is_caller(rights, identity)):
            return True
        if application_id is not None:
            return isinstance(application_id, str) and rights.role_on(application_id) in roles
        return any(role in roles for role in dict(rights.applications).values())
    return Permission(allows, shows)


def _delegation(call):
    """An Owner giving or taking the Owner or Maintainer role of an integration it owns."""
    return call.body.get("Role") in (MAINTAINER, OWNER) and _on(APPLICATION_ID, OWNER)(call)


APPLICATION_ID = _field("ApplicationId")
_ADMIN = Permission(_holds(ADMIN))
_EVERYONE = Permission(_anyone)
_OWNER_OR_ADMIN = Permission(_either(_holds(ADMIN), _on(APPLICATION_ID, OWNER)))
_READ_OWN = Permission(_either(_holds(*READERS), _on(APPLICATION_ID, OWNER)))
_READ_APPLICATIONS = _listing(READERS, (OWNER, MAINTAINER))
_READ_RULES = _listing(READERS, (OWNER,))
_READ_GRANTS = _listing(READERS, (OWNER,), own=True)
_READ_JWT_MAPPINGS = Permission(_holds(ADMIN, AUDITOR))

# Every operation of the contract (the README's role table). Global roles (Admin, Grant Admin, Auditor) override the
# Owner and Maintainer roles.
PERMISSIONS = {
    "GetConfiguration": _EVERYONE,
    "SetConfiguration": _ADMIN,
    "GetScopes": _EVERYONE,
    "GetRole": _EVERYONE,
    "ListRoles": _listing((ADMIN, AUDITOR), (OWNER,)),
    "GrantRole": Permission(_either(_holds(ADMIN), _delegation)),
    "RevokeRole": Permission(_either(_holds(ADMIN), _delegation)),
    "CreateApplication": _ADMIN,
    "GetApplication": Permission(_either(_holds(*READERS), _on(APPLICATION_ID, OWNER, MAINTAINER))),
    "GetApplications": _READ_APPLICATIONS,
    "EnumerateApplications": _READ_APPLICATIONS,
    "UpdateApplication": Permission(_either(_holds(ADMIN), _on(_field("Application", "ID"), OWNER, MAINTAINER))),
    "DeleteApplication": _OWNER_OR_ADMIN,
    "CreateRule": _OWNER_OR_ADMIN,
    "GetRules": _READ_RULES,
    "EnumerateRules": _READ_RULES,
    "UpdateRule": Permission(_either(_holds(ADMIN), _on(_field("Rule", "ApplicationId"), OWNER))),
    "DeleteRule": _OWNER_OR_ADMIN,
    "DeleteRules": _OWNER_OR_ADMIN,
    "GrantCount": _READ_OWN,
    "UserCount": _READ_OWN,
    "GetGrants": _READ_GRANTS,
    "EnumerateGrants": _READ_GRANTS,
    "RevokeGrants": _listing((ADMIN, GRANT_ADMIN), (OWNER,), own=True),
    "CreateJwtMapping": _ADMIN,
    "GetJwtMapping": _READ_JWT_MAPPINGS,
    "GetJwtMappings": _READ_JWT_MAPPINGS,
    "EnumerateJwtMappings": _READ_JWT_MAPPINGS,
    "UpdateJwtMapping": _ADMIN,
    "DeleteJwtMapping": _ADMIN,
}

# The operations that change TPP's state (the rest only read it).
WRITES = ("SetConfiguration", "GrantRole", "RevokeRole", "CreateApplication", "UpdateApplication", "DeleteApplication",
          "CreateRule", "UpdateRule", "DeleteRule", "DeleteRules", "RevokeGrants", "CreateJwtMapping", "UpdateJwtMapping",
          "DeleteJwtMapping")


def check_rights(call):
    """401 insufficient_rights unless ``call.caller`` may make ``call``: the one place that decides, by ``PERMISSIONS``
    (``call.body`` is {} when the request's body is not a JSON object; an operation without a row: Admins only)."""
    if not PERMISSIONS.get(call.name, _ADMIN).allows(call):
        fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)


def shown(call, application_id, identity=None):
    """Whether ``call``'s listing (or bulk revocation) reaches an item of ``application_id`` (and ``identity``), by the
    ``shows`` of its row in ``PERMISSIONS``."""
    shows = PERMISSIONS.get(call.name, _ADMIN).shows
    return shows is None or shows(call.rights, application_id, identity)


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
    or both, read as ``subject`` reads them: Result 6 for a field that is not a string or when it names neither, 2 for
    an unknown integration."""
    for name in ("ApplicationId", identity_field):
        text_field(call.body, name, required=False)
    application_id, identity = subject(call.body, identity_field)
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


# -- listings -----------------------------------------------------------------------------------

def by_field(name):
    """An ordering of records by their field ``name``: null first, text case-insensitively."""
    def key(record):
        value = record[name]
        return value is not None, value.lower() if isinstance(value, str) else value
    return key


def _whole_number(body, name):
    """Start or Count: a whole number of 0 or more; absent or null is 0."""
    value = body.get(name)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a whole number of 0 or more" % name)
    return value


def paging(body, orderings):
    """The page an Enumerate*/Get* listing asks for, checked (Result 6 for a bad value), as a function of the full list
    (in its natural order) that returns the page. ``orderings`` are the operation's ``OrderBy`` codes besides 0, {code:
    sort key}: 0 (also absent or null) keeps the natural order, another code sorts by its key with ties in the natural
    order; ``Descending`` reverses the whole order; then ``Start`` items are skipped (an offset, as the contract says)
    and at most ``Count`` kept (absent, null or 0: all the rest)."""
    start, count = _whole_number(body, "Start"), _whole_number(body, "Count")
    order = body.get("OrderBy")
    codes = (0,) + tuple(sorted(orderings))
    if order is not None and (isinstance(order, bool) or not isinstance(order, int) or order not in codes):
        raise OAuthFailure(INVALID_PARAMETERS, "OrderBy must be one of %s here" % ", ".join(map(str, codes)))
    key, descending = orderings.get(order), flag_field(body, "Descending")

    def page(items):
        items = sorted(items, key=key) if key else list(items)
        if descending:
            items.reverse()
        return items[start:start + count] if count else items[start:]
    return page


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


def resolved(call, answer, prefixed_universals):
    """``answer``, with ``IdentityEntries`` of ``prefixed_universals`` when the body asks to ResolveIdentities (true,
    false or null; else Result 6)."""
    if flag_field(call.body, "ResolveIdentities"):
        return dict(answer, IdentityEntries=identity_entries(call.store, prefixed_universals))
    return answer
