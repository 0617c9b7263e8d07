"""The PO file format: files in, ``Catalog`` objects out, and back.

The PO I/O of the package goes through here (the parts: ``po.reader``,
``po.fallback``, ``po.layout``, ``po.writer``; the types: ``po.entry``):

* ``load``/``parse``: a PO file or text → ``Catalog``, in the charset the
  header declares (``decode_po``), one entry per regex match when the file
  is laid out canonically, else through polib's parser.
* ``dump``: ``Catalog`` → text, byte for byte what polib writes; entries
  not changed since reading are written as they were read.
* ``save_catalog``: the one way a PO file is written, with the one header
  rule (below).  ``catalog_bytes`` is its text, for a writer that writes
  several files at once (``extract``); ``rewritten`` says whether that
  text holds entries the file did not.
* ``read_header``: the metadata without reading the entries.
* ``same_entries``: do a file's text and a catalog hold the same entries,
  however either is wrapped.

**The header rule.**  A catalog is written only when its text changes;
when a change is written on the translation side (``stamp`` given:
submissions, reviews, pre-translation, machine drafts, alignments, the
desk), ``PO-Revision-Date`` is the time of the write, and
``Last-Translator`` names the translator when one made the change.  A
change from the source side (``extract`` merging a new template) keeps
both, as ``msgmerge`` does.

May import: errors, fsio, entry, reader, writer, layout.
"""

from __future__ import annotations

from pathlib import Path

from workflow.core.errors import CatalogError
from workflow.po.entry import Catalog, Entry, first_msgstr, is_header  # noqa: F401  (re-exported)
from workflow.po.layout import WRAP  # noqa: F401  (re-exported)
from workflow.po.reader import decode_po, parse, same_entries  # noqa: F401  (re-exported)
from workflow.po.writer import dump, dump_bytes, entries_bytes, entries_text, head_bytes, width_of  # noqa: F401


def new_file(header: str = "", metadata: dict | None = None) -> Catalog:
    return Catalog(header, metadata)


def new_entry(**fields) -> Entry:
    return Entry(**fields)


def load(path: Path, display: str) -> Catalog:
    from workflow.core.fsio import read_input

    return parse(decode_po(read_input(path, display, CatalogError), display), display)


def read_header(path: Path, display: str) -> dict:
    """The header fields of a PO file, reading no further than the header,
    decoded in the charset the header declares (as ``load`` decodes the file)."""
    lines: list[bytes] = []
    seen_msgid = False
    try:
        with path.open("rb") as fh:
            for line in fh:
                if line.startswith(b'msgid ""'):
                    seen_msgid = True
                elif seen_msgid and not line.strip():
                    break
                elif line.startswith((b"msgid ", b"msgctxt ")):
                    break  # no header entry at all
                lines.append(line)
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc}", display) from None
    if not seen_msgid:
        return {}
    return parse(decode_po(b"".join(lines), display), display).metadata


def catalog_bytes(po: Catalog, on_disk: bytes | None, stamp: str | None = None, translator: str | None = None):
    """The bytes ``save_catalog`` would write, or None when they are
    ``on_disk`` already (the header rule: see the module's docstring)."""
    data = dump_bytes(po)
    if data == on_disk:
        return None
    if stamp is not None:  # only the header changes: the entries' bytes are kept
        head = head_bytes(po)
        if translator is not None:
            po.metadata["Last-Translator"] = translator
        po.metadata["PO-Revision-Date"] = stamp
        data = head_bytes(po) + data[len(head) :]
    return data


def rewritten(po: Catalog) -> bool:
    """After ``catalog_bytes``: did the catalog hold an entry that the file it
    was read from holds otherwise or not at all?  Then the file's entries
    differ from the catalog's however either is wrapped (no need to read it
    again to compare).  False when it cannot tell (a file read by polib's parser)."""
    return po._layout is not None and po._layout.rewritten > 0


def save_catalog(path: Path, po: Catalog, stamp: str | None = None, translator: str | None = None, staged=None) -> bool:
    """Write ``po`` to ``path`` (atomically, or with the other files of
    ``staged``, an ``fsio.Staged``) if its text changed; True when written."""
    from workflow.core.fsio import atomic_write

    try:
        on_disk = path.read_bytes()
    except FileNotFoundError:
        on_disk = None
    data = catalog_bytes(po, on_disk, stamp, translator)
    if data is None:
        return False
    if staged is not None:
        staged.write(path, data)
    else:
        atomic_write(path, data)
    return True
