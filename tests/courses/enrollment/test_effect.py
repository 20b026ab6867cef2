"""The training effect: completers' monthly snapshots in the course's case categories before and after
the month of completion, against the district's other workers in the same months; the minimum sample;
trainers' teaching hours; the page."""
from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook

from academy.cases.models import Category
from academy.extensions import db
from academy.indicators.models import IndicatorSnapshot
from academy.permissions import Role
from courses.enrollment import effect, training
from courses.enrollment import operations as ops
from courses.enrollment.models import Enrollment, TrainerEffect, TrainingEffect
from tests.fixtures.cases import create_category
from tests.fixtures.indicators import make_case
from tests.support import log_in, read_chart


def _snapshot(worker, month: str, category: str, due: int, on_time: int, rework: int = 0):
    db.session.add(IndicatorSnapshot(period_key=month, unit_kind="worker", unit_key=str(worker.id),
                                     area_code=worker.area.code, category=category, due_to_close=due,
                                     closed_on_time=on_time, rework=rework))


def _world(make_course, make_worker, make_user):
    create_category("Dispute", code="dispute")
    instructor = make_user("effect-teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[instructor])  # its units name the case category "dispute"
    trained, other, elsewhere = make_worker("320102"), make_worker("320102"), make_worker("320104")
    enrollment = ops.request_enrollment(course, trained, None)
    ops.record_result(enrollment, None, passed=True)
    enrollment.finished_at = datetime(2026, 4, 30, 17, tzinfo=UTC)  # 1 May 01:00 in Shanghai: May's completion
    for month in ("2026-02", "2026-03", "2026-04"):
        _snapshot(trained, month, "dispute", 4, 2, rework=1)
        _snapshot(other, month, "dispute", 4, 3)
    for month in ("2026-06", "2026-07", "2026-08"):
        _snapshot(trained, month, "dispute", 4, 4)
        _snapshot(other, month, "dispute", 4, 3)
        _snapshot(elsewhere, month, "dispute", 9, 0)  # another district: not the comparison
    _snapshot(trained, "2026-05", "dispute", 50, 0)  # the month of completion counts on neither side
    _snapshot(trained, "2026-06", "hazard", 50, 0)  # its M1.2 unit names "hazard", no case category here
    db.session.flush()
    return course, instructor


def test_completers_against_the_districts_others_before_and_after(make_course, make_worker, make_user):
    course, instructor = _world(make_course, make_worker, make_user)
    assert effect.refresh() == 8  # four rows for the course, four for its one trainer
    (found,) = effect.summary(None)
    assert found.key == course
    before, after = found.sides[("trained", "before")], found.sides[("trained", "after")]
    assert (before.workers, before.counts["due_to_close"], before.rate("on_time_closure_rate")) == (1, 12, 50.0)
    assert before.rate("rework_rate") == 25.0
    assert (after.counts["due_to_close"], after.rate("on_time_closure_rate")) == (12, 100.0)
    others = found.sides[("others", "after")]
    assert (others.workers, others.counts["due_to_close"], others.rate("on_time_closure_rate")) == (1, 12, 75.0)
    assert effect.summary(["320104"]) == []
    assert effect.by_trainer(None)[instructor.id].sides[("trained", "after")].counts["due_to_close"] == 12


def _complete(course, worker, finished_at):
    enrollment = ops.request_enrollment(course, worker, None)
    ops.record_result(enrollment, None, passed=True)
    enrollment.finished_at = finished_at


def test_a_worker_who_completed_two_of_a_trainers_courses_counts_once_for_him(make_course, make_worker, make_user):
    """Both courses measure him; his trainer counts him once, from his first completion (May: windows
    Feb-Apr and Jun-Aug), not once per course (which would add his cases twice)."""
    course, instructor = _world(make_course, make_worker, make_user)
    second = make_course(instructors=[instructor])  # the same units, so the same case category
    trained = db.session.scalar(sa.select(Enrollment).where(Enrollment.course_id == course.id)).worker
    _complete(second, trained, datetime(2026, 6, 30, 17, tzinfo=UTC))  # July: windows Apr-Jun and Aug-Oct
    db.session.flush()
    effect.refresh()
    courses = {e.key.id: e for e in effect.summary(None)}
    assert courses[second.id].sides[("trained", "after")].counts["due_to_close"] == 4  # August's only
    mine = effect.by_trainer(None)[instructor.id]
    after, before = mine.sides[("trained", "after")], mine.sides[("trained", "before")]
    assert (after.workers, after.counts["due_to_close"], before.counts["due_to_close"]) == (1, 12, 12)
    summed = sum(e.sides[("trained", "after")].workers for e in courses.values())
    assert summed == 2  # what adding up the courses would have said
    assert db.session.scalar(sa.select(sa.func.count(TrainerEffect.id))) == 4


def test_red_cards_count_by_the_citys_month_of_supervision(make_course, make_worker, make_user):
    """Completion in May (Shanghai): a case supervised at 01:00 on 1 June in Shanghai (17:00 UTC on
    31 May) counts after; one supervised at 23:00 on 31 May in Shanghai counts on neither side."""
    course, _instructor = _world(make_course, make_worker, make_user)
    trained = db.session.scalar(sa.select(Enrollment).where(Enrollment.course_id == course.id)).worker
    category = db.session.scalar(sa.select(Category).where(Category.code == "dispute"))
    for supervised in (datetime(2026, 5, 31, 17, tzinfo=UTC), datetime(2026, 5, 31, 15, tzinfo=UTC)):
        case = make_case(worker=trained, category=category, reported=datetime(2026, 5, 20, tzinfo=UTC),
                         area_code=trained.area.code)
        case.supervised_at = supervised
    db.session.flush()
    effect.refresh()
    (found,) = effect.summary(None)
    assert found.sides[("trained", "after")].counts["red_cards"] == 1
    assert found.sides[("trained", "before")].counts["red_cards"] == 0


def test_below_the_minimum_sample_no_rate_is_given(app, make_course, make_worker, make_user):
    _world(make_course, make_worker, make_user)
    effect.refresh(months=1)  # one month each side: 4 cases each
    app.config["INDICATORS_MIN_SAMPLE"] = 5
    try:
        (found,) = effect.summary(None)
        assert found.sides[("trained", "after")].counts["due_to_close"] == 4
        assert found.sides[("trained", "after")].rate("on_time_closure_rate") is None
    finally:
        app.config.pop("INDICATORS_MIN_SAMPLE")


def test_refresh_replaces_the_rows(make_course, make_worker, make_user):
    _world(make_course, make_worker, make_user)
    effect.refresh()
    effect.refresh()
    assert db.session.scalar(sa.select(sa.func.count(TrainingEffect.id))) == 4


def test_teaching_hours_of_each_instructor(make_course, make_user):
    instructor = make_user("hours-teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[instructor])
    training.add_session(course, None, starts_at=datetime(2026, 3, 1, 1, tzinfo=UTC), hours=Decimal("3"), place="", topic="")
    training.add_session(course, None, starts_at=datetime(2025, 12, 31, 17, tzinfo=UTC), hours=Decimal("2"), place="", topic="")
    hours = effect.teaching_hours(datetime(2025, 12, 31, 16, tzinfo=UTC), datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert hours[instructor.id] == 5.0  # 17:00 UTC on 31 December is already 2026 in Shanghai


def test_the_page_shows_the_figures_and_the_caution(app, make_course, make_worker, make_user):
    course, instructor = _world(make_course, make_worker, make_user)
    effect.refresh()
    client = app.test_client()
    log_in(client, make_user("effect-hr", Role.HR).username)
    page = client.get("/training/effect?year=2026")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert course.title in text and "cannot show" in text and "100.0%" in text and "75.0%" in text
    assert client.get("/training/effect?year=1").status_code == 400
    assert client.get("/training/effect?year=x").status_code == 200  # not a number: this year


def _selected(html: str) -> str:
    return re.search(r'<option value="(\d+)" selected>', html).group(1)


def test_the_page_draws_the_chosen_course_and_says_what_a_trainers_figures_are(app, make_course, make_worker,
                                                                              make_user):
    course, instructor = _world(make_course, make_worker, make_user)
    other = make_course(instructors=[instructor])
    _complete(other, make_worker("320102"), datetime(2026, 6, 30, 17, tzinfo=UTC))
    db.session.flush()
    effect.refresh()
    client = app.test_client()
    log_in(client, make_user("chart-hr", Role.HR).username)
    html = client.get(f"/training/effect?year=2026&course={course.id}").get_data(as_text=True)
    data, header, rows = read_chart(html, "effect")
    groups = {s["name"]: s["values"] for s in data["series"]}
    # On-time closure first: completers 50 % before, 100 % after; the others 75 % before and after.
    assert groups["Completers, before n = 12"][0] == 50.0
    assert groups["Completers, after n = 12"][0] == 100.0
    assert groups["Others in the districts, after n = 12"][0] == 75.0
    assert rows[0][0] == "On-time closure rate" and rows[0][1:3] == ["50.0", "100.0"]  # the table alternative
    assert _selected(html) == str(course.id)
    assert "count each worker who completed one or more of his courses once" in html
    assert _selected(client.get(f"/training/effect?course={other.id}").get_data(as_text=True)) == str(other.id)
    assert client.get("/training/effect?course=999999").status_code == 200  # not measured here: the first course


def test_the_export_holds_the_courses_the_trainers_and_the_caution(app, make_course, make_worker, make_user):
    course, instructor = _world(make_course, make_worker, make_user)
    effect.refresh()
    client = app.test_client()
    log_in(client, make_user("xlsx-hr", Role.HR).username)
    response = client.get("/training/effect.xlsx?year=2026")
    assert response.status_code == 200 and "training-effect-2026.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    courses, trainers, notes = workbook.worksheets
    rows = [[cell.value for cell in row] for row in courses.iter_rows(min_row=2)]
    after = next(r for r in rows if r[2] == "Completers, after")
    assert after[:5] == [course.title, course.code, "Completers, after", 1, 12] and after[5] == 100.0
    trainer_rows = [[cell.value for cell in row] for row in trainers.iter_rows(min_row=2)]
    assert [r[2] for r in trainer_rows if r[0] == instructor.username][:1] == ["Completers, before"]
    assert any("cannot show" in (row[0].value or "") for row in notes.iter_rows())
    # What a user or client can send: a year past 64 bits is refused; a course that is no number, or one
    # past 64 bits or a lone surrogate, shows the first course; control characters get the site's 400.
    assert client.get("/training/effect.xlsx?year=99999999999999999999").status_code == 400
    for query in ("course=99999999999999999999", "course=sNaN", "year=sNaN", "course=%ED%A0%80"):
        assert client.get(f"/training/effect?{query}").status_code == 200
    for query in ("course=%01", "year=2026%00"):
        assert client.get(f"/training/effect?{query}").status_code == 400
    assert client.get("/training/effect.xlsx?year=1").status_code == 400


def test_the_trainer_pool_shows_this_years_teaching_hours(app, make_course, make_user):
    from courses.enrollment import annual
    from courses.syllabus import operations as syllabus_ops

    instructor = make_user("pool-teacher", Role.INSTRUCTOR)
    trainer = syllabus_ops.add_trainer(instructor, None, branch=None, qualifications="", specialties=[])
    course = make_course(instructors=[instructor])
    start, _end = annual.year_bounds(annual.current_year())
    training.add_session(course, None, starts_at=start + timedelta(days=2), hours=Decimal("2.5"), place="", topic="")
    client = app.test_client()
    log_in(client, make_user("pool-hr", Role.HR).username)
    pool = client.get("/syllabus/trainers").get_data(as_text=True)
    assert "2.5" in pool and f"trainer-{instructor.id}" in pool
    admin = make_user("pool-admin", Role.ADMIN)
    client = app.test_client()
    log_in(client, admin.username)
    assert "2.5 classroom hours taught" in client.get(f"/syllabus/trainers/{trainer.id}").get_data(as_text=True)
