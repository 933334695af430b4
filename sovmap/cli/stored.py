"""The --neo4j paths that need less than the whole graph: stored answers, and the closure of a cut."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from .common import err

__all__ = ["closure_impact", "stored_answers"]


@contextmanager
def _driver(neo4j: str):
    from sovmap.store.neo4j import Connection

    from .neo4j import open_driver

    conn = Connection(uri=neo4j)
    driver = open_driver(conn)
    try:
        yield driver, conn.resolved().database
    except LookupError as exc:  # no such source, or one stored by another sovmap
        err(str(exc))
        raise typer.Exit(2) from None
    finally:
        driver.close()


def stored_answers(neo4j: str | None, source: str | None, policy: Path | None, acquire: list[str],
                   *names: str) -> list | None:
    """The stored answers ``names`` of the source's current version, or None when they must be computed.

    Computed when not on Neo4j, with a policy file or --acquire (only the
    built-in policy's answers are stored), or when the version was pushed
    without them (an earlier sovmap).
    """
    if neo4j is None or not source or policy is not None or acquire:
        return None
    from sovmap.store.answers import stored_answer

    with _driver(neo4j) as (driver, database):
        found = []
        for name in names:
            value = stored_answer(driver, source, name, database)
            if value is None:
                return None
            found.append(value)
    return found


def closure_impact(neo4j: str, source: str, scenario, reach, resolve):
    """(graph, resolved scenario, coverage): the part of the source's graph that answers ``scenario``, from Neo4j.

    See :func:`sovmap.store.closure.cut_graph`; ``resolve`` turns the ids and names typed into ids. The
    coverage figures are the stored ones, or counted in Neo4j (:func:`sovmap.store.answers.coverage_in_store`).
    """
    from sovmap.store.answers import coverage_in_store
    from sovmap.store.closure import cut_graph

    with _driver(neo4j) as (driver, database):
        cov = coverage_in_store(driver, source, database)
        return (*cut_graph(driver, source, scenario, reach, database, resolve), cov)
