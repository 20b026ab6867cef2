"""Reads of the enrollment package: the catalogue, a user's worker, training statistics."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker
from courses.enrollment.models import Course, CourseStatus, Enrollment, EnrollmentState, TrainingAssignment
from courses.syllabus.models import Branch

E = EnrollmentState


def worker_of(user) -> Worker | None:
    """The grid worker record linked to a trainee's log-in."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(sa.select(Worker).where(Worker.user_id == user.id))


def published_courses(search: str = "") -> list[Course]:
    query = sa.select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.starts_on, Course.code)
    if search:
        pattern = f"%{search}%"
        query = query.where(sa.or_(Course.title.ilike(pattern, escape="\\"), Course.code.ilike(pattern, escape="\\")))
    return db.session.scalars(query.limit(200)).all()


def enrollments_of(worker: Worker) -> list[Enrollment]:
    return db.session.scalars(sa.select(Enrollment).where(Enrollment.worker_id == worker.id)
                              .order_by(Enrollment.requested_at.desc())).all()


def assignments_of(worker: Worker) -> list[TrainingAssignment]:
    return db.session.scalars(sa.select(TrainingAssignment).where(TrainingAssignment.worker_id == worker.id)
                              .order_by(TrainingAssignment.due_on)).all()


def waitlist_position(enrollment: Enrollment) -> int | None:
    if enrollment.state != E.WAITLISTED:
        return None
    return 1 + db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.course_id == enrollment.course_id, Enrollment.state == E.WAITLISTED,
        sa.or_(Enrollment.waitlisted_at < enrollment.waitlisted_at,
               sa.and_(Enrollment.waitlisted_at == enrollment.waitlisted_at, Enrollment.id < enrollment.id))))


@dataclass
class StatRow:
    label: str
    person_times: int
    completed: int
    hours: Decimal

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed / self.person_times) if self.person_times else 0


def training_statistics(start: date, end: date, scopes) -> dict[str, list[StatRow]]:
    """Person-times trained (enrolments that began in the period), hours credited and completion
    rate, by branch academy and by the workers' district, for workers inside ``scopes``."""
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    counted = (E.ENROLLED, E.COMPLETED, E.FAILED)
    base = (sa.select(Enrollment).join(Enrollment.worker).join(Worker.area).join(Enrollment.course)
            .where(Enrollment.enrolled_at >= since, Enrollment.enrolled_at < until,
                   Enrollment.state.in_(counted), scope_clause(Area.code, scopes)))
    by_branch: dict[str, StatRow] = {}
    by_district: dict[str, StatRow] = {}
    branch_names = {b.id: b.name for b in db.session.scalars(sa.select(Branch))}
    district_names = {a.code: a.name for a in db.session.scalars(sa.select(Area).where(sa.func.length(Area.code) == 6))}
    for enrollment in db.session.scalars(base):
        keys = ((by_branch, branch_names.get(enrollment.course.branch_id, "-")),
                (by_district, district_names.get(enrollment.worker.area.code[:6], enrollment.worker.area.code[:6])))
        for table, label in keys:
            row = table.setdefault(label, StatRow(label, 0, 0, Decimal("0")))
            row.person_times += 1
            row.completed += enrollment.state == E.COMPLETED
            row.hours += enrollment.hours_credited
    return {"branch": sorted(by_branch.values(), key=lambda r: r.label),
            "district": sorted(by_district.values(), key=lambda r: r.label)}
