"""Catalogs of one article: templates, new catalogs, and the merge.

``make_template`` turns an article's segments into a POT (one entry per
segment, in article order); ``new_catalog`` starts a translation;
``merge`` brings a translation up to date with a template the way
``msgmerge --previous`` does.  Entries are found by segment ID
(``entry_id``).  Pure: catalogs in, catalogs out; reading and writing is
``pofile``'s job, states and history ``lifecycle``'s.

May import: config, model, entry, pofile, lifecycle.
"""

from __future__ import annotations

import re

from workflow.core.config import Config
from workflow.core.model import Article, Segment
from workflow.po import lifecycle, pofile
from workflow.po.entry import entry_id  # noqa: F401  (re-exported: entries are found by segment ID)

FUZZY_THRESHOLD = Config.fuzzy_threshold  # the setting's default: see Config
#: The template header field that remembers a source read in another encoding than UTF-8.
SOURCE_ENCODING = "X-Source-Encoding"


# -- entries -------------------------------------------------------------------


def index_by_id(po) -> dict:
    return {entry_id(e): e for e in po if not e.obsolete}


def closest(text: str, candidates: list[str], threshold: float) -> int | None:
    """The index of the candidate most like ``text`` (characters, so Chinese
    needs no word breaks), if it is at least ``threshold`` alike."""
    if not candidates:
        return None
    from rapidfuzz import fuzz, process

    best = process.extractOne(text, candidates, scorer=fuzz.ratio, score_cutoff=threshold * 100)
    return best[2] if best else None


# -- building ------------------------------------------------------------------


def _header(article: Article, config, language: str | None, revision: str) -> dict:
    meta = {
        "Project-Id-Version": f"{config.project_name} {article.name}".strip(),
        "Report-Msgid-Bugs-To": config.bugs_address,
    }
    if language:
        from babel import Locale
        from babel.messages.plurals import get_plural

        locale = Locale.parse(language)
        plural = get_plural(locale)
        meta.update(
            {
                "PO-Revision-Date": revision,
                "Last-Translator": "",
                "Language-Team": locale.english_name,
                "Language": language,
            }
        )
    meta.update(
        {"MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    )
    if language:
        meta["Plural-Forms"] = f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    meta["X-Source-Language"] = config.source_language
    if not language and article.encoding != "utf-8":  # the template remembers a source's encoding
        meta[SOURCE_ENCODING] = article.encoding
    return meta


def _header_comment(article: Article, language: str | None) -> str:
    what = f"{language} translation" if language else "Translation template"
    return (
        f"{what} of {article.path}.\n"
        "Each entry is one segment; its context is the role (title, heading, caption, ...)\n"
        "and its ID is in the '#.' comment. Edit here, in Poedit or Weblate, or use\n"
        "'bilingual export' and 'bilingual submit'."
    )


_KIND_NOTE = {
    "bullet": "In a bulleted list",
    "ordered": "In a numbered list",
    "quote": "In a block quote",
    "table": "A table cell",
}
_MARKUP = re.compile(r"\*\S|`|\[[^\]]*\]\(|<[a-z]")


def _comment(seg: Segment) -> str:
    """The ``#.`` lines translators see: ID, heading level, where it sits, glossary hints."""
    lines = [f"ID: {seg.id}"]
    if seg.level:
        lines.append(f"Heading level {seg.level}")
    if seg.kind in _KIND_NOTE:
        lines.append(_KIND_NOTE[seg.kind])
    if _MARKUP.search(seg.text):
        lines.append("Keep the Markdown markup (*emphasis*, **bold**, `code`, [links](…))")
    for source, target in seg.glossary:
        lines.append(f"Glossary: {source} = {target}")
    return "\n".join(lines)


def make_template(article: Article, segs: list[Segment], config):
    """The POT for an article: one entry per segment, in article order."""
    pot = pofile.new_file(_header_comment(article, None), _header(article, config, None, ""))
    for seg in segs:
        pot.append(
            pofile.new_entry(
                msgctxt=seg.context, msgid=seg.text, msgstr="", comment=_comment(seg), occurrences=[(article.path, "")]
            )
        )
    return pot


def new_catalog(article: Article, config, language: str, revision: str):
    """An empty translation of ``article`` into ``language`` (header only;
    merge it with the template to fill in the entries)."""
    return pofile.new_file(_header_comment(article, language), _header(article, config, language, revision))


# -- merging ------------------------------------------------------------------


def _same_text_new_role(pending: list, olds: list, used: set) -> list:
    """A segment whose role changed but whose text did not (a head now read
    as a kicker) keeps its translation, not fuzzy; its review lapses, since
    a review vouches for the role too.  The rest stay pending."""
    by_text: dict = {}
    for (ctxt, msgid), e in olds:
        if (ctxt, msgid) not in used and pofile.first_msgstr(e) and "fuzzy" not in e.flags:
            by_text.setdefault(msgid, ((ctxt, msgid), e))
    rest = []
    for entry in pending:
        found = by_text.pop(entry.msgid, None)
        if found is None:
            rest.append(entry)
            continue
        used.add(found[0])
        lifecycle.carry(entry, found[1])  # the review's fingerprint covers the role: it no longer holds
    return rest


def merge(template, old, threshold: float = FUZZY_THRESHOLD):
    """Bring ``old`` up to date with ``template``, as ``msgmerge --previous``:

    * an unchanged segment keeps its translation, flags and comments;
    * a changed one takes the closest old translation, marked fuzzy, with the
      old source in ``#|`` lines (its review no longer holds);
    * a removed translated segment becomes obsolete (``#~``);
    * a new segment is untranslated.

    The result keeps ``old``'s layout, so unchanged entries are written back
    as they were read."""
    po = pofile.new_file(old.header, old.metadata)
    po.metadata_is_fuzzy = old.metadata_is_fuzzy
    po.adopt_layout(old)
    current = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    obsolete = {(e.msgctxt, e.msgid): e for e in old if e.obsolete}
    used: set = set()
    pending = []
    for t in template:
        entry = pofile.new_entry(
            msgctxt=t.msgctxt, msgid=t.msgid, msgstr="", comment=t.comment, occurrences=list(t.occurrences)
        )
        found = current.get((t.msgctxt, t.msgid)) or obsolete.get((t.msgctxt, t.msgid))
        if found is not None:
            used.add((t.msgctxt, t.msgid))
            lifecycle.carry(entry, found)
        else:
            pending.append(entry)
        po.append(entry)
    olds = list(current.items()) + list(obsolete.items())
    pending = _same_text_new_role(pending, olds, used)
    if pending:
        pool = [e for k, e in olds if k not in used and pofile.first_msgstr(e)]
        sources = [p.msgid for p in pool]
        for entry in pending:
            i = closest(entry.msgid, sources, threshold)
            if i is None:
                continue
            match = pool[i]
            used.add((match.msgctxt, match.msgid))
            lifecycle.moved(entry, match)
    po.extend(lifecycle.retired(e) for key, e in olds if key not in used and pofile.first_msgstr(e))
    return po
