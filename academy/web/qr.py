"""QR codes for pages: an inline SVG element drawn on the server (no file, no script), so it shows
on a phone without JavaScript and prints sharp. PDFs draw theirs as bitmaps (``academy.pdf``)."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(text: str, label: str = "") -> Markup:
    """A QR code of ``text`` as an inline SVG element; ``label`` names it for screen readers."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    title = f' role="img" aria-label="{Markup.escape(label)}"' if label else ""
    svg = svg[svg.index("<svg"):].replace("<svg", f'<svg style="width:100%;height:auto"{title}', 1)
    return Markup(svg)
