"""The indicator tables: period snapshots of counts, assessment schemes (versioned) and results.

Snapshots keep counts, never rates: rates are ratios of counts computed when shown (see
``definitions``), so a minimum sample or a changed weight never needs a recomputation.
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow
from academy.extensions import db
from academy.indicators.definitions import COUNT_NAMES

UNIT_KINDS = ("worker", "grid", "area", "department")


class SnapshotPeriod(db.Model):
    """A period whose snapshots exist: when they were computed, and with which scheme version."""

    __tablename__ = "indicator_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(sa.String(24), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    first_day: Mapped[date] = mapped_column(sa.Date)
    end_day: Mapped[date] = mapped_column(sa.Date)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the raw rows' moment it reflects
    scheme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessment_schemes.id"))
    seconds: Mapped[float] = mapped_column(sa.Float, default=0.0)

    scheme: Mapped[AssessmentScheme | None] = relationship()


class IndicatorSnapshot(db.Model):
    """The counts of one unit (worker, grid, area, department) in one period, for one top-level
    category or (``category`` = "") for all of them."""

    __tablename__ = "indicator_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(sa.String(24))
    unit_kind: Mapped[str] = mapped_column(sa.String(12))
    unit_key: Mapped[str] = mapped_column(sa.String(20))  # worker/department id, grid/area code
    area_code: Mapped[str] = mapped_column(sa.String(15))  # where the unit sits, for scopes
    category: Mapped[str] = mapped_column(sa.String(20), default="")
    # One integer per count of ``definitions.COUNTS`` (a test keeps the two lists equal).
    reported: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    due_to_close: Mapped[int] = mapped_column(default=0)
    closed: Mapped[int] = mapped_column(default=0)
    closed_on_time: Mapped[int] = mapped_column(default=0)
    self_handled: Mapped[int] = mapped_column(default=0)
    extended: Mapped[int] = mapped_column(default=0)
    rework: Mapped[int] = mapped_column(default=0)
    reopened: Mapped[int] = mapped_column(default=0)
    pending: Mapped[int] = mapped_column(default=0)
    overdue_pending: Mapped[int] = mapped_column(default=0)
    due_to_handle: Mapped[int] = mapped_column(default=0)
    handled_on_time: Mapped[int] = mapped_column(default=0)
    task_extended: Mapped[int] = mapped_column(default=0)
    task_pending: Mapped[int] = mapped_column(default=0)
    task_overdue: Mapped[int] = mapped_column(default=0)
    verifications: Mapped[int] = mapped_column(default=0)
    verifications_on_time: Mapped[int] = mapped_column(default=0)
    return_visits: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)
    basic: Mapped[int] = mapped_column(default=0)
    dissatisfied: Mapped[int] = mapped_column(default=0)
    working_days: Mapped[int] = mapped_column(default=0)
    compliant_days: Mapped[int] = mapped_column(default=0)
    patrols: Mapped[int] = mapped_column(default=0)
    patrol_minutes: Mapped[int] = mapped_column(default=0)
    visits: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        sa.UniqueConstraint("period_key", "unit_kind", "unit_key", "category"),
        sa.Index("ix_indicator_snapshots_scope", "period_key", "unit_kind", "area_code"),
    )

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_NAMES}


class AssessmentScheme(db.Model):
    """One version of an assessment scheme. Versions are never edited: a change is a new row,
    and a period's results keep the version they were computed with."""

    __tablename__ = "assessment_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    version: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # [{"indicator": key, "weight": int, "target": float, "bands": [[achieved %, share of weight %], ...]}]
    items: Mapped[list] = mapped_column(sa.JSON, default=list)
    deduction_per_overdue: Mapped[float] = mapped_column(sa.Float, default=0.0)
    deduction_per_dissatisfied: Mapped[float] = mapped_column(sa.Float, default=0.0)
    excellent_top_n: Mapped[int | None] = mapped_column()
    excellent_min_score: Mapped[float | None] = mapped_column(sa.Float)
    min_sample: Mapped[int] = mapped_column(default=5)  # cases due to close for a place on the star lists
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (sa.UniqueConstraint("name", "version"),)


class AssessmentResult(db.Model):
    """The score of a worker or a grid in a period, with the scheme version that produced it."""

    __tablename__ = "assessment_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(sa.String(24))
    scheme_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_schemes.id"), index=True)
    unit_kind: Mapped[str] = mapped_column(sa.String(12))
    unit_key: Mapped[str] = mapped_column(sa.String(20))
    area_code: Mapped[str] = mapped_column(sa.String(15))
    score: Mapped[float | None] = mapped_column(sa.Float)  # None: too few measurable indicators
    base_score: Mapped[float | None] = mapped_column(sa.Float)
    deductions: Mapped[float] = mapped_column(sa.Float, default=0.0)
    sample: Mapped[int] = mapped_column(default=0)  # cases due to close

    scheme: Mapped[AssessmentScheme] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("period_key", "unit_kind", "unit_key"),
        sa.Index("ix_assessment_results_scope", "period_key", "unit_kind", "area_code"),
    )
