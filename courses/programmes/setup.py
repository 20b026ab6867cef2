"""Wire the programmes package into an application: blueprint, navigation, the trainee's programme on
his training page and on a course page, and enrollment's ``course_result_changed``."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.contributions import NavItem, contribute
from academy.permissions import Role
from academy.signals import connect
from courses.enrollment.signals import course_result_changed
from courses.programmes import operations, queries
from courses.programmes.labels import WORDS
from courses.programmes.views import bp


def training_section(worker) -> Markup:
    """The trainee's training page: each programme he is in, the course he is on and the next one."""
    places = [queries.describe(place) for place in queries.places_of(worker)]
    if not places:
        return Markup("")
    return Markup(render_template("programmes/_mine.html", places=places))


def course_section(course, user, enrollment) -> Markup:
    """A course page seen by a trainee on it: the programme it belongs to and what comes next."""
    if enrollment is None:
        return Markup("")
    places = [queries.describe(place) for place in queries.places_of(enrollment.worker)
              if queries.position_of(place.programme, course) is not None]
    if not places:
        return Markup("")
    return Markup(render_template("programmes/_mine.html", places=places, course=course))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "nav", NavItem("programmes.index", _l("Programmes"), (Role.HR, Role.INSTRUCTOR),
               group="teaching", icon="signpost-split"), order=412)
    contribute(app, "training_sections", training_section, order=10)
    contribute(app, "course_sections", course_section, order=5)
    connect(app, course_result_changed, operations.on_course_result_changed)
