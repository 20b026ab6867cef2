"""The worker's photo: HR who may edit the worker, or the worker himself, uploads or removes it;
whoever may see the worker sees it."""
from __future__ import annotations

from flask import abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.permissions import ensure, get_or_404
from academy.registry import access, operations, photos
from academy.registry.forms import ConfirmForm, PhotoForm
from academy.registry.models import Worker
from academy.registry.views import bp
from academy.registry.views.workers import worker_page
from academy.web.cycle import on_refusal


def _photo_changeable(worker_id: int) -> Worker:
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_change_photo(current_user, worker))
    return worker


@bp.get("/registry/workers/<int:worker_id>/photo")
@login_required
def worker_photo(worker_id: int):
    worker = get_or_404(Worker, worker_id)
    ensure(access.can_see_worker(current_user, worker))
    if not worker.photo_name or not photos.path_of(worker.photo_name).is_file():
        abort(404)
    return send_file(photos.path_of(worker.photo_name), mimetype="image/jpeg", max_age=0)


@bp.post("/registry/workers/<int:worker_id>/photo")
@login_required
def upload_worker_photo(worker_id: int):
    worker = _photo_changeable(worker_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        return worker_page(worker, 400, photo_form=form)
    on_refusal(lambda _error: worker_page(worker, 400, photo_form=form))
    operations.set_worker_photo(worker, current_user, form.photo.data.stream.read(photos.max_bytes() + 1))
    flash(_("Photo saved."), "success")
    return redirect(url_for("registry.worker", worker_id=worker.id))


@bp.post("/registry/workers/<int:worker_id>/photo/remove")
@login_required
def remove_worker_photo(worker_id: int):
    worker = _photo_changeable(worker_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if operations.remove_worker_photo(worker, current_user):
        flash(_("Photo removed."), "success")
    return redirect(url_for("registry.worker", worker_id=worker.id))
