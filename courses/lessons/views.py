"""Lesson pages: writing lessons, uploading files, studying (with heartbeats), progress for instructors."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.permissions import Role, ensure, get_or_404, require_role
from academy.registry.queries import worker_of_user
from academy.web.actions import perform
from academy.web.cycle import on_refusal
from academy.web.errors import json_endpoint
from courses.enrollment.access import can_edit_course
from courses.enrollment.models import Course, Enrollment
from courses.lessons import access, operations, queries
from courses.lessons.content import render_markdown
from courses.lessons.forms import DoneForm, FileForm, LessonForm, RemoveFileForm
from courses.lessons.models import Lesson, LessonFile, LessonProgress

bp = Blueprint("lessons", __name__)


def _save(course: Course, lesson: Lesson | None):
    form = LessonForm(obj=lesson) if request.method == "GET" and lesson else LessonForm()
    if request.method == "GET" and lesson:
        form.completion.data = lesson.completion.value

    def page():
        return render_template("lessons/lesson_form.html", form=form, course=course, lesson=lesson,
                               file_form=FileForm(formdata=None)), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        lesson = operations.save_lesson(lesson, course, current_user, **form.values())
        flash(_("Lesson saved."), "success")
        return redirect(url_for("lessons.lesson", lesson_id=lesson.id))
    return page()


@bp.route("/courses/<int:course_id>/lessons/new", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def lesson_new(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(can_edit_course(current_user, course))
    return _save(course, None)


@bp.route("/lessons/<int:lesson_id>/edit", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def lesson_edit(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    ensure(can_edit_course(current_user, lesson.course))
    return _save(lesson.course, lesson)


@bp.post("/lessons/<int:lesson_id>/files")
@require_role(Role.INSTRUCTOR)
def upload(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    ensure(can_edit_course(current_user, lesson.course))
    form = FileForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.file.errors) or _("Choose a file."), "danger")
        return redirect(url_for("lessons.lesson_edit", lesson_id=lesson.id)), 303
    upload = form.file.data
    on_refusal(lambda _error: (render_template("lessons/lesson_form.html", form=LessonForm(obj=lesson), course=lesson.course,
                                   lesson=lesson, file_form=form), 400))
    operations.add_file(lesson, current_user, filename=Path(upload.filename or "file").name, stream=upload.stream)
    flash(_("File uploaded."), "success")
    return redirect(url_for("lessons.lesson_edit", lesson_id=lesson.id))


@bp.post("/lesson-files/<int:file_id>/remove")
@require_role(Role.INSTRUCTOR)
def remove_file(file_id: int):
    record = get_or_404(LessonFile, file_id)
    lesson = record.lesson
    ensure(can_edit_course(current_user, lesson.course))
    if not RemoveFileForm().validate_on_submit():
        abort(400)
    to = url_for("lessons.lesson_edit", lesson_id=lesson.id)
    return perform(lambda: operations.remove_file(record, current_user), done=_("File removed."), to=to)


def _access(lesson: Lesson) -> tuple[bool, Enrollment | None]:
    """(may edit, the trainee's enrollment); neither means 403, a hidden lesson for trainees 404."""
    editor = can_edit_course(current_user, lesson.course)
    enrollment = queries.learning_enrollment(lesson, worker_of_user(current_user))
    ensure(access.can_study(editor, enrollment))
    if not access.can_open(editor, lesson):
        abort(404)
    return editor, enrollment


@bp.get("/lessons/<int:lesson_id>")
@login_required
def lesson(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    editor, enrollment = _access(lesson)
    # A GET only reads (SQLite: deferred transaction); the page's first heartbeat starts the clock.
    progress = None if enrollment is None else queries.progress_of(lesson, enrollment)
    lessons = queries.course_lessons(lesson.course, include_hidden=editor)
    index = next((i for i, item in enumerate(lessons) if item.id == lesson.id), 0)
    return render_template("lessons/lesson.html", lesson=lesson, body=render_markdown(lesson.body_markdown),
                           progress=progress, enrollment=enrollment, editor=editor, done_form=DoneForm(formdata=None),
                           previous=lessons[index - 1] if index > 0 else None,
                           following=lessons[index + 1] if index + 1 < len(lessons) else None)


def _own_progress(lesson: Lesson) -> LessonProgress:
    enrollment = queries.learning_enrollment(lesson, worker_of_user(current_user))
    ensure(enrollment is not None)
    return queries.progress_of(lesson, enrollment) or operations.open_lesson(lesson, enrollment)


@bp.post("/lessons/<int:lesson_id>/heartbeat")
@json_endpoint
@login_required
def heartbeat(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    enrollment = queries.learning_enrollment(lesson, worker_of_user(current_user))
    ensure(enrollment is not None)
    if request.args.get("start"):  # the page was just opened: start (or restart) the clock, credit nothing
        progress = operations.open_lesson(lesson, enrollment)
    else:
        progress = operations.heartbeat(_own_progress(lesson), current_user)
    enrollment = progress.enrollment
    return jsonify(seconds=progress.seconds, completed=progress.completed_at is not None,
                   progress_percent=enrollment.progress_percent, hours=str(enrollment.hours_credited))


@bp.post("/lessons/<int:lesson_id>/done")
@login_required
def mark_done(lesson_id: int):
    lesson = get_or_404(Lesson, lesson_id)
    progress = _own_progress(lesson)
    if not DoneForm().validate_on_submit():
        abort(400)
    return perform(lambda: operations.mark_done(progress, current_user),
                   done=_("Lesson completed."), to=url_for("lessons.lesson", lesson_id=lesson.id),
                   refused_category="warning")


@bp.get("/lesson-files/<int:file_id>")
@login_required
def file(file_id: int):
    record = get_or_404(LessonFile, file_id)
    _access(record.lesson)
    path = operations.files_dir() / record.stored_name
    if not path.is_file():
        abort(404)
    inline = record.is_image or record.is_video or record.content_type == "application/pdf"
    return send_file(path, mimetype=record.content_type, as_attachment=not inline, download_name=record.original_name,
                     conditional=True)


@bp.get("/courses/<int:course_id>/progress")
@require_role(Role.INSTRUCTOR)
def progress(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(can_edit_course(current_user, course))
    return render_template("lessons/progress.html", course=course, lessons=queries.course_lessons(course),
                           enrollments=queries.course_enrollments(course), done=queries.completed_pairs(course))
