"""What a bulk action will touch, said before it is done (``static/js/confirm.js`` asks for it).

A preview endpoint takes the same fields as the action's form, as a GET, and answers
``{"count": n, "allowed": bool, "message": text}``: the server counts, the dialog shows the
message ("为 214 名网格员报名") and enables its confirm button only when the action may go ahead.
"""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from academy.web.pickers import refuse_invalid


def answer(form, count_of, message_of, limit: int):
    """The preview of ``form`` (a 400 when it does not validate): ``count_of()`` rows, which may be at
    most ``limit``; ``message_of(n)`` says what the action does to them."""
    refuse_invalid(form)
    count = count_of()
    if count > limit:
        return jsonify(count=count, allowed=False, message=_("More than %(n)d match; narrow the selection.", n=limit))
    if count == 0:
        return jsonify(count=0, allowed=False, message=_("Nothing matches this selection."))
    return jsonify(count=count, allowed=True, message=message_of(count))
