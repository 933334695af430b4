"""Three-level sovereignty assessment: is each process, data set and system geographically, legally and operationally in control?

The questions are those of the Dutch guidance "Sturen op digitale soevereiniteit".
Each dimension gets a level, ``in_control``, ``partial``, ``not_in_control`` or
``unknown``, with reasons. Where several places, parties or single points of
failure count, the level is the worst *known* one; it is ``unknown`` only when
nothing is known, and ``complete`` is False (with a reason naming the unknown
parts) when something is missing.

What a node runs on
    A system runs on itself and, transitively, on the systems it depends on; a
    data set on the systems it is stored in; a process on the systems and data
    sets it uses. Every member of a group of alternatives counts. Cycles are
    allowed (strongly connected parts are taken together).

Geographic: where is it?
    A system is where its locations are (hosted_at → location → country); a
    system without a location is where the systems it depends on are,
    transitively. A data set is where the systems that store it are; a process
    where the data sets and systems it uses are. Per place: EU/EEA →
    in_control; a country with an EU adequacy decision (GDPR art. 45) →
    partial; elsewhere → not_in_control. A country whose adequacy rests only on
    the EU-US Data Privacy Framework (the US) counts as not_in_control: it
    covers only certified organisations, and the inventory does not record
    certification. A location without a country, or a system with no location
    at all, is an unknown part.

Legal: whose law can compel access?
    The parties are the supplier (provided_by), the operator (operated_by) and
    the location's operator of every system it runs on, each with its legal
    reach (:func:`sovmap.graph.ownership.legal_reach`: registration,
    headquarters, controlling owners and significant co-owners, as the policy's
    ``reach`` says). Per supplier group, over the reach of its parties
    involved: only EU/EEA → in_control, unless the ownership of a party is
    unknown (then ``unknown``: never in control on missing facts); a jurisdiction with a law that reaches
    data abroad (``country(c).laws``: US CLOUD Act, FISA 702; CN) →
    not_in_control; an adequacy country without such a law → partial; any
    other non-EU/EEA country → not_in_control. The jurisdictions (codes) and
    the laws (ids, names) are listed. Customer-held keys (key_control customer)
    are reported as a mitigation but do not raise the level: the inventory does
    not say whether the provider can read the data while processing it.
    No party known → unknown. A node is legally in control only when every
    group involved is: one of unknown ownership makes it ``unknown`` unless
    another already makes it partial or not in control.

Operational: can a non-European party cut it off, and can we leave?
    A supplier group (an ultimate parent with all it owns) is a single point of
    failure of a node when cutting the whole group alone makes the node fail
    (:func:`sovmap.graph.concentration.blast_radius`, computed once, with the
    k-of-N groups of alternatives). A group is non-European when some party in
    it is registered outside the EU/EEA. Per single point of failure: European
    → in_control; non-European with a prepared exit from it (every system of
    the group that the node runs on has open-standard data export and an exit
    plan) → partial; non-European without → not_in_control; country unknown →
    unknown part (as is a group of unknown ownership; a node whose other
    single points of failure are European is then ``unknown``, not in
    control). No single point of failure → in_control (non-European groups
    that alternatives can replace are reported). No supplier known → unknown.

Requirements come from a policy (:mod:`sovmap.graph.policy`); a gap is a
dimension whose level is below the requirement (``unknown`` always is), with
the steps that would close it. Reasons and steps are dicts ``{"code", "text",
"params"}`` (steps also ``"closes"``): ``text`` is English; render Dutch with
:func:`sovmap.graph.levels.reason_text`.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("D", kind="dataset", name="Case files", classification="confidential")
>>> g.add_node("SYS", kind="system", name="Cases", data_export="proprietary", exit_plan="no")
>>> g.add_node("L", kind="location", name="Amsterdam DC", country="NL")
>>> g.add_node("S-NL", kind="supplier", name="Hoster B.V.", country="NL")
>>> g.add_node("S-US", kind="supplier", name="Parent Inc.", country="US")
>>> for u, v, rel in [("D", "SYS", "stored_in"), ("SYS", "L", "hosted_at"), ("SYS", "S-NL", "provided_by"),
...                   ("L", "S-NL", "operated_by"), ("S-NL", "S-US", "owned_by")]:
...     _ = g.add_edge(u, v, key=rel)
>>> d = assess(g)["items"][0]
>>> d["id"], d["geographic"]["level"], d["legal"]["level"], d["legal"]["jurisdictions"]
('D', 'in_control', 'not_in_control', ['NL', 'US'])
>>> [law["id"] for law in d["legal"]["laws"]]
['US-CLOUD-ACT', 'US-FISA-702']
>>> d["operational"]["level"]
'not_in_control'
>>> [(x["dimension"], x["required"], x["actual"]) for x in assess(g)["gaps"] if x["id"] == "D"]
[('legal', 'in_control', 'not_in_control'), ('operational', 'partial', 'not_in_control')]
"""


from __future__ import annotations

import networkx as nx

from sovmap.ingest.read import gc_paused
from sovmap.ontology.countries import country

from .assessment_details import (Cutoff, Exposure, GeographicDetail, LegalDetail, OperationalDetail, Place,
                                 geographic_level, legal_level)
from .assessment_facts import _KIND_ORDER, ASSESSED_KINDS, Facts, Party, SupplierGroup, assessment_facts
from .assessment_gaps import _ATTRIBUTES, _gap, actions
from .levels import UNKNOWN, deferred_texts, dimensions, rank
from .policy import Policy, default_policy, requirements, strictest

__all__ = [
    "ASSESSED_KINDS",
    "Party",
    "SupplierGroup",
    "Place",
    "Exposure",
    "Cutoff",
    "GeographicDetail",
    "LegalDetail",
    "OperationalDetail",
    "Facts",
    "assessment_facts",
    "geographic_level",
    "legal_level",
    "assess",
    "actions",
    "level_changes",
]


def assess(g: nx.MultiDiGraph, policy: Policy | None = None, facts: Facts | None = None, texts: bool = True,
           lean: bool = False) -> dict:
    """Assess every process, data set and system in three dimensions, and list the gaps against ``policy``.

    Parameters
    ----------
    g : the typed graph (:func:`sovmap.graph.model.build_graph`).
    policy : the requirements; the default policy (``policy.yaml``) when None.
    facts : :func:`assessment_facts` of ``g``, when already computed.
    texts : False: reasons and steps get ``text`` None (the rest is the same); write the
        texts of those shown with :func:`sovmap.graph.levels.fill_texts`. A national
        inventory has millions of reasons that no summary shows.
    lean : True: items keep only ``id``, ``kind`` and per dimension ``level`` and
        ``complete`` (legal also ``jurisdictions`` and ``laws``), what summaries count;
        the gaps are whole. A tenth of the memory of the whole items.

    Returns
    -------
    dict
        ``{"items": [...], "gaps": [...]}``. An item: ``id``, ``kind``, ``name``,
        its criticality / classification / personal_data when set, and per
        dimension ``{"level", "complete", "reasons", ...}`` (geographic adds
        ``countries``; legal ``jurisdictions``, ``laws`` and ``customer_keys``;
        operational ``single_points_of_failure``), ``required`` (dimension →
        level or None) and ``required_by`` (dimension → the requirement
        sources). A gap: ``id``, ``kind``, ``name``, ``dimension``,
        ``required``, ``actual``, ``severity``, ``steps``, ``required_by`` (the
        requirements missed), ``reasons``; the most severe first.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("P", kind="process", name="Payments", criticality="vital")
    >>> g.add_node("SYS", kind="system", name="Bank link", data_export="open-standard", exit_plan="yes")
    >>> g.add_node("S", kind="supplier", name="Kynthos", country="US")
    >>> _ = g.add_edge("P", "SYS", key="uses")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> out = assess(g)
    >>> [(i["id"], i["operational"]["level"]) for i in out["items"]]
    [('P', 'partial'), ('SYS', 'partial')]
    >>> gap = out["gaps"][0]
    >>> gap["id"], gap["required"], gap["severity"], gap["steps"][0]["text"]
    ('P', 'in_control', 64, 'Replace supplier group S (Kynthos; US) by an EU/EEA alternative for SYS, or add one as a working alternative (alternative_group).')
    """
    policy = policy or default_policy()
    facts = facts or assessment_facts(g, policy)
    with deferred_texts(not texts), gc_paused(long_lived=True):  # millions of small dicts, no cycles among them
        return _assess(g, policy, facts, lean)


def _assess(g: nx.MultiDiGraph, policy: Policy, facts: Facts, lean: bool = False) -> dict:
    needed = requirements(g, policy, facts.runs_on)
    items, gaps = [], []
    for n in facts.nodes():
        data = g.nodes[n]
        item = {"id": n, "kind": data["kind"], "name": data.get("name")}
        item.update({a: data[a] for a in _ATTRIBUTES if data.get(a)})
        geo, leg, op = facts.geographic(n), facts.legal(n), facts.operational(n)
        item["geographic"] = {"level": geo.level, "complete": geo.complete,
                              "countries": sorted({p.country for p in geo.places if p.country}),
                              "reasons": geo.reasons}
        jurisdictions = leg.jurisdictions
        item["legal"] = {"level": leg.level, "complete": leg.complete, "jurisdictions": jurisdictions,
                         "laws": [{"id": law.id, "name": law.name, "country": law.country}
                                  for c in jurisdictions for law in country(c).laws],
                         "customer_keys": leg.customer_keys, "reasons": leg.reasons}
        item["operational"] = {"level": op.level, "complete": op.complete,
                               "single_points_of_failure": [
                                   {"supplier_group": c.group, "name": c.name, "countries": c.countries,
                                    "european": {"eu": True, "non_eu": False}.get(c.status),
                                    "european_reason": facts.groups[c.group].reason, "level": c.level}
                                   for c in op.cutoffs],
                               "reasons": op.reasons}
        item["required"] = {dim: strictest(needed[n].get(dim, [])) for dim in dimensions()}
        item["required_by"] = needed[n]
        for dim, detail in {"geographic": geo, "legal": leg, "operational": op}.items():
            gap = _gap(item, dim, detail, needed[n].get(dim, []))
            if gap:
                gaps.append(gap)
        if lean:
            item = {"id": n, "kind": item["kind"],
                    **{d: {"level": item[d]["level"], "complete": item[d]["complete"]} for d in dimensions()}}
            item["legal"].update(jurisdictions=jurisdictions, laws=[{"id": law.id, "name": law.name,
                                                                     "country": law.country}
                                                                    for c in jurisdictions for law in country(c).laws])
        items.append(item)
    dim_order = {d: i for i, d in enumerate(dimensions())}
    gaps.sort(key=lambda x: (-x["severity"], _KIND_ORDER[x["kind"]], dim_order[x["dimension"]], x["id"]))
    return {"items": items, "gaps": gaps}


def level_changes(before: dict, after: dict) -> list[dict]:
    """The levels that differ between two assessments of the same inventory (e.g. before and after a what-if).

    Each row: ``id``, ``kind``, ``name``, ``dimension``, ``before``, ``after``,
    ``gap_before``, ``gap_after`` (whether that dimension is a gap); items in
    only one of the two are left out. Worse changes come first.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("SYS", kind="system", name="Hosting")
    >>> g.add_node("S", kind="supplier", name="Rijnstad", country="NL")
    >>> _ = g.add_edge("SYS", "S", key="provided_by")
    >>> h = g.copy()
    >>> h.add_node("S-US", kind="supplier", name="Buyer", country="US")
    >>> _ = h.add_edge("S", "S-US", key="owned_by")
    >>> [(c["dimension"], c["before"], c["after"]) for c in level_changes(assess(g), assess(h))]
    [('legal', 'in_control', 'not_in_control'), ('operational', 'in_control', 'not_in_control')]
    """
    old = {i["id"]: i for i in before["items"]}
    gaps_before = {(x["id"], x["dimension"]) for x in before["gaps"]}
    gaps_after = {(x["id"], x["dimension"]) for x in after["gaps"]}
    rows = []
    for i in after["items"]:
        j = old.get(i["id"])
        if j is None:
            continue
        for dim in dimensions():
            if i[dim]["level"] != j[dim]["level"]:
                rows.append({"id": i["id"], "kind": i["kind"], "name": i["name"], "dimension": dim,
                             "before": j[dim]["level"], "after": i[dim]["level"],
                             "gap_before": (i["id"], dim) in gaps_before, "gap_after": (i["id"], dim) in gaps_after})
    dim_order = {d: i for i, d in enumerate(dimensions())}

    def worse(r: dict) -> int:
        a, b = r["after"], r["before"]
        return (rank(a) if a != UNKNOWN else 0.5) - (rank(b) if b != UNKNOWN else 0.5)

    rows.sort(key=lambda r: (worse(r), _KIND_ORDER[r["kind"]], r["id"], dim_order[r["dimension"]]))
    return rows
