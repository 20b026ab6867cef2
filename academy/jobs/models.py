"""The job row: kind, parameters, status, result. A job's files live in a folder named after it."""
from __future__ import annotations

import enum
import uuid
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from academy.database import UTCDateTime, utcnow
from academy.extensions import db


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(sa.Enum(JobStatus, native_enum=False, length=20), default=JobStatus.QUEUED)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    result: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    result_name: Mapped[str | None] = mapped_column(sa.String(200))
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def refused(self) -> bool:
        """The job ran to its end and refused its input (an import with problems wrote nothing)."""
        return self.status == JobStatus.DONE and isinstance(self.result, dict) and self.result.get("ok") is False

    def result_path(self) -> Path | None:
        if not self.result_name:
            return None
        return job_folder(self.id) / self.result_name


def job_folder(job_id: str) -> Path:
    return Path(current_app.config["FILES_DIR"]) / "jobs" / job_id
