"""Daily digests: a person who asked for one (``Preference.digest_hour``) gets his non-urgent messages
in his inbox at once, and on his other channels one message a day at his hour listing the items of
the 24 hours before it, with their links. ``flask academy notify-due`` (cron) makes them; each is a
``Delivery`` keyed ``digest:<person>:<day>`` per channel, so a day's digest is never sent twice."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext

from academy.accounts.models import User
from academy.database import city_zone, utcnow
from academy.extensions import db
from academy.notifications import queries
from academy.notifications.channels import CHANNELS, _absolute
from academy.notifications.kinds import KINDS
from academy.notifications.models import Channel, Delivery, InboxMessage, Preference, Urgency
from academy.notifications.operations import chosen_channels, queue_deliveries, quiet_until

DEFAULT_HOUR = 18  # offered first on the preferences page


def last_digest_moment(user, hour: int, now: datetime) -> datetime:
    """The latest ``hour``:00 of the person's zone (the city's unless he has his own) at or before ``now``."""
    local = now.astimezone(ZoneInfo(user.timezone) if user.timezone else city_zone())
    moment = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment if moment <= local else moment - timedelta(days=1)


def _waiting_items(user_id: int, start: datetime, end: datetime) -> list[InboxMessage]:
    """His non-urgent messages of [start, end) that no channel besides the inbox carried."""
    carried = sa.select(Delivery.id).where(Delivery.notification_id == InboxMessage.id, Delivery.channel != Channel.INBOX)
    return list(db.session.scalars(sa.select(InboxMessage).where(
        InboxMessage.user_id == user_id, InboxMessage.urgency == Urgency.NORMAL,
        InboxMessage.created_at >= start, InboxMessage.created_at < end, ~sa.exists(carried))
        .order_by(InboxMessage.created_at, InboxMessage.id)))


def _words(items: list[InboxMessage], locale: str) -> tuple[str, str]:
    with force_locale(locale):
        title = ngettext("Your daily digest: %(num)d message", "Your daily digest: %(num)d messages", len(items))
    lines = []
    for item in items:
        lines.append(f"- {item.title}")
        if item.link:
            lines.append(f"  {_absolute(item.link)}")
    return title, "\n".join(lines)


def make_digests(now: datetime | None = None) -> int:
    """Make the digests whose hour has come and are not made yet, and queue them (held by quiet hours
    like any ordinary message); how many deliveries. Flushes."""
    now = now or utcnow()
    people = list(db.session.execute(sa.select(User, Preference).join(Preference, Preference.user_id == User.id)
                                      .where(Preference.digest_hour.is_not(None), User.active.is_(True))))
    reach = queries.reach_of([user.id for user, _preference in people]) if people else queries.Reach()
    made: list[Delivery] = []
    for user, preference in people:
        moment = last_digest_moment(user, preference.digest_hour, now)
        key = f"digest:{user.id}:{moment.date().isoformat()}"
        done = set(db.session.scalars(sa.select(Delivery.channel).where(Delivery.event_key == key,
                                                                        Delivery.user_id == user.id)))
        items = _waiting_items(user.id, moment - timedelta(days=1), moment)
        by_channel: dict[Channel, list[InboxMessage]] = {}
        for item in items:
            kind = KINDS.get(item.kind)
            if kind is None:
                continue
            for channel in chosen_channels(user, kind, reach):
                if channel != Channel.INBOX and channel not in done:
                    by_channel.setdefault(channel, []).append(item)
        later = quiet_until(user, now, preference)
        locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
        for channel, listed in by_channel.items():
            address = CHANNELS[channel].address(user, reach)
            if not address:
                continue
            title, body = _words(listed, locale)
            delivery = Delivery(notification=listed[-1], event_key=key, user_id=user.id, channel=channel,
                                address=address[:200], next_try_at=later, digest_title=title[:200], digest_body=body)
            db.session.add(delivery)
            made.append(delivery)
    db.session.flush()
    queue_deliveries([delivery.id for delivery in made if delivery.next_try_at is None])
    return len(made)
