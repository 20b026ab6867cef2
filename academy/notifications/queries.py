"""Reads of the notifications: a person's addresses and choices, his inbox, the deliveries list."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import g, url_for
from sqlalchemy import orm

from academy.accounts.models import RoleGrant, User
from academy.contributions import Tally
from academy.extensions import db
from academy.notifications.kinds import Kind, kinds_for
from academy.notifications.models import Delivery, DeliveryStatus, InboxMessage, Preference, RoleDefault
from academy.registry.models import Worker


def preference_of(user) -> Preference | None:
    return db.session.get(Preference, user.id)


@dataclass
class Reach:
    """What ``notify`` needs to know of its recipients, read in three queries for all of them (not
    five per person): their choices, their phones and the admin's role defaults."""

    preferences: dict[int, Preference] = field(default_factory=dict)
    phones: dict[int, str] = field(default_factory=dict)
    defaults: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def preference(self, user) -> Preference | None:
        return self.preferences.get(user.id)

    def phone(self, user) -> str:
        return self.phones.get(user.id, "")

    def email(self, user) -> str:
        preference = self.preference(user)
        return preference.email if preference is not None and preference.email else ""

    def role_defaults(self, roles, kind: str) -> list[list[str]]:
        return [self.defaults[(str(role), kind)] for role in sorted(roles) if (str(role), kind) in self.defaults]


def reach_of(user_ids: list[int]) -> Reach:
    """The ``Reach`` of these people: one query a 500 of them, and the role defaults once a transaction."""
    reach = Reach(defaults=_role_defaults_of_transaction())
    for first in range(0, len(user_ids), 500):
        rows = db.session.execute(
            sa.select(User.id, Preference, Worker.phone).select_from(User)
            .outerjoin(Preference, Preference.user_id == User.id).outerjoin(Worker, Worker.user_id == User.id)
            .where(User.id.in_(user_ids[first:first + 500])))
        for uid, preference, phone in rows:
            if preference is not None:
                reach.preferences[uid] = preference
            if phone and uid not in reach.phones:
                reach.phones[uid] = phone
    return reach


DEFAULTS_KEY = "academy.notification_role_defaults"


def _role_defaults_of_transaction() -> dict[tuple[str, str], list[str]]:
    """``all_role_defaults``, read once in a transaction (a daily pass calls ``notify`` per person);
    ``operations.save_role_default`` forgets it."""
    transaction = db.session().get_transaction()
    kept = db.session.info.get(DEFAULTS_KEY)
    if kept is None or kept[0] is not transaction:
        kept = (transaction, all_role_defaults())
        db.session.info[DEFAULTS_KEY] = kept
    return kept[1]


def role_default(role: str, kind: str) -> RoleDefault | None:
    return db.session.scalar(sa.select(RoleDefault).where(RoleDefault.role == role, RoleDefault.kind == kind))


def all_role_defaults() -> dict[tuple[str, str], list[str]]:
    return {(row.role, row.kind): row.channels for row in db.session.scalars(sa.select(RoleDefault))}


def users_with_role_in(role: str, area_codes: list[str]) -> list:
    """Holders of ``role`` whose grant covers exactly one of ``area_codes`` (a street's, a district's leaders)."""
    return list(db.session.scalars(sa.select(RoleGrant.user_id).where(
        RoleGrant.role == role, RoleGrant.area_code.in_(area_codes)).distinct()))


def users_covering(role: str, area_code: str) -> list:
    """Active holders of ``role`` whose grant covers ``area_code`` (city-wide, or an area containing it),
    as ``permissions.in_scope`` decides: HR of a worker's district, street or community."""
    prefixes = [area_code[:n] for n in range(1, len(area_code) + 1)]
    ids = sa.select(RoleGrant.user_id).where(
        RoleGrant.role == role, sa.or_(RoleGrant.area_code.is_(None), RoleGrant.area_code.in_(prefixes)))
    return list(db.session.scalars(sa.select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.id)))


def unread_count(user) -> int:
    return db.session.scalar(sa.select(sa.func.count(InboxMessage.id)).where(
        InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None))) or 0


def unread_once(user) -> int:
    """``unread_count`` counted once a request: the bell, the navigation badge and the page share it."""
    kept = g.setdefault("inbox_unread", {})
    if user.id not in kept:
        kept[user.id] = unread_count(user)
    return kept[user.id]


def unread_tally(user) -> Tally:
    """The shell's badge and the workbench count: unread messages in the inbox."""
    return Tally(unread_once(user), url_for("notifications.inbox", show="unread"))


def inbox_query(user, *, unread_only: bool):
    """``user``'s messages, newest first (for ``paginate``)."""
    query = sa.select(InboxMessage).where(InboxMessage.user_id == user.id)
    if unread_only:
        query = query.where(InboxMessage.read_at.is_(None))
    return query.order_by(InboxMessage.id.desc())


def notification_of(user, notification_id: int) -> InboxMessage | None:
    return db.session.scalar(sa.select(InboxMessage).where(
        InboxMessage.id == notification_id, InboxMessage.user_id == user.id))


def existing_recipients(event_key: str, user_ids: list[int]) -> set[int]:
    return set(db.session.scalars(sa.select(InboxMessage.user_id).where(
        InboxMessage.event_key == event_key, InboxMessage.user_id.in_(user_ids))))


def existing_pairs(event_keys: list[str]) -> set[tuple[str, int]]:
    """The (event key, person) pairs already in an inbox among ``event_keys`` (a batch's ``notify_each``)."""
    found = set()
    for first in range(0, len(event_keys), 500):
        found.update((key, uid) for key, uid in db.session.execute(sa.select(InboxMessage.event_key, InboxMessage.user_id).where(
            InboxMessage.event_key.in_(event_keys[first:first + 500]))))
    return found


def deliveries_query(*, status: str = "", channel: str = "", kind: str = ""):
    """The admin's list, newest first, filtered by status, channel and kind (for ``paginate``)."""
    query = sa.select(Delivery).join(Delivery.notification).options(
        orm.contains_eager(Delivery.notification).joinedload(InboxMessage.user))
    if status:
        query = query.where(Delivery.status == status)
    if channel:
        query = query.where(Delivery.channel == channel)
    if kind:
        query = query.where(InboxMessage.kind == kind)
    return query.order_by(Delivery.id.desc())


def due_delivery_ids(now: datetime) -> list[int]:
    """Queued deliveries whose time has come (retries, the end of quiet hours)."""
    return list(db.session.scalars(sa.select(Delivery.id).where(
        Delivery.status == DeliveryStatus.QUEUED, Delivery.next_try_at.is_not(None), Delivery.next_try_at <= now)))


def stale_sending(before: datetime) -> list[Delivery]:
    return list(db.session.scalars(sa.select(Delivery).where(
        Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < before)))


def offered_kinds(user) -> list[Kind]:
    """The kinds ``user`` may receive, by his roles and whether he has a worker record: the preferences
    page offers only these (the admin all of them)."""
    is_worker = bool(db.session.scalar(sa.select(sa.exists().where(Worker.user_id == user.id))))
    return kinds_for(user.roles, is_worker)
