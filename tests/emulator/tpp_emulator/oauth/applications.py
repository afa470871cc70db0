"""API integrations: CreateApplication, GetApplication, GetApplications, EnumerateApplications, UpdateApplication,
DeleteApplication, and GetScopes (the scopes they define)."""

from .. import scopes
from .core import (APPLICATION_EXISTS, APPLICATION_NOT_FOUND, INVALID_PARAMETERS, OAuthFailure, by_field, check_within,
                   existing_application, paging, parsed_scope, seconds_field, shown, text_field, validities)

CREATE_NON_EMPTY = ("Name", "MaximumScope")
# EnumerateApplications' OrderBy codes (the docs' and the contract's): 1 Name, 2 Vendor, 3 AccessValidity, 4 GrantValidity.
ORDERINGS = {1: by_field("Name"), 2: by_field("Vendor"), 3: by_field("AccessValidity"), 4: by_field("GrantValidity")}


def _application_input(source, identifier, strict):
    """An application record from request fields; ``strict`` (create) requires every text field."""
    maximum_field = "MaxScope" if "MaximumScope" not in source and "MaxScope" in source else "MaximumScope"
    record = {"ID": identifier}
    for name in ("Name", "Vendor", "Description", "Url", "Scope", "MaximumScope"):
        field = maximum_field if name == "MaximumScope" else name
        if strict and source.get(field) is None:
            raise OAuthFailure(INVALID_PARAMETERS, "%s is required" % name)
        record[name] = text_field(source, field, required=strict and name in CREATE_NON_EMPTY)
    record.update(validities(source))
    maximum = parsed_scope(record["MaximumScope"], "MaximumScope")
    minimum = parsed_scope(record["Scope"], "Scope")
    check_within(minimum, maximum, "Scope")
    record.update(Scope=scopes.render(minimum), MaximumScope=scopes.render(maximum))
    return record


def create_application(call):
    record = _application_input(call.body, text_field(call.body, "ApplicationId"), strict=True)
    if not call.store.applications.add(record):
        raise OAuthFailure(APPLICATION_EXISTS, "Application '%s' already exists" % record["ID"])
    return {"Application": call.store.applications.get(record["ID"])}


def get_application(call):
    return {"Applications": [existing_application(call.store, text_field(call.body, "ApplicationId"))]}


def _visible_applications(call):
    """The integrations the caller may read: all for the global readers, its own for an Owner or Maintainer."""
    return [application for application in call.store.applications.list() if shown(call, application["ID"])]


def get_applications(call):
    text = text_field(call.body, "Filter", required=False).lower()
    wanted = call.body.get("ApplicationIds")
    found = [application for application in _visible_applications(call)
             if (text in application["ID"].lower() or text in application["Name"].lower())
             and (not isinstance(wanted, list) or application["ID"] in wanted)]
    return {"Applications": found}


def enumerate_applications(call):
    """A page of the visible integrations, as ``Applications`` (the docs' array; the contract has one ``Application``)."""
    return {"Applications": paging(call.body, ORDERINGS)(_visible_applications(call))}


def get_scopes(call):
    """The scopes the integrations define (the union of their MaximumScope), not the catalogue of valid scopes."""
    union = {}
    for application in call.store.applications.list():
        for name, restrictions in scopes.parse(application["MaximumScope"]).items():
            union[name] = union.get(name, frozenset()) | restrictions
    return {"Scopes": [{"Scope": name, "RestrictionList": sorted(union[name])} for name in sorted(union)]}


def update_application(call):
    source = call.body.get("Application")
    source = source if isinstance(source, dict) else {}
    record = _application_input(source, text_field(source, "ID"), strict=False)
    # Only the update carries it: the contract's CreateApplication request has no UnusedExpiration, so a new
    # integration starts without one (null), like an unknown parameter on create.
    record["UnusedExpiration"] = seconds_field(source, "UnusedExpiration")
    if not call.store.applications.replace(record):
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % record["ID"])
    return {}


def delete_application(call):
    application_id = text_field(call.body, "ApplicationId")
    if not call.store.applications.delete(application_id):
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application_id)
    return {}


OPERATIONS = {
    "CreateApplication": create_application,
    "GetApplication": get_application,
    "GetApplications": get_applications,
    "EnumerateApplications": enumerate_applications,
    "UpdateApplication": update_application,
    "DeleteApplication": delete_application,
    "GetScopes": get_scopes,
}
