"""Access rows of the POST side of pages that show a form (GET) and take it back (POST).

Each row posts the form empty (a valid CSRF token and nothing else): a role that may use the form
gets 400 (the form is refused and says what is missing), every other role the refusal it gets on
the page itself. The GET rows live in each package's own table; these rows make sure the POST
half of the same endpoint is checked for every role too, since a view may check access on one
method and forget the other.
"""
from __future__ import annotations

from tests.access import Access, everyone
from tests.access.table_cases import made as cases_made

TEACH = {"admin": 400, "instructor": 400}
ADMIN = {"admin": 400}
HR = {"admin": 400, "hr": 400, "hr_other": 400}
HOME_HR = {"admin": 400, "hr": 400}


def post(endpoint: str, url, expect: dict[str, int], **kwargs) -> Access:
    return Access(endpoint, url, expect, method="POST", **kwargs)


def case_world(path: str):
    return lambda w: cases_made(w) and path


ACCESS = [
    # the shell and accounts
    post("accounts.login", "/login", everyone(302, anonymous=400)),
    post("accounts.account", "/account", everyone(400)),
    post("accounts.new_user", "/admin/users/new", ADMIN),
    # registry
    post("registry.new_grid", "/registry/grids/new", HR),
    # A field left out keeps the grid's value (WTForms with obj=): an empty edit saves nothing new.
    post("registry.edit_grid", lambda w: f"/registry/grids/{w['grid'].id}/edit", {"admin": 302, "hr": 302}),
    post("registry.split_grid", lambda w: f"/registry/grids/{w['grid'].id}/split", HOME_HR),
    post("registry.new_worker", "/registry/workers/new", HR),
    post("registry.edit_worker", lambda w: f"/registry/workers/{w['worker'].id}/edit", HOME_HR),
    # cases
    post("cases.report", case_world("/cases/report"), {"trainee": 400, "trainee_other": 400}),
    post("cases.hotline", case_world("/cases/hotline"), {"admin": 400, "dispatcher": 400, "dispatcher_other": 400}),
    post("cases.category", case_world("/cases/admin/categories/new"), ADMIN),
    post("cases.category", lambda w: f"/cases/admin/categories/{cases_made(w)['category'].id}", ADMIN),
    post("cases.calendar", case_world("/cases/admin/calendar"), ADMIN),
    post("cases.members", case_world("/cases/admin/members"), ADMIN),
    # indicators
    post("indicators.schemes", "/indicators/schemes", ADMIN),
    # syllabus
    post("syllabus.unit_new", lambda w: f"/syllabus/versions/{w['draft'].id}/units/new", TEACH),
    post("syllabus.unit_edit", lambda w: f"/syllabus/units/{w['draft'].units[0].id}", TEACH),
    post("syllabus.branches", "/syllabus/branches", ADMIN),
    post("syllabus.trainers", "/syllabus/trainers", ADMIN),  # HR reads the pool; the administrator keeps it
    post("syllabus.committee", "/syllabus/committee", ADMIN),
    # enrollment
    post("enrollment.course_new", "/courses/new", TEACH),
    post("enrollment.course_edit", lambda w: f"/courses/{w['course'].id}/edit", TEACH),
    # Nobody ticked: an empty register is a valid answer (nobody came).
    post("enrollment.attendance", lambda w: f"/sessions/{w['session'].id}/attendance", {"admin": 302, "instructor": 302}),
    post("enrollment.session_edit", lambda w: f"/sessions/{w['session'].id}/edit", TEACH),
    post("enrollment.bulk_enrol", lambda w: f"/courses/{w['course'].id}/bulk", HR),
    post("enrollment.mandatory", "/training/mandatory", HR),
    post("enrollment.hours", "/training/hours", HR),
    # lessons
    post("lessons.lesson_new", lambda w: f"/courses/{w['course'].id}/lessons/new", TEACH),
    post("lessons.lesson_edit", lambda w: f"/lessons/{w['lesson'].id}/edit", TEACH),
    # exams
    post("exams.question_new", "/exams/bank/new", TEACH),
    post("exams.question_edit", lambda w: f"/exams/bank/{w['question'].id}/edit", TEACH),
    post("exams.bank_import", "/exams/bank/import", TEACH),
    post("exams.exam_new", lambda w: f"/courses/{w['course'].id}/exams/new", TEACH),
    post("exams.exam_edit", lambda w: f"/exams/{w['exam'].id}/edit", TEACH),
    post("exams.grade_item", lambda w: f"/grading/items/{w['essay'].id}", TEACH),
    post("exams.regrade_exam", lambda w: f"/exams/{w['exam'].id}/regrade", TEACH),
    post("exams.reconcile_item", lambda w: f"/grading/items/{w['apart'].id}/reconcile", TEACH),
]
