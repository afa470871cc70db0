"""Rules: who (an identity or a team) may use an integration, with what maximum scope and lifetimes."""

from .. import scopes

RULE_FIELDS = ("ApplicationId", "TrusteePrefixedUniversal", "Description", "MaximumScope",
               "AccessValidity", "GrantValidity", "Renewable")


def _rule_record(entry):
    record = {field: entry.get(field) for field in RULE_FIELDS}
    record["Description"] = record["Description"] or ""
    record["MaximumScope"] = record["MaximumScope"] or ""
    return record


def _key(record):
    return record["ApplicationId"], record["TrusteePrefixedUniversal"].lower()


class Rules:
    """The rules by (integration ID, lower-case trustee universal). The seed names trustees by prefixed name."""

    def __init__(self, store, seed):
        self._store = store
        self._records = {}
        for entry in seed["rules"]:
            trustee = store.identities.find(entry["Trustee"]).prefixed_universal
            record = _rule_record(dict(entry, TrusteePrefixedUniversal=trustee, MaximumScope=scopes.normalise(entry.get("MaximumScope") or "")))
            self._records[_key(record)] = record

    def list(self, application_id=None, trustees=None):
        """Rules, optionally of one integration and/or for some trustees (lower-case universals)."""
        with self._store.lock:
            return [dict(rule) for (app, trustee), rule in self._records.items()
                    if (application_id is None or app == application_id) and (trustees is None or trustee in trustees)]

    def add(self, record):
        """Store a new rule: "added", "no-application" or "exists"."""
        with self._store.lock:
            if not self._store.applications.exists(record["ApplicationId"]):
                return "no-application"
            if _key(record) in self._records:
                return "exists"
            self._records[_key(record)] = _rule_record(record)
            return "added"

    def replace(self, record):
        key = _key(record)
        with self._store.lock:
            if key not in self._records:
                return False
            self._records[key] = _rule_record(dict(record, TrusteePrefixedUniversal=self._records[key]["TrusteePrefixedUniversal"]))
            return True

    def delete(self, application_id, trustee):
        with self._store.lock:
            return self._records.pop((application_id, trustee.lower()), None) is not None

    def delete_matching(self, application_id=None, trustee=None):
        """Delete the rules of an integration and/or a trustee; returns how many."""
        with self._store.lock:
            doomed = [key for key in self._records
                      if (application_id is None or key[0] == application_id) and (trustee is None or key[1] == trustee.lower())]
            for key in doomed:
                del self._records[key]
            return len(doomed)
