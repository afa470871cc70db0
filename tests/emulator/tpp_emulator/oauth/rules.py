"""Rules: CreateRule, GetRules, EnumerateRules, UpdateRule, DeleteRule, DeleteRules."""

from .. import scopes
from .core import (APPLICATION_NOT_FOUND, INVALID_PARAMETERS, OBJECT_INVALID, RULE_EXISTS, RULE_NOT_FOUND, OAuthFailure,
                   application_or_identity, by_field, check_within, existing_application, flag_field, paging, parsed_scope,
                   resolved, shown, text_field, validities)


def _rule_input(source, application, trustee):
    """A rule record; its MaximumScope (empty = the whole integration) must lie within the integration's."""
    maximum = parsed_scope(text_field(source, "MaximumScope", required=False), "MaximumScope")
    check_within(maximum, scopes.parse(application["MaximumScope"]), "The rule's MaximumScope")
    record = {"ApplicationId": application["ID"], "TrusteePrefixedUniversal": trustee,
              "Description": text_field(source, "Description", required=False), "MaximumScope": scopes.render(maximum)}
    record.update(validities(source))
    return record


def create_rule(call):
    store, body = call.store, call.body
    application = existing_application(store, text_field(body, "ApplicationId"))
    trustee_text = text_field(body, "TrusteePrefixedUniversal")
    trustee = store.identities.by_universal(trustee_text)
    if trustee is None:
        raise OAuthFailure(OBJECT_INVALID, "Trustee '%s' is not a known identity" % trustee_text)
    record = _rule_input(body, application, trustee.prefixed_universal)
    outcome = store.rules.add(record)
    if outcome == "no-application":
        raise OAuthFailure(APPLICATION_NOT_FOUND, "Application '%s' was not found" % application["ID"])
    if outcome == "exists":
        raise OAuthFailure(RULE_EXISTS, "A rule for '%s' on application '%s' already exists" % (trustee_text, application["ID"]))
    return {"Rule": record}


def _trustee_filter(body, single="TrusteePrefixedUniversal"):
    wanted = [body.get(single)]
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
    text = text_field(body, "MaximumScope", required=False)
    maximum = scopes.render(parsed_scope(text, "MaximumScope")) if text else None
    renewable, no_expire = flag_field(body, "Renewable"), flag_field(body, "NoExpire")

    def matches(rule):
        return ((maximum is None or rule["MaximumScope"] == maximum)
                and (renewable is None or rule["Renewable"] is renewable)
                and (no_expire is None or (rule["GrantValidity"] is None) is no_expire))
    return matches


def _matching_rules(call, trustees):
    """The rules the caller may read (all for the global readers, an Owner's own) that match the body's criteria."""
    matches = _rule_filter(call.body)
    return [rule for rule in call.store.rules.list(call.body.get("ApplicationId") or None, trustees)
            if matches(rule) and shown(call, rule["ApplicationId"])]


def _with_identities(call, rules):
    """``Rules``, and with ``ResolveIdentities: true`` their trustees' ``IdentityEntries``."""
    return resolved(call, {"Rules": rules}, [rule["TrusteePrefixedUniversal"] for rule in rules])


def get_rules(call):
    return _with_identities(call, _matching_rules(call, _trustee_filter(call.body)))


def enumerate_rules(call):
    """GetRules' criteria (the trustee as GranteePrefixedUniversal, as the EnumerateRules page names it), paged; at
    least one of ApplicationId, Count and GranteePrefixedUniversal, as that page requires."""
    body = call.body
    if not any(body.get(name) for name in ("ApplicationId", "Count", "GranteePrefixedUniversal")):
        raise OAuthFailure(INVALID_PARAMETERS, "One of ApplicationId, Count or GranteePrefixedUniversal is required")
    page = paging(body, {3: by_field("AccessValidity"), 4: by_field("GrantValidity")})
    return _with_identities(call, page(_matching_rules(call, _trustee_filter(body, "GranteePrefixedUniversal"))))


def _rule_not_found(application_id, trustee):
    return OAuthFailure(RULE_NOT_FOUND, "No rule for '%s' on application '%s'" % (trustee, application_id))


def update_rule(call):
    source = call.body.get("Rule")
    source = source if isinstance(source, dict) else {}
    application_id, trustee = text_field(source, "ApplicationId"), text_field(source, "TrusteePrefixedUniversal")
    application = call.store.applications.get(application_id)
    if application is None:
        raise _rule_not_found(application_id, trustee)
    if not call.store.rules.replace(_rule_input(source, application, trustee)):
        raise _rule_not_found(application_id, trustee)
    return {}


def delete_rules(call):
    """Every rule of a trustee, of an integration, or of the pair; it leaves the grants they gave alone."""
    application_id, trustee = application_or_identity(call, "TrusteePrefixedUniversal")
    if not call.store.rules.delete_matching(application_id, trustee):
        raise OAuthFailure(RULE_NOT_FOUND, "No rule matches")
    return {}


def delete_rule(call):
    application_id, trustee = text_field(call.body, "ApplicationId"), text_field(call.body, "TrusteePrefixedUniversal")
    if not call.store.rules.delete(application_id, trustee):
        raise _rule_not_found(application_id, trustee)
    return {}


OPERATIONS = {
    "CreateRule": create_rule,
    "GetRules": get_rules,
    "EnumerateRules": enumerate_rules,
    "UpdateRule": update_rule,
    "DeleteRule": delete_rule,
    "DeleteRules": delete_rules,
}
