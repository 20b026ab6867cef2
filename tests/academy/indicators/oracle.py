"""An independent reading of the definitions: the counts computed case by case in Python from
the ORM rows, without SQL aggregation, to hold the snapshots against."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import sqlalchemy as sa

from academy.cases.models import (
    Case,
    CaseState,
    CaseTask,
    Category,
    Extension,
    ExtensionState,
    Level,
    Patrol,
    ReturnVisit,
    Satisfaction,
    TaskState,
    Verification,
    Visit,
)
from academy.extensions import db
from academy.registry.models import Grid


def _in(value, s, e):
    return value is not None and s <= value < e


def _root(category: Category) -> str:
    while category.parent is not None:
        category = category.parent
    return category.code


def _units(area_code: str, worker_id) -> list[tuple[str, str]]:
    units = [("area", area_code[:n]) for n in (4, 6, 9, 12) if len(area_code) >= n]
    if len(area_code) == 15:
        units.append(("grid", area_code))
    if worker_id is not None:
        units.append(("worker", str(worker_id)))
    return units


def _case_counts(case: Case, s, e) -> Counter:
    counts = Counter()
    not_void = case.state != CaseState.VOIDED
    if _in(case.reported_at, s, e):
        counts["reported"] += 1
        counts["accepted"] += case.accepted_at is not None
    due = (not_void and case.accepted_at is not None and case.due_at is not None
           and (_in(case.due_at, s, e) or (_in(case.closed_at, s, e) and case.due_at >= e)))
    if due:
        counts["due_to_close"] += 1
        closed = case.closed_at is not None and case.closed_at < e
        counts["closed"] += closed
        counts["closed_on_time"] += closed and case.closed_on_time is True
        counts["self_handled"] += closed and case.level == Level.SELF
        counts["extended"] += bool(case.extended)
        counts["rework"] += case.rework_count > 0
        counts["reopened"] += case.reopen_count > 0
    if not_void and case.accepted_at is not None and case.accepted_at < e and (case.closed_at is None or case.closed_at >= e):
        counts["pending"] += 1
        counts["overdue_pending"] += case.due_at is not None and case.due_at < e
    return counts


def _task_counts(task: CaseTask, s, e) -> Counter:
    counts = Counter()
    case = task.case
    counted = (case.state != CaseState.VOIDED and task.returned_at is None
               and (task.state != TaskState.WITHDRAWN or task.handled_at is not None))
    if counted and (_in(task.due_at, s, e) or (_in(task.handled_at, s, e) and task.due_at >= e)):
        counts["due_to_handle"] += 1
        counts["handled_on_time"] += task.on_time is True and task.handled_at is not None and task.handled_at < e
        counts["task_extended"] += db.session.scalar(sa.select(sa.func.count(Extension.id)).where(
            Extension.task_id == task.id, Extension.state == ExtensionState.GRANTED)) > 0
    if (task.dispatched_at < e and task.state != TaskState.WITHDRAWN
            and (task.returned_at is None or task.returned_at >= e) and (task.handled_at is None or task.handled_at >= e)):
        counts["task_pending"] += 1
        counts["task_overdue"] += task.due_at < e
    return counts


def case_oracle(s, e) -> dict[tuple[str, str, str], Counter]:
    """Case, task, verification and return-visit counts per (kind, key, category)."""
    rows: dict = defaultdict(Counter)

    def add(units, root, counts):
        for unit in units:
            for category in ("", root):
                rows[(*unit, category)].update(counts)

    for case in db.session.scalars(sa.select(Case)):
        add(_units(case.area_code, case.reporter_worker_id), _root(case.category), _case_counts(case, s, e))
    for visit in db.session.scalars(sa.select(ReturnVisit)):
        if _in(visit.at, s, e):
            case = db.session.get(Case, visit.case_id)
            name = {Satisfaction.SATISFIED: "satisfied", Satisfaction.BASIC: "basic",
                    Satisfaction.DISSATISFIED: "dissatisfied"}[visit.satisfaction]
            add(_units(case.area_code, case.reporter_worker_id), _root(case.category), {"return_visits": 1, name: 1})
    for check in db.session.scalars(sa.select(Verification)):
        if _in(check.at, s, e):
            case = db.session.get(Case, check.case_id)
            add(_units(case.area_code, check.worker_id), _root(case.category),
                {"verifications": 1, "verifications_on_time": int(check.on_time)})
    for task in db.session.scalars(sa.select(CaseTask).where(CaseTask.level == Level.DEPARTMENT)):
        add([("department", str(task.department_id))], _root(task.case.category), _task_counts(task, s, e))
    return {key: Counter({k: v for k, v in counts.items() if v}) for key, counts in rows.items()}


def patrol_oracle(s, e, working_days: set, zone) -> dict[tuple[str, str], Counter]:
    """Patrol and visit counts per worker and grid (compliant days on the working days given)."""
    rows: dict = defaultdict(Counter)
    days: dict = defaultdict(Counter)
    for patrol in db.session.scalars(sa.select(Patrol)):
        if _in(patrol.started_at, s, e) and patrol.ended_at is not None:
            grid = db.session.get(Grid, patrol.grid_id)
            for unit in (("worker", str(patrol.worker_id)), ("grid", grid.code)):
                rows[unit].update({"patrols": 1, "patrol_minutes": patrol.minutes})
                days[unit][patrol.started_at.astimezone(zone).date()] += 1
    for unit, per_day in days.items():
        rows[unit]["compliant_days"] += sum(1 for day, n in per_day.items() if n >= 2 and day in working_days)
    for visit in db.session.scalars(sa.select(Visit)):
        if _in(visit.visited_at, s, e):
            rows[("worker", str(visit.worker_id))]["visits"] += 1
            rows[("grid", db.session.get(Grid, visit.grid_id).code)]["visits"] += 1
    return rows


def working_days(first, end, today, is_working_day) -> set:
    day, found = first, set()
    while day < min(end, today):
        if is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    return found
