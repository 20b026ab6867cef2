"""Log-in, log-out, one's own account page, and the administrators' user and audit pages."""
from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from academy import labels
from academy.accounts import operations, queries, sessions, throttle
from academy.accounts.forms import (
    AuditFilterForm,
    GrantForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    UserCreateForm,
    UserEditForm,
)
from academy.accounts.labels import ROLE_LABELS
from academy.accounts.models import RoleGrant, User
from academy.database import read_only_transaction
from academy.exports import download, xlsx_bytes
from academy.extensions import db
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.redirects import safe_next
from academy.web.cycle import commit_early, keep_changes, on_refusal, refusal_redirects
from academy.web.paging import paginate

bp = Blueprint("accounts", __name__)


def _too_many_attempts(template: str, form, wait: int):
    """The throttle's refusal: 429 with how long to wait, in the page and in ``Retry-After``."""
    flash(_("Too many failed log-ins for this account or address. Try again in %(n)d minutes.",
            n=max(1, math.ceil(wait / 60))), "danger")
    return render_template(template, form=form), 429, {"Retry-After": str(wait)}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm(next=request.args.get("next", "")[:2000])
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form, providers=queries.login_providers()), 400 if form.errors else 200
    # Three short transactions instead of one: the attempt is counted and committed first, the
    # slow password check runs outside any write lock, and only a success writes again.
    address = request.remote_addr or ""
    wait = operations.open_login_attempt(form.username.data, address)
    commit_early()
    if wait:
        return _too_many_attempts("accounts/login.html", form, wait)
    with read_only_transaction(db.session):
        user_id = getattr(operations.check_credentials(form.username.data, form.password.data), "id", None)
    if user_id is None:
        flash(_("Wrong username or password."), "danger")
        return render_template("accounts/login.html", form=form, providers=queries.login_providers()), 401
    user = db.session.get(User, user_id)
    operations.complete_login(user, address, form.username.data)
    sessions.start_session(user)
    return redirect(safe_next(form.next.data, url_for("web.home")))


@bp.post("/logout")
@login_required
def logout():
    operations.log_out(current_user._get_current_object())
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    user = current_user._get_current_object()
    form = PasswordChangeForm(user)
    if form.is_submitted() and (wait := throttle.wait_seconds(user.username, request.remote_addr or "")):
        return _too_many_attempts("accounts/account.html", form, wait)
    if form.validate_on_submit():
        operations.change_password(user, form.new_password.data, by=user)
        login_user(user)  # this session goes on; every other one has ended
        flash(_("Your password has been changed; your other sessions have ended."), "success")
        return redirect(url_for("accounts.account"))
    if form.current_password.errors:
        # A wrong current password is a guess like any other: it counts towards the lock.
        throttle.record_failure(user.username, request.remote_addr or "")
        keep_changes()  # the 400 page counts the guess
    return render_template("accounts/account.html", form=form), 400 if form.errors else 200


@bp.get("/admin/users")
@require_role(Role.ADMIN)
def users():
    return render_template("accounts/users.html", users=paginate(queries.users_query(), 50))


@bp.route("/admin/users/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_user():
    form = UserCreateForm()
    if form.validate_on_submit():
        user = operations.create_user(form.username.data, form.new_password.data, by=current_user,
                               display_name=form.display_name.data)
        flash(_("User %(name)s created.", name=user.username), "success")
        return redirect(url_for("accounts.user", user_id=user.id))
    return render_template("accounts/user_new.html", form=form), 400 if form.errors else 200


def _user_page(user: User, edit_form=None, password_form=None, grant_form=None, status=200):
    return render_template(
        "accounts/user.html", user=user, role_labels=ROLE_LABELS,
        edit_form=edit_form or UserEditForm(obj=user),
        password_form=password_form or PasswordResetForm(user, formdata=None),
        grant_form=grant_form or GrantForm(queries.area_choices(), formdata=None),
    ), status


@bp.get("/admin/users/<int:user_id>")
@require_role(Role.ADMIN)
def user(user_id: int):
    return _user_page(get_or_404(User, user_id))


@bp.post("/admin/users/<int:user_id>")
@require_role(Role.ADMIN)
def edit_user(user_id: int):
    user = get_or_404(User, user_id)
    form = UserEditForm()
    if not form.validate_on_submit():
        return _user_page(user, edit_form=form, status=400)
    on_refusal(lambda _error: _user_page(user, edit_form=form, status=400))
    operations.update_user(user, current_user, display_name=form.display_name.data, active=form.active.data)
    flash(_("Saved."), "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/password")
@require_role(Role.ADMIN)
def reset_password(user_id: int):
    user = get_or_404(User, user_id)
    form = PasswordResetForm(user)
    if not form.validate_on_submit():
        return _user_page(user, password_form=form, status=400)
    operations.change_password(user, form.new_password.data, by=current_user)
    flash(_("The password has been set; the user's sessions have ended."), "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/grants")
@require_role(Role.ADMIN)
def add_grant(user_id: int):
    user = get_or_404(User, user_id)
    form = GrantForm(queries.area_choices())
    if not form.validate_on_submit():
        return _user_page(user, grant_form=form, status=400)
    code = form.area_code.data or None
    # The grant keeps the area's name as the form offered it (accounts cannot read the registry).
    label = dict(form.area_code.choices).get(form.area_code.data, "") if code else ""
    on_refusal(lambda _error: _user_page(user, grant_form=form, status=400))
    operations.grant_role(user, form.role_value, current_user, area_code=code, area_label=str(label))
    flash(_("Role granted."), "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@bp.post("/admin/users/<int:user_id>/grants/<int:grant_id>/revoke")
@require_role(Role.ADMIN)
def revoke_grant(user_id: int, grant_id: int):
    grant = get_or_404(RoleGrant, grant_id)
    ensure(grant.user_id == user_id)
    refusal_redirects(url_for("accounts.user", user_id=user_id))
    operations.revoke_grant(grant, current_user)
    flash(_("Role revoked."), "success")
    return redirect(url_for("accounts.user", user_id=user_id))


def _audit_filter():
    """The audit log's filter form and the query it asks for (None when the filter is refused)."""
    form = AuditFilterForm(request.args, events=labels.event_choices(), objects=labels.object_choices())
    if not form.validate():
        return form, None
    zone = get_timezone()
    since = datetime.combine(form.date_from.data, time.min, tzinfo=zone) if form.date_from.data else None
    until = datetime.combine(form.date_to.data + timedelta(days=1), time.min, tzinfo=zone) if form.date_to.data else None
    return form, queries.audit_query(form.actor.data or "", form.action.data or "", form.object_type.data or "",
                                     since=since, before=until)


@bp.get("/admin/audit")
@require_role(Role.ADMIN)
def audit_log():
    form, query = _audit_filter()
    if query is None:
        return render_template("accounts/audit.html", form=form, entries=None, rows=[], export_args={}), 400
    entries = paginate(query, 50)
    return render_template("accounts/audit.html", form=form, entries=entries, rows=queries.audit_rows(entries.items),
                           export_args={k: v for k, v in request.args.items() if k != "page"})


@bp.get("/admin/audit/export.xlsx")
@require_role(Role.ADMIN)
def audit_export():
    _form, query = _audit_filter()
    if query is None:
        abort(400)
    return download(xlsx_bytes([queries.audit_table(query)]), _("audit-log") + ".xlsx")
