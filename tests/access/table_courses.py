"""Access rows of the syllabus, enrollment and lessons packages.

The world: a published syllabus, a draft and a version under review (the administrator is the one
committee member), a published course in district 320102 taught by ``instructor`` with a lesson
and a file, a draft course, ``trainee`` (worker in 320102) enrolled with an overdue mandatory
assignment whose extension is requested, ``trainee_other`` a worker in 320104 not enrolled.
"""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from academy.extensions import db
from courses.enrollment import operations as enrollment_ops
from courses.enrollment import training
from courses.enrollment.models import CourseStatus, MandatoryRule
from courses.lessons import operations as lesson_ops
from courses.syllabus import operations as syllabus_ops
from courses.syllabus.models import Trainer
from tests.access import Access, everyone
from tests.fixtures.courses import create_course, create_lesson, published_syllabus
from tests.fixtures.registry import create_worker

EDITORS = {"admin": 200, "instructor": 200}
HR = {"admin": 200, "hr": 200, "hr_other": 200}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def build(world) -> None:
    users = world.users
    world["version"] = published_syllabus()
    syllabus_ops.add_committee_member(users["admin"], None)
    world["draft"] = syllabus_ops.create_version(None, title="Draft")
    review = syllabus_ops.create_version(None, title="Under review")
    syllabus_ops.submit_for_review(review, None)
    world["review"] = review
    course = create_course(instructors=[users["instructor"]])
    # The instructor is a trainer of the course's branch (320102): he may also redefine its courses.
    world["trainer"] = Trainer(user_id=users["instructor"].id, branch_id=course.branch_id)
    db.session.add(world["trainer"])
    db.session.flush()
    world["course"] = course
    world["draft_course"] = create_course(instructors=[users["instructor"]], status=CourseStatus.DRAFT)
    lesson = create_lesson(course)
    world["lesson"] = lesson
    world["file"] = lesson_ops.add_file(lesson, None, filename="map.png", stream=io.BytesIO(PNG))
    worker = create_worker("320102", user=users["trainee"])
    create_worker("320104", user=users["trainee_other"])
    world["worker"] = worker
    world["enrollment"] = enrollment_ops.request_enrollment(course, worker, None)
    course.approval_required = True
    world["requested"] = enrollment_ops.request_enrollment(course, create_worker("320102"), None, source="self")
    assignment = training.assign_training(worker, course, None, due_on=enrollment_ops.today() - timedelta(days=1))
    training.request_extension(assignment, None, until=enrollment_ops.today() + timedelta(days=9), reason="ill")
    world["assignment"] = assignment
    world["rule"] = MandatoryRule(course=course, area_code="320102", due_on=enrollment_ops.today())
    db.session.add(world["rule"])
    world["session"] = training.add_session(course, None, starts_at=datetime(2026, 6, 1, 1, tzinfo=UTC),
                                            hours=Decimal(2), place="Room", topic="Mediation")


def _future(days: int = 9) -> str:
    return str(enrollment_ops.today() + timedelta(days=days))


ACCESS = [
    # syllabus
    Access("syllabus.index", "/syllabus", everyone(200)),
    Access("syllabus.new_version", "/syllabus/versions", {"admin": 302, "instructor": 302}, method="POST",
           data={"title": "Next"}),
    Access("syllabus.version", lambda w: f"/syllabus/versions/{w['version'].id}", everyone(200)),
    Access("syllabus.version", lambda w: f"/syllabus/versions/{w['draft'].id}", everyone(404, admin=200, instructor=200)),
    Access("syllabus.unit_new", lambda w: f"/syllabus/versions/{w['draft'].id}/units/new", EDITORS),
    Access("syllabus.unit_edit", lambda w: f"/syllabus/units/{w['draft'].units[0].id}", EDITORS),
    Access("syllabus.unit_remove", lambda w: f"/syllabus/units/{w['draft'].units[-1].id}/remove",
           {"admin": 302, "instructor": 302}, method="POST"),
    Access("syllabus.submit", lambda w: f"/syllabus/versions/{w['draft'].id}/submit",
           {"admin": 302, "instructor": 302}, method="POST"),
    Access("syllabus.publish", lambda w: f"/syllabus/versions/{w['review'].id}/publish",
           {"admin": 409, "instructor": 409}, method="POST"),  # not enough approvals
    Access("syllabus.review", lambda w: f"/syllabus/versions/{w['review'].id}/review",
           everyone(404, admin=302, instructor=403), method="POST", data={"decision": "approve", "comment": ""}),
    Access("syllabus.diff", lambda w: f"/syllabus/diff?old={w['version'].id}&new={w['version'].id}", everyone(200)),
    Access("syllabus.branches", "/syllabus/branches", everyone(200)),
    Access("syllabus.trainers", "/syllabus/trainers", {"admin": 200, "instructor": 200, "hr": 200, "hr_other": 200}),
    Access("syllabus.committee", "/syllabus/committee", {"admin": 200}),
    Access("syllabus.trainer_edit", lambda w: f"/syllabus/trainers/{w['trainer'].id}", {"admin": 200}),
    Access("syllabus.trainer_edit", lambda w: f"/syllabus/trainers/{w['trainer'].id}", {"admin": 302}, method="POST",
           data={"branch_id": "0", "qualifications": "Lawyer", "specialties": "M1"}),
    Access("syllabus.trainer_active", lambda w: f"/syllabus/trainers/{w['trainer'].id}/active?to=0", {"admin": 302},
           method="POST"),
    # courses and enrollment
    Access("enrollment.catalogue", "/courses", everyone(200)),
    Access("enrollment.course_new", "/courses/new", EDITORS),
    Access("enrollment.course", lambda w: f"/courses/{w['course'].id}", everyone(200)),
    Access("enrollment.course", lambda w: f"/courses/{w['draft_course'].id}",
           everyone(404, admin=200, instructor=200, hr=200, hr_other=200)),
    Access("enrollment.course_edit", lambda w: f"/courses/{w['course'].id}/edit", EDITORS),
    Access("enrollment.course_status", lambda w: f"/courses/{w['draft_course'].id}/status?to=published",
           {"admin": 302, "instructor": 302}, method="POST"),
    Access("enrollment.enrol", lambda w: f"/courses/{w['course'].id}/enrol",
           everyone(303, trainee=303, trainee_other=302), method="POST"),  # trainee is already enrolled
    Access("enrollment.withdraw", lambda w: f"/enrollments/{w['enrollment'].id}/withdraw",
           {"admin": 302, "instructor": 302, "hr": 302, "trainee": 302}, method="POST"),
    Access("enrollment.approve", lambda w: f"/enrollments/{w['requested'].id}/approve",
           {"admin": 302, "instructor": 302, "hr": 302}, method="POST"),
    Access("enrollment.roster", lambda w: f"/courses/{w['course'].id}/roster",
           {"admin": 200, "instructor": 200, "hr": 200, "hr_other": 200}),
    Access("enrollment.result", lambda w: f"/enrollments/{w['enrollment'].id}/result",
           {"admin": 302, "instructor": 302}, method="POST", data={"result": "completed", "note": "classroom only"}),
    Access("enrollment.session_new", lambda w: f"/courses/{w['course'].id}/sessions",
           {"admin": 302, "instructor": 302}, method="POST",
           data={"starts_at": "2026-07-01T09:00", "hours": "2", "place": "Hall", "topic": "Law"}),
    Access("enrollment.attendance", lambda w: f"/sessions/{w['session'].id}/attendance", EDITORS),
    Access("enrollment.session_edit", lambda w: f"/sessions/{w['session'].id}/edit", EDITORS),
    Access("enrollment.session_edit", lambda w: f"/sessions/{w['session'].id}/edit", {"admin": 302, "instructor": 302},
           method="POST", data={"starts_at": "2026-07-01T09:00", "hours": "2", "place": "Hall", "topic": "Law"}),
    Access("enrollment.session_cancel", lambda w: f"/sessions/{w['session'].id}/cancel",
           {"admin": 302, "instructor": 302}, method="POST"),
    Access("enrollment.bulk_enrol", lambda w: f"/courses/{w['course'].id}/bulk", HR),
    Access("enrollment.mandatory", "/training/mandatory", HR),
    Access("enrollment.mandatory_end", lambda w: f"/training/mandatory/{w['rule'].id}/end",
           {"admin": 302, "hr": 302}, method="POST"),  # HR of another district: outside his scope
    Access("enrollment.hours", "/training/hours", HR),
    Access("enrollment.overdue", "/training/overdue", HR),
    Access("enrollment.overdue_export", "/training/overdue.xlsx", HR),
    Access("enrollment.my_training", "/training/mine", everyone(404, trainee=200, trainee_other=200)),
    Access("enrollment.request_extension", lambda w: f"/training/assignments/{w['assignment'].id}/extension",
           {"trainee": 302}, method="POST", data=lambda w: {"until": _future(20), "reason": "still ill"}),
    Access("enrollment.decide_extension", lambda w: f"/training/assignments/{w['assignment'].id}/decision",
           {"admin": 302, "hr": 302}, method="POST", data={"decision": "grant"}),
    Access("enrollment.needs", "/training/needs", HR),
    Access("enrollment.assign_need", "/training/needs/assign", {"admin": 302, "hr": 302}, method="POST",
           data=lambda w: {"worker_id": w["worker"].id, "course_id": w["course"].id, "due_on": _future(), "reason": "x"}),
    Access("enrollment.assign_needs", "/training/needs/assign-ticked", {"admin": 302, "hr": 302, "hr_other": 303},
           method="POST", data=lambda w: {"pick": [f"{w['worker'].id}:{w['course'].id}"], "due_on": _future(),
                                     "confirmed": "1"}),
    Access("enrollment.assign_needs_preview",
           lambda w: f"/training/needs/assign-ticked/preview?pick={w['worker'].id}:{w['course'].id}&due_on={_future()}", HR),
    Access("enrollment.stats", "/training/stats",
           {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200, "viewer": 200, "viewer_other": 200}),
    Access("enrollment.effect_page", "/training/effect",
           {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200, "viewer": 200, "viewer_other": 200}),
    Access("enrollment.stats_export", "/training/stats.xlsx",
           {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200, "viewer": 200, "viewer_other": 200}),
    Access("enrollment.effect_export", "/training/effect.xlsx",
           {"admin": 200, "hr": 200, "hr_other": 200, "instructor": 200, "viewer": 200, "viewer_other": 200}),
    # lessons
    Access("lessons.lesson_new", lambda w: f"/courses/{w['course'].id}/lessons/new", EDITORS),
    Access("lessons.lesson", lambda w: f"/lessons/{w['lesson'].id}", {"admin": 200, "instructor": 200, "trainee": 200}),
    Access("lessons.lesson_edit", lambda w: f"/lessons/{w['lesson'].id}/edit", EDITORS),
    Access("lessons.upload", lambda w: f"/lessons/{w['lesson'].id}/files", {"admin": 303, "instructor": 303}, method="POST"),
    Access("lessons.heartbeat", lambda w: f"/lessons/{w['lesson'].id}/heartbeat", {"trainee": 200}, method="POST"),
    Access("lessons.mark_done", lambda w: f"/lessons/{w['lesson'].id}/done", {"trainee": 302}, method="POST"),
    Access("lessons.file", lambda w: f"/lesson-files/{w['file'].id}", {"admin": 200, "instructor": 200, "trainee": 200}),
    Access("lessons.progress", lambda w: f"/courses/{w['course'].id}/progress", EDITORS),
    # After the file's download: the removal's stored file goes with the request's commit, whatever rolls back.
    Access("lessons.remove_file", lambda w: f"/lesson-files/{w['file'].id}/remove", {"admin": 302, "instructor": 302},
           method="POST"),
]
