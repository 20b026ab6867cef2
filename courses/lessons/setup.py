"""Wire the lessons package in: blueprint, the course page's lesson list, the trainee's home section."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, render_template
from markupsafe import Markup

from academy.contributions import contribute
from academy.extensions import db
from academy.registry.queries import worker_of_user
from courses.enrollment import queries as enrollment_queries
from courses.enrollment.access import can_edit_course
from courses.enrollment.models import Enrollment, EnrollmentState
from courses.enrollment.operations import today
from courses.lessons.models import LessonProgress
from courses.lessons.views import bp, course_lessons


def course_section(course, user, enrollment) -> Markup:
    """The lesson list on a course page, with ticks for the trainee's completed lessons."""
    editor = can_edit_course(user, course)
    lessons = course_lessons(course, include_hidden=editor)
    done = set()
    if enrollment is not None:
        done = set(db.session.scalars(sa.select(LessonProgress.lesson_id).where(
            LessonProgress.enrollment_id == enrollment.id, LessonProgress.completed_at.is_not(None))))
    may_study = editor or (enrollment is not None and enrollment.state in (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED))
    return Markup(render_template("lessons/_course_section.html", course=course, lessons=lessons, done=done,
                                  editor=editor, may_study=may_study))


def home_section(user) -> Markup:
    """The trainee's home: what to study next, and what is overdue."""
    worker = worker_of_user(user)
    if worker is None:
        return Markup("")
    enrollments = db.session.scalars(sa.select(Enrollment).where(
        Enrollment.worker_id == worker.id, Enrollment.state == EnrollmentState.ENROLLED)).all()
    next_up = []
    for enrollment in enrollments:
        done = set(db.session.scalars(sa.select(LessonProgress.lesson_id).where(
            LessonProgress.enrollment_id == enrollment.id, LessonProgress.completed_at.is_not(None))))
        lesson = next((item for item in course_lessons(enrollment.course) if item.id not in done), None)
        next_up.append((enrollment, lesson))
    overdue = [a for a in enrollment_queries.assignments_of(worker) if a.overdue_on(today())]
    return Markup(render_template("lessons/_home_section.html", next_up=next_up, overdue=overdue))


def init_app(app: Flask) -> None:
    app.config.setdefault("LESSON_MAX_FILE_MB", 15)
    app.config.setdefault("LESSON_HEARTBEAT_MS", 30000)
    app.register_blueprint(bp)
    contribute(app, "course_sections", course_section, order=10)
    contribute(app, "home_sections", home_section, order=10)
