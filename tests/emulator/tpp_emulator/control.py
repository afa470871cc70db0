"""The /_emulator/ control API for tests: stats, clock, faults, reset (of the control plane and the store) and grants
issued in bulk.

The server answers it for loopback clients only and never counts it in the stats.
"""

from . import vedauth
from .control_plane import Fault
from .web import Response, fail, require_json

PREFIX = "/_emulator/"
MAX_GRANTS = 10000


def _number(body, name, default, minimum, kinds=(int, float)):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, kinds) or value < minimum:
        fail(400, "invalid_request", "'%s' must be a number not below %s" % (name, minimum))
    return value


def stats(request):
    return Response(200, {"requests": request.control.requests(), "active_grants": request.store.grants.active_count()})


def get_clock(request):
    return Response(200, request.control.clock.state())


def advance_clock(request):
    seconds = _number(require_json(request), "advance", None, 0)
    return Response(200, request.control.clock.advance(seconds))


def _fault_status(body):
    status = body.get("status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        fail(400, "invalid_request", "'status' must be an HTTP status code")
    return status


def add_fault(request):
    body = require_json(request)
    path = body.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        fail(400, "invalid_request", "'path' must be a request path such as /vedauth/authorize/oauth")
    drop = body.get("drop", False)
    if not isinstance(drop, bool):
        fail(400, "invalid_request", "'drop' must be true or false")
    fault = Fault(path=path.lower(), remaining=_number(body, "count", 1, 1, (int,)), status=_fault_status(body),
                  delay=float(_number(body, "delay", 0, 0)), drop=drop)
    return Response(200, {"faults": request.control.add_fault(fault)})


def clear_faults(request):
    request.control.clear_faults()
    return Response(200, {})


def _text(body, name, required=True):
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        fail(400, "invalid_request", "'%s' must be a non-empty string" % name)
    return value


def issue_grants(request):
    """``count`` real grants of ``identity`` (a user's log-in name or prefixed universal) on ``client_id``, through the
    authorization's own steps after authentication (scope, rule, lifetimes, checked once); ``scope`` defaults to the
    integration's."""
    body = require_json(request)
    store = request.store
    application = vedauth.registered_application(store, _text(body, "client_id"))
    name = _text(body, "identity")
    user = store.identities.find(name) or store.identities.by_universal(name)
    if user is None or user.is_group:
        fail(400, "invalid_request", "'identity' must name a user (log-in name or prefixed universal): %s" % name)
    count = _number(body, "count", 1, 1, (int,))
    if count > MAX_GRANTS:
        fail(400, "invalid_request", "'count' must not exceed %d" % MAX_GRANTS)
    scope = _text(body, "scope", required=False) or application["Scope"]
    vedauth.issue_grant(store, application, user, scope, count)
    return Response(200, {"issued": count, "active_grants": store.grants.active_count()})


def reset(request):
    request.control.reset()
    request.store.reset()
    return Response(200, {})


ROUTES = {
    ("GET", "/_emulator/stats"): stats,
    ("GET", "/_emulator/clock"): get_clock,
    ("POST", "/_emulator/clock"): advance_clock,
    ("POST", "/_emulator/faults"): add_fault,
    ("DELETE", "/_emulator/faults"): clear_faults,
    ("POST", "/_emulator/reset"): reset,
    ("POST", "/_emulator/grants"): issue_grants,
}
