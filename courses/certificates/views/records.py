"""HR's certificate records (list, record, revoke, issue by hand, reminders, single PDFs) and the
trainee's own certificates with his renewal state and his PDF."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import contains_eager, joinedload

from academy.database import city_today
from academy.permissions import Role, get_or_404, in_scope, require_role
from academy.registry.queries import worker_of_user
from academy.web.actions import perform
from academy.web.cycle import on_refusal
from academy.web.paging import paginate
from academy.web.qr import qr_svg
from academy.web.urls import public_base
from courses.certificates import access, documents, issuing, lifecycle, queries, renewal
from courses.certificates.forms import CertificateListForm, IssueForm, ReasonForm
from courses.certificates.models import Certificate, CertificateType
from courses.certificates.views import bp, managed_certificate

PER_PAGE = 50


def selection_choices() -> dict:
    """What the list's and the batch's filter choose from: types, courses, final exams, branches."""
    return {"types": queries.all_types(), "courses": queries.courses(), "exams": queries.final_exams(),
            "branches": queries.branches()}


@bp.get("/certificates")
@require_role(Role.HR)
def certificate_list():
    form = CertificateListForm(request.args, **selection_choices())
    valid = not request.args or form.validate()
    if request.args and not valid:
        return render_template("certificates/list.html", form=form, page=None), 400
    # The holder comes with the row (the query joins him already) and the type with it: no load per row.
    query = (form.selection().query(queries.hr_scopes(current_user), sort=form.sort.data)
             .options(contains_eager(Certificate.worker), joinedload(Certificate.type)))
    page = paginate(query, PER_PAGE)
    return render_template("certificates/list.html", form=form, page=page, pager=page, today=city_today())


def _record_page(certificate: Certificate, form: ReasonForm | None = None, status: int = 200):
    """One page for whoever may see the certificate: the holder's card (status, dates, renewal, the
    verification link and QR code, the PDF) for all, and for HR the evidence, history and revocation."""
    today = city_today()
    url = documents.verify_url(certificate.number, public_base())
    return render_template("certificates/certificate.html", certificate=certificate, today=today,
                           status=certificate.effective_status(today), verify_url=url,
                           qr=qr_svg(url, _("QR code of the verification address")),
                           manage=access.can_manage(current_user, certificate),
                           form=form or ReasonForm(formdata=None),
                           renewal=renewal.renewal_state(certificate, today, ahead=True)), status


def viewed_certificate(certificate_id: int) -> Certificate:
    """The holder's certificate, or one HR of its area manages; anyone else is told it does not exist
    (404, as for the PDF), so a guessed id says nothing about another worker."""
    certificate = get_or_404(Certificate, certificate_id)
    if not access.can_view(current_user, certificate):
        abort(404)
    return certificate


@bp.get("/certificates/<int:certificate_id>")
@login_required
def certificate(certificate_id: int):
    return _record_page(viewed_certificate(certificate_id))


@bp.post("/certificates/<int:certificate_id>/revoke")
@require_role(Role.HR)
def revoke(certificate_id: int):
    certificate = managed_certificate(certificate_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _record_page(certificate, form, 400)
    return perform(lambda: lifecycle.revoke_certificate(certificate, current_user, reason=form.reason.data),
                   done=_("Certificate %(n)s revoked.", n=certificate.number),
                   to=url_for("certificates.certificate", certificate_id=certificate.id))


def pdf_response(certificate: Certificate):
    """One certificate as a PDF, rendered now (so a correction shows at once)."""
    from courses.certificates import pdf  # WeasyPrint loads with the first PDF, not with every worker

    document = documents.build_document(certificate, public_base())
    return Response(pdf.render_certificate(document), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificate.number}.pdf"'})


@bp.get("/certificates/<int:certificate_id>/certificate.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    """HR of the worker's area, and the holder himself."""
    return pdf_response(viewed_certificate(certificate_id))


def _issue_form() -> IssueForm:
    types = queries.all_types(active_only=True)
    return IssueForm(types=types) if request.method == "POST" else IssueForm(formdata=None, types=types)


@bp.route("/certificates/issue", methods=["GET", "POST"])
@require_role(Role.HR)
def issue():
    """HR issues by hand, with a reason; the rule is checked all the same."""
    form = _issue_form()
    if not form.validate_on_submit():
        return render_template("certificates/issue.html", form=form), 400 if request.method == "POST" else 200
    worker = queries.worker_by_number(form.worker_number.data)
    if worker is None or not in_scope(current_user, worker.area.code, Role.HR):
        form.worker_number.errors.append(_("No worker with this number in your area."))
        return render_template("certificates/issue.html", form=form), 400
    cert_type = get_or_404(CertificateType, form.type_id.data)
    on_refusal(lambda _error: (render_template("certificates/issue.html", form=form), 400))
    certificate = issuing.issue_by_hand(cert_type, worker, current_user, reason=form.reason.data)
    flash(_("Certificate %(n)s issued.", n=certificate.number), "success")
    return redirect(url_for("certificates.certificate", certificate_id=certificate.id))


@bp.get("/certificates/reminders")
@require_role(Role.HR)
def reminders():
    scopes = queries.hr_scopes(current_user)
    today = city_today()
    return render_template("certificates/reminders.html", today=today,
                           window=[renewal.renewal_state(c, today) for c in renewal.in_window_query(scopes, today)],
                           lapsed=renewal.lapsed_query(scopes, today))


@bp.get("/certificates/mine")
@login_required
def mine():
    worker = worker_of_user(current_user)
    if worker is None:
        abort(404)
    today = city_today()
    certificates = queries.certificates_of(worker)
    return render_template("certificates/mine.html", worker=worker, certificates=certificates, today=today,
                           states={c.id: renewal.renewal_state(c, today) for c in certificates if c.is_valid_on(today)})
