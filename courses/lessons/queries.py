"""Reading lessons and progress: a course's lessons, a trainee's enrollment and progress in them."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.extensions import db
from courses.enrollment.completion import Condition, join_names
from courses.enrollment.models import Course, Enrollment, EnrollmentState, LessonsRequired
from courses.lessons.access import LEARNING_STATES
from courses.lessons.models import Lesson, LessonProgress


def course_lessons(course: Course, include_hidden: bool = False) -> list[Lesson]:
    """A course's lessons in their order; hidden ones only when asked (for those who run it)."""
    query = sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position, Lesson.id)
    if not include_hidden:
        query = query.where(Lesson.published.is_(True))
    return db.session.scalars(query).all()


def learning_enrollment(lesson: Lesson, worker) -> Enrollment | None:
    """The worker's enrollment that lets him study ``lesson`` (enrolled, or completed: review)."""
    if worker is None:
        return None
    return db.session.scalar(sa.select(Enrollment).where(
        Enrollment.course_id == lesson.course_id, Enrollment.worker_id == worker.id,
        Enrollment.state.in_(LEARNING_STATES)))


def progress_of(lesson: Lesson, enrollment: Enrollment) -> LessonProgress | None:
    """The trainee's progress in one lesson, if he has opened it."""
    return db.session.scalar(sa.select(LessonProgress).where(
        LessonProgress.lesson_id == lesson.id, LessonProgress.enrollment_id == enrollment.id))


def done_lesson_ids(enrollment: Enrollment) -> set[int]:
    """The ids of the lessons the enrollment has completed."""
    return set(db.session.scalars(sa.select(LessonProgress.lesson_id).where(
        LessonProgress.enrollment_id == enrollment.id, LessonProgress.completed_at.is_not(None))))


def studying(worker) -> list[Enrollment]:
    """The worker's enrollments in courses he is studying now."""
    return db.session.scalars(sa.select(Enrollment).where(
        Enrollment.worker_id == worker.id, Enrollment.state == EnrollmentState.ENROLLED)).all()


def next_lessons(worker) -> list[tuple[Enrollment, Lesson | None]]:
    """Each course the worker is studying with the first of its lessons he has not completed (None
    when he has done them all)."""
    next_up = []
    for enrollment in studying(worker):
        done = done_lesson_ids(enrollment)
        next_up.append((enrollment, next((item for item in course_lessons(enrollment.course) if item.id not in done),
                                         None)))
    return next_up


def course_enrollments(course: Course) -> list[Enrollment]:
    return db.session.scalars(sa.select(Enrollment).where(Enrollment.course_id == course.id)
                              .order_by(Enrollment.id)).all()


def completed_pairs(course: Course) -> set[tuple[int, int]]:
    """(enrollment id, lesson id) of every lesson completed in the course (the progress grid)."""
    return {(p.enrollment_id, p.lesson_id) for p in db.session.scalars(
        sa.select(LessonProgress).join(LessonProgress.lesson)
        .where(Lesson.course_id == course.id, LessonProgress.completed_at.is_not(None)))}


def completion_conditions(course: Course, enrollment: Enrollment | None) -> list[Condition]:
    """The ``completion_conditions`` slot: the lessons a course's rule asks for (all, or those listed),
    each missing one named by its place in the course ("lesson 3")."""
    if course.completion_lessons == LessonsRequired.NONE:
        return []
    lessons = course_lessons(course)
    number = {lesson.id: place for place, lesson in enumerate(lessons, 1)}
    if course.completion_lessons == LessonsRequired.ALL:
        wanted, label = lessons, _("All lessons")
    else:
        listed = set(course.completion_lesson_ids or [])
        wanted = [lesson for lesson in lessons if lesson.id in listed]
        label = _("Lessons %(names)s", names=join_names([_("lesson %(n)d", n=number[item.id]) for item in wanted]))
    if enrollment is None:
        return [Condition(label, False)]
    done = done_lesson_ids(enrollment)
    missing = [_("lesson %(n)d", n=number[item.id]) for item in wanted if item.id not in done]
    return [Condition(label, bool(wanted) and not missing, missing,
                      {"lessons": [item.id for item in wanted if item.id in done]})]


def dated_hours(worker_ids, start, end, kinds) -> dict[int, Decimal]:
    """The ``dated_hours`` slot: hours of the lessons each worker completed in [start, end), in courses
    of ``kinds`` (annual in-service hours)."""
    rows = db.session.execute(
        sa.select(Enrollment.worker_id, sa.func.sum(Lesson.hours))
        .select_from(LessonProgress).join(LessonProgress.lesson).join(LessonProgress.enrollment).join(Enrollment.course)
        .where(LessonProgress.completed_at >= start, LessonProgress.completed_at < end, Course.kind.in_(kinds),
               Enrollment.worker_id.in_(worker_ids))
        .group_by(Enrollment.worker_id))
    return {worker_id: Decimal(hours or 0) for worker_id, hours in rows}
