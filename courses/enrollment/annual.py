"""Annual in-service hours: how many credited hours each worker earned in a year, against what his
area asks (``HoursRequirement``: the most specific area wins), and who is behind.

A year runs from midnight of 1 January to midnight of the next in the city's zone (``CITY_TIMEZONE``), whatever the
user's own zone: the requirement is the city's. An hour counts on the day it was earned:
- a lesson's hours when the lesson was completed (the lessons fill the ``dated_hours`` slot);
- a classroom session's hours when the session began, for those marked present;
- a completed course's hours beyond what its lessons and sessions credited, when it was completed
  (a classroom-only course recorded by hand counts its hours once).
Pre-service courses are not in-service training: they do not count.

Every figure is one grouped query over the workers asked about, not a loop over enrollments.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.contributions import contributions
from academy.database import city_now, city_zone
from academy.errors import DomainError
from academy.extensions import db
from academy.permissions import Role, in_scope, scope_clause
from academy.registry.models import Area, Worker, WorkerStatus
from courses.enrollment.models import (
    Attendance,
    ClassSession,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentState,
    HoursRequirement,
    course_units,
)
from courses.syllabus.models import SyllabusUnit

COUNTED_KINDS = (CourseKind.IN_SERVICE, CourseKind.REFRESHER, CourseKind.SPECIALIST)
ZERO = Decimal("0")


def current_year(now: datetime | None = None) -> int:
    return now.astimezone(city_zone()).year if now else city_now().year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year's first instant and the next year's, in UTC (midnight in the city's zone)."""
    return tuple(datetime(y, 1, 1, tzinfo=city_zone()).astimezone(UTC) for y in (year, year + 1))


def _classroom(worker_ids, start: datetime, end: datetime) -> dict[int, Decimal]:
    rows = db.session.execute(
        sa.select(Enrollment.worker_id, sa.func.sum(ClassSession.hours))
        .select_from(Attendance).join(Attendance.session).join(Attendance.enrollment).join(Enrollment.course)
        .where(Attendance.present.is_(True), ClassSession.starts_at >= start, ClassSession.starts_at < end,
               Course.kind.in_(COUNTED_KINDS), Enrollment.worker_id.in_(worker_ids))
        .group_by(Enrollment.worker_id))
    return {worker_id: Decimal(hours or 0) for worker_id, hours in rows}


def _completed_courses(worker_ids, start: datetime, end: datetime) -> dict[int, Decimal]:
    course_hours = (sa.select(sa.func.coalesce(sa.func.sum(
        sa.func.coalesce(SyllabusUnit.theory_hours, 0) + sa.func.coalesce(SyllabusUnit.practice_hours, 0)), 0))
        .select_from(course_units).join(SyllabusUnit, SyllabusUnit.id == course_units.c.unit_id)
        .where(course_units.c.course_id == Enrollment.course_id).scalar_subquery())
    rows = db.session.execute(
        sa.select(Enrollment.worker_id, course_hours, Enrollment.online_hours, Enrollment.classroom_hours)
        .join(Enrollment.course)
        .where(Enrollment.state == EnrollmentState.COMPLETED, Enrollment.finished_at >= start,
               Enrollment.finished_at < end, Course.kind.in_(COUNTED_KINDS), Enrollment.worker_id.in_(worker_ids)))
    found: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for worker_id, hours, online, classroom in rows:
        found[worker_id] += max(Decimal(hours or 0) - Decimal(online or 0) - Decimal(classroom or 0), ZERO)
    return found


def hours_by_worker(worker_ids, year: int) -> dict[int, Decimal]:
    """Credited in-service hours of each worker (``worker_ids``: ids or a select of them) in ``year``."""
    start, end = year_bounds(year)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    parts = [_classroom(worker_ids, start, end), _completed_courses(worker_ids, start, end)]
    parts += [provider(worker_ids, start, end, COUNTED_KINDS) for provider in contributions("dated_hours")]
    for part in parts:
        for worker_id, hours in part.items():
            totals[worker_id] += hours
    return totals


@dataclass
class HoursRow:
    worker: Worker
    hours: Decimal
    required: Decimal

    @property
    def behind(self) -> bool:
        return self.hours < self.required

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / self.required)) if self.required else 100


def requirements() -> list[HoursRequirement]:
    return db.session.scalars(sa.select(HoursRequirement).order_by(HoursRequirement.area_code)).all()


def required_for(area_code: str, found: list[HoursRequirement]) -> Decimal | None:
    """The hours the most specific requirement covering ``area_code`` asks for (None: none covers it)."""
    covering = [r for r in found if area_code.startswith(r.area_code)]
    return max(covering, key=lambda r: len(r.area_code)).hours if covering else None


def progress(scopes, year: int, *, behind_only: bool = False) -> list[HoursRow]:
    """Every serving worker in ``scopes`` whom a requirement covers, with his hours in ``year``; those
    furthest behind first."""
    found = requirements()
    if not found:
        return []
    covered = sa.or_(*[Area.code.startswith(r.area_code, autoescape=True) for r in found])
    chosen = sa.select(Worker.id).join(Worker.area).where(
        Worker.status != WorkerStatus.EXITED, covered, scope_clause(Area.code, scopes))
    workers = db.session.scalars(sa.select(Worker).where(Worker.id.in_(chosen))).all()
    hours = hours_by_worker(chosen, year)
    rows = [HoursRow(w, hours.get(w.id, ZERO), required_for(w.area.code, found)) for w in workers]
    rows = [row for row in rows if not behind_only or row.behind]
    return sorted(rows, key=lambda row: (row.percent, row.worker.number))


def worker_progress(worker: Worker, year: int) -> HoursRow | None:
    """One worker's hours in ``year`` against his requirement (None when none covers his area)."""
    required = required_for(worker.area.code, requirements())
    if required is None:
        return None
    return HoursRow(worker, hours_by_worker([worker.id], year).get(worker.id, ZERO), required)


class HoursError(DomainError):
    """An hours requirement was refused; the message is for the user."""


def set_requirement(area_code: str, hours: Decimal | None, by) -> HoursRequirement | None:
    """HR sets (or, with no hours, removes) the annual hours asked of an area's workers. Flushes."""
    if by is not None and not in_scope(by, area_code, Role.HR):
        raise HoursError(_("This area is outside your scope."))
    if hours is not None and not Decimal("1") <= hours <= Decimal("500"):
        raise HoursError(_("Annual hours must be between 1 and 500."))
    row = db.session.scalar(sa.select(HoursRequirement).where(HoursRequirement.area_code == area_code))
    before = {"hours": row.hours} if row else None
    if hours is None:
        if row is None:
            raise HoursError(_("This area has no annual hours requirement."))
        audit.record(by, "hours_requirement.delete", row, summary=area_code, before=before, after=None)
        db.session.delete(row)
        db.session.flush()
        return None
    if row is None:
        row = HoursRequirement(area_code=area_code, created_by_id=getattr(by, "id", None), hours=hours)
        db.session.add(row)
    row.hours = hours
    db.session.flush()
    audit.record(by, "hours_requirement.set", row, summary=area_code, before=before, after={"hours": hours})
    return row
