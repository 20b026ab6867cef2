"""The round seal on a certificate, drawn as SVG: the issuer's name on the upper arc, a five-pointed
star in the centre, a horizontal line below it (``培训专用章``), inside a double red ring.

Each character of the arc is placed and turned on its own (SVG ``textPath`` is not drawn by every
renderer): the characters share the arc's ``ARC_DEGREES`` by their width, so a short name and a long
one both span it, the font growing or shrinking within limits; nothing reaches the ring, the star
or the line below. The markup is built from escaped text only.
"""
from __future__ import annotations

import math
import unicodedata
from xml.sax.saxutils import escape

RED = "#c8201e"
SIZE = 200  # the viewBox: 0..200 each way, the centre at 100, 100
CENTRE = SIZE / 2
RING, RING_WIDTH = 94.0, 5.0  # outer ring radius and stroke
TEXT_RADIUS = 72.0  # where the middle of the arc's characters sits
ARC_DEGREES = 240.0  # the arc the name spans, centred on the top
MAX_FONT, MIN_FONT = 23.0, 7.0
GLYPH_SHARE = 0.86  # of each character's share of the arc, the glyph's own size
STAR_RADIUS = 25.0
LINE_Y, LINE_FONT = 146.0, 14.0
FONTS = '"CertificateFace", "CertificateFallback", serif'


def _width(char: str) -> float:
    """A character's width in ems, roughly: CJK full-width, Latin letters narrower, spaces narrowest."""
    if char.isspace():
        return 0.35
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.72


def arc_glyphs(text: str) -> tuple[float, list[tuple[str, float]]]:
    """The font size and, for each character of ``text``, the angle (degrees clockwise from the top)
    of its centre, the whole spanning ``ARC_DEGREES`` at most, centred on the top."""
    text = " ".join(text.split())
    widths = [_width(char) for char in text]
    total = sum(widths) or 1.0
    arc_length = math.radians(ARC_DEGREES) * TEXT_RADIUS
    advance = min(MAX_FONT / GLYPH_SHARE, arc_length / total)  # ems of arc per unit of width
    font = max(MIN_FONT, advance * GLYPH_SHARE)  # the rest of each advance is the gap between characters
    span = min(ARC_DEGREES, math.degrees(total * advance / TEXT_RADIUS))
    angles, done = [], 0.0
    for char, width in zip(text, widths, strict=True):
        angles.append((char, -span / 2 + span * (done + width / 2) / total))
        done += width
    return font, angles


def _star_points(radius: float) -> str:
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.382
        angle = math.radians(-90 + 36 * i)
        points.append(f"{CENTRE + r * math.cos(angle):.2f},{CENTRE + r * math.sin(angle):.2f}")
    return " ".join(points)


def seal_svg(issuer: str, line: str) -> str:
    """The seal of ``issuer`` with ``line`` under the star, as an SVG element to put in a page."""
    font, glyphs = arc_glyphs(issuer.upper())  # Latin letters in capitals, as seals have them
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" class="seal" role="img">',
             f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{RING}" fill="none" stroke="{RED}" stroke-width="{RING_WIDTH}"/>',
             f'<circle cx="{CENTRE}" cy="{CENTRE}" r="{RING - 6}" fill="none" stroke="{RED}" stroke-width="1"/>',
             f'<polygon fill="{RED}" points="{_star_points(STAR_RADIUS)}"/>',
             f'<g fill="{RED}" font-family=\'{FONTS}\'>']
    # One text element, each character placed and turned by the x, y and rotate lists: a renderer
    # lays the arc out once instead of once per character.
    placed = [(char, angle) for char, angle in glyphs if not char.isspace()]
    xs, ys, turns = [], [], []
    for _char, angle in placed:
        radians = math.radians(angle)
        # the glyph's centre on the arc; its baseline start is half a glyph back along the tangent
        # and a third of a glyph outwards-down, so the glyph turned about that point sits centred.
        cx, cy = CENTRE + TEXT_RADIUS * math.sin(radians), CENTRE - TEXT_RADIUS * math.cos(radians)
        half, drop = font * _width(_char) / 2, font * 0.36
        xs.append(cx - half * math.cos(radians) - drop * math.sin(radians))
        ys.append(cy - half * math.sin(radians) + drop * math.cos(radians))
        turns.append(angle)
    parts.append(f'<text font-size="{font:.1f}" x="{" ".join(f"{x:.2f}" for x in xs)}" '
                 f'y="{" ".join(f"{y:.2f}" for y in ys)}" rotate="{" ".join(f"{a:.1f}" for a in turns)}">'
                 f'{escape("".join(char for char, _angle in placed))}</text>')
    line = line.upper()
    line_font = min(LINE_FONT, 110 / max(1.0, sum(_width(c) for c in line)))
    parts.append(f'<text font-size="{line_font:.1f}" x="{CENTRE}" y="{LINE_Y}" text-anchor="middle">{escape(line)}</text></g></svg>')
    return "".join(parts)
