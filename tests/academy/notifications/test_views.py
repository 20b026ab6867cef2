"""The inbox and preferences pages as a person uses them, the admin's deliveries list, and hostile
input to every form: a clear answer, nothing changed."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.notifications import operations
from academy.notifications.kinds import KINDS
from academy.notifications.models import Delivery, InboxMessage, Preference
from academy.permissions import Role
from courses.enrollment.operations import request_enrollment
from courses.enrollment.training import add_session
from tests.fixtures.registry import create_worker
from tests.support import csrf_token, log_in


def field_of(kind: str) -> str:
    """The preferences form's field of ``kind``."""
    return f"kind_{list(KINDS).index(kind)}"


URGENT_SMS = {field_of(key): ["sms"] for key, kind in KINDS.items() if kind.urgency == "urgent"}


@pytest.fixture
def wang(app, make_user):
    """A trainee with his worker record (he handles the cases of his grid himself)."""
    user = make_user("wang", Role.TRAINEE)
    user.locale = "zh_CN"
    create_worker(user=user)
    with app.test_request_context():
        for n in range(3):
            operations.notify("job.finished", [user], {"what": f"导入 {n}", "message": "共 12 行"}, key=f"v:{n}",
                              link="/courses")
    return user


def _unread(user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(InboxMessage).where(
        InboxMessage.user_id == user.id, InboxMessage.read_at.is_(None)))


def test_the_inbox_shows_the_unread_count_and_opening_a_message_goes_to_its_thing(client, wang):
    log_in(client, "wang")
    page = client.get("/inbox").get_data(as_text=True)
    assert 'data-testid="unread-badge">3<' in page and page.count('data-testid="message"') == 3
    assert "已完成：导入 2" in page and "共 12 行" in page
    first = db.session.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == wang.id).order_by(InboxMessage.id))
    answer = client.get(f"/inbox/{first.id}")
    assert answer.status_code == 302 and answer.headers["Location"] == "/courses"
    assert _unread(wang) == 2
    unread_page = client.get("/inbox?show=unread").get_data(as_text=True)
    assert unread_page.count('data-testid="message"') == 2


def test_mark_all_read_clears_the_badge(client, wang):
    log_in(client, "wang")
    answer = client.post("/inbox/read-all", data={"csrf_token": csrf_token(client, "/inbox")}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "已将 3 条消息标为已读。" in page and 'data-testid="unread-badge"' not in page
    assert _unread(wang) == 0


def test_another_persons_message_is_not_found(client, wang, make_user):
    make_user("li", Role.TRAINEE)
    log_in(client, "li")
    message = db.session.scalar(sa.select(InboxMessage).where(InboxMessage.user_id == wang.id).limit(1))
    assert client.get(f"/inbox/{message.id}").status_code == 404
    token = csrf_token(client, "/inbox")
    assert client.post(f"/inbox/{message.id}/read", data={"csrf_token": token}).status_code == 404
    assert _unread(wang) == 3


def test_preferences_are_saved_and_shown_again(client, wang):
    log_in(client, "wang")
    token = csrf_token(client, "/inbox/preferences")
    answer = client.post("/inbox/preferences", data={
        "csrf_token": token, "email": "wang@example.org", "quiet_from": "22", "quiet_to": "7", "digest_hour": "18",
        "wecom_user_id": "WangFang", "dingtalk_user_id": "manager4220",
        **URGENT_SMS, field_of("training.assigned"): ["sms"], field_of("case.dispatched"): ["sms", "wecom"]},
        follow_redirects=True)
    assert "通知设置已保存。" in answer.get_data(as_text=True)
    saved = db.session.get(Preference, wang.id)
    assert saved.email == "wang@example.org" and (saved.quiet_from, saved.quiet_to) == (22, 7)
    assert saved.digest_hour == 18 and (saved.wecom_user_id, saved.dingtalk_user_id) == ("WangFang", "manager4220")
    page = client.get("/inbox/preferences").get_data(as_text=True)
    assert '<option selected value="18">每日 18:00 汇总发送</option>' in page
    assert saved.channels["case.dispatched"] == ["sms", "wecom"] and saved.channels["training.assigned"] == ["sms"]
    assert "case.returned" not in saved.channels  # only dispatchers are sent it: not offered, not saved


def _offered(client) -> set[str]:
    page = client.get("/inbox/preferences").get_data(as_text=True)
    return set(re.findall(r'data-testid="kind-([a-z_.]+)"', page))


def test_a_trainee_is_offered_only_the_messages_a_worker_receives(client, make_user):
    trainee = make_user("zhou", Role.TRAINEE)
    create_worker(user=trainee)
    log_in(client, "zhou")
    offered = _offered(client)
    assert {"training.assigned", "training.overdue", "certificate.expiring", "exam.opened", "case.dispatched",
            "case.red_light"} <= offered
    assert not offered & {"training.overdue_hr", "certificate.hr_revoked", "case.returned", "case.red_card",
                          "case.dissatisfied", "exam.essays_waiting", "job.failed"}


def test_a_dispatcher_is_offered_the_cases_not_the_training_of_workers(client, make_user):
    make_user("diao", Role.DISPATCHER, area="320102001")
    log_in(client, "diao")
    offered = _offered(client)
    assert {"case.dispatched", "case.returned", "case.dissatisfied", "case.yellow_light"} <= offered
    assert not offered & {"training.assigned", "certificate.expiring", "exam.opened", "training.overdue_hr",
                          "case.red_card", "exam.essays_waiting"}


def test_saving_keeps_what_was_chosen_for_kinds_no_longer_offered(client, make_user):
    user = make_user("diao", Role.DISPATCHER, area="320102001")
    operations.save_preferences(user, email="", channels={"training.assigned": ["inbox"]}, quiet_from=None, quiet_to=None)
    log_in(client, "diao")
    answer = client.post("/inbox/preferences", data={
        "csrf_token": csrf_token(client, "/inbox/preferences"), "email": "", "quiet_from": "", "quiet_to": "",
        **URGENT_SMS, field_of("case.returned"): ["wecom"]})
    assert answer.status_code == 302
    saved = db.session.get(Preference, user.id)
    assert saved.channels["case.returned"] == ["wecom"] and saved.channels["training.assigned"] == ["inbox"]


def test_the_admin_is_offered_every_kind_to_know_them_all(client, make_user):
    make_user("root", Role.ADMIN)
    log_in(client, "root")
    assert _offered(client) == set(KINDS)


def test_switching_an_urgent_kind_off_is_refused_with_its_reason(client, wang):
    log_in(client, "wang")
    answer = client.post("/inbox/preferences", data={"csrf_token": csrf_token(client, "/inbox/preferences"),
                                                     "email": "", "quiet_from": "", "quiet_to": ""})
    assert answer.status_code == 400
    assert "属于紧急通知：除站内消息外，至少保留一个渠道。" in answer.get_data(as_text=True)
    assert db.session.get(Preference, wang.id) is None


@pytest.mark.parametrize("field, value", [
    ("email", "wang%ED%A0%80@example.org"), ("email", "wang%00@example.org"), ("email", "a" * 5000 + "@example.org"),
    ("quiet_from", "99999999999999999999"), ("quiet_from", "NaN"), ("quiet_to", "-1"), (field_of("case.dispatched"), "fax"),
    ("digest_hour", "24"), ("digest_hour", "-1"), ("digest_hour", "NaN"),
    ("wecom_user_id", "wang%20fang"), ("wecom_user_id", "a" * 65), ("dingtalk_user_id", "%3Cscript%3E"),
])
def test_hostile_preferences_are_refused_and_change_nothing(client, wang, field, value):
    """Sent as raw form bytes: a lone surrogate reaches the server as its UTF-8 bytes."""
    log_in(client, "wang")
    data = {"csrf_token": csrf_token(client, "/inbox/preferences"), "email": "", "quiet_from": "", "quiet_to": "",
            **{name: "sms" for name in URGENT_SMS}}
    data[field] = value
    body = "&".join(f"{key}={val}" for key, val in data.items())
    answer = client.post("/inbox/preferences", data=body, content_type="application/x-www-form-urlencoded")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and ("invalid-feedback" in page or "text-danger" in page or field in page)
    assert db.session.get(Preference, wang.id) is None


@pytest.mark.parametrize("path", ["/inbox/99999999999999999999999", "/inbox/NaN", "/inbox/-1"])
def test_hostile_message_addresses_are_not_found(client, wang, path):
    log_in(client, "wang")
    assert client.get(path).status_code == 404
    assert _unread(wang) == 3


def test_the_admin_filters_deliveries_by_status_channel_and_kind(client, wang, make_user):
    make_user("root", Role.ADMIN)
    log_in(client, "root")
    page = client.get("/admin/notifications?channel=inbox&status=sent&kind=job.finished").get_data(as_text=True)
    assert page.count('data-testid="delivery"') == 3 and "已完成：导入 0" in page
    assert client.get("/admin/notifications?status=failed").get_data(as_text=True).count('data-testid="delivery"') == 0
    odd = client.get("/admin/notifications?status=9e999&channel=" + "x" * 5000 + "&kind=NaN")
    assert odd.status_code == 200 and odd.get_data(as_text=True).count('data-testid="delivery"') == 3  # ignored
    assert client.get("/admin/notifications?status=%00%ED%A0%80").status_code == 400


def test_the_admin_sets_a_default_and_an_urgent_kind_keeps_a_channel(client, make_user):
    make_user("root", Role.ADMIN)
    log_in(client, "root")
    token = csrf_token(client, "/admin/notifications/defaults")
    answer = client.post("/admin/notifications/defaults", data={"csrf_token": token, "role": "trainee",
                                                                "kind": "case.red_card", "channels": ["inbox"]},
                         follow_redirects=True)
    assert "红牌升级属于紧急通知" in answer.get_data(as_text=True)
    answer = client.post("/admin/notifications/defaults", data={"csrf_token": token, "role": "trainee",
                                                                "kind": "training.assigned", "channels": ["sms"]},
                         follow_redirects=True)
    assert "默认渠道已保存。" in answer.get_data(as_text=True)
    bad = client.post("/admin/notifications/defaults", data=f"csrf_token={token}&role=emperor%ED%A0%80&kind={'x' * 999}"
                      "&channels=fax", content_type="application/x-www-form-urlencoded")
    assert bad.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Delivery)) == 0


@pytest.fixture
def taught_session(app, make_user, make_course):
    teacher, trainee = make_user("teacher", Role.INSTRUCTOR), make_user("learner", Role.TRAINEE)
    teacher.timezone = "Asia/Shanghai"
    course = make_course(instructors=[teacher])
    request_enrollment(course, create_worker(user=trainee), None)
    session = add_session(course, teacher, starts_at=datetime(2026, 12, 20, 1, 30, tzinfo=UTC), hours=Decimal(2),
                          place="A", topic="B")
    db.session.commit()
    return teacher, trainee, session


def test_the_instructor_moves_a_session_on_its_page_and_the_trainee_hears_the_citys_time(client, taught_session):
    teacher, trainee, session = taught_session
    log_in(client, teacher.username)
    page = client.get(f"/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'value="2026-12-20T09:30"' in page  # 01:30 UTC typed back as the instructor reads it
    token = csrf_token(client, f"/sessions/{session.id}/edit")
    answer = client.post(f"/sessions/{session.id}/edit", data={"csrf_token": token, "starts_at": "2026-12-21T14:00",
                                                               "hours": "2", "place": "B", "topic": "B"})
    assert answer.status_code == 302
    (message,) = db.session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == trainee.id))
    assert message.kind == "training.session_changed" and "2026-12-21 14:00" in message.body


def test_a_bad_session_change_is_refused_and_changes_nothing(client, taught_session):
    teacher, trainee, session = taught_session
    log_in(client, teacher.username)
    token = csrf_token(client, f"/sessions/{session.id}/edit")
    for data in ({"starts_at": "tomorrow", "hours": "2"}, {"starts_at": "2026-12-21T14:00", "hours": "99"},
                 {"starts_at": "2026-12-21T14:00", "hours": "2", "place": "x" * 201}):
        answer = client.post(f"/sessions/{session.id}/edit", data={"csrf_token": token, **data})
        assert answer.status_code == 400
    assert client.post(f"/sessions/{session.id}/cancel", data={}).status_code == 400  # no CSRF token
    db.session.expire_all()
    assert session.place == "A" and session.hours == 2
    assert db.session.scalars(sa.select(InboxMessage).where(InboxMessage.user_id == trainee.id)).all() == []
