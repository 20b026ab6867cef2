"""The case module's tables, one module per concern, re-exported here.

What the indicators can count straight from rows (no timeline replay needed):
- ``Case``: ``reported_at`` (reported), ``accepted_at`` (立案), ``level == "self"`` (自办自结),
  ``due_at`` (deadline to close, on the category's clock, moved by extensions and suspensions),
  ``closed_at`` and ``closed_on_time``, ``rework_count``, ``reopen_count``, ``return_count``,
  ``extended``, ``supervised_at``, ``satisfaction`` (latest), ``reporter_worker_id``, ``grid_id`` (the grid
  it had, kept after splits), ``category_id``.
- ``CaseTask``: one per handling unit (a department when whistled), with ``dispatched_at``, ``due_at``,
  ``handled_at``, ``on_time`` (first finish by its deadline), ``rework_count``, ``state`` (returned...).
- ``Verification``: who verified (``by_id``, ``worker_id``), ``at``, ``due_at``, ``on_time``, ``passed``.
- ``ReturnVisit``: ``at``, ``satisfaction``, ``reopened``; ``Extension``: requested/granted per task.
- ``CaseEvent``: every step (actor, from, to, note, time, light at that moment).
- ``Patrol`` (``started_at``, ``ended_at``, ``minutes``) and ``Visit`` (``visited_at``, ``purpose``).
"""
from academy.cases.models.calendar import Holiday, WorkCalendar  # noqa: F401
from academy.cases.models.case import (  # noqa: F401
    OPEN_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    CaseState,
    CaseTask,
    Channel,
    Extension,
    ExtensionState,
    Level,
    Notification,
    ReturnVisit,
    Satisfaction,
    TaskState,
    Verification,
)
from academy.cases.models.category import Category, ClockKind  # noqa: F401
from academy.cases.models.fieldwork import Patrol, Visit, VisitPurpose  # noqa: F401
from academy.cases.models.open311 import CaseMedia, CategoryField, FieldType, MediaState  # noqa: F401
from academy.cases.models.people import ApiClient, DepartmentMember  # noqa: F401
