"""``notify``: who receives, in which language, on which channels; the same event twice reaches
each person once; preferences, the admin's role defaults, urgent kinds and quiet hours."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.jobs import Job
from academy.notifications import operations
from academy.notifications.models import Channel, Delivery, DeliveryStatus, InboxMessage
from academy.permissions import Role
from tests.fixtures.registry import create_worker

CONTEXT = {"number": "SJ-2026-000001", "title": "井盖破损"}


@pytest.fixture
def people(make_user):
    zh = make_user("wang", Role.TRAINEE)
    en = make_user("smith", Role.TRAINEE)
    zh.locale, en.locale = "zh_CN", "en"
    create_worker(user=zh), create_worker(user=en)
    return zh, en


def _deliveries(user):
    return {d.channel: d for d in db.session.scalars(sa.select(Delivery).where(Delivery.user_id == user.id))}


def test_each_person_reads_the_message_in_his_own_language(app, people):
    zh, en = people
    with app.test_request_context():
        made = operations.notify("case.dispatched", [zh, en], CONTEXT, key="case.dispatched:1", link="/cases/1")
    by_user = {m.user_id: m for m in made}
    assert by_user[zh.id].title == "事件 SJ-2026-000001 已派遣给您"
    assert by_user[en.id].title == "Case SJ-2026-000001 dispatched to you"
    assert by_user[zh.id].link == "/cases/1" and by_user[zh.id].read_at is None


def test_the_same_event_twice_reaches_each_person_once(app, people, count_rows):
    zh, en = people
    with app.test_request_context():
        operations.notify("case.dispatched", [zh, en, zh], CONTEXT, key="case.dispatched:7")
        again = operations.notify("case.dispatched", [zh, en], CONTEXT, key="case.dispatched:7")
    assert again == []
    assert count_rows(InboxMessage) == 2
    # urgent: the inbox (delivered at once) and SMS (queued for the job); no WeCom robot configured
    assert set(_deliveries(zh)) == {Channel.INBOX, Channel.SMS}
    assert _deliveries(zh)[Channel.INBOX].status == DeliveryStatus.SENT
    assert _deliveries(zh)[Channel.SMS].status == DeliveryStatus.QUEUED
    db.session.commit()
    (job,) = db.session.scalars(sa.select(Job).where(Job.kind == "notifications.deliver"))  # one job for both
    assert sorted(job.params["ids"]) == sorted(d.id for d in db.session.scalars(
        sa.select(Delivery).where(Delivery.channel == Channel.SMS)))


def test_a_persons_choice_wins_over_the_roles_default_which_wins_over_the_kinds(app, people, make_user):
    zh, en = people
    admin = make_user("root", Role.ADMIN)
    with app.test_request_context():
        operations.save_role_default(Role.TRAINEE, "case.returned", ["sms"], by=admin)
        operations.save_preferences(en, email="", channels={"case.returned": ["inbox"]}, quiet_from=None, quiet_to=None)
        operations.notify("case.returned", [zh, en], CONTEXT, key="case.returned:3")
    assert set(_deliveries(zh)) == {Channel.INBOX, Channel.SMS}  # the role's default
    assert set(_deliveries(en)) == {Channel.INBOX}  # his own choice


def test_an_urgent_kind_cannot_be_switched_off(app, people):
    zh, _en = people
    with app.test_request_context(), pytest.raises(operations.NotificationError, match="红牌升级属于紧急通知"):
        operations.save_preferences(zh, email="", channels={"case.red_card": ["inbox"]}, quiet_from=None, quiet_to=None)


def test_quiet_hours_hold_the_ordinary_but_not_the_urgent(app, people, monkeypatch):
    zh, _en = people
    with app.test_request_context():
        operations.save_preferences(zh, email="", channels={}, quiet_from=22, quiet_to=7)
        night = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)  # 23:30 in Shanghai
        monkeypatch.setattr(operations, "utcnow", lambda: night)
        operations.notify("training.assigned", [zh], {"course": "消防", "due": "2026-04-01"}, key="t:1")
        operations.notify("case.dispatched", [zh], CONTEXT, key="c:1")
    held = db.session.scalar(sa.select(Delivery).where(Delivery.event_key == "t:1", Delivery.channel == Channel.SMS))
    urgent = db.session.scalar(sa.select(Delivery).where(Delivery.event_key == "c:1", Delivery.channel == Channel.SMS))
    assert held.next_try_at == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 07:00 the next morning in Shanghai
    assert urgent.next_try_at is None


def test_a_batch_words_each_event_for_its_reader_and_sends_none_twice(app, people):
    zh, en = people
    with app.test_request_context():
        operations.notify("training.assigned", [zh], {"course": "消防", "due": "2026-04-01"}, key="training.assigned:1")
        made = operations.notify_each("training.assigned", [
            operations.Event(zh, {"course": "消防", "due": "2026-04-01"}, "training.assigned:1"),  # already in his inbox
            operations.Event(zh, {"course": "调解", "due": "2026-05-01"}, "training.assigned:2"),
            operations.Event(en, {"course": "Mediation", "due": "2026-06-01"}, "training.assigned:3"),
            operations.Event(en, {"course": "Mediation", "due": "2026-06-01"}, "training.assigned:3"),  # twice in the batch
            operations.Event(None, {"course": "Mediation", "due": "2026-06-01"}, "training.assigned:4"),  # no log-in
        ])
    assert sorted((m.user_id, m.event_key) for m in made) == sorted([(zh.id, "training.assigned:2"), (en.id, "training.assigned:3")])
    keys = db.session.scalars(sa.select(InboxMessage.event_key).where(InboxMessage.user_id == zh.id)).all()
    assert sorted(keys) == ["training.assigned:1", "training.assigned:2"]
    words = {m.event_key: m.body for m in made}
    assert "调解" in words["training.assigned:2"] and "2026-05-01" in words["training.assigned:2"]
    assert "Mediation" in words["training.assigned:3"] and "2026-06-01" in words["training.assigned:3"]
    assert set(_deliveries(en)) >= {Channel.INBOX}
