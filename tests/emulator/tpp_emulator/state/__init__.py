"""The emulator's one state store: TPP's own state, one part per family, behind one lock.

Each part is a module here with one class, built from the seed by ``Store.reset`` (the order there is the order
they are built in, so a part may read the parts above it while it loads). A part keeps its records private, takes
``store.lock`` in every public method and returns copies, never the stored objects. The lock is re-entrant, so a part
may call another part within its own critical section (deleting an integration deletes its rules and revokes its
grants in one step). Every expiry decision reads the clock the store is given (control_plane.Clock).

A new family's state: a module with its part class ``__init__(self, store, seed)``, and one line in ``reset``.
"""

import copy
import threading

from .applications import Applications
from .configuration import Configuration
from .grants import Grants
from .identities import Identities
from .jwt_mappings import JwtMappings
from .roles import Roles
from .rules import Rules


class Store:
    """TPP's state: ``identities``, ``applications``, ``rules``, ``grants``, ``jwt_mappings``, ``roles`` and
    ``configuration`` (read it through ``oauth_configuration()``), and the seed's fixed facts."""

    def __init__(self, seed, base_url, jwt_keys, clock, https_context=None):
        self.lock = threading.RLock()
        self._clock = clock
        self._seed = copy.deepcopy(seed)
        self.version = seed.get("version", "24.1.0.2345")
        mapping = seed.get("jwt_mapping", {})
        self.jwt_issuer = mapping.get("issuer", "https://idp.emulator.test")
        self.jwt_audience = base_url + "/vedauth"
        self.jwt_keys = dict(jwt_keys)
        self.https_context = https_context  # TPP's trust when it fetches JWT issuers' keys (None: the system's CAs)
        self.reset()

    def reset(self):
        """Restore the seed: forget every change and every grant."""
        with self.lock:
            self.identities = Identities(self, self._seed)
            self.applications = Applications(self, self._seed)
            self.rules = Rules(self, self._seed)
            self.grants = Grants(self, self._seed)
            self.jwt_mappings = JwtMappings(self, self._seed)
            self.roles = Roles(self, self._seed)
            self.configuration = Configuration(self, self._seed)

    def oauth_configuration(self):
        """A copy of TPP's global OAuth settings (the GetConfiguration object): the one way the rest of the emulator
        reads them (lifetimes, authorization methods, JWT clock skew, unused-token expiration)."""
        return self.configuration.get()

    def now(self):
        return self._clock.now()
