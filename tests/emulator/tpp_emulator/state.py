"""The emulator's one state store: TPP's own state (identities, integrations, rules, grants).

Every method takes the store's single lock, so each one is atomic; callers get copies, never the
stored objects. Every expiry decision reads the clock the store is given (control_plane.Clock).
"""

import base64
import copy
import dataclasses
import hmac
import secrets
import threading
import uuid
from typing import Optional

from . import scopes

DAY = 86400
DEFAULT_ACCESS_VALIDITY = 90 * DAY
DEFAULT_GRANT_VALIDITY = 365 * DAY
DEFAULT_RENEWABLE = True

APPLICATION_FIELDS = ("ID", "Name", "Description", "Vendor", "Url", "Scope", "MaximumScope",
                      "AccessValidity", "GrantValidity", "Renewable", "UnusedExpiration")
RULE_FIELDS = ("ApplicationId", "TrusteePrefixedUniversal", "Description", "MaximumScope",
               "AccessValidity", "GrantValidity", "Renewable")


def universal_for(prefixed_name):
    """The stable universal of a seeded identity: a uuid5 of its prefixed name, in TPP's braces."""
    return "{%s}" % uuid.uuid5(uuid.NAMESPACE_URL, "tpp-emulator:" + prefixed_name)


def new_token():
    """An opaque TPP-style token: 16 random bytes, base64 (24 characters)."""
    return base64.b64encode(secrets.token_bytes(16)).decode("ascii")


@dataclasses.dataclass(frozen=True)
class Identity:
    """A user or team; immutable once seeded."""

    prefix: str
    name: str
    is_group: bool = False
    password: Optional[str] = None
    certificate_cn: Optional[str] = None
    domain: Optional[str] = None
    oauth_admin: bool = False
    members: tuple = ()
    everyone: bool = False

    @classmethod
    def from_seed(cls, entry):
        return cls(prefix=entry["prefix"], name=entry["name"], is_group=bool(entry.get("group")),
                   password=entry.get("password"), certificate_cn=entry.get("certificate_cn"),
                   domain=entry.get("domain"), oauth_admin=bool(entry.get("oauth_admin")),
                   members=tuple(entry.get("members", ())), everyone=bool(entry.get("everyone")))

    @property
    def prefixed_name(self):
        return "%s:%s" % (self.prefix, self.name)

    @property
    def universal(self):
        return universal_for(self.prefixed_name)

    @property
    def prefixed_universal(self):
        return "%s:%s" % (self.prefix, self.universal)

    @property
    def windows_login(self):
        return "%s\\%s" % (self.domain, self.name) if self.domain else None

    def names(self):
        """Lower-case names this identity answers to: prefixed name, bare local name, DOMAIN\\user."""
        found = {self.prefixed_name.lower()}
        if self.prefix == "local":
            found.add(self.name.lower())
        if self.windows_login:
            found.add(self.windows_login.lower())
        return found

    def is_member_of(self, team):
        return team.is_group and (team.everyone or self.prefixed_name.lower() in {m.lower() for m in team.members})


@dataclasses.dataclass
class Grant:
    """One grant: its current access token and (when renewable) its current refresh token."""

    application: str
    identity: str
    scope: str
    grant_issued_on: float
    refresh_until: float
    valid_for: int
    renewable: bool
    access_token: str = ""
    access_issued_on: float = 0.0
    refresh_token: Optional[str] = None
    revoked: bool = False

    @property
    def access_expires(self):
        return self.access_issued_on + self.valid_for

    def active(self, now):
        return not self.revoked and now < self.refresh_until

    def access_valid(self, now):
        return self.active(now) and now < self.access_expires


def ntlm_credentials(seed):
    """``DOMAIN:USER:PASSWORD`` lines for the NTLM acceptor, one per seeded Windows user."""
    identities = (Identity.from_seed(entry) for entry in seed["identities"])
    return ["%s:%s:%s" % (i.domain, i.name, i.password) for i in identities if i.domain and i.password]


class Store:
    """All mutable state of the emulator behind one lock."""

    def __init__(self, seed, base_url, jwt_keys, clock):
        self._lock = threading.Lock()
        self._clock = clock
        self._seed = copy.deepcopy(seed)
        self.version = seed.get("version", "24.1.0.2345")
        mapping = seed.get("jwt_mapping", {})
        self.jwt_issuer = mapping.get("issuer", "https://idp.emulator.test")
        self.jwt_audience = base_url + "/vedauth"
        self.jwt_clock_skew = mapping.get("clock_skew", 60)
        self.jwt_keys = dict(jwt_keys)
        self.reset()

    def reset(self):
        """Restore the seed: forget every change and every grant."""
        identities = [Identity.from_seed(entry) for entry in self._seed["identities"]]
        by_name = {i.prefixed_name.lower(): i for i in identities}
        applications = {entry["ID"]: _seeded_application(entry) for entry in self._seed["integrations"]}
        rules = {}
        for entry in self._seed["rules"]:
            trustee = by_name[entry["Trustee"].lower()].prefixed_universal
            rule = _rule_record(dict(entry, TrusteePrefixedUniversal=trustee, MaximumScope=scopes.normalise(entry.get("MaximumScope") or "")))
            rules[(rule["ApplicationId"], trustee.lower())] = rule
        with self._lock:
            self._identities = identities
            self._applications = applications
            self._rules = rules
            self._grants = []
            self._by_access = {}
            self._by_refresh = {}

    def now(self):
        return self._clock.now()

    # -- identities -----------------------------------------------------------------------------

    def _find(self, predicate):
        with self._lock:
            return next((i for i in self._identities if predicate(i)), None)

    def find_identity(self, name):
        """The identity (user or team) a user-supplied name denotes, matched case-insensitively."""
        return self._find(lambda i: name.strip().lower() in i.names())

    def find_by_universal(self, prefixed_universal):
        return self._find(lambda i: i.prefixed_universal.lower() == prefixed_universal.strip().lower())

    def check_password(self, username, password):
        """The user whose log-in name and password match, or None."""
        user = self.find_identity(username)
        if user is None or user.is_group or user.password is None:
            return None
        return user if hmac.compare_digest(user.password.encode(), password.encode()) else None

    def find_by_certificate_cn(self, common_name):
        return self._find(lambda i: not i.is_group and i.certificate_cn is not None and i.certificate_cn.lower() == common_name.lower())

    def find_windows_user(self, principal):
        """The user an authenticated ``DOMAIN\\user`` principal denotes."""
        return self._find(lambda i: i.windows_login is not None and i.windows_login.lower() == principal.lower())

    def browse(self, text, type_mask, limit):
        """Identities whose name or prefixed name contains ``text`` (case-insensitive)."""
        text = text.lower()
        with self._lock:
            found = [i for i in self._identities
                     if (text in i.name.lower() or text in i.prefixed_name.lower()) and identity_type(i) & type_mask]
        return found[:limit]

    def trustees_of(self, identity):
        """Lower-case prefixed universals a rule may name to cover ``identity``: itself and its teams."""
        with self._lock:
            teams = [t for t in self._identities if identity.is_member_of(t)]
        return {identity.prefixed_universal.lower()} | {t.prefixed_universal.lower() for t in teams}

    # -- integrations and rules -----------------------------------------------------------------

    def _application_view(self, record, now):
        grants = [g for g in self._grants if g.application == record["ID"] and g.active(now)]
        return dict(record, GrantCount=len(grants), UserCount=len({g.identity for g in grants}))

    def get_application(self, application_id):
        with self._lock:
            record = self._applications.get(application_id)
            return self._application_view(record, self.now()) if record else None

    def list_applications(self):
        with self._lock:
            now = self.now()
            return [self._application_view(record, now) for record in self._applications.values()]

    def add_application(self, record):
        """Store a new integration; False when its ID exists."""
        with self._lock:
            if record["ID"] in self._applications:
                return False
            self._applications[record["ID"]] = _application_record(record)
            return True

    def replace_application(self, record):
        """Replace an integration wholesale; False when it does not exist."""
        with self._lock:
            if record["ID"] not in self._applications:
                return False
            self._applications[record["ID"]] = _application_record(record)
            return True

    def delete_application(self, application_id):
        """Delete an integration, its rules, and revoke its grants; False when it does not exist."""
        with self._lock:
            if self._applications.pop(application_id, None) is None:
                return False
            self._rules = {key: rule for key, rule in self._rules.items() if key[0] != application_id}
            for grant in self._grants:
                if grant.application == application_id:
                    grant.revoked = True
            return True

    def list_rules(self, application_id=None, trustees=None):
        """Rules, optionally of one integration and/or for some trustees (lower-case universals)."""
        with self._lock:
            return [dict(rule) for (app, trustee), rule in self._rules.items()
                    if (application_id is None or app == application_id) and (trustees is None or trustee in trustees)]

    def add_rule(self, record):
        """Store a new rule: "added", "no-application" or "exists"."""
        key = (record["ApplicationId"], record["TrusteePrefixedUniversal"].lower())
        with self._lock:
            if record["ApplicationId"] not in self._applications:
                return "no-application"
            if key in self._rules:
                return "exists"
            self._rules[key] = _rule_record(record)
            return "added"

    def replace_rule(self, record):
        key = (record["ApplicationId"], record["TrusteePrefixedUniversal"].lower())
        with self._lock:
            if key not in self._rules:
                return False
            self._rules[key] = _rule_record(dict(record, TrusteePrefixedUniversal=self._rules[key]["TrusteePrefixedUniversal"]))
            return True

    def delete_rule(self, application_id, trustee):
        with self._lock:
            return self._rules.pop((application_id, trustee.lower()), None) is not None

    # -- grants ---------------------------------------------------------------------------------

    def _issue_tokens(self, grant, now):
        grant.access_token = new_token()
        grant.access_issued_on = now
        grant.refresh_token = new_token() if grant.renewable else None
        self._by_access[grant.access_token] = grant
        if grant.refresh_token:
            self._by_refresh[grant.refresh_token] = grant

    def issue_grant(self, application_id, identity, scope, lifetimes):
        """Create a grant with fresh tokens; ``lifetimes`` is (access seconds, grant seconds, renewable)."""
        access_validity, grant_validity, renewable = lifetimes
        with self._lock:
            now = self.now()
            grant = Grant(application=application_id, identity=identity, scope=scope, grant_issued_on=now,
                          refresh_until=now + grant_validity, valid_for=access_validity, renewable=renewable)
            self._issue_tokens(grant, now)
            self._grants.append(grant)
            return dataclasses.replace(grant)

    def refresh(self, client_id, refresh_token):
        """Rotate both tokens of the grant a refresh token belongs to.

        Returns (grant copy, None) or (None, "invalid" | "client-mismatch"). A refresh token works once.
        """
        with self._lock:
            now = self.now()
            grant = self._by_refresh.get(refresh_token)
            if grant is None or not grant.active(now) or not grant.renewable:
                return None, "invalid"
            if grant.application != client_id:
                return None, "client-mismatch"
            del self._by_refresh[refresh_token]
            self._by_access.pop(grant.access_token, None)
            self._issue_tokens(grant, now)
            return dataclasses.replace(grant), None

    def grant_for_access_token(self, access_token):
        """A copy of the grant whose current, unexpired access token this is; None otherwise."""
        with self._lock:
            grant = self._by_access.get(access_token)
            return dataclasses.replace(grant) if grant and grant.access_valid(self.now()) else None

    def revoke_by_access_token(self, access_token):
        """Revoke the whole grant of a valid access token; returns its copy, or None."""
        with self._lock:
            grant = self._by_access.get(access_token)
            if grant is None or not grant.access_valid(self.now()):
                return None
            grant.revoked = True
            return dataclasses.replace(grant)

    def active_grant_count(self):
        with self._lock:
            now = self.now()
            return sum(1 for g in self._grants if g.active(now))

    def revoke_grants(self, application_id=None, grantee=None):
        """Revoke the active grants of an integration and/or an identity; returns how many."""
        with self._lock:
            now = self.now()
            matching = [g for g in self._grants if g.active(now)
                        and (application_id is None or g.application == application_id)
                        and (grantee is None or g.identity.lower() == grantee.lower())]
            for grant in matching:
                grant.revoked = True
            return len(matching)


def identity_type(identity):
    """TPP's IdentityType flag: 1 user, 2 security group."""
    return 2 if identity.is_group else 1


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


def _rule_record(entry):
    record = {field: entry.get(field) for field in RULE_FIELDS}
    record["Description"] = record["Description"] or ""
    record["MaximumScope"] = record["MaximumScope"] or ""
    return record
