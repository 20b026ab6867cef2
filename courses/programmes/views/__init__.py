"""Pages of the programmes package: the list, a programme with its people, editing, bulk enrolment."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("programmes", __name__)

from courses.programmes.views import pages  # noqa: E402,F401  (routes on bp)
