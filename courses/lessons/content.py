"""Lesson content made safe: Markdown rendered and sanitised, uploaded files checked by content.

Markdown is rendered, then cleaned with bleach against an allow-list: no script, no event
handlers, no style, links only to http(s)/mailto. Uploads are accepted by extension AND by their
first bytes (a renamed executable is refused), and stored under a random name.
"""
from __future__ import annotations

import bleach
import markdown as md
from markupsafe import Markup

from academy.images import GIF, JPEG, PNG, WEBP, image_type

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins",
    "blockquote", "code", "pre", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto"}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML that carries no script, event handler or javascript: URL."""
    html = md.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"])
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True)
    return Markup(bleach.linkify(clean, callbacks=[bleach.callbacks.nofollow, bleach.callbacks.target_blank]))


def _zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def _ole(head: bytes) -> bool:
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _image(kind: str):
    """The image signatures are shared with case photos and exam images (``academy.images``)."""
    return lambda head: image_type(head) == kind


# extension -> (content type, check of the first bytes, is it a video)
FILE_TYPES = {
    "pdf": ("application/pdf", lambda h: h.startswith(b"%PDF-"), False),
    "png": (PNG, _image(PNG), False),
    "jpg": (JPEG, _image(JPEG), False),
    "jpeg": (JPEG, _image(JPEG), False),
    "gif": (GIF, _image(GIF), False),
    "webp": (WEBP, _image(WEBP), False),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _zip, False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _zip, False),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _zip, False),
    "doc": ("application/msword", _ole, False),
    "xls": ("application/vnd.ms-excel", _ole, False),
    "ppt": ("application/vnd.ms-powerpoint", _ole, False),
    "mp4": ("video/mp4", lambda h: h[4:8] == b"ftyp", True),
    "webm": ("video/webm", lambda h: h.startswith(b"\x1a\x45\xdf\xa3"), True),
}


def sniff(filename: str, head: bytes) -> tuple[str, bool] | None:
    """(content type, is video) when the name's extension and the first bytes agree, else None."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = FILE_TYPES.get(extension)
    if kind is None or not kind[1](head):
        return None
    return kind[0], kind[2]
