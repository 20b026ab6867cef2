"""Reads of the enrollment package: the catalogue, a course's roster and sessions, the choices of its
forms, HR's lists (overdue training, extensions, training needs) and training statistics.
Every read a view of the package does is here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from academy.accounts.models import User
from academy.contributions import contributions
from academy.extensions import db
from academy.permissions import Role, area_scopes, has_role, scope_clause
from academy.registry.models import Area, Worker
from academy.registry.queries import areas_in_scope
from courses.enrollment.models import (
    ClassSession,
    Course,
    CourseStatus,
    Enrollment,
    EnrollmentState,
    ExtensionStatus,
    MandatoryRule,
    TrainingAssignment,
)
from courses.syllabus.models import Branch, SyllabusUnit, SyllabusVersion, Trainer

MAX_AREA_CHOICES = 500
MAX_OVERDUE = 2000


def instructor_branch_id(user) -> int | None:
    """The branch academy of an active instructor in the trainer pool (None: the city academy, or not in it)."""
    return db.session.scalar(sa.select(Trainer.branch_id).where(Trainer.user_id == user.id, Trainer.active.is_(True)))


def in_trainer_pool(user) -> bool:
    """An active trainer (a deactivated one stays on record but no longer runs his branch's courses)."""
    return db.session.scalar(sa.select(Trainer.id).where(Trainer.user_id == user.id, Trainer.active.is_(True))) is not None


@dataclass
class SpecialtyGap:
    """An instructor of a course who is not an active trainer, or whose specialties leave units out."""

    user: User
    trainer: Trainer | None
    units: list[SyllabusUnit]


def _covers(specialties: list[str], code: str) -> bool:
    """A specialty covers its own unit and the units under it (a module covers its sections)."""
    return any(code == s or code.startswith(s + ".") for s in specialties)


def specialty_gaps(course: Course) -> list[SpecialtyGap]:
    """The course's instructors whose trainer-pool record does not cover the course's units."""
    trainers = {t.user_id: t for t in db.session.scalars(sa.select(Trainer).where(
        Trainer.user_id.in_([user.id for user in course.instructors])))}
    gaps = []
    for user in course.instructors:
        trainer = trainers.get(user.id)
        specialties = list(trainer.specialties or []) if trainer is not None and trainer.active else []
        units = [unit for unit in course.units if not _covers(specialties, unit.code)]
        if trainer is None or not trainer.active or units:
            gaps.append(SpecialtyGap(user, trainer, units))
    return gaps


def published_courses(search: str = "") -> list[Course]:
    query = sa.select(Course).where(Course.status == CourseStatus.PUBLISHED).order_by(Course.starts_on, Course.code)
    if search:
        pattern = f"%{search}%"
        query = query.where(sa.or_(Course.title.ilike(pattern, escape="\\"), Course.code.ilike(pattern, escape="\\")))
    return db.session.scalars(query.limit(200)).all()


def unpublished_courses() -> list[Course]:
    """Drafts and archived courses (the catalogue shows those its viewer may edit)."""
    return db.session.scalars(sa.select(Course).where(Course.status != CourseStatus.PUBLISHED)
                              .order_by(Course.code)).all()


def all_courses() -> list[Course]:
    return db.session.scalars(sa.select(Course).order_by(Course.code)).all()


def courses_by_ids(ids) -> list[Course]:
    return db.session.scalars(sa.select(Course).where(Course.id.in_(ids))).all()


def active_branches() -> list[Branch]:
    return db.session.scalars(sa.select(Branch).where(Branch.active.is_(True)).order_by(Branch.code)).all()


def active_instructors() -> list[User]:
    """Active log-ins holding the instructor role, by user name (who may teach a course)."""
    users = db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.username))
    return [user for user in users if has_role(user, Role.INSTRUCTOR)]


def users_by_ids(ids) -> list[User]:
    return db.session.scalars(sa.select(User).where(User.id.in_(ids))).all()


def enrollment_of(course: Course, worker: Worker | None) -> Enrollment | None:
    """The worker's enrollment on the course, whatever its state (None without a worker)."""
    if worker is None:
        return None
    return db.session.scalar(sa.select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.worker_id == worker.id))


def sessions_of(course: Course) -> list[ClassSession]:
    return db.session.scalars(sa.select(ClassSession).where(ClassSession.course_id == course.id)
                              .order_by(ClassSession.starts_at)).all()


def roster(course: Course) -> list[Enrollment]:
    """Every enrollment of the course: by state, then who waited first."""
    return db.session.scalars(sa.select(Enrollment).where(Enrollment.course_id == course.id)
                              .order_by(Enrollment.state, Enrollment.waitlisted_at, Enrollment.id)).all()


def attending_enrollments(session: ClassSession) -> list[Enrollment]:
    """Who a classroom session's attendance is taken for: the course's enrolled and completed trainees."""
    return db.session.scalars(sa.select(Enrollment).where(
        Enrollment.course_id == session.course_id,
        Enrollment.state.in_([EnrollmentState.ENROLLED, EnrollmentState.COMPLETED])).order_by(Enrollment.id)).all()


def hr_area_choices(user) -> list[tuple[str, str]]:
    """Districts, streets and communities inside the user's HR scope, as (code, label)."""
    return [(area.code, f"{area.code} {area.name}")
            for area in areas_in_scope(area_scopes(user, Role.HR))[:MAX_AREA_CHOICES]]


def mandatory_rules(scopes) -> list[MandatoryRule]:
    """The latest mandatory-training rules of areas inside ``scopes``."""
    return db.session.scalars(sa.select(MandatoryRule).where(scope_clause(MandatoryRule.area_code, scopes))
                              .order_by(MandatoryRule.created_at.desc()).limit(100)).all()


def overdue_query(scopes, day: date):
    """Open assignments past their (extended) due date, for workers in ``scopes`` (area prefixes)."""
    due = sa.func.coalesce(TrainingAssignment.extended_to, TrainingAssignment.due_on)
    return (sa.select(TrainingAssignment).join(TrainingAssignment.worker).join(Worker.area)
            .where(TrainingAssignment.completed_at.is_(None), due < day, scope_clause(Area.code, scopes))
            .order_by(due, Worker.number))


def overdue(scopes, day: date) -> list[TrainingAssignment]:
    return db.session.scalars(overdue_query(scopes, day).limit(MAX_OVERDUE)).all()


def overdue_count(scopes, day: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(overdue_query(scopes, day).subquery()))


def taken_back_query(scopes):
    """Completions the rule took back (a regrade, a withdrawn attendance) and not completed again, in ``scopes``."""
    return (sa.select(Enrollment).join(Enrollment.worker).join(Worker.area)
            .where(Enrollment.taken_back_at.is_not(None), Enrollment.state == EnrollmentState.ENROLLED,
                   scope_clause(Area.code, scopes)).order_by(Enrollment.taken_back_at.desc()))


def taken_back(scopes) -> list[Enrollment]:
    return db.session.scalars(taken_back_query(scopes).limit(MAX_OVERDUE)).all()


def taken_back_count(scopes) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(taken_back_query(scopes).subquery()))


def _requested_extensions_query(scopes):
    return (sa.select(TrainingAssignment).join(TrainingAssignment.worker).join(Worker.area)
            .where(TrainingAssignment.extension_status == ExtensionStatus.REQUESTED, scope_clause(Area.code, scopes)))


def requested_extensions(scopes) -> list[TrainingAssignment]:
    """Assignments whose worker (in ``scopes``) asked for a later due date, awaiting HR's decision."""
    return db.session.scalars(_requested_extensions_query(scopes).order_by(TrainingAssignment.id)).all()


def requested_extensions_count(scopes) -> int:
    """How many extension requests in ``scopes`` await HR's decision (HR's workbench)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(_requested_extensions_query(scopes).subquery()))


NEEDS_PAGE_SIZE = 50


def serving_workers(scopes, *, area_code: str = "", page: int = 1) -> tuple[list[Worker], int]:
    """One page of the workers in ``scopes`` (and ``area_code``) who have not exited, by area and number,
    and how many there are in all (the training-needs page walks every one of them, page by page)."""
    query = sa.select(Worker).join(Worker.area).where(scope_clause(Area.code, scopes), Worker.exited_on.is_(None))
    if area_code:
        query = query.where(Area.code.startswith(area_code, autoescape=True))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    workers = db.session.scalars(query.order_by(Area.code, Worker.number)
                                 .offset((page - 1) * NEEDS_PAGE_SIZE).limit(NEEDS_PAGE_SIZE)).all()
    return workers, total


def workers_by_ids(ids) -> dict[int, Worker]:
    return {worker.id: worker for worker in db.session.scalars(sa.select(Worker).where(Worker.id.in_(list(ids))))}



def recommended_courses(key: str) -> list[Course]:
    """Published courses on the current syllabus covering a unit with this code or case category."""
    units = db.session.scalars(sa.select(SyllabusUnit).join(SyllabusUnit.version).where(
        SyllabusVersion.current.is_(True))).all()
    unit_ids = {u.id for u in units if u.code == key or key in (u.case_categories or [])}
    if not unit_ids:
        return []
    return [c for c in db.session.scalars(sa.select(Course).where(Course.status == CourseStatus.PUBLISHED)
                                          .order_by(Course.code)) if unit_ids & {u.id for u in c.units}]


def training_needs(worker: Worker) -> list[dict]:
    """What the ``training_needs`` providers report for ``worker``, with the courses that answer it."""
    needs = []
    for provider in contributions("training_needs"):
        for key, reason in provider(worker):
            needs.append({"key": key, "reason": reason, "courses": recommended_courses(key)})
    return needs


def enrollments_of(worker: Worker) -> list[Enrollment]:
    return db.session.scalars(sa.select(Enrollment).where(Enrollment.worker_id == worker.id)
                              .order_by(Enrollment.requested_at.desc())).all()


def assignment_for(enrollment: Enrollment) -> TrainingAssignment | None:
    """The worker's mandatory assignment of the enrollment's course, if any."""
    return db.session.scalar(sa.select(TrainingAssignment).where(
        TrainingAssignment.worker_id == enrollment.worker_id, TrainingAssignment.course_id == enrollment.course_id))


def assignments_of(worker: Worker) -> list[TrainingAssignment]:
    return db.session.scalars(sa.select(TrainingAssignment).where(TrainingAssignment.worker_id == worker.id)
                              .order_by(TrainingAssignment.due_on)).all()


def waitlist_position(enrollment: Enrollment) -> int | None:
    if enrollment.state != EnrollmentState.WAITLISTED:
        return None
    return 1 + db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.course_id == enrollment.course_id, Enrollment.state == EnrollmentState.WAITLISTED,
        sa.or_(Enrollment.waitlisted_at < enrollment.waitlisted_at,
               sa.and_(Enrollment.waitlisted_at == enrollment.waitlisted_at, Enrollment.id < enrollment.id))))


def picker_courses(*, search: str = "", code: str = "", course_id: int | None = None, limit: int = 20) -> list[Course]:
    """Courses of the catalogue (drafts and archived ones too: staff filter by them) for the course
    picker, by title or code, or the one named; the catalogue is the whole city's."""
    query = sa.select(Course).order_by(Course.code).limit(limit)
    if search:
        query = query.where(sa.or_(Course.title.contains(search, autoescape=True),
                                   Course.code.contains(search, autoescape=True)))
    if code:
        query = query.where(Course.code == code)
    if course_id:
        query = query.where(Course.id == course_id)
    return list(db.session.scalars(query))
