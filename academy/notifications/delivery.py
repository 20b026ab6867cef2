"""The delivery job: claim, send, record; retries with back-off; what a crash left half-done.

A job gets up to ``operations.BATCH`` delivery ids. It claims them in one short write (QUEUED ->
SENDING, attempts + 1, committed), sends each outside any transaction, then records every outcome
in one more short write. A claim is conditional, so a job delivered twice sends once. A process
killed between the claim and the record leaves rows SENDING: ``take_up_stale`` puts each back in
the queue once (``resent``), and fails it the second time, so a crash resends at most once.
"""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from academy.database import reset_sqlite_begin_mode, set_sqlite_begin_mode, utcnow
from academy.extensions import db
from academy.jobs import job_handler
from academy.notifications import queries
from academy.notifications.channels import CHANNELS, ChannelError
from academy.notifications.models import Delivery, DeliveryStatus, InboxMessage
from academy.notifications.operations import queue_deliveries

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)  # a claim this old was left by a dead process


def _write(func, *args):
    """Run ``func`` in a short write transaction of its own, committed at once."""
    token = set_sqlite_begin_mode("IMMEDIATE")
    try:
        result = func(*args)
        db.session.commit()
        return result
    finally:
        reset_sqlite_begin_mode(token)


def _claim(ids: list[int]) -> list[int]:
    now = utcnow()
    due = sa.or_(Delivery.next_try_at.is_(None), Delivery.next_try_at <= now)
    claimable = list(db.session.scalars(sa.select(Delivery.id).where(
        Delivery.id.in_(ids), Delivery.status == DeliveryStatus.QUEUED, due).with_for_update(skip_locked=True)))
    if claimable:
        db.session.execute(sa.update(Delivery).where(Delivery.id.in_(claimable), Delivery.status == DeliveryStatus.QUEUED)
                           .values(status=DeliveryStatus.SENDING, attempts=Delivery.attempts + 1, claimed_at=now))
    return claimable


def _messages(ids: list[int]) -> list[tuple[int, str, str, str, str, str]]:
    rows = db.session.execute(sa.select(Delivery.id, Delivery.channel, Delivery.address,
                                        sa.func.coalesce(Delivery.digest_title, InboxMessage.title),
                                        sa.func.coalesce(Delivery.digest_body, InboxMessage.body),
                                        sa.case((Delivery.digest_body.is_not(None), "/inbox"), else_=InboxMessage.link))
                              .join(Delivery.notification).where(Delivery.id.in_(ids))).all()
    return [tuple(row) for row in rows]


def _record(outcomes: dict[int, str | None]) -> None:
    config, now = current_app.config, utcnow()
    for delivery in db.session.scalars(sa.select(Delivery).where(Delivery.id.in_(list(outcomes)))):
        error = outcomes[delivery.id]
        if delivery.status != DeliveryStatus.SENDING:
            continue
        if error is None:
            delivery.status, delivery.sent_at, delivery.last_error, delivery.next_try_at = (
                DeliveryStatus.SENT, now, "", None)
        elif delivery.attempts >= config["NOTIFY_MAX_ATTEMPTS"]:
            delivery.status, delivery.last_error, delivery.next_try_at = DeliveryStatus.FAILED, error[:500], None
        else:
            wait = config["NOTIFY_BACKOFF_SECONDS"] * 2 ** (delivery.attempts - 1)
            delivery.status, delivery.last_error = DeliveryStatus.QUEUED, error[:500]
            delivery.next_try_at = now + timedelta(seconds=wait)
    db.session.flush()


def send_claimed(ids: list[int]) -> dict[int, str | None]:
    """Send each claimed delivery, channel by channel (a channel's messages share its connection);
    its error text, or None when the peer took it."""
    outcomes: dict[int, str | None] = {}
    by_channel: dict[str, list[tuple]] = {}
    for delivery_id, channel, address, title, body, link in _messages(ids):
        by_channel.setdefault(channel, []).append((delivery_id, address, title, body, link))
    db.session.commit()  # nothing is held open while the peers answer (this read wrote nothing)
    for channel, messages in by_channel.items():
        with CHANNELS[channel].sender() as send:
            for delivery_id, address, title, body, link in messages:
                try:
                    send(address, title, body, link)
                    outcomes[delivery_id] = None
                except ChannelError as error:
                    log.warning("delivery %s by %s failed: %s", delivery_id, channel, error)
                    outcomes[delivery_id] = str(error) or type(error).__name__
    return outcomes


@job_handler("notifications.deliver")
def deliver(ctx, ids: list[int]) -> dict:
    """Claim, send and record a batch of deliveries."""
    ctx.end_reads()
    claimed = _write(_claim, ids)
    outcomes = send_claimed(claimed)
    _write(_record, outcomes)
    ctx.begin_writes()
    sent = sum(1 for error in outcomes.values() if error is None)
    return {"sent": sent, "failed": len(outcomes) - sent}


def take_up_stale(now=None) -> int:
    """Deliveries a dead process left SENDING: back to the queue once, failed the second time. Flushes."""
    now = now or utcnow()
    stale = queries.stale_sending(now - STALE_AFTER)
    for delivery in stale:
        if delivery.resent:
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, "interrupted twice while sending"
        else:
            delivery.status, delivery.resent, delivery.next_try_at = DeliveryStatus.QUEUED, True, now
    db.session.flush()
    return len(stale)


def hand_over_due(now=None) -> int:
    """Queue a job for every delivery whose time has come; how many. Flushes."""
    now = now or utcnow()
    take_up_stale(now)
    ids = queries.due_delivery_ids(now)
    queue_deliveries(ids)
    return len(ids)
