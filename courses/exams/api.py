"""JSON for the exam page: the attempt's state (server time left, saved answers) and autosave.

``POST /attempts/<id>/save`` takes ``{"seq": n, "answers": {item id: response}}``, and
``"flagged": [item id, ...]`` (every item flagged for review) when the flags changed. The sequence
number orders saves per attempt: an answer is only replaced by a save with a higher number, so a
repeated or late request is acknowledged and ignored ("stale"), never an error, and cannot
overwrite a newer answer. The response carries a
fresh CSRF token, so a long exam never submits with an expired one. Nothing here says whether an
answer is right.
"""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf.csrf import generate_csrf

from academy.database import utcnow
from academy.web.cycle import keep_changes, on_refusal
from courses.exams.models import AttemptState
from courses.exams.operations import attempts
from courses.exams.views import bp
from courses.exams.views.take import own_attempt

MAX_SEQ = 2**31 - 1
MAX_ANSWERS = 200


def _state(attempt, status: str = "ok", saved_at=None) -> dict:
    now = utcnow()
    return {"status": status, "state": attempt.state.value, "last_seq": attempt.last_seq,
            "saved_at": (saved_at or attempt.last_saved_at).isoformat() if (saved_at or attempt.last_saved_at) else None,
            "remaining": max(0, int((attempt.deadline_at - now).total_seconds())), "server_time": now.isoformat(),
            "csrf_token": generate_csrf()}


@bp.get("/attempts/<int:attempt_id>/state.json")
@login_required
def attempt_state(attempt_id: int):
    attempt = own_attempt(attempt_id)
    body = _state(attempt)
    if attempt.state is AttemptState.IN_PROGRESS:
        body["answers"] = {str(item.id): item.response for item in attempt.items}
        body["flagged"] = [str(item_id) for item_id in attempt.flagged or []]
    return jsonify(body)


def _payload() -> tuple[int, dict, list | None]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    seq, answers, flagged = data.get("seq"), data.get("answers", {}), data.get("flagged")
    if (not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq <= MAX_SEQ or not isinstance(answers, dict)
            or len(answers) > MAX_ANSWERS):
        abort(400)
    return seq, answers, flagged


@bp.post("/attempts/<int:attempt_id>/save")
@login_required
def save(attempt_id: int):
    # The autosave is the request 500 trainees send every 20 s: one read of the attempt with its row
    # locked, one of the items it names, their update, and the reply made before the commit (so
    # nothing is read back).
    attempt = own_attempt(attempt_id, for_update=True)
    seq, answers, flagged = _payload()
    on_refusal(lambda error: (jsonify(status="invalid", message=str(error)), 400), category=None)
    result = attempts.save_answers(attempt, None, seq, answers, locked=True, flagged=flagged)
    body = _state(attempt, result.status, result.saved_at)
    body["last_seq"] = result.last_seq
    if result.status == "closed":
        body["message"] = closed_message(attempt)
        keep_changes()  # the 409 says the attempt is closed: closing it (time up) is kept
    return jsonify(body), 409 if result.status == "closed" else 200


def closed_message(attempt) -> str:
    """What the page says when a save finds the attempt closed: the time ran out, or it was
    submitted (from another tab or device), so the trainee knows which answers count."""
    if attempt.closed_by == "trainee":
        return _("This attempt was submitted, perhaps from another tab or device; answers saved before that count.")
    return _("Time is up: the exam is closed. Your answers saved before the deadline count.")
