"""The final exam's part in a course's completion rule (the enrollment's ``completion_conditions`` slot)."""
from __future__ import annotations

from flask_babel import gettext as _

from courses.enrollment.completion import Condition
from courses.enrollment.models import Course, Enrollment
from courses.exams.queries import attempt_evidence, passed_final_attempts


def completion_conditions(course: Course, enrollment: Enrollment | None) -> list[Condition]:
    """The final exam passed (at the course's minimum when it asks for more than the exam's pass mark);
    a regrade below the mark makes the attempt drop out at once."""
    if not course.completion_final:
        return []
    minimum = course.completion_final_min
    if minimum is not None:
        label = _("Final exam passed with at least %(p)s %%", p=f"{minimum.normalize():f}")
    else:
        label = _("Final exam passed")
    if enrollment is None:
        return [Condition(label, False)]
    attempts = passed_final_attempts(enrollment.worker_id, course_id=course.id, min_percent=minimum,
                                     pre_service_only=False)
    if not attempts:
        return [Condition(label, False, [_("final exam")])]
    return [Condition(label, True, [], {"attempt": attempt_evidence(attempts[0])})]
