"""Training statistics by branch academy and by district, each figure one grouped query (GROUP BY in
the database, never a loop over enrolments):

- person-times: enrolments begun in the period (enrolled, completed or failed; withdrawn ones are not
  training given); workers trained: distinct workers among them;
- completed, and the pass rate: completed / (completed + failed), the enrolments that ended with a result;
- credited hours of those enrolments (online + classroom);
- per district only (a branch academy has courses, not workers): serving workers, their average annual
  in-service hours in the year of the period's end against the requirement of their area (how many
  reach it), and the certificate-holding rate: serving workers holding a valid on-duty qualification
  (the certificates package answers through the ``duty_certificate_holders`` slot).

A period is the city's local days from ``start`` to ``end`` included (the city's zone), whatever the
server's zone.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.contributions import contributions
from academy.database import city_today, city_zone
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Area, AreaLevel, Worker, WorkerStatus
from courses.enrollment import annual
from courses.enrollment.models import Course, Enrollment, EnrollmentState
from courses.syllabus.models import Branch

COUNTED = (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED, EnrollmentState.FAILED)
SERVING = (WorkerStatus.IN_TRAINING, WorkerStatus.ON_DUTY, WorkerStatus.SUSPENDED)


@dataclass
class StatRow:
    key: str
    label: str
    person_times: int = 0
    workers_trained: int = 0
    completed: int = 0
    failed: int = 0
    hours: Decimal = Decimal("0")
    serving: int | None = None  # district rows only
    hours_per_worker: Decimal | None = None
    required: Decimal | None = None  # the requirement of the district's workers (the most asked, if several)
    meeting: int | None = None  # serving workers whose hours reach their requirement
    certified: int | None = None

    @property
    def completion_rate(self) -> int:
        return round(100 * self.completed / self.person_times) if self.person_times else 0

    @property
    def pass_rate(self) -> int | None:
        ended = self.completed + self.failed
        return round(100 * self.completed / ended) if ended else None

    @property
    def certified_rate(self) -> int | None:
        return round(100 * self.certified / self.serving) if self.serving and self.certified is not None else None


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants of midnight before ``start`` and after ``end``, in the city's time."""
    return tuple(datetime.combine(day, time.min, tzinfo=city_zone()).astimezone(UTC)
                 for day in (start, end + timedelta(days=1)))


def _enrolment_figures(group, since: datetime, until: datetime, scopes):
    completed = sa.func.sum(sa.case((Enrollment.state == EnrollmentState.COMPLETED, 1), else_=0))
    failed = sa.func.sum(sa.case((Enrollment.state == EnrollmentState.FAILED, 1), else_=0))
    hours = sa.func.sum(sa.func.coalesce(Enrollment.online_hours, 0) + sa.func.coalesce(Enrollment.classroom_hours, 0))
    return db.session.execute(
        sa.select(group, sa.func.count(Enrollment.id), sa.func.count(sa.distinct(Enrollment.worker_id)),
                  completed, failed, hours)
        .select_from(Enrollment).join(Enrollment.worker).join(Worker.area).join(Enrollment.course)
        .where(Enrollment.enrolled_at >= since, Enrollment.enrolled_at < until, Enrollment.state.in_(COUNTED),
               scope_clause(Area.code, scopes))
        .group_by(group)).all()


def _rows(found, names: dict) -> dict[str, StatRow]:
    rows = {}
    for key, person_times, workers, completed, failed, hours in found:
        key = str(key)
        rows[key] = StatRow(key, names.get(key, key), int(person_times), int(workers), int(completed or 0),
                            int(failed or 0), Decimal(hours or 0))
    return rows


def _district_workers(rows: dict[str, StatRow], names: dict, scopes, year: int) -> None:
    """Serving workers per district: count, certificate holders, annual hours against the requirement."""
    district = sa.func.substr(Area.code, 1, 6)
    serving = sa.select(Worker.id).join(Worker.area).where(Worker.status.in_(SERVING), scope_clause(Area.code, scopes))
    holders = [provider(city_today()) for provider in contributions("duty_certificate_holders")]
    certified = sa.func.sum(sa.case((Worker.id.in_(sa.union(*holders) if len(holders) > 1 else holders[0]), 1),
                                    else_=0)) if holders else sa.literal(None)
    for key, count, held in db.session.execute(
            sa.select(district, sa.func.count(Worker.id), certified).join(Worker.area)
            .where(Worker.id.in_(serving)).group_by(district)):
        row = rows.setdefault(key, StatRow(key, names.get(key, key)))
        row.serving, row.certified = int(count), None if held is None else int(held)
    hours = annual.hours_by_worker(serving, year)
    found = annual.requirements()
    totals: dict[str, list] = defaultdict(lambda: [Decimal("0"), 0, None])
    for worker_id, area_code in db.session.execute(sa.select(Worker.id, Area.code).join(Worker.area)
                                                   .where(Worker.id.in_(serving))):
        total = totals[area_code[:6]]
        got, asked = hours.get(worker_id, Decimal("0")), annual.required_for(area_code, found)
        total[0] += got
        if asked is not None:
            total[1] += got >= asked
            total[2] = max(total[2] or asked, asked)
    for key, (got, meeting, asked) in totals.items():
        row = rows[key]
        row.hours_per_worker = (got / row.serving).quantize(Decimal("0.1")) if row.serving else None
        row.required, row.meeting = asked, meeting if asked is not None else None


def training_statistics(start: date, end: date, scopes) -> dict[str, list[StatRow]]:
    """The statistics of the period [start, end] (the city's days) for workers inside ``scopes``:
    ``{"branch": [...], "district": [...]}``, each sorted by name."""
    since, until = bounds(start, end)
    branch_names = {str(b.id): b.name for b in db.session.scalars(sa.select(Branch))}
    district_names = dict(db.session.execute(sa.select(Area.code, Area.name).where(Area.level == AreaLevel.DISTRICT)).all())
    branches = _rows(_enrolment_figures(Course.branch_id, since, until, scopes), branch_names)
    districts = _rows(_enrolment_figures(sa.func.substr(Area.code, 1, 6), since, until, scopes), district_names)
    _district_workers(districts, district_names, scopes, end.year)
    return {"branch": sorted(branches.values(), key=lambda r: r.label),
            "district": sorted(districts.values(), key=lambda r: r.label)}
