"""The /vedsdk/oauth/* grant-management endpoints: integrations (applications), rules and grants.

Every call needs the ``admin`` scope and the OAuth Admin role; then it answers HTTP 200 with
``{"Success", "Result", "Error"?}``, ``Result`` being TPP's OAuthResult code.
"""

from . import scopes
from .identity import identity_entry
from .web import Response, fail, require_grant, require_json

APPLICATION_NOT_FOUND = 2
RULE_NOT_FOUND = 4
INVALID_PARAMETERS = 6
OBJECT_INVALID = 10
INVALID_SCOPE = 17
APPLICATION_EXISTS = 19
RULE_EXISTS = 20
SCOPE_MISMATCH = 23

CREATE_NON_EMPTY = ("Name", "MaximumScope")
INSUFFICIENT_RIGHTS = "The underlying user account does not have sufficient permissions for this request."


class OAuthFailure(Exception):
    """An operation that fails with an OAuthResult code (still HTTP 200)."""

    def __init__(self, result, message):
        super().__init__(message)
        self.result = result
        self.message = message


def _succeeded(**fields):
    return dict({"Success": True, "Result": 0}, **fields)


def _admin_call(operation):
    """Wrap ``operation(store, body) -> fields`` with the token, scope and role checks and the result envelope."""
    def handler(request):
        grant = require_grant(request, "admin")
        caller = request.store.find_by_universal(grant.identity)
        if caller is None or not caller.oauth_admin:
            fail(401, "insufficient_rights", INSUFFICIENT_RIGHTS)
        body = require_json(request)
        try:
            return Response(200, _succeeded(**operation(request.store, body)))
        except OAuthFailure as failure:
            return Response(200, {"Success": False, "Result": failure.result, "Error": failure.message})
    return handler


# -- field checks -------------------------------------------------------------------------------

def _text(source, name, required=True):
    value = source.get(name)
    if value is None or value == "":
        if required:
            raise OAuthFailure(INVALID_PARAMETERS, "%s is required" % name)
        return ""
    if not isinstance(value, str):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a string" % name)
    return value


def _seconds(source, name):
    """A lifetime field: positive seconds or null."""
    value = source.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be a positive number of seconds or null" % name)
    return value


def _flag(source, name):
    """A boolean field: true, false or null."""
    value = source.get(name)
    if value is not None and not isinstance(value, bool):
        raise OAuthFailure(INVALID_PARAMETERS, "%s must be true, false or null" % name)
    return value


def _validities(source):
    """AccessValidity, GrantValidity (positive seconds or null) and Renewable (bool or null)."""
    return {"AccessValidity": _seconds(source, "AccessValidity"), "GrantValidity": _seconds(source, "GrantValidity"),
            "Renewable": _flag(source, "Renewable")}


def _parsed_scope(text, name):
    try:
        return scopes.parse(text)
    except scopes.ScopeError as error:
        raise OAuthFailure(INVALID_SCOPE, "%s: %s" % (name, error))


def _within(parsed, maximum, what):
    beyond = scopes.excess(parsed, maximum)
    if beyond:
        raise OAuthFailure(SCOPE_MISMATCH, "%s exceeds the maximum scope by '%s'" % (what, scopes.render(beyond)))


# -- applications -------------------------------------------------------------------------------

def _application_input(source, identifier, strict):
    """An application record from request fields; ``strict`` (create) requires every text field."""
    maximum_field = "MaxScope" if "MaximumScope" not in source and "MaxScope" in source else "MaximumScope"
    record = {"ID": identifier}
    for name in ("Name", "Vendor", "Description", "Url", "Scope", "MaximumScope"):
        field = maximum_field if name == "MaximumScope" else name
        if strict and source.get(field) is None:
            raise OAuthFailure(INVALID_PARAMETERS, "%s is required" % name)
        record[name] = _text(source, field, required=strict and name in CREATE_NON_EMPTY)
    record.update(_validities(source))
    maximum = _parsed_scope(record["MaximumScope"], "MaximumScope")
    minimum = _parsed_scope(record["Scope"], "Scope")
    _within(minimum, maximum, "Scope")
    record.update(Scope=scopes.render(minimum), MaximumScope=scopes.render(maximum))
    return record


def _existing_application(store, application_id):
    application = store.get_application(application_id)
    if application is None:
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application_id)
    return application


def create_application(store, body):
    record = _application_input(body, _text(body, "ApplicationId"), strict=True)
    if not store.add_application(record):
        raise OAuthFailure(APPLICATION_EXISTS, "Application '%s' already exists" % record["ID"])
    return {"Application": store.get_application(record["ID"])}


def get_application(store, body):
    return {"Applications": [_existing_application(store, _text(body, "ApplicationId"))]}


def get_applications(store, body):
    text = _text(body, "Filter", required=False).lower()
    wanted = body.get("ApplicationIds")
    found = [application for application in store.list_applications()
             if (text in application["ID"].lower() or text in application["Name"].lower())
             and (not isinstance(wanted, list) or application["ID"] in wanted)]
    return {"Applications": found}


def update_application(store, body):
    source = body.get("Application")
    source = source if isinstance(source, dict) else {}
    record = _application_input(source, _text(source, "ID"), strict=False)
    # Only the update carries it: the contract's CreateApplication request has no UnusedExpiration, so a new
    # integration starts without one (null), like an unknown parameter on create.
    record["UnusedExpiration"] = _seconds(source, "UnusedExpiration")
    if not store.replace_application(record):
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % record["ID"])
    return {}


def delete_application(store, body):
    application_id = _text(body, "ApplicationId")
    if not store.delete_application(application_id):
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application_id)
    return {}


# -- rules --------------------------------------------------------------------------------------

def _rule_input(source, application, trustee):
    """A rule record; its MaximumScope (empty = the whole integration) must lie within the integration's."""
    maximum = _parsed_scope(_text(source, "MaximumScope", required=False), "MaximumScope")
    _within(maximum, scopes.parse(application["MaximumScope"]), "The rule's MaximumScope")
    record = {"ApplicationId": application["ID"], "TrusteePrefixedUniversal": trustee,
              "Description": _text(source, "Description", required=False), "MaximumScope": scopes.render(maximum)}
    record.update(_validities(source))
    return record


def create_rule(store, body):
    application = _existing_application(store, _text(body, "ApplicationId"))
    trustee_text = _text(body, "TrusteePrefixedUniversal")
    trustee = store.find_by_universal(trustee_text)
    if trustee is None:
        raise OAuthFailure(OBJECT_INVALID, "Trustee '%s' is not a known identity" % trustee_text)
    record = _rule_input(body, application, trustee.prefixed_universal)
    outcome = store.add_rule(record)
    if outcome == "no-application":
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application["ID"])
    if outcome == "exists":
        raise OAuthFailure(RULE_EXISTS, "A rule for '%s' on application '%s' already exists" % (trustee_text, application["ID"]))
    return {"Rule": record}


def _trustee_filter(body):
    wanted = [body.get("TrusteePrefixedUniversal")]
    if isinstance(body.get("TrusteePrefixedUniversals"), list):
        wanted.extend(body["TrusteePrefixedUniversals"])
    wanted = {value.lower() for value in wanted if isinstance(value, str) and value}
    return wanted or None


def _rule_filter(body):
    """GetRules' MaximumScope, Renewable and NoExpire criteria as a predicate; a rule must match all of them.

    MaximumScope matches the rule's scope exactly, both normalised; Renewable matches the rule's own setting, so
    rules without one are left out (as the EnumerateRules page says); NoExpire true finds rules without a grant
    validity of their own, false those with one (choice: the contract says only "rules that don't expire").
    """
    text = _text(body, "MaximumScope", required=False)
    maximum = scopes.render(_parsed_scope(text, "MaximumScope")) if text else None
    renewable, no_expire = _flag(body, "Renewable"), _flag(body, "NoExpire")

    def matches(rule):
        return ((maximum is None or rule["MaximumScope"] == maximum)
                and (renewable is None or rule["Renewable"] is renewable)
                and (no_expire is None or (rule["GrantValidity"] is None) is no_expire))
    return matches


def get_rules(store, body):
    application_id = body.get("ApplicationId") or None
    matches = _rule_filter(body)
    rules = [rule for rule in store.list_rules(application_id, _trustee_filter(body)) if matches(rule)]
    if body.get("ResolveIdentities") is not True:
        return {"Rules": rules}
    # (choice) IdentityEntries: one IdentityEntry (as identity/Validate returns it) per distinct known trustee.
    entries, seen = [], set()
    for rule in rules:
        trustee = store.find_by_universal(rule["TrusteePrefixedUniversal"])
        if trustee is not None and trustee.prefixed_universal not in seen:
            seen.add(trustee.prefixed_universal)
            entries.append(identity_entry(trustee))
    return {"Rules": rules, "IdentityEntries": entries}


def _rule_not_found(application_id, trustee):
    return OAuthFailure(RULE_NOT_FOUND, "No rule for '%s' on application '%s'" % (trustee, application_id))


def update_rule(store, body):
    source = body.get("Rule")
    source = source if isinstance(source, dict) else {}
    application_id, trustee = _text(source, "ApplicationId"), _text(source, "TrusteePrefixedUniversal")
    application = store.get_application(application_id)
    if application is None:
        raise _rule_not_found(application_id, trustee)
    if not store.replace_rule(_rule_input(source, application, trustee)):
        raise _rule_not_found(application_id, trustee)
    return {}


def delete_rule(store, body):
    application_id, trustee = _text(body, "ApplicationId"), _text(body, "TrusteePrefixedUniversal")
    if not store.delete_rule(application_id, trustee):
        raise _rule_not_found(application_id, trustee)
    return {}


# -- grants -------------------------------------------------------------------------------------

def grant_count(store, body):
    return {"Count": _existing_application(store, _text(body, "ApplicationId"))["GrantCount"]}


def user_count(store, body):
    return {"Count": _existing_application(store, _text(body, "ApplicationId"))["UserCount"]}


def revoke_grants(store, body):
    application_id = _text(body, "ApplicationId", required=False) or None
    grantee = _text(body, "GranteePrefixedUniversal", required=False) or None
    if application_id is None and grantee is None:
        raise OAuthFailure(INVALID_PARAMETERS, "ApplicationId or GranteePrefixedUniversal is required")
    if application_id is not None:
        _existing_application(store, application_id)
    store.revoke_grants(application_id, grantee)
    return {}


OPERATIONS = {
    "createapplication": create_application,
    "getapplication": get_application,
    "getapplications": get_applications,
    "updateapplication": update_application,
    "deleteapplication": delete_application,
    "createrule": create_rule,
    "getrules": get_rules,
    "updaterule": update_rule,
    "deleterule": delete_rule,
    "grantcount": grant_count,
    "usercount": user_count,
    "revokegrants": revoke_grants,
}

ROUTES = {("POST", "/vedsdk/oauth/" + name): _admin_call(operation) for name, operation in OPERATIONS.items()}
