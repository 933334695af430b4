"""Reading an ArchiMate exchange file's XML safely: no DTD, no entities, line numbers kept.

The file is parsed with defusedxml and refused when it declares a DTD or
entities (billion-laughs expansion, external entities reading local files):
exchange files never need them.

Examples
--------
>>> root, lines, problems = parse("m.xml", b'<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"><name>M</name></model>')
>>> local(root.tag), text_of(root, "http://www.opengroup.org/xsd/archimate/3.0/", "en"), problems
('model', 'M', [])
>>> parse("bomb.xml", b'<!DOCTYPE m [<!ENTITY a "aaaa">]><m>&a;</m>')[2][0].rule
'unsafe-xml'
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .problems import Problem

__all__ = ["first_line_of", "local", "parse", "text_of"]


def parse(name: str, data: bytes) -> tuple[ET.Element | None, dict[int, int], list[Problem]]:
    """Parse safely; return the root, element line numbers by ``id(element)``, and problems."""
    lines: dict[int, int] = {}
    holder: dict[str, DefusedXMLParser] = {}

    def make(tag, attrs):
        el = ET.Element(tag, attrs)
        lines[id(el)] = holder["p"].parser.CurrentLineNumber
        return el

    parser = DefusedXMLParser(target=ET.TreeBuilder(element_factory=make), forbid_dtd=True,
                              forbid_entities=True, forbid_external=True)
    holder["p"] = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        return None, lines, [Problem(
            "unsafe-xml", name, None, None, type(exc).__name__,
            "The file declares a DTD or entities (<!DOCTYPE ...>, <!ENTITY ...>); it was refused for safety: such "
            "declarations can expand into gigabytes (\"billion laughs\") or read files from this computer.",
            "ArchiMate exchange files never need them: export the model again from your modelling tool "
            "(in Archi: File > Export > Model to Open Exchange File).")]
    except (LookupError, UnicodeError, ValueError) as exc:  # an encoding= the parser does not know
        return None, lines, [Problem("unreadable-source", name, 1, None, None,
                                     f"The file cannot be decoded ({first_line_of(exc)}).",
                                     'Export the model again as an Open Exchange File; it is written as encoding="UTF-8".')]
    except RecursionError:
        return None, lines, [Problem("unreadable-source", name, None, None, None,
                                     "The XML is nested too deeply to read.", "Export the model again as an Open Exchange File.")]
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        return None, lines, [Problem("unreadable-source", name, line, None, None,
                                     f"The file is not well-formed XML ({exc}).",
                                     "Export the model again as an Open Exchange File.")]
    return root, lines, []


def first_line_of(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def text_of(el: ET.Element, ns: str, lang: str) -> str:
    """The element's name (ArchiMate 3 ``name``, 2.1 ``label``) in ``lang`` if given, else the first."""
    names = el.findall(f"{{{ns}}}name") or el.findall(f"{{{ns}}}label")
    if not names:
        return ""
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    best = next((n for n in names if n.get(xml_lang) == lang), names[0])
    return " ".join((best.text or "").split())
