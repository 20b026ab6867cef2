"""Tiny TrueType subsets of the PDF face for the variable text of activation letters.

A letter's variable text (name, worker number, area, code) is a few dozen glyphs. Each letter's
page embeds just those, keeping their glyph ids (so one content stream fits any subset that holds
its glyphs, and character ids equal glyph ids: ``/CIDToGIDMap /Identity``). The face of
``academy.fonts`` is TrueType with simple glyphs only, so a subset is the kept glyphs' bytes, a
long ``loca``, ``hmtx`` and copies of ``head``, ``hhea`` and ``maxp``: about a millisecond, where
fontTools' subsetter took a hundred times as long for each letter.
"""
from __future__ import annotations

import struct
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

_faces: dict[Path, Face] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Face:
    """The parts of a TrueType face a subset is cut from, read once per process."""

    cmap: dict[int, int]  # code point -> glyph id
    advances: tuple[int, ...]  # by glyph id, in 1/1000 em
    glyphs: bytes  # the whole glyf table
    offsets: tuple[int, ...]  # loca: glyph id -> offset in glyphs (one more than glyphs)
    lsbs: tuple[int, ...]
    head: bytes
    hhea: bytes
    maxp: bytes
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    cap_height: int

    def glyph_ids(self, text: str) -> list[int] | None:
        """The glyph id of each character of ``text``, or None when the face lacks one."""
        ids = [self.cmap.get(ord(ch)) for ch in text]
        return None if None in ids else ids

    def width(self, glyph_ids: list[int], size: float) -> float:
        """The advance of a run of glyphs at ``size`` points."""
        return sum(self.advances[g] for g in glyph_ids) * size / 1000

    def subset(self, keep: set[int]) -> bytes:
        """A TrueType font holding the glyphs ``keep`` (and .notdef) at their own ids."""
        kept = sorted(keep | {0})
        count = kept[-1] + 1
        glyf, loca, hmtx = bytearray(), array("I"), array("h", bytes(4 * count))
        for gid in kept:
            loca.extend([len(glyf)] * (gid + 1 - len(loca)))  # the empty glyphs before this one
            data = self.glyphs[self.offsets[gid]:self.offsets[gid + 1]]
            if data and struct.unpack_from(">h", data)[0] < 0:
                raise ValueError("a composite glyph: its components would be missing")
            glyf += data + b"\0" * (-len(data) % 4)
            hmtx[2 * gid], hmtx[2 * gid + 1] = self.advances[gid], self.lsbs[gid]
        loca.append(len(glyf))
        loca.byteswap()
        hmtx.byteswap()
        tables = {
            b"glyf": bytes(glyf), b"head": self.head[:8] + b"\0\0\0\0" + self.head[12:50] + b"\0\1" + self.head[52:],
            b"hhea": self.hhea[:34] + struct.pack(">H", count), b"hmtx": hmtx.tobytes(), b"loca": loca.tobytes(),
            b"maxp": self.maxp[:4] + struct.pack(">H", count) + self.maxp[6:],
        }
        return _sfnt(tables)


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    """The font file: offset table, table records (by tag) and the tables, each padded to 4 bytes."""
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, len(tags), power * 16, power.bit_length() - 1, len(tags) * 16 - power * 16)
    offset = 12 + 16 * len(tags)
    records, body = b"", b""
    for tag in tags:
        data = tables[tag]
        records += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    return header + records + body


def face(path: Path) -> Face:
    """The face at ``path``, read once per process (fontTools only here, at the first letter)."""
    with _lock:
        if path not in _faces:
            _faces[path] = _read(path)
        return _faces[path]


def _read(path: Path) -> Face:
    from fontTools.ttLib import TTFont  # read once per process, at the first letter

    font = TTFont(str(path))
    order = font.getGlyphOrder()
    scale = 1000 / font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    if font["head"].indexToLocFormat != 1:
        raise ValueError(f"{path.name}: a subset needs a long loca")
    head = font["head"]
    return Face(
        cmap={code: font.getGlyphID(name) for code, name in font.getBestCmap().items()},
        advances=tuple(round(metrics[name][0] * scale) for name in order),
        lsbs=tuple(metrics[name][1] for name in order), glyphs=font.reader["glyf"],
        offsets=_loca(font, len(order)),
        head=font.reader["head"], hhea=font.reader["hhea"], maxp=font.reader["maxp"],
        bbox=(head.xMin, head.yMin, head.xMax, head.yMax), ascent=font["hhea"].ascent, descent=font["hhea"].descent,
        cap_height=getattr(font["OS/2"], "sCapHeight", 700) or 700)


def _loca(font, count: int) -> tuple[int, ...]:
    raw = array("I", font.reader["loca"])
    raw.byteswap()
    return tuple(raw[:count + 1])
