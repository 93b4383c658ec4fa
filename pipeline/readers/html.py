"""HTML: a letter saved as a web page (often named .doc by e-office systems), or a mail's HTML body.

The text is taken block by block (a paragraph, a table cell, a line break each end a line);
scripts and styles are dropped. Parsed with lxml's HTML parser with the network off.
"""
from __future__ import annotations

import re
import unicodedata

from ..errors import ReadError
from ..models import RawDocument

_BLOCKS = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                     "article", "blockquote", "pre", "hr", "title", "ul", "ol", "center"})
_CELLS = frozenset({"td", "th"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def html_to_text(data: bytes, name: str = "") -> str:
    """The text of an HTML page, one block a line, NFC.

    >>> html_to_text(b"<p>S\\xe1\\xbb\\x91: 12/UBND</p><p>V/v abc</p>")
    'Số: 12/UBND\\nV/v abc'
    """
    from lxml import etree, html

    m = _CHARSET.search(data[:4096])
    encoding = m.group(1).decode("ascii", "replace") if m else "utf-8"
    try:
        parser = html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True,
                                 remove_pis=True)
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError, LookupError) as e:
        raise ReadError(f"HTML hỏng, không đọc được ({e})", name or None) from e
    for bad in root.xpath("//script|//style|//head/title"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _BLOCKS:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _CELLS:
            parts.append("\t")
        if tag in _BLOCKS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    text = "".join(parts).replace("\xa0", " ")
    lines = [" ".join(ln.replace("\t", "    ").split()) if "\t" not in ln.strip("\t") else
             "    ".join(" ".join(c.split()) for c in ln.split("\t") if c.strip()) for ln in text.split("\n")]
    out = "\n".join(ln for ln in lines if ln)
    return unicodedata.normalize("NFC", out)


def read_html(data: bytes, name: str, sha256: str) -> RawDocument:
    """A RawDocument from an HTML page's bytes."""
    text = html_to_text(data, name)
    return RawDocument(path=name, format="html", sha256=sha256, text=text, size=len(data))
