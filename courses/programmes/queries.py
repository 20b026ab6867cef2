"""Reads of programmes: the list, one worker's places, and who is where in a programme (paged)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker
from courses.enrollment.models import Course, CourseStatus, Enrollment
from courses.enrollment.queries import courses_by_ids
from courses.programmes.models import PlaceState, Programme, ProgrammeCourse, ProgrammePlace

PAGE_SIZE = 50


def programmes() -> list[Programme]:
    return db.session.scalars(sa.select(Programme).order_by(Programme.code)).all()


def programme_by_code(code: str) -> Programme | None:
    return db.session.scalar(sa.select(Programme).where(Programme.code == code))


def place_of(programme: Programme, worker: Worker) -> ProgrammePlace | None:
    return db.session.scalar(sa.select(ProgrammePlace).where(
        ProgrammePlace.programme_id == programme.id, ProgrammePlace.worker_id == worker.id))


def places_of(worker: Worker) -> list[ProgrammePlace]:
    """Every programme the worker is in (active first)."""
    return db.session.scalars(sa.select(ProgrammePlace).where(ProgrammePlace.worker_id == worker.id)
                              .order_by(ProgrammePlace.state, ProgrammePlace.id)).all()


def position_of(programme: Programme, course: Course) -> int | None:
    return db.session.scalar(sa.select(ProgrammeCourse.position).where(
        ProgrammeCourse.programme_id == programme.id, ProgrammeCourse.course_id == course.id))


@dataclass
class Place:
    """A worker's place as people read it: the course he is on and how far he is in it."""

    place: ProgrammePlace
    course: Course | None  # None once the programme is completed
    enrollment: Enrollment | None
    next_course: Course | None

    @property
    def worker(self) -> Worker:
        return self.place.worker


def describe(place: ProgrammePlace) -> Place:
    courses = place.programme.courses
    course = courses[place.position] if place.state == PlaceState.ACTIVE and place.position < len(courses) else None
    enrollment = None
    if course is not None:
        enrollment = db.session.scalar(sa.select(Enrollment).where(
            Enrollment.course_id == course.id, Enrollment.worker_id == place.worker_id))
    upcoming = courses[place.position + 1] if course is not None and place.position + 1 < len(courses) else None
    return Place(place, course, enrollment, upcoming)


def _places_query(programme: Programme, scopes, area_code: str, position: int | None):
    query = (sa.select(ProgrammePlace).join(ProgrammePlace.worker).join(Worker.area)
             .where(ProgrammePlace.programme_id == programme.id, scope_clause(Area.code, scopes)))
    if area_code:
        query = query.where(Area.code.startswith(area_code, autoescape=True))
    if position is not None:
        query = query.where(ProgrammePlace.position == position, ProgrammePlace.state == PlaceState.ACTIVE)
    return query


def places(programme: Programme, scopes, *, area_code: str = "", position: int | None = None,
           page: int = 1) -> tuple[list[Place], int]:
    """One page of the people in ``programme`` inside ``scopes`` (optionally an area, a course's
    position), by area and worker number; and how many there are in all."""
    query = _places_query(programme, scopes, area_code, position)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Area.code, Worker.number)
                              .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return [describe(place) for place in rows], total


def counts_by_position(programme: Programme, scopes) -> dict[int | None, int]:
    """How many people are on each course of the programme (``None``: completed it), in ``scopes``."""
    query = (sa.select(ProgrammePlace.state, ProgrammePlace.position, sa.func.count(ProgrammePlace.id))
             .join(ProgrammePlace.worker).join(Worker.area)
             .where(ProgrammePlace.programme_id == programme.id, scope_clause(Area.code, scopes))
             .group_by(ProgrammePlace.state, ProgrammePlace.position))
    counts: dict[int | None, int] = {}
    for state, position, n in db.session.execute(query):
        key = None if state == PlaceState.COMPLETED else position
        counts[key] = counts.get(key, 0) + n
    return counts


def programmes_of_course(course: Course) -> list[Programme]:
    return db.session.scalars(sa.select(Programme).join(ProgrammeCourse).where(
        ProgrammeCourse.course_id == course.id).order_by(Programme.code)).all()


def course_choices() -> list[tuple[int, str]]:
    """The courses a programme may list (published or draft), as (id, code and title)."""
    courses = db.session.scalars(sa.select(Course).where(Course.status != CourseStatus.ARCHIVED)
                                 .order_by(Course.code).limit(500)).all()
    return [(course.id, f"{course.code} {course.title}") for course in courses]



def courses_in_order(ids: list[int]) -> list[Course]:
    """The courses of ``ids`` in that order (an id that names no course is left out)."""
    found = {course.id: course for course in courses_by_ids(ids)}
    return [found[i] for i in ids if i in found]
