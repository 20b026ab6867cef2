"""Programme operations: keep a programme, enrol workers in it (its first course), and move each
one on to the next course when he completes one. Each flushes, audits and never commits.

A worker's place moves on when the enrollment of the course he is on completes (enrollment's
``course_result_changed``, received by ``on_course_result_changed`` in the same transaction): the
next course is enrolled at once (a seat or the waitlist); when that is refused (closed, a prerequisite)
the place keeps the reason for HR and the refusal is audited. A course he completed before is passed
over. A completion taken back later does not take the next course away: the place stays where it is,
and the taking back is audited on the place so HR sees it. Enrolling twice, or the same completion
announced twice, changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from academy import audit
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.registry.models import Worker
from courses.enrollment import training
from courses.enrollment.models import ACTIVE_STATES, Course, EnrollmentState
from courses.enrollment.operations import EnrollmentError, request_enrollment
from courses.enrollment.queries import enrollment_of
from courses.programmes import queries
from courses.programmes.models import PlaceState, Programme, ProgrammeCourse, ProgrammeGoal, ProgrammePlace

MAX_COURSES = 12


class ProgrammeError(DomainError):
    """A programme rule refused the change; the message is for the user."""


def save_programme(programme: Programme | None, by, *, code: str, title: str, goal: ProgrammeGoal,
                   description: str, courses: list[Course]) -> Programme:
    """Create or change a programme and the order of its courses. Places keep their position. Flushes."""
    clash = queries.programme_by_code(code)
    if clash is not None and clash is not programme:
        raise ProgrammeError(_("Programme code %(code)s is taken.", code=code))
    if not courses or len(courses) > MAX_COURSES:
        raise ProgrammeError(_("A programme has 1 to %(n)d courses.", n=MAX_COURSES))
    if len({course.id for course in courses}) != len(courses):
        raise ProgrammeError(_("A course comes once in a programme."))
    creating = programme is None
    before = None if creating else _described(programme)
    if creating:
        programme = Programme(created_by_id=getattr(by, "id", None))
        db.session.add(programme)
    programme.code, programme.title, programme.goal, programme.description = code, title, goal, description
    programme.steps.clear()
    db.session.flush()  # the old positions go before the new ones take them
    programme.steps.extend(ProgrammeCourse(position=i, course=course) for i, course in enumerate(courses))
    db.session.flush()
    audit.record(by, "programme.create" if creating else "programme.update", programme, summary=programme.code,
                 before=before, after=_described(programme))
    return programme


def _described(programme: Programme) -> dict:
    return {"code": programme.code, "title": programme.title, "goal": programme.goal.value,
            "courses": [course.code for course in programme.courses]}


def enrol_worker(programme: Programme, worker: Worker, by) -> ProgrammePlace | None:
    """Put ``worker`` in ``programme`` and enrol him in its first course he has not completed;
    None when he is in it already. Flushes."""
    if not programme.steps:
        raise ProgrammeError(_("This programme has no courses."))
    if queries.place_of(programme, worker) is not None:
        return None
    place = ProgrammePlace(programme=programme, worker=worker, state=PlaceState.ACTIVE, position=0)
    db.session.add(place)
    db.session.flush()
    audit.record(by, "programme_place.enrol", place, summary=f"{programme.code} {worker.number}")
    _enter_course(place, by)
    return place


def _enter_course(place: ProgrammePlace, by) -> None:
    """Enrol the worker in the course at his place, passing over courses he has completed; the
    programme completes after the last one."""
    courses = place.programme.courses
    while place.position < len(courses):
        course = courses[place.position]
        enrollment = enrollment_of(course, place.worker)
        if enrollment is not None and enrollment.state == EnrollmentState.COMPLETED:
            place.position += 1
            continue
        if enrollment is None or enrollment.state not in ACTIVE_STATES:
            _request(place, course, by)
        break
    else:
        place.state, place.completed_at, place.note = PlaceState.COMPLETED, utcnow(), ""
        audit.record(by, "programme_place.complete", place, summary=f"{place.programme.code} {place.worker.number}")
    db.session.flush()


def _request(place: ProgrammePlace, course: Course, by) -> None:
    try:
        with db.session.begin_nested():
            request_enrollment(course, place.worker, by, source="programme")
        place.note = ""
    except EnrollmentError as error:
        place.note = str(error)[:500]
        audit.record(by, "programme_place.refused", place, summary=f"{course.code} {place.note}"[:500])


def on_course_result_changed(_app, *, enrollment, by=None) -> None:
    """Receives enrollment's ``course_result_changed``: a completion moves the worker's places on to
    the next course; a completion taken back is audited on the places it had moved on."""
    for place in queries.places_of(enrollment.worker):
        position = queries.position_of(place.programme, enrollment.course)
        if position is None:
            continue
        if enrollment.state == EnrollmentState.COMPLETED and place.state == PlaceState.ACTIVE \
                and place.position == position:
            place.position += 1
            audit.record(by, "programme_place.advance", place,
                         summary=f"{place.programme.code} {enrollment.course.code}", after={"position": place.position})
            _enter_course(place, by)
        elif enrollment.state == EnrollmentState.ENROLLED and (place.position > position or place.state == PlaceState.COMPLETED):
            audit.record(by, "programme_place.taken_back", place,
                         summary=f"{place.programme.code} {enrollment.course.code}"[:500])


@dataclass
class BulkResult:
    enrolled: int = 0
    already: int = 0
    skipped: list[str] = field(default_factory=list)


def bulk_enrol(programme: Programme, population: training.Population, by) -> BulkResult:
    """HR puts everyone in ``population`` in the programme (its scope checked). Flushes."""
    result = BulkResult()
    for worker in training.population_workers(population, by):
        try:
            with db.session.begin_nested():
                place = enrol_worker(programme, worker, by)
        except DomainError as error:
            result.skipped.append(f"{worker.name}: {error}")
            continue
        if place is None:
            result.already += 1
        else:
            result.enrolled += 1
    audit.record(by, "programme.bulk_enrol", programme, summary=f"{population.area_code} {population.employment} {population.status}",
                 after={"enrolled": result.enrolled, "skipped": len(result.skipped) + result.already})
    return result

