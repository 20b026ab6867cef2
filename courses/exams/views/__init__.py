"""Pages of the assessment engine, on one blueprint: the bank (``bank``), exams and their settings
(``manage``), taking an exam (``take`` and the JSON ``courses.exams.api``), grading (``grading``)."""
from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort
from flask_babel import get_timezone
from flask_login import current_user

from academy.permissions import get_or_404
from courses.exams import access
from courses.exams.labels import DIFFICULTY_LABELS, TYPE_LABELS
from courses.exams.models import Exam

bp = Blueprint("exams", __name__)


@bp.app_context_processor
def _labels():
    return {"question_type_label": lambda t: TYPE_LABELS.get(t, t),
            "difficulty_label": lambda d: DIFFICULTY_LABELS.get(d, d)}


def to_utc(local: datetime) -> datetime:
    """A naive datetime typed in the user's zone, as UTC."""
    return local.replace(tzinfo=ZoneInfo(str(get_timezone()))).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return value.astimezone(ZoneInfo(str(get_timezone()))).replace(tzinfo=None)


def managed_exam(exam_id: int) -> Exam:
    """An exam the current user manages: 404 if it does not exist, 403 if not his."""
    exam = get_or_404(Exam, exam_id)
    if not access.can_manage_exam(current_user, exam):
        abort(403)
    return exam


from courses.exams.views import bank, grading, manage, marking, pickers, take  # noqa: E402,F401  (routes on bp)
