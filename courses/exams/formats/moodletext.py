"""Moodle's text fields as the bank keeps them: plain text outside stems, and what cannot be kept refused by name."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from flask_babel import lazy_gettext as _l

from courses.exams.formats import Refusal

_FORMATTING = {"p", "br", "div", "span", "b", "strong", "i", "em", "u"}


class _Text(HTMLParser):
    """HTML to the plain text the bank shows outside stems: paragraphs and breaks as line breaks,
    emphasis dropped; any other element (an image, a link, a table) is refused by name."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.other = ""

    def handle_starttag(self, tag, attrs):
        if tag not in _FORMATTING:
            self.other = self.other or tag
        elif tag in ("br", "p", "div") and self.parts:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def no_pluginfile(text: str) -> str:
    if "@@PLUGINFILE@@" in text:
        raise Refusal(_l("Embedded files and images (@@PLUGINFILE@@) are not imported; remove them or put "
                         "the image into the question text after uploading it to the bank."))
    return text


def html_text(text: str, fmt: str) -> str:
    """A Moodle text field as plain text; raises Refusal for HTML the bank cannot show as text."""
    no_pluginfile(text)
    if fmt != "html" and not (fmt == "moodle_auto_format" and "<" in text):
        return text.strip()
    parser = _Text()
    parser.feed(text)
    parser.close()
    if parser.other:
        raise Refusal(_l("An answer or feedback holds HTML <%(tag)s> the bank shows only as plain text.", tag=parser.other))
    return re.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(parser.parts)).strip()
