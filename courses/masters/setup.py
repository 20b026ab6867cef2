"""Wire the blueprints package in: its pages, its labels, its job, and its part of a course page."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.contributions import JobKind, contribute
from courses.enrollment.access import can_edit_course
from courses.masters import access, operations, queries
from courses.masters.labels import WORDS
from courses.masters.views import bp


def course_section(course, user, enrollment) -> Markup:
    """On a copy: whence it is synced and which parts the master keeps; on a master: its copies.
    Shown to those who run the course and to the administrators; trainees need none of it."""
    keeper = access.can_keep_masters(user)
    if not (keeper or can_edit_course(user, course)) or not (course.master_id or course.is_master or keeper):
        return Markup("")
    copies = queries.copies_of(course) if course.is_master else []
    return Markup(render_template("masters/_course_section.html", course=course, copies=copies, keeper=keeper))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "job_kinds", JobKind(operations.JOB_KIND, _l("Update branch copies")))
    contribute(app, "course_sections", course_section, order=1)
