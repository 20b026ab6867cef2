"""The PDF face (certificates, activation letters): Noto Serif CJK SC cut down to GB2312 and turned into TrueType, made once.

Why: WeasyPrint subsets every embedded font per document with HarfBuzz, keeping glyph ids
(``RETAIN_GIDS``). The system's Noto CJK is a CFF collection of 65,000 glyphs, so a Chinese
certificate paid for a table the size of the highest glyph id it used: about 5x the time of the
same page in Latin. A face holding only GB2312's 6,763 characters (plus Latin and punctuation),
renumbered from 0 and with TrueType outlines (whose empty glyphs cost nothing in a retained-id
subset), brings a Chinese certificate to within 1.3x of a Latin one. Characters outside GB2312
(rare name characters such as 堃, 玥, 䶮) fall back to the full Noto face, so they still print.

The face is generated from the system font by ``python -m academy.fonts`` (``make
setup`` runs it; about a minute) into ``ACADEMY_FONT_CACHE`` (default ``.cache/fonts`` in the
project, not in git). Without it the renderer uses Noto directly: correct, only slower.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from academy.config import BASE_DIR

log = logging.getLogger(__name__)

SYSTEM_FACE = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SYSTEM_FACE_INDEX = 2  # the collection's faces: JP, KR, SC, TC
FALLBACK_FACE = "NotoSerifCJKsc-Regular"  # its PostScript name: what local() matches reliably
FAMILY = "Grid Academy Serif"
FILE_NAME = "GridAcademySerif-GB2312.ttf"


def cache_dir() -> Path:
    return Path(os.environ.get("ACADEMY_FONT_CACHE") or BASE_DIR / ".cache" / "fonts")


def face_path() -> Path | None:
    """The generated face, or None when it has not been made on this machine."""
    path = cache_dir() / FILE_NAME
    return path if path.is_file() else None


def allowed_font_files() -> set[Path]:
    """The font files the PDF renderer may read: the generated face and the system CJK faces."""
    files = {p.resolve() for p in SYSTEM_FACE.parent.glob("*.tt[cf]")} if SYSTEM_FACE.parent.is_dir() else set()
    if (face := face_path()) is not None:
        files.add(face.resolve())
    return files


def gb2312_characters() -> set[int]:
    """Every character GB2312 encodes (both levels of hanzi, symbols), plus printable Latin-1."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _to_truetype(font) -> None:
    """Replace the CFF outlines by quadratic TrueType ones (fontTools' cu2qu), in place."""
    # fontTools only when the face is made (``make setup``), never when the app or a PDF runs
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                  "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 3.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font) -> None:
    names = {1: FAMILY, 4: FAMILY, 6: FAMILY.replace(" ", ""), 16: FAMILY}
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]


def build_face(source: Path = SYSTEM_FACE, target: Path | None = None) -> Path:
    """Make the GB2312 TrueType face from the system's Noto Serif CJK SC; written atomically."""
    # fontTools only when the face is made (``make setup``), never when the app or a PDF runs
    from fontTools import subset
    from fontTools.ttLib import TTFont

    target = target or cache_dir() / FILE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(str(source), fontNumber=SYSTEM_FACE_INDEX)
    options = subset.Options()
    options.name_IDs, options.notdef_outline = ["*"], True
    options.drop_tables += ["GSUB", "GPOS", "DSIG"]  # WeasyPrint drops layout tables when it embeds anyway
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=gb2312_characters())
    subsetter.subset(font)
    _to_truetype(font)
    _rename(font)
    partial = target.with_suffix(".partial")
    font.save(str(partial))
    partial.replace(target)
    return target


def main() -> int:
    """``python -m academy.fonts [--force]``: make the face unless it exists."""
    if face_path() is not None and "--force" not in sys.argv:
        print(f"certificate face ready: {face_path()}")
        return 0
    if not SYSTEM_FACE.is_file():
        print(f"{SYSTEM_FACE} is missing: install fonts-noto-cjk", file=sys.stderr)
        return 1
    print("making the certificate face from Noto Serif CJK SC (about a minute, once)...", flush=True)
    print(f"certificate face written: {build_face()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
