"""Access rows of the programmes package: a programme of the access world's course, with the
trainee (a worker in 320102) in it. Instructors and HR keep programmes; HR enrols, each in his areas."""
from __future__ import annotations

from courses.programmes import operations
from courses.programmes.models import ProgrammeGoal
from tests.access import Access

KEEPERS = {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200}
REFUSED_FORM = {"admin": 400, "hr": 400, "hr_other": 400, "instructor": 400}  # an empty form: nothing saved


def build(world) -> None:
    programme = operations.save_programme(None, None, code="ACC-PRE", title="Pre-service", goal=ProgrammeGoal.PRE_SERVICE,
                                          description="", courses=[world["course"]])
    operations.enrol_worker(programme, world["worker"], None)
    world["programme"] = programme


ACCESS = [
    Access("programmes.index", "/programmes", KEEPERS),
    Access("programmes.new", "/programmes/new", KEEPERS),
    Access("programmes.new", "/programmes/new", REFUSED_FORM, method="POST", data={"code": ""}),
    Access("programmes.programme", lambda w: f"/programmes/{w['programme'].id}", KEEPERS),
    Access("programmes.edit", lambda w: f"/programmes/{w['programme'].id}/edit", KEEPERS),
    Access("programmes.edit", lambda w: f"/programmes/{w['programme'].id}/edit", REFUSED_FORM, method="POST",
           data={"code": ""}),
    # HR of another district cannot choose 320102: the form is refused and nothing is enrolled.
    Access("programmes.bulk_enrol", lambda w: f"/programmes/{w['programme'].id}/enrol",
           {"admin": 302, "hr": 302, "hr_other": 303}, method="POST",
           data={"area_code": "320102", "employment": "", "status": "", "confirmed": "1"}),
    Access("programmes.bulk_preview", lambda w: f"/programmes/{w['programme'].id}/enrol/preview?area_code=320102&employment=&status=",
           {"admin": 200, "hr": 200, "hr_other": 400}),
]
