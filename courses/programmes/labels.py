"""What each programme enum value and audit event is called, in both languages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.labels import Words
from courses.programmes.models import PlaceState, ProgrammeGoal

GOAL_LABELS = {ProgrammeGoal.PRE_SERVICE: _l("Pre-service, leading to the on-duty qualification"),
               ProgrammeGoal.IN_SERVICE: _l("Annual in-service, leading to renewal"),
               ProgrammeGoal.SPECIALIST: _l("Specialist track")}
PLACE_LABELS = {PlaceState.ACTIVE: _l("In progress"), PlaceState.COMPLETED: _l("Programme completed")}
EVENT_LABELS = {
    "programme.create": _l("Programme created"), "programme.update": _l("Programme changed"),
    "programme.bulk_enrol": _l("Grid workers enrolled in a programme in bulk"),
    "programme_place.enrol": _l("Enrolled in a programme"),
    "programme_place.advance": _l("Moved on to the programme's next course"),
    "programme_place.complete": _l("Programme completed"),
    "programme_place.refused": _l("The programme's next course could not be enrolled"),
    "programme_place.taken_back": _l("A completion in the programme was taken back (the next course stays)"),
}
FIELD_LABELS = {"goal": _l("Goal"), "courses": _l("Courses"), "position": _l("Course in the programme")}
WORDS = Words(enums={ProgrammeGoal: GOAL_LABELS, PlaceState: PLACE_LABELS}, events=EVENT_LABELS, fields=FIELD_LABELS,
              objects={"Programme": _l("Programme"), "ProgrammePlace": _l("Place in a programme")},
              links={"Programme": ("programmes.programme", "programme_id")})
