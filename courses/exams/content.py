"""Question stems made safe: Markdown rendered, then cleaned against an allow-list with bleach.

No script, style or event handler survives; images and links only over http(s) or from the
site itself. The same rules as lesson pages, kept here so the exam engine stands on its own.

Rendering is a pure function of the text, and a question's stem never changes within a version
(editing an active question makes a new one), so the result is kept per text: 500 trainees
opening the same exam render each stem once per worker process instead of once per page.
"""
from __future__ import annotations

from functools import lru_cache

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
    return _rendered(text or "")


@lru_cache(maxsize=4096)  # bounded: a bank's stems and explanations, a few KB each
def _rendered(text: str) -> Markup:
    html = md.markdown(text, extensions=["tables", "sane_lists"])
    clean = bleach.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True)
    return Markup(bleach.linkify(clean, callbacks=[bleach.callbacks.nofollow, bleach.callbacks.target_blank]))
