"""Wire the accounts package into an application: blueprint, navigation."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.accounts import labels
from academy.accounts.views import bp
from academy.contributions import NavItem, contribute
from academy.permissions import Role


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", labels.WORDS)
    app.jinja_env.globals["person_label"] = labels.person_label
    contribute(app, "nav", NavItem("accounts.users", _l("Users"), (Role.ADMIN,),
               group="system", icon="person-gear"), order=900)
    contribute(app, "nav", NavItem("accounts.audit_log", _l("Audit log"), (Role.ADMIN,),
               group="system", icon="journal-text"), order=910)
