"""Wire first sign-in and recovery into an application: blueprint, navigation, worker-page section, job."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.activation import labels, letters, models, sections  # noqa: F401  (models, letters: tables and the job belong to every app)
from academy.activation.views import bp
from academy.contributions import NavItem, contribute
from academy.permissions import Role


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "nav", NavItem("activation.letters_new", _l("Activation letters"), (Role.HR,),
               group="grid", icon="envelope-paper"), order=255)
    contribute(app, "worker_sections", sections.letter_section, order=800)
