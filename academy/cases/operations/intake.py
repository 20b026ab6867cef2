"""Intake: a case reported by a grid worker, a hotline operator or a civic app (Open311),
numbered without collisions, with its photos; and a later report linked to an open case.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from academy import numbers
from academy.cases import clock, labels, photos
from academy.cases.models import Case, CaseState, Category, Channel, ClockKind, Level
from academy.cases.operations.core import (
    CaseError,
    attach_photos,
    calendar_snapshot,
    lock_case,
    log_event,
    move,
    set_stage,
    work_calendar,
)
from academy.cases.operations.flow import accept_case
from academy.cases.operations.open311 import keep_extras
from academy.cases.people import grids_of
from academy.cases.queries.intake import case_by_submission_key
from academy.database import city_today
from academy.extensions import db
from academy.registry.models import Grid, Worker, WorkerStatus


@dataclass
class Report:
    """What a report says; the channel decides which fields it must carry."""

    category: Category
    title: str
    description: str
    channel: Channel
    grid: Grid | None = None
    area_code: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    worker: Worker | None = None
    patrol_id: int | None = None
    resident_name: str = ""
    resident_phone: str = ""
    resident_email: str = ""
    submission_key: str | None = None
    photos: list[bytes] = field(default_factory=list)
    handled_on_spot: bool = False
    attributes: dict = field(default_factory=dict)  # Open311 attribute[code] answers
    media_urls: list[str] = field(default_factory=list)  # Open311 media_url links, fetched by a job


def case_number(area_code: str, day: date) -> str:
    """District code + local date + a serial of that district and day, e.g. 320102202611220007."""
    district = (area_code[:6] if len(area_code) >= 6 else area_code.ljust(6, "0")) or "000000"
    serial = numbers.next_value(f"case:{district}:{day:%Y%m%d}")
    return f"{district}{day:%Y%m%d}{serial:04d}"


def check_reporter(worker: Worker | None) -> None:
    """Refuse case work to a worker who is not on duty (持证上岗: in training, suspended or exited);
    learning stays open to him, reporting does not."""
    if worker is None:
        raise CaseError(_("Only a grid worker can report from a grid."))
    if worker.status != WorkerStatus.ON_DUTY:
        raise CaseError(_("Only a grid worker on duty can report a case; a valid on-duty certificate puts you on duty."))


def _check(report: Report) -> None:
    if not report.category.active:
        raise CaseError(_("This category is no longer used."))
    if report.grid is not None and report.grid.valid_to is not None and report.grid.valid_to <= city_today():
        raise CaseError(_("This grid has ended; choose a current one."))
    if report.channel == Channel.WORKER:
        if report.worker is None or report.grid is None:
            raise CaseError(_("Only a grid worker can report from a grid."))
        check_reporter(report.worker)
        if report.grid.id not in {grid.id for grid in grids_of(report.worker)}:
            raise CaseError(_("You can only report in your own grids."))
    if report.handled_on_spot and (report.channel != Channel.WORKER or not report.category.allow_self_handling):
        raise CaseError(_("Cases of this category cannot be closed by the grid worker."))
    if len(report.photos) > photos.MAX_PHOTOS:
        raise CaseError(_("At most %(n)d photos.", n=photos.MAX_PHOTOS))
    if report.latitude is not None and not -90 <= report.latitude <= 90:
        raise CaseError(_("The latitude must lie between -90 and 90."))
    if report.longitude is not None and not -180 <= report.longitude <= 180:
        raise CaseError(_("The longitude must lie between -180 and 180."))


def report_case(report: Report, by) -> Case:
    """File a case (draft -> reported), with photos; a worker may close a simple one on the spot."""
    _check(report)
    kinds = [photos.check_photo(data) for data in report.photos]  # before anything is written
    now = clock.now()
    area_code = report.grid.code if report.grid is not None else report.area_code
    calendar = calendar_snapshot()
    local_day = now.astimezone(calendar.zone).date()
    case = Case(
        number=case_number(area_code, local_day), submission_key=report.submission_key, title=report.title.strip(),
        description=report.description.strip(), category=report.category, channel=report.channel,
        state=CaseState.DRAFT, grid=report.grid, area_code=area_code, location=report.location.strip(),
        latitude=report.latitude, longitude=report.longitude, reporter_id=getattr(by, "id", None),
        reporter_worker_id=getattr(report.worker, "id", None), patrol_id=report.patrol_id,
        resident_name=report.resident_name.strip(), resident_phone=report.resident_phone.strip(),
        resident_email=report.resident_email.strip(), created_at=now,
    )
    db.session.add(case)
    db.session.flush()  # a double submit (same submission key) fails here, before any photo is stored
    attach_photos(case, report.photos, by, kinds)
    keep_extras(case, report.attributes, report.media_urls, by)
    move(case, "submit", by, _("Channel: %(channel)s.", channel=labels.CHANNEL_LABELS[report.channel]), at=now)
    case.reported_at = now
    due = clock.deadline(calendar, now, work_calendar().accept_limit_hours, ClockKind.WORKING_HOURS)
    set_stage(case, now, due, ClockKind.WORKING_HOURS, calendar)
    if report.handled_on_spot:
        _close_on_spot(case, by)
    db.session.flush()
    return case


def file_report(report: Report, by) -> tuple[Case, bool]:
    """File the report once: ``(case, True)`` when filed now, or ``(the case filed before, False)``
    when a repeated or concurrent submit carries the same submission key (unique in the database).

    The insert runs in a savepoint, so a concurrent submit of the same report loses only this insert,
    not the request; every refusal of ``report_case`` is raised as it is."""
    try:
        with db.session.begin_nested():
            return report_case(report, by), True
    except IntegrityError:
        existing = case_by_submission_key(report.submission_key)
        if existing is None:
            raise
        return existing, False


def _close_on_spot(case: Case, by) -> None:
    """自办自结: the worker handled it while there; accepted, handled and closed at once."""
    accept_case(case, by, _("Simple case handled by the grid worker."))
    now = clock.now()
    move(case, "self_handle", by, at=now)
    case.level = case.level or _self_level()
    case.handled_at = now
    move(case, "close_self", by, at=now)
    case.closed_at = now
    case.closed_on_time = True
    set_stage(case, None, None)


def _self_level():
    return Level.SELF


def link_report(case: Case, by, note: str) -> Case:
    """Count another report of the same matter on an open case instead of filing it twice."""
    case = lock_case(case)
    if not case.is_open:
        raise CaseError(_("Only an open case can take another report."))
    case.report_count += 1
    log_event(case, by, "link_report", note=note or _("The same matter was reported again."), at=clock.now())
    db.session.flush()
    return case
