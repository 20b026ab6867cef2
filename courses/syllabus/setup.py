"""Wire the syllabus package into an application: blueprint, navigation."""
from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.contributions import NavItem, contribute
from academy.permissions import Role
from courses.syllabus.labels import WORDS
from courses.syllabus.views import bp


def init_app(app: Flask) -> None:
    app.config.setdefault("SYLLABUS_REQUIRED_APPROVALS", 2)
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    everyone = tuple(Role)
    contribute(app, "nav", NavItem("syllabus.index", _l("Syllabus"), everyone,
               group="teaching", icon="journal-bookmark"), order=400)
    contribute(app, "nav", NavItem("syllabus.trainers", _l("Trainer pool"), (Role.INSTRUCTOR, Role.HR),
               group="teaching", icon="person-badge"), order=430)
    contribute(app, "nav", NavItem("syllabus.committee", _l("Expert committee"), (Role.ADMIN,),
               group="teaching", icon="people-fill"), order=440)
