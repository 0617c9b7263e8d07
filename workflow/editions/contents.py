"""Editions: what each Word edition of an article holds.

``editions_for`` reads the ``--edition`` option; ``units`` and ``spec``
assemble an article and its translations into the ``EditionSpec`` the Word
layer sets.  Whether an edition may be published is the publish gate's to
say (``commands.gate``).  Pure: no files.

May import: errors, model, text, segment, source, lint, pofile, lifecycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from workflow.core.errors import InputError, UsageError
from workflow.core.model import Article, Block, EditionBlock, EditionSpec, ImageRef, Piece, Role
from workflow.core.text import HAN_RANGES, find_control_char
from workflow.po.lifecycle import State, state
from workflow.po.pofile import first_msgstr
from workflow.sources import lint
from workflow.sources.segment import block_segment
from workflow.sources.source import is_credit_only


def editions_for(edition: str, targets: list[str], project_targets) -> list[str]:
    """Edition names for ``--edition``: zh, bilingual, a target language, or all."""
    if edition == "all":
        return ["zh", *targets, "bilingual"]
    if edition in ("zh", "bilingual"):
        return [edition]
    if edition == "en" or edition in project_targets:
        return [edition if edition != "en" or "en" in targets else targets[0]]
    raise UsageError(f"unknown edition {edition!r}: use zh, bilingual, all or a target language")


def draft_note(counts) -> str:
    return f"DRAFT — {counts.percent:.0f}% translated ({counts.untranslated} untranslated, {counts.fuzzy} fuzzy)"


def _target_piece(block: Block, entry, lang: str, where: str) -> Piece:
    """What the ``lang`` edition shows for ``block``: its translation, the
    fuzzy suggestion marked, or the Chinese marked untranslated (drafts)."""
    if block.verbatim:
        return Piece(block.text, "en")
    s = state(entry) if entry is not None else State.UNTRANSLATED
    if s in (State.TRANSLATED, State.REVIEWED):
        text = first_msgstr(entry)
        bad = find_control_char(text)
        if bad:
            raise InputError(
                f"segment {block_segment(block).id}: control character U+{ord(bad[1]):04X} in the "
                "translation cannot be published; remove it",
                where,
            )
        return Piece(text, lang)
    if s is State.FUZZY:
        return Piece(first_msgstr(entry), lang, mark="fuzzy")
    return Piece(block.text, "zh", mark="untranslated")


#: What a draft's placeholder frame says where a caption has no photo above it.
NO_PHOTO = "no photo above this caption"


def units(
    article: Article, edition: str, lang: str, index: dict, where: str, draft: bool = False
) -> list[EditionBlock]:
    """The units of one edition, in article order: the Chinese, the
    translation, or both (bilingual).  A photo that is not available is a
    placeholder frame in a draft, and left out of a final edition (where an
    editor accepted printing without it); so is a caption's missing photo."""
    out = []
    alone = set(lint.captions_without_photo(article)) if draft else set()
    for block in article.blocks:
        if not block.shown or (block.image is not None and not block.image.available and not draft):
            continue
        if block.kind == "pagebreak":
            out.append(EditionBlock(block.role.value, 0, "pagebreak", [], None, None))
            continue
        if block.line in alone and block.role is Role.CAPTION:
            out.append(EditionBlock(Role.ALT.value, 0, "image", [], None, ImageRef("", missing=NO_PHOTO)))
        zh = Piece(block.text, "zh" if not block.verbatim else "en")
        if edition == "zh":
            pieces = [zh]
        else:
            entry = index.get(block_segment(block).id) if not block.verbatim else None
            target = _target_piece(block, entry, lang, where)
            pieces = [target] if edition != "bilingual" else ([zh] if block.verbatim else [zh, target])
        if block.image is not None and not block.text.strip():
            pieces = []  # a photo without alt text
        if block.role is Role.CAPTION and is_credit_only(block.text) and _credit_joins(out, pieces):
            out[-1].pieces = [Piece(f"{a.text}\n{b.text}", a.lang, a.mark) for a, b in zip(out[-1].pieces, pieces)]
            continue
        kind = "code" if block.verbatim else block.kind  # raw HTML is set as code
        out.append(EditionBlock(block.role.value, block.level, kind, pieces, block.cell, block.image, block.depth))
    return out


def _credit_joins(out: list[EditionBlock], pieces: list[Piece]) -> bool:
    """A credit line (长沙晚报全媒体记者 黄启晴 摄) is set inside the caption
    above it, after a line break, when both are in the same language and
    state in every piece (a draft keeps an untranslated credit apart)."""
    if not out or out[-1].role != Role.CAPTION.value or out[-1].image is not None:
        return False
    before = out[-1].pieces
    return len(before) == len(pieces) and all((a.lang, a.mark) == (b.lang, b.mark) for a, b in zip(before, pieces))


def _bcp47(code: str) -> str:
    return {"en": "en-US"}.get(code, code.replace("_", "-"))


@dataclass(frozen=True)
class Furniture:
    """What the running head says (``None`` in ``spec``: no running head)."""

    paper: str  # the paper's name
    section: str = ""  # the section the article runs in
    paper_zh: str = ""  # its Chinese name, for the Chinese and bilingual editions (default: ``paper``)


def spec(
    article: Article,
    edition: str,
    lang: str,
    units_: list[EditionBlock],
    *,
    date: datetime,
    creator: str,
    layout: str = "alternating",
    note: str | None = None,
    furniture: Furniture | None = None,
    look: str = "reader",
) -> EditionSpec:
    """The edition ``edition`` (zh, bilingual, or the target language ``lang``)."""
    title_zh = article.title
    title_en = next((p.text for u in units_ if u.role == "title" for p in u.pieces if p.lang != "zh"), title_zh)
    kind = edition if edition in ("zh", "bilingual") else "en"
    head = None
    if furniture is not None:
        when = f"{date.year}年{date.month}月{date.day}日" if kind != "en" else f"{date:%B} {date.day}, {date.year}"
        paper = furniture.paper if kind == "en" else furniture.paper_zh or furniture.paper
        head = (
            " · ".join(x for x in (paper, when, furniture.section) if x),
            short_title(title_en if kind == "en" else title_zh),
        )
    return EditionSpec(
        edition=kind,
        title={"zh": title_zh, "bilingual": f"{title_zh} / {title_en}"}.get(kind, title_en),
        language="zh-CN" if kind in ("zh", "bilingual") else _bcp47(lang),
        creator=creator,
        date=date,
        markup="txt" if article.format == "txt" else "md",
        layout=layout,
        draft_note=note,
        units=units_,
        other_language=_bcp47(lang),
        furniture=head,
        author=_reporter(article, units_, kind),
        subject=furniture.section if furniture else "",
        look=look,
    )


def short_title(title: str, most: int = 36) -> str:
    """A running head's title: up to its first comma, colon or dash when
    that is shorter, and never more than ``most`` characters (an ellipsis then)."""
    short = re.split(r"[，,：:；;—]", title, maxsplit=1)[0].strip() or title
    return short if len(short) <= most else short[: most - 1].rstrip() + "…"


def _reporter(article: Article, units_: list[EditionBlock], kind: str) -> str:
    """The reporter's name from the byline: 刘捷萍 from 「长沙晚报全媒体记者 刘捷萍」,
    Liu Jieping from "By Liu Jieping, Changsha Evening News"; "" without one."""
    byline = next((u for u in units_ if u.role == Role.BYLINE.value), None)
    if byline is None:
        return ""
    if kind == "en":
        text = byline.pieces[-1].text
        return re.sub(r"^(?:By|by)\s+", "", text).split(",")[0].strip() if byline.pieces[-1].lang != "zh" else ""
    names = re.findall(rf"[{HAN_RANGES}·]{{2,6}}", byline.pieces[0].text.split("记者")[-1])
    return " ".join(names)
