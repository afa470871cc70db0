"""The control plane: what tests drive and observe beside TPP's own state (the test clock, request counters, faults,
and the test identity provider).

The server consults it on every request (count it, maybe inject a fault); the store reads time from its clock.
The /_emulator/ API (control.py) drives it. Each piece has its own lock and never calls into the store.
"""

import dataclasses
import threading
import time
from collections import Counter
from typing import Optional

from .idp import IdentityProvider


class Clock:
    """Real time plus an offset that tests move forward; every expiry decision of the store reads it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self):
        with self._lock:
            return time.time() + self._offset

    def state(self):
        with self._lock:
            return {"now": time.time() + self._offset, "offset": self._offset}

    def advance(self, seconds):
        with self._lock:
            self._offset += seconds
        return self.state()

    def reset(self):
        with self._lock:
            self._offset = 0.0


@dataclasses.dataclass
class Fault:
    """A pending fault for the next ``remaining`` requests to ``path``."""

    path: str
    remaining: int = 1
    status: Optional[int] = None
    delay: float = 0.0
    drop: bool = False

    def as_dict(self):
        return {"path": self.path, "count": self.remaining, "status": self.status, "delay": self.delay, "drop": self.drop}


def _route_key(path):
    return path.lower().rstrip("/")


class ControlPlane:
    """The test clock, the request counters (method + lower-case path), the pending faults and the identity provider."""

    def __init__(self, base_url):
        self.clock = Clock()
        self.idp = IdentityProvider(base_url, self.clock)
        self._lock = threading.Lock()
        self._requests = Counter()
        self._faults = []

    def reset(self):
        """Clear counters and faults and put the clock back to real time."""
        self.clock.reset()
        with self._lock:
            self._requests = Counter()
            self._faults = []

    def record_request(self, method, path):
        with self._lock:
            self._requests["%s %s" % (method, path.lower())] += 1

    def requests(self):
        with self._lock:
            return dict(self._requests)

    def add_fault(self, fault):
        with self._lock:
            self._faults.append(fault)
            return [f.as_dict() for f in self._faults]

    def clear_faults(self):
        with self._lock:
            self._faults = []

    def take_fault(self, path):
        """Consume one use of the first pending fault for ``path``; None when there is none."""
        key = _route_key(path)
        with self._lock:
            for fault in self._faults:
                if _route_key(fault.path) == key:
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return dataclasses.replace(fault)
        return None
