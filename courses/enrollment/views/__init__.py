"""Pages of the enrollment package, on one blueprint: the catalogue, a course, editing, enrolment and
withdrawal, roster, results, classroom sessions and attendance (``courses``); HR's training pages and
the trainee's own training page (``hr``); annual in-service hours (``hours``)."""
from __future__ import annotations

from flask import Blueprint

from courses.enrollment.labels import DELIVERY_LABELS, KIND_LABELS, STATE_LABELS
from courses.enrollment.models import CourseKind, Delivery, EnrollmentState

bp = Blueprint("enrollment", __name__)


@bp.app_context_processor
def _labels():
    return {
        "enrollment_state_label": lambda s: STATE_LABELS[EnrollmentState(s)],
        "course_kind_label": lambda k: KIND_LABELS[CourseKind(k)],
        "delivery_label": lambda d: DELIVERY_LABELS[Delivery(d)],
    }


from courses.enrollment.views import courses, effect, hours, hr, needs, pickers  # noqa: E402,F401  (routes on bp)
