"""The default seed: identities, API integrations, their rules and the JWT mapping; and what tests are told of a seed.

A ``--seed FILE`` replaces it with a JSON object of the same shape. Identities are named by
prefix and name; their universals are derived (see ``state.identities.universal_for``). Rules name their
trustee by prefixed name. An empty rule ``MaximumScope`` allows the integration's whole scope.

``published(seed, workdir)`` is what serve.py writes to DIR/seed.json: the one place tests and tools read the seed's
credentials from (see ../README.md).
"""

import os

from .pki import CLIENT_NAMES
from .state.identities import Identity

# The scope of the administrator's token that tests use for every /vedsdk call an administrator makes: oauth/* needs
# admin (admin:delete to delete), identity/* needs configuration.
ADMIN_SCOPE = "admin:delete;configuration"

DEFAULT_SEED = {
    "version": "24.1.0.2345",
    "identities": [
        {"prefix": "local", "name": "admin", "password": "admin-pass-1", "oauth_admin": True},
        {"prefix": "local", "name": "svc-ansible", "password": "svc-pass-1", "certificate_cn": "svc-ansible"},
        {"prefix": "local", "name": "jdoe", "password": "jdoe-pass-1", "certificate_cn": "jdoe"},
        {"prefix": "AD+corp", "name": "svc-win", "domain": "CORP", "password": "win-pass-1"},
        {"prefix": "local", "name": "PKI Operators", "group": True, "members": ["local:svc-ansible", "local:jdoe"]},
        {"prefix": "local", "name": "Everyone", "group": True, "everyone": True},
    ],
    "integrations": [
        {
            "ID": "tpp-admin",
            "Name": "TPP administration",
            "Vendor": "Venafi, Inc.",
            "Description": "Administrative access for the emulator's OAuth administrator",
            "Url": "",
            "Scope": "admin",
            "MaximumScope": "admin:delete,recyclebin,viewlogs;configuration:delete,manage;security:delete,manage",
        },
        {
            "ID": "vcert-sdk",
            "Name": "VCert SDK",
            "Vendor": "Venafi, Inc.",
            "Description": "Venafi's certificate automation SDK",
            "Url": "https://github.com/Venafi/vcert",
            "Scope": "certificate:manage,revoke",
            "MaximumScope": "certificate:approve,delete,discover,manage,revoke;configuration:delete,manage;ssh:approve,delete,discover,manage",
        },
    ],
    "rules": [
        {"ApplicationId": "tpp-admin", "Trustee": "local:admin", "MaximumScope": ""},
        {"ApplicationId": "vcert-sdk", "Trustee": "local:Everyone", "MaximumScope": ""},
    ],
    "jwt_mapping": {"issuer": "https://idp.emulator.test", "clock_skew": 60},
}


def published(seed, workdir=None):
    """What tests need to know about ``seed``: its users (log-in name, password, identity, client certificate files in
    ``workdir``), teams and integrations, and the administrator's login (an OAuth Admin, the integration a rule of its
    own lets it use, ADMIN_SCOPE). Without ``workdir``, no file paths."""
    users, teams = {}, {}
    for seed_entry in seed["identities"]:
        identity = Identity.from_seed(seed_entry)
        entry = {"prefixed_name": identity.prefixed_name, "prefixed_universal": identity.prefixed_universal}
        if identity.is_group:
            teams[identity.name] = entry
            continue
        entry.update(username=identity.windows_login or identity.name, password=identity.password,
                     oauth_admin=bool(seed_entry.get("oauth_admin")))  # starts as an OAuth Admin (state.roles)
        if workdir and identity.certificate_cn in CLIENT_NAMES:
            entry.update(client_cert=os.path.join(workdir, "clients", identity.certificate_cn + ".pem"),
                         client_key=os.path.join(workdir, "clients", identity.certificate_cn + ".key"))
        users[identity.name] = entry
    integrations = {app["ID"]: {"scope": app.get("Scope", ""), "maximum_scope": app["MaximumScope"]}
                    for app in seed["integrations"]}
    view = {"users": users, "teams": teams, "integrations": integrations}
    admin = next((user for user in users.values() if user["oauth_admin"] and user["password"]), None)
    client = admin and next((rule["ApplicationId"] for rule in seed["rules"]
                             if rule["Trustee"].lower() == admin["prefixed_name"].lower()), None)
    if client:
        view["admin"] = {"client_id": client, "username": admin["username"], "password": admin["password"],
                         "scope": ADMIN_SCOPE}
    return view
