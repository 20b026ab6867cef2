"""The app's icons for the web app manifest, drawn from the geometry of ``static/img/logo.svg``
(a 32-unit square: a blue rounded tile, a white grid of two lines each way, an amber centre), so no
image file is committed and the PNGs always match the logo."""
from __future__ import annotations

from functools import cache
from io import BytesIO

from PIL import Image, ImageDraw

SIZES = (192, 512)
BLUE, WHITE, AMBER = (26, 75, 140, 255), (255, 255, 255, 230), (242, 182, 50, 255)
SUPERSAMPLE = 4


@cache
def icon_png(size: int, maskable: bool = False) -> bytes:
    """The logo as a ``size`` px PNG; ``maskable``: the tile fills the square and the drawing keeps
    to the middle 80 % (the safe zone a launcher may crop to a circle)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), BLUE if maskable else (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    scale = big / 32 * (0.8 if maskable else 1)
    offset = big * 0.1 if maskable else 0

    def at(value: float) -> float:
        return offset + value * scale

    if not maskable:
        draw.rounded_rectangle((at(1), at(1), at(31), at(31)), radius=7 * scale, fill=BLUE)
    width = round(2 * scale)
    for line in (11, 21):
        draw.line((at(line), at(6), at(line), at(26)), fill=WHITE, width=width)
        draw.line((at(6), at(line), at(26), at(line)), fill=WHITE, width=width)
    draw.rounded_rectangle((at(12.5), at(12.5), at(19.5), at(19.5)), radius=1.5 * scale, fill=AMBER)
    out = BytesIO()
    image.resize((size, size), Image.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()
