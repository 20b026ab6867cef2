"""Text that cannot be stored or shown is refused at the door, for every request and every import.

Three kinds of character have no place in what people type or import:

- lone surrogates (U+D800-U+DFFF): ``json.loads`` accepts ``"\\ud800"`` (and raw UTF-8 of a
  surrogate, as it decodes bytes with ``surrogatepass``), but such a string cannot be encoded as
  UTF-8 again, so PostgreSQL refuses it and every page that shows it fails;
- C0 controls other than tab, LF and CR (NUL among them: PostgreSQL refuses it in text);
- DEL and the C1 controls (U+007F-U+009F): invisible, never typed, and what a mis-decoded file
  leaves behind.

``refuse_unstorable_text`` runs before every view (and before the CSRF check, so the answer is
the same with or without a token): query arguments, form fields and JSON bodies, keys as well as
values, at any depth. The refusal is a 400 whose description says which character and where;
``academy.web.errors`` answers it as a page or in the endpoint's JSON format. What Werkzeug does
with undecodable bytes needs nothing here: in a query or a urlencoded body it keeps the percent
escape as text (``%ED%A0%80`` stays those nine characters), in a multipart body it puts U+FFFD.
Raw bytes in a query string (a client that sends them unescaped) would make Werkzeug's query
parsing raise; ``QueryBytes`` escapes them first, so they are read like their percent escapes.

Importers call ``text_problem`` on each cell or line and file its message under the row or line.
``clean_text`` / ``clean_value`` repair text already stored (``flask academy repair-text``) and
make pages robust: the Jinja ``finalize`` hook cleans every value a template prints.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from flask import Flask, request
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

# Tab, LF and CR are allowed: multi-line answers and pasted text use them.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
FORM_MIMETYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UnstorableText(BadRequest):
    """A request carried text with a character that cannot be stored; nothing was read further."""


def first_unstorable(text: str) -> str | None:
    """The first character of ``text`` that cannot be stored, as ``U+XXXX``; None when all is well."""
    match = UNSTORABLE.search(text)
    return f"U+{ord(match.group()):04X}" if match else None


def text_problem(value) -> str | None:
    """For importers: a translated message when a cell or line holds a character that cannot be
    stored, else None. The caller files it under its row or line ("第 N 行" / "line N")."""
    if not isinstance(value, str):
        return None
    code = first_unstorable(value)
    if code is None:
        return None
    return _("Holds a character that cannot be stored (%(code)s: a control character or broken Unicode). "
             "Remove it and import the file again.", code=code)


def _walk_json(value, where: str) -> tuple[str, str] | None:
    """(where, character code) of the first unstorable text in a JSON document, keys included."""
    if isinstance(value, str):
        code = first_unstorable(value)
        return (where, code) if code else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, inner in items:
        if isinstance(key, str) and (code := first_unstorable(key)):
            return (where, code)
        found = _walk_json(inner, f"{where}.{key}" if where else str(key))
        if found:
            return found
    return None


def _walk_multidict(values, where: str) -> tuple[str, str] | None:
    for key, items in values.lists():
        if key is None:
            # Werkzeug's multipart parser names a field it cannot read (name="\\") None, on which
            # the CSRF check and the forms would fail: a malformed request, refused as such.
            raise BadRequest()
        for text in (key, *items):
            if isinstance(text, str) and (code := first_unstorable(text)):
                return (f"{where} {key!r:.40}", code)
    return None


def find_unstorable() -> tuple[str, str] | None:
    """Where the current request carries unstorable text, and which character; None if nowhere."""
    found = _walk_multidict(request.args, "query")
    if found is None and request.mimetype in FORM_MIMETYPES:
        found = _walk_multidict(request.form, "field")
    if found is None and request.is_json:
        # silent: a body that is not JSON at all is the view's to refuse, in its own words.
        found = _walk_json(request.get_json(silent=True), "")
        if found:
            found = (f"JSON {found[0]!r:.60}", found[1])
    return found


def refuse_unstorable_text() -> None:
    """before_request: a 400 saying which character and where, before any view or form sees it."""
    found = find_unstorable()
    if found is None:
        return
    where, code = found
    raise UnstorableText(_("The request holds a character that cannot be stored (%(code)s, in %(where)s): a control "
                           "character or broken Unicode. Nothing was saved; remove it and try again.",
                           code=code, where=where))


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD and control characters (tab, LF, CR aside)
    removed: what a repair stores and what a page shows instead of failing."""
    if not UNSTORABLE.search(text):
        return text
    return _CONTROLS.sub("", _SURROGATES.sub("\ufffd", text))


def clean_value(value):
    """``clean_text`` applied to every string of a JSON value (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value]
    if isinstance(value, dict):
        return {clean_value(k): clean_value(v) for k, v in value.items()}
    return value


def _finalize(value):
    # Every {{ value }} of every template passes here: text stored before this guard existed
    # (a lone surrogate cannot be encoded) must not turn the page that shows it into a 500.
    if isinstance(value, str) and UNSTORABLE.search(value):
        cleaned = clean_text(value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


# Printable ASCII stays as it is (the separators & = + % among it); every other byte is escaped.
_QUERY_SAFE = "".join(chr(code) for code in range(0x21, 0x7F))


class QueryBytes:
    """WSGI middleware: a query string that is not UTF-8 has its raw bytes percent-escaped."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        raw = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            environ["QUERY_STRING"] = quote(raw, safe=_QUERY_SAFE)
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = QueryBytes(app.wsgi_app)
    app.before_request(refuse_unstorable_text)
    app.jinja_env.finalize = _finalize
