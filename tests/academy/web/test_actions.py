"""The shared end of a changing view: a refused operation keeps nothing, an accepted one commits."""
from __future__ import annotations

import sqlalchemy as sa

from academy import audit
from academy.extensions import db
from academy.web.actions import perform


class Refused(ValueError):
    pass


def _notes(text: str) -> int:
    return db.session.scalar(sa.select(sa.func.count(audit.AuditEntry.id)).where(audit.AuditEntry.summary == text))


def _refuse():
    audit.record(None, "test.note", summary="half-done")
    raise Refused("not allowed here")


def test_refused_operation_keeps_nothing_and_goes_back(app):
    with app.test_request_context():
        response, status = perform(_refuse, refusals=Refused, done="ok", to="/somewhere", refused_to="/back")
        assert status == 303 and response.headers["Location"] == "/back"
        assert _notes("half-done") == 0


def test_accepted_operation_is_committed_and_redirects(app):
    with app.test_request_context():
        response = perform(lambda: audit.record(None, "test.note", summary="kept"), refusals=Refused, done="ok", to="/next")
        assert response.status_code == 302 and response.headers["Location"] == "/next"
        db.session.rollback()  # a commit happened: rolling back now cannot take the entry away
        assert _notes("kept") == 1
