"""The inbox message, its deliveries per channel, and who wants what where."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db


class Urgency(enum.StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"  # ignores quiet hours; cannot be switched off entirely


class Channel(enum.StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    SMS = "sms"
    WECOM = "wecom"
    DINGTALK = "dingtalk"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class InboxMessage(db.Model):
    """One message to one person, in his language, in his inbox whatever else carries it."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.UniqueConstraint("event_key", "user_id"),
        sa.Index("ix_notifications_user_read", "user_id", "read_at", "id"),  # the unread, newest first; the count
        sa.Index("ix_notifications_user_newest", "user_id", "id"),  # all of them, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    urgency: Mapped[Urgency] = mapped_column(value_enum(Urgency))
    event_key: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.String(1000), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    deliveries: Mapped[list[Delivery]] = relationship(back_populates="notification")
    user = relationship("User")


class Delivery(db.Model):
    """One channel's attempt(s) to carry one notification; unique per event, person and channel."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (sa.UniqueConstraint("event_key", "user_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(sa.ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    event_key: Mapped[str] = mapped_column(sa.String(200))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(value_enum(Channel))
    status: Mapped[DeliveryStatus] = mapped_column(value_enum(DeliveryStatus), default=DeliveryStatus.QUEUED, index=True)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    resent: Mapped[bool] = mapped_column(default=False)  # taken up once after a crash mid-send
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a daily digest's own words (its notification is the day's latest item); None: the notification's
    digest_title: Mapped[str | None] = mapped_column(sa.String(200))
    digest_body: Mapped[str | None] = mapped_column(sa.Text)

    notification: Mapped[InboxMessage] = relationship(back_populates="deliveries")


class Preference(db.Model):
    """A person's choices: channels per kind (absent kind: the role's default), quiet hours, e-mail."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(200), default="")
    channels: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # kind -> [channel, ...]
    quiet_from: Mapped[int | None] = mapped_column()  # hour 0-23 in the person's zone
    quiet_to: Mapped[int | None] = mapped_column()
    digest_hour: Mapped[int | None] = mapped_column()  # None: at once; else one daily digest at this hour
    wecom_user_id: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")  # WeCom work notices (not the robot)
    dingtalk_user_id: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")  # DingTalk work notices


class RoleDefault(db.Model):
    """The admin's default channels of one kind for holders of one role."""

    __tablename__ = "notification_role_defaults"
    __table_args__ = (sa.UniqueConstraint("role", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(60))
    channels: Mapped[list] = mapped_column(sa.JSON, default=list)
