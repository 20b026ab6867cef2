"""Question stems made safe: Markdown rendered, then cleaned against an allow-list with bleach.

No script, style or event handler survives; images and links only over http(s) or from the
site itself. The same rules as lesson pages, kept here so the exam engine stands on its own.
"""
from __future__ import annotations

import bleach
import markdown as md
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "del", "sub", "sup", "code", "pre", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote",
}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "img": ["src", "alt", "title"]}
ALLOWED_PROTOCOLS = {"http", "https"}


def render_markdown(text: str) -> Markup:
    """Markdown to HTML without script, event handlers, style or javascript: URLs."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True)
    return Markup(bleach.linkify(clean, callbacks=[bleach.callbacks.nofollow, bleach.callbacks.target_blank]))
