"""A person's inbox: the list (cards on phones), opening one, marking all read; his preferences."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.notifications import access, operations, queries
from academy.notifications.forms import PreferencesForm
from academy.notifications.views import bp
from academy.web.cycle import refusal_renders
from academy.web.paging import paginate

PER_PAGE = 30


@bp.get("/inbox")
@login_required
def inbox():
    unread_only = request.args.get("show") == "unread"
    unread = queries.unread_once(current_user)  # the unread list's length: counted once, not twice
    messages = paginate(queries.inbox_query(current_user, unread_only=unread_only), PER_PAGE,
                        total=unread if unread_only else None)
    return render_template("notifications/inbox.html", messages=messages, unread_only=unread_only,
                           unread=unread, safe_link=access.safe_link)


@bp.get("/inbox/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Follow a message to its thing, marking it read on the way."""
    notification = access.own_notification(notification_id)
    operations.mark_read(notification)
    return redirect(access.safe_link(notification.link) or url_for("notifications.inbox"))


@bp.post("/inbox/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    operations.mark_read(access.own_notification(notification_id))
    flash(_("Marked as read."), "success")
    return redirect(url_for("notifications.inbox"))


@bp.post("/inbox/read-all")
@login_required
def mark_all_read():
    count = operations.mark_all_read(current_user)
    flash(_("%(n)d messages marked as read.", n=count), "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/inbox/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    saved = queries.preference_of(current_user)
    form = PreferencesForm(obj=saved, kinds=queries.offered_kinds(current_user))
    if request.method == "GET":
        reach = queries.reach_of([current_user.id])
        for kind, field in form.kind_fields():
            field.data = [c.value for c in operations.chosen_channels(current_user, kind, reach)]
    elif form.validate_on_submit():
        refusal_renders("notifications/preferences.html", status=400, form=form)
        operations.save_preferences(current_user, email=form.email.data or "", channels=form.channels(),
                                    quiet_from=form.quiet_from.data, quiet_to=form.quiet_to.data,
                                    digest_hour=form.digest_hour.data, wecom_user_id=form.wecom_user_id.data or "",
                                    dingtalk_user_id=form.dingtalk_user_id.data or "")
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form), 400 if form.errors else 200
