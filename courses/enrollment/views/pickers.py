"""JSON for the course picker (``static/js/pickers.js``; ``academy.web.pickers`` says what it reads)."""
from __future__ import annotations

from flask import request

from academy.permissions import Role, require_role
from academy.web import pickers
from academy.web.errors import json_endpoint
from courses.enrollment import queries
from courses.enrollment.views import bp


@bp.get("/courses/pick")
@require_role(Role.HR, Role.INSTRUCTOR)
@json_endpoint
def pick_courses():
    query = pickers.read_query(request.args)
    courses = queries.picker_courses(search=query.q.data, code=query.code.data or "", course_id=query.id.data)
    return pickers.answer([pickers.item(id=course.id, code=course.code, label=course.title, detail=course.code)
                           for course in courses])
