"""Reads of the blueprints package: a master's copies, the branches that may still get one, lessons."""
from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from courses.enrollment.models import Course
from courses.exams.models import Exam
from courses.lessons.models import Lesson, LessonFile, LessonProgress
from courses.syllabus.models import Branch


def copies_of(master: Course) -> list[Course]:
    return list(db.session.scalars(sa.select(Course).join(Branch, Course.branch_id == Branch.id)
                                   .where(Course.master_id == master.id).order_by(Branch.code, Course.code)))


def offerable_branches(master: Course) -> list[Branch]:
    """Active branches other than the master's own that have no copy of it yet."""
    taken = sa.select(Course.branch_id).where(Course.master_id == master.id)
    return list(db.session.scalars(sa.select(Branch).where(Branch.active.is_(True), Branch.id != master.branch_id,
                                                           Branch.id.not_in(taken)).order_by(Branch.code)))


def branches_by_ids(ids) -> list[Branch]:
    return list(db.session.scalars(sa.select(Branch).where(Branch.id.in_(list(ids))).order_by(Branch.code)))


def lessons_of(course: Course) -> list[Lesson]:
    return list(db.session.scalars(sa.select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position, Lesson.id)))


def files_of(lesson: Lesson) -> list[LessonFile]:
    return list(db.session.scalars(sa.select(LessonFile).where(LessonFile.lesson_id == lesson.id).order_by(LessonFile.id)))


def has_progress(lesson: Lesson) -> bool:
    """Whether any trainee opened the lesson: such a lesson is never deleted by a sync."""
    return db.session.scalar(sa.select(sa.exists().where(LessonProgress.lesson_id == lesson.id)))


def code_taken(code: str) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Course.code == code)))


def exams_of(course: Course) -> list[Exam]:
    return list(db.session.scalars(sa.select(Exam).where(Exam.course_id == course.id).order_by(Exam.id)))
