"""THE definitions: what every count, denominator and indicator means (shown on the help page).

Everything the indicators say comes from here. A period P is the half-open interval [s, e) of
its local days (see ``periods``). The counts are plain integers kept in the snapshots; the
indicators are ratios of counts, computed when shown, so a snapshot never stores a rate.

Attribution: a case counts for the grid and every area whose code prefixes its ``area_code``
(hotline cases may sit on a community or street), for the grid worker who reported it
(``reporter_worker_id``), and for its category's top-level category. Verifications count for
the worker who verified; department tasks count for their department. Voided cases count only
as "reported". A reopened case is counted with its latest acceptance, deadline and closure
(the case row keeps those); its earlier closure no longer counts, and ``reopened`` marks it.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from academy.cases.models import Case, CaseState, CaseTask, Extension, ExtensionState, Level, TaskState
from academy.cases.queries import PATROLS_PER_DAY  # noqa: F401  (一日双巡: the case module's own standard)

DEFAULT_MIN_SAMPLE = 5  # INDICATORS_MIN_SAMPLE: below this, a rate shows as "too few cases"
DEFAULT_BASIC_WEIGHT = 0.5  # INDICATORS_BASIC_SATISFIED_WEIGHT: how much "basically satisfied" counts

# The counts a snapshot row keeps, each with its definition (as on the help page).
COUNTS: dict[str, object] = {
    "reported": _l("Cases reported in the period (reported_at in P), voided ones included."),
    "accepted": _l("Of the cases reported in the period, those accepted (立案)."),
    "due_to_close": _l("Due to close: accepted, not voided cases whose deadline falls in the period, "
                       "plus those closed in the period before a deadline that falls after it."),
    "closed": _l("Of the cases due to close, those closed before the period ended."),
    "closed_on_time": _l("Of the cases closed, those closed by their deadline (extensions granted move it)."),
    "self_handled": _l("Of the cases closed, those handled and closed by the grid worker (自办自结)."),
    "extended": _l("Of the cases due to close, those granted an extension."),
    "rework": _l("Of the cases due to close, those sent back at least once after a failed verification."),
    "reopened": _l("Of the cases due to close, those reopened after a dissatisfied return visit."),
    "pending": _l("Accepted, not voided cases still open at the end of the period."),
    "overdue_pending": _l("Of the cases pending at the end of the period, those past their deadline."),
    "due_to_handle": _l("Due to handle (departments): tasks not returned whose deadline falls in the period, "
                        "plus those handled in the period before a later deadline."),
    "handled_on_time": _l("Of the tasks due to handle, those handled by their deadline, before the period ended."),
    "task_extended": _l("Of the tasks due to handle, those granted an extension."),
    "task_pending": _l("Department tasks in hand at the end of the period."),
    "task_overdue": _l("Of the tasks in hand at the end of the period, those past their deadline."),
    "verifications": _l("On-site verifications made in the period (by the worker who verified)."),
    "verifications_on_time": _l("Of those verifications, the ones made by their deadline."),
    "return_visits": _l("Return visits made in the period."),
    "satisfied": _l("Return visits rated satisfied."),
    "basic": _l("Return visits rated basically satisfied."),
    "dissatisfied": _l("Return visits rated dissatisfied."),
    "working_days": _l("Working days of the period already over (working calendar), for each worker or grid; "
                       "an area adds up the days of its grids."),
    "compliant_days": _l("Of those working days, the days with at least two finished patrols."),
    "patrols": _l("Finished patrols started in the period."),
    "patrol_minutes": _l("Minutes of those patrols."),
    "visits": _l("Household visits in the period."),
}
COUNT_NAMES = tuple(COUNTS)
CASE_COUNTS = ("reported", "accepted", "due_to_close", "closed", "closed_on_time", "self_handled", "extended",
               "rework", "reopened", "pending", "overdue_pending")
TASK_COUNTS = ("due_to_handle", "handled_on_time", "task_extended", "task_pending", "task_overdue")


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object
    numerator: tuple[str, ...]  # counts added up (``basic`` is weighted)
    denominator: str | None  # None: a plain figure, not a rate
    formula: object
    higher_is_better: bool = True
    scale: float = 100.0  # rates in %; patrol hours: minutes / 60


INDICATORS: dict[str, Indicator] = {ind.key: ind for ind in (
    Indicator("reported", _l("Cases reported"), ("reported",), None, _l("reported")),
    Indicator("accepted", _l("Cases accepted"), ("accepted",), None, _l("accepted")),
    Indicator("self_handled", _l("Self-handled cases"), ("self_handled",), None, _l("self-handled")),
    Indicator("self_handled_share", _l("Self-handled share"), ("self_handled",), "closed",
              _l("self-handled / closed")),
    Indicator("closure_rate", _l("Closure rate"), ("closed",), "due_to_close", _l("closed / due to close")),
    Indicator("on_time_closure_rate", _l("On-time closure rate"), ("closed_on_time",), "due_to_close",
              _l("closed on time / due to close")),
    Indicator("overdue_pending_rate", _l("Overdue-pending rate"), ("overdue_pending",), "pending",
              _l("pending past deadline at period end / pending at period end"), higher_is_better=False),
    Indicator("extension_rate", _l("Extension rate"), ("extended",), "due_to_close",
              _l("extended / due to close"), higher_is_better=False),
    Indicator("rework_rate", _l("Rework rate"), ("rework",), "due_to_close",
              _l("sent back after failed verification / due to close"), higher_is_better=False),
    Indicator("on_time_verification_rate", _l("On-time verification rate"), ("verifications_on_time",),
              "verifications", _l("verified by the deadline / verifications")),
    Indicator("satisfaction_rate", _l("Satisfaction rate"), ("satisfied", "basic"), "return_visits",
              _l("(satisfied + weight × basically satisfied) / return visits")),
    Indicator("on_time_handling_rate", _l("On-time handling rate"), ("handled_on_time",), "due_to_handle",
              _l("handled on time / due to handle")),
    Indicator("task_overdue_rate", _l("Overdue-pending rate (tasks)"), ("task_overdue",), "task_pending",
              _l("tasks in hand past deadline / tasks in hand at period end"), higher_is_better=False),
    Indicator("task_extension_rate", _l("Extension rate (tasks)"), ("task_extended",), "due_to_handle",
              _l("tasks extended / due to handle"), higher_is_better=False),
    Indicator("patrol_compliance", _l("Patrol compliance"), ("compliant_days",), "working_days",
              _l("days with two patrols / working days")),
    Indicator("patrol_hours", _l("Patrol hours"), ("patrol_minutes",), None, _l("patrol minutes / 60"), scale=1 / 60),
    Indicator("visits", _l("Household visits"), ("visits",), None, _l("household visits")),
)}
CASE_INDICATORS = ("reported", "accepted", "self_handled", "self_handled_share", "closure_rate",
                   "on_time_closure_rate", "overdue_pending_rate", "extension_rate", "rework_rate",
                   "on_time_verification_rate", "satisfaction_rate")
FIELD_INDICATORS = ("patrol_compliance", "patrol_hours", "visits")
DEPARTMENT_INDICATORS = ("on_time_handling_rate", "task_overdue_rate", "task_extension_rate")
CATEGORY_INDICATORS = ("closure_rate", "on_time_closure_rate", "rework_rate", "extension_rate", "satisfaction_rate")


@dataclass(frozen=True)
class Value:
    """An indicator's value for one unit: ``value`` is None when the sample is too small."""

    indicator: Indicator
    value: float | None
    numerator: float
    denominator: int | None
    too_few: bool


def evaluate(key: str, counts: dict, min_sample: int = DEFAULT_MIN_SAMPLE,
             basic_weight: float = DEFAULT_BASIC_WEIGHT) -> Value:
    """The indicator ``key`` from a row of counts, honouring the minimum sample."""
    ind = INDICATORS[key]
    numerator = sum((basic_weight if name == "basic" else 1) * (counts.get(name) or 0) for name in ind.numerator)
    if ind.denominator is None:
        return Value(ind, numerator * ind.scale if ind.scale != 100.0 else numerator, numerator, None, False)
    denominator = counts.get(ind.denominator) or 0
    if denominator < max(min_sample, 1):
        return Value(ind, None, numerator, denominator, True)
    return Value(ind, 100.0 * numerator / denominator, numerator, denominator, False)


# ---- The counts as SQL, for the period [s, e). Each expression is a 0/1 per row, summed by the caller.

def _between(column, s, e):
    return sa.and_(column >= s, column < e)


def case_conditions(s, e) -> dict[str, sa.ColumnElement]:
    """The case-row predicate of each case count (see COUNTS for the words)."""
    not_void = Case.state != CaseState.VOIDED
    due = sa.and_(not_void, Case.accepted_at.is_not(None), sa.or_(
        _between(Case.due_at, s, e), sa.and_(_between(Case.closed_at, s, e), Case.due_at >= e)))
    closed = sa.and_(due, Case.closed_at < e)
    pending = sa.and_(not_void, Case.accepted_at < e, sa.or_(Case.closed_at.is_(None), Case.closed_at >= e))
    return {
        "reported": _between(Case.reported_at, s, e),
        "accepted": sa.and_(_between(Case.reported_at, s, e), Case.accepted_at.is_not(None)),
        "due_to_close": due,
        "closed": closed,
        "closed_on_time": sa.and_(closed, Case.closed_on_time.is_(True)),
        "self_handled": sa.and_(closed, Case.level == Level.SELF),
        "extended": sa.and_(due, Case.extended.is_(True)),
        "rework": sa.and_(due, Case.rework_count > 0),
        "reopened": sa.and_(due, Case.reopen_count > 0),
        "pending": pending,
        "overdue_pending": sa.and_(pending, Case.due_at < e),
    }


def task_conditions(s, e) -> dict[str, sa.ColumnElement]:
    """The task-row predicate of each department count."""
    counted = sa.and_(Case.state != CaseState.VOIDED, CaseTask.returned_at.is_(None),
                      sa.or_(CaseTask.state != TaskState.WITHDRAWN, CaseTask.handled_at.is_not(None)))
    due = sa.and_(counted, sa.or_(_between(CaseTask.due_at, s, e),
                                  sa.and_(_between(CaseTask.handled_at, s, e), CaseTask.due_at >= e)))
    granted = sa.exists().where(Extension.task_id == CaseTask.id, Extension.state == ExtensionState.GRANTED)
    pending = sa.and_(CaseTask.dispatched_at < e, CaseTask.state != TaskState.WITHDRAWN,
                      sa.or_(CaseTask.returned_at.is_(None), CaseTask.returned_at >= e),
                      sa.or_(CaseTask.handled_at.is_(None), CaseTask.handled_at >= e))
    return {
        "due_to_handle": due,
        "handled_on_time": sa.and_(due, CaseTask.on_time.is_(True), CaseTask.handled_at < e),
        "task_extended": sa.and_(due, granted),
        "task_pending": pending,
        "task_overdue": sa.and_(pending, CaseTask.due_at < e),
    }


def summed(conditions: dict[str, sa.ColumnElement]) -> list:
    """``SUM(CASE WHEN cond THEN 1 ELSE 0 END) AS name`` for each condition."""
    return [sa.func.sum(sa.case((cond, 1), else_=0)).label(name) for name, cond in conditions.items()]
