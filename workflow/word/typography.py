"""The looks the editions are set in, in one place: the file a designer edits.

The faces and how Word declares them, the look of each paragraph style
(type size, leading, spacing, keeps) in the reader and the newspaper look,
which style each role of a segment is set in, the page and its measure,
and Chinese line typography for Word and for LibreOffice: the marks that
may not start a line and those that may not end one (避头尾, GB/T 15834
and the W3C's clreq §3.1.7, with the house rule that the ellipsis and the
dash never start a line, so neither is ever split across two).

Nothing here writes XML: ``word.styles`` turns the looks into Word's style
sheet, ``word.package`` the page into section properties.

May import: nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

#: Never at the start of a line: closing marks, stops and pauses, the ellipsis and the dash, the
#: signs that follow a number; their half-width forms too (Latin text in a Chinese line).
NO_LINE_START = "。，、；：？！）」』”’》〉】〕〗…—%‰℃°·!),.:;?]}"
#: Never at the end of a line: opening marks, and the currency signs that precede a number.
NO_LINE_END = "（「『“‘《〈【〔〖([{$£¥"
#: The language the rules are declared for (Word's ``w:lang``, LibreOffice's locale).
LANGUAGE = "zh-CN"

# -- faces ----------------------------------------------------------------------------

LATIN = "Times New Roman"
SONG, HEI, KAI = "SimSun", "SimHei", "KaiTi"  # English names: LibreOffice maps them to Noto CJK
#: Bold heads: SimHei has one weight, and Word fakes its bold by smearing it; Microsoft YaHei (every
#: Windows since Vista, Office for Mac) has a true bold, and the PDF sets Noto Sans CJK SC Bold.
BOLD_HEI = "Microsoft YaHei"
CODE_FONT = "Courier New"
#: The colour of a link (the Hyperlink character style, underlined).
LINK_COLOR = "0563C1"

#: The fonts the editions name (docx-spec §2), as Word itself declares them: the
#: Chinese faces with their Chinese names and the GB2312 character set, so that a
#: machine without them substitutes a Song, Hei or Kai face, not a Latin one.
#: (name, altName, panose, charset, family, pitch, usb0, usb1, usb2, csb0)
FONTS = (
    (LATIN, None, "02020603050405020304", "00", "roman", "variable", "E0002EFF", "C000785B", "00000009", "000001FF"),
    (SONG, "宋体", "02010600030101010101", "86", "auto", "variable", "00000003", "288F0000", "00000016", "00040001"),
    (HEI, "黑体", "02010609060101010101", "86", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    (KAI, "楷体", "02010609060101010101", "86", "modern", "fixed", "800002BF", "38CF7CFA", "00000016", "00040001"),
    (
        BOLD_HEI,
        "微软雅黑",
        "020B0503020204020204",
        "86",
        "swiss",
        "variable",
        "80000287",
        "2ACF3C50",
        "00000016",
        "0004001F",
    ),
    (CODE_FONT, None, "02070309020205020404", "00", "modern", "fixed", "E0002AFF", "C0007843", "00000009", "000001FF"),
    ("Symbol", None, "05050102010706020507", "02", "roman", "variable", "00000000", "10000000", "00000000", "80000000"),
)

# -- the page ---------------------------------------------------------------------------

EMU_PER_CM = 360000
#: A4 portrait (the editions) and landscape (a kit's review table): (width, height, side margin) in cm.
PAGE_CM = (21, 29.7, 3.17)
LANDSCAPE_CM = (29.7, 21, 1.5)
TOP_BOTTOM_CM = 2.54
TEXT_WIDTH_EMU = int((PAGE_CM[0] - 2 * PAGE_CM[2]) * EMU_PER_CM)  # A4 less the side margins
TEXT_WIDTH_TWIPS = TEXT_WIDTH_EMU // 635  # 8311
LANDSCAPE_WIDTH_TWIPS = int((LANDSCAPE_CM[0] - 2 * LANDSCAPE_CM[2]) * EMU_PER_CM) // 635
PHOTO_DPI = 220  # a photo is never set larger than its own size at this resolution

#: The newspaper look: (columns, characters of Chinese body type a column holds) per edition; the
#: columns share the measure, the rest of it between them.  12 characters of 10.5 pt in three columns
#: for Chinese; two columns of 19 (about 43 characters of 10 pt Times) for English and bilingual.
NEWSPAPER_COLUMNS = {"zh": (3, 12), "en": (2, 19), "bilingual": (2, 19)}
NEWSPAPER_ZH_SIZE = 10.5

#: A bilingual pair whose Chinese takes at most this many lines is kept on one page.
KEPT_PAIR_LINES = 3
#: A row of at most this many lines (its longest cell) is never split across pages: a split leaves a
#: widow or an orphan, LibreOffice honouring no widow control inside a split row.
SHORT_ROW_LINES = 12
#: Styles a table row holding them keeps with the next row.
HEAD_STYLES = ("Heading 1", "Heading 2", "Heading 3", "Kicker", "Heading Deck", "Photo")
#: The Chinese heads' type sizes (points), to count the characters a line of them holds.
HEAD_SIZES = {"Title": 22, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12, "Heading Deck": 13}

# -- the looks of the styles --------------------------------------------------------------


@dataclass(frozen=True)
class Look:
    """How one paragraph style looks."""

    east_asia: str = SONG
    size: float = 12
    bold: bool = False
    italic: bool = False
    align: str | None = None  # left, center, both
    before: int = 0  # twips
    after: int = 0
    line: int | None = None  # 240 = single (auto); with ``exact``, twentieths of a point
    exact: bool = False  # the line height is exactly ``line`` (Chinese body text: print leading)
    first_line_chars: int = 0  # 200 = two characters
    keep_next: bool = False  # kept with the next paragraph (heads, kickers, decks, the Chinese of a pair)
    keep_lines: bool = False  # never split across pages (heads)
    outline: int | None = None
    color: str = "000000"


class _Keeps(TypedDict):
    """Look's keep settings, passed as keywords to every head's look."""

    keep_next: bool
    keep_lines: bool


#: The styles of our own (the others are Word's built-in ones).
CUSTOM = {"Heading Deck", "Kicker", "Byline", "Code", "Body Chinese", "Body English", "Photo"}


def looks(edition: str, look: str = "reader") -> dict[str, Look]:
    """Style name → look for an edition (docx-spec §3–§5), in the reader or the newspaper look."""
    out = _reader_looks(edition)
    if look == "newspaper":
        out.update(_newspaper_looks(edition, out))
    return out


def _newspaper_looks(edition: str, reader: dict[str, Look]) -> dict[str, Look]:
    """The body in columns: Chinese 10.5 pt on 18 pt exact leading, English
    10 pt justified with a one-em first-line indent and no paragraph space."""
    zh = Look(size=NEWSPAPER_ZH_SIZE, align="both", line=360, exact=True, first_line_chars=200)
    en = Look(size=10, align="both", line=240, first_line_chars=100)
    out = {"Body Chinese": Look(**{**zh.__dict__, "after": 60}), "Body English": Look(**{**en.__dict__, "after": 200})}
    out["Normal"] = zh if edition == "zh" else en if edition == "en" else reader["Normal"]
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading Deck"):  # a head broken in a column: not stretched
        out[name] = Look(**{**reader[name].__dict__, "align": "left"})
    return out


def _reader_looks(edition: str) -> dict[str, Look]:
    # Chinese body: 12 pt SimSun on exactly 21 pt (1.75 times the type size, newspaper leading;
    # "1.5 lines" of a face with large ascent came out at about 2.1 times).
    zh_body = Look(size=12, align="both", line=420, exact=True, first_line_chars=200)
    en_body = Look(size=11, align="left", line=276, after=120)
    head: _Keeps = {"keep_next": True, "keep_lines": True}
    out = {
        "Title": Look(BOLD_HEI, 22, bold=True, align="center", after=240, line=240, outline=0, **head),  # the PDF's H1
        "Subtitle": Look(KAI, 14, align="center", after=240, line=240, **head),
        # under the title
        "Heading 1": Look(BOLD_HEI, 16, bold=True, before=360, after=120, line=240, outline=1, **head),
        "Heading 2": Look(BOLD_HEI, 14, bold=True, before=240, after=120, line=240, outline=2, **head),
        "Heading 3": Look(BOLD_HEI, 12, bold=True, before=240, after=60, line=240, outline=3, **head),
        "Heading Deck": Look(HEI, 13, align="left", after=120, line=240, outline=9, **head),
        # 肩题: smaller than the head it leads into, not bold, set tight above it, kept with it
        "Kicker": Look(HEI, 11, align="left", before=240, after=0, line=240, **head),  # black: print sets no grey
        "Byline": Look(KAI, 12, align="center", after=240, line=240),
        "Caption": Look(KAI, 10, align="center", before=60, after=240, line=240, color="595959"),
        "Photo": Look(SONG, 12, align="center", before=240, after=60, line=240, keep_next=True),
        "Quote": Look(KAI, 12, align="both", line=300, after=120),
        "List Bullet": Look(SONG, 12, line=300, after=60),
        "List Number": Look(SONG, 12, line=300, after=60),
        "Code": Look(SONG, 9, line=240, after=120),
        # a bilingual pair: the Chinese kept with its English 3 pt below it; pairs 14 pt apart
        "Body Chinese": Look(**{**zh_body.__dict__, "keep_next": False}),
        "Body English": Look(size=11, align="left", line=276, before=60, after=280),
    }
    if edition == "zh":
        out["Normal"] = zh_body
    elif edition == "en":
        out["Normal"] = en_body
        out.update(_english_heads(out, head))
    else:
        out["Normal"] = Look(size=11, line=276)
    return out


def _english_heads(reader: dict[str, Look], head: _Keeps) -> dict[str, Look]:
    """The English edition's heads, ranged left, its subtitle, byline and captions italic."""
    out = {name: Look(**{**reader[name].__dict__, "align": "left"}) for name in ("Heading 1", "Heading 2", "Heading 3")}
    out["Title"] = Look(BOLD_HEI, 20, bold=True, align="left", after=200, line=240, outline=0, **head)
    out["Subtitle"] = Look(KAI, 13, italic=True, align="left", after=200, line=240, **head)
    out["Byline"] = Look(KAI, 11, italic=True, align="left", after=200, line=240)
    out["Caption"] = Look(KAI, 9.5, italic=True, align="left", before=60, after=240, line=240, color="404040")
    return out


# -- which style a segment is set in ------------------------------------------------------

_ROLE_STYLE = {
    "title": "Title",
    "subtitle": "Subtitle",
    "byline": "Byline",
    "deck": "Heading Deck",
    "kicker": "Kicker",
    "caption": "Caption",
}
_KIND_STYLE = {"bullet": "List Bullet", "ordered": "List Number", "quote": "Quote"}


def style_for(kind: str, role: str, level: int, lang: str, edition: str) -> str:
    """The paragraph style of a segment of this block ``kind`` and ``role``
    (a heading's ``level``) in language ``lang`` of an edition."""
    if kind == "code":
        return "Code"
    if role == "heading":
        return f"Heading {min(max(level, 1), 3)}"
    if role in _ROLE_STYLE:
        return _ROLE_STYLE[role]
    if kind in _KIND_STYLE:
        return _KIND_STYLE[kind]
    if edition == "bilingual":
        return "Body Chinese" if lang == "zh" else "Body English"
    return "Normal"
