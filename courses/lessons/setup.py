"""Wire the lessons package in: blueprint, the course page's lesson list, the trainee's home section."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_pgettext
from markupsafe import Markup

from academy.contributions import Tab, contribute
from academy.registry.queries import worker_of_user
from academy.web.shell import has_tab_bar
from courses.enrollment.access import can_edit_course
from courses.enrollment.models import EnrollmentState
from courses.enrollment.operations import today
from courses.enrollment.queries import assignments_of, enrollments_of
from courses.lessons import access, next_step, queries
from courses.lessons.labels import WORDS
from courses.lessons.views import bp


def course_section(course, user, enrollment) -> Markup:
    """The lesson list on a course page, with ticks for the trainee's completed lessons."""
    editor = can_edit_course(user, course)
    lessons = queries.course_lessons(course, include_hidden=editor)
    done = queries.done_lesson_ids(enrollment) if enrollment is not None else set()
    return Markup(render_template("lessons/_course_section.html", course=course, lessons=lessons, done=done,
                                  editor=editor, may_study=access.can_study(editor, enrollment)))


def home_section(user) -> Markup:
    """The home of a worker: what to study next, what is overdue, and the courses he completed lately.
    A trainee's "what to do next" cards already say the first two (the courses he studies, the
    mandatory training due): below them he finds only the courses he completed lately."""
    worker = worker_of_user(user)
    if worker is None:
        return Markup("")
    completed = sorted((e for e in enrollments_of(worker) if e.state == EnrollmentState.COMPLETED),
                       key=lambda e: e.finished_at, reverse=True)[:3]
    if has_tab_bar(user):
        return Markup(render_template("lessons/_home_section.html", next_up=None, overdue=(), completed=completed))
    next_up = queries.next_lessons(worker)
    overdue = [a for a in assignments_of(worker) if a.overdue_on(today())]
    return Markup(render_template("lessons/_home_section.html", next_up=next_up, overdue=overdue, completed=completed))


def init_app(app: Flask) -> None:
    app.config.setdefault("LESSON_MAX_FILE_MB", 15)
    app.config.setdefault("LESSON_HEARTBEAT_MS", 30000)
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "course_sections", course_section, order=10)
    contribute(app, "home_sections", home_section, order=10)
    contribute(app, "next_steps", next_step.next_lesson, order=10)
    contribute(app, "tabs", Tab("enrollment.my_training", lazy_pgettext("tab", "Learning"), "book",
                                blueprints=("enrollment", "lessons", "syllabus")), order=100)
    contribute(app, "completion_conditions", queries.completion_conditions, order=10)
    contribute(app, "course_lessons", queries.course_lessons)
    contribute(app, "dated_hours", queries.dated_hours)
