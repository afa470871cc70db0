"""JWT mappings: which issuers' JWTs authorize/jwt accepts, and how a JWT names its identity.

The seed's ``jwt_mapping`` (its ``issuer``) becomes the mapping ``SEEDED_NAME``: purpose ``aud`` = ``{url}/vedauth``,
identity the whole ``sub``. Its issuer is not reachable, so its keys are the seeded key set (``store.jwt_keys``).
"""

MAPPING_FIELDS = ("IssuerUri", "JwksUri", "PurposeField", "PurposeMatch", "IdField", "IdMatch", "GranteePrefixedUniversal", "Name")
SEEDED_NAME = "idp.emulator.test"


def _mapping_record(entry):
    return {field: entry.get(field) for field in MAPPING_FIELDS}


class JwtMappings:
    """The mappings by name (exact, case-sensitive), in the order they were created."""

    def __init__(self, store, _seed):
        self._store = store
        seeded = _mapping_record({"Name": SEEDED_NAME, "IssuerUri": store.jwt_issuer, "PurposeField": "aud",
                                  "PurposeMatch": store.jwt_audience, "IdField": "sub", "IdMatch": "^(.+)$"})
        self._records = {SEEDED_NAME: seeded}

    def get(self, name):
        with self._store.lock:
            record = self._records.get(name)
            return dict(record) if record else None

    def list(self):
        with self._store.lock:
            return [dict(record) for record in self._records.values()]

    def of_issuer(self, issuer):
        """The mappings whose IssuerUri is exactly ``issuer``, by name."""
        with self._store.lock:
            return sorted((dict(record) for record in self._records.values() if record["IssuerUri"] == issuer),
                          key=lambda record: record["Name"])

    def add(self, record):
        """Store a new mapping; False when its name exists."""
        with self._store.lock:
            if record["Name"] in self._records:
                return False
            self._records[record["Name"]] = _mapping_record(record)
            return True

    def replace(self, record):
        """Replace a mapping wholesale; False when there is none of that name."""
        with self._store.lock:
            if record["Name"] not in self._records:
                return False
            self._records[record["Name"]] = _mapping_record(record)
            return True

    def delete(self, name):
        with self._store.lock:
            return self._records.pop(name, None) is not None
