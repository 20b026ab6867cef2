"""What anything the app stores is called on screen: one lookup over every package's ``labels.py``.

Each package names its own enum values, audit events and audited fields in its ``labels.py`` and
hands them up as ``Words`` through the "labels" slot (``contribute(app, "labels", labels.WORDS)``),
so a page, the audit log or an export can say any of them without importing the package. Templates
use the ``label`` filter (``{{ course.status|label }}``) and the ``event_label`` global.

A value nobody labelled is shown as it is stored, never as an error page; the tests walk every enum
and every audit call, so none is left unlabelled.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import gettext, lazy_gettext, pgettext
from flask_babel.speaklater import LazyString

from academy.contributions import contribute, contributions
from academy.extensions import db
from academy.jobs.labels import JOB_STATUS_LABELS
from academy.jobs.models import JobStatus

# What every package may say about itself, in the audit log and in any list.
GENERAL_EVENT_LABELS = {
    "text.repair": lazy_gettext("Stored text repaired"),
    "bench_data.build": lazy_gettext("Benchmark data built"),
}
GENERAL_FIELD_LABELS = {
    "name": lazy_gettext("Name"), "status": lazy_gettext("Status"), "state": lazy_gettext("Status"),
    "reason": lazy_gettext("Reason"), "count": lazy_gettext("Number"), "active": lazy_gettext("Active"),
    "code": lazy_gettext("Code"), "title": lazy_gettext("Title"), "note": lazy_gettext("Note"),
    "created": lazy_gettext("Created"), "updated": lazy_gettext("Updated"), "skipped": lazy_gettext("Skipped"),
    "rows": lazy_gettext("Rows"), "seconds": lazy_gettext("Seconds"), "worker": lazy_gettext("Grid worker"),
    "course": lazy_gettext("Course"), "area": lazy_gettext("Area"), "area_id": lazy_gettext("Area"),
    "grid": lazy_gettext("Grid"), "role": lazy_gettext("Role"), "description": lazy_gettext("Description"),
    "end": lazy_gettext("End"), "totals": lazy_gettext("Totals"), "options": lazy_gettext("Options"),
}

# The colon after a label ("时限：30 分钟", "Time limit: 30 minutes"): full-width in Chinese, no space after.
COLON = LazyString(lambda: pgettext("after a label", ": "))


@dataclass(frozen=True)
class Words:
    """One package's labels: its enums' members, the audit events it writes, the fields it audits."""

    enums: Mapping[type, Mapping] = field(default_factory=dict)
    events: Mapping[str, object] = field(default_factory=dict)
    fields: Mapping[str, object] = field(default_factory=dict)
    objects: Mapping[str, object] = field(default_factory=dict)  # model class name -> what one is called
    links: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # model class name -> (endpoint, id argument)
    # Text the app itself stores (a default's name, an automatic note) -> what it says in the user's language.
    stored: Mapping[str, object] = field(default_factory=dict)


def enum_value(member) -> str:
    """What an enum member is stored as: the ``key`` of a ``family`` whose codes use stored values."""
    return member.value


def family(labels: Mapping, pattern: Callable[[str], str], prefix: str, key: Callable = str) -> dict[str, LazyString]:
    """Event labels for codes made from a table (``case.dispatch`` from the case transitions):
    ``prefix + key(member)`` for each entry, its label put into ``pattern`` when shown."""
    return {prefix + key(member): LazyString(pattern, label) for member, label in labels.items()}


def init_app(app: Flask) -> None:
    """The ``label`` filter and the words' globals, and the app-wide words."""
    contribute(app, "labels", Words(enums={JobStatus: JOB_STATUS_LABELS}, events=GENERAL_EVENT_LABELS,
                                    fields=GENERAL_FIELD_LABELS), order=0)
    app.jinja_env.filters["label"] = label
    app.jinja_env.globals.update(event_label=event_label, field_label=field_label, value_words=value_words, colon=COLON)


def _all() -> list[Words]:
    return contributions("labels", current_app)


def enum_labels(enum_cls: type) -> Mapping | None:
    """The labels of ``enum_cls``'s members, as a package contributed them (None when none did)."""
    for words in _all():
        if enum_cls in words.enums:
            return words.enums[enum_cls]
    return None


def label(value) -> str:
    """What an enum member, or a text the app itself stored (``Words.stored``), is called in the
    user's language ("" for None); any other text as it is."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        labels = enum_labels(type(value))
        if labels is not None and value in labels:
            return str(labels[value])
        return str(value.value)
    for words in _all():
        if value in words.stored:
            return str(words.stored[value])
    return str(value)


def event_label(code: str) -> str:
    """What an audit event code (``certificate.revoked``) says happened."""
    for words in _all():
        if code in words.events:
            return str(words.events[code])
    return code


def known_events() -> dict[str, object]:
    """Every event code some package labelled, with its label (the audit filter's choices)."""
    known: dict[str, object] = {}
    for words in _all():
        known.update(words.events)
    return known


def object_label(object_type: str | None) -> str:
    """What an audited object's kind is called (``"Certificate"``: a certificate)."""
    for words in _all():
        if object_type in words.objects:
            return str(words.objects[object_type])
    return object_type or ""


def known_objects() -> dict[str, object]:
    """Every object kind some package labelled (the audit filter's choices)."""
    known: dict[str, object] = {}
    for words in _all():
        known.update(words.objects)
    return known


def object_link(object_type: str | None) -> tuple[str, str] | None:
    """The page of an audited object's kind, as (endpoint, id argument), or None."""
    for words in _all():
        if object_type in words.links:
            return words.links[object_type]
    return None


def event_choices() -> list[tuple[str, str]]:
    """Every labelled event as (code, label), by label: the audit filter's choices."""
    return sorted(((code, str(text)) for code, text in known_events().items()), key=lambda pair: pair[1])


def object_choices() -> list[tuple[str, str]]:
    """Every labelled kind of object as (class name, label), by label."""
    return sorted(((kind, str(text)) for kind, text in known_objects().items()), key=lambda pair: pair[1])


def field_label(name: str) -> str:
    """What an audited field is called (the field's own name when nobody labelled it)."""
    for words in reversed(_all()):  # a package's own word wins over the general one
        if name in words.fields:
            return str(words.fields[name])
    return name.replace("_", " ")


CODE = re.compile(r"[a-z][a-z0-9_]*")


def model_class(object_type: str | None):
    """The mapped class an audit entry names (``"Certificate"``), or None."""
    if not object_type:
        return None
    return next((mapper.class_ for mapper in db.Model.registry.mappers if mapper.class_.__name__ == object_type), None)


def _column_enum(object_type: str | None, name: str) -> type | None:
    cls = model_class(object_type)
    column = cls.__table__.columns.get(name) if cls is not None and hasattr(cls, "__table__") else None
    return getattr(column.type, "enum_class", None) if column is not None else None


def _stored_value_label(text: str, object_type: str | None, name: str) -> str | None:
    """The words for a code stored as text (an audit entry keeps ``"revoked"``): a stored text a package
    labelled, the member of the enum of the object's column of that name, else the one label every
    enum with that value agrees on."""
    for words in _all():
        if text in words.stored:
            return str(words.stored[text])
    enum_cls = _column_enum(object_type, name)
    if enum_cls is not None and (own := _member_labels([enum_cls], text)):
        return own.pop()
    found = _member_labels([cls for words in _all() for cls in words.enums if issubclass(cls, enum.Enum)], text)
    return found.pop() if len(found) == 1 else None


def _member_labels(candidates: list[type], text: str) -> set[str]:
    """The labels of the members of ``candidates`` whose value is ``text``."""
    found = set()
    for cls in candidates:
        labels = enum_labels(cls)
        try:
            member = cls(text)
        except ValueError:
            continue
        if labels is not None and member in labels:
            found.add(str(labels[member]))
    return found


def value_words(value, object_type: str | None = None, name: str = "") -> str:
    """A stored value as a person reads it: enum values by their label, yes/no, lists and mappings
    as plain text (never JSON). ``object_type`` and ``name`` say which column it came from."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, enum.Enum):
        return label(value)
    if isinstance(value, Mapping):
        return pgettext("between items", "; ").join(
            gettext("%(field)s: %(value)s", field=field_label(str(k)), value=value_words(v, object_type, str(k)))
            for k, v in value.items())
    if isinstance(value, list | tuple):
        return pgettext("between items", ", ").join(value_words(v, object_type, name) for v in value)
    if isinstance(value, str) and CODE.fullmatch(value):
        return _stored_value_label(value, object_type, name) or value
    return str(value)
