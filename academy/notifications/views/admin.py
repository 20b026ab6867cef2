"""The admin's pages: every delivery (sent, failed, why) with filters; the defaults per role."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.notifications import operations, queries
from academy.notifications.forms import RoleDefaultForm
from academy.notifications.kinds import KINDS
from academy.notifications.labels import CHANNEL_LABELS, DELIVERY_STATUS_LABELS
from academy.notifications.views import bp
from academy.permissions import Role, require_role
from academy.web.cycle import refusal_redirects
from academy.web.paging import paginate

PER_PAGE = 50


def _filter(name: str, allowed) -> str:
    value = request.args.get(name, "")
    return value if value in allowed else ""


@bp.get("/admin/notifications")
@require_role(Role.ADMIN)
def deliveries():
    filters = {"status": _filter("status", {s.value for s in DELIVERY_STATUS_LABELS}),
               "channel": _filter("channel", {c.value for c in CHANNEL_LABELS}),
               "kind": _filter("kind", set(KINDS))}
    rows = paginate(queries.deliveries_query(**filters), PER_PAGE)
    return render_template("notifications/deliveries.html", rows=rows, filters=filters, kinds=KINDS,
                           channel_labels=CHANNEL_LABELS, status_labels=DELIVERY_STATUS_LABELS)


@bp.route("/admin/notifications/defaults", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def defaults():
    form = RoleDefaultForm()
    if form.validate_on_submit():
        refusal_redirects(url_for("notifications.defaults"))
        operations.save_role_default(form.role.data, form.kind.data, form.channels.data or [], by=current_user)
        flash(_("Default channels saved."), "success")
        return redirect(url_for("notifications.defaults"))
    page = render_template("notifications/defaults.html", form=form, kinds=KINDS, rows=queries.all_role_defaults(),
                           channel_labels=CHANNEL_LABELS)
    return page, 400 if form.errors else 200
