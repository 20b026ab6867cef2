"""Every change of the notifications: ``notify`` (the one way an event becomes messages), reading
them, and the choices of people and the admin. Each flushes and never commits."""
from __future__ import annotations

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
    kind, now = KINDS[kind_key], utcnow()
    people = {user.id: user for user in recipients if user is not None and user.active}
    known = queries.existing_recipients(key, list(people)) if people else set()
    people = {uid: user for uid, user in people.items() if uid not in known}
    reach = queries.reach_of(list(people)) if people else queries.Reach()
    words: dict[str, tuple[str, str]] = {}  # locale -> title and body: the same for everyone who reads it
    made, to_send = [], []
    with db.session.no_autoflush:  # the reads below need none of the rows being added: one flush at the end
        for user in people.values():
            locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
            if locale not in words:
                words[locale] = render(kind, context, locale)
            title, body = words[locale]
            notification = InboxMessage(user_id=user.id, kind=kind.key, urgency=kind.urgency, event_key=key[:200],
                                        title=title[:200], body=body[:1000], link=link[:500])
            db.session.add(notification)
            later = None if kind.urgency == Urgency.URGENT else quiet_until(user, now, reach.preference(user))
            digested = in_digest(kind, reach.preference(user))
            for channel in chosen_channels(user, kind, reach):
                if digested and channel != Channel.INBOX:
                    continue  # the day's digest carries it (``academy.notifications.digest``)
                address = CHANNELS[channel].address(user, reach)
                if not address:
                    continue
                delivery = Delivery(notification=notification, event_key=key[:200], user_id=user.id, channel=channel,
                                    address=address[:200], next_try_at=later)
                if channel == Channel.INBOX:
                    delivery.status, delivery.sent_at, delivery.attempts = DeliveryStatus.SENT, now, 1
                elif later is None:
                    to_send.append(delivery)
                db.session.add(delivery)
            made.append(notification)
    db.session.flush()
    queue_deliveries([delivery.id for delivery in to_send])
    return made


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
