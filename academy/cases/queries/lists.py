"""Reads of case lists: lights (in Python and in SQL), the filtered list and the board's counts,
"my cases", similar open cases, and a handler's notifications."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.accounts.models import User
from academy.cases import clock
from academy.cases.access import visible_clause
from academy.cases.calendar import YELLOW_AT, calendar_snapshot, work_calendar
from academy.cases.models import OPEN_STATES, Case, CaseState, CaseTask, Category, Notification, TaskState
from academy.cases.people import department_ids_of, own_area_codes
from academy.cases.sql import rare
from academy.database import ordered
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Worker

LIGHTS = ("green", "yellow", "red", "red_card")


def light_of(case: Case, now: datetime | None = None) -> str | None:
    """The case's light now (None when no clock runs: closed, suspended...)."""
    if case.stage_due_at is None or not case.is_open:
        return None
    now = now or clock.now()
    if now < case.stage_yellow_at:
        return "green"
    if now < case.stage_due_at:
        return "yellow"
    return "red" if now < case.stage_red_card_at else "red_card"


def light_clause(light: str, now: datetime, cases=Case):
    """A WHERE clause keeping open cases showing ``light`` at ``now`` (``cases``: Case or an alias)."""
    clocked = sa.and_(rare(cases.state.in_(OPEN_STATES)), cases.stage_due_at.is_not(None))
    return sa.and_(clocked, {
        "green": now < cases.stage_yellow_at,
        "yellow": sa.and_(cases.stage_yellow_at <= now, now < cases.stage_due_at),
        "red": sa.and_(cases.stage_due_at <= now, now < cases.stage_red_card_at),
        "red_card": cases.stage_red_card_at <= now,
    }[light])


@dataclass
class CaseFilter:
    area: str = ""
    category_id: int | None = None
    level: str = ""
    light: str = ""
    state: str = ""
    department_id: int | None = None
    handler_id: int | None = None
    supervised: bool = False
    returned: bool = False  # given back by every department it was sent to: the dispatcher decides again
    open_only: bool = True
    text: str = ""
    sort: str = ""  # a key of CASE_ORDERS


# The case list's orders (its sort select): key -> ORDER BY, the list's own (nearest deadline) first.
# Cases without a deadline, or never reported, come last (NULLS LAST written for SQLite and PostgreSQL).
CASE_ORDERS = {
    "due": (Case.stage_due_at.is_(None), Case.stage_due_at, Case.id.desc()),
    "reported_newest": (Case.reported_at.is_(None), Case.reported_at.desc(), Case.id.desc()),
    "reported_oldest": (Case.reported_at.is_(None), Case.reported_at, Case.id),
    "number": (Case.number,),
}


def case_query(user, filters: CaseFilter, now: datetime | None = None):
    """Visible cases matching ``filters``, in their order (the nearest deadline first unless told)."""
    now = now or clock.now()
    query = sa.select(Case).where(visible_clause(user))
    if filters.area:
        query = query.where(scope_clause(Case.area_code, [filters.area]))
    if filters.category_id:
        query = query.where(Case.category_id == filters.category_id)
    if filters.level:
        query = query.where(Case.level == filters.level)
    if filters.state:
        query = query.where(Case.state == filters.state)
    elif filters.open_only:
        # Open cases are a small share of all: SQLite is told so, or it scans the whole table.
        query = query.where(rare(Case.state.in_(OPEN_STATES)))
    if filters.light in LIGHTS:
        query = query.where(light_clause(filters.light, now))
    if filters.department_id:
        query = query.where(Case.id.in_(sa.select(CaseTask.case_id).where(CaseTask.department_id == filters.department_id)))
    if filters.handler_id:
        query = query.where(_handler_clause(filters.handler_id))
    if filters.supervised:
        query = query.where(Case.supervised_at.is_not(None))
    if filters.returned:
        query = query.where(Case.state == CaseState.ACCEPTED, Case.return_count > 0)
    if filters.text:
        pattern = f"%{filters.text}%"
        query = query.where(sa.or_(Case.number.like(pattern), Case.title.like(pattern)))
    # Each listed case shows its category's full name: load them (and their parents) in two queries,
    # not one per category on the page.
    return (ordered(query, CASE_ORDERS, filters.sort)
            .options(selectinload(Case.category).selectinload(Category.parent)))


def _handler_clause(user_id: int):
    """Cases held by a user: his own tasks, his departments' and his community's or street's
    (one indexed look-up of tasks each: an OR of them in one subquery made SQLite scan every task)."""
    user = db.session.get(User, user_id)
    held = [sa.select(CaseTask.case_id).where(rare(CaseTask.handler_user_id == user_id))]
    if departments := department_ids_of(user):
        held.append(sa.select(CaseTask.case_id).where(CaseTask.department_id.in_(departments)))
    if areas := own_area_codes(user):
        held.append(sa.select(CaseTask.case_id).where(CaseTask.area_code.in_(areas)))
    return sa.or_(*(Case.id.in_(tasks) for tasks in held))


def board_counts(user, filters: CaseFilter, now: datetime | None = None) -> tuple[dict[str, int], int]:
    """How many visible open cases show each light (the board's headline), and how many cases they
    were counted among (``filters`` without light and state), in one pass: the board's list needs no
    count of its own when it shows that set."""
    now = now or clock.now()
    base = case_query(user, CaseFilter(**{**filters.__dict__, "light": "", "state": ""}), now).order_by(None).subquery()
    cases = sa.orm.aliased(Case, base)
    # One pass over the open cases for all four lights (it was one count query per light).
    row = db.session.execute(sa.select(*(sa.func.count().filter(light_clause(light, now, cases)) for light in LIGHTS),
                                       sa.func.count()).select_from(base)).one()
    return dict(zip(LIGHTS, row[:-1], strict=True)), row[-1]


def similar_open_cases(grid_id: int | None, category_id: int, text: str, days: int = 7, limit: int = 5) -> list[Case]:
    """Open cases of the same grid and category from the last ``days`` whose text is alike."""
    if grid_id is None:
        return []
    since = clock.now() - timedelta(days=days)
    candidates = db.session.scalars(sa.select(Case).where(
        Case.grid_id == grid_id, Case.category_id == category_id, Case.state.in_(OPEN_STATES),
        Case.reported_at >= since).order_by(Case.id.desc()).limit(50))
    scored = []
    for case in candidates:
        ratio = difflib.SequenceMatcher(None, text.lower(), f"{case.title} {case.description}".lower()).ratio()
        if ratio >= 0.3:
            scored.append((ratio, case))
    return [case for _ratio, case in sorted(scored, key=lambda pair: -pair[0])[:limit]]


def state_counts(user) -> dict[str, int]:
    """How many visible cases are in each state."""
    rows = db.session.execute(sa.select(Case.state, sa.func.count(Case.id)).where(visible_clause(user))
                              .group_by(Case.state))
    return {str(state): n for state, n in rows}


def task_light(task: CaseTask, now: datetime | None = None) -> str | None:
    """A handling unit's own light, on its own deadline (each whistled department has one)."""
    if task.state not in (TaskState.DISPATCHED, TaskState.SIGNED, TaskState.HANDLING) or task.case.state == CaseState.SUSPENDED:
        return None
    now = now or clock.now()
    used = clock.used_fraction(calendar_snapshot(), task.dispatched_at, task.due_at, now, task.case.category.clock)
    if used < YELLOW_AT:
        return "green"
    if used < 1:
        return "yellow"
    return "red" if used < work_calendar().red_card_multiple else "red_card"


# A unit's task still in its hands: dispatched to it, signed for, being handled.
TASKS_IN_HAND = (TaskState.DISPATCHED, TaskState.SIGNED, TaskState.HANDLING)


def mine_query(user, worker: Worker | None, *, to_handle: bool = False):
    """What waits for ``user``: tasks of his units, cases of his grids as reporter, cases he reported;
    open ones first, the nearest deadline first. ``to_handle``: only open cases with a task of his
    units still in hand (a department's workbench counts these)."""
    tasks_query = sa.select(CaseTask.case_id).where(sa.or_(
        CaseTask.handler_user_id == user.id,
        CaseTask.department_id.in_(department_ids_of(user) or [-1]),
        CaseTask.area_code.in_(own_area_codes(user) or ["-"])))
    if to_handle:
        mine_clause = sa.and_(Case.id.in_(tasks_query.where(CaseTask.state.in_(TASKS_IN_HAND))),
                              rare(Case.state.in_(OPEN_STATES)))
    else:
        mine_clause = sa.or_(Case.reporter_id == user.id, Case.id.in_(tasks_query))
    if worker is not None and not to_handle:
        mine_clause = sa.or_(mine_clause, Case.reporter_worker_id == worker.id)
    return sa.select(Case).where(mine_clause, visible_clause(user)).order_by(
        Case.state.in_(OPEN_STATES).desc(), Case.stage_due_at.is_(None), Case.stage_due_at, Case.id.desc())


def notifications_of(user, limit: int = 20) -> list[Notification]:
    """The latest messages left for ``user`` (supervision, dispatch, returns)."""
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id.desc()).limit(limit)))
