"""JSON for the exam picker (``static/js/pickers.js``; ``academy.web.pickers`` says what it reads)."""
from __future__ import annotations

from flask import request
from flask_login import current_user

from academy.permissions import Role, require_role
from academy.web import pickers
from academy.web.errors import json_endpoint
from courses.enrollment.access import can_see_course
from courses.exams import queries
from courses.exams.views import bp


@bp.get("/exams/pick")
@require_role(Role.HR, Role.INSTRUCTOR)
@json_endpoint
def pick_exams():
    query = pickers.read_query(request.args)
    exams = queries.picker_exams(search=query.q.data, exam_id=query.id.data, limit=pickers.LIMIT * 5)
    return pickers.answer([pickers.item(id=exam.id, code=str(exam.id), label=exam.title,
                                        detail=f"{exam.course.code} {exam.course.title}")
                           for exam in exams if can_see_course(current_user, exam.course)])
