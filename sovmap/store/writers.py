"""Concurrent batch writing for a push: the server writes some batches while the client builds the next.

A push writes hundreds of ``UNWIND $rows`` batches. One at a time, the client
(building rows in Python, packing them for Bolt) and the server (writing them
in a transaction) wait for each other. :class:`Batches` keeps up to
``workers`` batches in flight on a thread pool, each in its own transaction,
while the caller builds the next; it hands the results back in the order the
batches were submitted. Node batches run two at a time (:data:`WORKERS`);
relationship batches one at a time (:data:`RELATIONSHIP_WORKERS`), still
built while the previous one is written: two at a time measured no faster on
this 2-core machine and deadlocked now and then at shared end nodes
(docs/benchmarks.md, Neo4j store); and each relationship batch now holds the
lease's write lock until it commits (:func:`sovmap.store.cypher.relationship_merge`),
so two would take turns anyway.

What stays as it was:

* The lease is renewed from the caller's thread after each batch's result
  comes back (in submission order), never while waiting: a push whose batches
  make no progress for the lease time still loses its lease.
* A failed batch stops the push: batches not yet started are cancelled, the
  running ones are waited for, and the first error is raised (the caller then
  removes what this push wrote, as before).
* Node batches never lock each other (each creates new nodes). Relationship
  batches lock their end nodes; two concurrent batches that share an end node
  wait for each other, and a deadlock between them is retried by the driver
  (``execute_query`` retries transient errors) — the batch is one transaction,
  so a retry never writes twice. With ``workers=0`` the batches run in the
  caller's thread, one after the other, with nothing built ahead (as before).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait

__all__ = ["WORKERS", "RELATIONSHIP_WORKERS", "Batches", "in_batches"]


def _setting(name: str, default: int) -> int:
    """A whole number from the environment; the default when it is unset or not a whole number."""
    value = os.environ.get(name, "").strip()
    return max(0, int(value)) if value.isdigit() else default


# Concurrent write transactions of one push, for node batches and for relationship batches (environment variables
# SOVMAP_NEO4J_WRITERS and SOVMAP_NEO4J_RELATIONSHIP_WRITERS; 0: one after the other, nothing built ahead).
WORKERS = _setting("SOVMAP_NEO4J_WRITERS", 2)
RELATIONSHIP_WORKERS = _setting("SOVMAP_NEO4J_RELATIONSHIP_WRITERS", 1)


class Batches:
    """Up to ``workers`` batches in flight; ``done(records)`` runs in the caller's thread, in submission order.

    Use as a context manager: leaving the block waits for every batch (and raises the first error); leaving it
    by an error cancels what has not started and waits for what runs before the error goes on.
    """

    def __init__(self, driver, lease, workers: int | None = None):
        self.driver, self.lease = driver, lease
        self.workers = max(0, WORKERS if workers is None else workers)
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="sovmap-push") if self.workers else None
        self.pending: deque[tuple[Future, Callable | None]] = deque()

    def __enter__(self) -> "Batches":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.drain()
        finally:
            self._stop()

    def submit(self, query: str, rows: list | None, done: Callable | None = None, **params) -> None:
        """Write one batch; ``done(records)`` gets its result once it and every earlier batch are written.

        ``rows`` travels as the parameter ``rows`` (None: the batch is in ``params`` alone, e.g. in columns).
        """
        if rows is not None:
            params["rows"] = rows
        if self.pool is None:  # one at a time, in this thread
            records, _, _ = self.driver.execute_query(query, **params)
            self._finished(records, done)
            return
        while len(self.pending) >= self.workers:  # bounded: at most `workers` built batches wait or run
            self._next()
        self.pending.append((self.pool.submit(self._write, query, params), done))

    def drain(self) -> None:
        """Wait for every submitted batch (the first error is raised)."""
        while self.pending:
            self._next()

    def _write(self, query: str, params: dict):
        return self.driver.execute_query(query, **params)[0]

    def _next(self) -> None:
        future, done = self.pending.popleft()
        self._finished(future.result(), done)

    def _finished(self, records, done: Callable | None) -> None:
        if done is not None:
            done(records)
        self.lease.renew_if_due()

    def _stop(self) -> None:
        if self.pool is None:
            return
        for future, _ in self.pending:
            future.cancel()
        wait([f for f, _ in self.pending])  # the running ones: nothing of this push may still be written after
        self.pending.clear()
        self.pool.shutdown(wait=True)


def in_batches(rows_by_key: Iterable[tuple[str, dict]], size: int) -> Iterable[tuple[str, list]]:
    """Group a stream of (key, row) into lists of ``size`` rows of one key, as soon as each is full.

    >>> list(in_batches([("a", 1), ("b", 2), ("a", 3), ("a", 4)], 2))
    [('a', [1, 3]), ('b', [2]), ('a', [4])]
    """
    open_: dict[str, list] = {}
    for key, row in rows_by_key:
        batch = open_.setdefault(key, [])
        batch.append(row)
        if len(batch) >= size:
            yield key, open_.pop(key)
    yield from open_.items()
