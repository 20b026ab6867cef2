"""The registry's own sections of the worker page: assignment history and status history."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from academy.registry import access, labels
from academy.registry.forms import EndForm


def assignment_section(worker, viewer) -> dict:
    html = render_template("registry/_assignments.html", worker=worker, labels=labels,
                           can_edit=access.can_edit(viewer, worker.area.code), end_form=EndForm(formdata=None))
    return {"title": _("Assignment history"), "html": Markup(html)}


def status_section(worker, viewer) -> dict:
    html = render_template("registry/_status_history.html", worker=worker, labels=labels)
    return {"title": _("Status history"), "html": Markup(html)}
