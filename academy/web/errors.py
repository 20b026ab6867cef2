"""Error answers for every error a user can provoke: a page in the site's style, or JSON.

``error_format`` is the one place that decides how an error is answered. Open311 (``/open311/``)
answers in GeoReport's format (``open311_error``), a list of ``{"code": ..., "description": ...}``, as
``<errors><error>...`` when the URL asks for XML; the other JSON
endpoints (``/api/...``, URLs ending in ``.json``, views of an ``api`` module or marked with
``json_endpoint``, and requests that send JSON or ask only for it) answer
``{"error": "not_found", "message": "..."}``; everything else gets the page. The decision is
made for CSRF failures, 400, 404, 405, 413, 429 and the server's own errors alike, also when no
view ran (a wrong method: the URL's endpoint is found by matching it with a method it allows).
"""
from __future__ import annotations

import inspect
import json
import logging
from xml.etree import ElementTree

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import RoutingException

from academy.extensions import db, login_manager
from academy.files import StorageError
from academy.web.textguard import UnstorableText

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


OPEN311, JSON = "open311", "json"
ERROR_NAMES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 413: "too_large",
               429: "too_many_requests", 500: "internal_error", 503: "unavailable", 507: "storage_full"}


def json_endpoint(view):
    """Mark a view whose answers are JSON (a page's script reads them), so its errors are JSON too."""
    view.answers_json = True
    return view


def _view():
    """The view the request's URL names; for a wrong method, the view of a method the URL allows."""
    endpoint = request.endpoint
    if endpoint is None and isinstance(request.routing_exception, MethodNotAllowed):
        allowed = request.routing_exception.valid_methods or []
        try:
            endpoint, _args = current_app.url_map.bind_to_environ(request.environ).match(method=allowed[0])
        except (HTTPException, RoutingException, IndexError):
            endpoint = None
    return current_app.view_functions.get(endpoint) if endpoint else None


def error_format() -> str | None:
    """How this request's errors are answered: ``OPEN311``, ``JSON`` or None (an HTML page)."""
    path = request.path
    if path.startswith("/open311/"):
        return OPEN311
    if path.startswith("/api/") or path.endswith(".json"):
        return JSON
    view = _view()
    if view is not None and (getattr(view, "answers_json", False) or inspect.unwrap(view).__module__.endswith(".api")):
        return JSON
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return JSON
    return None


def open311_error(code: int, description: str):
    """GeoReport's error document, in the format the request's URL names (``.xml``, else JSON)."""
    if request.path.endswith(".xml"):
        root = ElementTree.Element("errors")
        error = ElementTree.SubElement(root, "error")
        ElementTree.SubElement(error, "code").text = str(code)
        ElementTree.SubElement(error, "description").text = description
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
        return current_app.response_class(body, status=code, content_type="text/xml; charset=utf-8")
    body = json.dumps([{"code": code, "description": description}], ensure_ascii=False)
    return current_app.response_class(body, status=code, content_type="application/json; charset=utf-8")


def render_error(code: int, detail: str | None = None):
    """The error answer in the format the request calls for (see ``error_format``)."""
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    text = str(detail or message)
    kind = error_format()
    if kind == OPEN311:
        return open311_error(code, text), code
    if kind == JSON:
        return jsonify(error=ERROR_NAMES.get(code, "bad_request" if code < 500 else "internal_error"), message=text), code
    return render_template("errors/error.html", code=code, title=title, message=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return render_error(400, str(_l("The form had expired or did not come from this site. Reload the page and try again.")))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308) or error.code is None:
            return error
        # Our own refusals (unstorable text) say what was wrong; Werkzeug's stock texts are replaced.
        body, code = render_error(error.code, error.description if isinstance(error, UnstorableText) else None)
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
