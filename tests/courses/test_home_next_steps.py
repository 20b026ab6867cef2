"""The trainee's and field worker's home as "what to do next" (issue 18): who sees which card and
which tab, and what each card says, as a person reads the page."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates.issuing import issue_by_hand
from courses.enrollment.models import TrainingAssignment
from courses.enrollment.operations import today
from tests.fixtures.certificates import create_cert_type, credit_hours
from tests.fixtures.courses import create_course, create_lesson
from tests.fixtures.exams import create_exam, create_taker
from tests.fixtures.registry import create_worker
from tests.support import log_in


def _card(html: str, key: str) -> str:
    """The HTML of the home's card ``key`` ("" when the page has none)."""
    match = re.search(rf'<div class="next-card[^"]*" data-testid="next-step" data-step="{re.escape(key)}">(.*?)</div>\s*(?=<div class="next-card|</div>)',
                      html, re.S)
    return match.group(0) if match else ""


def _tabs(html: str) -> list[str]:
    return re.findall(r'data-testid="tab"\s+data-endpoint="([^"]+)"', html)


@pytest.fixture
def studying(make_user):
    """A trainee on duty studying a course of two lessons, with its final exam open until tomorrow noon."""
    course = create_course()
    first = create_lesson(course, title="Reading the grid map", position=1)
    create_lesson(course, title="Talking to residents", position=2)
    create_exam(course, title="Mediation final exam", closes_at=utcnow() + timedelta(hours=20))
    user, worker = create_taker(course, username="lina")
    db.session.flush()
    return course, first, user, worker


def test_a_trainee_on_duty_sees_each_thing_to_do_and_every_tab(client, studying):
    course, first, user, worker = studying
    db.session.add(TrainingAssignment(worker_id=worker.id, course_id=course.id, due_on=today() - timedelta(days=3)))
    db.session.flush()
    log_in(client, "lina")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert _tabs(html) == ["web.home", "enrollment.my_training", "exams.exam_list", "cases.mine", "frame.me"]
    assert re.search(r'data-endpoint="web.home"\s+aria-current="page"', html)  # the home tab is marked

    lessons = _card(html, "lessons.next")
    assert '<span class="next-number" data-testid="next-number">1</span>' in lessons
    assert "Continue: Reading the grid map" in lessons and f"/lessons/{first.id}" in lessons

    exams = _card(html, "exams.open")
    assert "Mediation final exam · closes" in exams
    assert "tone-warning" in exams  # it closes within a day

    mandatory = _card(html, "enrollment.mandatory")
    assert "tone-danger" in mandatory and "overdue since" in mandatory

    certificates = _card(html, "certificates.mine")
    assert "You hold no certificate yet" in certificates

    cases = _card(html, "cases.waiting")
    assert "No case waits for you" in cases and 'href="/cases/report"' in cases
    # The cards with something to do come first.
    order = re.findall(r'data-step="([^"]+)"', html)
    assert order.index("lessons.next") < order.index("certificates.mine")


def test_a_worker_in_training_has_no_cases_tab_and_no_cases_card(client, make_user):
    course = create_course()
    user = make_user("ming", Role.TRAINEE)
    create_worker(user=user, status=WorkerStatus.IN_TRAINING)
    create_taker(course, user=user)
    log_in(client, "ming")
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _tabs(html) == ["web.home", "enrollment.my_training", "exams.exam_list", "frame.me"]
    assert _card(html, "cases.waiting") == ""
    assert "No exam is open for you now." in _card(html, "exams.open")


def test_an_empty_home_says_what_to_do(client, make_user):
    user = make_user("new", Role.TRAINEE)
    create_worker(user=user, status=WorkerStatus.IN_TRAINING)
    log_in(client, "new")
    html = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "你还没有报名任何课程" in _card(html, "lessons.next")
    assert 'href="/courses"' in _card(html, "lessons.next")  # the catalogue
    assert "暂无待完成的必修培训" in _card(html, "enrollment.mandatory")
    assert "首页" in html and "学习" in html and "我的" in html


def test_a_certificate_in_its_renewal_window_is_counted_and_flagged(client, studying, make_user):
    course, _first, user, worker = studying
    hr = make_user("hana", Role.HR)
    # A window longer than the validity: open from the day of issue.
    cert_type = create_cert_type(course=course, exam=False, min_hours="1", validity_months=12, window=730)
    credit_hours(worker, course, "2")
    issue_by_hand(cert_type, worker, hr, reason="Transferred from another city")
    db.session.flush()
    log_in(client, "lina")
    card = _card(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True), "certificates.mine")
    assert '<span class="next-number" data-testid="next-number">1</span>' in card
    assert "tone-warning" in card and "renewal window open, valid until" in card


@pytest.mark.parametrize("role", [Role.HR, Role.INSTRUCTOR, Role.DISPATCHER])
def test_staff_keep_their_shell_without_tabs_or_cards(client, make_user, role):
    make_user("staff", role, area="320102")
    log_in(client, "staff")
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="tabbar"' not in html and 'data-testid="next-steps"' not in html


def test_me_lists_what_has_no_tab_the_language_and_log_out(client, studying):
    log_in(client, "lina")
    html = client.get("/me", headers={"Accept-Language": "en"}).get_data(as_text=True)
    listed = re.findall(r"<span>([^<]+)</span>", html.split('data-testid="me-list"')[1].split("</ul>")[0])
    assert listed[0] == "My account"
    assert {"My certificates", "My worker record", "Patrols and visits"} <= set(listed)
    assert not {"My training", "Exams", "My cases"} & set(listed)  # they have their tabs
    assert 'data-testid="me-logout"' in html and 'id="me-language"' in html
    assert re.search(r'data-endpoint="frame.me"\s+aria-current="page"', html)
