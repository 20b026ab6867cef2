"""One request cycle: the one place that commits or rolls back every request (DESIGN.md "Request cycle").

A view loads, checks, validates, calls one operation and answers; it never commits. When it
returns, the transaction is committed if the answer is below 400 and rolled back otherwise (a 4xx
answer changed nothing: a form shown again with its errors, a refused upload). When it raises, the
error handlers roll back. A ``DomainError`` (a domain rule refused) is answered here, once for
every view: rolled back, then the answer the view registered before calling its operation
(``refusal_renders``: the form again with the user's input; ``refusal_redirects``; ``on_refusal``:
anything else), or by default a flash and a 303 back to the page the user came from, or for JSON
endpoints the API's error format (``academy.web.errors.error_format``).
Indico's ``RH.process()`` is the model.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, render_template, request, url_for

from academy.errors import DomainError
from academy.extensions import db
from academy.redirects import safe_next
from academy.web.errors import error_format, render_error

log = logging.getLogger(__name__)

Answer = Callable[[DomainError], object]


def on_refusal(answer: Answer, *, category: str | None = "danger") -> None:
    """Register how this request answers a ``DomainError``: after the rollback its message is
    flashed (unless ``category`` is None, e.g. for JSON) and ``answer(error)`` is the response."""
    g.refusal_answer = (answer, category)


def refusal_renders(template: str, *, status: int = 200, category: str = "danger", **context) -> None:
    """On a refusal, flash its message and show ``template`` again (the form keeps the user's input)."""
    on_refusal(lambda _error: (render_template(template, **context), status), category=category)


def refusal_redirects(to: str, *, category: str = "danger") -> None:
    """On a refusal, flash its message and send the browser to ``to`` (303)."""
    on_refusal(lambda _error: redirect(to, 303), category=category)


def keep_changes() -> None:
    """Commit this request although its answer is an error status: the change is the answer
    (an exam save that found the time up closes the attempt and says 409)."""
    g.keep_changes = True


def _back() -> str:
    """The page the user came from when it is on this site, else the home page."""
    referrer = urlsplit(request.referrer or "")
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    fallback = url_for("web.home")
    return safe_next(path, fallback) if referrer.netloc == request.host else fallback


def answer_refusal(error: DomainError):
    """Roll back what the refused request did, then answer as the view asked, or by default."""
    db.session.rollback()
    g.refused = True
    registered = g.pop("refusal_answer", None)
    if registered is not None:
        answer, category = registered
        if category:
            flash(str(error), category)
        return answer(error)
    if error_format() is not None:
        return render_error(400, str(error))
    flash(str(error), "danger")
    return redirect(_back(), 303)


def end_transaction(response):
    """after_request: commit what an accepted request did, roll back anything else."""
    if g.get("refused") or (response.status_code >= 400 and not g.get("keep_changes")):
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception as error:  # noqa: BLE001 (answered as if the view had raised it: rolled back, logged)
        db.session.rollback()
        log.info("commit at the end of the request failed: %s", type(error).__name__)
        # The app's own handlers answer, as if the view had raised it (503 for a lost database...).
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(DomainError, answer_refusal)
    app.after_request(end_transaction)


def discard_changes() -> None:
    """Roll back what the request did so far, before the view renders its answer (an import with
    problems shows the registry as it was). The answer's status decides the end as usual."""
    db.session.rollback()


def commit_early() -> None:
    """Commit what the request did so far and go on in a new transaction. Only for a view whose
    comment says why it cannot wait for the end (the log-in counts the attempt before the slow check)."""
    db.session.commit()
