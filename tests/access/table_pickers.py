"""Access rows of the pickers' search endpoints (JSON). Each answers 200 to the roles that pick
in their own areas (a same-role user of another area gets an empty list: what lies outside his
areas is never found, tests/academy/registry/test_pickers.py), 403 to everyone else."""
from __future__ import annotations

from tests.access import Access

AREA = {"admin": 200, "hr": 200, "hr_other": 200, "viewer": 200, "viewer_other": 200,
        "dispatcher": 200, "dispatcher_other": 200}
GRID = {"admin": 200, "hr": 200, "hr_other": 200, "viewer": 200, "viewer_other": 200}
WORKER = {**GRID, "instructor": 200}
CATALOGUE = {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200}

ACCESS = [
    Access("registry.pick_areas", "/registry/pick/areas?q=320102", AREA),
    Access("registry.pick_grids", lambda w: f"/registry/pick/grids?id={w['grid'].id}", GRID),
    Access("registry.pick_workers", lambda w: f"/registry/pick/workers?code={w['worker'].number}", WORKER),
    Access("enrollment.pick_courses", "/courses/pick?q=a", CATALOGUE),
    Access("exams.pick_exams", "/exams/pick?q=a", CATALOGUE),
    # the case lists' handler filter: the staff who read them (the people who may hold a case are city-wide)
    Access("cases.pick_handlers", "/cases/pick/handlers?q=a",
           {"admin": 200, "viewer": 200, "viewer_other": 200, "dispatcher": 200, "dispatcher_other": 200,
            "department": 200, "department_other": 200}),
]

# The counts a bulk action's confirmation shows: HR only. An empty selection is a 200 saying nothing
# matches; hr_other's areas are not among the bulk form's choices, so his 320102 is a 400.
HR_HOME = {"admin": 200, "hr": 200, "hr_other": 400}
ACCESS += [
    Access("enrollment.bulk_preview", lambda w: f"/courses/{w['course'].id}/bulk/preview?area_code=320102&employment=&status=", HR_HOME),
    Access("certificates.batch_preview", "/certificates/batches/preview?area=320102&language=holder",
           {"admin": 200, "hr": 200, "hr_other": 200}),
    Access("activation.letters_preview", "/activation/letters/preview?area_code=320102&status=", HR_HOME),
]
ACCESS += [
    Access("enrollment.mandatory_preview", lambda w: f"/training/mandatory/preview?area_code=320102&employment=&status="
                                                     f"&course_id={w['course'].id}", HR_HOME),
]
