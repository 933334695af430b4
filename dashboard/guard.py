"""The dashboard's last line of defence: an unexpected error on a page becomes one line, never a stack trace.

The full traceback goes to the log (the terminal that runs ``sovmap dashboard``);
the page shows it only when the dashboard was started with ``--debug``.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

import streamlit as st

from .escape import md_escape
from .i18n import t

__all__ = ["ENV_DEBUG", "debug_on", "one_line", "page_guard"]

ENV_DEBUG = "SOVMAP_DEBUG"  # set by `sovmap dashboard --debug`
_log = logging.getLogger("sovmap.dashboard")


def debug_on() -> bool:
    """Whether the dashboard was started with ``--debug``."""
    return os.environ.get(ENV_DEBUG, "") not in ("", "0")


def one_line(exc: BaseException, limit: int = 300) -> str:
    """The exception as one short line: its type and the first line of its message.

    >>> one_line(KeyError("kind"))
    "KeyError: 'kind'"
    >>> one_line(ValueError("first\\nsecond"))
    'ValueError: first'
    """
    text = str(exc).strip().splitlines()
    line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextlib.contextmanager
def page_guard(lang: str) -> Iterator[None]:
    """Run a page; an unexpected exception is logged and shown as one line plus where to find the details.

    ``st.stop()`` and reruns are not ``Exception``s and pass through.
    """
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the guard is meant to catch everything a page did not expect
        _log.exception("Unexpected error on a dashboard page")
        st.error(t("guard.error", lang, error=md_escape(one_line(exc))), icon=":material/error:")
        if debug_on():
            with st.expander(t("guard.details", lang)):
                st.exception(exc)
        else:
            st.caption(t("guard.debug", lang))
