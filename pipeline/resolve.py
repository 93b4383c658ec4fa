"""Bodies and their names: folding for comparison, abbreviations expanded, one identity per body.

``fold`` is the comparison key: lower case, no diacritics, đ -> d, tone-mark style ignored
("hoà" = "hòa", "Thuỷ" = "Thủy"), punctuation squashed.

API for the other stages (citations, tasks):

- ``body_name(text) -> str``: a name as printed ("UBND TỈNH LÂM ĐỒNG", "SNV") in full words and
  normal case ("Ủy ban nhân dân tỉnh Lâm Đồng", "Sở Nội vụ"); rules/abbreviations.toml.
- ``resolve_body(text, header, date=None, add_locality=False) -> str``: the same, with a relative
  name resolved against the letter's own header: "UBND tỉnh" / "Chủ tịch UBND huyện" in a letter
  of "Ủy ban nhân dân huyện Sơn Tây" (parent "… tỉnh Quảng Ngãi") give "Ủy ban nhân dân tỉnh
  Quảng Ngãi" / "Chủ tịch Ủy ban nhân dân huyện Sơn Tây". The locality comes from
  ``header.issuer`` and ``header.parent_body`` (a district's province from rules/admin_units.toml);
  ``date`` (default ``header.date``) picks the province in force, so a former province named
  after 2025-07-01 resolves to the merged one. ``add_locality=True`` also gives a department
  named bare its province ("Sở Nội vụ" -> "Sở Nội vụ tỉnh Lâm Đồng"), as the gold writes bodies
  in citations. Names that nothing resolves come back expanded, never guessed.
- ``find_unit(name)``, ``province_on(name, date)``: the units table (63 provinces before the
  merger of 1 July 2025 and the 34 after; the PyPI package ``vietnam-provinces`` 2025.10.1 holds
  only the units after the merger, so the table lives in rules/admin_units.toml).
- ``fold``, ``expand_abbreviations``: comparison key and plain expansion.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from .rules import load_rules, load_table, rx


def fold(text: str | None) -> str:
    """Comparison key of a name.

    >>> fold("Ủy ban nhân dân tỉnh Lâm Đồng") == fold("UỶ BAN NHÂN DÂN TỈNH LÂM ĐỒNG")
    True
    """
    if not text:
        return ""
    return _fold(text)


_FOLD_WORD = regex.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    # cached: the same names and lines are folded many times over per document
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(_FOLD_WORD.findall(s))


@lru_cache(maxsize=1)
def _abbrev_pattern() -> tuple[regex.Pattern[str], dict[str, str]]:
    table = {r["abbr"]: r["full"] for r in load_rules("abbreviations.toml")}
    alts = "|".join(regex.escape(a) for a in sorted(table, key=len, reverse=True))
    # not inside a symbol ("NĐ-CP", "TT-BTC"): no hyphen or slash on either side
    return regex.compile(rf"(?<![\p{{L}}\p{{N}}/-])(?:{alts})(?![\p{{L}}\p{{N}}/-])"), table


def expand_abbreviations(text: str) -> str:
    """Abbreviations of bodies written out in full words.

    >>> expand_abbreviations("UBND tỉnh")
    'Ủy ban nhân dân tỉnh'
    """
    pat, table = _abbrev_pattern()
    return pat.sub(lambda m: table[m.group(0)], text)


# ---------------------------------------------------------------------------------------------
# Names of bodies: casing, administrative units, relative names resolved against a header.

_LEVEL_WORDS = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường", "đặc khu")
# not "xã hội" ("Bảo hiểm xã hội tỉnh …"), not a Party committee ("tỉnh ủy")
_LEVEL = regex.compile(r"(?<![\p{L}])(" + "|".join(_LEVEL_WORDS) + r")(?![\p{L}])(?!\s+(?:ủy|uỷ|ỦY|UỶ|hội|HỘI)\b)",
                       regex.IGNORECASE)
# the kind of body whose first word after it begins the body's own name ("Sở Nội vụ")
_BODY_KIND = regex.compile(
    r"^(Ủy ban nhân dân|Uỷ ban nhân dân|Hội đồng nhân dân|Hội đồng|Văn phòng|Sở|Bộ|Tổng cục|Cục|Vụ|Ban|Chi cục|Phòng"
    r"|Trung tâm|Viện|Học viện|Trường|Tòa án nhân dân|Viện kiểm sát nhân dân|Công an|Bảo hiểm xã hội"
    r"|Kho bạc Nhà nước|Ngân hàng|Hội|Liên đoàn|Liên minh|Đoàn|Ủy ban|Uỷ ban|Thanh tra|Đài|Báo|Tỉnh ủy|Huyện ủy"
    r"|Thành ủy|Đảng ủy|Chính phủ|Quốc hội|Thủ tướng Chính phủ|Kiểm toán Nhà nước|Mặt trận Tổ quốc)\b",
    regex.IGNORECASE)
_KEEP_UPPER = regex.compile(r"^(?:[A-ZĐ]{2,}[0-9]*|[IVX]+)$")


@lru_cache(maxsize=8192)  # names of bodies and places recur from letter to letter (speed, issue 15)
def case_body_name(text: str) -> str:
    """A body's name printed in capitals, in normal capitalisation.

    >>> case_body_name("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    'Sở Văn hóa, Thể thao và Du lịch'
    >>> case_body_name("ỦY BAN NHÂN DÂN HUYỆN SƠN TÂY")
    'Ủy ban nhân dân huyện Sơn Tây'
    """
    s = " ".join(text.split())
    if not s:
        return s
    letters = [c for c in s if c.isalpha()]
    if letters and sum(c.islower() for c in letters) > 0.3 * len(letters):
        return s[0].upper() + s[1:]  # already in normal case
    low = s.lower()
    out = low[0].upper() + low[1:]
    # after a level word every word is part of a place name: capitalise them
    m = _LEVEL.search(out)
    if m:
        head, tail = out[:m.end()], out[m.end():]
        tail = rx.sub(r"(?<![\p{L}])(\p{Ll})", lambda x: x.group(1).upper(), tail)
        out = head + tail
    # a Party committee named by its place ("Tỉnh ủy Lâm Đồng"): the place in capitals
    pm = rx.search(r"(?i)\b(?:tỉnh|huyện|thành|quận|đảng)\s+(?:ủy|uỷ)\s+", out)
    if pm and not m:
        out = out[:pm.end()] + rx.sub(r"(?<![\p{L}])(\p{Ll})", lambda x: x.group(1).upper(), out[pm.end():])
    # the own name of the body: first word after its kind, and after ", " and " và "
    k = _BODY_KIND.match(out)
    if k:
        rest_start = k.end()
        stop = m.start() if m and m.start() >= rest_start else len(out)
        mid = out[rest_start:stop]
        mid = rx.sub(r"^(\s+)(\p{Ll})", lambda x: x.group(1) + x.group(2).upper(), mid)
        mid = rx.sub(r"(,\s+|\svà\s+)(\p{Ll})", lambda x: x.group(1) + x.group(2).upper(), mid)
        out = out[:rest_start] + mid + out[stop:]
    out = rx.sub(r"\b(ủy|uỷ) ban", lambda x: x.group(0), out)
    out = rx.sub(r"(?i)\bviệt nam\b", "Việt Nam", out).replace("Chính Phủ", "Chính phủ").replace("chính phủ", "Chính phủ")
    out = out.replace("trung ương", "Trung ương").replace("nhà nước", "Nhà nước").replace("tổ quốc", "Tổ quốc")
    out = rx.sub(r"\bhồ chí minh\b", "Hồ Chí Minh", out)
    return out


@lru_cache(maxsize=8192)  # names of bodies and places recur from letter to letter (speed, issue 15)
def body_name(text: str) -> str:
    """A body's name as written (any case, abbreviated or not) in full words and normal case.

    >>> body_name("UBND TỈNH LÂM ĐỒNG")
    'Ủy ban nhân dân tỉnh Lâm Đồng'
    """
    s = " ".join(text.split()).strip(" ,;.-–")
    pat, table = _abbrev_pattern()
    # case first, with the abbreviations kept aside, then expand them
    found: list[str] = []

    def keep(m: regex.Match[str]) -> str:
        found.append(table[m.group(0)])
        return f"\x01{len(found) - 1}\x02"

    cased = case_body_name(pat.sub(keep, s))
    cased = rx.sub(r"\x01(\d+)\x02", lambda m: found[int(m.group(1))], cased)
    cased = " ".join(cased.split())
    if cased:
        cased = cased[0].upper() + cased[1:]
    return fix_unit_spelling(cased)


_LEVEL_THEN_WORDS = regex.compile(r"\b(tỉnh|thành\s+phố|huyện|thị\s+xã|quận)\s+(?=(\p{L}+(?:\s+\p{L}+){0,2}))")


def capitalize_units(text: str) -> str:
    """Unit names in a text lowered from capitals get their capitals back ("trên địa bàn tỉnh
    tuyên quang" -> "… tỉnh Tuyên Quang"), where rules/admin_units.toml knows the unit.

    >>> capitalize_units("mức trợ giúp trên địa bàn tỉnh tuyên quang năm 2010")
    'mức trợ giúp trên địa bàn tỉnh Tuyên Quang năm 2010'
    """
    out = text
    for m in reversed(list(_LEVEL_THEN_WORDS.finditer(text))):
        words = m.group(2).split()
        for n in (3, 2, 1):
            if len(words) < n:
                continue
            u = find_unit(f"{m.group(1)} {' '.join(words[:n])}")
            if u and fold(u["name"]) == fold(" ".join(words[:n])):
                at = m.start(2)
                span = rx.match(rf"\p{{L}}+(?:\s+\p{{L}}+){{{n - 1}}}", text[at:])
                if span:
                    end = at + span.end()
                    capped = rx.sub(r"\b(\p{L})", lambda c: c.group(1).upper(), text[at:end])
                    out = out[:at] + capped + out[end:]
                break
    return out


def _marks_key(word: str) -> str:
    # the letters and tone marks of a word, whatever the mark's place ("hoà" and "hòa" are one)
    return "".join(sorted(unicodedata.normalize("NFD", word.lower())))


@lru_cache(maxsize=8192)  # names of bodies and places recur from letter to letter (speed, issue 15)
def fix_unit_spelling(text: str) -> str:
    """A province named at the end of a body's name or a place, spelt as in rules/admin_units.toml
    where OCR misread a tone mark ("Công an tỉnh Lâm Đòng", lamdong-298-pc04.pdf); the old and
    new tone-mark styles are kept as written.

    >>> fix_unit_spelling("Công an tỉnh Lâm Đòng"), fix_unit_spelling("Ủy ban nhân dân tỉnh Khánh Hoà")
    ('Công an tỉnh Lâm Đồng', 'Ủy ban nhân dân tỉnh Khánh Hoà')
    """
    words = text.split()
    for n in (3, 2, 1):
        if len(words) < n:
            continue
        tail = words[-n:]
        level = words[-n - 1].lower() if len(words) > n else ""
        if len(words) > n and level not in ("tỉnh", "phố", "tinh"):
            continue
        u = find_unit(" ".join(tail))
        if not u or "province" in u:
            continue
        canon = u["name"].split()
        if len(canon) != n or fold(" ".join(canon)) != fold(" ".join(tail)):
            continue
        if all(_marks_key(a) == _marks_key(b) for a, b in zip(tail, canon, strict=True)) or " ".join(tail).isascii():
            return text  # the same name, or one written without any marks ("Lam Dong"): as written
        return " ".join(words[:-n] + canon)
    return text


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, dict], dict[str, str]]:
    rules = load_rules("admin_units.toml")
    by_key: dict[str, dict] = {}
    # with the level word always ("huyện Sơn Tây"); the bare name for provinces first, so
    # "Quảng Ngãi" is the province and "thành phố Quảng Ngãi" the city
    for r in rules:
        kinds = [r["kind"]] if "province" in r else ["tỉnh", "thành phố"]
        for name in [r["name"], *r.get("aliases", [])]:
            for kind in kinds:
                by_key[fold(f"{kind} {name}")] = r
    for r in sorted(rules, key=lambda r: r.get("kind") not in ("tỉnh", "thành phố") or "province" in r):
        for name in [r["name"], *r.get("aliases", [])]:
            by_key.setdefault(fold(name), r)
    table = load_table("admin_units.toml")
    return by_key, {"merger_date": table.get("merger_date", "2025-07-01")}


def find_unit(name: str) -> dict | None:
    """The entry of rules/admin_units.toml for a province or district name, any spelling; with
    its level word where one is written ("huyện Sơn Tây" is not "thị xã Sơn Tây").

    >>> find_unit("tỉnh Bình Thuận")["after"], find_unit("huyện Sơn Tây")["province"]
    ('Lâm Đồng', 'Quảng Ngãi')
    """
    by_key, _ = _units()
    return by_key.get(fold(name))


def province_on(name: str, date: str | None) -> str:
    """The province that a province named ``name`` is part of on ``date`` (ISO; None: as named).

    >>> province_on("Bình Thuận", "2026-01-10"), province_on("Bình Thuận", "2024-11-28")
    ('Lâm Đồng', 'Bình Thuận')
    """
    u = find_unit(name)
    if not u or "province" in u:
        return name
    merger = _units()[1]["merger_date"]
    if date and date >= merger:
        return u["after"]
    return u["name"]


def _locality(body: str | None) -> dict[str, str]:
    """{"tỉnh": "Quảng Ngãi", "huyện": "Sơn Tây", …} named in a body's full name."""
    out: dict[str, str] = {}
    if not body:
        return out
    for m in rx.finditer(r"(?<![\p{L}])(thành phố|thị xã|tỉnh|huyện|quận|xã|phường)\s+((?:\p{Lu}[\p{L}.'-]*\s?){1,4})",
                            body):
        level = m.group(1).lower()
        if level in ("thành phố",) and "tỉnh" not in out and find_unit(m.group(2).strip()):
            level = "tỉnh"
        out.setdefault(level, m.group(2).strip())
    return out


def resolve_body(text: str, context: object | None = None, date: str | None = None,
                 add_locality: bool = False) -> str:
    """A body named in a letter, in full words, with a relative name resolved against the letter.

    Args:
        text: the name as written: "UBND huyện", "Chủ tịch UBND tỉnh", "Sở Nội vụ", "UBND TỈNH LÂM ĐỒNG".
        context: the letter's ``Header`` (its ``issuer``/``parent_body`` give the locality) or None.
        date: ISO date for the units in force (default: the header's date); after 2025-07-01 a
            former province resolves to the merged one.
        add_locality: also give a department without locality its province ("Sở Nội vụ" ->
            "Sở Nội vụ tỉnh Lâm Đồng").
    Returns:
        the full name; the text expanded when nothing resolves it.

    >>> from pipeline.models import Header
    >>> h = Header(issuer="Ủy ban nhân dân huyện Sơn Tây", parent_body="Ủy ban nhân dân tỉnh Quảng Ngãi")
    >>> resolve_body("UBND tỉnh", h)
    'Ủy ban nhân dân tỉnh Quảng Ngãi'
    >>> resolve_body("Chủ tịch UBND huyện", h)
    'Chủ tịch Ủy ban nhân dân huyện Sơn Tây'
    """
    name = body_name(text)
    if context is None:
        return name
    issuer = getattr(context, "issuer", None)
    parent = getattr(context, "parent_body", None)
    date = date or getattr(context, "date", None)
    loc: dict[str, str] = {}
    for b in (issuer, parent):
        for k, v in _locality(b).items():
            loc.setdefault(k, v)
    if "tỉnh" not in loc and "huyện" in loc:
        u = find_unit(f"huyện {loc['huyện']}")
        if u and u.get("province"):
            loc["tỉnh"] = u["province"]
    m = rx.search(r"(?<![\p{L}])(tỉnh|huyện|thành phố|thị xã|quận|xã|phường)\s*$", name)
    if m and m.group(1) in loc:
        place = loc[m.group(1)]
        if m.group(1) == "tỉnh":
            place = province_on(place, date)
        return f"{name} {place}"
    if add_locality and "tỉnh" in loc and not _LEVEL.search(name) and rx.match(r"^(Sở|Văn phòng|Ban|Thanh tra|Công an)\b", name):
        return f"{name} tỉnh {province_on(loc['tỉnh'], date)}"
    return name


# ---------------------------------------------------------------------------------------------
# Body identities (issue 10, helper T2): one key per body, for matching and grouping tasks.

BODIES_FILE = "bodies.toml"


@lru_cache(maxsize=1)
def _body_rules() -> tuple[tuple[str, regex.Pattern[str], dict], ...]:
    """rules/bodies.toml compiled: (kind, pattern over the folded name, entry), in file order."""
    return tuple((r["kind"], regex.compile(r["grammar"]), r) for r in load_rules(BODIES_FILE))


_PAREN = regex.compile(r"\s*\(([^()]*)\)")
_VIA = regex.compile(r"(?i)^\s*(?:qua|thông\s+qua)\b")


def body_key(name: str | None, context: object | None = None, date: str | None = None) -> str:
    """The identity key of a body named in a letter: the same for every way of writing it.

    The name is resolved against the letter (``context``: its Header; ``date``: ISO, default the
    header's) as :func:`resolve_body` does with ``add_locality=True``, folded, then reduced by
    rules/bodies.toml: an office holder is the institution ("Giám đốc Sở Tài chính"), qualifiers
    after the name go ("Nhà đầu tư của 02 dự án …"), a merged body is the one in force on the date.
    A group keeps its group words ("UBND các xã, phường" -> "uy ban nhan dan cac xa phuong").
    Empty for an empty name.

    >>> body_key("Giám đốc Sở Tài chính"), body_key("Nhà đầu tư 02 dự án")
    ('so tai chinh', 'nha dau tu')
    >>> from pipeline.models import Header
    >>> body_key("Sở Tài chính", Header(issuer="Ủy ban nhân dân tỉnh Lâm Đồng"))
    'so tai chinh tinh lam dong'
    """
    if not name or not name.strip():
        return ""
    return _body_key(name, getattr(context, "issuer", None), getattr(context, "parent_body", None),
                     date or getattr(context, "date", None))


@lru_cache(maxsize=8192)
def _body_key(name: str, issuer: str | None, parent: str | None, date: str | None) -> str:
    # a parenthesis that names the channel ("UBND tỉnh (qua Sở Nội vụ)") or an aside goes first
    text = _PAREN.sub(lambda m: "" if _VIA.match(m.group(1)) or len(m.group(1).split()) > 1 else m.group(0), name)
    rules = _body_rules()
    # the holder's title off the name as written, so that the body after it is resolved as a body
    f = fold(text)
    for kind, pat, _r in rules:
        if kind == "holder":
            f2 = pat.sub("", f, count=1)
            if f2 != f:
                words = len(f.split()) - len(f2.split())
                text = " ".join(text.split()[words:]) or text
                f = f2
                break
    header = _KeyContext(issuer, parent, date) if (issuer or parent) else None
    key = fold(resolve_body(text, header, date, add_locality=True)) if header else fold(body_name(text))
    for kind, pat, r in rules:
        if kind == "qualifier":
            key = pat.sub("", key)
        elif kind == "rename" and date and date >= r["since"]:
            key = pat.sub(r["to"], key, count=1)
    return key.strip()


class _KeyContext:
    """The parts of a Header that resolve_body reads (hashable inputs of the cache above)."""

    def __init__(self, issuer: str | None, parent_body: str | None, date: str | None) -> None:
        self.issuer, self.parent_body, self.date = issuer, parent_body, date


_KEY_LOCALITY = regex.compile(r"(?:tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s")


def same_body_key(query: str, key: str) -> bool:
    """Whether a body asked for by name (``congvan tasks --assignee "so tai chinh"``) is the body
    of ``key``: the same key, or the key of the same body with its locality added.

    >>> same_body_key(body_key("so tai chinh"), "so tai chinh tinh lam dong")
    True
    >>> same_body_key(body_key("so tai chinh"), "so tai chinh va so noi vu")
    False
    """
    if not query or not key:
        return False
    if query == key:
        return True
    return key.startswith(query + " ") and _KEY_LOCALITY.match(key[len(query) + 1:] + " ") is not None


def names_body(query: str, names: list[str], date: str | None = None) -> bool:
    """Whether any of ``names`` (a task's lead, assignees, coordinators, the addressees its group
    covers) is the body ``query`` asks for, by identity (:func:`body_key`): "so tai chinh" finds
    "Giám đốc Sở Tài chính" and "Sở Tài chính tỉnh Lâm Đồng", never "Văn phòng Sở Tài chính"'s
    neighbour "Bộ Tài chính"; "UBND tỉnh" is not "Văn phòng UBND tỉnh". A name holding several
    bodies ("Sở Tài chính; UBND các xã") is read one body at a time.

    >>> names_body("so tai chinh", ["Sở Tài chính; UBND các xã, phường"])
    True
    >>> names_body("ubnd tinh", ["Văn phòng UBND tỉnh"])
    False
    """
    q = body_key(query, date=date)
    if not q:
        return False
    for n in names:
        for part in (n or "").split(";"):
            if same_body_key(q, body_key(part, date=date)):
                return True
    return False
