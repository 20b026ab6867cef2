"""Every number field of every form refuses what is not a plain number, as a form error.

The forms are found from the packages themselves (every ``forms`` module and package under
``academy`` and ``courses``), so a new form or field is walked without a change here.
"""
from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal

import pytest
import sqlalchemy as sa
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

import academy
import courses
from academy.extensions import db
from academy.permissions import Role
from academy.web import numbers
from courses.lessons.models import Lesson
from tests.support import log_in, post_form

WTFORMS_NUMBERS = (wtforms.IntegerField, wtforms.DecimalField, wtforms.FloatField)
HOSTILE = ["sNaN", "NaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e999999", "1E2", "0x10", "1_000", "99999999999999999999",
           "-99999999999999999999", "9" * 400, "12abc", "١٢", "1.2.3", "\x00", "+", "."]


def _form_modules():
    for package in (academy, courses):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.rsplit(".", 1)[-1] == "forms" or ".forms." in info.name:
                yield importlib.import_module(info.name)


def _fields_of(kind):
    for module in _form_modules():
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, wtforms.Form)) or form.__module__ != module.__name__:
                continue
            for klass in form.__mro__:
                for name, value in vars(klass).items():
                    if isinstance(value, UnboundField) and issubclass(value.field_class, kind):
                        yield f"{module.__name__}.{form.__name__}", name, value


def _number_fields():
    """(form class name, field name, unbound field) for every number field of every form class."""
    return list(_fields_of(WTFORMS_NUMBERS))


NUMBER_FIELDS = _number_fields()


def test_the_walk_finds_the_number_fields():
    names = {(form.rsplit(".", 1)[-1], name) for form, name, _field in NUMBER_FIELDS}
    assert {("LessonForm", "hours"), ("TypeForm", "min_hours"), ("SessionForm", "hours")} <= names
    assert len(NUMBER_FIELDS) >= 40


def test_every_form_module_takes_its_number_fields_from_the_shared_module():
    """Module attributes too: a form class built inside a function uses what its module imported."""
    for module in _form_modules():
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, WTFORMS_NUMBERS):
                assert issubclass(value, numbers._PlainNumber), f"{module.__name__}.{name} is wtforms' own"


def _date_fields():
    """Every field that reads a date (a time of day alone has no year)."""
    return [(form, name, unbound) for form, name, unbound in _fields_of(wtforms.DateTimeField)
            if not issubclass(unbound.field_class, wtforms.TimeField)]


DATE_FIELDS = _date_fields()


def test_every_date_field_keeps_to_the_years_the_academy_keeps(app):
    """0001-01-01 moved to UTC, or 9999-12-31 plus a day, is past Python's dates: refused as a form error."""
    assert len(DATE_FIELDS) >= 10
    with app.test_request_context():
        for form, name, unbound in DATE_FIELDS:
            assert issubclass(unbound.field_class, numbers._KeptYears), f"{form}.{name} is wtforms' own field"
            time = "T12:00" if issubclass(unbound.field_class, wtforms.DateTimeLocalField) else ""
            for raw in ("0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"):
                bound = _bind(unbound, raw + time)
                assert not bound.validate() and bound.field.data is None, (form, name, raw)
            assert _bind(unbound, "2026-12-06" + time).field.data.year == 2026


def _bind(unbound, raw: str):
    probe = type("Probe", (wtforms.Form,), {"field": unbound})
    return probe(formdata=MultiDict({"field": raw}))


@pytest.mark.parametrize(("form", "name", "unbound"), NUMBER_FIELDS, ids=[f"{f.rsplit('.', 1)[-1]}.{n}" for f, n, _u in NUMBER_FIELDS])
def test_every_number_field_refuses_what_is_not_a_number(app, form, name, unbound):
    assert issubclass(unbound.field_class, numbers._PlainNumber), f"{form}.{name} is wtforms' own field"
    with app.test_request_context():
        for raw in HOSTILE:
            bound = _bind(unbound, raw)
            assert not bound.validate(), f"{form}.{name} accepted {raw!r} as {bound.field.data!r}"
            assert bound.field.errors and bound.field.data is None, (raw, bound.field.errors)


def test_plain_and_full_width_numbers_are_read():
    with pytest.raises(ValueError):
        numbers.IntegerField().bind(wtforms.Form(), "n").process_formdata(["1e3"])
    probe = type("Probe", (wtforms.Form,), {"hours": numbers.DecimalField(places=1), "count": numbers.IntegerField(),
                                            "score": numbers.FloatField()})
    form = probe(formdata=MultiDict({"hours": " １２．５ ", "count": "-７", "score": ".5"}))
    assert form.validate(), form.errors
    assert (form.hours.data, form.count.data, form.score.data) == (Decimal("12.5"), -7, 0.5)


def test_snan_in_lesson_hours_is_a_form_error_on_the_page(client, make_user, make_course):
    """End to end: the lesson form answers sNaN with its error, and nothing is saved."""
    make_user("ines", Role.ADMIN)
    course = make_course()
    log_in(client, "ines")
    url = f"/courses/{course.id}/lessons/new"
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Lesson))
    for raw in ("sNaN", "NaN", "1e999999", "99999999999999999999"):
        response = post_form(client, url, {"title": "一课", "body_markdown": "正文", "hours": raw, "completion": "time",
                                                 "min_seconds": "60"},
                             token_from=url, headers={"Accept-Language": "en"})
        assert response.status_code == 400, (raw, response.status_code)
        page = response.get_data(as_text=True)
        assert "Not a valid decimal value." in page or "The number is too large." in page, raw
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lesson)) == before
