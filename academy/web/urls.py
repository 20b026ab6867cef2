"""Absolute URLs, built in one place from the site's configured public address.

Anything that leaves the site with an address in it (the notice board's QR code, a certificate
PDF's verification URL, a link in a page or a message) takes it from here, so a forged ``Host``
header can never put another site's address into print. ``ACADEMY_PUBLIC_URL`` is that address;
without it the request's own address is used, which production allows only when
``ACADEMY_TRUSTED_HOSTS`` makes Flask refuse every other ``Host`` (``check_production``).
"""
from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, url_for
from markupsafe import escape
from werkzeug.exceptions import SecurityError

from academy.web.errors import MESSAGES


class PublicUrlMissing(RuntimeError):
    """Production settings name neither the public address nor the trusted hosts."""


def check_production(app: Flask) -> None:
    """Refuse to start production without a way to know the site's own address."""
    if app.config.get("ENV_NAME") == "production" and not (
            app.config.get("PUBLIC_URL") or app.config.get("TRUSTED_HOSTS")):
        raise PublicUrlMissing("ACADEMY_PUBLIC_URL (or ACADEMY_TRUSTED_HOSTS) must be set in production "
                               "(ACADEMY_ENV=production): absolute URLs must not come from the Host header.")


def init_app(app: Flask) -> None:
    """Answer a ``Host`` outside ``TRUSTED_HOSTS`` with a plain 400.

    Flask cannot build any URL for such a request (it has no URL adapter), so the site's error
    page, whose layout links its stylesheets, cannot be drawn: this page needs no URL."""

    @app.errorhandler(SecurityError)
    def untrusted_host(_error):
        title, message = MESSAGES[400]
        return (f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(message)}</p>",
                400, {"Content-Type": "text/html; charset=utf-8"})


def public_base() -> str:
    """The site's address without a trailing slash, e.g. ``https://academy.example.cn``."""
    base = current_app.config.get("PUBLIC_URL")
    if base:
        return base.rstrip("/")
    if has_request_context():
        # Development, or production whose Host header Flask checks against TRUSTED_HOSTS.
        return request.host_url.rstrip("/")
    raise PublicUrlMissing("ACADEMY_PUBLIC_URL must be set to build absolute URLs outside a request.")


def public_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` on the site's public address."""
    return public_base() + url_for(endpoint, **values)
