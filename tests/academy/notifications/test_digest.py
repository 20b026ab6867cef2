"""Daily digests against the local SMTP peer: the day's ordinary messages in one e-mail at the
person's hour, in his language; urgent ones at once; a second run of ``notify-due`` sends nothing more."""
from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.notifications import delivery, digest, operations
from academy.notifications.models import Channel, Delivery, DeliveryStatus, InboxMessage
from academy.permissions import Role
from tests.fixtures.registry import create_worker

MORNING = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
BEFORE_HOUR = datetime(2026, 12, 6, 9, 50, tzinfo=UTC)  # 17:50 in Shanghai
AFTER_HOUR = datetime(2026, 12, 6, 10, 5, tzinfo=UTC)  # 18:05 in Shanghai
CHANNELS = {"case.returned": ["inbox", "email"], "case.dispatched": ["inbox", "email"]}


@pytest.fixture
def people(app, make_user):
    made = []
    for name, locale in (("zhao", "zh_CN"), ("jones", "en")):
        user = make_user(name, Role.TRAINEE)
        user.locale = locale
        create_worker(user=user)
        with app.test_request_context():
            operations.save_preferences(user, email=f"{name}@example.org", channels=CHANNELS,
                                        quiet_from=None, quiet_to=None, digest_hour=18)
        made.append(user)
    return made


def _events(app, people, monkeypatch, when=MORNING):
    monkeypatch.setattr(operations, "utcnow", lambda: when)
    with app.test_request_context():
        for number in (1, 2, 3):
            operations.notify("case.returned", people, {"number": f"SJ-{number}", "title": "井盖"},
                              key=f"case.returned:{number}", link=f"/cases/{number}")
    for message in db.session.scalars(sa.select(InboxMessage)):
        message.created_at = when
    db.session.commit()


def _run(app, monkeypatch, now):
    monkeypatch.setattr(digest, "utcnow", lambda: now)
    monkeypatch.setattr(delivery, "utcnow", lambda: now)  # hands over what is due by then, not by the machine's clock
    result = app.test_cli_runner().invoke(args=["academy", "notify-due"])
    assert result.exit_code == 0, result.output
    return result.output


def _mails(mailbox, address):
    found = []
    for message in mailbox.messages:
        if message["to"] == [address]:
            parsed = email.message_from_bytes(message["data"].encode(), policy=email.policy.default)
            found.append((str(parsed["Subject"]), parsed.get_content()))
    return found


def test_three_ordinary_messages_make_one_email_at_the_hour_in_the_persons_language(app, peers, people, monkeypatch,
                                                                                    run_jobs):
    mailbox, _peer = peers
    zh, en = people
    _events(app, people, monkeypatch)
    run_jobs()
    assert mailbox.messages == []  # nothing before the hour: the inbox has them all at once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage).where(InboxMessage.user_id == zh.id)) == 3
    assert "0 digests made" in _run(app, monkeypatch, BEFORE_HOUR)
    run_jobs()
    assert mailbox.messages == []
    assert "2 digests made" in _run(app, monkeypatch, AFTER_HOUR)
    run_jobs()
    ((subject, body),) = _mails(mailbox, "jones@example.org")
    assert subject == "Your daily digest: 3 messages"
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        "- Case SJ-1 was returned", "- Case SJ-2 was returned", "- Case SJ-3 was returned"]
    assert "/cases/2" in body and body.rstrip().endswith("/inbox")
    ((subject, body),) = _mails(mailbox, "zhao@example.org")
    assert subject == "您的每日摘要：3 条消息"
    assert "- 事件 SJ-1 已被退回" in body
    # cron runs again ten minutes later, and the next morning: nothing more
    assert "0 digests made" in _run(app, monkeypatch, AFTER_HOUR.replace(minute=15))
    assert "0 digests made" in _run(app, monkeypatch, MORNING.replace(day=7))
    assert run_jobs() == 0
    assert len(mailbox.messages) == 2


def test_an_urgent_message_is_sent_at_once_and_never_digested(app, peers, people, monkeypatch, run_jobs):
    mailbox, _peer = peers
    _zh, en = people
    with app.test_request_context():
        operations.notify("case.dispatched", [en], {"number": "SJ-9", "title": "Broken cover"}, key="case.dispatched:9")
    db.session.commit()
    run_jobs()
    ((subject, _body),) = _mails(mailbox, "jones@example.org")
    assert subject == "Case SJ-9 dispatched to you"
    assert "0 digests made" in _run(app, monkeypatch, AFTER_HOUR)


def test_quiet_hours_hold_the_digest_until_they_end(app, peers, people, monkeypatch, run_jobs):
    mailbox, _peer = peers
    zh, _en = people
    with app.test_request_context():
        operations.save_preferences(zh, email="zhao@example.org", channels=CHANNELS, quiet_from=17, quiet_to=20,
                                    digest_hour=18)
    _events(app, [zh], monkeypatch)
    assert "1 digests made" in _run(app, monkeypatch, AFTER_HOUR)
    run_jobs()
    assert mailbox.messages == []
    (held,) = db.session.scalars(sa.select(Delivery).where(Delivery.channel == Channel.EMAIL))
    assert held.status == DeliveryStatus.QUEUED and held.next_try_at == datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert "0 digests made" in _run(app, monkeypatch, datetime(2026, 12, 6, 12, 5, tzinfo=UTC))  # 20:05: quiet hours over
    run_jobs()
    ((subject, _body),) = _mails(mailbox, "zhao@example.org")
    assert subject == "您的每日摘要：3 条消息"


def test_immediately_is_the_default_and_sends_each_message(app, peers, make_user, monkeypatch, run_jobs):
    mailbox, _peer = peers
    user = make_user("qian", Role.TRAINEE)
    user.locale = "en"
    with app.test_request_context():
        operations.save_preferences(user, email="qian@example.org", channels=CHANNELS, quiet_from=None, quiet_to=None)
    _events(app, [user], monkeypatch)
    run_jobs()
    assert len(_mails(mailbox, "qian@example.org")) == 3
