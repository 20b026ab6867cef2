"""JSON for the course picker (``static/js/pickers.js``; ``academy.web.pickers`` says what it reads)."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from academy.permissions import Role, require_role
from academy.web import pickers
from academy.web.errors import json_endpoint
from courses.enrollment import queries
from courses.enrollment.access import can_see_course
from courses.enrollment.views import bp


@bp.get("/courses/pick")
@require_role(Role.HR, Role.INSTRUCTOR)
@json_endpoint
def pick_courses():
    query = pickers.read_query(request.args)
    # Another branch's drafts are not an instructor's to see: asked for more, the ones he may see kept.
    courses = queries.picker_courses(search=query.q.data, code=query.code.data or "", course_id=query.id.data,
                                     limit=pickers.LIMIT * 5)
    return pickers.answer([pickers.item(id=course.id, code=course.code, label=course.title, detail=course.code)
                           for course in courses if can_see_course(current_user, course)])
