"""The question bank: list, write (new versions for active questions), activate/retire, import, export,
and the images stems show (uploaded here, served only to who may see a question showing them)."""
from __future__ import annotations

import base64
import binascii

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.exports import download
from academy.permissions import Role, get_or_404, require_role
from academy.web.cycle import on_refusal
from academy.web.paging import int_arg
from academy.web.sorting import sort_status
from courses.exams import access, queries
from courses.exams.content import render_markdown
from courses.exams.formats import numeric_text, place_label
from courses.exams.forms import BankSortForm, ImportConfirmForm, ImportForm, QuestionForm, StatusForm, StemImageForm
from courses.exams.grading import QuestionType
from courses.exams.models import Question, QuestionStatus
from courses.exams.operations import images
from courses.exams.operations.bank import (
    create_question,
    export_gift,
    export_moodle_xml,
    export_xlsx,
    import_questions,
    read_file,
    set_question_status,
    update_question,
)
from courses.exams.views import bp


@bp.get("/exams/bank")
@require_role(Role.INSTRUCTOR)
def bank():
    search = request.args.get("q", "")[:100].strip()
    kind = request.args.get("type", "")
    status = request.args.get("status", "")
    unit_id = int_arg("unit")
    order = BankSortForm(request.args)
    questions = queries.bank_questions(search=search, unit_id=unit_id, kind=kind if kind in set(QuestionType) else "",
                                   status=status if status in set(QuestionStatus) else "",
                                   sort=order.sort.data if order.validate() else "")
    return render_template("exams/bank.html", questions=questions, search=search, kind=kind, status=status,
                           unit_id=unit_id, units=queries.unit_choices()[1:], order=order), sort_status(order)


def _values(form: QuestionForm) -> dict:
    return dict(type=QuestionType(form.type.data), title=form.title.data or "", stem=form.stem.data, options=form.options(),
                correct=form.correct(), weights=form.answer_weights(), answer_feedback=form.feedback_lines(),
                units=form.unit_pairs(),
                partial_credit=form.partial_credit.data, case_sensitive=form.case_sensitive.data,
                width_sensitive=form.width_sensitive.data, explanation=form.explanation.data or "",
                rubric=form.rubric.data or "", unit_id=form.unit_id.data or None, difficulty=form.difficulty.data,
                tags=(form.tags.data or "").replace("，", ",").split(","))


def _fill(form: QuestionForm, question: Question) -> None:
    form.type.data = question.type.value
    for index, option in enumerate(question.options):
        getattr(form, f"option_{'abcdef'[index]}").data = option
    if question.type is QuestionType.FILL_BLANK:
        form.answer.data = ";".join("|".join(b) for b in question.correct)
    elif question.type is QuestionType.NUMERICAL:
        form.answer.data = "|".join(numeric_text(a) for a in question.correct)
    elif question.type is QuestionType.MATCHING:
        form.pairs.data = "\n".join([f"{item} -> {match}" for item, match in question.correct]
                                    + [f"-> {match}" for match in question.options])
    else:
        form.answer.data = "".join(question.correct)
    flat = [w for group in question.weights for w in (group if isinstance(group, list) else [group])]
    form.weights.data = ";".join(",".join(g) for g in question.weights) if question.type is QuestionType.FILL_BLANK \
        else ",".join(flat)
    form.answer_feedback.data = "\n".join(f for group in question.answer_feedback
                                          for f in (group if isinstance(group, list) else [group]))
    form.units.data = ", ".join(f"{unit}={multiplier}" for unit, multiplier in question.units)
    form.unit_id.data = question.unit_id or 0
    form.tags.data = ", ".join(question.tags or [])
    form.partial_credit.data = question.partial_credit.value
    if form.fill_fields(question.type, question.correct, question.options):
        form.answer.data = form.pairs.data = ""
    if form.fill_answer_fields(question.type, question.correct, question.weights, question.answer_feedback, question.units):
        form.weights.data = form.answer_feedback.data = form.units.data = ""


def _edit(question: Question | None):
    units = queries.unit_choices()
    form = QuestionForm(units, obj=question) if request.method == "GET" else QuestionForm(units)
    if request.method == "GET" and question is not None:
        _fill(form, question)

    def page():
        status = 400 if request.method == "POST" else 200
        return render_template("exams/question_form.html", form=form, question=question, image_form=StemImageForm(formdata=None),
                               image_limits=_image_limits()), status

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        if question is None:
            saved = create_question(current_user, **_values(form))
        else:
            saved = update_question(question, current_user, **_values(form))
        flash(_("Question saved (version %(n)d).", n=saved.version), "success")
        return redirect(url_for("exams.question", question_id=saved.id))
    return page()


def _image_limits() -> dict:
    return {"mb": f"{images.max_bytes() / (1024 * 1024):g}", "mp": f"{images.max_pixels() / 1_000_000:g}"}


@bp.route("/exams/bank/new", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def question_new():
    return _edit(None)


@bp.route("/exams/bank/<int:question_id>/edit", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def question_edit(question_id: int):
    return _edit(get_or_404(Question, question_id))


@bp.get("/exams/bank/<int:question_id>")
@require_role(Role.INSTRUCTOR)
def question(question_id: int):
    question = get_or_404(Question, question_id)
    versions = queries.question_versions(question)
    return render_template("exams/question.html", question=question, versions=versions,
                           stem=render_markdown(question.stem), status_form=StatusForm(formdata=None))


@bp.post("/exams/bank/<int:question_id>/status")
@require_role(Role.INSTRUCTOR)
def question_status(question_id: int):
    question = get_or_404(Question, question_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    on_refusal(lambda _error: (redirect(url_for("exams.question", question_id=question.id)), 303))
    set_question_status(question, current_user, QuestionStatus(form.status.data))
    flash(_("Question status changed."), "success")
    return redirect(url_for("exams.question", question_id=question.id))


@bp.route("/exams/bank/import", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def bank_import():
    """Upload, then a preview of every question as read (type, key, weights, feedback), then the import:
    the confirmation sends the file again and it is read again, so nothing the page showed is trusted."""
    form, confirm = ImportForm(), ImportConfirmForm(prefix="confirm")
    problems, questions = [], []
    if confirm.confirm.data and confirm.validate_on_submit():
        try:
            data = base64.b64decode(confirm.content.data, validate=True)
        except binascii.Error:
            abort(400)
        questions, problems = read_file(confirm.filename.data, data)
        if not problems:
            status = QuestionStatus.ACTIVE if confirm.activate.data else QuestionStatus.DRAFT
            created = import_questions(current_user, questions, status)
            flash(_("%(n)d questions imported.", n=len(created)), "success")
            return redirect(url_for("exams.bank"))
    elif form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        questions, problems = read_file(upload.filename or "", data)
        if not problems:
            confirm.content.data, confirm.filename.data = base64.b64encode(data).decode(), upload.filename or ""
            return render_template("exams/import_preview.html", confirm=confirm, questions=questions,
                                   stem_of=render_markdown, place_of=place_label)
    elif confirm.confirm.data:
        abort(400)
    if problems:
        flash(_("Nothing was imported: the file has %(n)d problems.", n=len(problems)), "danger")
    status = 400 if request.method == "POST" else 200
    return render_template("exams/import.html", form=form, problems=problems), status


@bp.get("/exams/bank/export")
@require_role(Role.INSTRUCTOR)
def bank_export():
    fmt = request.args.get("format", "xlsx")
    template = request.args.get("template") == "1"
    questions = [] if template else queries.bank_questions(status=request.args.get("status", "") if
                                                       request.args.get("status") in set(QuestionStatus) else "",
                                                       limit=5000)
    if fmt == "gift":
        return download(export_gift(questions), "questions.gift.txt", mimetype="text/plain; charset=utf-8")
    if fmt == "xml":
        return download(export_moodle_xml(questions), "questions.moodle.xml", mimetype="application/xml")
    if fmt != "xlsx":
        abort(400)
    name = "question-template.xlsx" if template else "questions.xlsx"
    return download(export_xlsx(questions), name)


def _upload(form: StemImageForm):
    """The stored image, or None with the reason added to the form's file errors."""
    upload = form.file.data
    try:
        return images.upload_image(current_user, filename=upload.filename or "",
                                      data=upload.stream.read(images.max_bytes() + 1))
    except images.ImageError as error:  # shown in the form; the 400 answer rolls the request back
        form.file.errors.append(str(error))
        return None


@bp.route("/exams/bank/images", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def stem_images():
    """Upload an image for stems. The question form's script asks for JSON and puts the Markdown into
    the stem; without script the form opens this page, which shows the Markdown to copy."""
    form = StemImageForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    if form.validate_on_submit() and (image := _upload(form)) is not None:
        snippet = images.markdown_of(image, form.alt.data)
        if wants_json:
            return jsonify(key=image.key, url=images.url_of(image), markdown=snippet), 201
        flash(_("Image uploaded. Put this text into the question where the image belongs: %(md)s", md=snippet), "success")
        return redirect(url_for("exams.stem_images", new=image.key)), 303
    if request.method == "POST":
        errors = [str(e) for field in form for e in field.errors] or [_("The upload was refused.")]
        if wants_json:
            return jsonify(error=errors[0]), 400
        return _library(form), 400
    return _library(form), 200


def _library(form: StemImageForm) -> str:
    return render_template("exams/images.html", form=form, images=queries.recent_images(), new=request.args.get("new", ""),
                           markdown_of=images.markdown_of, image_limits=_image_limits())


@bp.get("/exams/images/<key>")
@login_required
def stem_image(key: str):
    """An image file, to bank staff and to a trainee whose attempt shows a question with it; 404 otherwise."""
    image = queries.image_by_key(key)
    if image is None or not access.can_view_image(current_user, image):
        abort(404)
    path = images.path_of(image)
    if not path.is_file():
        abort(404)
    # The site's headers stay (no-store, nosniff, CSP): a trainee's access ends with his attempt,
    # so no copy should outlive it in a shared phone's cache.
    return send_file(path, mimetype=image.content_type, max_age=0)
