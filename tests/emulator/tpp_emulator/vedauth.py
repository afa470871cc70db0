"""The /vedauth endpoints: the four authorize methods, refresh, verify, revoke and isAuthServer."""

from . import jwt_signin, scopes
from .web import INVALID_TOKEN, Response, date_fields, fail

DENIED = "Grant issuance denied"
REFRESH_DENIED = "Grant has been revoked, has expired, or the refresh token is invalid"
CLIENT_MISMATCH = ("The client_id value being requested with the refresh token does not match the client_id of the access token "
                   "making the call")
SCOPE_DENIED = "Failed to issue grant: User is not authorized for the requested scope"
NOT_ALLOWED = "User is not authorized to use this API integration"
METHOD_DISABLED = "This authorization method is disabled on this server (%s is false)"


def _deny(error, description):
    fail(400, error, description, DENIED)


def _fields(request, names):
    """The JSON body, with every field in ``names`` a non-empty string (else 400 invalid_request)."""
    body = request.json_object()
    if body is None:
        _deny("invalid_request", "The request body must be a JSON object")
    for name in names:
        value = body.get(name)
        if not isinstance(value, str) or not value:
            _deny("invalid_request", "The '%s' parameter is required" % name)
    return body


def _requested_scope(text, application):
    """The parsed requested scope, which must lie within the integration's MaximumScope."""
    try:
        requested = scopes.parse(text)
    except scopes.ScopeError as error:
        _deny("invalid_scope", str(error))
    if not requested:
        _deny("invalid_scope", "The scope '%s' names no scope" % text)
    beyond = scopes.excess(requested, scopes.parse(application["MaximumScope"]))
    if beyond:
        _deny("invalid_scope", "The scope '%s' is beyond the maximum scope of API integration '%s'" % (scopes.render(beyond), application["ID"]))
    return requested


def _permitting_rule(store, application, identity, requested):
    """The rule that lets ``identity`` have ``requested``; a direct rule is preferred over a team's."""
    rules = store.rules.list(application["ID"], store.identities.trustees_of(identity))
    if not rules:
        _deny("unauthorized_client", NOT_ALLOWED)
    application_scope = scopes.parse(application["MaximumScope"])
    rules.sort(key=lambda rule: rule["TrusteePrefixedUniversal"].lower() != identity.prefixed_universal.lower())
    for rule in rules:
        allowed = scopes.parse(rule["MaximumScope"]) if rule["MaximumScope"] else application_scope
        if scopes.is_subset(requested, allowed):
            return rule
    fail(403, "invalid_scope", SCOPE_DENIED, SCOPE_DENIED)


def _lifetimes(application, rule, settings):
    """(access seconds, grant seconds, renewable): the rule's setting, else the integration's, else the global default.
    A global DefaultGrantValidity of 0 is a grant that never expires (None)."""
    def setting(name, default):
        return next((source[name] for source in (rule, application) if source.get(name) is not None), default)
    return (setting("AccessValidity", settings["DefaultAccessTokenValidity"]),
            setting("GrantValidity", settings["DefaultGrantValidity"] or None), setting("Renewable", settings["DefaultGrantRefreshable"]))


def token_body(grant):
    """The token response of a grant, in TPP's alphabetical field order."""
    body = {"access_token": grant.access_token, "expires": int(grant.access_expires), "expires_in": grant.valid_for - 1,
            "identity": grant.identity}
    if grant.refresh_token:
        body["refresh_token"] = grant.refresh_token
    if grant.refresh_until is not None:  # a grant that never expires has no refresh_until (choice)
        body["refresh_until"] = int(grant.refresh_until)
    body.update(scope=grant.scope, token_type="Bearer")
    return body


def registered_application(store, client_id):
    """The integration of ``client_id``; 400 invalid_client when there is none."""
    application = store.applications.get(client_id)
    if application is None:
        _deny("invalid_client", "The client_id '%s' is not a registered API integration" % client_id)
    return application


def issue_grant(store, application, identity, scope, count=1):
    """The steps after authentication (the scope, then the rule that allows it) and the grant through that rule;
    ``count`` grants alike for the control API's bulk issue. Returns the last one."""
    requested = _requested_scope(scope, application)
    rule = _permitting_rule(store, application, identity, requested)
    grant = (application["ID"], identity.prefixed_universal, rule["TrusteePrefixedUniversal"], scopes.render(requested),
             _lifetimes(application, rule, store.oauth_configuration()))
    return [store.grants.issue(*grant) for dummy in range(count)][-1]


def _authorize(request, switch, required, authenticate):
    """The steps every authorize method shares, in the README's order; ``switch`` is the setting that turns the method
    on, ``authenticate`` maps the request to a user."""
    if not request.store.oauth_configuration()[switch]:
        _deny("unauthorized_client", METHOD_DISABLED % switch)
    body = _fields(request, ("client_id",) + required + ("scope",))
    application = registered_application(request.store, body["client_id"])
    identity = authenticate(request, body)
    return Response(200, token_body(issue_grant(request.store, application, identity, body["scope"])))


def _password_user(request, body):
    identity = request.store.identities.check_password(body["username"], body["password"])
    if identity is None:
        _deny("invalid_grant", "Username or password is invalid")
    return identity


def _certificate_user(request, body):
    if request.client_cn is None:
        _deny("invalid_grant", "A client certificate is required")
    identity = request.store.identities.by_certificate_cn(request.client_cn)
    if identity is None:
        _deny("invalid_grant", "The client certificate CN=%s does not map to an identity" % request.client_cn)
    return identity


def _jwt_user(request, body):
    try:
        return jwt_signin.authenticate(request.store, body["jwt"])
    except jwt_signin.JwtError as error:
        _deny("invalid_grant", str(error))


def authorize_oauth(request):
    return _authorize(request, "AuthorizeByPassword", ("username", "password"), _password_user)


def authorize_certificate(request):
    return _authorize(request, "AuthorizeByCertificate", (), _certificate_user)


def authorize_jwt(request):
    return _authorize(request, "AuthorizeByJwt", ("jwt",), _jwt_user)


def authorize_integrated(request):
    """Windows integrated authentication: the server's NTLM handshake comes first, then the usual steps."""
    principal = request.windows_user()

    def windows_user(request, body):
        identity = request.store.identities.windows_user(principal)
        if identity is None:
            _deny("invalid_grant", "The Windows user %s does not map to an identity" % principal)
        return identity
    return _authorize(request, "AuthorizeByIntegrated", (), windows_user)


def authorize_token(request):
    """Refresh: rotate both tokens of the grant; a refresh token works once."""
    if not request.store.oauth_configuration()["RefreshEndpointEnabled"]:
        _deny("unauthorized_client", METHOD_DISABLED % "RefreshEndpointEnabled")
    body = _fields(request, ("client_id", "refresh_token"))
    grant, problem = request.store.grants.refresh(body["client_id"], body["refresh_token"])
    if problem == "client-mismatch":
        _deny("invalid_grant", CLIENT_MISMATCH)
    if grant is None:
        fail(400, "invalid_grant", REFRESH_DENIED, REFRESH_DENIED)
    return Response(200, token_body(grant))


def _date_forms(name, moment):
    return date_fields(name, moment, "_ISO8601", "_unix_time")


def authorize_verify(request):
    token = request.bearer_token()
    grant = request.store.grants.by_access_token(token) if token else None
    if grant is None:
        fail(401, "invalid_token", INVALID_TOKEN)
    body = _date_forms("access_issued_on", grant.access_issued_on)
    body["application"] = grant.application
    body.update(_date_forms("expires", grant.refresh_until))
    body.update(_date_forms("grant_issued_on", grant.grant_issued_on))
    body.update(identity=grant.identity, scope=grant.scope, valid_for=grant.valid_for)
    return Response(200, body, "Token is valid")


def revoke_token(request):
    """Revoke the caller's whole grant (access and refresh token)."""
    if request.headers.get("Authorization") is None:
        return Response(202, {}, "Token not found")
    token = request.bearer_token()
    grant = request.store.grants.revoke_access_token(token) if token else None
    if grant is None:
        fail(401, "invalid_token", INVALID_TOKEN)
    return Response(200, {}, "Grant for identity %s with scope %s has been revoked" % (grant.identity, grant.scope))


def is_auth_server(request):
    return Response(202, {}, "Venafi Authentication Server")


ROUTES = {
    ("POST", "/vedauth/authorize/oauth"): authorize_oauth,
    ("POST", "/vedauth/authorize/integrated"): authorize_integrated,
    ("POST", "/vedauth/authorize/certificate"): authorize_certificate,
    ("POST", "/vedauth/authorize/jwt"): authorize_jwt,
    ("POST", "/vedauth/authorize/token"): authorize_token,
    ("GET", "/vedauth/authorize/verify"): authorize_verify,
    ("GET", "/vedauth/revoke/token"): revoke_token,
    ("GET", "/vedauth/authorize/isauthserver"): is_auth_server,
}
