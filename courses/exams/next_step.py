"""The trainee's home card "open exams": the exams of his courses he may sit now, with their closing time."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from academy.contributions import NextStep
from academy.database import utcnow
from academy.registry.queries import worker_of_user
from academy.web.i18n import local_datetime
from courses.exams import queries


def open_exams(user) -> NextStep | None:
    """Published exams open now that he may still start or is sitting, the soonest closing first."""
    worker = worker_of_user(user)
    if worker is None:
        return None
    now = utcnow()
    exams = sorted((exam for exam in queries.published_exams_for(worker) if exam.opens_at <= now < exam.closes_at
                    and (queries.open_attempt(exam, worker.id) or queries.attempts_left(exam, worker.id) > 0)),
                   key=lambda exam: exam.closes_at)
    lines = tuple((_("%(exam)s · closes %(when)s", exam=exam.title, when=local_datetime(exam.closes_at)),
                   url_for("exams.exam", exam_id=exam.id)) for exam in exams[:3])
    soon = any((exam.closes_at - now).total_seconds() < 24 * 3600 for exam in exams)
    return NextStep("exams.open", _("Open exams"), len(exams), url_for("exams.exam_list"), icon="pencil-square",
                    tone="warning" if soon else "", lines=lines,
                    empty=_("No exam is open for you now. An exam opens when your course's instructor publishes it."))
