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

    def active(self, now):
        return not self.revoked and (self.refresh_until is None or now < self.refresh_until)

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

    def _active(self, application_id=None, grantee=None):
        """The active grants, in the order of issue, optionally of one integration and/or one identity."""
        now = self._store.now()
        grantee = grantee.lower() if grantee else None
        return [g for g in self._all if g.active(now) and (application_id is None or g.application == application_id)
                and (grantee is None or g.identity.lower() == grantee)]

    def issue(self, application_id, identity, granted_to, scope, lifetimes):
        """Create a grant with fresh tokens; ``lifetimes`` is (access seconds, grant seconds, renewable)."""
        access_validity, grant_validity, renewable = lifetimes
        with self._store.lock:
            now = self._store.now()
            grant = Grant(application=application_id, identity=identity, granted_to=granted_to, scope=scope, grant_issued_on=now,
                          refresh_until=now + grant_validity, valid_for=access_validity, renewable=renewable)
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
            if grant is None or not grant.active(now) or not grant.renewable:
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

    def page(self, application_id=None, grantee=None, order=None, descending=False, start=0, count=None):
        """Copies of one page of the active grants of an integration and/or an identity.

        In the order of issue, or sorted by ``order`` (a key function of a grant) with ties in the order of issue;
        ``descending`` reverses the whole order. The page skips ``start`` grants and holds ``count`` (None: the rest).
        """
        with self._store.lock:
            grants = self._active(application_id, grantee)
            if descending:
                grants.reverse()
            if order is not None:
                grants.sort(key=order, reverse=descending)
            return [dataclasses.replace(g) for g in grants[start:None if count is None else start + count]]

    def revoke(self, application_id=None, grantee=None):
        """Revoke the active grants of an integration and/or an identity; returns how many."""
        with self._store.lock:
            matching = self._active(application_id, grantee)
            for grant in matching:
                grant.revoked = True
            return len(matching)
