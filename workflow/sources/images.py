"""Photos: what an image file is and how large, from its header alone.

JPEG, PNG and GIF are read; pixels are never decoded and the bytes are
never held whole: the header gives the size, a streamed SHA-1 gives the
name an edition stores the photo under (so identical rebuilds are
byte-identical).  Anything else is an input error naming the file.

May import: errors, model.
"""

from __future__ import annotations

import hashlib
import struct

from workflow.core.errors import SourceError
from workflow.core.model import ImageRef

#: Content type by the file's first bytes.
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            return None
        marker = head[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = struct.unpack(">H", head[i + 2 : i + 4])[0]
        if marker in _SOF:
            height, width = struct.unpack(">HH", head[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return None


def size_of(head: bytes, content_type: str) -> tuple[int, int] | None:
    """(width, height) in pixels from the first bytes of an image, or None."""
    if content_type == "image/png" and len(head) >= 24 and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if content_type == "image/gif" and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    if content_type == "image/jpeg":
        return _jpeg_size(head)
    return None


#: A JPEG's frame header may follow large EXIF and ICC blocks: read this much.
HEAD_BYTES = 1 << 20


def describe(stream, display: str, path: str, part: str = "") -> ImageRef:
    """An ``ImageRef`` for the image ``stream`` holds (read once, in chunks)."""
    head = stream.read(HEAD_BYTES)
    kind = next((t for magic, t in _MAGIC if head.startswith(magic)), None)
    if kind is None:
        raise SourceError("not a JPEG, PNG or GIF image (other formats are not supported)", display)
    size = size_of(head, kind)
    if not size or not all(size):
        raise SourceError(f"an unreadable {kind.split('/')[1].upper()} image (no size in its header)", display)
    digest = hashlib.sha1(head)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return ImageRef(path, part, kind, size[0], size[1], digest.hexdigest())
