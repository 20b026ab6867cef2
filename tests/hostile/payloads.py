"""Hostile files the upload tests send: zip bombs dressed as workbooks, polyglots, tricky names."""
from __future__ import annotations

import io
import struct
import zlib

from openpyxl import Workbook

# A real JPEG start (SOI + APP0 JFIF) followed by an HTML page with a script, then a ZIP archive:
# image viewers, browsers that sniff and unzip tools each see "their" file in it.
_ZIP = io.BytesIO()
with __import__("zipfile").ZipFile(_ZIP, "w") as _archive:
    _archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
POLYGLOT_JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                 b"<html><body><script>alert(document.cookie)</script></body></html>" + _ZIP.getvalue())
# Starts as a PNG, ends as HTML.
POLYGLOT_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"<html><script>alert(1)</script></html>"

# Names that try to leave the upload folder or pass for something else.
TRICKY_NAMES = [
    "../../../../etc/passwd.png",
    "..\\..\\windows\\system32\\evil.png",
    "/etc/cron.d/evil.png",
    "C:\\Windows\\evil.png",
    "evil.png\x00.html",
    "\u2025\u2215\u2025\u2215evil.png",     # two-dot leader and division slash: "../../" lookalikes
    "\uff0e\uff0e\uff0fevil.png",           # full-width "../"
    ".htaccess.png",
    "a" * 5000 + ".png",
]


def workbook_bytes(rows: list[list] | None = None) -> bytes:
    book = Workbook()
    for row in rows or [["a", "b"]]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _deflate_repeated(head: bytes, chunk: bytes, times: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw DEFLATE of head + chunk * times + tail, its CRC and size, without deflating it all: after
    a full flush the compressor forgets its history, so the chunk's block can be repeated as is."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    return start + block * times + end, zlib.crc32(tail, crc), len(head) + len(chunk) * times + len(tail)


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive of already deflated members: (name, deflated data, CRC, uncompressed size)."""
    out, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        directory.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                    len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    start, listing = out.tell(), directory.getvalue()
    out.write(listing)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(listing), start, 0))
    return out.getvalue()


def xlsx_bomb(megabytes: int = 2048) -> bytes:
    """A valid workbook whose shared-strings part inflates to ``megabytes`` MiB (about 2 MB on disk).

    openpyxl reads the shared strings whole when it opens a workbook, so without the size check
    the import would try to hold gigabytes of XML in memory."""
    import zipfile

    members = []
    with zipfile.ZipFile(io.BytesIO(workbook_bytes())) as good:
        for info in good.infolist():
            if info.filename == "xl/sharedStrings.xml":
                continue
            raw = good.read(info)
            if info.filename == "[Content_Types].xml":  # declare the shared strings, as Excel's own files do
                raw = raw.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                  b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append((info.filename, compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw)))
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    data, crc, size = _deflate_repeated(head, b"A" * (1 << 20), megabytes, b"</t></si></sst>")
    members.append(("xl/sharedStrings.xml", data, crc, size))
    return _zip(members)
