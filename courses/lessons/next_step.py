"""The trainee's home card "next lesson": the courses he is studying and the lesson to open next."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from academy.contributions import NextStep
from academy.registry.queries import worker_of_user
from courses.lessons import queries


def next_lesson(user) -> NextStep | None:
    """How many courses he is studying, each with its progress, and a button to the next lesson."""
    worker = worker_of_user(user)
    if worker is None:
        return None
    next_up = queries.next_lessons(worker)
    lines = tuple((_("%(course)s · %(p)d%%", course=enrollment.course.title, p=enrollment.progress_percent),
                   url_for("enrollment.course", course_id=enrollment.course_id)) for enrollment, _lesson in next_up)
    first = next(((enrollment, lesson) for enrollment, lesson in next_up if lesson is not None), None)
    action = (_("Continue: %(t)s", t=first[1].title), url_for("lessons.lesson", lesson_id=first[1].id)) if first else None
    url = url_for("enrollment.my_training") if next_up else url_for("enrollment.catalogue")
    return NextStep("lessons.next", _("Courses I am studying"), len(next_up), url,
                    icon="book", lines=lines[:3], action=action,
                    empty=_("You are not enrolled in any course: find one in the course catalogue."))
