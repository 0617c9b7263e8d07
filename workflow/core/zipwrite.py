"""Zip packages written in one pass, the same bytes every time.

Word files are zip packages.  The standard library's ``zipfile`` compresses
every member each time it is written; an edition's package is mostly the
same parts (styles, theme, numbering, settings) for every article, so
``Deflated`` compresses such a part once and ``Writer`` copies the
compressed bytes into each package.  Every member gets the 1980-01-01 date
Word itself writes, no extra fields and no attributes, so two packages of
the same parts are byte-identical.  Members are kept under 4 GiB and 65,535
in number (no Zip64: a Word file is far smaller); ``Writer`` refuses more.

May import: nothing from the package.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_VERSION = 20  # 2.0: deflate
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Deflated:
    """A member's data compressed once (raw deflate), to be written many times."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, data: bytes, level: int = 6) -> Deflated:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(packer.compress(data) + packer.flush(), zlib.crc32(data), len(data))


class Writer:
    """Members appended in order to a binary file; ``close`` writes the
    central directory."""

    def __init__(self, out) -> None:
        self.out = out
        self.entries: list[tuple[bytes, int, int, int, int, int]] = []  # name, method, crc, csize, size, offset

    def _offset(self) -> int:
        return sum(30 + len(name) + csize for name, _, _, csize, _, _ in self.entries)

    def _header(self, name: bytes, method: int, crc: int, csize: int, size: int) -> bytes:
        if max(csize, size) > _LIMIT or len(self.entries) >= 0xFFFF:
            raise ValueError("a Word package this large is not supported (Zip64)")
        return (
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, _VERSION, 0, method, _DOS_TIME, _DOS_DATE, crc, csize, size, len(name), 0
            )
            + name
        )

    def add(self, name: str, data: bytes | Deflated) -> None:
        """A deflated member: ``data`` compressed now, or as compressed once."""
        packed = data if isinstance(data, Deflated) else Deflated.of(data)
        raw = name.encode("ascii")
        offset = self._offset()
        self.out.write(self._header(raw, 8, packed.crc, len(packed.data), packed.size))
        self.out.write(packed.data)
        self.entries.append((raw, 8, packed.crc, len(packed.data), packed.size, offset))

    def add_stored(self, name: str, copy) -> None:
        """A member stored as is (photos: JPEG and PNG do not compress),
        streamed by ``copy(write)``; its header is completed afterwards, so
        the file must be seekable."""
        raw = name.encode("ascii")
        offset = self._offset()
        at = self.out.tell()
        self.out.write(self._header(raw, 0, 0, 0, 0))
        state = {"crc": 0, "size": 0}

        def write(chunk: bytes) -> None:
            state["crc"] = zlib.crc32(chunk, state["crc"])
            state["size"] += len(chunk)
            self.out.write(chunk)

        copy(write)
        end = self.out.tell()
        self.out.seek(at)
        self.out.write(self._header(raw, 0, state["crc"], state["size"], state["size"]))
        self.out.seek(end)
        self.entries.append((raw, 0, state["crc"], state["size"], state["size"], offset))

    def close(self) -> None:
        directory = b"".join(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                _VERSION,
                _VERSION,
                0,
                method,
                _DOS_TIME,
                _DOS_DATE,
                crc,
                csize,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
            for name, method, crc, csize, size, offset in self.entries
        )
        where = self._offset()
        self.out.write(directory)
        self.out.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(self.entries), len(self.entries), len(directory), where, 0)
        )
