"""OAuth roles: who administers what (GrantRole, RevokeRole, ListRoles, GetRole), and the rights they add up to.

An assignment is (grantee, role, application): Auditor, Grant Admin and Admin are global (no application), Maintainer
and Owner belong to one integration. A user holds its own assignments and those of its teams. A global role overrides
the application roles: a user with one holds no Owner or Maintainer rights. The seed's identities with
``oauth_admin: true`` start as Admins.
"""

import dataclasses

USER, AUDITOR, MAINTAINER, OWNER, MIXED, GRANT_ADMIN, ADMIN = range(7)
GLOBAL_ROLES = (ADMIN, GRANT_ADMIN, AUDITOR)  # strongest first
APPLICATION_ROLES = (MAINTAINER, OWNER)
ASSIGNABLE = GLOBAL_ROLES + APPLICATION_ROLES


@dataclasses.dataclass(frozen=True)
class Rights:
    """What one caller may administer: its global roles, or else its integrations by role."""

    identity: str
    global_roles: frozenset = frozenset()
    applications: tuple = ()  # ((application ID, MAINTAINER or OWNER), ...) in ID order

    def has(self, *roles):
        return bool(self.global_roles.intersection(roles))

    def role_on(self, application_id):
        """OWNER, MAINTAINER or None for ``application_id``."""
        return dict(self.applications).get(application_id)

    def owns(self, application_id):
        return self.role_on(application_id) == OWNER

    def owned(self):
        return {app for app, role in self.applications if role == OWNER}

    def summary(self):
        """GetRole's code: the strongest global role, else Owner, Maintainer, Mixed or User."""
        strongest = next((role for role in GLOBAL_ROLES if role in self.global_roles), None)
        if strongest is not None:
            return strongest
        held = set(dict(self.applications).values())
        if not held:
            return USER
        return held.pop() if len(held) == 1 else MIXED


def _key(grantee, role, application_id):
    return grantee.lower(), role, application_id


class Roles:
    """The role assignments, keyed by (lower-case grantee universal, role, application ID or None)."""

    def __init__(self, store, seed):
        self._store = store
        self._assignments = {}
        for entry in seed["identities"]:
            if entry.get("oauth_admin"):
                identity = store.identities.find("%s:%s" % (entry["prefix"], entry["name"]))
                self._assignments[_key(identity.prefixed_universal, ADMIN, None)] = (identity.prefixed_universal, ADMIN, None)

    def list(self):
        """Every assignment as (grantee universal, role, application ID or None)."""
        with self._store.lock:
            return sorted(self._assignments.values(), key=lambda item: (item[0].lower(), item[1], item[2] or ""))

    def grant(self, grantee, role, application_id=None):
        """Add an assignment; False when the grantee already holds it."""
        key = _key(grantee, role, application_id)
        with self._store.lock:
            if key in self._assignments:
                return False
            self._assignments[key] = (grantee, role, application_id)
            return True

    def revoke(self, grantee, role, application_id=None):
        """Remove an assignment; False when the grantee does not hold it."""
        with self._store.lock:
            return self._assignments.pop(_key(grantee, role, application_id), None) is not None

    def forget_application(self, application_id):
        """Drop the Owner and Maintainer roles of a deleted integration."""
        with self._store.lock:
            self._assignments = {key: value for key, value in self._assignments.items() if key[2] != application_id}

    def rights_of(self, identity):
        """The Rights of a user: its assignments and its teams'."""
        trustees = self._store.identities.trustees_of(identity)
        with self._store.lock:
            held = [(role, app) for (grantee, role, app) in self._assignments if grantee in trustees]
        global_roles = frozenset(role for role, app in held if app is None)
        per_application = {}
        if not global_roles:
            for role, app in held:
                per_application[app] = max(per_application.get(app, role), role)
        return Rights(identity.prefixed_universal, global_roles, tuple(sorted(per_application.items())))
