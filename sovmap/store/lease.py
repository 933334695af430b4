"""One push of a source at a time: a lease node in Neo4j, with an expiry for a push that crashed.

A push takes the lease ``(:SovmapLease {name: source})`` in the transaction
that registers its new tag (the lease holds the tag), renews it after every
batch it writes, and switches the source's current tag only while it still
holds it. Another push of the same source waits for the lease, up to a bounded
time, then gives up with :class:`PushConflict`. A push that crashed stops
renewing; its lease expires ``lease_s`` seconds after its last batch and the
next push takes over (and removes the crashed push's nodes).

Times are the server's (``datetime()``), so the clocks of the pushing machines
do not matter. Each statement first writes the lease node, which takes its
write lock, and only then reads who holds it: two pushes never both see a free
lease. The uniqueness constraint on the lease's name keeps ``MERGE`` from
creating two. A released lease stays as a node without holder (see ``_RELEASE``), one per source ever pushed.
"""

from __future__ import annotations

import random
import time

from .cypher import HELD, LEASE_LABEL

__all__ = ["PushConflict", "Lease", "HELD", "LEASE_S", "WAIT_S"]

LEASE_S = 120  # a push that made no progress for this long is taken to have crashed
WAIT_S = 900  # how long a push waits for another push of the same source

_TAKE = (
    f"MERGE (l:{LEASE_LABEL} {{name: $source}}) SET l._lock = true REMOVE l._lock "
    "WITH l, coalesce(l.tag = $tag OR l.expires < datetime(), true) AS free "
    "SET l.tag = CASE WHEN free THEN $tag ELSE l.tag END, "
    "l.started = CASE WHEN free THEN datetime() ELSE l.started END, "
    "l.expires = CASE WHEN free THEN datetime() + duration({seconds: $ttl}) ELSE l.expires END "
    "RETURN free, toString(l.started) AS started, toString(l.expires) AS expires"
)
_RENEW = HELD + "SET l.expires = datetime() + duration({seconds: $ttl}) RETURN count(l) AS held"
# Released by emptying, never by deleting: a push waiting to take the lease has found the node already and waits
# for its lock; had the release deleted it, that push would read a deleted node's missing holder as "free" and
# hold a lease that no longer exists, and a third push would create a new one: two pushes at once.
_RELEASE = HELD + "REMOVE l.tag, l.started, l.expires"


class PushConflict(RuntimeError):
    """Another push of the same source holds the lease (or took it over from this one)."""


class Lease:
    """The lease of one push (``tag``) on ``source``; see the module docstring."""

    def __init__(self, driver, source: str, tag: str, lease_s: float = LEASE_S, database: str | None = None):
        self.driver, self.source, self.tag, self.lease_s = driver, source, tag, lease_s
        self.kw = {"database_": database} if database else {}
        self._renewed = time.monotonic()

    def _run(self, query: str):
        records, _, _ = self.driver.execute_query(query, source=self.source, tag=self.tag, ttl=self.lease_s, **self.kw)
        return records

    def acquire(self, wait_s: float = WAIT_S) -> None:
        """Take the lease, waiting up to ``wait_s`` seconds while another push holds it."""
        deadline = time.monotonic() + wait_s
        pause = 0.1
        while True:
            rec = self._run(_TAKE)[0]
            if rec["free"]:
                self._renewed = time.monotonic()
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise PushConflict(
                    f'Another push of "{self.source}" has been running since {rec["started"]} (server time); '
                    f"waited {wait_s:g} s for it. Try again when it has finished. If that push crashed, its lease "
                    f"expires at {rec['expires']} and the next push takes over.")
            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, 0.5)

    def renew(self) -> None:
        """Extend the lease; PushConflict when another push took it over after it expired."""
        if not self._run(_RENEW)[0]["held"]:
            raise self.lost()
        self._renewed = time.monotonic()

    def renew_if_due(self) -> None:
        """Renew once a quarter of the lease time (at most 5 s) has passed since the last renewal.

        A push calls this after every batch: a round trip per batch would cost more than a small batch
        itself, and a lease renewed this often cannot expire while the push makes progress.
        """
        if time.monotonic() - self._renewed >= min(self.lease_s / 4, 5.0):
            self.renew()

    def lost(self) -> PushConflict:
        """The error for a push whose lease another push took over."""
        return PushConflict(
            f'This push of "{self.source}" made no progress for {self.lease_s:g} s, so its lease expired and '
            "another push took over; nothing of this push was made current. Push again if needed.")

    def release(self) -> None:
        """Give the lease back (nothing happens when another push holds it now)."""
        self._run(_RELEASE)
