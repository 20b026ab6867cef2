"""What the fuzz tests send: the form and JSON endpoints found in the app, and hostile values.

Targets are found, not listed: every POST row of the access tables (which must cover every
endpoint, see tests/access) names an endpoint, a URL with real objects and a role allowed to use
it. The fields to fill come from the WTForms classes the view uses (read from its source), the
row's own data and the inputs of the page the form is shown on, so a new form is fuzzed as soon as
its endpoint gets its access row.
"""
from __future__ import annotations

import inspect
import io
import re
import sys
from dataclasses import dataclass, field

from flask_wtf import FlaskForm
from hypothesis import strategies as st
from wtforms.fields import FileField, MultipleFileField
from wtforms.fields.core import UnboundField

INPUT_NAME = re.compile(r"""<(?:input|select|textarea)[^>]*\bname=["']([^"']+)["']""")
# Statuses that mean "done" (data may change); anything else is a refusal that must change nothing.
ACCEPTED = {200, 201, 302, 303}
# Roles tried in order: the least powerful one allowed to use the endpoint acts.
ROLE_ORDER = ("trainee", "department", "dispatcher", "viewer", "instructor", "hr", "admin", "anonymous")
ALLOWED_STATUSES = {200, 201, 302, 303, 400, 409}


@dataclass
class Target:
    endpoint: str
    url: str
    role: str
    json: bool
    fields: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    base: dict = field(default_factory=dict)


def _form_classes(view) -> list[type[FlaskForm]]:
    view = inspect.unwrap(view)
    module = sys.modules[view.__module__]
    names = set(re.findall(r"\b([A-Z]\w*Form)\b", inspect.getsource(view)))
    found = [getattr(module, name, None) for name in names]
    return [cls for cls in found if isinstance(cls, type) and issubclass(cls, FlaskForm)]


def _form_fields(cls: type[FlaskForm]) -> tuple[set[str], set[str]]:
    fields, files = set(), set()
    for name in dir(cls):
        value = getattr(cls, name, None)
        if isinstance(value, UnboundField) and name != "submit":
            (files if issubclass(value.field_class, FileField | MultipleFileField) else fields).add(name)
    return fields, files


def is_json_endpoint(app, endpoint: str) -> bool:
    view = inspect.unwrap(app.view_functions[endpoint])
    return view.__module__.endswith(".api")


def actor_of(row) -> str | None:
    for role in ROLE_ORDER:
        if row.expect.get(role) in ALLOWED_STATUSES:
            return role
    return None


def targets(app, rows, world, page_html) -> list[Target]:
    """One target per POST endpoint: its first row that names a role allowed to use it."""
    chosen: dict[str, Target] = {}
    for row in rows:
        if row.method != "POST" or row.endpoint in chosen:
            continue
        role = actor_of(row) or "anonymous"
        url = row.resolve_url(world)
        target = Target(row.endpoint, url, role, is_json_endpoint(app, row.endpoint), base=row.resolve_data(world))
        for cls in _form_classes(app.view_functions[row.endpoint]):
            fields, files = _form_fields(cls)
            target.fields |= fields
            target.files |= files
        target.fields |= set(target.base) | set(INPUT_NAME.findall(page_html(role, url))) - {"csrf_token"}
        target.fields -= target.files
        chosen[row.endpoint] = target
    return list(chosen.values())


# -- values ---------------------------------------------------------------------------------------

NASTY = [
    "", " ", "0", "-1", "-0", "1e309", "NaN", "inf", "-inf", "0x1f", "1_000", "99999999999999999999999999",
    "-99999999999999999999", "2026-02-30", "0000-00-00", "9999-12-31T23:59", "true", "null", "[]", "{}",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "' OR '1'='1", "'; DROP TABLE users; --",
    "../../../../etc/passwd", "..\\..\\boot.ini", "=cmd|' /C calc'!A0", "@SUM(1+1)", "%00", "%s%s%n", "{{7*7}}",
    "\u202eevil", "\ufeff", "ｔｅｓｔ", "𠜎𠜱𠝹", "e\u0301", "\u0000", "a\x00b", "\r\nSet-Cookie: x=1", "\x1b[31m",
    "320102199001010011", "g:999999999", "u:-1",
]
# Most free text is printable, so that it reaches the views' own checks; a share mixes in what the
# shell's text guard refuses (controls, DEL, C1) and what it lets pass but file names must not keep
# (bidirectional controls), and JSON text also lone surrogates (a form cannot carry them as UTF-8).
printable = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))
CONTROLS = "".join(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]))
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
hostile_chars = st.sampled_from(CONTROLS + BIDI + "\t\r\n")
mixed_text = st.text(alphabet=st.one_of(printable, hostile_chars), min_size=1, max_size=60)
surrogate_text = st.text(alphabet=st.one_of(printable, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
                         min_size=1, max_size=40).filter(lambda t: any("\ud800" <= c <= "\udfff" for c in t))
long_bidi = st.integers(min_value=2_000, max_value=40_000).map(lambda n: "\u202e\u2066名" * n)
text_values = st.one_of(
    mixed_text,
    long_bidi,
    st.sampled_from(NASTY),
    st.text(alphabet=printable, max_size=40),
    st.text(alphabet=printable, min_size=200, max_size=2000),
    st.integers(min_value=10_000, max_value=120_000).map(lambda n: "字" * n),   # huge, under the body limit
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
form_values = st.one_of(text_values, st.lists(text_values, min_size=2, max_size=3))  # a field sent twice or more
file_values = st.tuples(st.binary(max_size=2048), st.sampled_from(["a.png", "../x.xlsx", "b.csv", "c.pdf", "", "d\x00.jpg",
                                                                  "e.txt", "f.jpg", "g\u202egnp.exe", "h\x85\u2066.png"]))


def form_payloads(target: Target):
    """Some of the form's fields (missing ones too), hostile values, a few fields it does not have."""
    known = {name: form_values for name in sorted(target.fields)}
    files = {name: file_values.map(lambda pair: (io.BytesIO(pair[0]), pair[1])) for name in sorted(target.files)}
    extra = st.dictionaries(st.text(alphabet=printable, min_size=1, max_size=12).filter(lambda k: k != "csrf_token"), text_values, max_size=3)
    base = st.fixed_dictionaries({}, optional={**known, **files})
    return st.tuples(base, extra).map(lambda pair: {**pair[1], **target.base, **pair[0]})


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**64), max_value=2**64),
                         st.floats(allow_nan=False), text_values, surrogate_text)
json_keys = st.one_of(st.text(alphabet=printable, max_size=8), mixed_text, surrogate_text)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(json_keys, inner,
                                                                                                   max_size=4), max_leaves=12)


def json_payloads(target: Target, known_keys: set[str]):
    keys = sorted(target.fields | known_keys)
    shaped = st.fixed_dictionaries({}, optional={key: json_values for key in keys})
    return st.one_of(shaped.map(lambda body: {**target.base, **body}), json_values)
