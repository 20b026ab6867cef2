"""Error pages in the site's style, for every error a user can provoke."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from academy.extensions import db, login_manager
from academy.files import StorageError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and check what you sent.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("This page does not exist, or it is not yours to see.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than the limit. Send a smaller file.")),
    429: (_l("Too many requests"), _l("Too many requests; wait a moment and try again.")),
    503: (_l("Briefly unavailable"), _l("The database could not be reached. Nothing was saved; please try again in a moment.")),
    507: (_l("Storage full"), _l("The server's storage is full. Nothing was saved; please try again later.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
}


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, str(_l("The form had expired or did not come from this site. Reload the page and try again.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308) or error.code is None:
            return error
        if request.path.startswith("/api/"):
            # Other systems read JSON, also when no route matched (a number with a newline in it):
            # the same shape as the endpoints' own refusals, e.g. {"error": "not_found"}.
            body, code = jsonify(error=error.name.lower().replace(" ", "_").replace("'", "")), error.code
        else:
            body, code = render_error(error.code)
        # Keep what the error says about itself (Allow on 405, Retry-After on 429).
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(StorageError)
    def storage_error(error: StorageError):
        # Rolling back also removes the files this request had already written (academy.files).
        db.session.rollback()
        return render_error(507, error.user_message)

    @app.errorhandler(sa_exc.OperationalError)
    def database_unreachable(error: sa_exc.OperationalError):
        # The database restarted or is away: the pool drops the dead connection (pre-ping finds
        # the next one), nothing of this request was committed, and the user may simply retry.
        log.warning("database unavailable: %s", str(error.orig)[:200])
        try:
            db.session.rollback()
        except sa_exc.DBAPIError:  # the connection is gone for good: give it up, the pool makes another
            db.session.remove()
        # The page must not need the database: shown as to a stranger (loading the user would fail).
        g._login_user = login_manager.anonymous_user()
        try:
            return render_error(503)
        except sa_exc.DBAPIError:
            title, message = MESSAGES[503]
            return f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>", 503

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unhandled error")
        db.session.rollback()
        return render_error(500)
