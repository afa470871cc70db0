# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedsdk/oauth/GetRules with ResolveIdentities: the trustees' IdentityEntries in the same answer."""

import pytest

from emulator_support import ADMIN_ID, EVERYONE_ID, JDOE_ID, PKI_OPERATORS_ID, SDK_CLIENT, SVC_ID


@pytest.fixture
def admin(api):
    # configuration too: the test compares with identity/Validate, which needs it.
    return api.admin_token("admin:delete;configuration")


def entries_by_universal(result):
    return {entry["PrefixedUniversal"]: entry for entry in result["IdentityEntries"]}


def test_without_resolve_identities_there_are_no_entries(api, admin):
    result = api.oauth("GetRules", {"ApplicationId": SDK_CLIENT}, admin)
    assert result["Success"] is True
    assert "IdentityEntries" not in result
    assert api.oauth("GetRules", {"ApplicationId": SDK_CLIENT, "ResolveIdentities": False}, admin).get("IdentityEntries") is None


def test_resolve_identities_gives_one_entry_per_trustee(api, admin):
    created = api.oauth("CreateApplication", {"ApplicationId": "acme-app", "Name": "Acme", "Vendor": "", "Description": "", "Url": "",
                                              "Scope": "certificate:manage", "MaximumScope": "certificate:manage"}, admin)
    assert created["Success"] is True, created
    for trustee in (JDOE_ID, SVC_ID, PKI_OPERATORS_ID):
        rule = api.oauth("CreateRule", {"ApplicationId": "acme-app", "TrusteePrefixedUniversal": trustee, "MaximumScope": ""}, admin)
        assert rule["Success"] is True, rule
    result = api.oauth("GetRules", {"ApplicationId": "acme-app", "ResolveIdentities": True}, admin)
    assert result["Success"] is True and result["Result"] == 0
    assert len(result["Rules"]) == 3
    entries = entries_by_universal(result)
    assert len(result["IdentityEntries"]) == 3
    assert entries[JDOE_ID]["PrefixedName"] == "local:jdoe"
    assert entries[SVC_ID]["PrefixedName"] == "local:svc-ansible"
    assert entries[PKI_OPERATORS_ID]["PrefixedName"] == "local:PKI Operators"
    assert entries[PKI_OPERATORS_ID]["IsGroup"] is True and entries[JDOE_ID]["IsGroup"] is False
    # The same IdentityEntry as identity/Validate returns.
    validated = api.post("/vedsdk/identity/Validate", {"ID": {"PrefixedUniversal": JDOE_ID}}, token=admin).json()["ID"]
    assert entries[JDOE_ID] == validated


def test_resolve_identities_across_integrations_lists_each_trustee_once(api, admin):
    result = api.oauth("GetRules", {"ResolveIdentities": True}, admin)
    assert sorted(rule["TrusteePrefixedUniversal"] for rule in result["Rules"]) == sorted([ADMIN_ID, EVERYONE_ID])
    assert sorted(entries_by_universal(result)) == sorted([ADMIN_ID, EVERYONE_ID])
