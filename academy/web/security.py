"""Security headers, safe redirects, session cookies that know HTTPS, and sessions that end."""
from __future__ import annotations

import re

from flask import Flask, abort, request
from flask.sessions import SecureCookieSessionInterface

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",            # no inline scripts: every script is a file under static/
    "style-src 'self' 'unsafe-inline'",  # inline style attributes (bar widths) are harmless
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class HttpsAwareSessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


# NUL and other control characters have no place in what people type (tab and newlines aside);
# PostgreSQL refuses NUL in text, so they are turned away here, for every form, query and JSON body.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters():
    values = [v for values in request.args.listvalues() for v in values]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [v for values in request.form.listvalues() for v in values]
    if any(_CONTROL.search(value) for value in values):
        abort(400)
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        abort(400)


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    # Pages carry personal data (names, phones, ID numbers, scores): never keep them in caches.
    # Only the app's own static files may be cached.
    if not request.path.startswith(("/static/", "/bootstrap/static/")):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.session_interface = HttpsAwareSessionInterface()
    app.before_request(refuse_control_characters)
    app.after_request(add_security_headers)
