"""Blueprint operations: mark a master, offer it in branches, push its changes to every copy.

Each operation takes the acting user, flushes, audits every sync on the copy it changed, and never
commits. A push to more than ``INLINE_COPIES`` copies runs as a background job with progress.
A sync never loses a trainee's progress: a copy's lesson whose master lesson is gone is unpublished
when anyone has opened it, and only deleted when nobody has.
"""
from __future__ import annotations

import shutil
import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy import audit
from academy.accounts.models import User
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.jobs import Job, enqueue_job, job_handler
from courses.enrollment.models import Course, CourseStatus, EnrollmentState, LessonsRequired
from courses.enrollment.queries import roster
from courses.exams.models import Exam, ExamRule, ExamStatus
from courses.exams.operations.exams import BRANCH_SETTINGS, SETTINGS
from courses.lessons.models import Lesson, LessonFile
from courses.lessons.operations import drop_file, files_dir, recompute
from courses.masters import queries

JOB_KIND = "masters.sync"
INLINE_COPIES = 5  # more copies than this: the push runs as a background job
COPIED_FIELDS = ("title", "description", "kind", "delivery", "capacity", "self_enrol", "approval_required",
                 "enrol_opens_on", "enrol_closes_on", "starts_on", "ends_on", "prerequisite_certificate",
                 "completion_lessons", "completion_hours", "completion_final", "completion_final_min",
                 "completion_attendance")
SYNCED_EXAM_FIELDS = tuple(name for name in SETTINGS if name not in BRANCH_SETTINGS)
RULE_FIELDS = ("position", "question_family_id", "type", "unit_id", "difficulty", "count", "points")
SYNCED_LESSON_FIELDS = ("title", "body_markdown", "video_url", "hours", "completion", "min_seconds", "position",
                        "published")


class MasterError(DomainError):
    """A blueprint rule refused the change; the message is for the user."""


def mark_master(course: Course, by) -> None:
    """Make a course a master that branches may offer. Flushes."""
    if course.master_id is not None:
        raise MasterError(_("A branch's copy cannot be a master course itself."))
    if course.is_master:
        return
    course.is_master = True
    db.session.flush()
    audit.record(by, "course.master", course, summary=course.code, before={"is_master": False}, after={"is_master": True})


def copy_code(master: Course, branch) -> str:
    return f"{master.code}-{branch.code}"[:30]


def offer_in_branches(master: Course, by, branches) -> list[Course]:
    """Make one copy of ``master`` for each branch: a draft course of the branch, synced at once. Flushes."""
    if not master.is_master:
        raise MasterError(_("Only a master course can be offered in branches."))
    if not branches:
        raise MasterError(_("Choose at least one branch."))
    offerable = {b.id for b in queries.offerable_branches(master)}
    copies = []
    for branch in branches:
        code = copy_code(master, branch)
        if branch.id not in offerable:
            raise MasterError(_("%(branch)s already offers this course or cannot offer it.", branch=branch.name))
        if queries.code_taken(code):
            raise MasterError(_("Course code %(code)s is taken.", code=code))
        copy = Course(code=code, branch=branch, master=master, status=CourseStatus.DRAFT,
                      syllabus_version=master.syllabus_version, created_by_id=getattr(by, "id", None),
                      **{name: getattr(master, name) for name in COPIED_FIELDS})
        db.session.add(copy)
        db.session.flush()
        audit.record(by, "course.copy", copy, summary=f"{master.code} -> {copy.code}", after={"branch": branch.code})
        sync_copy(copy, by)
        copies.append(copy)
    return copies


def _sync_files(source: Lesson, target: Lesson, by) -> tuple[int, int]:
    """Give ``target`` the files of ``source`` (matched by name and size): those it lacks are stored anew,
    those the master no longer has are removed. Returns (added, removed)."""
    theirs = {(f.original_name, f.size) for f in queries.files_of(source)}
    have, removed = set(), 0
    for item in queries.files_of(target):
        key = (item.original_name, item.size)
        if key in theirs and key not in have:
            have.add(key)
        else:
            drop_file(item)
            removed += 1
    added = 0
    for item in queries.files_of(source):
        if (item.original_name, item.size) in have:
            continue
        stored = f"{uuid.uuid4().hex}.{item.stored_name.rsplit('.', 1)[-1]}"
        original = files_dir() / item.stored_name
        if original.exists():
            shutil.copyfile(original, files_dir() / stored)
        db.session.add(LessonFile(lesson=target, original_name=item.original_name, stored_name=stored,
                                  content_type=item.content_type, size=item.size, is_video=item.is_video,
                                  uploaded_by_id=getattr(by, "id", None)))
        added += 1
    return added, removed


def _sync_lessons(copy: Course, master: Course, by) -> dict:
    """The copy's lessons follow the master's; those whose master lesson is gone are unpublished when
    anyone has progress in them, deleted otherwise."""
    counts = {"added": 0, "changed": 0, "unpublished": 0, "deleted": 0, "files": 0, "files_removed": 0}
    theirs = {lesson.master_lesson_id: lesson for lesson in queries.lessons_of(copy) if lesson.master_lesson_id}
    mapping = {}
    for source in queries.lessons_of(master):
        target = theirs.pop(source.id, None)
        if target is None:
            target = Lesson(course=copy, master_lesson_id=source.id)
            db.session.add(target)
            counts["added"] += 1
        elif any(getattr(target, name) != getattr(source, name) for name in SYNCED_LESSON_FIELDS):
            counts["changed"] += 1
        for name in SYNCED_LESSON_FIELDS:
            setattr(target, name, getattr(source, name))
        db.session.flush()
        added, removed = _sync_files(source, target, by)
        counts["files"] += added
        counts["files_removed"] += removed
        mapping[source.id] = target.id
    orphans = [lesson for lesson in queries.lessons_of(copy) if lesson.master_lesson_id is None or lesson in theirs.values()]
    for lesson in orphans:
        if queries.has_progress(lesson):
            if lesson.published:
                lesson.published = False
                counts["unpublished"] += 1
        else:
            for item in queries.files_of(lesson):
                drop_file(item)
            db.session.delete(lesson)
            counts["deleted"] += 1
    if copy.completion_lessons == LessonsRequired.LISTED:
        copy.completion_lesson_ids = [mapping[i] for i in master.completion_lesson_ids or [] if i in mapping]
    db.session.flush()
    return counts


def _rules_of(exam: Exam) -> list[tuple]:
    return [tuple(getattr(rule, name) for name in RULE_FIELDS) for rule in exam.rules]


def _sync_exams(copy: Course, master: Course) -> dict:
    """The copy's exams follow the master's settings and blueprint; the branch keeps each exam's window
    and publishing. A published copy keeps the blueprint its attempts were drawn from (counted as held);
    an exam the master no longer has is archived in the copy, never deleted, so its results stay."""
    counts = {"exams_added": 0, "exams_held": 0, "exams_archived": 0}
    theirs = {exam.master_exam_id: exam for exam in queries.exams_of(copy) if exam.master_exam_id}
    for source in queries.exams_of(master):
        target = theirs.pop(source.id, None)
        if target is None:
            target = Exam(course_id=copy.id, master_exam_id=source.id, status=ExamStatus.DRAFT,
                          opens_at=source.opens_at, closes_at=source.closes_at)
            db.session.add(target)
            counts["exams_added"] += 1
        for name in SYNCED_EXAM_FIELDS:
            setattr(target, name, getattr(source, name))
        if _rules_of(target) != _rules_of(source):
            if target.status is ExamStatus.DRAFT:
                target.rules = [ExamRule(**{name: getattr(rule, name) for name in RULE_FIELDS}) for rule in source.rules]
            else:
                counts["exams_held"] += 1
        db.session.flush()
    for exam in queries.exams_of(copy):
        if (exam.master_exam_id is None or exam in theirs.values()) and exam.status is not ExamStatus.ARCHIVED:
            exam.status = ExamStatus.ARCHIVED
            counts["exams_archived"] += 1
    db.session.flush()
    return counts


def sync_copy(copy: Course, by) -> dict:
    """Bring a copy's synced parts to its master's state, audited on the copy. Flushes."""
    master = copy.master
    before = {"title": copy.title, "units": sorted(u.code for u in copy.units)}
    copy.title, copy.description = master.title, master.description
    copy.syllabus_version, copy.units = master.syllabus_version, list(master.units)
    counts = _sync_lessons(copy, master, by) | _sync_exams(copy, master)
    copy.synced_at = utcnow()
    db.session.flush()
    for enrollment in roster(copy):  # a lesson added or hidden moves everyone's progress
        if enrollment.state == EnrollmentState.ENROLLED:
            recompute(enrollment)
    audit.record(by, "course.sync", copy, summary=f"{master.code} -> {copy.code}", before=before,
                 after={"title": copy.title, "units": sorted(u.code for u in copy.units), **counts})
    return counts


def push_master(master: Course, by) -> Job | int:
    """Push the master's synced parts to every copy: at once for a few copies (returns how many), as a
    background job for more (returns the job). Flushes."""
    if not master.is_master:
        raise MasterError(_("Only a master course has copies to update."))
    copies = queries.copies_of(master)
    if not copies:
        raise MasterError(_("No branch offers this course yet."))
    if len(copies) > INLINE_COPIES:
        job = enqueue_job(JOB_KIND, {"master_id": master.id}, by=by)
        audit.record(by, "course.push", master, summary=master.code, after={"copies": len(copies), "job": job.id})
        return job
    for copy in copies:
        sync_copy(copy, by)
    audit.record(by, "course.push", master, summary=master.code, after={"copies": len(copies)})
    return len(copies)


@job_handler(JOB_KIND, label=_l("Update branch copies"))
def push_job(ctx, master_id: int) -> dict:
    """The background push: one copy after another, reporting progress."""
    ctx.begin_writes()
    master = db.session.get(Course, master_id)
    by = db.session.get(User, ctx.job.created_by_id) if ctx.job.created_by_id else None
    copies = queries.copies_of(master)
    for done, copy in enumerate(copies, start=1):
        sync_copy(copy, by)
        ctx.progress(100 * done / len(copies), _("%(n)d of %(t)d copies updated", n=done, t=len(copies)))
    return {"message": _("%(n)d copies updated.", n=len(copies)), "count": len(copies)}
