"""What the search-as-you-type pickers share: the query they accept and the answer they give.

A picker (``static/js/pickers.js``) fills a plain form field with a code or a number; it asks a
JSON endpoint of the package that owns the records (areas, workers and grids in the registry,
courses, exams) for matches of what the person typed. Every endpoint reads ``q`` (what was typed),
``code`` (one record by its code, to show the name of a value already in the field), ``id``
(the same by number) or ``parent`` (the area tree's children), answers at most ``LIMIT`` results as ``{"results": [...]}`` and only ever
looks inside the caller's own areas. Bad input is a 400 in the API's error format.
"""
from __future__ import annotations

from flask import abort, jsonify, make_response
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, NumberRange, Optional, Regexp

from academy.web.numbers import INTEGER_LIMIT, IntegerField

LIMIT = 20


class PickerQuery(FlaskForm):
    """The query string of every picker endpoint; a GET that changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(validators=[Optional(), Length(max=60)], filters=[lambda text: (text or "").strip()])
    code = StringField(validators=[Optional(), Length(max=20),
                                   Regexp(r"^[0-9A-Za-z-]+$", message=_l("A code has letters, digits and dashes only."))])
    parent = StringField(validators=[Optional(), Regexp(r"^[0-9]{4,12}$", message=_l("An area code is 4 to 12 digits."))])
    id = IntegerField(validators=[Optional(), NumberRange(min=1, max=INTEGER_LIMIT)])


def read_query(args) -> PickerQuery:
    """The picker query of ``args`` (``request.args``), or a 400 that says what was wrong."""
    return refuse_invalid(PickerQuery(args))


def refuse_invalid(form):
    """``form`` once it validates; else a 400 naming the first field that did not (for JSON endpoints)."""
    if not form.validate():
        name, errors = next(iter(form.errors.items()))
        label = form[name].label.text if name in form else name
        # The error handler shows only its stock text for a 400; this one says which field and why.
        abort(make_response(jsonify(error="bad_request", message=_("%(field)s: %(error)s", field=label, error=errors[0])), 400))
    return form


def item(*, code: str, label: str, detail: str = "", id: int | None = None, **extra) -> dict:
    """One result: ``code`` and ``id`` are what a field may take, ``label`` and ``detail`` what people read."""
    return {"id": id, "code": code, "label": label, "detail": detail, **extra}


def answer(items: list[dict]):
    """The JSON answer of a picker endpoint."""
    return jsonify(results=items[:LIMIT])
