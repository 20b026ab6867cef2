"""One-time codes (activation letters, SMS resets) and the outbox of the embedded SMS provider."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow, value_enum
from academy.errors import DomainError
from academy.extensions import db
from academy.registry.models import Worker


class ActivationError(DomainError):
    """A code, a worker number or a password was refused; the message is for the user."""


class CodePurpose(enum.StrEnum):
    ACTIVATION = "activation"  # printed on a letter: first sign-in, or HR's reset
    RESET = "reset"  # sent by SMS: the worker's own reset


class AccessCode(db.Model):
    """A one-time code for one worker, kept only as a keyed hash (``codes.code_hash``).

    Live while neither used nor revoked and before it expires; issuing a new code of a purpose
    revokes the worker's live ones of that purpose."""

    __tablename__ = "access_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    purpose: Mapped[CodePurpose] = mapped_column(value_enum(CodePurpose))
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    worker: Mapped[Worker] = relationship()

    def is_live(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at


class SmsMessage(db.Model):
    """A text the embedded ("outbox") SMS provider would have sent: the demo and the tests read it here.

    It holds the code in clear, as a phone would: only the embedded default writes here."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(sa.String(20), index=True)
    text: Mapped[str] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
