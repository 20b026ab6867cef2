"""The activation section of the worker page: whether he has a log-in, and HR's "new letter" button."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from academy.activation import queries
from academy.activation.forms import ConfirmForm
from academy.registry import access


def letter_section(worker, viewer) -> dict | None:
    """Shown to HR who may edit the worker: the log-in's name and the button for a new letter."""
    if not access.can_edit(viewer, worker.area.code):
        return None
    html = render_template("activation/_worker_section.html", worker=worker, user=queries.user_of(worker),
                           form=ConfirmForm(formdata=None))
    return {"title": _("Log-in and activation letter"), "html": Markup(html)}
