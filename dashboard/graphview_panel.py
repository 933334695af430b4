"""The graph browser's one detail panel: what the item is, its control levels with the top reason, what depends on it.

Long reason lists sit behind an expander. Every user value is escaped for Markdown.
"""

from __future__ import annotations

import networkx as nx
import streamlit as st

from sovmap.graph.paths import CHAIN_RELATIONS, HUB_KINDS

from .details import Details
from .escape import md_escape
from .i18n import kind_label, t
from .tables import name_of
from .widgets import LEVEL_BADGE

__all__ = ["dependants", "detail_panel"]

_SHOWN = 5  # direct dependants named in the panel


def dependants(g: nx.MultiDiGraph, node: str) -> tuple[list[str], int]:
    """The nodes that depend on ``node`` directly (sorted), and how many processes depend on it in all.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process"); g.add_node("S", kind="system"); g.add_node("L", kind="location")
    >>> _ = g.add_edge("P", "S", key="uses"); _ = g.add_edge("S", "L", key="hosted_at")
    >>> dependants(g, "L")
    (['S'], 1)
    >>> g.add_node("country:IE", kind="country"); _ = g.add_edge("L", "country:IE", key="located_in")
    >>> dependants(g, "country:IE")
    (['L'], 1)
    """
    hub = g.nodes[node].get("kind") in HUB_KINDS  # a country or organisation: everything pointing at it
    direct = sorted({u for u, _, rel in g.in_edges(node, keys=True) if hub or rel in CHAIN_RELATIONS})
    seen, stack = {node}, list(direct)
    seen.update(direct)
    while stack:  # everything that depends on it, directly or through others (what chain_view "up" draws)
        cur = stack.pop()
        for u, _, rel in g.in_edges(cur, keys=True):
            if rel in CHAIN_RELATIONS and u not in seen:
                seen.add(u)
                stack.append(u)
    return direct, sum(1 for n in seen if n != node and g.nodes[n].get("kind") == "process")


def detail_panel(g: nx.MultiDiGraph, d: Details, lang: str, counted: tuple[list[str], int, int] | None = None) -> None:
    """Draw the panel for one node's :class:`~sovmap.dashboard.details.Details`.

    ``counted``: what depends on the node when it was counted elsewhere (the Neo4j server), as (the first direct
    dependants by id, all in ``g``; how many depend on it directly; how many processes in all). By default it
    is counted on ``g``.
    """
    with st.container(border=True):
        st.markdown(f"#### {md_escape(d.name)}")
        st.caption(f"{md_escape(d.kind)} · {md_escape(d.id)}")
        what, control, needed = st.columns(3)
        with what:
            st.markdown(f"**{t('details.what', lang)}**")
            if d.properties:
                st.markdown("\n".join(f"- **{md_escape(k)}**: {md_escape(v)}" for k, v in d.properties[:6]))
            for chain in d.chains[:2]:
                parts = []
                for p in chain:
                    text = md_escape(p["name"]) + (f" · {md_escape(p['country'])}" if p["country"] else "")
                    parts.append(f":red[{text}]" if p["european"] is False else text)
                st.markdown(f"{t('details.ownership', lang)}: " + " → ".join(parts))
        with control:
            st.markdown(f"**{t('details.control', lang)}**")
            for part in d.assessment:
                st.badge(f"{part['label']}: {part['level_label']}", color=LEVEL_BADGE[part["level"]])
                if part["reasons"]:
                    st.caption(md_escape(part["reasons"][0]))
            if not d.assessment:
                st.caption("–")
            if any(len(part["reasons"]) > 1 for part in d.assessment):
                with st.expander(t("details.reasons_all", lang)):
                    for part in d.assessment:
                        if part["reasons"]:
                            st.markdown(f"**{md_escape(part['label'])}**\n"
                                        + "\n".join(f"- {md_escape(r)}" for r in part["reasons"]))
        with needed:
            st.markdown(f"**{t('details.dependants', lang)}**")
            if counted is None:
                direct, processes = dependants(g, d.id)
                counted = (direct[:_SHOWN], len(direct), processes)
            direct, n_direct, processes = counted
            if not n_direct:
                st.caption(t("details.dependants.none", lang))
            else:
                st.caption(t("details.dependants.count", lang, direct=n_direct, processes=processes))
                more = n_direct - _SHOWN
                st.markdown("\n".join(f"- {md_escape(name_of(g, n, lang))} "
                                      f"({md_escape(kind_label(g.nodes[n]['kind'], lang))})" for n in direct[:_SHOWN])
                            + (f"\n- … +{more}" if more > 0 else ""))
