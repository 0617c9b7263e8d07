"""Source lint: layout defects a newsroom file arrives with.

A paragraph broken mid-sentence across a blank line (print layout, copy and
paste from a PDF), or cut off; raw HTML that no edition can set (a page
break is understood, any other HTML would be printed as code); a caption
with no photo above it, or a photo that is not available (no such file yet,
a URL, linked and not embedded, a format that cannot be printed).  Lint
reports; it never joins or completes text, nor drops a caption: an editor
decides (supplies the photo, or accepts the defect with a reason:
``review --accept lint``).

May import: model, source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.core.model import Article, Role
from workflow.sources.source import is_credit_only

#: The name a reviewer accepts a defect under: ``review --accept lint``.
CHECK = "lint"

_OPEN_END = "，、,"
_CLOSED_END = "。！？!?…”’」』）)》：:；;"


@dataclass(frozen=True)
class Defect:
    path: str
    line: int
    reason: str
    accepted: bool = False  # a reviewer accepted it on its segment in every catalog (``review --accept lint``)


#: A paragraph that opens with a bold label (**注意**：…, **提示：** …) or is bold throughout
#: (**第一章 总则**): a label line or a heading set in bold, complete as it stands.
_LABEL = re.compile(r"^(?:\*\*[^*\n]{1,20}?(?:\*\*\s*[：:]|[：:]\s*\*\*)|\*\*[^*\n]+\*\*$|__[^_\n]+__$)")


def _ends_closed(text: str) -> bool:
    return not text or text[-1] in _CLOSED_END or text.endswith(("。**", "。*")) or bool(_LABEL.match(text))


def lint_article(article: Article) -> list[Defect]:
    """Suspected layout defects, in source order: body paragraphs that end
    without end punctuation, raw HTML, captions without a photo, photos not available."""
    return sorted(_broken_paragraphs(article) + _raw_html(article) + _photo_defects(article), key=lambda d: d.line)


def _raw_html(article: Article) -> list[Defect]:
    """Raw HTML blocks, which every edition would set as code."""
    return [
        Defect(
            article.path,
            block.line,
            f"raw HTML ('{block.text[:24]}…') would be set as code in every "
            "edition: remove it, or put it in a code fence (a page-break <div> is understood)",
        )
        for block in article.blocks
        if block.kind == "html"
    ]


def _photo_defects(article: Article) -> list[Defect]:
    """A caption whose photo is not in the article, and a photo that is not
    available.  A defect sits on a line whose segment a reviewer can accept
    it on: the photo's alt text, else the caption under it."""
    found = []
    alone = set(captions_without_photo(article))
    shown = [block for block in article.blocks if block.shown]
    for i, block in enumerate(shown):
        after = shown[i + 1] if i + 1 < len(shown) else None
        if block.image is not None and not block.image.available:
            where = block if block.translatable or after is None or after.role is not Role.CAPTION else after
            found.append(
                Defect(
                    article.path,
                    where.line,
                    f"photo not available ({block.image.missing}): supply it, or accept printing without it",
                )
            )
        elif block.line in alone and block.role is Role.CAPTION:
            found.append(
                Defect(
                    article.path,
                    block.line,
                    f"caption without a photo ('{block.text[:12]}…'): put the "
                    "photo above it (![alt](photos/….jpg)), or accept printing the caption alone",
                )
            )
    return found


def captions_without_photo(article: Article) -> list[int]:
    """The lines of the captions with no photo right above them, or above
    the captions they follow (pandoc sets a figure's own caption under it);
    a credit line on its own joins the caption above it and is not counted."""
    out = []
    before, photo = None, False  # the shown block before, and whether a photo heads the captions up to it
    for block in (b for b in article.blocks if b.shown):
        if block.role is Role.CAPTION:
            photo = before is not None and (before.image is not None or (before.role is Role.CAPTION and photo))
            if not photo and not (before is not None and before.role is Role.CAPTION and is_credit_only(block.text)):
                out.append(block.line)
        before = block
    return out


def _broken_paragraphs(article: Article) -> list[Defect]:
    """Body paragraphs that end without end punctuation."""
    found = []
    blocks = article.blocks
    for i, block in enumerate(blocks):
        if block.role is not Role.BODY or block.kind != "paragraph":
            continue
        text = block.text.rstrip()
        if _ends_closed(text):
            continue
        last, tail = text[-1], text[-8:]
        if last in _OPEN_END:
            reason = f"ends with '{last}' ('…{tail}'): a sentence broken across a blank line"
        else:
            reason = f"ends without end punctuation ('…{tail}'): broken across a blank line, or truncated"
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if nxt is not None and nxt.role is Role.BODY:
            reason += f"; line {nxt.line} ('{nxt.text[:8]}…') may continue it"
        else:
            reason += "; no body paragraph follows, so text may be missing"
        found.append(Defect(article.path, block.line, reason))
    return found
