"""Chinese line typography the editions are set by, in one place for Word
and for LibreOffice: the marks that may not start a line and those that may
not end one (避头尾, GB/T 15834 and the W3C's clreq §3.1.7, with the house
rule that the ellipsis and the dash never start a line, so neither is ever
split across two).

May import: nothing from the package.
"""

from __future__ import annotations

#: Never at the start of a line: closing marks, stops and pauses, the ellipsis and the dash, the
#: signs that follow a number; their half-width forms too (Latin text in a Chinese line).
NO_LINE_START = "。，、；：？！）」』”’》〉】〕〗…—%‰℃°·!),.:;?]}"
#: Never at the end of a line: opening marks, and the currency signs that precede a number.
NO_LINE_END = "（「『“‘《〈【〔〖([{$£¥"
#: The language the rules are declared for (Word's ``w:lang``, LibreOffice's locale).
LANGUAGE = "zh-CN"
