"""Identities: the seeded users and teams. They never change after the seed, so this part needs no lock."""

import dataclasses
import functools
import hmac
import uuid
from typing import Optional


def universal_for(prefixed_name):
    """The stable universal of a seeded identity: a uuid5 of its prefixed name, in TPP's braces."""
    return "{%s}" % uuid.uuid5(uuid.NAMESPACE_URL, "tpp-emulator:" + prefixed_name)


@dataclasses.dataclass(frozen=True)
class Identity:
    """A user or team; immutable once seeded."""

    prefix: str
    name: str
    is_group: bool = False
    password: Optional[str] = None
    certificate_cn: Optional[str] = None
    domain: Optional[str] = None
    members: tuple = ()
    everyone: bool = False

    @classmethod
    def from_seed(cls, entry):
        return cls(prefix=entry["prefix"], name=entry["name"], is_group=bool(entry.get("group")),
                   password=entry.get("password"), certificate_cn=entry.get("certificate_cn"),
                   domain=entry.get("domain"),
                   members=tuple(entry.get("members", ())), everyone=bool(entry.get("everyone")))

    @property
    def prefixed_name(self):
        return "%s:%s" % (self.prefix, self.name)

    @functools.cached_property
    def universal(self):
        return universal_for(self.prefixed_name)

    @functools.cached_property
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


def identity_type(identity):
    """TPP's IdentityType flag: 1 user, 2 security group."""
    return 2 if identity.is_group else 1


def ntlm_credentials(seed):
    """``DOMAIN:USER:PASSWORD`` lines for the NTLM acceptor, one per seeded Windows user."""
    identities = (Identity.from_seed(entry) for entry in seed["identities"])
    return ["%s:%s:%s" % (i.domain, i.name, i.password) for i in identities if i.domain and i.password]


class Identities:
    """The seed's identities, found by name, universal, password, certificate CN or Windows log-in."""

    def __init__(self, _store, seed):
        self._all = tuple(Identity.from_seed(entry) for entry in seed["identities"])

    def _first(self, predicate):
        return next((i for i in self._all if predicate(i)), None)

    def find(self, name):
        """The identity (user or team) a user-supplied name denotes, matched case-insensitively."""
        return self._first(lambda i: name.strip().lower() in i.names())

    def by_universal(self, prefixed_universal):
        return self._first(lambda i: i.prefixed_universal.lower() == prefixed_universal.strip().lower())

    def check_password(self, username, password):
        """The user whose log-in name and password match, or None."""
        user = self.find(username)
        if user is None or user.is_group or user.password is None:
            return None
        return user if hmac.compare_digest(user.password.encode(), password.encode()) else None

    def by_certificate_cn(self, common_name):
        return self._first(lambda i: not i.is_group and i.certificate_cn is not None and i.certificate_cn.lower() == common_name.lower())

    def windows_user(self, principal):
        """The user an authenticated ``DOMAIN\\user`` principal denotes."""
        return self._first(lambda i: i.windows_login is not None and i.windows_login.lower() == principal.lower())

    def browse(self, text, type_mask, limit):
        """Identities whose name or prefixed name contains ``text`` (case-insensitive)."""
        text = text.lower()
        found = [i for i in self._all if (text in i.name.lower() or text in i.prefixed_name.lower()) and identity_type(i) & type_mask]
        return found[:limit]

    def trustees_of(self, identity):
        """Lower-case prefixed universals a rule may name to cover ``identity``: itself and its teams."""
        teams = [t for t in self._all if identity.is_member_of(t)]
        return {identity.prefixed_universal.lower()} | {t.prefixed_universal.lower() for t in teams}
