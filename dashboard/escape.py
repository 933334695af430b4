"""The one way user text enters what the dashboard shows: as markdown, or as HTML.

Streamlit renders markdown in ``st.markdown``, captions, alerts, spinners,
statuses and every widget's label, so a supplier named
``![t](http://host/beacon.png)`` would make the browser fetch a remote image.
Every value from an inventory, a workspace or a Neo4j server is therefore passed
through :func:`md_escape` before it is put into such a text, and through
:func:`html_escape` before it is put into HTML (the legend, the board report,
the graph component's side panel). Both first replace control characters
(terminal escapes, NUL, bidirectional overrides) with a space; :func:`md_escape`
also puts an invisible word joiner after ``http``/``www``, which Streamlit would
otherwise turn into a link even when escaped. Option labels of
select boxes are shown as plain text and are not escaped.

Examples
--------
>>> print(md_escape("![t](http://host/beacon.png)").replace("\\u2060", "<WJ>"))
\\!\\[t\\]\\(http<WJ>\\://host/beacon\\.png\\)
>>> html_escape('<img src="x">\\x1b[31m')
'&lt;img src=&quot;x&quot;&gt; [31m'
"""

from __future__ import annotations

import html
import re

__all__ = ["md_escape", "html_escape", "printable"]

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:&@"})
# C0 and C1 controls (tab and line breaks included: a name is one line), DEL, and the bidirectional
# overrides and isolates that can make a name read differently from what it is.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Streamlit's markdown (remark-gfm) turns "https://..." and "www...." in text into links even when every
# character is escaped: an invisible word joiner after the scheme keeps them text.
_AUTOLINK = re.compile(r"\b(https?|ftp|www)(?=\\[:.])", re.IGNORECASE)


def printable(text: object) -> str:
    """``text`` as a string with every control character replaced by a space.

    >>> printable("Mail\\x07\\nserver")
    'Mail  server'
    """
    return _CONTROL.sub(" ", "" if text is None else str(text))


def md_escape(text: object) -> str:
    """User text made safe to put into Streamlit markdown (and widget labels): every markdown character escaped.

    >>> md_escape("[klik](https://x.example) *nu*")
    '\\\\[klik\\\\]\\\\(https\\u2060\\\\://x\\\\.example\\\\) \\\\*nu\\\\*'
    """
    return _AUTOLINK.sub("\\1\u2060", printable(text).translate(_MARKDOWN))


def html_escape(text: object) -> str:
    """User text made safe to put into HTML, as element text or a quoted attribute value.

    >>> html_escape("Zaken <b>")
    'Zaken &lt;b&gt;'
    """
    return html.escape(printable(text), quote=True)
