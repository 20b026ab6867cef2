"""Patrols (一日双巡) and household visits (入户走访), the records that patrol compliance counts."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db
from academy.registry.models import Grid, Worker


class VisitPurpose(enum.StrEnum):
    ROUTINE = "routine"
    INFORMATION = "information"  # base information collection
    CARE = "care"  # elderly, disabled, families in need
    DISPUTE = "dispute"
    POLICY = "policy"
    FOLLOW_UP = "follow_up"


class Patrol(db.Model):
    __tablename__ = "case_patrols"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    grid_id: Mapped[int] = mapped_column(sa.ForeignKey("grids.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(default=0)  # set when the patrol ends
    note: Mapped[str] = mapped_column(sa.String(500), default="")

    worker: Mapped[Worker] = relationship()
    grid: Mapped[Grid] = relationship()


class Visit(db.Model):
    __tablename__ = "case_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    grid_id: Mapped[int] = mapped_column(sa.ForeignKey("grids.id"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    household: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[VisitPurpose] = mapped_column(value_enum(VisitPurpose))
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    worker: Mapped[Worker] = relationship()
    grid: Mapped[Grid] = relationship()
