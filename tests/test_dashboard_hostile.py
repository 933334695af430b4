"""Every dashboard page with an inventory of hostile names (tests/fixtures/hostile): nothing the browser would fetch.

The fixture's names are markdown images and links, HTML tags, ``<script>``, ``javascript:`` URLs,
formula prefixes, control characters and a very long name, all pointing at ``evil.example``. Every
text Streamlit renders as markdown (bodies, labels, help) and every piece of HTML (st.html, the report's
iframe, the graph component's side panel) is checked: user text must arrive escaped, so the host never
appears with an unescaped dot, and no image, link, raw HTML or remote URL may be formed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from sovmap.dashboard.analysis import compute_analysis
from sovmap.dashboard.downloads import csv_download
from sovmap.dashboard.escape import html_escape, md_escape
from sovmap.dashboard.tables import impact_columns, impact_rows, spof_columns, spof_rows
from sovmap.graph.impact import impact
from sovmap.graph.scenarios import Scenario
from sovmap.store import Workspace

APP = str(Path(__file__).parents[1] / "dashboard" / "app.py")
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
HOST = "evil.example"
# What a browser would follow or fetch when it appears in markdown unescaped.
REMOTE = re.compile(r"(?<!\\)(?:\b(?:https?|javascript|data|file):|\bwww\.|(?:^|(?<!\\)[(<])//)", re.I)
# remark-gfm links "https://..." and "www.x" found in text after escapes are resolved.
LINKIFY = re.compile(r"\b(?:https?://|www\.)", re.I)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
MARKDOWN_FIELDS = ("body", "label", "help")  # fields Streamlit renders as markdown
HTML_TYPES = {"html": "body", "iframe": "srcdoc"}
PLAIN_TYPES = {"code", "dataframe", "arrow_data_frame", "html", "iframe", "component_instance", "json"}


def hostile_files() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(HOSTILE.glob("*.csv"))]


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory) -> Path:
    """A workspace with two hostile versions: in v0002 the hostile US parent owns its subsidiaries again."""
    root = tmp_path_factory.mktemp("hostile-ws")
    ws = Workspace(root)
    moved = [(n, d.replace(b'beacon.png),US', b'beacon.png),NL')) for n, d in hostile_files()]
    assert moved != hostile_files()
    for files in (moved, hostile_files()):
        version, problems = ws.add(files)
        assert version is not None, [str(p) for p in problems]
    return root


@pytest.fixture(scope="module")
def hostile(hostile_root):
    ws = Workspace(hostile_root)
    return compute_analysis(ws.current(), ws.load_graph())


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []  # the text of <style> elements and style attributes

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.styles += [v or "" for k, v in attrs if k == "style"]

    def handle_data(self, data):
        if self.tags and self.tags[-1][0] == "style":
            self.styles.append(data)


def parsed(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    return parsed(text).tags


def markdown_findings(where: str, text: str) -> list[str]:
    """What in one markdown text would make the browser fetch or follow something, or shows user text raw."""
    out = []
    if HOST in text:
        out.append(f"{where}: unescaped user text {text[:160]!r}")
    if REMOTE.search(text) or LINKIFY.search(text.replace("\\", "")):
        out.append(f"{where}: a remote reference in {text[:160]!r}")
    if CONTROL.search(text):
        out.append(f"{where}: a control character in {text[:160]!r}")
    for token in MARKDOWN.parse(text):
        for t in [token, *(token.children or [])]:
            if t.type in ("image", "link_open", "html_inline", "html_block"):
                out.append(f"{where}: markdown forms {t.type} {t.content or t.attrs!r} in {text[:160]!r}")
    return out


def html_findings(where: str, text: str) -> list[str]:
    """What in a piece of HTML would make the browser fetch or run something the app does not ship."""
    out = []
    html = parsed(text)
    for tag, attrs in html.tags:
        if tag in ("script", "iframe", "object", "embed", "base", "link", "img", "frame", "image"):
            out.append(f"{where}: a <{tag}> element")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "http-equiv" or HOST in value or value.startswith(("javascript:", "data:")) or (
                    name in ("src", "href", "xlink:href", "action", "srcset", "poster") and "//" in value):
                out.append(f"{where}: <{tag} {name}={value!r}>")
    out += [f"{where}: a remote url() in a style" for css in html.styles if re.search(r"url\(|@import", css, re.I)]
    return out


def component_findings(where: str, args: str) -> list[str]:
    """The graph component writes every data field but ``label`` into its side panel as HTML."""
    out = []
    elements = json.loads(args).get("elements", {})
    for item in elements.get("nodes", []) + elements.get("edges", []):
        for key, value in item["data"].items():
            if key != "label" and (tags(str(value)) or tags(str(key))):
                out.append(f"{where}: HTML in the side panel's {key!r}: {str(value)[:120]!r}")
    return out


def findings(at: AppTest, page: str) -> list[str]:
    """Everything unsafe the page rendered."""
    out = []
    for node in walk(at._tree):
        proto, kind = getattr(node, "proto", None), getattr(node, "type", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        where = f"{page}/{kind}"
        fields = {f.name: v for f, v in proto.ListFields()}
        if kind in HTML_TYPES:
            out += html_findings(where, fields.get(HTML_TYPES[kind], ""))
        elif kind == "component_instance":
            out += component_findings(where, fields.get("json_args", "{}"))
        if kind in PLAIN_TYPES:
            continue
        for name in MARKDOWN_FIELDS:
            if isinstance(fields.get(name), str):
                out += markdown_findings(f"{where}.{name}", fields[name])
    return out


@pytest.fixture
def open_hostile(monkeypatch, hostile_root):
    def _open(page: str, query: dict | None = None, lang: str = "en") -> AppTest:
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(hostile_root))
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["lang"] = lang
        at.run()
        at.query_params.update(query or {})
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        return at

    return _open


class TestHostileNames:
    def test_the_fixture_is_hostile_and_loads(self, hostile):
        names = [d.get("name", "") for _, d in hostile.g.nodes(data=True)]
        assert sum(HOST in n for n in names) >= 10
        assert any("\x1b" in n for n in names) and any(len(n) > 3000 for n in names)

    @pytest.mark.parametrize("page, query", [
        ("overview", {}), ("upload", {}), ("versions", {}), ("spof", {}), ("gaps", {}), ("report", {}),
        ("graph", {}), ("graph", {"node": "SYS-MAIL"}), ("graph", {"node": "L-NORD"}),
        ("graph", {"node": "P-MAIL"}), ("graph", {"node": "D-ZAAK"}),
        ("impact", {}), ("impact", {"supplier": ["S-KYN", "S-EU"], "country": ["US"], "location": ["L-FRA"]}),
    ])
    def test_no_page_renders_user_text_unescaped(self, open_hostile, page, query):
        at = open_hostile(page, query)
        shown = [n for n in walk(at._tree) if getattr(n, "type", None) not in (None, "main", "sidebar", "event")]
        assert len(shown) > 5  # the page drew its content, not only a message
        assert findings(at, page) == []

    def test_the_largest_non_european_supplier_is_named_escaped_on_its_button(self, open_hostile, hostile):
        at = open_hostile("impact")
        top = next(r for r in hostile.ranking if not r["european"])
        assert HOST in top["name"]
        assert at.button[0].label == f"What if {md_escape(top['name'])} cuts access?"

    def test_the_check_finds_what_it_looks_for(self):
        """The checks themselves: raw user text in markdown or HTML is found."""
        assert markdown_findings("x", "![t](http://evil.example/b.png)")
        assert markdown_findings("x", "<b onmouseover=x>")
        assert markdown_findings("x", "Noord\x1b[31m")
        assert markdown_findings("x", "![a](//cdn.host/x.png)") and markdown_findings("x", "www.host.nl")
        assert markdown_findings("x", md_escape("![t](http://evil.example/b.png) <b> www.x.nl")) == []
        assert markdown_findings("x", "\\[r\\]\\: https\\://evil\\.example/ref\\.png")  # linked by remark-gfm
        assert html_findings("x", '<img src="//evil.example/x.png">')
        assert html_findings("x", "<div style=\"background:url('https://cdn.example/x')\">")
        assert html_findings("x", html_escape("<img src=https://evil.example/x.png>")) == []
        assert component_findings("x", json.dumps({"elements": {"nodes": [{"data": {"k": "<img src=x>"}}]}}))


class TestHostileDownloads:
    def test_the_tables_built_in_export_is_off(self, open_hostile):
        from streamlit import config

        config.set_option("client.disableDataExport", False)
        open_hostile("spof")
        assert config.get_option("client.disableDataExport") is True

    def test_the_own_downloads_neutralise_every_formula(self, hostile):
        r = impact(hostile.g, Scenario(suppliers=["S-KYN", "S-EU"]))
        tables = [(impact_columns("en"), impact_rows(hostile.g, r["failed"], "en")),
                  (spof_columns("en"), spof_rows(hostile.spof_all, "en"))]
        for columns, rows in tables:
            assert rows
            cells = [c for row in csv.reader(io.StringIO(csv_download(columns, rows, "en").decode("utf-8-sig")))
                     for c in row]
            assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
        failed = csv_download(*tables[0], "en").decode("utf-8-sig")
        assert "'-2+3 ![d](https://evil.example/d.png)" in failed  # the data set's name, kept as text
