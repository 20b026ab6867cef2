"""Users, their role grants and the failed log-ins that throttle guessing."""
from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, city_zone, utcnow, value_enum
from academy.extensions import db
from academy.permissions import Role


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session cookie's user id: changing it ends every session of this user.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(sa.String(10))
    timezone: Mapped[str] = mapped_column(sa.String(40), default=lambda: city_zone().key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", lazy="selectin", cascade="all, delete-orphan",
        foreign_keys="RoleGrant.user_id", order_by="RoleGrant.id",
    )

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.grants}

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(db.Model):
    """A role held by a user, in the whole city (no area) or in one area and everything below."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(value_enum(Role))
    area_code: Mapped[str | None] = mapped_column(sa.String(15))
    area_label: Mapped[str] = mapped_column(sa.String(200), default="")
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])


class LoginFailure(db.Model):
    """One failed log-in; counted per account and per address over a sliding window."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
