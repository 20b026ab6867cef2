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


def _number_fields():
    """(form class name, field name, unbound field) for every number field of every form class."""
    found = []
    for module in _form_modules():
        for form in vars(module).values():
            if not (isinstance(form, type) and issubclass(form, wtforms.Form)) or form.__module__ != module.__name__:
                continue
            for klass in form.__mro__:
                for name, value in vars(klass).items():
                    if isinstance(value, UnboundField) and issubclass(value.field_class, WTFORMS_NUMBERS):
                        found.append((f"{module.__name__}.{form.__name__}", name, value))
    return found


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
