"""XML from outside the project, read safely: no entity expansion, no DTD,
no network, no huge trees; a malformed file is an error naming its line.

Used for XLIFF kits, TBX termbases and TMX memories (python-docx has its own
parser for Word files, with entities off too).

May import: errors.
"""

from __future__ import annotations

from workflow.core.errors import InputError

#: Bigger than any kit, termbase or memory a desk exchanges; a larger file is refused.
MAX_XML_BYTES = 512 * 2**20


def parse_xml(data: bytes, display: str, error=InputError, what: str = "XML"):
    """The root element of ``data``.  A file that declares entities (a
    billion-laughs bomb, an external entity) is refused, not expanded."""
    from lxml import etree

    if len(data) > MAX_XML_BYTES:
        raise error(f"larger than {MAX_XML_BYTES // 2**20} MiB: not read", display)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise error(f"not well-formed {what}: {syntax_message(exc)}", display, exc.lineno or None) from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot use
        raise error(f"not readable {what}: {exc}", display) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise error(
            f"{what} with entity declarations is not accepted (entities are a way to attack a reader)", display, 1
        )
    return root


def syntax_message(exc) -> str:
    """libxml2's message without its advice to the programmer (``use
    XML_PARSE_HUGE option``, which would switch this reader's guard off)."""
    import re

    text = re.sub(r",?\s*use XML_PARSE_HUGE option", "", exc.msg or "")
    if "Excessive depth" in text or "depth" in text and "exceed" in text.lower():
        return "nested too deeply (more than 256 levels of elements)"
    return text.strip() or "malformed"


def local(element) -> str:
    """An element's name without its namespace."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
