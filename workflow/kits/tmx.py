"""TMX, the translation-memory exchange format: read any TMX, write TMX 1.4b.

Reading streams the file (lxml ``iterparse``), so a memory of a million
units is never held as one tree; a file that declares entities is refused.
Each ``<tu>`` gives the text of its ``<tuv>`` in the source and the target
language, matched by primary subtag, because real files disagree on how to
write them (``zh-CN``, ``zh_CN``, ``zh-Hans``, ``ZH-CN``, ``zh``); inline
codes (TMX level 2) become the segment's Markdown, as in XLIFF, or make the
unit unusable.  Writing is lxml's incremental ``xmlfile``: TMX 1.4b with the
header every reader expects and the unit's role, article, state, author and
dates as ``prop``s and attributes.

May import: errors, xmlsafe, xliff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from workflow.core.errors import InputError
from workflow.core.xmlsafe import syntax_message
from workflow.kits.xliff import render

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@lru_cache(maxsize=256)
def primary(code: str | None) -> str:
    """``zh-Hans-CN``, ``zh_CN``, ``ZH`` → ``zh``."""
    return (code or "").replace("_", "-").split("-")[0].lower()


@dataclass
class TranslationUnit:
    source: str
    target: str
    tuid: str = ""
    props: dict = field(default_factory=dict)
    who: str = ""
    date: str = ""
    line: int | None = None
    problem: str = ""  # why the unit cannot be used (no tuv in a language, an unknown code)
    note: str = ""  # the unit's <note>s (OmegaT keeps the translator's comment there), as one line


def _prolog_is_safe(path: Path, display: str, error) -> None:
    head = path.open("rb").read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    start = head.find(b"<tmx")
    if b"<!ENTITY" in (head[:start] if start >= 0 else head):
        raise error("TMX with entity declarations is not accepted (entities are a way to attack a reader)", display, 1)


def _tuv_text(tuv, problems: list[str]) -> str:
    seg = tuv.find("seg")
    if seg is None:
        return ""
    return seg.text or "" if len(seg) == 0 else render(seg, problems)


def _unit(tu, source_language: str, target_language: str) -> TranslationUnit:
    texts: dict[str, str] = {}
    problems: list[str] = []
    for tuv in tu.iterfind("tuv"):
        lang = primary(tuv.get(_XML_LANG) or tuv.get("lang"))
        if lang in (source_language, target_language) and lang not in texts:
            texts[lang] = _tuv_text(tuv, problems)
    props = {p.get("type", ""): (p.text or "") for p in tu.iterfind("prop")}
    target_tuv = next(
        (t for t in tu.iterfind("tuv") if primary(t.get(_XML_LANG) or t.get("lang")) == target_language), tu
    )  # who changed the translation: OmegaT says so on the target's <tuv>, others on the <tu>
    who = next((el.get(a) for el in (target_tuv, tu) for a in ("changeid", "creationid") if el.get(a)), "")
    date = next((el.get(a) for el in (target_tuv, tu) for a in ("changedate", "creationdate") if el.get(a)), "")
    notes = [" ".join("".join(n.itertext()).split()) for n in (*tu.iterfind("note"), *target_tuv.iterfind("note"))]
    unit = TranslationUnit(
        texts.get(source_language, ""),
        texts.get(target_language, ""),
        tu.get("tuid", ""),
        props,
        who,
        date,
        tu.sourceline,
        "; ".join(problems),
        " ".join(n for n in notes if n),
    )
    missing = [code for code in (source_language, target_language) if code not in texts]
    if missing:
        unit.problem = f"no <tuv> in {' or '.join(missing)}"
    return unit


def read(path: Path, display: str, source_language: str, target_language: str, error=InputError):
    """The units of a TMX file, one at a time, in ``source_language`` →
    ``target_language`` (whatever the file's ``srclang``)."""
    from lxml import etree

    _prolog_is_safe(path, display, error)
    src, tgt = primary(source_language), primary(target_language)
    context = etree.iterparse(
        str(path),
        events=("start", "end"),
        tag=("tmx", "tu"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    root = None
    try:
        for event, element in context:
            if root is None:
                root = element
                if element.tag != "tmx":
                    raise error(f"not a TMX file (the root element is <{element.tag}>)", display, element.sourceline)
            elif event == "end" and element.tag == "tu":
                yield _unit(element, src, tgt)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:  # free what has been read
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise error(f"not well-formed TMX: {syntax_message(exc)}", display, exc.lineno or None) from None
    if root is None:
        raise error("not a TMX file (no <tmx> element)", display)


def parse(
    data: bytes, display: str, source_language: str, target_language: str, error=InputError
) -> list[TranslationUnit]:
    """The units of a small TMX held in memory (an OmegaT project's
    ``project_save.tmx``), read like ``read`` reads a file."""
    from workflow.core.xmlsafe import parse_xml

    root = parse_xml(data, display, error, "TMX")
    if root.tag != "tmx":
        raise error(f"not a TMX file (the root element is <{root.tag}>)", display, root.sourceline)
    src, tgt = primary(source_language), primary(target_language)
    return [_unit(tu, src, tgt) for tu in root.iter("tu")]


def write(path: Path, units, source_language: str, target_language: str, tool_version: str) -> None:
    """TMX 1.4b of ``units`` (objects with ``source``, ``target``, ``tuid``,
    ``props``, ``who``, ``date``), written as it goes: fit for a million units."""
    from lxml import etree

    src, tgt = source_language.replace("_", "-"), target_language.replace("_", "-")
    with etree.xmlfile(str(path), encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(
                etree.Element(
                    "header",
                    creationtool="bilingual",
                    creationtoolversion=tool_version,
                    datatype="plaintext",
                    segtype="paragraph",
                    adminlang="en",
                    srclang=src,
                    **{"o-tmf": "bilingual"},
                ),
                pretty_print=True,
            )
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    xf.write(_tu(unit, src, tgt), pretty_print=True)


def _tu(unit, src: str, tgt: str):
    from lxml import etree

    attrs = {"tuid": unit.tuid}
    if unit.who:
        attrs.update(creationid=unit.who, changeid=unit.who)
    if unit.date:
        attrs.update(creationdate=unit.date, changedate=unit.date)
    tu = etree.Element("tu", **attrs)
    for name, value in unit.props.items():
        if value:
            etree.SubElement(tu, "prop", type=name).text = value
    if getattr(unit, "note", ""):
        etree.SubElement(tu, "note").text = unit.note
    for lang, text in ((src, unit.source), (tgt, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = text
    return tu
