"""The worker's own fields of activation letters, written straight into PDF pages.

Everything a batch's letters share (title, greeting, labels, expiry, address, steps) is laid out
once by WeasyPrint (``letters_pdf``); each letter adds only its name, worker number, area, code and
QR code, at the places ``LAYOUT`` gives. Laying out every letter with WeasyPrint cost about 60 ms
of CPU each (the 3,500 letters of a city's first day: over three minutes on two cores); writing
these few lines costs about one. Each page carries its own font: a subset of the PDF face holding
only its glyphs (``truetype``), with a ToUnicode map, so the name and the code are text a reader
can copy and search, and a single letter split from a batch is small.
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

from academy.activation.truetype import Face
from academy.pdf import qr_matrix

MM = 72 / 25.4
PAGE_HEIGHT = 297 * MM


@dataclass(frozen=True)
class Layout:
    """Where each part of a letter goes, in millimetres from the page's top left."""

    title: float = 24
    academy: float = 36
    greeting: float = 48
    rows: dict | None = None
    value_x: float = 62
    code_box: tuple[float, float, float, float] = (60, 110, 80, 13)  # left, top, width, height
    qr: tuple[float, float, float] = (82.5, 138, 45)  # left, top, size
    url: float = 185
    steps: float = 195
    warning: float = 248


LAYOUT = Layout(rows={"name": 77, "number": 88, "area": 99, "code": 111.5, "expires": 126})
# Each field: the row it sits in, its size in points, its widest extent in mm (a long area name shrinks).
FIELDS = {"name": ("name", 13, 120), "number": ("number", 13, 120), "area": ("area", 13, 126), "code": ("code", 20, 74)}
BASELINE = 8.1  # mm below a row's top to the baseline of 13 pt text in a 10 mm line (as WeasyPrint sets the labels)
CODE_BASELINE = 8.6
CODE_SPACING = 2.0  # points between the characters of the code


def field_texts(doc) -> dict[str, str]:
    return {"name": doc.name, "number": doc.number, "area": doc.area_name,
            "code": " ".join(doc.code[i:i + 5] for i in range(0, len(doc.code), 5))}


def _hex(glyph_ids: Sequence[int]) -> str:
    return "<" + "".join(f"{g:04X}" for g in glyph_ids) + ">"


def _text_ops(face: Face, texts: dict[str, str], glyphs: dict[str, list[int]]) -> str:
    ops = ["0.133 g"]
    for key, (row, size, widest) in FIELDS.items():
        spacing = CODE_SPACING if key == "code" else 0.0
        run = glyphs[key]
        width = face.width(run, size) + spacing * len(run)
        size = size * min(1.0, widest * MM / width) if width else size
        baseline = LAYOUT.rows[row] + (CODE_BASELINE if key == "code" else BASELINE)
        x = (LAYOUT.code_box[0] + 3) if key == "code" else LAYOUT.value_x
        ops.append(f"BT /V {size:.2f} Tf {spacing:.1f} Tc 1 0 0 1 {x * MM:.2f} {PAGE_HEIGHT - baseline * MM:.2f} Tm "
                   f"{_hex(run)} Tj ET")
    left, top, side = LAYOUT.qr
    ops.append(f"q {side * MM:.2f} 0 0 {side * MM:.2f} {left * MM:.2f} {PAGE_HEIGHT - (top + side) * MM:.2f} cm /Q Do Q")
    return "\n".join(ops)


_qr_versions: dict[int, int] = {}  # URL length -> the QR size that fits it (a batch's URLs share one length)


def _qr_bits(url: str, scale: int = 4) -> tuple[int, bytes]:
    """The QR code as a 1-bit image (0 dark), each module ``scale`` pixels so viewers keep it sharp."""
    version = _qr_versions.get(len(url))
    matrix = qr_matrix(url, version)
    if version is None:
        _qr_versions[len(url)] = (len(matrix) - 4 - 17) // 4  # side = 17 + 4 * version, plus the quiet zone
    size = len(matrix)
    image = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    return size * scale, image.resize((size * scale, size * scale), Image.NEAREST).convert("1").tobytes()


def _to_unicode(codes: dict[int, str]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
             "1 begincodespacerange <0000> <FFFF> endcodespacerange"]
    items = sorted(codes.items())
    for start in range(0, len(items), 100):
        part = items[start:start + 100]
        lines.append(f"{len(part)} beginbfchar")
        lines += [f"<{g:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for g, ch in part]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode()


class PdfWriter:
    """A minimal PDF file: numbered objects, one page tree, a cross-reference table."""

    def __init__(self) -> None:
        self.objects: list[bytes | None] = [None, None]  # 1: the catalog, 2: the page tree
        self.pages: list[int] = []

    def add(self, body: bytes | str) -> int:
        self.objects.append(body.encode() if isinstance(body, str) else body)
        return len(self.objects)

    def stream(self, entries: str, data: bytes) -> int:
        packed = zlib.compress(data, 6)
        return self.add(f"<< {entries} /Filter /FlateDecode /Length {len(packed)} >>\nstream\n".encode() + packed
                        + b"\nendstream")

    def finish(self) -> bytes:
        kids = " ".join(f"{n} 0 R" for n in self.pages)
        self.objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
        self.objects[1] = f"<< /Type /Pages /Count {len(self.pages)} /Kids [{kids}] >>".encode()
        out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
        out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
        out += f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def _font(writer: PdfWriter, face: Face, glyphs: dict[str, list[int]], texts: dict[str, str], tag: str) -> int:
    codes = {g: ch for key in glyphs for g, ch in zip(glyphs[key], texts[key], strict=True)}
    program = face.subset(set(codes))
    name = f"{tag}+GridAcademySerif"
    file_ref = writer.stream(f"/Length1 {len(program)}", program)
    x0, y0, x1, y1 = face.bbox
    descriptor = writer.add(f"<< /Type /FontDescriptor /FontName /{name} /Flags 6 /FontBBox [{x0} {y0} {x1} {y1}] "
                            f"/ItalicAngle 0 /Ascent {face.ascent} /Descent {face.descent} /CapHeight {face.cap_height} "
                            f"/StemV 80 /FontFile2 {file_ref} 0 R >>")
    widths = " ".join(f"{g} [{face.advances[g]}]" for g in sorted(codes))
    cid_font = writer.add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) "
                          f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /W [{widths}] "
                          f"/CIDToGIDMap /Identity >>")
    to_unicode = writer.stream("", _to_unicode(codes))
    return writer.add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H "
                      f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>")


def _tag(n: int) -> str:
    letters = ""
    for _ in range(6):
        n, digit = divmod(n, 26)
        letters += chr(65 + digit)
    return letters


def fields_pdf(docs: Sequence, face: Face) -> bytes | None:
    """One page per letter holding only its own fields; None when the face lacks a character of one
    (a rare name character: the caller lays those letters out with WeasyPrint instead)."""
    writer = PdfWriter()
    for n, doc in enumerate(docs):
        texts = field_texts(doc)
        glyphs = {key: face.glyph_ids(text) for key, text in texts.items()}
        if any(run is None for run in glyphs.values()):
            return None
        font = _font(writer, face, glyphs, texts, _tag(n))
        side, bits = _qr_bits(doc.url)
        image = writer.stream(f"/Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray "
                              f"/BitsPerComponent 1", bits)
        content = writer.stream("", _text_ops(face, texts, glyphs).encode())
        writer.pages.append(writer.add(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {210 * MM:.2f} {PAGE_HEIGHT:.2f}] /Contents {content} 0 R "
            f"/Resources << /Font << /V {font} 0 R >> /XObject << /Q {image} 0 R >> >> >>"))
    return writer.finish()
