"""API integrations (TPP calls them applications): their records, and the grant counts their views carry."""

from .. import scopes

APPLICATION_FIELDS = ("ID", "Name", "Description", "Vendor", "Url", "Scope", "MaximumScope",
                      "AccessValidity", "GrantValidity", "Renewable", "UnusedExpiration")


def _application_record(entry):
    record = {field: entry.get(field) for field in APPLICATION_FIELDS}
    for field in ("Name", "Description", "Vendor", "Url", "Scope", "MaximumScope"):
        record[field] = record[field] or ""
    return record


def _seeded_application(entry):
    record = _application_record(entry)
    record["Scope"] = scopes.normalise(record["Scope"])
    record["MaximumScope"] = scopes.normalise(record["MaximumScope"])
    return record


class Applications:
    """The integrations by ID; a view adds GrantCount and UserCount from the grants."""

    def __init__(self, store, seed):
        self._store = store
        self._records = {entry["ID"]: _seeded_application(entry) for entry in seed["integrations"]}

    def _view(self, record):
        grant_count, user_count = self._store.grants.counts(record["ID"])
        return dict(record, GrantCount=grant_count, UserCount=user_count)

    def exists(self, application_id):
        with self._store.lock:
            return application_id in self._records

    def unused_expiration(self, application_id):
        """The integration's own UnusedExpiration: None when it has none or does not exist."""
        with self._store.lock:
            return (self._records.get(application_id) or {}).get("UnusedExpiration")

    def get(self, application_id):
        with self._store.lock:
            record = self._records.get(application_id)
            return self._view(record) if record else None

    def list(self):
        with self._store.lock:
            return [self._view(record) for record in self._records.values()]

    def add(self, record):
        """Store a new integration; False when its ID exists."""
        with self._store.lock:
            if record["ID"] in self._records:
                return False
            self._records[record["ID"]] = _application_record(record)
            return True

    def replace(self, record):
        """Replace an integration wholesale; False when it does not exist."""
        with self._store.lock:
            if record["ID"] not in self._records:
                return False
            self._records[record["ID"]] = _application_record(record)
            return True

    def delete(self, application_id):
        """Delete an integration, its rules and its Owner/Maintainer roles, and revoke its grants; False when it does
        not exist."""
        with self._store.lock:
            if self._records.pop(application_id, None) is None:
                return False
            self._store.rules.delete_matching(application_id)
            self._store.roles.forget_application(application_id)
            self._store.grants.revoke(application_id=application_id)
            return True
