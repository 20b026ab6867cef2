"""Who may do what with a course or an enrollment: the object checks (``can_*``) of the package.

Views call them after loading the object (404) to answer 403; other packages (lessons, exams) ask
``can_edit_course`` for who runs a course."""
from __future__ import annotations

from academy.permissions import Role, has_role, in_scope
from courses.enrollment import queries
from courses.enrollment.models import Course, CourseStatus, Enrollment


def can_edit_course(user, course: Course) -> bool:
    """Who runs a course (roster, lessons, sessions, exams): admins, its own branch's instructors
    and the instructors named on it."""
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.INSTRUCTOR):
        return False
    return any(i.id == user.id for i in course.instructors) or (
        course.branch_id is not None and queries.instructor_branch_id(user) == course.branch_id)


def can_define_course(user, course: Course) -> bool:
    """Who changes a course's definition or publishes it: admins, and instructors of the course's own
    branch only (a trainer of the city academy, with no branch, the city academy's courses).
    Teaching a course of another branch does not make it his to redefine."""
    if has_role(user, Role.ADMIN):
        return True
    if not has_role(user, Role.INSTRUCTOR):
        return False
    return queries.in_trainer_pool(user) and queries.instructor_branch_id(user) == course.branch_id


def can_see_course(user, course: Course) -> bool:
    return course.status == CourseStatus.PUBLISHED or can_edit_course(user, course) or has_role(user, Role.HR)


def can_run_roster(user, course: Course) -> bool:
    return can_edit_course(user, course) or has_role(user, Role.HR)


def can_manage_enrollment(user, enrollment: Enrollment) -> bool:
    """The course's instructors, and HR of the trainee's area, approve and withdraw enrolments."""
    return can_edit_course(user, enrollment.course) or in_scope(user, enrollment.worker.area.code, Role.HR)
