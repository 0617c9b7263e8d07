"""OmegaT project kits: the folder ``export --format omegat`` writes, and
what ``submit`` takes back from it (the folder, or a zip of it).

The folder is a ready OmegaT 3.6 project::

    omegat.project          the languages, sentence segmentation off (a
                            segment is a paragraph: with it on, OmegaT shows
                            multi-sentence entries as untranslated), the
                            default folders
    omegat/filters.xml      the PO filter, with the PO header skipped
    source/ARTICLE.LANG.po  the PO kit: OmegaT's PO filter round-trips it
    tm/memory.LANG.tmx      the desk's memory, a reference OmegaT matches
                            against (never ``tm/auto/``, which would fill
                            segments with it unasked)
    glossary/glossary.txt   the glossary in OmegaT's tab-separated form
    target/, dictionary/    empty, for OmegaT

Read back: the rows of ``target/ARTICLE.LANG.po`` (or of the source file,
when the translator never created the translated documents), overlaid with
``omegat/project_save.tmx``, the project memory: a translation there is one
the translator entered or confirmed, its ``<note>`` the translator's note.
A fuzzy entry of the source (a memory suggestion, a rejected text) that the
translator did not confirm comes back empty, as OmegaT writes it.

May import: errors, fsio, xmlsafe, tmx, kits.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

from workflow.core.errors import KitError
from workflow.core.fsio import write_if_changed
from workflow.core.xmlsafe import parse_xml
from workflow.kits import kit as kits
from workflow.kits import tmx

PROJECT_FILE = "omegat.project"
PROJECT_SAVE = "omegat/project_save.tmx"
GLOSSARY = "glossary/glossary.txt"
#: OmegaT 3.6's tokenizers for the languages a desk works in (else its default).
TOKENIZERS = {
    "zh": "LuceneSmartChineseTokenizer",
    "en": "LuceneEnglishTokenizer",
    "fr": "LuceneFrenchTokenizer",
    "de": "LuceneGermanTokenizer",
    "es": "LuceneSpanishTokenizer",
    "ja": "LuceneJapaneseTokenizer",
    "ru": "LuceneRussianTokenizer",
    "ko": "LuceneCJKTokenizer",
}
MAX_MEMBER = 256 * 2**20  # a project's file; a larger one is refused before it is inflated
MAX_RATIO = 200  # a file that inflates more than this (and past 1 MiB) is a zip bomb

_PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes>
            <mask>**/.svn/**</mask>
            <mask>**/.git/**</mask>
        </source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{source}</source_lang>
        <target_lang>{target}</target_lang>
        <source_tok>org.omegat.tokenizer.{source_tok}</source_tok>
        <target_tok>org.omegat.tokenizer.{target_tok}</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

_FILTERS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="false" preserveSpaces="false" ignoreFileContext="false">
    <filter className="org.omegat.filters2.po.PoFilter" enabled="true">
        <files sourceFilenameMask="*.po" targetFilenamePattern="${filename}"/>
        <option name="skipHeader" value="true"/>
    </filter>
</filters>
"""


def _tag(code: str) -> str:
    """``zh_CN`` → ``zh-CN``, as OmegaT writes languages."""
    return code.replace("_", "-")


def _tokenizer(code: str) -> str:
    return TOKENIZERS.get(code.split("_")[0].split("-")[0].lower(), "DefaultTokenizer")


def project_file(source_language: str, target_language: str) -> str:
    return _PROJECT.format(
        source=escape(_tag(source_language)),
        target=escape(_tag(target_language)),
        source_tok=_tokenizer(source_language),
        target_tok=_tokenizer(target_language),
    )


def glossary_file(terms) -> str:
    """OmegaT's glossary: one ``source<TAB>target<TAB>comment`` line per term."""

    def cell(text: str) -> str:
        return " ".join(text.split())

    return "".join(f"{cell(t.source)}\t{cell(t.target)}\t{cell(t.note)}\n" for t in terms)


def write_project(
    folder: Path, kit_name: str, kit: bytes, source_language: str, target_language: str, terms
) -> list[Path]:
    """Write (or refresh) the project's own files in ``folder``; what the
    translator made there (``omegat/project_save.tmx``, ``target/``) is left
    as it is.  The memory's TMX is the caller's (``tm/``).  The files written."""
    for sub in ("source", "target", "tm", "glossary", "omegat", "dictionary"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes | str] = {
        PROJECT_FILE: project_file(source_language, target_language),
        "omegat/filters.xml": _FILTERS,
        f"source/{kit_name}": kit,
        GLOSSARY: glossary_file(terms),
    }
    return [folder / name for name, data in files.items() if write_if_changed(folder / name, data)]


# -- reading back ---------------------------------------------------------------------------------


def is_project(path: Path) -> bool:
    """A folder or a zip ``submit`` should read as an OmegaT project."""
    return path.is_dir() or path.suffix.lower() == ".zip"


class _Files:
    """The project's files by their path inside it, from a folder or a zip."""

    def __init__(self, path: Path, display: str):
        self.display = display
        if path.is_dir():
            if not (path / PROJECT_FILE).is_file():
                raise KitError(f"not an OmegaT project (no {PROJECT_FILE} in the folder)", display)
            self.names = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
            self._read = lambda name: (path / name).read_bytes()
            return
        try:
            archive = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise KitError("no such file", display) from None
        except (zipfile.BadZipFile, OSError) as exc:
            raise KitError(f"not a zip file ({exc})", display) from None
        members = {i.filename: i for i in archive.infolist() if not i.is_dir()}
        homes = sorted((n[: -len(PROJECT_FILE)] for n in members if n.rsplit("/", 1)[-1] == PROJECT_FILE), key=len)
        if not homes:
            raise KitError(f"not an OmegaT project (no {PROJECT_FILE} in the zip)", display)
        prefix = homes[0]
        self.names = sorted(n[len(prefix) :] for n in members if n.startswith(prefix))
        self._read = lambda name: _member(archive, members[prefix + name], display)

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        try:
            return self._read(name)
        except OSError as exc:
            raise KitError(f"cannot read {name}: {exc}", self.display) from None

    def need(self, name: str) -> bytes:
        """A file the project must have."""
        data = self.read(name)
        if data is None:
            raise KitError(f"the OmegaT project has no {name}", self.display)
        return data


def _member(archive, info, display: str) -> bytes:
    if info.file_size > MAX_MEMBER:
        raise KitError(f"{info.filename} is larger than {MAX_MEMBER // 2**20} MiB: not read", display)
    if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise KitError(
            f"{info.filename} inflates {info.file_size // max(info.compress_size, 1)}-fold: a zip bomb, refused",
            display,
        )
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as exc:
        raise KitError(f"cannot read {info.filename} from the zip ({exc})", display) from None


def _languages(files: _Files) -> tuple[str | None, str | None]:
    root = parse_xml(files.need(PROJECT_FILE), f"{files.display}: {PROJECT_FILE}", KitError, "omegat.project")
    source, target = root.findtext(".//source_lang"), root.findtext(".//target_lang")
    return (source or "").strip() or None, (target or "").strip() or None


def read_project(path: Path, display: str) -> list[kits.Kit]:
    """The kits (one per source PO file) of an OmegaT project folder or zip."""
    files = _Files(path, display)
    source_language, target_language = _languages(files)
    save = files.read(PROJECT_SAVE)
    units = (
        []
        if save is None
        else tmx.parse(save, f"{display}: {PROJECT_SAVE}", source_language or "zh", target_language or "en", KitError)
    )
    names = [n for n in files.names if n.startswith("source/") and n.endswith(".po")]
    if not names:
        raise KitError("the OmegaT project has no PO file in source/ (export it with --format omegat)", display)
    out = []
    for name in names:
        base = name[len("source/") :]
        kit = _kit(files, base, units, display)
        kit.source_language = source_language
        if save is None:
            kit.notices.append(f"no {PROJECT_SAVE}: the translations are read from target/{base} only")
        out.append(kit)
    return out


def _kit(files: _Files, base: str, units, display: str) -> kits.Kit:
    source = kits.read_po(files.need(f"source/{base}"), f"{display}: source/{base}")
    target_bytes = files.read(f"target/{base}")
    target = kits.read_po(target_bytes, f"{display}: target/{base}") if target_bytes is not None else None
    by_id = {r.id: r for r in target.rows} if target else {}
    defaults = {u.source: u for u in units if not u.props.get("file") and u.target}
    # OmegaT keys an alternative translation by file and the segments before and after it
    alternatives = {
        (u.source, u.props.get("prev", ""), u.props.get("next", "")): u
        for u in units
        if u.props.get("file") == base and u.target
    }
    rows = []
    sources = [""] + [r.source for r in source.rows] + [""]
    for i, row in enumerate(source.rows):
        unit = alternatives.get((row.source, sources[i], sources[i + 2])) or defaults.get(row.source)
        done = by_id.get(row.id)
        if unit is not None:
            rows.append(
                replace(row, target=unit.target, comment=unit.note, fuzzy=False, suggestion=False, state="translated")
            )
        elif done is not None:
            rows.append(replace(done, comment="", fuzzy=False, suggestion=False))
        else:  # an unconfirmed fuzzy text of the kit (a memory suggestion, a rejected text) is not the translator's
            rows.append(replace(row, target="" if row.fuzzy else row.target, comment="", fuzzy=False, suggestion=False))
    kit = kits.Kit(source.article, source.language, rows, "omegat")
    if target is None:
        kit.notices.append(f"no target/{base} (the translated documents were not created): read from {PROJECT_SAVE}")
    return kit
