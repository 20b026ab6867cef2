"""A case, its handling tasks, its timeline and what closes the loop (verification, return visit).

Every step keeps its own timestamp and, where a deadline applies, the deadline and whether it
was met, so that indicators can be computed from rows without replaying the timeline.
"""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.cases.models.category import Category
from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db
from academy.registry.models import Department, Grid


class CaseState(enum.StrEnum):
    DRAFT = "draft"
    REPORTED = "reported"
    ACCEPTED = "accepted"
    DISPATCHED = "dispatched"
    SIGNED = "signed"  # every handling unit signed for it
    HANDLING = "handling"
    HANDLED = "handled"
    VERIFYING = "verifying"
    CLOSED = "closed"
    VISITED = "visited"  # return visit done, satisfaction recorded
    SUSPENDED = "suspended"
    VOID_PENDING = "void_pending"
    VOIDED = "voided"


OPEN_STATES = (
    CaseState.REPORTED, CaseState.ACCEPTED, CaseState.DISPATCHED, CaseState.SIGNED, CaseState.HANDLING,
    CaseState.HANDLED, CaseState.VERIFYING, CaseState.SUSPENDED, CaseState.VOID_PENDING,
)


class Level(enum.StrEnum):
    SELF = "self"  # 自办自结 by the grid worker
    COMMUNITY = "community"
    STREET = "street"
    DEPARTMENT = "department"  # 吹哨报到


class Channel(enum.StrEnum):
    WORKER = "worker"  # a grid worker on patrol or a visit
    HOTLINE = "hotline"  # 12345 / 8890, entered by an operator
    OPEN311 = "open311"  # a civic app


class TaskState(enum.StrEnum):
    DISPATCHED = "dispatched"
    SIGNED = "signed"
    HANDLING = "handling"
    HANDLED = "handled"
    RETURNED = "returned"  # "not ours", with a reason
    WITHDRAWN = "withdrawn"  # the case was voided or reopened


class Satisfaction(enum.StrEnum):
    SATISFIED = "satisfied"
    BASIC = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


class ExtensionState(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"


class Case(db.Model):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)  # stops double submits
    title: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("case_categories.id"), index=True)
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    level: Mapped[Level | None] = mapped_column(value_enum(Level))
    state: Mapped[CaseState] = mapped_column(value_enum(CaseState), index=True)
    resume_state: Mapped[CaseState | None] = mapped_column(value_enum(CaseState))  # after suspension / void refusal
    # The grid the case happened in, kept even if the grid later ends or is split.
    grid_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grids.id"), index=True)
    area_code: Mapped[str] = mapped_column(sa.String(15), index=True)  # grid code, or the area's for hotline cases
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reporter_worker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    patrol_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_patrols.id"), index=True)
    resident_name: Mapped[str] = mapped_column(sa.String(50), default="")
    resident_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    resident_email: Mapped[str] = mapped_column(sa.String(120), default="")
    # Milestones.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The deadline to close (from acceptance, on the category's clock) and whether it was met.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_on_time: Mapped[bool | None] = mapped_column()
    # The current stage's clock, precomputed so lists can filter and count lights in SQL.
    stage_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stage_yellow_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    stage_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    stage_red_card_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Counts.
    rework_count: Mapped[int] = mapped_column(default=0)
    reopen_count: Mapped[int] = mapped_column(default=0)
    return_count: Mapped[int] = mapped_column(default=0)
    report_count: Mapped[int] = mapped_column(default=1)  # how many reports were linked to it
    extended: Mapped[bool] = mapped_column(default=False)
    supervised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervision_note: Mapped[str] = mapped_column(sa.String(500), default="")
    satisfaction: Mapped[Satisfaction | None] = mapped_column(value_enum(Satisfaction, 30))
    attributes: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))  # Open311 attribute[code] answers

    category: Mapped[Category] = relationship()
    grid: Mapped[Grid | None] = relationship()
    tasks: Mapped[list[CaseTask]] = relationship(back_populates="case", order_by="CaseTask.id")
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id")
    photos: Mapped[list[CasePhoto]] = relationship(back_populates="case", order_by="CasePhoto.id")

    @property
    def active_tasks(self) -> list[CaseTask]:
        return [task for task in self.tasks if task.state not in (TaskState.RETURNED, TaskState.WITHDRAWN)]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def __repr__(self) -> str:
        return f"<Case {self.number} {self.state}>"


class CaseTask(db.Model):
    """One handling unit's share of a case: the worker, a community, a street or a department."""

    __tablename__ = "case_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    level: Mapped[Level] = mapped_column(value_enum(Level))
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    area_code: Mapped[str] = mapped_column(sa.String(15), default="", index=True)  # the community/street handling it
    handler_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)  # self-handling
    state: Mapped[TaskState] = mapped_column(value_enum(TaskState), index=True)
    instruction: Mapped[str] = mapped_column(sa.String(1000), default="")
    dispatched_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_time: Mapped[bool | None] = mapped_column()  # handled by its deadline (first time)
    result: Mapped[str] = mapped_column(sa.Text, default="")
    return_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rework_count: Mapped[int] = mapped_column(default=0)

    case: Mapped[Case] = relationship(back_populates="tasks")
    department: Mapped[Department | None] = relationship()


class CaseEvent(db.Model):
    """One step of the timeline: who, when, which action, from which state to which, and why."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_tasks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(80), default="system")
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    from_state: Mapped[str | None] = mapped_column(sa.String(20))
    to_state: Mapped[str | None] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
    light: Mapped[str | None] = mapped_column(sa.String(10))  # the case's light when this happened

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(viewonly=True)  # shown by name and role on the timeline


class CasePhoto(db.Model):
    __tablename__ = "case_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(20))
    size: Mapped[int] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="photos")


class Extension(db.Model):
    """A handling unit's request for more time, and the dispatcher's decision."""

    __tablename__ = "case_extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("case_tasks.id"), index=True)
    amount: Mapped[int] = mapped_column()  # in the category clock's unit
    reason: Mapped[str] = mapped_column(sa.String(500))
    state: Mapped[ExtensionState] = mapped_column(value_enum(ExtensionState), default=ExtensionState.REQUESTED)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    old_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    task: Mapped[CaseTask] = relationship()


class Verification(db.Model):
    """An on-site check before closing (核查结案): pass, or fail with a reason (rework)."""

    __tablename__ = "case_verifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(sa.ForeignKey("workers.id"), index=True)  # when a worker verified
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_time: Mapped[bool] = mapped_column(default=True)
    passed: Mapped[bool] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(500), default="")


class ReturnVisit(db.Model):
    """The return visit (回访) and the resident's satisfaction (满意度评价)."""

    __tablename__ = "case_return_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    satisfaction: Mapped[Satisfaction] = mapped_column(value_enum(Satisfaction, 30))
    comment: Mapped[str] = mapped_column(sa.String(500), default="")
    reopened: Mapped[bool] = mapped_column(default=False)


class Notification(db.Model):
    """A message to a handler (supervision, dispatch), shown on the handler's own list."""

    __tablename__ = "case_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
