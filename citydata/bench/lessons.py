"""Lessons' part of the benchmark city (the ``bench_data`` slot, order 42).

Lessons are the demo's, saved through the operation for each course (the pre-service course
gets all of them). Each trainee's progress is written in bulk: a finished enrolment has studied
every lesson, one in progress some of them (and has one open); time lessons are completed only
after their minimum time, and the enrolment's online hours and progress are what ``recompute``
would make of them.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from citydata.bench.enrollment import trainee_enrollments
from citydata.bench.page import BenchPage
from citydata.demo.lessons import LESSONS
from courses.enrollment.models import Course, Enrollment
from courses.lessons.models import Lesson, LessonProgress
from courses.lessons.operations import save_lesson

LESSONS_OF = {"PRE": [lesson for lessons in LESSONS.values() for lesson in lessons],
              "DISPUTE": LESSONS["GA-ON-DISPUTE"], "HAZARD": LESSONS["GA-ON-HAZARD"]}


def make_lessons(city) -> dict[int, list]:
    """Course id -> its lessons (id, hours, completion, minimum seconds), in order."""
    made = {}
    for course_id, kind in city.state["course_kinds"].items():
        course = db.session.get(Course, course_id)
        made[course_id] = []
        for position, (title, body, hours, completion) in enumerate(LESSONS_OF[kind]):
            lesson = save_lesson(None, course, None, title=title, body_markdown=body, video_url="", hours=Decimal(hours),
                                 completion=completion, min_seconds=180, position=position, published=True)
            made[course_id].append((lesson.id, lesson.hours, lesson.completion, lesson.min_seconds))
            city.count("lessons")
    return made


def _study(city, enrollment: tuple, lessons: list) -> tuple[Decimal, int]:
    """Progress rows of one enrolment; returns its online hours and progress percent."""
    enrollment_id, _course, _worker, _user, outcome, enrolled, finished = enrollment
    rng, until = city.rng, finished or city.end
    done = len(lessons) if outcome != "enrolled" else rng.randint(0, len(lessons))
    span = max((until - enrolled).total_seconds(), 60.0)
    hours = Decimal("0")
    for index, (lesson_id, lesson_hours, _completion, min_seconds) in enumerate(lessons[:done + 1]):
        opened = enrolled + timedelta(seconds=span * (index + rng.random() * 0.5) / (len(lessons) + 1))
        complete = index < done
        seconds = rng.randint(min_seconds, min_seconds * 4) if complete else rng.randint(10, max(min_seconds - 1, 10))
        last_seen = min(opened + timedelta(seconds=seconds), until)
        city.writer.add(LessonProgress.__table__, {
            "lesson_id": lesson_id, "enrollment_id": enrollment_id, "first_opened_at": opened, "last_seen_at": last_seen,
            "seconds": seconds, "completed_at": last_seen if complete else None})
        city.count("lesson progress")
        if complete:
            hours += lesson_hours
    return hours, round(100 * done / len(lessons)) if lessons else 0


def run(city) -> None:
    """Lessons of every course, then every enrolment's progress, online hours and percent."""
    lessons = make_lessons(city)
    updates = []
    for enrollment in city.state["enrollments"]:
        hours, percent = _study(city, enrollment, lessons[enrollment[1]])
        updates.append({"key": enrollment[0], "online_hours": hours, "progress_percent": percent})
        city.writer.maybe_flush()
    city.writer.flush()
    table = Enrollment.__table__
    statement = table.update().where(table.c.id == sa.bindparam("key")).values(
        online_hours=sa.bindparam("online_hours"), progress_percent=sa.bindparam("progress_percent"))
    for start in range(0, len(updates), 5000):
        db.session.execute(statement, updates[start:start + 5000])


def pages(city_code: str, samples: int) -> list:
    """A lesson of each sample trainee's course (the ``bench_pages`` slot)."""
    result = []
    for name, enrollment in trainee_enrollments(city_code, samples):
        lesson = db.session.scalar(sa.select(Lesson.id).where(Lesson.course_id == enrollment.course_id)
                                   .order_by(Lesson.position.desc()).limit(1))
        result.append(BenchPage("lesson", name, f"/lessons/{lesson}"))
    return result
