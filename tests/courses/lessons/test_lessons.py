"""Lessons: sanitised Markdown, checked uploads, server-measured progress, hours, access."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.enrollment import operations as enrollment_ops
from courses.lessons import operations as ops
from courses.lessons.content import render_markdown
from courses.lessons.models import Completion, Lesson, LessonFile, LessonProgress
from courses.syllabus import operations as syllabus_ops
from tests.support import log_in, post_form

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"x" * 64


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="#" onclick="steal()">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<svg onload=alert(1)>",
])
def test_markdown_is_sanitised(hostile):
    html = str(render_markdown(f"Intro\n\n{hostile}\n\n**bold**"))
    lowered = html.lower()
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "style=", "<svg"):
        assert bad not in lowered
    assert "<strong>bold</strong>" in html


def test_markdown_keeps_ordinary_formatting():
    html = str(render_markdown("# 标题\n\n- 一\n- 二\n\n[link](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h1>标题</h1>" in html and "<li>一</li>" in html and 'href="https://example.org"' in html and "<td>1</td>" in html


def test_uploads_are_checked_by_content_and_size(app, make_course, make_lesson):
    lesson = make_lesson(make_course())
    assert ops.add_file(lesson, None, filename="map.png", stream=io.BytesIO(PNG)).content_type == "image/png"
    refused = [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 64),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # renamed: the first bytes give it away
        ("page.html", b"<html><script>alert(1)</script>"),
        ("empty.pdf", b""),
        ("noext", PDF),
    ]
    for name, data in refused:
        with pytest.raises(ops.LessonError):
            ops.add_file(lesson, None, filename=name, stream=io.BytesIO(data))
    app.config["LESSON_MAX_FILE_MB"] = 1
    try:
        with pytest.raises(ops.LessonError, match="larger than 1 MB"):
            ops.add_file(lesson, None, filename="big.pdf", stream=io.BytesIO(PDF + b"x" * (1024 * 1024)))
    finally:
        app.config["LESSON_MAX_FILE_MB"] = 15
    assert db.session.scalar(sa.select(sa.func.count(LessonFile.id))) == 1


def test_timed_lesson_completes_after_the_minimum_time_with_capped_heartbeats(make_course, make_lesson, make_worker):
    course = make_course()
    timed = make_lesson(course, completion=Completion.TIME, min_seconds=120, hours="1.5")
    make_lesson(course, title="Second", position=1)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(), None)
    start = enrollment_ops.utcnow()
    progress = ops.open_lesson(timed, enrollment, now=start)
    ops.heartbeat(progress, None, now=start + timedelta(hours=5))  # left open for hours: only the cap counts
    assert progress.seconds == 75 and progress.completed_at is None
    ops.heartbeat(progress, None, now=start + timedelta(hours=5, seconds=30))
    assert progress.seconds == 105 and progress.completed_at is None
    ops.heartbeat(progress, None, now=start + timedelta(hours=5, seconds=60))
    assert progress.completed_at is not None
    assert (enrollment.progress_percent, enrollment.online_hours) == (50, Decimal("1.5"))
    with pytest.raises(ops.LessonError):  # a timed lesson is not marked done by hand
        ops.mark_done(progress, None)


def test_beats_less_than_a_second_apart_lose_no_time(make_course, make_lesson, make_worker):
    """Ten beats 0.9 s apart are 9 s of study, not nothing: the fraction carries to the next beat."""
    course = make_course()
    timed = make_lesson(course, completion=Completion.TIME, min_seconds=8)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(), None)
    start = enrollment_ops.utcnow()
    progress = ops.open_lesson(timed, enrollment, now=start)
    for n in range(1, 11):
        ops.heartbeat(progress, None, now=start + timedelta(milliseconds=900 * n))
    assert progress.seconds == 9 and progress.completed_at is not None


def test_marked_lessons_complete_by_the_trainee(make_course, make_lesson, make_worker):
    course = make_course()
    first, second = make_lesson(course, hours="1"), make_lesson(course, title="2", hours="2", position=1)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(), None)
    for lesson in (first, second):
        ops.mark_done(ops.open_lesson(lesson, enrollment), None)
    assert (enrollment.progress_percent, enrollment.hours_credited) == (100, Decimal("3"))


def test_lesson_rules(make_course):
    course = make_course()
    base = dict(title="t", body_markdown="", video_url="", hours=Decimal(1), completion=Completion.MARK, min_seconds=0,
                position=0, published=True)
    for override in ({"video_url": "javascript:alert(1)"}, {"hours": Decimal(-1)}, {"min_seconds": 99999}):
        with pytest.raises(ops.LessonError):
            ops.save_lesson(None, course, None, **(base | override))
    assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) == 0


def test_only_enrolled_trainees_and_the_course_team_open_lessons(client, make_user, make_worker, make_course, make_lesson):
    course = make_course()
    lesson = make_lesson(course, body="<script>alert(1)</script>Hello")
    hidden = make_lesson(course, title="Hidden")
    hidden.published = False
    enrolled_user = make_user("in", Role.TRAINEE)
    enrollment_ops.request_enrollment(course, make_worker(user=enrolled_user), None)
    make_user("out", Role.TRAINEE)
    make_worker(user=db.session.scalar(sa.select(type(enrolled_user)).where(type(enrolled_user).username == "out")))
    log_in(client, "out")
    assert client.get(f"/lessons/{lesson.id}").status_code == 403
    inside = client.application.test_client()
    log_in(inside, "in")
    page = inside.get(f"/lessons/{lesson.id}")
    assert page.status_code == 200 and "<script>alert" not in page.get_data(as_text=True)
    assert inside.get(f"/lessons/{hidden.id}").status_code == 404
    assert inside.get(f"/courses/{course.id}/progress").status_code == 403


def test_heartbeat_and_mark_done_over_http(client, make_user, make_worker, make_course, make_lesson):
    course = make_course()
    lesson = make_lesson(course, hours="2")
    user = make_user("in", Role.TRAINEE)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(user=user), None)
    log_in(client, "in")
    page = client.get(f"/lessons/{lesson.id}").get_data(as_text=True)
    token = page.split('data-csrf="')[1].split('"')[0]
    assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id))) == 0  # reading the page writes nothing
    start = client.post(f"/lessons/{lesson.id}/heartbeat?start=1", headers={"X-CSRFToken": token})
    assert start.status_code == 200 and start.json["seconds"] == 0
    beat = client.post(f"/lessons/{lesson.id}/heartbeat", headers={"X-CSRFToken": token})
    assert beat.status_code == 200 and beat.json["completed"] is False
    assert client.post(f"/lessons/{lesson.id}/heartbeat").status_code == 400  # no CSRF token
    assert post_form(client, f"/lessons/{lesson.id}/done", token_from=f"/lessons/{lesson.id}").status_code == 302
    db.session.expire_all()
    progress = db.session.scalar(sa.select(LessonProgress))
    assert progress.completed_at is not None
    assert db.session.get(type(enrollment), enrollment.id).hours_credited == Decimal("2")


def test_upload_over_http_refuses_bad_files(client, make_user, make_course, make_lesson):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    lesson = make_lesson(course)
    log_in(client, "teacher")

    def upload(name, data):
        return post_form(client, f"/lessons/{lesson.id}/files", {"file": (io.BytesIO(data), name)},
                         token_from=f"/lessons/{lesson.id}/edit", content_type="multipart/form-data")

    assert upload("notes.pdf", PDF).status_code == 302
    response = upload("evil.pdf", b"<script>alert(1)</script>")
    assert response.status_code == 400 and "must really be one" in response.get_data(as_text=True)
    too_big = upload("huge.pdf", PDF + b"x" * (21 * 1024 * 1024))
    assert too_big.status_code == 413
    assert db.session.scalar(sa.select(sa.func.count(LessonFile.id))) == 1
    record = db.session.scalar(sa.select(LessonFile))
    download = client.get(f"/lesson-files/{record.id}")
    assert download.status_code == 200 and download.data == PDF


def test_an_instructor_removes_a_wrong_file_after_being_asked(client, make_user, make_course, make_lesson):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    make_user("stranger", Role.INSTRUCTOR)
    lesson = make_lesson(make_course(instructors=[teacher]))
    ops.add_file(lesson, None, filename="wrong-map.pdf", stream=io.BytesIO(PDF))
    kept = ops.add_file(lesson, None, filename="map.pdf", stream=io.BytesIO(PDF + b"kept"))
    wrong = db.session.scalar(sa.select(LessonFile).where(LessonFile.original_name == "wrong-map.pdf"))
    wrong_id, stored = wrong.id, ops.files_dir() / wrong.stored_name
    log_in(client, "stranger")
    assert post_form(client, f"/lesson-files/{wrong_id}/remove", token_from="/").status_code == 403
    post_form(client, "/logout", token_from="/")
    log_in(client, "teacher")
    page = client.get(f"/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert "Remove wrong-map.pdf from this lesson?" in page or "从本课时移除 wrong-map.pdf？" in page
    assert client.post(f"/lesson-files/{wrong_id}/remove").status_code == 400  # no CSRF token: nothing removed
    response = post_form(client, f"/lesson-files/{wrong_id}/remove", token_from=f"/lessons/{lesson.id}/edit")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/lessons/{lesson.id}/edit")
    db.session.expire_all()
    assert [f.original_name for f in db.session.scalars(sa.select(LessonFile))] == ["map.pdf"]
    assert client.get(f"/lesson-files/{wrong_id}").status_code == 404
    assert client.get(f"/lesson-files/{kept.id}").status_code == 200
    page = client.get(f"/lessons/{lesson.id}/edit").get_data(as_text=True)
    assert "wrong-map.pdf" not in page and "map.pdf" in page
    assert db.session.scalar(sa.select(AuditEntry.summary).where(AuditEntry.action == "lesson.file_remove")) == "wrong-map.pdf"
    assert not stored.exists()  # deleted once the request's change committed


def test_instructor_sees_trainee_progress(client, make_user, make_worker, make_course, make_lesson):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    syllabus_ops.add_trainer(teacher, None, branch=None)
    course = make_course(instructors=[teacher])
    lesson = make_lesson(course)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(name="Wang Wu"), None)
    ops.mark_done(ops.open_lesson(lesson, enrollment), None)
    log_in(client, "teacher")
    page = client.get(f"/courses/{course.id}/progress").get_data(as_text=True)
    assert "Wang Wu" in page and "100%" in page


def test_a_new_lesson_moves_everyones_progress(make_course, make_lesson, make_worker):
    course = make_course()
    first = make_lesson(course)
    enrollment = enrollment_ops.request_enrollment(course, make_worker(), None)
    ops.mark_done(ops.open_lesson(first, enrollment), None)
    assert enrollment.progress_percent == 100
    make_lesson(course, title="Added later", position=1)
    assert enrollment.progress_percent == 50


def test_lesson_form_refuses_oversized_and_hostile_input(client, make_user, make_course):
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher])
    log_in(client, "teacher")
    base = {"title": "Lesson", "body_markdown": "text", "video_url": "", "hours": "1", "completion": "mark",
            "min_seconds": "60", "position": "0", "published": "y"}
    for override in ({"title": "x" * 201}, {"body_markdown": "x" * 100_001}, {"video_url": "javascript:alert(1)"},
                     {"hours": "-1"}, {"completion": "never"}, {"min_seconds": "99999999999"}, {"title": ""}):
        response = post_form(client, f"/courses/{course.id}/lessons/new", base | override,
                             token_from=f"/courses/{course.id}/lessons/new")
        assert response.status_code == 400, override
    assert db.session.scalar(sa.select(sa.func.count(Lesson.id))) == 0
    assert post_form(client, f"/courses/{course.id}/lessons/new", base,
                     token_from=f"/courses/{course.id}/lessons/new").status_code == 302
