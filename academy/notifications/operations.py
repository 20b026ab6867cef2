"""Every change of the notifications: ``notify`` (the one way an event becomes messages), reading
them, and the choices of people and the admin. Each flushes and never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from academy import audit
from academy.database import city_zone, utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.jobs import enqueue_job
from academy.notifications import queries
from academy.notifications.channels import CHANNELS
from academy.notifications.kinds import KINDS, Kind
from academy.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    InboxMessage,
    Preference,
    RoleDefault,
    Urgency,
)

BATCH = 200  # deliveries per job
PENDING_KEY = "academy.notifications_to_queue"


class NotificationError(DomainError):
    """A refused change of preferences or defaults."""


def chosen_channels(user, kind: Kind, reach: queries.Reach | None = None) -> list[Channel]:
    """The person's choice for ``kind``, else his roles' defaults, else the kind's; the inbox always."""
    reach = reach or queries.reach_of([user.id])
    preference = reach.preference(user)
    if preference is not None and kind.key in (preference.channels or {}):
        names = set(preference.channels[kind.key])
    else:
        defaults = reach.role_defaults(user.roles, kind.key)
        names = set().union(*defaults) if defaults else {channel.value for channel in kind.channels}
    channels = [channel for channel in Channel if channel.value in names or channel == Channel.INBOX]
    if kind.urgency == Urgency.URGENT and channels == [Channel.INBOX]:
        channels = [Channel.INBOX, *[c for c in kind.channels if c != Channel.INBOX]]
    return channels


def quiet_until(user, now: datetime, preference: Preference | None) -> datetime | None:
    """The end of ``user``'s quiet hours (``preference``) if ``now`` lies in them, else None."""
    if preference is None or preference.quiet_from is None or preference.quiet_to is None:
        return None
    local = now.astimezone(ZoneInfo(user.timezone) if user.timezone else city_zone())
    start, end, hour = preference.quiet_from, preference.quiet_to, local.hour
    inside = (start <= hour < end) if start < end else (hour >= start or hour < end)
    if not inside or start == end:
        return None
    until = local.replace(hour=end, minute=0, second=0, microsecond=0)
    return until if until > local else until + timedelta(days=1)


def in_digest(kind: Kind, preference: Preference | None) -> bool:
    """Whether ``kind`` waits for the person's daily digest on the channels besides the inbox: he asked
    for one, and the kind is not urgent (an urgent message never waits)."""
    return kind.urgency != Urgency.URGENT and preference is not None and preference.digest_hour is not None


def link_to(endpoint: str, **values) -> str:
    """The path of a page, inside a request or not (a job, the CLI): a message's link."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def render(kind: Kind, context: dict, locale: str) -> tuple[str, str]:
    """The title and body of ``kind`` in ``locale``. ``force_locale`` reloads the catalogue each
    time, so it is used only when the recipient's language is not the one in force."""
    if locale == str(get_locale()):
        return kind.title(context), kind.body(context)
    with force_locale(locale):
        return kind.title(context), kind.body(context)


def notify(kind_key: str, recipients, context: dict, *, key: str, link: str = "") -> list[InboxMessage]:
    """Turn one event into a message for each of ``recipients`` (users) in his language, and queue
    its deliveries. ``key`` names the event: the same key twice reaches each person once. Flushes."""
    return notify_each(kind_key, [Event(user, context, key, link) for user in recipients])


@dataclass(frozen=True)
class Event:
    """One person's message of a batch: to whom, the words' context, the event's key, the link."""

    user: object
    context: dict
    key: str
    link: str = ""


def notify_each(kind_key: str, events: list[Event]) -> list[InboxMessage]:
    """``notify`` for many events of one kind at once (a rule assigning a course to thousands): each
    (key, person) once, as ``notify`` would, with a few queries for the whole batch. Flushes."""
    kind, now = KINDS[kind_key], utcnow()
    wanted = {(event.key[:200], event.user.id): event for event in events if event.user is not None and event.user.active}
    known = queries.existing_pairs(sorted({key for key, _uid in wanted})) if wanted else set()
    wanted = {pair: event for pair, event in wanted.items() if pair not in known}
    reach = queries.reach_of(sorted({uid for _key, uid in wanted})) if wanted else queries.Reach()
    words: dict[tuple, tuple[str, str]] = {}  # the same title and body for everyone who reads them alike
    made = []
    with db.session.no_autoflush:  # the reads below need none of the rows being added: one flush at the end
        for event in wanted.values():
            locale = event.user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
            said = (locale, tuple(sorted(event.context.items())))
            if said not in words:
                words[said] = render(kind, event.context, locale)
            title, body = words[said]
            made.append(InboxMessage(user_id=event.user.id, kind=kind.key, urgency=kind.urgency, event_key=event.key[:200],
                                     title=title[:200], body=body[:1000], link=event.link[:500]))
    db.session.add_all(made)
    db.session.flush()
    rows = [row for message, event in zip(made, wanted.values(), strict=True)
            for row in _deliveries(kind, message, event.user, reach, now)]
    queue_deliveries(_write_deliveries(rows))
    return made


def _deliveries(kind: Kind, message: InboxMessage, user, reach, now: datetime) -> list[dict]:
    """The rows of one person's deliveries of ``message``, on his channels, as ``Delivery`` columns."""
    later = None if kind.urgency == Urgency.URGENT else quiet_until(user, now, reach.preference(user))
    digested = in_digest(kind, reach.preference(user))
    rows = []
    for channel in chosen_channels(user, kind, reach):
        if digested and channel != Channel.INBOX:
            continue  # the day's digest carries it (``academy.notifications.digest``)
        address = CHANNELS[channel].address(user, reach)
        if not address:
            continue
        inbox = channel == Channel.INBOX
        rows.append({"notification_id": message.id, "event_key": message.event_key, "user_id": user.id,
                     "channel": channel, "address": address[:200], "next_try_at": later, "created_at": now,
                     "status": DeliveryStatus.SENT if inbox else DeliveryStatus.QUEUED,
                     "sent_at": now if inbox else None, "attempts": 1 if inbox else 0})
    return rows


def _write_deliveries(rows: list[dict]) -> list[int]:
    """Write the rows (a statement for those in the inbox already, one returning the keys of those to
    send); the ids of the deliveries to send now."""
    sent = [row for row in rows if row["status"] == DeliveryStatus.SENT]
    waiting = [row for row in rows if row["status"] != DeliveryStatus.SENT]
    if sent:
        db.session.execute(sa.insert(Delivery), sent)
    if not waiting:
        return []
    ids = db.session.scalars(sa.insert(Delivery).returning(Delivery.id, sort_by_parameter_order=True), waiting).all()
    return [delivery_id for delivery_id, row in zip(ids, waiting, strict=True) if row["next_try_at"] is None]


def queue_deliveries(ids: list[int]) -> None:
    """Hand deliveries to background jobs, ``BATCH`` a job: full batches at once, the rest when the
    transaction commits (``enqueue_pending``), so a daily pass over 3,500 people makes 18 jobs, not 3,500."""
    pending = db.session.info.setdefault(PENDING_KEY, [])
    pending.extend(ids)
    while len(pending) >= BATCH:
        enqueue_job("notifications.deliver", {"ids": pending[:BATCH]})
        del pending[:BATCH]


def enqueue_pending(session) -> None:
    """before_commit: the deliveries not yet in a job get one (it starts once the commit is done)."""
    pending = session.info.pop(PENDING_KEY, [])
    if pending:
        enqueue_job("notifications.deliver", {"ids": pending})


def forget_pending(session, previous_transaction) -> None:
    """after_soft_rollback: the deliveries of a rolled-back transaction were never written."""
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(PENDING_KEY, None)


def mark_read(notification: InboxMessage) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    """Mark every unread message of ``user`` read; how many were. Flushes."""
    count = db.session.execute(sa.update(InboxMessage).where(
        InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None)).values(read_at=utcnow())).rowcount
    db.session.flush()
    return count


def save_preferences(user, *, email: str, channels: dict[str, list[str]], quiet_from, quiet_to,
                     digest_hour: int | None = None, wecom_user_id: str = "", dingtalk_user_id: str = "") -> Preference:
    """A person's own choices. Urgent kinds keep one channel besides the inbox; the kinds ``channels``
    leaves out (not offered to him) keep what was saved for them. Flushes."""
    for kind_key, names in channels.items():
        kind = KINDS[kind_key]
        if kind.urgency == Urgency.URGENT and not set(names) - {Channel.INBOX.value}:
            raise NotificationError(_urgent_message(kind))
    if (quiet_from is None) != (quiet_to is None):
        raise NotificationError(_quiet_message())
    preference = queries.preference_of(user) or Preference(user_id=user.id)
    preference.email, preference.channels = email, {**(preference.channels or {}), **channels}
    preference.quiet_from, preference.quiet_to = quiet_from, quiet_to
    preference.digest_hour = digest_hour
    preference.wecom_user_id, preference.dingtalk_user_id = wecom_user_id, dingtalk_user_id
    db.session.add(preference)
    db.session.flush()
    return preference


def save_role_default(role: str, kind_key: str, channels: list[str], by) -> RoleDefault:
    """The admin sets the default channels of a kind for a role. Flushes and audits."""
    kind = KINDS[kind_key]
    if kind.urgency == Urgency.URGENT and not set(channels) - {Channel.INBOX.value}:
        raise NotificationError(_urgent_message(kind))
    row = queries.role_default(role, kind_key) or RoleDefault(role=role, kind=kind_key)
    before = list(row.channels or [])
    row.channels = sorted(set(channels) | {Channel.INBOX.value})
    db.session.add(row)
    db.session.flush()
    db.session.info.pop(queries.DEFAULTS_KEY, None)
    audit.record(by, "notification_default.save", row, summary=f"{role} {kind_key}",
                 before={"channels": before}, after={"channels": row.channels})
    return row


def _urgent_message(kind: Kind) -> str:
    return _("%(kind)s is urgent: keep at least one channel besides the inbox.", kind=kind.label)


def _quiet_message() -> str:
    return _("Give both the start and the end of the quiet hours, or neither.")
