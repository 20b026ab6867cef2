"""Exams of a course: settings, blueprint, publishing, accommodations, results, gradebook, statistics."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from academy.database import utcnow
from academy.exports import download
from academy.permissions import Role, ensure, get_or_404, has_role, require_role
from academy.registry.queries import worker_of_user
from academy.web.cycle import on_refusal
from courses.enrollment.access import can_edit_course
from courses.enrollment.models import Course
from courses.exams import access, operations, queries
from courses.exams.forms import AccommodationForm, ActionForm, ExamForm, RuleForm
from courses.exams.grading import QuestionType
from courses.exams.models import Exam, ExamStatus, ResultRelease
from courses.exams.operations import attempts
from courses.exams.views import bp, managed_exam, to_local, to_utc


@bp.get("/exams")
@login_required
def exam_list():
    """Trainees: the exams of their courses. Instructors: the exams of the courses they run, or only
    those with essays to mark (``show=to_mark``) or closing within a week (``show=closing``): the
    workbench's counts lead here."""
    worker = worker_of_user(current_user)
    mine = queries.published_exams_for(worker) if worker is not None else []
    instructor = has_role(current_user, Role.INSTRUCTOR)
    to_mark = dict(queries.essays_to_mark(current_user)) if instructor else {}
    show = request.args.get("show", "") if instructor else ""
    if show == "to_mark":
        managed = list(to_mark)
    elif show == "closing":
        managed = queries.exams_closing(current_user, utcnow())
    else:
        show = ""
        managed = [e for e in queries.recent_exams(300) if access.can_manage_exam(current_user, e)] if instructor else []
    if show:
        mine = []
    to_mark = {exam.id: n for exam, n in to_mark.items()}
    return render_template("exams/list.html", mine=mine, managed=managed, to_mark=to_mark, show=show)


def _exam_form(exam: Exam | None) -> ExamForm:
    form = ExamForm(obj=exam) if request.method == "GET" else ExamForm()
    if request.method == "GET" and exam is not None:
        form.opens_at.data, form.closes_at.data = to_local(exam.opens_at), to_local(exam.closes_at)
        form.release.data = exam.release.value
    elif request.method == "GET":
        start = to_local(utcnow()).replace(second=0, microsecond=0)
        form.opens_at.data, form.closes_at.data = start, start + timedelta(days=7)
    return form


def _settings(form: ExamForm) -> dict:
    return dict(title=form.title.data, is_final=form.is_final.data, opens_at=to_utc(form.opens_at.data),
                closes_at=to_utc(form.closes_at.data), time_limit_minutes=form.time_limit_minutes.data,
                attempts_allowed=form.attempts_allowed.data, pass_mark=form.pass_mark.data,
                grace_seconds=form.grace_seconds.data, start_window_minutes=form.start_window_minutes.data,
                shuffle_questions=form.shuffle_questions.data, shuffle_options=form.shuffle_options.data,
                show_score=form.show_score.data, show_answers=form.show_answers.data,
                release=ResultRelease(form.release.data), double_marking=form.double_marking.data,
                double_marking_tolerance=Decimal("1.00") if form.double_marking_tolerance.data is None
                else Decimal(form.double_marking_tolerance.data).quantize(Decimal("0.01")))


def _save(course: Course, exam: Exam | None):
    form = _exam_form(exam)

    def page():
        status = 400 if request.method == "POST" else 200
        return render_template("exams/exam_form.html", form=form, course=course, exam=exam), status

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        exam = operations.save_exam(current_user, exam, course, **_settings(form))
        flash(_("Exam saved."), "success")
        return redirect(url_for("exams.exam", exam_id=exam.id))
    return page()


@bp.route("/courses/<int:course_id>/exams/new", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def exam_new(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(can_edit_course(current_user, course))
    return _save(course, None)


@bp.route("/exams/<int:exam_id>/edit", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def exam_edit(exam_id: int):
    exam = managed_exam(exam_id)
    return _save(exam.course, exam)


def _rule_form() -> RuleForm:
    return RuleForm(queries.unit_choices())


@bp.get("/exams/<int:exam_id>")
@login_required
def exam(exam_id: int):
    exam = get_or_404(Exam, exam_id, joinedload(Exam.course))  # the page names its course
    manager = access.can_manage_exam(current_user, exam)
    worker = worker_of_user(current_user)
    if not manager:
        enrolled = worker is not None and queries.has_enrollment(exam, worker)
        if not enrolled or exam.status is not ExamStatus.PUBLISHED:
            abort(404)
    own = queries.attempts_of(exam, worker.id) if worker else []
    for attempt in own:
        attempts.close_if_overdue(attempt)  # the request cycle commits what it closed
    left = queries.attempts_left(exam, worker.id, used=len(own)) if worker else 0
    context = dict(exam=exam, manager=manager, attempts=own, left=left, now=utcnow(),
                   action_form=ActionForm(formdata=None), is_released=access.is_released)
    if manager:
        context.update(rule_form=_rule_form(), accommodation_form=AccommodationForm(formdata=None),
                       pools={rule.id: len(queries.rule_pool(rule)) for rule in exam.rules},
                       accommodations=queries.accommodations_of(exam),
                       queue=len(queries.grading_queue(exam)))
    return render_template("exams/exam.html", **context)


@bp.post("/exams/<int:exam_id>/rules")
@require_role(Role.INSTRUCTOR)
def rule_add(exam_id: int):
    exam = managed_exam(exam_id)
    form = _rule_form()
    if not form.validate_on_submit():
        flash(_("Check the rule: %(errors)s", errors="; ".join(str(e) for errs in form.errors.values() for e in errs)), "danger")
        return redirect(url_for("exams.exam", exam_id=exam.id)), 303
    on_refusal(lambda _error: (redirect(url_for("exams.exam", exam_id=exam.id)), 303))
    operations.add_rule(exam, current_user, question_family_id=form.question_family_id.data,
                 type=QuestionType(form.type.data), unit_id=form.unit_id.data or None,
                 difficulty=form.difficulty.data or None, count=form.count.data, points=form.points.data)
    flash(_("Blueprint rule added."), "success")
    return redirect(url_for("exams.exam", exam_id=exam.id))


@bp.post("/exams/<int:exam_id>/rules/<int:rule_id>/delete")
@require_role(Role.INSTRUCTOR)
def rule_remove(exam_id: int, rule_id: int):
    exam = managed_exam(exam_id)
    rule = next((r for r in exam.rules if r.id == rule_id), None)
    if rule is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(lambda _error: (redirect(url_for("exams.exam", exam_id=exam.id)), 303))
    operations.remove_rule(rule, current_user)
    return redirect(url_for("exams.exam", exam_id=exam.id))


@bp.post("/exams/<int:exam_id>/publish")
@require_role(Role.INSTRUCTOR)
def exam_publish(exam_id: int):
    exam = managed_exam(exam_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(lambda _error: (redirect(url_for("exams.exam", exam_id=exam.id)), 303))
    operations.publish_exam(exam, current_user)
    flash(_("Exam published."), "success")
    return redirect(url_for("exams.exam", exam_id=exam.id))


@bp.post("/exams/<int:exam_id>/accommodations")
@require_role(Role.INSTRUCTOR)
def accommodation_save(exam_id: int):
    exam = managed_exam(exam_id)
    form = AccommodationForm()
    worker = form.validate_on_submit() and queries.worker_by_number(form.worker_number.data.strip())
    if not worker:
        flash(_("Give an existing worker number, minutes, attempts and a reason."), "danger")
        return redirect(url_for("exams.exam", exam_id=exam.id)), 303
    operations.set_accommodation(exam, worker, current_user, extra_minutes=form.extra_minutes.data,
                          extra_attempts=form.extra_attempts.data, reason=form.reason.data)
    flash(_("Accommodation saved."), "success")
    return redirect(url_for("exams.exam", exam_id=exam.id))


@bp.post("/exams/<int:exam_id>/release")
@require_role(Role.INSTRUCTOR)
def exam_release(exam_id: int):
    exam = managed_exam(exam_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    count = operations.release_results(exam, current_user)
    flash(_("%(n)d results released.", n=count), "success")
    return redirect(url_for("exams.results", exam_id=exam.id))


@bp.get("/exams/<int:exam_id>/results")
@require_role(Role.INSTRUCTOR)
def results(exam_id: int):
    exam = managed_exam(exam_id)
    attempts.sweep_overdue(exam=exam)  # the request cycle commits what it closed
    return render_template("exams/results.html", exam=exam, attempts=queries.exam_results(exam),
                           action_form=ActionForm(formdata=None), breakdown=queries.unit_breakdown)


def result_header() -> list[str]:
    """The results sheet's headers, in the reader's language."""
    return [_("Worker number"), pgettext("person", "Name"), _("Attempt"), _("State"), _("Score"), _("Max score"),
            _("Percent"), _("Passed"), _("Handed in (UTC)")]


@bp.get("/exams/<int:exam_id>/results.xlsx")
@require_role(Role.INSTRUCTOR)
def results_xlsx(exam_id: int):
    exam = managed_exam(exam_id)
    return download(queries.results_xlsx(exam, _("Results"), result_header()), f"exam-{exam.id}-results.xlsx")


@bp.get("/courses/<int:course_id>/gradebook")
@require_role(Role.INSTRUCTOR)
def gradebook(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(can_edit_course(current_user, course))
    exams, rows = queries.gradebook(course)
    return render_template("exams/gradebook.html", course=course, exams=exams, rows=rows)


@bp.get("/courses/<int:course_id>/gradebook.xlsx")
@require_role(Role.INSTRUCTOR)
def gradebook_xlsx(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(can_edit_course(current_user, course))
    headers = [_("Worker number"), pgettext("person", "Name")]
    return download(queries.gradebook_xlsx(course, _("Gradebook"), headers), f"gradebook-{course.code}.xlsx")


@bp.get("/exams/<int:exam_id>/statistics")
@require_role(Role.INSTRUCTOR)
def statistics(exam_id: int):
    exam = managed_exam(exam_id)
    return render_template("exams/statistics.html", exam=exam, rows=queries.exam_item_statistics(exam))
