"""Who may study a course's lessons: the rule the lesson pages and the course page share.

Writing lessons is running the course (``courses.enrollment.access.can_edit_course``).
"""
from __future__ import annotations

from courses.enrollment.models import Enrollment, EnrollmentState

# An enrolled trainee studies; one who completed the course may come back to review.
LEARNING_STATES = (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED)


def can_study(editor: bool, enrollment: Enrollment | None) -> bool:
    """Those who run the course, and trainees whose enrollment is in a learning state."""
    return editor or (enrollment is not None and enrollment.state in LEARNING_STATES)


def can_open(editor: bool, lesson) -> bool:
    """A hidden lesson is seen only by those who run the course."""
    return editor or lesson.published
