"""The default seed: identities, API integrations, their rules and the JWT mapping.

A ``--seed FILE`` replaces it with a JSON object of the same shape. Identities are named by
prefix and name; their universals are derived (see ``state.identities.universal_for``). Rules name their
trustee by prefixed name. An empty rule ``MaximumScope`` allows the integration's whole scope.
"""

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
