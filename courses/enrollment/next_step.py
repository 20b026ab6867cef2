"""The trainee's home card "mandatory training": what he must complete, by when, the overdue first."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from academy.contributions import NextStep
from academy.registry.queries import worker_of_user
from courses.enrollment.operations import today
from courses.enrollment.queries import assignments_of


def mandatory_training(user) -> NextStep | None:
    """Mandatory courses not completed yet, with their due date; red when one is overdue."""
    worker = worker_of_user(user)
    if worker is None:
        return None
    day = today()
    due = sorted((a for a in assignments_of(worker) if a.completed_at is None), key=lambda a: a.effective_due)
    overdue = [a for a in due if a.overdue_on(day)]
    lines = tuple(((_("%(course)s · overdue since %(d)s", course=a.course.title, d=a.effective_due) if a.overdue_on(day)
                    else _("%(course)s · due %(d)s", course=a.course.title, d=a.effective_due)),
                   url_for("enrollment.course", course_id=a.course_id)) for a in due[:3])
    return NextStep("enrollment.mandatory", _("Mandatory training to complete"), len(due),
                    url_for("enrollment.my_training"), icon="calendar-check", tone="danger" if overdue else "",
                    lines=lines, empty=_("No mandatory training is due. HR assigns it when a course is required of you."))
