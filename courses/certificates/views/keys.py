"""Administrators issue and revoke integrators' keys to the verification API (the key is shown once)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import Role, get_or_404, require_role
from academy.web.cycle import refusal_redirects
from courses.certificates import keys, queries
from courses.certificates.forms import VerificationKeyForm
from courses.certificates.models import VerificationKey
from courses.certificates.views import bp


def _page(form, new_key: str | None = None, status: int = 200):
    return render_template("certificates/verification_keys.html", form=form, keys=queries.verification_keys(),
                           new_key=new_key), status


@bp.route("/certificates/admin/verification-keys", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def verification_keys():
    form = VerificationKeyForm()
    if not form.validate_on_submit():
        return _page(form, status=400 if form.errors else 200)
    _record, key = keys.issue_verification_key(current_user, form.name.data)
    # Shown on this answer only: the key is kept hashed, nobody can read it again.
    return _page(VerificationKeyForm(formdata=None), new_key=key)


@bp.post("/certificates/admin/verification-keys/<int:key_id>/revoke")
@require_role(Role.ADMIN)
def revoke_verification_key(key_id: int):
    record = get_or_404(VerificationKey, key_id)
    refusal_redirects(url_for("certificates.verification_keys"))
    keys.revoke_verification_key(record, current_user)
    flash(_("Key of %(name)s revoked: it now counts against the public quota.", name=record.name), "success")
    return redirect(url_for("certificates.verification_keys"), 303)
