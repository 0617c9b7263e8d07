"""Reading source articles: bytes → text → blocks with roles.

``parse_article`` is pure (text in, ``Article`` out); ``read_article`` adds
the file handling: encodings, BOM, line ends and NFC.

May import: errors, model, text, fsio, images.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

from workflow.core.errors import EncodingError, SourceError
from workflow.core.fsio import read_bytes
from workflow.core.model import SOURCE_FORMATS, VERBATIM, Article, Block, ImageRef, Role
from workflow.core.text import HAN_RANGES, decode, find_control_char, is_cjk, plausible_chinese

# Sentence-final punctuation in Chinese text (closing quotes may follow).
END_PUNCT = "。！？!?…；;：:"
_CLOSERS = "”’」』）)》"

#: One or more names of two Chinese characters or more, apart by white space: what the
#: credit and byline patterns end with. Written so a string matches in one way only (the
#: names' letters and the spaces between them are disjoint): the older form, names of 2–6
#: letters with optional spaces between, matched the same strings but backtracked
#: exponentially on a long run of names that did not end the way it needed.
_NAMES = rf"[{HAN_RANGES}·]{{2,}}(?:\s+[{HAN_RANGES}·]{{2,}})*\s*"
#: A photo credit at the end of a caption: 「… 王志伟 摄」, 「资料图片」, 「新华社供图」.
CREDIT_END = re.compile(r"(?:摄|资料图片|供图|图片来源[:：]\s*\S+)$")
#: A block that is nothing but a credit line.
CREDIT_ONLY = re.compile(rf"^(?:[^。！？，]{{0,20}}记者\s*)?{_NAMES}摄$|^资料图片$|^[^。！？，]{{1,20}}供图$")
#: A reporter credit: 「长沙晚报全媒体记者 刘捷萍」, 「本报记者 张三 李四」, 「文/张三」.
BYLINE = re.compile(rf"^[^。！？，；：]{{0,24}}(?:记者|通讯员|撰稿|文/|文｜)\s*{_NAMES}$")
#: An explicit role marker, an HTML comment that renders as nothing.
MARKER = re.compile(r"^<!--\s*role\s*:\s*([a-z]+)(?:\s+(\d))?\s*-->\s*$")


def decode_source(data: bytes, path: str, encoding: str | None = None) -> str:
    """Bytes → NFC text with LF line ends.

    UTF-8 (with or without BOM) is read as is; any other encoding fails
    unless named with ``encoding``.
    """
    if encoding is None or encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise EncodingError(
                "looks like UTF-16; run 'bilingual extract --encoding utf-16' once (it is "
                "remembered), or convert the file to UTF-8",
                path,
            )
        text = decode(
            data,
            path,
            EncodingError,
            "utf-8-sig",
            "; run 'bilingual extract --encoding gb18030' (or big5 …) once: the encoding is remembered",
        )
    else:
        text = _decode_named(data, path, encoding)
    # Unicode's own line and paragraph separators are line breaks too.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    text = unicodedata.normalize("NFC", text)
    bad = find_control_char(text)
    if bad:
        raise SourceError(f"control character U+{ord(bad[1]):04X} cannot be published", path, bad[0])
    return text


def _decode_named(data: bytes, path: str, encoding: str) -> str:
    """Text in a codec the user named, refused when the result shows it is
    the wrong one: replacement characters, or Chinese made of rare characters."""
    try:
        text = decode(data, path, EncodingError, encoding)
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r}", path) from None
    if "\ufffd" in text:
        line = text.count("\n", 0, text.index("\ufffd")) + 1
        raise EncodingError(
            f"read as {encoding}, the text has replacement characters (U+FFFD): text was lost before it got here",
            path,
            line,
        )
    share, needed = plausible_chinese(text)
    if share < needed:
        raise EncodingError(
            f"read as {encoding}, only {share:.0%} of the Chinese characters are common ones: "
            "the file is in another encoding (big5? gb18030? utf-8?)",
            path,
        )
    return text[1:] if text.startswith("\ufeff") else text


def resolve_images(article: Article, folder: Path, root: Path) -> Article:
    """The article with each photo's path (relative to ``folder``, the
    article's own) checked and described.  A path that leads outside
    ``root``, the project (``..``, a link), is an input error; a photo that
    is not there yet, a URL, or not a JPEG, PNG or GIF is kept as missing,
    with the reason (translators can start before the photo desk delivers;
    ``lint`` and the publish gate report it)."""
    blocks = []
    for block in article.blocks:
        if block.image is not None and not block.image.width and not block.image.missing:
            block = replace(
                block,
                image=replace(
                    _resolve_image(article, block.line, block.image.path, folder, root), placed=block.image.placed
                ),
            )
        blocks.append(block)
    return replace(article, blocks=tuple(blocks))


def _resolve_image(article: Article, line: int, src: str, folder: Path, root: Path) -> ImageRef:
    """The photo ``src`` that the block on ``line`` shows, found and measured (or why it is missing)."""
    from workflow.core.fsio import inside
    from workflow.sources.images import describe

    where = f"{article.path}:{line}: photo {src}"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", src):
        return ImageRef(src, missing=f"{src} is a URL, not a file in the project: download it next to the article")
    path = (folder / src) if not Path(src).is_absolute() else Path(src)
    if not inside(root, path):
        raise SourceError("a photo must be a file inside the project (not a URL, not outside)", where)
    try:
        with path.open("rb") as stream:
            return describe(stream, where, str(path.resolve()))
    except OSError as exc:  # the resolved path: the build notices when the photo desk delivers it
        return ImageRef(str(path.resolve()), missing=f"cannot read {src}: {exc.strerror}")
    except SourceError as exc:
        return ImageRef(str(path.resolve()), missing=f"{src}: {exc.message}")


def read_article(path: Path, rel: str, encoding: str | None = None, root: Path | None = None) -> Article:
    """Read and parse the article at ``path`` (``rel`` is how it is named);
    photos are resolved inside ``root`` (default: the article's folder)."""
    fmt = SOURCE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(f"unsupported source format {path.suffix!r} (use .md or .txt)", rel)
    try:
        data = read_bytes(path)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", rel) from None
    text = decode_source(data, rel, encoding)
    article = parse_article(text, name=path.stem, path=rel, fmt=fmt)
    if not article.translatable_blocks():
        raise SourceError("no text to translate: the file is empty", rel)
    if any(b.image is not None for b in article.blocks):
        article = resolve_images(article, path.parent, root or path.parent)
    if encoding and encoding.replace("-", "").replace("_", "").lower() not in ("utf8", "utf8sig"):
        return replace(article, encoding=encoding)
    return article


def parse_article(text: str, name: str = "article", path: str = "article.md", fmt: str = "md") -> Article:
    raws = _parse_markdown(text, path) if fmt == "md" else _parse_text(text)
    if fmt == "md":
        raws = _lift_images(raws)
    return Article(name=name, path=path, format=fmt, blocks=tuple(assign_roles(raws)))


#: A Markdown image: ![alt](path) or ![alt](path "title"); the path may sit in <…>.
_IMAGE = re.compile(
    r'!\[((?:[^\]\\]|\\.)*)\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)(?:\{\s*width\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*(cm|mm|in|pt)\s*\})?'
)
#: EMU per unit of an explicit photo width: ``![alt](photos/x.jpg){width=8cm}``.
_EMU_PER = {"cm": 360000, "mm": 36000, "in": 914400, "pt": 12700}


def _placed(m) -> int:
    return int(float(m.group(3)) * _EMU_PER[m.group(4)]) if m.group(3) else 0


def _lift_images(raws: list[RawBlock]) -> list[RawBlock]:
    """Photos out of the text: a paragraph that is only images becomes one
    image block each (its text the alt text); images inside running text
    are taken out of it and follow the paragraph."""
    out: list[RawBlock] = []
    for raw in raws:
        if raw.kind in ("code", "html", "pagebreak", "heading") or "![" not in raw.text:
            out.append(raw)
            continue
        images = [
            RawBlock(
                "image",
                m.group(1).replace("\\]", "]").strip(),
                raw.line,
                raw.end_line,
                src=ImageRef(m.group(2).strip("<>"), placed=_placed(m)),
            )
            for m in _IMAGE.finditer(raw.text)
        ]
        rest = re.sub(r"  +", " ", _IMAGE.sub("", raw.text)).strip()
        if rest:
            raw.text = rest
            out.append(raw)
        out.extend(images)
    return out


# -- raw blocks ----------------------------------------------------------------


class RawBlock:
    """A block as a reader found it, before ``assign_roles`` gives it a role
    (``explicit``: a role the file itself states, as (Role, level))."""

    __slots__ = ("kind", "text", "line", "end_line", "level", "explicit", "cell", "src", "depth")

    def __init__(self, kind, text, line, end_line, level=0, explicit=None, cell=None, src=None, depth=0):
        self.kind, self.text, self.line, self.end_line = kind, text, line, end_line
        self.level, self.explicit, self.cell, self.src, self.depth = level, explicit, cell, src, depth


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines: no space between Chinese characters, one space
    where Latin text meets."""
    if len(lines) == 1:
        return lines[0].strip(" \t\u3000")
    out = ""
    for line in (ln.strip(" \t\u3000") for ln in lines):
        if not line:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(line[0])):
            out += " "
        out += line
    return out


def _marker(text: str, path_line: int):
    m = MARKER.match(text.strip())
    if not m:
        return None
    name, level = m.group(1), m.group(2)
    try:
        role = Role(name)
    except ValueError:
        raise SourceError(
            f"unknown role {name!r} in marker; use one of {', '.join(r.value for r in Role)}", None, path_line
        ) from None
    return role, int(level) if level else 0


def _parse_text(text: str) -> list[RawBlock]:
    """Plain text: every blank-line-separated block is a paragraph, however
    it is indented (tabs and full-width spaces are typesetting, not code)."""
    raws: list[RawBlock] = []
    pending = None
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip(" \t\u3000"):
            i += 1
            continue
        start = i
        while i < len(lines) and lines[i].strip(" \t\u3000"):
            i += 1
        chunk = lines[start:i]
        marker = _marker(chunk[0], start + 1) if len(chunk) == 1 else None
        if marker:
            pending = marker
            continue
        raws.append(RawBlock("paragraph", join_lines(chunk), start + 1, i, explicit=pending))
        pending = None
    return raws


_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt

        # Only block structure and each block's raw inline source are needed
        # here; inline parsing happens when an edition is set.  The nesting
        # limit is raised from CommonMark's 20 (below which deeper text was
        # silently dropped): 99 lists or 199 block quotes deep are kept, deeper
        # is refused with the line (``_too_deep``).
        _MD = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").disable("inline")
    return _MD


#: markdown-it's nesting limit: one level per block quote, two per list (list and item).
MAX_NESTING = 200
#: ``<div style="page-break-after: always"></div>`` and the like: a page break, nothing to translate.
PAGE_BREAK = re.compile(
    r"^\s*<(div|p|br|hr)\b[^>]*\bpage-break-(?:after|before)\s*:\s*always\b[^>]*>"
    r"(?:\s*</\1>)?\s*$",
    re.IGNORECASE,
)


def _too_deep(tokens, path: str) -> None:
    """Refuse a document nested past the parser's limit: its text would be lost."""
    deepest = max(tokens, key=lambda tok: tok.level, default=None)
    if deepest is not None and deepest.level >= MAX_NESTING - 1:
        line = next((tok.map[0] + 1 for tok in reversed(tokens[: tokens.index(deepest) + 1]) if tok.map), None)
        raise SourceError(
            f"lists or block quotes nested deeper than {MAX_NESTING // 2 - 1} lists or "
            f"{MAX_NESTING - 1} quotes; flatten them",
            path,
            line,
        )


# Most articles are prose: paragraphs, ATX headings and role markers. For a
# document whose every line is plainly one of those, the blocks are found
# directly; any line that could start another CommonMark construct (list,
# quote, code, HTML, table, setext underline, link definition, indentation)
# sends the whole document to markdown-it. Property tests check that both
# paths give the same blocks.
_NOT_PROSE = re.compile(r"[>*+\-_=`~<\[#]|\d{1,9}[.)]")
_ATX = re.compile(r"(#{1,6}) (\S(?:.*[^\s#])?)")


def _edge_is_space(line: str) -> bool:
    """White space at an edge that markdown-it and ``join_lines`` would treat
    differently: indentation, or a space other than U+3000, spaces and tabs
    (which CommonMark keeps as text and ``join_lines`` strips)."""
    if line[0].isspace() and line[0] != "\u3000":
        return True
    core = line.strip(" \t\u3000")
    return bool(core) and (core[0].isspace() or core[-1].isspace())


def _parse_prose(text: str) -> list[RawBlock] | None:
    """The blocks of a prose-only Markdown document, or None when it is not."""
    if "|" in text:
        return None  # perhaps a table
    raws: list[RawBlock] = []
    pending = None
    para: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip(" \t"):  # CommonMark's blank line
            if para:
                raws.append(RawBlock("paragraph", join_lines(para), start, number - 1, explicit=pending))
                para, pending = [], None
            continue
        if _edge_is_space(line):
            return None
        first = line[0]
        if first in "#<":
            if para:
                raws.append(RawBlock("paragraph", join_lines(para), start, number - 1, explicit=pending))
                para, pending = [], None
            if first == "<":
                if not MARKER.match(line):
                    return None
                pending = _marker(line, number)
                continue
            m = _ATX.fullmatch(line)
            if not m:
                return None
            raws.append(
                RawBlock("heading", join_lines([m.group(2)]), number, number, level=len(m.group(1)), explicit=pending)
            )
            pending = None
            continue
        if _NOT_PROSE.match(line):
            return None
        if not para:
            start = number
        para.append(line)
    if para:
        raws.append(RawBlock("paragraph", join_lines(para), start, number, explicit=pending))
    return raws


def _parse_markdown(text: str, path: str = "") -> list[RawBlock]:
    prose = _parse_prose(text)
    if prose is not None:
        return prose
    return _parse_markdown_it(text, path)


def _html_block(tok) -> tuple[RawBlock | None, object]:
    """A raw HTML block: (the block it makes, or None; a role marker, or None).
    A page break is a page break; other HTML is set as code (``lint`` reports it)."""
    line = tok.map[0] + 1 if tok.map else 0
    marker = _marker(tok.content, line)
    if marker:
        return None, marker
    if PAGE_BREAK.match(tok.content):
        return RawBlock("pagebreak", "", line, line), None
    if tok.content.strip():
        return RawBlock("html", tok.content.rstrip("\n"), line, tok.map[1] if tok.map else line), None
    return None, None


def _parse_markdown_it(text: str, path: str = "") -> list[RawBlock]:
    tokens = _markdown().parse(text)
    _too_deep(tokens, path)
    raws: list[RawBlock] = []
    pending = None
    stack: list[str] = []  # enclosing containers
    row = col = -1
    heading_level = 0
    for tok in tokens:
        t = tok.type
        if t == "html_block":
            raw, marker = _html_block(tok)
            pending = marker or pending
            if raw is not None:
                raws.append(raw)
            continue
        if t in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            stack.append({"bullet_list_open": "bullet", "ordered_list_open": "ordered"}.get(t, "quote"))
        elif t in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            stack.pop()
        elif t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t == "heading_close":
            heading_level = 0
        elif t == "table_open":
            stack.append("table")
            row = -1
        elif t == "table_close":
            stack.pop()
        elif t == "tr_open":
            row += 1
            col = -1
        elif t in ("th_open", "td_open"):
            col += 1
        elif t in ("fence", "code_block"):
            start = tok.map[0] + 1 if tok.map else 0
            raws.append(RawBlock("code", tok.content.rstrip("\n"), start, tok.map[1] if tok.map else start))
        elif t == "inline":
            start, end = (tok.map[0] + 1, tok.map[1]) if tok.map else (0, 0)
            content = join_lines(tok.content.split("\n"))
            if heading_level:
                raws.append(RawBlock("heading", content, start, end, level=heading_level, explicit=pending))
            elif stack and stack[-1] == "table":
                raws.append(RawBlock("table", content, start, end, explicit=pending, cell=(row, col)))
                continue  # a marker before a table applies to all its cells
            else:
                kind = stack[-1] if stack else "paragraph"
                depth = sum(k in ("bullet", "ordered") for k in stack)  # a list inside a list item: one deeper
                raws.append(RawBlock(kind, content, start, end, explicit=pending, depth=depth))
            pending = None
    return raws


# -- roles -------------------------------------------------------------------


def _ends_open(text: str) -> bool:
    """True when the text has no sentence-final punctuation."""
    t = text.rstrip(_CLOSERS + " ")
    return not t or t[-1] not in END_PUNCT + "。.，,、"


def is_credit_only(text: str) -> bool:
    text = text.strip()
    return text.endswith(("摄", "资料图片", "供图")) and bool(CREDIT_ONLY.match(text))


def assign_roles(raws: list[RawBlock]) -> list[Block]:
    """Give each raw block its role by the rules documented in docs/sources.md
    (an explicit ``<!-- role: … -->`` marker always wins)."""
    blocks: list[Block] = []
    title_seen = False
    for i, raw in enumerate(raws):
        prev = raws[i - 1] if i else None
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        prev_role = blocks[-1].role if blocks else None
        role, level = _fixed_role(raw) or _role_by_rules(raw, prev, nxt, prev_role, title_seen, first=i == 0)
        title_seen = title_seen or role is Role.TITLE
        blocks.append(
            Block(
                role=role,
                text=raw.text,
                line=raw.line,
                level=level,
                kind=raw.kind,
                cell=raw.cell,
                end_line=raw.end_line,
                image=raw.src if isinstance(raw.src, ImageRef) else ImageRef(path=raw.src) if raw.src else None,
                depth=raw.depth,
            )
        )
    return _kickers(blocks, raws)


def _fixed_role(raw: RawBlock) -> tuple[Role, int] | None:
    """The role a block's kind or its marker decides, whatever its neighbours are."""
    if raw.kind in VERBATIM or raw.kind == "pagebreak":
        return Role.BODY, 0
    if raw.kind == "image":
        return Role.ALT, 0
    if raw.explicit:
        role, level = raw.explicit
        if role is Role.HEADING and not level:
            level = max(1, raw.level - 1) if raw.kind == "heading" else 1
        return role, level
    return None


def _role_by_rules(
    raw: RawBlock, prev: RawBlock | None, nxt: RawBlock | None, prev_role: Role | None, title_seen: bool, first: bool
) -> tuple[Role, int]:
    """The role of an unmarked block, read from its text and its neighbours."""
    text = raw.text
    if raw.kind == "heading":
        if raw.level == 1 and not title_seen:
            return Role.TITLE, 0
        return Role.HEADING, max(1, raw.level - 1)
    if raw.kind == "paragraph" and not title_seen and first and prev_role is None and _looks_like_title(raw):
        return Role.TITLE, 0  # plain text: a short first line with no end punctuation
    if raw.kind in ("paragraph", "quote") and prev_role is Role.TITLE and text.startswith("——"):
        return Role.SUBTITLE, 0
    if raw.kind == "paragraph" and BYLINE.match(text) and not CREDIT_END.search(text):
        return Role.BYLINE, 0
    if raw.kind in ("paragraph", "quote") and (CREDIT_END.search(text) or _credit_follows(text, nxt)):
        return Role.CAPTION, 0
    if (
        raw.kind == "paragraph"
        and prev is not None
        and prev.kind == "heading"
        and prev_role is Role.HEADING
        and len(text) <= 30
        and _ends_open(text)
    ):
        return Role.DECK, 0
    return Role.BODY, 0


def _credit_follows(text: str, nxt: RawBlock | None) -> bool:
    """A short paragraph followed by a paragraph that is only a photo credit is its caption."""
    return (
        nxt is not None
        and nxt.kind == "paragraph"
        and is_credit_only(nxt.text)
        and not nxt.explicit
        and len(text) <= 120
    )


def _kickers(blocks: list[Block], raws: list[RawBlock]) -> list[Block]:
    """A kicker (肩题): a short heading directly followed by a longer heading
    of the same level (### 合资协同 over ### 聚力新质生产力 布局全球新版图).
    A role marker decides it either way."""
    for i in range(len(blocks) - 1):
        a, b = blocks[i], blocks[i + 1]
        if (
            a.role is Role.HEADING
            and b.role is Role.HEADING
            and a.level == b.level
            and not raws[i].explicit
            and len(a.text) <= 16
            and len(a.text) < len(b.text)
        ):
            blocks[i] = replace(a, role=Role.KICKER)
    return blocks


def _looks_like_title(raw: RawBlock) -> bool:
    return len(raw.text) <= 40 and _ends_open(raw.text) and not BYLINE.match(raw.text)
