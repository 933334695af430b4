"""The dashboard's session-state keys, in one place, and the one function that sets their defaults."""

from __future__ import annotations

from collections.abc import Collection, Container, Mapping, MutableMapping, Sequence

from .i18n import pick_language

__all__ = [
    "LANG",
    "LANG_SWITCH",
    "UPLOAD_RESULT",
    "UPLOADER",
    "UPLOAD_LABEL",
    "BACKEND",
    "DATA_SOURCE",
    "NEO4J_SOURCE",
    "GRAPH_FOCUS",
    "GRAPH_QUERY",
    "GRAPH_QUERY_SEEN",
    "GRAPH_SEARCH",
    "GRAPH_SELECTED",
    "GRAPH_EXPANDED",
    "GRAPH_EVENT_SEEN",
    "GRAPH_MODE",
    "GRAPH_TARGET",
    "GRAPH_DEPTH",
    "GRAPH_GROUPS",
    "GRAPH_CHAIN_EVENT",
    "GRAPH_VIEW_SEEN",
    "GRAPH_UNFOLDED",
    "IMPACT_SUPPLIERS",
    "IMPACT_SUBSIDIARIES",
    "IMPACT_COUNTRIES",
    "IMPACT_LOCATIONS",
    "IMPACT_EVENT",
    "IMPACT_CRITICAL",
    "SPOF_CRITICALITY",
    "SPOF_SORT",
    "SPOF_NON_EU",
    "GAPS_DIMENSIONS",
    "GAPS_KINDS",
    "GAPS_SORT",
    "GAPS_ALL",
    "DIFF_FROM",
    "DIFF_TO",
    "DEMO",
    "CONFIRM_CURRENT",
    "VERSION_CHOSEN",
    "KEPT",
    "init_state",
    "keep_choices",
    "open_demo",
    "forget_result",
    "leave_demo",
    "switch_language",
    "focus_on",
    "take_event",
    "cut_largest_non_european",
    "seed_from_url",
]

LANG = "lang"  # "nl" or "en", mirrored in ?lang=
LANG_SWITCH = "lang_switch"  # the sidebar's language switch
UPLOAD_RESULT = "upload_result"  # dashboard.upload.UploadResult of the last upload attempt
UPLOADER = "uploader"  # the file uploader widget; its key changes after every upload to clear it
UPLOAD_LABEL = "upload_label"  # the name given to the next version (with the uploader's number, as its key)

BACKEND = "backend"  # dashboard.data.Backend: where this run's pages read the inventory (set by app.py)
DATA_SOURCE = "data_source"  # the sidebar's choice when a Neo4j server is set: "neo4j" or "workspace"
NEO4J_SOURCE = "neo4j_source"  # the sidebar's choice of source in the Neo4j server

GRAPH_FOCUS = "graph_focus"  # node id the neighbourhood is drawn around
GRAPH_SEARCH = "node"  # the search box's selection, mirrored in ?node=
GRAPH_QUERY = "graph_query"  # with Neo4j: the text searched for in the server
GRAPH_QUERY_SEEN = "graph_query_seen"  # the text whose first hit became the focus
GRAPH_SELECTED = "graph_selected"  # node id shown in the details panel
GRAPH_EXPANDED = "graph_expanded"  # node ids whose neighbours were added by a double-click
GRAPH_EVENT_SEEN = "graph_event_seen"  # timestamp of the last event acted upon
GRAPH_MODE = "graph_mode"  # "down" (what does it depend on), "up" (what depends on it) or "path"
GRAPH_TARGET = "graph_target"  # path mode: the second item
GRAPH_DEPTH = "graph_depth"  # "all" or a number of steps
GRAPH_GROUPS = "graph_groups"  # supplier groups: "separate", "boxed" or "collapsed"
GRAPH_CHAIN_EVENT = "graph_chain_event"  # the chain component's key: its last event
GRAPH_VIEW_SEEN = "graph_view_seen"  # (focus, mode, target) the expanded nodes belong to
GRAPH_UNFOLDED = "graph_unfolded"  # node ids of aggregates the user opened by a double-click

# The impact page's widgets are bound to the URL: their keys are the query parameter names.
IMPACT_SUPPLIERS = "supplier"
IMPACT_SUBSIDIARIES = "subsidiaries"
IMPACT_COUNTRIES = "country"
IMPACT_LOCATIONS = "location"
IMPACT_EVENT = "impact_graph_event"
IMPACT_CRITICAL = "impact_critical"  # draw only vital/high processes and their chains

SPOF_CRITICALITY = "spof_criticality"
SPOF_SORT = "spof_sort"
SPOF_NON_EU = "spof_non_eu"

GAPS_DIMENSIONS = "gaps_dimensions"
GAPS_KINDS = "gaps_kinds"
GAPS_SORT = "gaps_sort"
GAPS_ALL = "gaps_all"  # on Neo4j: every gap, computed from the pulled graph, instead of the stored most severe

ROADMAP_DIMENSIONS = "roadmap_dimensions"
ROADMAP_ORGANISATIONS = "roadmap_organisations"

DIFF_FROM = "diff_from"
DIFF_TO = "diff_to"

DEMO = "demo"  # True while this session looks at the demo municipality (its own workspace, not the user's)
VERSION_CHOSEN = "version_chosen"  # the versions page's chosen version
CONFIRM_CURRENT = "confirm_current"  # the version waiting for "yes, make it current" on the versions page

# Choices kept when the user visits another page and comes back. Streamlit forgets the value of a widget
# that a run does not draw; assigning each key to itself at the start of every run (keep_choices, called
# by app.py) makes it a value of the session's own, which the widget takes up again when it is drawn.
KEPT = (IMPACT_SUPPLIERS, IMPACT_SUBSIDIARIES, IMPACT_COUNTRIES, IMPACT_LOCATIONS, IMPACT_CRITICAL,
        SPOF_CRITICALITY, SPOF_SORT, SPOF_NON_EU, GAPS_DIMENSIONS, GAPS_KINDS, GAPS_SORT, GAPS_ALL, DIFF_FROM, DIFF_TO,
        VERSION_CHOSEN, GRAPH_SEARCH, GRAPH_MODE, GRAPH_TARGET, GRAPH_DEPTH, GRAPH_GROUPS)


def init_state(state: MutableMapping, query: Mapping[str, str], locale: str | None,
               accept_language: str | None) -> None:
    """Set every key's default once per session; the language from ?lang=, else the browser's."""
    defaults = {
        LANG: pick_language(query.get("lang"), locale, accept_language),
        UPLOAD_RESULT: None,
        UPLOADER: 0,
        GRAPH_FOCUS: None,
        GRAPH_SELECTED: None,
        GRAPH_EXPANDED: [],
        GRAPH_EVENT_SEEN: None,
        SPOF_CRITICALITY: ["vital", "high"],
        SPOF_SORT: "criticality",
        SPOF_NON_EU: False,
        GAPS_DIMENSIONS: [],
        GAPS_KINDS: [],
        GAPS_SORT: "severity",
        IMPACT_CRITICAL: True,
        DEMO: False,
        CONFIRM_CURRENT: None,
    }
    for key, value in defaults.items():
        if key not in state:
            state[key] = value
    if LANG_SWITCH not in state:
        state[LANG_SWITCH] = state[LANG]


def keep_choices(state: MutableMapping, keys: Collection[str] = KEPT) -> None:
    """Keep the pages' choices across page switches: each key in ``keys`` that has a value is set to it again.

    >>> state = {SPOF_NON_EU: True}
    >>> keep_choices(state)
    >>> state
    {'spof_non_eu': True}
    """
    for key in keys:
        if key in state:
            state[key] = state[key]


def forget_result(state: MutableMapping) -> None:
    """Callback of the uploader: new files were chosen, so the last upload's message no longer applies."""
    state[UPLOAD_RESULT] = None


def open_demo(state: MutableMapping) -> None:
    """Callback of "try the demo": this session shows the demo municipality, from a workspace of its own."""
    state[DEMO] = True


def leave_demo(state: MutableMapping) -> None:
    """Callback of "leave the demo": this session shows the user's own workspace again."""
    state[DEMO] = False


def switch_language(state: MutableMapping) -> None:
    """The language switch's callback: take over its choice (it cannot be emptied)."""
    if state.get(LANG_SWITCH) in ("nl", "en"):
        state[LANG] = state[LANG_SWITCH]


def focus_on(state: MutableMapping, node: str) -> None:
    """Callback of "centre on this node": make it the graph's focus (before the search box is drawn)."""
    state[GRAPH_SEARCH] = node


def take_event(state: MutableMapping, event, known: Container[str]) -> None:
    """Act once on the graph component's event: a click selects a node, a double-click also expands it.

    ``event`` is a :class:`sovmap.dashboard.graphview.Event` or None; events on nodes not in ``known``
    and events already acted upon are ignored.

    >>> from sovmap.dashboard.graphview import Event
    >>> state = {GRAPH_EVENT_SEEN: None, GRAPH_SELECTED: "A", GRAPH_EXPANDED: []}
    >>> take_event(state, Event("expand", "B", 7), {"A", "B"})
    >>> take_event(state, Event("expand", "B", 7), {"A", "B"})
    >>> state[GRAPH_SELECTED], state[GRAPH_EXPANDED]
    ('B', ['B'])
    """
    if not event or event.timestamp == state.get(GRAPH_EVENT_SEEN) or event.node not in known:
        return
    state[GRAPH_EVENT_SEEN] = event.timestamp
    state[GRAPH_SELECTED] = event.node
    if event.action == "expand" and event.node not in state[GRAPH_EXPANDED]:
        state[GRAPH_EXPANDED] = [*state[GRAPH_EXPANDED], event.node]


def cut_largest_non_european(state: MutableMapping, group: str) -> None:
    """Callback of "what if the largest non-European group cuts access": cut that group alone."""
    state[IMPACT_SUPPLIERS] = [group]
    state[IMPACT_COUNTRIES] = []
    state[IMPACT_LOCATIONS] = []


def seed_from_url(state: MutableMapping, key: str, values: Sequence[str], options: Collection[str],
                  many: bool = True) -> None:
    """Give the widget ``key`` its first value from the URL (``?key=a&key=b``), keeping only known options.

    A value the widget already has is kept, so the URL only seeds a page the user opens; values that are
    no longer options (another version became current) are dropped.

    >>> state = {}
    >>> seed_from_url(state, "supplier", ["S-1", "S-NOPE"], {"S-1", "S-2"})
    >>> seed_from_url(state, "supplier", ["S-2"], {"S-1", "S-2"})
    >>> state
    {'supplier': ['S-1']}
    >>> seed_from_url(state, "supplier", [], {"S-2"})
    >>> state
    {'supplier': []}
    """
    if key in state:
        current = state[key]
        if many:
            kept = [v for v in current if v in options]
            if kept != current:
                state[key] = kept
            return
        if current in options:
            return
        del state[key]
    known = [v for v in values if v in options]
    if known:
        state[key] = known if many else known[0]

