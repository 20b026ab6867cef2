"""Course pages: the catalogue, a course, editing, enrolment and withdrawal, roster and results,
classroom sessions and attendance."""
from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from academy.contributions import contributions
from academy.permissions import Role, ensure, get_or_404, has_role, in_scope, require_role
from academy.registry.queries import worker_of_user
from academy.web.actions import perform
from academy.web.cycle import on_refusal, refusal_renders
from courses.enrollment import access, completion, operations, queries, training
from courses.enrollment.forms import (
    ActionForm,
    AttendanceForm,
    CourseForm,
    ResultForm,
    SessionEditForm,
    SessionForm,
    WithdrawForm,
)
from courses.enrollment.models import ClassSession, Course, CourseStatus, Enrollment, EnrollmentState
from courses.enrollment.views import bp
from courses.syllabus.models import Branch
from courses.syllabus.queries import current_version


def _visible_course(course_id: int) -> Course:
    course = get_or_404(Course, course_id)
    if not access.can_see_course(current_user, course):
        abort(404)
    return course


@bp.get("/courses")
@login_required
def catalogue():
    search = request.args.get("q", "")[:100].strip()
    courses = queries.published_courses(search)
    drafts = []
    if has_role(current_user, Role.INSTRUCTOR):
        drafts = [c for c in queries.unpublished_courses() if access.can_edit_course(current_user, c)]
    worker = worker_of_user(current_user)
    mine = {e.course_id: e for e in queries.enrollments_of(worker)} if worker else {}
    return render_template("enrollment/catalogue.html", courses=courses, drafts=drafts, search=search, mine=mine,
                           may_create=has_role(current_user, Role.INSTRUCTOR))


def _course_form(course: Course | None) -> CourseForm:
    """The course form with its choices: the branches the user may run courses of, the units of the
    syllabus version (modules with hours of their own and leaves), instructors, other courses."""
    version = course.syllabus_version if course else current_version()
    own = queries.instructor_branch_id(current_user)
    choices = {
        "branches": [b for b in queries.active_branches() if has_role(current_user, Role.ADMIN) or b.id == own],
        "units": [u for u in (version.units if version else []) if u.parent_id is not None or u.own_hours],
        "instructors": queries.active_instructors(),
        "courses": [c for c in queries.all_courses() if course is None or c.id != course.id],
        "lessons": [lesson for provider in contributions("course_lessons") for lesson in provider(course)] if course else [],
    }
    form = CourseForm(obj=course, **choices) if request.method == "GET" else CourseForm(**choices)
    if request.method == "GET" and course is not None:
        form.branch_id.data = course.branch_id
        form.unit_ids.data = [u.id for u in course.units]
        form.instructor_ids.data = [u.id for u in course.instructors]
        form.prerequisite_ids.data = [c.id for c in course.prerequisites]
        form.kind.data, form.delivery.data = course.kind.value, course.delivery.value
        form.completion_lessons.data = course.completion_lessons.value
        form.completion_lesson_ids.data = list(course.completion_lesson_ids or [])
    elif request.method == "GET":
        form.instructor_ids.data = [current_user.id]
    return form, version


def _save_course(course: Course | None):
    form, version = _course_form(course)
    if version is None:
        flash(_("Publish a syllabus version before creating courses."), "danger")
        return redirect(url_for("enrollment.catalogue"))

    def page():
        status = 400 if request.method == "POST" else 200
        gaps = queries.specialty_gaps(course) if course is not None else []
        return render_template("enrollment/course_form.html", form=form, course=course, version=version, gaps=gaps), status

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        course = operations.save_course(
            course, current_user, branch=get_or_404(Branch, form.branch_id.data), version=version,
            units=[u for u in version.units if u.id in set(form.unit_ids.data)],
            instructors=queries.users_by_ids(form.instructor_ids.data),
            prerequisites=queries.courses_by_ids(form.prerequisite_ids.data),
            **form.values())
        flash(_("Course saved."), "success")
        if queries.specialty_gaps(course):
            flash(_("The trainer pool does not cover this course for every instructor: see the course page."), "warning")
        return redirect(url_for("enrollment.course", course_id=course.id))
    return page()


@bp.route("/courses/new", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def course_new():
    return _save_course(None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def course_edit(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(access.can_define_course(current_user, course))
    return _save_course(course)


@bp.get("/courses/<int:course_id>")
@login_required
def course(course_id: int):
    course = _visible_course(course_id)
    worker = worker_of_user(current_user)
    enrollment = queries.enrollment_of(course, worker)
    sections = [Markup(fn(course, current_user, enrollment)) for fn in contributions("course_sections")]
    return render_template(
        "enrollment/course.html", course=course, enrollment=enrollment, worker=worker, sections=sections,
        rule=completion.rule_lines(course), lesson_hours=completion.lesson_hours(course),
        missing=completion.join_names(completion.missing(enrollment)) if enrollment else "",
        seats_taken=operations.seats_taken(course), may_edit=access.can_edit_course(current_user, course),
        may_roster=access.can_run_roster(current_user, course), action_form=ActionForm(formdata=None),
        withdraw_form=WithdrawForm(formdata=None), position=queries.waitlist_position(enrollment) if enrollment else None,
        sessions=queries.sessions_of(course),
        gaps=queries.specialty_gaps(course) if access.can_run_roster(current_user, course) else [])


@bp.post("/courses/<int:course_id>/status")
@require_role(Role.INSTRUCTOR)
def course_status(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(access.can_define_course(current_user, course))
    target = request.args.get("to", "")
    if not ActionForm().validate_on_submit() or target not in ("published", "archived"):
        abort(400)
    operations.set_course_status(course, current_user, CourseStatus(target))
    flash(_("Course status changed."), "success")
    return redirect(url_for("enrollment.course", course_id=course.id))


@bp.post("/courses/<int:course_id>/enrol")
@login_required
def enrol(course_id: int):
    course = _visible_course(course_id)
    worker = worker_of_user(current_user)
    if worker is None:
        flash(_("Only grid workers with a worker record can enrol."), "danger")
        return redirect(url_for("enrollment.course", course_id=course.id)), 303
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(lambda _error: (redirect(url_for("enrollment.course", course_id=course.id)), 303))
    enrollment = operations.request_enrollment(course, worker, current_user)
    if enrollment.state == EnrollmentState.ENROLLED:
        flash(_("You are enrolled."), "success")
    elif enrollment.state == EnrollmentState.REQUESTED:
        flash(_("Your enrolment is requested; you will be told when it is approved."), "info")
    else:
        flash(_("The course is full: you are on the waitlist and will be enrolled when a seat frees."), "warning")
    return redirect(url_for("enrollment.course", course_id=course.id))


@bp.post("/enrollments/<int:enrollment_id>/withdraw")
@login_required
def withdraw(enrollment_id: int):
    enrollment = get_or_404(Enrollment, enrollment_id)
    worker = worker_of_user(current_user)
    own = worker is not None and enrollment.worker_id == worker.id
    ensure(own or access.can_manage_enrollment(current_user, enrollment))
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    return perform(lambda: operations.withdraw(enrollment, current_user, reason=form.reason.data or ""),
                   done=_("Withdrawn."),
                   to=url_for("enrollment.course", course_id=enrollment.course_id))


@bp.post("/enrollments/<int:enrollment_id>/approve")
@login_required
def approve(enrollment_id: int):
    enrollment = get_or_404(Enrollment, enrollment_id)
    ensure(access.can_manage_enrollment(current_user, enrollment))
    if not ActionForm().validate_on_submit():
        abort(400)
    return perform(lambda: operations.approve_enrollment(enrollment, current_user),
                   done=_("Enrolment approved."), to=url_for("enrollment.roster", course_id=enrollment.course_id))


@bp.get("/courses/<int:course_id>/roster")
@login_required
def roster(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(access.can_run_roster(current_user, course))
    rows = queries.roster(course)
    if not access.can_edit_course(current_user, course):  # HR sees its own scope's trainees
        rows = [e for e in rows if in_scope(current_user, e.worker.area.code, Role.HR)]
    return render_template("enrollment/roster.html", course=course, rows=rows, result_form=ResultForm(formdata=None),
                           action_form=ActionForm(formdata=None),
                           withdraw_form=WithdrawForm(formdata=None), session_form=SessionForm(formdata=None),
                           sessions=queries.sessions_of(course), may_edit=access.can_edit_course(current_user, course))


@bp.post("/enrollments/<int:enrollment_id>/result")
@require_role(Role.INSTRUCTOR)
def result(enrollment_id: int):
    enrollment = get_or_404(Enrollment, enrollment_id)
    ensure(access.can_edit_course(current_user, enrollment.course))
    form = ResultForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for recording the result by hand."), "danger")
        return redirect(url_for("enrollment.roster", course_id=enrollment.course_id)), 303
    return perform(lambda: operations.record_result(enrollment, current_user, passed=form.result.data == "completed",
                                                    note=form.note.data or ""),
                   done=_("Result recorded."),
                   to=url_for("enrollment.roster", course_id=enrollment.course_id))


@bp.post("/courses/<int:course_id>/sessions")
@require_role(Role.INSTRUCTOR)
def session_new(course_id: int):
    course = get_or_404(Course, course_id)
    ensure(access.can_edit_course(current_user, course))
    form = SessionForm()
    if not form.validate_on_submit():
        flash(_("Check the session's date, hours (0.5 to 12) and texts."), "danger")
        return redirect(url_for("enrollment.roster", course_id=course.id)), 303
    starts_at = _utc(form.starts_at.data)
    return perform(lambda: training.add_session(course, current_user, starts_at=starts_at, hours=form.hours.data,
                                                place=form.place.data or "", topic=form.topic.data or ""),
                   done=_("Session scheduled."),
                   to=url_for("enrollment.roster", course_id=course.id))


def _utc(local):
    """A time typed in the form, read in the user's zone."""
    return local.replace(tzinfo=ZoneInfo(current_user.timezone)).astimezone(UTC)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def session_edit(session_id: int):
    """Change a session not yet held, or cancel it; its enrolled trainees hear of either."""
    session = get_or_404(ClassSession, session_id)
    ensure(access.can_edit_course(current_user, session.course))
    form = SessionEditForm(obj=session)
    if request.method == "GET":
        form.starts_at.data = session.starts_at.astimezone(ZoneInfo(current_user.timezone)).replace(tzinfo=None)
    elif form.validate_on_submit():
        refusal_renders("enrollment/session_edit.html", status=400, session=session, form=form,
                        cancel_form=ActionForm(formdata=None))
        training.change_session(session, current_user, starts_at=_utc(form.starts_at.data), hours=form.hours.data,
                                place=form.place.data or "", topic=form.topic.data or "")
        flash(_("Session saved; its trainees are told of a new time, length or place."), "success")
        return redirect(url_for("enrollment.roster", course_id=session.course_id))
    return render_template("enrollment/session_edit.html", session=session, form=form,
                           cancel_form=ActionForm(formdata=None)), 400 if form.errors else 200


@bp.post("/sessions/<int:session_id>/cancel")
@require_role(Role.INSTRUCTOR)
def session_cancel(session_id: int):
    session = get_or_404(ClassSession, session_id)
    ensure(access.can_edit_course(current_user, session.course))
    if not ActionForm().validate_on_submit():
        abort(400)
    course_id = session.course_id
    return perform(lambda: training.cancel_session(session, current_user),
                   done=_("Session cancelled; its trainees are told."),
                   to=url_for("enrollment.roster", course_id=course_id),
                   refused_to=url_for("enrollment.session_edit", session_id=session_id))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def attendance(session_id: int):
    session = get_or_404(ClassSession, session_id)
    ensure(access.can_edit_course(current_user, session.course))
    form = AttendanceForm(enrollments=queries.attending_enrollments(session))
    if request.method == "GET":
        form.present.data = [a.enrollment_id for a in session.attendances if a.present]
    if form.validate_on_submit():
        training.take_attendance(session, current_user, set(form.present.data))
        flash(_("Attendance saved; hours credited."), "success")
        return redirect(url_for("enrollment.roster", course_id=session.course_id))
    return render_template("enrollment/attendance.html", session=session, form=form), 400 if form.errors else 200
