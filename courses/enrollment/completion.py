"""Completion by rule: what a course asks for (lessons, hours, the final exam, classroom attendance),
what a trainee still lacks, and the enrollment completing by itself when the last condition is met.

The lessons and the final exam live in packages above this one; each contributes the conditions it
knows to the ``completion_conditions`` slot (``provider(course, enrollment) -> list[Condition]``).
Hours and attendance are enrollment's own. Whoever changes a trainee's evidence calls
``operations.review_completion``:
lessons when a lesson is completed (``lessons.operations.recompute``), the exams when an attempt is
graded or regraded (``exams.operations.attempts.announce_graded``), attendance here. A completion by
rule that loses its evidence (a regrade below the mark, a withdrawn attendance) is taken back,
audited, and stays on HR's list until it is completed again. An instructor's result (completed or
failed, with its reason) is an override: the rule neither completes nor takes back what he decided.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import pgettext

from academy.contributions import contributions
from academy.database import utcnow
from academy.extensions import db
from courses.enrollment.models import Attendance, ClassSession, Course, Enrollment


@dataclass
class Condition:
    """One condition of a completion rule: what is asked, whether it is met, what is still missing
    (short names a trainee reads: "lesson 3", "final exam"), and the facts behind the answer."""

    label: str
    met: bool
    missing: list[str] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)


def join_names(names: list[str]) -> str:
    """Names in a sentence, with the language's own separator (Chinese: 、)."""
    return pgettext("list separator", ", ").join(names)


def _hours(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.1")))


def _hours_condition(course: Course, enrollment: Enrollment | None) -> Condition:
    needed = Decimal(course.completion_hours)
    label = _("At least %(n)s credited hours", n=_hours(needed))
    if enrollment is None:
        return Condition(label, False)
    have = enrollment.hours_credited
    missing = [] if have >= needed else [_("%(h)s more hours", h=_hours(needed - have))]
    return Condition(label, not missing, missing, {"hours": _hours(have), "needed": _hours(needed)})


def _attendance_condition(course: Course, enrollment: Enrollment | None) -> Condition:
    share = course.completion_attendance
    label = _("At least %(p)d %% of the classroom sessions attended", p=share)
    if enrollment is None:
        return Condition(label, False)
    total = db.session.scalar(sa.select(sa.func.count(ClassSession.id)).where(ClassSession.course_id == course.id))
    present = db.session.scalar(sa.select(sa.func.count(Attendance.id)).where(
        Attendance.enrollment_id == enrollment.id, Attendance.present.is_(True)))
    needed = -(-total * share // 100)  # at least this many sessions (rounded up)
    met = total > 0 and present >= needed
    missing = [] if met else [_("%(n)d more classroom sessions", n=max(needed - present, 1))]
    return Condition(label, met, missing, {"present": present, "sessions": total})


def conditions(course: Course, enrollment: Enrollment | None = None) -> list[Condition]:
    """Every condition of the course's rule, in the order a trainee reads them; with an enrollment,
    whether each is met and what is missing, else only what is asked."""
    found = [c for provider in contributions("completion_conditions") for c in provider(course, enrollment)]
    if course.completion_hours:
        found.append(_hours_condition(course, enrollment))
    if course.completion_attendance:
        found.append(_attendance_condition(course, enrollment))
    return found


def rule_lines(course: Course) -> list[str]:
    """What completes the course, in words (empty: only an instructor's result does)."""
    return [condition.label for condition in conditions(course)] if course.has_completion_rule else []


def lesson_hours(course: Course) -> Decimal:
    """The hours the course's lessons credit together (the lessons fill the ``course_lessons`` slot)."""
    return sum((lesson.hours for provider in contributions("course_lessons") for lesson in provider(course)), Decimal("0"))


def missing(enrollment: Enrollment) -> list[str]:
    """What the trainee still lacks to complete the course by its rule (empty: nothing, or no rule)."""
    if not enrollment.course.has_completion_rule:
        return []
    return [item for condition in conditions(enrollment.course, enrollment) for item in condition.missing]


def evidence(found: list[Condition]) -> dict:
    return {"at": utcnow().isoformat(), "conditions": [
        {"label": c.label, "met": c.met, **c.evidence} for c in found]}
