# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JWT mapping operations: CreateJwtMapping, GetJwtMapping, GetJwtMappings, EnumerateJwtMappings,
UpdateJwtMapping, DeleteJwtMapping (every 200 body validated against the contract by ``api``)."""

import pytest

from emulator_support import ADMIN_CLIENT, INSUFFICIENT_RIGHTS, JDOE_ID, JWT_ISSUER, PKI_OPERATORS_ID, error_of, universal

SEEDED_NAME = "idp.emulator.test"
REQUIRED = ("Name", "IssuerUri", "PurposeField", "PurposeMatch", "IdField")


@pytest.fixture
def admin(api):
    return api.admin_token()


def seeded_mapping(api):
    return {"Name": SEEDED_NAME, "IssuerUri": JWT_ISSUER, "PurposeField": "aud", "PurposeMatch": api.url + "/vedauth",
            "IdField": "sub", "IdMatch": "^(.+)$"}


def mapping(api, name, **fields):
    """A complete mapping of ``name`` for a CI issuer."""
    result = {"Name": name, "IssuerUri": "https://ci.example.test", "PurposeField": "aud",
              "PurposeMatch": api.url + "/vedauth", "IdField": "sub", "IdMatch": "^ci:(.+)$"}
    result.update(fields)
    return result


def call(api, admin, name, body, result=0):
    """An oauth call whose Result must be ``result``; returns the body."""
    answer = api.oauth(name, body, admin)
    assert answer["Result"] == result and answer["Success"] is (result == 0), answer
    if result:
        assert answer["Error"], answer
    return answer


def create(api, admin, fields, result=0):
    return call(api, admin, "CreateJwtMapping", fields, result)


def names(mappings):
    return [item["Name"] for item in mappings]


def test_the_seeded_mapping_is_a_real_mapping(api, admin):
    seeded = seeded_mapping(api)
    assert call(api, admin, "GetJwtMapping", {"Name": SEEDED_NAME})["JwtMapping"] == seeded
    assert call(api, admin, "GetJwtMappings", {})["JwtMappings"] == [seeded]
    enumerated = call(api, admin, "EnumerateJwtMappings", {})
    assert enumerated["JwtMappings"] == [seeded] and enumerated["Count"] == 1


def test_create_echoes_the_mapping_and_get_returns_it(api, admin):
    fields = mapping(api, "ci", JwksUri="https://ci.example.test/keys")
    assert create(api, admin, fields)["JwtMapping"] == fields
    assert call(api, admin, "GetJwtMapping", {"Name": "ci"})["JwtMapping"] == fields
    assert names(call(api, admin, "GetJwtMappings", {})["JwtMappings"]) == ["ci", SEEDED_NAME]


def test_create_twice_is_result_22(api, admin):
    create(api, admin, mapping(api, "ci"))
    answer = create(api, admin, mapping(api, "ci", IssuerUri="https://other.example.test"), result=22)
    assert "ci" in answer["Error"]
    assert call(api, admin, "GetJwtMapping", {"Name": "ci"})["JwtMapping"]["IssuerUri"] == "https://ci.example.test"


@pytest.mark.parametrize("field", REQUIRED)
def test_create_without_a_required_field_is_result_6(api, admin, field):
    fields = mapping(api, "ci")
    del fields[field]
    assert field in create(api, admin, fields, result=6)["Error"]
    assert names(call(api, admin, "GetJwtMappings", {})["JwtMappings"]) == [SEEDED_NAME]


def test_create_with_a_bad_regular_expression_is_result_6(api, admin):
    assert "IdMatch" in create(api, admin, mapping(api, "ci", IdMatch="^ci:(.+$"), result=6)["Error"]


@pytest.mark.parametrize("id_match", [None, "^ci:.+$"])
def test_without_a_fixed_identity_id_match_needs_a_group(api, admin, id_match):
    fields = mapping(api, "ci", IdMatch=id_match)
    assert "IdMatch" in create(api, admin, fields, result=6)["Error"]
    fields["GranteePrefixedUniversal"] = JDOE_ID
    create(api, admin, fields)


def test_a_fixed_identity_without_id_match(api, admin):
    fields = mapping(api, "ci", GranteePrefixedUniversal=JDOE_ID)
    del fields["IdMatch"]
    assert create(api, admin, fields)["JwtMapping"] == fields


def test_the_fixed_identity_is_stored_in_its_canonical_form(api, admin):
    created = create(api, admin, mapping(api, "ci", GranteePrefixedUniversal=JDOE_ID.upper()))["JwtMapping"]
    assert created["GranteePrefixedUniversal"] == JDOE_ID


@pytest.mark.parametrize("grantee", [universal("local:ghost"), PKI_OPERATORS_ID, "local:jdoe"])
def test_a_fixed_identity_must_be_a_known_user_by_universal(api, admin, grantee):
    assert grantee in create(api, admin, mapping(api, "ci", GranteePrefixedUniversal=grantee), result=10)["Error"]


@pytest.mark.parametrize("operation, body", [
    ("GetJwtMapping", {"Name": "nope"}),
    ("DeleteJwtMapping", {"Name": "nope"}),
])
def test_unknown_mapping_is_result_21(api, admin, operation, body):
    assert "nope" in call(api, admin, operation, body, result=21)["Error"]


def test_update_of_an_unknown_mapping_is_result_21(api, admin):
    call(api, admin, "UpdateJwtMapping", {"JwtMapping": mapping(api, "nope")}, result=21)


def test_update_is_a_whole_replace(api, admin):
    create(api, admin, mapping(api, "ci", JwksUri="https://ci.example.test/keys", GranteePrefixedUniversal=JDOE_ID))
    replacement = mapping(api, "ci", PurposeMatch="tpp-prod", IdField="repository")
    assert call(api, admin, "UpdateJwtMapping", {"JwtMapping": replacement}) == {"Success": True, "Result": 0}
    # JwksUri and GranteePrefixedUniversal were left out: they are gone
    assert call(api, admin, "GetJwtMapping", {"Name": "ci"})["JwtMapping"] == replacement


def test_update_without_a_required_field_is_result_6_and_changes_nothing(api, admin):
    create(api, admin, mapping(api, "ci"))
    partial = {"Name": "ci", "PurposeMatch": "tpp-prod"}
    assert "IssuerUri" in call(api, admin, "UpdateJwtMapping", {"JwtMapping": partial}, result=6)["Error"]
    assert call(api, admin, "GetJwtMapping", {"Name": "ci"})["JwtMapping"] == mapping(api, "ci")


def test_delete(api, admin):
    create(api, admin, mapping(api, "ci"))
    assert call(api, admin, "DeleteJwtMapping", {"Name": "ci"}) == {"Success": True, "Result": 0}
    call(api, admin, "GetJwtMapping", {"Name": "ci"}, result=21)
    call(api, admin, "DeleteJwtMapping", {"Name": "ci"}, result=21)


def test_names_are_case_sensitive(api, admin):
    create(api, admin, mapping(api, "ci"))
    create(api, admin, mapping(api, "CI"))
    call(api, admin, "GetJwtMapping", {"Name": "Ci"}, result=21)


def test_get_jwt_mappings_filters(api, admin):
    create(api, admin, mapping(api, "github-actions", IssuerUri="https://token.actions.githubusercontent.com"))
    create(api, admin, mapping(api, "cluster-a", IssuerUri="https://kubernetes.default.svc"))

    def found(body):
        return names(call(api, admin, "GetJwtMappings", body)["JwtMappings"])
    assert found({}) == ["cluster-a", "github-actions", SEEDED_NAME]
    assert found({"Filter": "GITHUB"}) == ["github-actions"]  # name, case-insensitive
    assert found({"Filter": "kubernetes"}) == ["cluster-a"]  # issuer
    assert found({"IssuerUris": [JWT_ISSUER, "https://kubernetes.default.svc"]}) == ["cluster-a", SEEDED_NAME]
    assert found({"IssuerUris": ["https://kubernetes.default.svc/"]}) == []  # exact issuers
    assert found({"Filter": "a", "IssuerUris": ["https://kubernetes.default.svc"]}) == ["cluster-a"]
    assert found({"Filter": "nothing-like-it"}) == []


def test_resolve_identities(api, admin):
    create(api, admin, mapping(api, "fixed", GranteePrefixedUniversal=JDOE_ID))
    create(api, admin, mapping(api, "fixed-too", GranteePrefixedUniversal=JDOE_ID))
    for operation, body in (("GetJwtMapping", {"Name": "fixed"}), ("GetJwtMappings", {}), ("EnumerateJwtMappings", {})):
        assert "IdentityEntries" not in call(api, admin, operation, body)
        entries = call(api, admin, operation, dict(body, ResolveIdentities=True))["IdentityEntries"]
        assert [(entry["PrefixedUniversal"], entry["PrefixedName"], entry["Type"]) for entry in entries] == [(JDOE_ID, "local:jdoe", 1)]
    assert call(api, admin, "GetJwtMapping", {"Name": SEEDED_NAME, "ResolveIdentities": True})["IdentityEntries"] == []


def test_enumerate_pages_and_orders(api, admin):
    for name in ("m-c", "m-a", "m-b"):
        create(api, admin, mapping(api, name))

    def page(**body):
        answer = call(api, admin, "EnumerateJwtMappings", body)
        assert answer["Count"] == len(answer["JwtMappings"])
        return names(answer["JwtMappings"])
    assert page() == [SEEDED_NAME, "m-c", "m-a", "m-b"]  # creation order
    assert page(OrderBy=1) == [SEEDED_NAME, "m-a", "m-b", "m-c"]
    assert page(OrderBy=1, Descending=True) == ["m-c", "m-b", "m-a", SEEDED_NAME]
    assert page(OrderBy=1, Start=1, Count=2) == ["m-a", "m-b"]
    assert page(OrderBy=1, Start=3, Count=2) == ["m-c"]
    assert page(Start=4, Count=2) == []
    assert page(Count=0) == page(Count=None) == page()


@pytest.mark.parametrize("body", [{"OrderBy": 2}, {"OrderBy": True}, {"Start": -1}, {"Count": "10"}, {"Descending": "yes"}])
def test_enumerate_refuses_bad_values_with_result_6(api, admin, body):
    call(api, admin, "EnumerateJwtMappings", body, result=6)


def test_a_user_without_an_oauth_role_is_refused(api, admin):
    call(api, admin, "CreateRule", {"ApplicationId": ADMIN_CLIENT, "TrusteePrefixedUniversal": JDOE_ID, "MaximumScope": "admin"})
    token = api.token("jdoe", client_id=ADMIN_CLIENT, scope="admin")["access_token"]
    for operation, body in (("CreateJwtMapping", mapping(api, "ci")), ("GetJwtMappings", {}), ("DeleteJwtMapping", {"Name": SEEDED_NAME})):
        response = api.post("/vedsdk/oauth/" + operation, body, token=token)
        assert response.status_code == 401 and error_of(response) == ("insufficient_rights", INSUFFICIENT_RIGHTS), response.text
    assert call(api, admin, "GetJwtMappings", {})["JwtMappings"] == [seeded_mapping(api)]
