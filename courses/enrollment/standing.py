"""Standing audiences: a mandatory rule reaches whoever matches it, now and later.

A rule names its audience (an area and what is below it, an employment type, a status, hired within
so many days, holds or lacks a certificate type) and is applied again whenever someone may have come
to match or stopped matching: the registry announces a new hire, a transfer or a changed record
(``worker_record_changed``) and a status change (``worker_status_changed``); the daily sweep
(``flask academy training-sweep``) catches the rest (a certificate gained or expired, the days since
hiring running out, the registry import). Whoever matches gets the course assigned and is enrolled;
whoever no longer matches keeps a completed assignment and loses an open one, audited. An
assignment HR made by hand (a training need) is never taken away here. Someone who comes to match
after the rule's due date gets ``GRACE_DAYS`` to do it.

Each course's rules are applied together, so a worker who leaves one rule's audience but stays in
another's for the same course keeps his assignment. Exited workers match nothing.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.contributions import contributions
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role, in_scope
from academy.registry.models import Area, Worker, WorkerStatus
from courses.enrollment import queries
from courses.enrollment.batch import Wanted, assign_many
from courses.enrollment.models import Course, CourseStatus, MandatoryRule, TrainingAssignment
from courses.enrollment.operations import EnrollmentError, today
from courses.enrollment.training import MAX_POPULATION, BulkResult, Population

GRACE_DAYS = 30


@dataclass
class StandingResult:
    assigned: int = 0
    removed: int = 0
    failed: int = 0


def _holders(type_code: str, day: date):
    """Ids of workers holding a valid certificate of the type (certificates fill the slot), or None."""
    selects = [provider(type_code, day) for provider in contributions("certificate_holders")]
    if not selects:
        return None
    return selects[0] if len(selects) == 1 else sa.union(*selects)


def audience(rule: MandatoryRule, day: date, *, entering: bool = True):
    """A select of the ids of the workers ``rule`` names on ``day``. "Hired within" is a way in, not
    a way out (``entering=False``): a new hire who ages past it keeps his open assignment."""
    query = (sa.select(Worker.id).join(Worker.area)
             .where(Area.code.startswith(rule.area_code, autoescape=True), Worker.status != WorkerStatus.EXITED))
    if rule.employment:
        query = query.where(Worker.employment == rule.employment)
    if rule.worker_status:
        query = query.where(Worker.status == rule.worker_status)
    if rule.hired_within_days is not None and entering:
        query = query.where(Worker.hired_on >= day - timedelta(days=rule.hired_within_days))
    if rule.holds_certificate:
        holders = _holders(rule.holds_certificate, day)
        query = query.where(sa.false() if holders is None else Worker.id.in_(holders))
    if rule.lacks_certificate and (holders := _holders(rule.lacks_certificate, day)) is not None:
        query = query.where(Worker.id.not_in(holders))
    return query


def audience_size(rule: MandatoryRule, day: date | None = None) -> int:
    """How many workers ``rule`` names on ``day`` (today): the confirmation's count before it is made."""
    selected = audience(rule, day or today()).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(selected))


def due_for(rule: MandatoryRule, worker: Worker, day: date) -> date:
    """The rule's due date for the worker, and at least ``GRACE_DAYS`` from ``day`` for a late comer."""
    due = rule.due_on or (worker.hired_on + timedelta(days=rule.due_days_after_hire or 0))
    return max(due, day + timedelta(days=GRACE_DAYS))


def active_rules() -> dict[Course, list[MandatoryRule]]:
    """The rules not ended, of published courses, by course (oldest rule first)."""
    rules = db.session.scalars(sa.select(MandatoryRule).join(MandatoryRule.course).where(
        MandatoryRule.ended_at.is_(None), Course.status == CourseStatus.PUBLISHED).order_by(MandatoryRule.id)).all()
    by_course = defaultdict(list)
    for rule in rules:
        by_course[rule.course].append(rule)
    return by_course


def _apply_course(course: Course, rules: list[MandatoryRule], by, day: date, result: StandingResult,
                  only: int | None = None) -> None:
    """Bring one course's rule-made assignments in line with its rules' audiences (one worker if ``only``)."""
    first_rule: dict[int, MandatoryRule] = {}
    staying: set[int] = set()
    for rule in rules:
        for entering in (True, False) if rule.hired_within_days is not None else (True,):
            query = audience(rule, day, entering=entering)
            if only is not None:
                query = query.where(Worker.id == only)
            ids = set(db.session.scalars(query))
            staying |= ids
            if entering:
                for worker_id in ids:
                    first_rule.setdefault(worker_id, rule)
    held = sa.select(TrainingAssignment).where(TrainingAssignment.course_id == course.id)
    if only is not None:
        held = held.where(TrainingAssignment.worker_id == only)
    assignments = {a.worker_id: a for a in db.session.scalars(held)}
    for worker_id, assignment in assignments.items():
        if worker_id not in staying and assignment.rule_id is not None and assignment.completed_at is None:
            _remove(assignment, by)
            result.removed += 1
    new = sorted(set(first_rule) - set(assignments))
    if not new:
        return
    workers = queries.workers_by_ids(new)
    wanted = [Wanted(workers[w], due_for(first_rule[w], workers[w], day), first_rule[w]) for w in new]
    try:
        with db.session.begin_nested():  # one savepoint for the course, none per worker
            result.assigned += len(assign_many(course, wanted, by).made)
    except EnrollmentError:
        result.failed += len(new)  # the course closed meanwhile; the next sweep tries again


def _remove(assignment: TrainingAssignment, by) -> None:
    audit.record(by, "training_assignment.remove", assignment,
                 summary=f"{assignment.course.code} {assignment.worker.number}: no longer in the rule's audience",
                 before={"rule_id": assignment.rule_id, "due_on": assignment.due_on}, after=None)
    db.session.delete(assignment)
    db.session.flush()


def apply_to_worker(worker: Worker, by=None, day: date | None = None) -> StandingResult:
    """Every standing rule for one worker (a new hire, a transfer, a status change). Flushes."""
    result, day = StandingResult(), day or today()
    for course, rules in active_rules().items():
        _apply_course(course, rules, by, day, result, only=worker.id)
    return result


def sweep(by=None, day: date | None = None) -> StandingResult:
    """The daily pass: every standing rule against everyone. Flushes."""
    result, day = StandingResult(), day or today()
    for course, rules in active_rules().items():
        _apply_course(course, rules, by, day, result)
    return result


def assign_mandatory(course: Course, population: Population, by, *, due_on: date | None = None,
                     due_days_after_hire: int | None = None, hired_within_days: int | None = None,
                     holds_certificate: str = "", lacks_certificate: str = "") -> BulkResult:
    """HR makes ``course`` mandatory for a standing audience, due on a date or N days after each worker's
    hire; everyone who matches now is assigned (and enrolled) at once, later comers by the signals and
    the sweep. Flushes."""
    if (due_on is None) == (due_days_after_hire is None):
        raise EnrollmentError(_("Give either a due date or a number of days after hire."))
    if population.grid_id:
        raise EnrollmentError(_("Mandatory training names an area, not a grid."))
    if by is not None and not in_scope(by, population.area_code, Role.HR):
        raise EnrollmentError(_("This area is outside your scope."))
    if course.status != CourseStatus.PUBLISHED:
        raise EnrollmentError(_("Only a published course can be assigned."))
    rule = MandatoryRule(course=course, area_code=population.area_code, employment=population.employment,
                         worker_status=population.status, due_on=due_on, due_days_after_hire=due_days_after_hire,
                         hired_within_days=hired_within_days, holds_certificate=holds_certificate,
                         lacks_certificate=lacks_certificate, created_by_id=getattr(by, "id", None))
    db.session.add(rule)
    db.session.flush()
    day = today()
    ids = db.session.scalars(audience(rule, day).order_by(Worker.number).limit(MAX_POPULATION + 1)).all()
    if len(ids) > MAX_POPULATION:
        raise EnrollmentError(_("More than %(n)d workers match; narrow the selection.", n=MAX_POPULATION))
    workers = queries.workers_by_ids(ids)
    done = assign_many(course, [Wanted(workers[i], due_on or (workers[i].hired_on + timedelta(days=due_days_after_hire)), rule)
                                for i in ids], by)
    result = BulkResult(assigned=len(done.made), skipped=[
        _("%(name)s already has this course assigned.", name=worker.name) for worker in done.already])
    audit.record(by, "mandatory_rule.create", rule, summary=f"{course.code} {population.area_code}",
                 after={"assigned": result.assigned, "due_on": due_on, "due_days_after_hire": due_days_after_hire,
                        "hired_within_days": hired_within_days, "holds_certificate": holds_certificate,
                        "lacks_certificate": lacks_certificate})
    return result


def end_rule(rule: MandatoryRule, by) -> None:
    """HR ends a standing rule: it reaches nobody new; the assignments it made stay. Flushes."""
    if rule.ended_at is not None:
        raise EnrollmentError(_("This rule has already ended."))
    if by is not None and not in_scope(by, rule.area_code, Role.HR):
        raise EnrollmentError(_("This area is outside your scope."))
    rule.ended_at = utcnow()
    db.session.flush()
    audit.record(by, "mandatory_rule.end", rule, summary=f"{rule.course.code} {rule.area_code}",
                 before={"ended_at": None}, after={"ended_at": rule.ended_at})


def on_worker_changed(_app, *, worker: Worker, by=None, **_facts) -> None:
    """Receives the registry's ``worker_record_changed`` and ``worker_status_changed``."""
    apply_to_worker(worker, by)
