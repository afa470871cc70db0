"""Grants and their tokens: issued on authorization, rotated on refresh, found by access or refresh token, listed, revoked."""

import base64
import dataclasses
import secrets
from typing import Optional


def new_token():
    """An opaque TPP-style token: 16 random bytes, base64 (24 characters)."""
    return base64.b64encode(secrets.token_bytes(16)).decode("ascii")


@dataclasses.dataclass
class Grant:
    """One grant: its current access token and (when renewable) its current refresh token.

    ``identity`` obtained it through the rule of ``granted_to`` (itself or one of its teams); ``refresh_until`` None
    is a grant that never expires.
    """

    application: str
    identity: str
    granted_to: str
    scope: str
    grant_issued_on: float
    refresh_until: Optional[float]
    valid_for: int
    renewable: bool
    access_token: str = ""
    access_issued_on: float = 0.0
    refresh_token: Optional[str] = None
    revoked: bool = False

    @property
    def access_expires(self):
        return self.access_issued_on + self.valid_for

    def active(self, now, unused_limit=0):
        """Not revoked, not past ``refresh_until`` (None: never) and, with an unused-token limit (seconds; 0: none),
        its access token not expired for that long."""
        return (not self.revoked and (self.refresh_until is None or now < self.refresh_until)
                and not (unused_limit and now >= self.access_expires + unused_limit))

    def access_valid(self, now):
        return self.active(now) and now < self.access_expires


class Grants:
    """Every grant issued since the seed (revoked and expired ones too), indexed by its current tokens."""

    def __init__(self, store, _seed):
        self._store = store
        self._all = []
        self._by_access = {}
        self._by_refresh = {}

    def _issue_tokens(self, grant, now):
        grant.access_token = new_token()
        grant.access_issued_on = now
        grant.refresh_token = new_token() if grant.renewable else None
        self._by_access[grant.access_token] = grant
        if grant.refresh_token:
            self._by_refresh[grant.refresh_token] = grant

    def _unused_limits(self):
        """A grant's unused-token limit: its integration's own UnusedExpiration, else the global setting (0: none)."""
        default = self._store.oauth_configuration()["UnusedAccessTokenExpiration"]

        def limit(grant):
            own = self._store.applications.unused_expiration(grant.application)
            return own if own is not None else default
        return limit

    def _active(self, application_id=None, grantee=None):
        """The active grants, in the order of issue, optionally of one integration and/or one identity."""
        now, limit = self._store.now(), self._unused_limits()
        grantee = grantee.lower() if grantee else None
        return [g for g in self._all if (application_id is None or g.application == application_id)
                and (grantee is None or g.identity.lower() == grantee) and g.active(now, limit(g))]

    def issue(self, application_id, identity, granted_to, scope, lifetimes):
        """Create a grant with fresh tokens; ``lifetimes`` is (access seconds, grant seconds or None for a grant that
        never expires, renewable)."""
        access_validity, grant_validity, renewable = lifetimes
        with self._store.lock:
            now = self._store.now()
            grant = Grant(application=application_id, identity=identity, granted_to=granted_to, scope=scope, grant_issued_on=now,
                          refresh_until=None if grant_validity is None else now + grant_validity, valid_for=access_validity, renewable=renewable)
            self._issue_tokens(grant, now)
            self._all.append(grant)
            return dataclasses.replace(grant)

    def refresh(self, client_id, refresh_token):
        """Rotate both tokens of the grant a refresh token belongs to.

        Returns (grant copy, None) or (None, "invalid" | "client-mismatch"). A refresh token works once.
        """
        with self._store.lock:
            now = self._store.now()
            grant = self._by_refresh.get(refresh_token)
            if grant is None or not grant.active(now, self._unused_limits()(grant)) or not grant.renewable:
                return None, "invalid"
            if grant.application != client_id:
                return None, "client-mismatch"
            del self._by_refresh[refresh_token]
            self._by_access.pop(grant.access_token, None)
            self._issue_tokens(grant, now)
            return dataclasses.replace(grant), None

    def by_access_token(self, access_token):
        """A copy of the grant whose current, unexpired access token this is; None otherwise."""
        with self._store.lock:
            grant = self._by_access.get(access_token)
            return dataclasses.replace(grant) if grant and grant.access_valid(self._store.now()) else None

    def revoke_access_token(self, access_token):
        """Revoke the whole grant of a valid access token; returns its copy, or None."""
        with self._store.lock:
            grant = self._by_access.get(access_token)
            if grant is None or not grant.access_valid(self._store.now()):
                return None
            grant.revoked = True
            return dataclasses.replace(grant)

    def active_count(self):
        with self._store.lock:
            return len(self._active())

    def counts(self, application_id):
        """(active grants, distinct identities holding one) of an integration."""
        with self._store.lock:
            grants = self._active(application_id)
        return len(grants), len({g.identity for g in grants})

    def select(self, application_id=None, grantee=None, pick=None):
        """Copies of the active grants of an integration and/or an identity, in the order of issue, or of the list
        ``pick`` makes of them (a filter and a page; only those are copied)."""
        with self._store.lock:
            grants = self._active(application_id, grantee)
            return [dataclasses.replace(g) for g in (pick(grants) if pick else grants)]

    def revoke(self, application_id=None, grantee=None, keep=None):
        """Revoke the active grants of an integration and/or an identity, only those ``keep`` accepts when given;
        returns how many."""
        with self._store.lock:
            matching = [g for g in self._active(application_id, grantee) if keep is None or keep(g)]
            for grant in matching:
                grant.revoked = True
            return len(matching)
