"""Blueprints: a master offered by branches through copies that follow it and keep their own parts."""
from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.jobs import Job
from courses.enrollment import operations as enrollment_ops
from courses.enrollment import training
from courses.enrollment.models import ClassSession, Course, CourseStatus, EnrollmentState
from courses.lessons import operations as lesson_ops
from courses.lessons.models import Lesson, LessonFile, LessonProgress
from courses.masters import operations, queries

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def master(make_course, make_lesson, make_branch):
    course = make_course(code="CITY-1")
    first = make_lesson(course, title="Mediation basics", position=0)
    make_lesson(course, title="Hazards", position=1)
    lesson_ops.add_file(first, None, filename="map.png", stream=io.BytesIO(PNG))
    operations.mark_master(course, None)
    return course


def _copy(master, make_branch, district="320104"):
    return operations.offer_in_branches(master, None, [make_branch(district)])[0]


def _lessons(course):
    return {lesson.title: lesson for lesson in queries.lessons_of(course)}


def _syncs(copy) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "course.sync", AuditEntry.object_id == str(copy.id)))


def test_offering_makes_a_draft_copy_per_branch_with_the_masters_parts(master, make_branch):
    copies = operations.offer_in_branches(master, None, [make_branch("320104"), make_branch("320105")])
    assert [c.code for c in copies] == ["CITY-1-B320104", "CITY-1-B320105"]
    for copy in copies:
        assert copy.master_id == master.id and copy.status == CourseStatus.DRAFT and copy.synced_at is not None
        assert copy.title == master.title and [u.id for u in copy.units] == [u.id for u in master.units]
        lessons = _lessons(copy)
        assert sorted(lessons) == ["Hazards", "Mediation basics"]
        assert lessons["Mediation basics"].master_lesson_id == _lessons(master)["Mediation basics"].id
        assert [f.original_name for f in queries.files_of(lessons["Mediation basics"])] == ["map.png"]
        assert _syncs(copy) == 1
    # The branch offers it once; a second offer to the same branch is refused.
    with pytest.raises(operations.MasterError):
        operations.offer_in_branches(master, None, [make_branch("320104")])
    assert queries.offerable_branches(master) == [] or make_branch("320104") not in queries.offerable_branches(master)


def test_only_a_master_is_offered_and_a_copy_is_never_a_master(make_course, make_branch, master):
    plain = make_course()
    with pytest.raises(operations.MasterError, match="Only a master"):
        operations.offer_in_branches(plain, None, [make_branch("320104")])
    copy = _copy(master, make_branch)
    with pytest.raises(operations.MasterError):
        operations.mark_master(copy, None)
    with pytest.raises(operations.MasterError, match="Choose at least one branch"):
        operations.offer_in_branches(master, None, [])


def test_a_change_to_the_master_is_pushed_to_every_copy(master, make_branch, make_lesson):
    copies = operations.offer_in_branches(master, None, [make_branch("320104"), make_branch("320105")])
    enrollment_ops.save_course(master, None, branch=master.branch, version=master.syllabus_version,
                               units=master.units[:1], instructors=[], prerequisites=[],
                               **{**_values(master), "title": "Mediation, 2027", "description": "New law"})
    basics = _lessons(master)["Mediation basics"]
    lesson_ops.save_lesson(basics, master, None, **{**_lesson_values(basics), "body_markdown": "Read the 2027 law."})
    make_lesson(master, title="Fire safety", position=2)
    assert operations.push_master(master, None) == 2
    for copy in copies:
        assert (copy.title, copy.description) == ("Mediation, 2027", "New law")
        assert [u.code for u in copy.units] == [master.units[0].code]
        lessons = _lessons(copy)
        assert sorted(lessons) == ["Fire safety", "Hazards", "Mediation basics"]
        assert lessons["Mediation basics"].body_markdown == "Read the 2027 law."
        assert _syncs(copy) == 2
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "course.push")).after["copies"] == 2


def test_a_copys_own_sessions_instructors_capacity_and_enrolments_are_untouched(master, make_branch, make_user,
                                                                              make_worker):
    from academy.permissions import Role

    copy = _copy(master, make_branch)
    teacher = make_user("branchteacher", Role.INSTRUCTOR)
    enrollment_ops.save_course(copy, None, branch=copy.branch, version=copy.syllabus_version, units=copy.units,
                               instructors=[teacher], prerequisites=[], **{**_values(copy), "capacity": 12})
    session = training.add_session(copy, None, starts_at=datetime(2027, 3, 1, 1, tzinfo=UTC), hours=Decimal(2),
                                   place="Branch room 2", topic="Role play")
    enrollment_ops.set_course_status(copy, None, CourseStatus.PUBLISHED)
    enrollment = enrollment_ops.request_enrollment(copy, make_worker("320104"), None, source="hr")
    master.capacity = 99
    operations.push_master(master, None)
    assert copy.capacity == 12 and [u.username for u in copy.instructors] == ["branchteacher"]
    assert db.session.scalars(sa.select(ClassSession).where(ClassSession.course_id == copy.id)).all() == [session]
    assert session.place == "Branch room 2" and copy.status == CourseStatus.PUBLISHED
    assert enrollment.state == EnrollmentState.ENROLLED and enrollment.course_id == copy.id


def test_a_branch_change_to_a_synced_part_is_refused(master, make_branch):
    copy = _copy(master, make_branch)
    for change in ({"title": "Our own title"}, {"description": "Our own text"}):
        with pytest.raises(enrollment_ops.EnrollmentError, match="kept by the master"):
            enrollment_ops.save_course(copy, None, branch=copy.branch, version=copy.syllabus_version, units=copy.units,
                                       instructors=[], prerequisites=[], **{**_values(copy), **change})
    with pytest.raises(enrollment_ops.EnrollmentError, match="CITY-1"):
        enrollment_ops.save_course(copy, None, branch=copy.branch, version=copy.syllabus_version, units=copy.units[:1],
                                   instructors=[], prerequisites=[], **_values(copy))
    lesson = _lessons(copy)["Hazards"]
    with pytest.raises(lesson_ops.LessonError, match="kept by the master"):
        lesson_ops.save_lesson(lesson, copy, None, **{**_lesson_values(lesson), "title": "Ours"})
    with pytest.raises(lesson_ops.LessonError):
        lesson_ops.save_lesson(None, copy, None, **{**_lesson_values(lesson), "title": "An extra lesson"})
    with pytest.raises(lesson_ops.LessonError):
        lesson_ops.add_file(lesson, None, filename="map.png", stream=io.BytesIO(PNG))
    assert copy.title == master.title and lesson.title == "Hazards" and len(queries.lessons_of(copy)) == 2


def test_a_lesson_removed_from_the_master_is_unpublished_where_someone_has_progress(master, make_branch, make_worker):
    copy = _copy(master, make_branch)
    enrollment_ops.set_course_status(copy, None, CourseStatus.PUBLISHED)
    enrollment = enrollment_ops.request_enrollment(copy, make_worker("320104"), None, source="hr")
    started = _lessons(copy)["Mediation basics"]
    progress = lesson_ops.open_lesson(started, enrollment)
    lesson_ops.mark_done(progress, None)
    untouched_id = _lessons(copy)["Hazards"].id
    for lesson in queries.lessons_of(master):  # both master lessons go
        for item in queries.files_of(lesson):
            db.session.delete(item)
        db.session.delete(lesson)
    db.session.flush()
    db.session.expire_all()
    operations.push_master(master, None)
    db.session.expire_all()
    kept = db.session.get(Lesson, started.id)
    assert kept is not None and kept.published is False
    assert db.session.scalar(sa.select(LessonProgress).where(LessonProgress.lesson_id == kept.id)).completed_at is not None
    assert db.session.get(Lesson, untouched_id) is None  # nobody had opened it
    assert enrollment.state in (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED)


def test_a_lesson_unpublished_in_the_master_is_unpublished_in_the_copy_with_its_progress(master, make_branch,
                                                                                        make_worker):
    copy = _copy(master, make_branch)
    enrollment_ops.set_course_status(copy, None, CourseStatus.PUBLISHED)
    enrollment = enrollment_ops.request_enrollment(copy, make_worker("320104"), None, source="hr")
    lesson_ops.open_lesson(_lessons(copy)["Hazards"], enrollment)
    hazards = _lessons(master)["Hazards"]
    lesson_ops.save_lesson(hazards, master, None, **{**_lesson_values(hazards), "published": False})
    operations.push_master(master, None)
    copied = _lessons(copy)["Hazards"]
    assert copied.published is False
    assert db.session.scalar(sa.select(sa.func.count(LessonProgress.id)).where(LessonProgress.lesson_id == copied.id)) == 1


def test_many_copies_are_pushed_by_a_background_job(master, make_branch, run_jobs, monkeypatch, make_user):
    from academy.permissions import Role

    admin = make_user("cityadmin", Role.ADMIN)
    copies = operations.offer_in_branches(master, admin, [make_branch("320104"), make_branch("320105")])
    monkeypatch.setattr(operations, "INLINE_COPIES", 1)
    master.title = "Pushed in the background"
    job = operations.push_master(master, admin)
    assert isinstance(job, Job) and copies[0].title != "Pushed in the background"
    db.session.commit()  # as the request cycle does: the job starts once the push is committed
    assert run_jobs() >= 1
    db.session.expire_all()
    assert [db.session.get(Course, c.id).title for c in copies] == ["Pushed in the background"] * 2
    assert db.session.get(Job, job.id).status == "done"


def test_files_dir_holds_the_copied_file(master, make_branch):
    copy = _copy(master, make_branch)
    stored = queries.files_of(_lessons(copy)["Mediation basics"])[0].stored_name
    original = queries.files_of(_lessons(master)["Mediation basics"])[0].stored_name
    assert stored != original and (lesson_ops.files_dir() / stored).read_bytes() == PNG
    assert db.session.scalar(sa.select(sa.func.count(LessonFile.id))) == 2


def test_a_file_removed_from_the_master_goes_from_the_copies_and_a_replacement_arrives(master, make_branch):
    copy = _copy(master, make_branch)
    basics = _lessons(master)["Mediation basics"]
    copied = queries.files_of(_lessons(copy)["Mediation basics"])[0]
    copied_id = copied.id
    lesson_ops.remove_file(queries.files_of(basics)[0], None)
    lesson_ops.add_file(basics, None, filename="map-2027.png", stream=io.BytesIO(PNG + b"2027"))
    with pytest.raises(lesson_ops.LessonError, match="kept by the master"):  # the branch cannot remove it itself
        lesson_ops.remove_file(copied, None)
    operations.push_master(master, None)
    assert [f.original_name for f in queries.files_of(_lessons(copy)["Mediation basics"])] == ["map-2027.png"]
    assert db.session.get(LessonFile, copied_id) is None
    sync = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "course.sync",
                                                         AuditEntry.object_id == str(copy.id))
                              .order_by(AuditEntry.id.desc())).first()
    assert (sync.after["files"], sync.after["files_removed"]) == (1, 1)


def _values(course) -> dict:
    names = ("code", "title", "description", "kind", "delivery", "capacity", "self_enrol", "enrol_opens_on",
             "enrol_closes_on", "starts_on", "ends_on", "prerequisite_certificate")
    return {name: getattr(course, name) for name in names}


def _lesson_values(lesson) -> dict:
    return {name: getattr(lesson, name) for name in lesson_ops.LESSON_FIELDS}
