"""Source lint: layout defects a newsroom file arrives with.

A paragraph broken mid-sentence across a blank line (print layout, copy and
paste from a PDF), or cut off; raw HTML that no edition can set (a page
break is understood, any other HTML would be printed as code).  Lint reports; it never joins or completes
text: an editor decides.

May import: model.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Article, Role

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
    """Suspected layout defects: body paragraphs that end without end punctuation, raw HTML."""
    found = []
    blocks = article.blocks
    for i, block in enumerate(blocks):
        if block.kind == "html":
            found.append(Defect(article.path, block.line, f"raw HTML ('{block.text[:24]}…') would be set as code in "
                                "every edition: remove it, or put it in a code fence (a page-break <div> is understood)"))
            continue
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
