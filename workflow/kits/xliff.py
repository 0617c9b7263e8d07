"""XLIFF, the CAT tools' exchange format: read 1.1, 1.2 and 2.0; write 1.2.

Reading is lxml (through ``xmlsafe``), so that states, notes and inline codes
are read as the standard defines them:

* **States.** 1.x ``<target state>``: translated, final, signed-off are
  translated; needs-translation, needs-review-*, needs-adaptation,
  needs-l10n and new are fuzzy; a target without a state is translated.
  2.0 ``<segment state>``: initial is fuzzy (when there is a target);
  translated, reviewed and final are translated.
* **Approval.** ``approved="yes"`` or ``state="signed-off"`` (1.x) and
  ``reviewed``/``final`` (2.0) are reported as ``approved``; whether that is
  a review is the caller's policy (``submit --reviewer``).
* **Inline codes.** Paired codes (``g``, ``bpt``/``ept``, ``bx``/``ex``,
  ``pc``, ``sc``/``ec``) and placeholders (``x``, ``ph``, ``it``) become the
  Markdown the segment uses (``**bold**``, ``*italic*``, `` `code` ``) when
  their type or native code says which; any other code is the unit's
  ``problem``, and such a unit is refused, never stored with literal tags.
* **Notes.** ``from="translator"`` or no ``from`` at all (OmegaT) are the
  translator's; the notes this tool writes (developer, reviewer) are not
  read back as the translator's.

Writing goes through Translate Toolkit's storage classes.

May import: errors, model, xmlsafe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow.core.errors import InputError
from workflow.core.model import XLIFF_QUALIFIERS, Origin
from workflow.core.xmlsafe import local, parse_xml

NS = {
    "1.1": "urn:oasis:names:tc:xliff:document:1.1",
    "1.2": "urn:oasis:names:tc:xliff:document:1.2",
    "2.0": "urn:oasis:names:tc:xliff:document:2.0",
}
TRANSLATED_STATES = {"translated", "final", "signed-off"}
FUZZY_STATES = {
    "needs-translation",
    "needs-review-translation",
    "needs-review-l10n",
    "needs-review-adaptation",
    "needs-adaptation",
    "needs-l10n",
    "new",
}
#: Notes this tool writes for translators, and the PO comments po2xliff copies
#: (the catalog's own history): never read back as the translator's.
OWN_NOTES = {"developer", "reviewer", "po-translator"}
#: po2xliff's unit for the PO header (not a segment).
PO_HEADER = "x-gettext-domain-header"


@dataclass
class TransUnit:
    id: str
    source: str
    target: str
    state: str  # untranslated, fuzzy or translated
    approved: bool = False
    notes: list[str] = field(default_factory=list)
    line: int | None = None
    problem: str = ""  # why the unit cannot be taken (an inline code with no equivalent)
    extradata: str = ""
    developer: list[str] = field(default_factory=list)  # from="developer" notes (po2xliff: the PO's #. lines)
    origin: str = ""  # the origin kind its target's state-qualifier names (model.Origin), or ""


@dataclass
class Document:
    version: str
    source_language: str | None
    target_language: str | None
    original: str | None
    line: int | None  # of the (first) <file>
    units: list[TransUnit]
    from_po: bool = False  # made by Translate Toolkit's po2xliff (its header unit, its po-entry contexts)


# -- inline codes ------------------------------------------------------------------------

_BY_TYPE = {
    "bold": "**",
    "x-bold": "**",
    "strong": "**",
    "xlf:b": "**",
    "italic": "*",
    "x-italic": "*",
    "emphasis": "*",
    "xlf:i": "*",
    "code": "`",
    "x-code": "`",
}
_BY_NATIVE = {
    "<b>": "**",
    "</b>": "**",
    "<strong>": "**",
    "</strong>": "**",
    "<i>": "*",
    "</i>": "*",
    "<em>": "*",
    "</em>": "*",
    "<code>": "`",
    "</code>": "`",
    "**": "**",
    "*": "*",
    "__": "__",
    "_": "_",
    "`": "`",
}
_PAIRED = {"g", "pc"}
_CODES = {"bpt", "ept", "it", "ph", "x", "bx", "ex", "sc", "ec"}
_NATIVE_CONTENT = {"bpt", "ept", "it", "ph"}


def _mark(code, native: str) -> str | None:
    """The Markdown a code stands for, from its native content or its type."""
    if native.strip().lower() in _BY_NATIVE:
        return _BY_NATIVE[native.strip().lower()]
    for attr in ("ctype", "subType", "type", "equiv-text", "equiv", "disp"):
        value = (code.get(attr) or "").strip()
        if value and (value.lower() in _BY_TYPE or value in _BY_NATIVE):
            return _BY_TYPE.get(value.lower()) or _BY_NATIVE[value]
    return None


def render(element, problems: list[str], opened: dict | None = None) -> str:
    """The text of a <source>, <target> or (TMX) <seg>, its inline codes as Markdown."""
    if element is None:
        return ""
    opened = {} if opened is None else opened  # code id → mark, so an <ept>/<ec> closes what its start opened
    out = [element.text or ""]
    for child in element:
        name = local(child)
        if name in _PAIRED:
            mark = _mark(child, "")
            inner = render(child, problems, opened)
            if mark is None:
                problems.append(f"<{name}> with no formatting this tool knows ({_describe(child)})")
            out.append(f"{mark}{inner}{mark}" if mark else inner)
        elif name in ("mrk", "hi"):
            out.append(render(child, problems, opened))  # an annotation (TMX: highlight): its text only
        elif name in _CODES:
            native = "".join(child.itertext()) if name in _NATIVE_CONTENT else ""
            key = child.get("rid") or child.get("id") or child.get("startRef") or ""
            mark = _mark(child, native) or (opened.get(key) if name in ("ept", "ex", "ec") else None)
            if mark is None:
                problems.append(f"<{name}> {_describe(child, native)} has no equivalent in the segment")
            else:
                opened[key] = mark
                out.append(mark)
        elif isinstance(child.tag, str):
            problems.append(f"unexpected <{name}> inside the text")
        out.append(child.tail or "")
    return "".join(out)


def _describe(code, native: str = "") -> str:
    attrs = " ".join(f'{k.rsplit("}", 1)[-1]}="{v}"' for k, v in code.attrib.items())
    return (native.strip() or attrs or "no attributes")[:40]


# -- reading ---------------------------------------------------------------------------------


def read(data: bytes, display: str, error=InputError) -> Document:
    """An XLIFF 1.1, 1.2 or 2.0 file; anything else is an ``error`` naming the file and line."""
    root = parse_xml(data, display, error, "XLIFF")
    if local(root) != "xliff":
        raise error(f"not an XLIFF file (the root element is <{local(root)}>)", display, root.sourceline)
    version = root.get("version", "")
    namespace = root.tag.partition("}")[0].lstrip("{") if root.tag.startswith("{") else ""
    if version.startswith("2.") or namespace == NS["2.0"]:
        return _read_2(root, display, error)
    if version in ("1.1", "1.2") or (not version and namespace in (NS["1.1"], NS["1.2"])):
        return _read_1(root, display, error, version or "1.2")
    raise error(f"XLIFF version {version or '(none)'} is not supported: 1.1, 1.2 and 2.0 are", display, root.sourceline)


def _notes(notes, author: str) -> list[str]:
    """The translator's notes: those whose ``author`` attribute (1.x ``from``,
    2.0 ``category``) is missing or is not one of ours."""
    out = []
    for note in notes:
        if (note.get(author) or "translator") not in OWN_NOTES:
            text = " ".join("".join(note.itertext()).split())
            if text:
                out.append(text)
    return out


def _units(root, tag: str, display: str, error):
    """(id, element) of each unit; a unit without an id is an error at its line."""
    for element in root.iter("{*}" + tag):
        uid = element.get("id") or element.get("resname") or element.get("name")
        if not uid:
            raise error(f"{tag} without an id", display, element.sourceline)
        yield uid, element


def _document(version: str, files, source_language, target_language, units, fallback_line=None) -> Document:
    first = files[0] if files else None
    return Document(
        version,
        source_language,
        target_language,
        first.get("original") if first is not None else None,
        first.sourceline if first is not None else fallback_line,
        units,
    )


def _state_1(target_el, target: str) -> tuple[str, str]:
    """(our state, XLIFF's state attribute)."""
    state = target_el.get("state", "") if target_el is not None else ""
    if not target.strip():
        return "untranslated", state
    if not state or state in TRANSLATED_STATES:
        return "translated", state
    return "fuzzy", state  # FUZZY_STATES and any x- state: a person must look


def _read_1(root, display: str, error, version: str) -> Document:
    files = list(root.iter("{*}file"))
    units, from_po = [], False
    for uid, tu in _units(root, "trans-unit", display, error):
        if tu.get("restype") == PO_HEADER:
            from_po = True
            continue
        from_po = from_po or any(g.get("name") == "po-entry" for g in tu.iterfind("{*}context-group"))
        problems: list[str] = []
        source = render(tu.find("{*}source"), problems)
        target_el = tu.find("{*}target")
        target = render(target_el, problems)
        state, raw = _state_1(target_el, target)
        qualifier = target_el.get("state-qualifier", "") if target_el is not None and target.strip() else ""
        units.append(
            TransUnit(
                uid,
                source,
                target,
                state,
                approved=tu.get("approved") == "yes" or raw == "signed-off",
                notes=_notes(tu.findall("{*}note"), "from"),
                line=tu.sourceline,
                problem="; ".join(problems),
                extradata=tu.get("extradata") or "",
                developer=[
                    " ".join("".join(n.itertext()).split())
                    for n in tu.iterfind("{*}note")
                    if n.get("from") == "developer"
                ],
                origin=_QUALIFIED.get(qualifier, ""),
            )
        )
    first = files[0] if files else None
    document = _document(
        version,
        files,
        first.get("source-language") if first is not None else None,
        first.get("target-language") if first is not None else None,
        units,
    )
    document.from_po = from_po
    return document


def _read_2(root, display: str, error) -> Document:
    units = []
    for uid, unit in _units(root, "unit", display, error):
        problems: list[str] = []
        sources, targets, states = [], [], []
        for part in unit:
            if local(part) in ("segment", "ignorable"):
                sources.append(render(part.find("{*}source"), problems))
                targets.append(render(part.find("{*}target"), problems))
                if local(part) == "segment":
                    states.append(part.get("state", "initial"))
        target = "".join(targets)
        state = "untranslated" if not target.strip() else ("fuzzy" if "initial" in states else "translated")
        units.append(
            TransUnit(
                uid,
                "".join(sources),
                target,
                state,
                approved=bool(states) and all(s in ("reviewed", "final") for s in states),
                notes=_notes(unit.iter("{*}note"), "category"),
                line=unit.sourceline,
                problem="; ".join(problems),
            )
        )
    return _document(
        "2.0", list(root.iter("{*}file")), root.get("srcLang"), root.get("trgLang"), units, root.sourceline
    )


# -- writing -----------------------------------------------------------------------------------

#: A target's state-qualifier → its origin (ours, and what other CAT tools write for MT and TM text).
_QUALIFIED = {
    **{q: o.value for o, q in XLIFF_QUALIFIERS.items()},
    "mt-suggestion": Origin.MACHINE.value,
    "leveraged-tm": Origin.MEMORY_FUZZY.value,
    "tm-suggestion": Origin.MEMORY_FUZZY.value,
    "id-match": Origin.MEMORY_EXACT.value,
}

_STATE_OUT = {
    "reviewed": "signed-off",
    "translated": "translated",
    "fuzzy": "needs-review-translation",
    "untranslated": "needs-translation",
}


def _classes():
    from translate.storage import xliff

    class Unit12(xliff.xliffunit):
        namespace = NS["1.2"]

    class File12(xliff.xlifffile):
        UnitClass = Unit12
        namespace = NS["1.2"]
        XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")

    return File12


def write(rows, original: str, source_language: str, target_language: str, extradata: str) -> bytes:
    """XLIFF 1.2 for CAT tools.  ``rows`` have ``id``, ``source``, ``target``,
    ``state`` (untranslated, fuzzy, translated, reviewed), ``role``,
    ``glossary``, ``comment`` (the translator's note), ``review_note`` and
    ``memory`` (a suggestion: score, source, target, origin, written as
    ``<alt-trans match-quality>``, and ``memory_note``, the memory's note on it).  Only reviewed units are ``approved="yes"``."""
    store = _classes()(
        sourcelanguage=source_language.replace("_", "-"), targetlanguage=target_language.replace("_", "-")
    )
    for r in rows:
        unit = store.addsourceunit(r.source, filename=original, createifmissing=True)
        unit.setid(r.id)
        unit.xmlelement.set("resname", r.id)
        unit.xmlelement.set("extradata", extradata)
        if r.target:
            unit.target = r.target
            unit.markfuzzy(r.state == "fuzzy")  # Translate Toolkit writes approved="yes" for "not fuzzy"
            target = unit.xmlelement.find(f"{{{NS['1.2']}}}target")
            if target is not None:
                target.set("state", _STATE_OUT.get(r.state, "translated"))
                _qualify(target, getattr(r, "origin", ""))
        unit.xmlelement.attrib.pop("approved", None)
        if r.state == "reviewed":
            unit.xmlelement.set("approved", "yes")
        unit.addnote(f"role: {r.role}", origin="developer")
        if r.glossary:
            unit.addnote(f"glossary: {r.glossary}", origin="developer")
        if getattr(r, "origin", ""):
            unit.addnote(f"draft: {r.origin}", origin="developer")
        if r.comment:
            unit.addnote(r.comment, origin="translator")
        if r.review_note:
            unit.addnote(r.review_note, origin="reviewer")
        if getattr(r, "memory", None):
            score, source, target, origin = r.memory
            unit.addalttrans(
                target, origin=origin, lang=target_language.replace("_", "-"), sourcetxt=source, matchquality=str(score)
            )
            if getattr(r, "memory_note", ""):
                unit.addnote(f"memory note: {r.memory_note}", origin="developer")
    store.removedefaultfile()
    return bytes(store)


def _qualify(target, origin_label: str) -> None:
    """``state-qualifier`` for a draft target (its origin's kind starts the label)."""
    kind = origin_label.split(" · ", 1)[0]
    qualifier = next((q for o, q in XLIFF_QUALIFIERS.items() if o.value == kind), None)
    if qualifier:
        target.set("state-qualifier", qualifier)
