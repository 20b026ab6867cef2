"""Each channel against its real local peer; retries with back-off; a job delivered twice sends once;
a delivery a crash interrupted is sent again at most once."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.database import utcnow
from academy.extensions import db
from academy.notifications import delivery, operations
from academy.notifications.models import Channel, Delivery, DeliveryStatus
from academy.permissions import Role
from tests.fixtures.registry import create_worker

ALL = ["inbox", "email", "sms", "wecom", "dingtalk"]


@pytest.fixture
def person(app, make_user):
    user = make_user("li", Role.TRAINEE)
    user.locale = "en"
    worker = create_worker(user=user)
    with app.test_request_context():
        operations.save_preferences(user, email="li@example.org", channels={"case.dispatched": ALL},
                                    quiet_from=None, quiet_to=None)
    return user, worker


def _send(app, user, key="case.dispatched:1"):
    with app.test_request_context():
        operations.notify("case.dispatched", [user], {"number": "SJ-1", "title": "Broken cover"}, key=key,
                          link="/cases/1")


def _statuses(user):
    return {d.channel: d for d in db.session.scalars(sa.select(Delivery).where(Delivery.user_id == user.id))}


def test_every_channel_reaches_its_peer(app, peers, person, run_jobs):
    mailbox, peer = peers
    user, worker = person
    _send(app, user)
    db.session.commit()
    assert run_jobs() == 1
    assert {c: d.status for c, d in _statuses(user).items()} == dict.fromkeys(Channel, DeliveryStatus.SENT)
    (mail,) = mailbox.messages
    assert mail["to"] == ["li@example.org"] and "Subject: Case SJ-1 dispatched to you" in mail["data"]
    got = {name: body for name, body in peer.received}
    assert got["sms"]["PhoneNumbers"] == worker.phone and got["sms"]["TemplateCode"] == "SMS_NOTICE"
    assert json.loads(got["sms"]["TemplateParam"]) == {"text": "Case SJ-1 dispatched to you。Broken cover"}
    assert got["wecom"]["text"]["mentioned_mobile_list"] == [worker.phone]
    assert got["wecom"]["text"]["content"].startswith("Case SJ-1 dispatched to you\nBroken cover\n/cases/1")
    assert got["dingtalk"]["at"]["atMobiles"] == [worker.phone]


def test_a_refusal_is_retried_after_a_wait_and_then_sent(app, peers, person, run_jobs):
    _mailbox, peer = peers
    user, _worker = person
    peer.failures_left = 3  # SMS, WeCom, DingTalk each refuse once
    _send(app, user)
    db.session.commit()
    run_jobs()
    sms = _statuses(user)[Channel.SMS]
    assert sms.status == DeliveryStatus.QUEUED and sms.attempts == 1 and "BUSINESS_LIMIT_CONTROL" in sms.last_error
    assert timedelta(seconds=55) < sms.next_try_at - utcnow() <= timedelta(seconds=60)
    assert delivery.hand_over_due() == 0  # not yet
    assert delivery.hand_over_due(utcnow() + timedelta(seconds=61)) == 3
    db.session.commit()
    for row in _statuses(user).values():  # the wait is over
        row.next_try_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    run_jobs()
    sms = _statuses(user)[Channel.SMS]
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 2 and sms.last_error == ""
    assert [name for name, _body in peer.received].count("sms") == 2


def test_after_the_last_attempt_the_delivery_fails_and_says_why(app, peers, person, run_jobs, monkeypatch):
    _mailbox, peer = peers
    user, _worker = person
    monkeypatch.setitem(app.config, "NOTIFY_MAX_ATTEMPTS", 1)
    peer.failures_left = 3
    _send(app, user)
    db.session.commit()
    run_jobs()
    wecom = _statuses(user)[Channel.WECOM]
    assert wecom.status == DeliveryStatus.FAILED and "45009" in wecom.last_error and wecom.next_try_at is None


def test_a_job_delivered_twice_sends_once(app, peers, person, run_jobs):
    mailbox, peer = peers
    user, _worker = person
    _send(app, user)
    ids = [d.id for c, d in _statuses(user).items() if c != Channel.INBOX]
    db.session.commit()
    operations.queue_deliveries(ids)  # the same deliveries handed over again
    db.session.commit()
    assert run_jobs() == 2
    assert len(mailbox.messages) == 1 and len(peer.received) == 3


def test_a_delivery_interrupted_mid_way_is_sent_again_at_most_once(app, peers, person, run_jobs):
    _mailbox, peer = peers
    user, _worker = person
    _send(app, user)
    sms = _statuses(user)[Channel.SMS]
    # The process died after claiming it: SENDING, an attempt counted, nobody to finish it.
    sms.status, sms.attempts, sms.claimed_at = DeliveryStatus.SENDING, 1, utcnow() - timedelta(hours=1)
    db.session.commit()
    app.extensions["academy.pending_jobs"].clear()
    assert delivery.take_up_stale() == 1 and sms.status == DeliveryStatus.QUEUED and sms.resent
    delivery.queue_deliveries([sms.id])
    db.session.commit()
    run_jobs()
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 2
    # Interrupted a second time: failed, not sent a third time.
    sms.status, sms.claimed_at = DeliveryStatus.SENDING, utcnow() - timedelta(hours=1)
    delivery.take_up_stale()
    assert sms.status == DeliveryStatus.FAILED and "interrupted" in sms.last_error
    assert [name for name, _body in peer.received].count("sms") == 1


def test_an_unreachable_smtp_server_is_a_clear_failure(app, peers, person, run_jobs, monkeypatch):
    user, _worker = person
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # nothing listens there
    _send(app, user)
    db.session.commit()
    run_jobs()
    email = _statuses(user)[Channel.EMAIL]
    assert email.status == DeliveryStatus.QUEUED and email.last_error.startswith("smtp: ConnectionRefusedError")


def test_the_e_mails_of_a_job_share_one_connection_and_a_refused_one_stops_none_of_the_others(
        app, peers, make_user, run_jobs):
    mailbox, _peer = peers
    people = [make_user(f"p{n}", Role.TRAINEE) for n in range(4)]
    with app.test_request_context():
        for user in people:
            operations.save_preferences(user, email=f"{user.username}@example.org", channels={"case.returned": ["email"]},
                                        quiet_from=None, quiet_to=None)
        operations.notify("case.returned", people, {"number": "SJ-2", "title": "Cover"}, key="case.returned:2")
    mailbox.refuse_to = {"p1@example.org"}
    db.session.commit()
    assert run_jobs() == 1
    assert sorted(to for mail in mailbox.messages for to in mail["to"]) == [
        "p0@example.org", "p2@example.org", "p3@example.org"]
    assert mailbox.connections == 2  # one for the job, and a fresh one after the refusal
    refused = _statuses(people[1])[Channel.EMAIL]
    assert refused.status == DeliveryStatus.QUEUED and "451" in refused.last_error
    assert [_statuses(user)[Channel.EMAIL].status for user in people[2:]] == [DeliveryStatus.SENT] * 2
