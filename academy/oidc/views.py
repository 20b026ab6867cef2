"""The two steps of signing in through the identity provider: off to the provider, and back.

Both 404 while the provider is not configured, and both are public pages, so both are rate limited
per address (``ACADEMY_RATELIMIT_OIDC``).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from academy.accounts import sessions
from academy.oidc import client, errors, operations
from academy.web.errors import render_error
from academy.web.ratelimit import Verdict, rate_limited
from academy.web.urls import public_url

bp = Blueprint("oidc", __name__)


def _too_many(verdict: Verdict):
    return render_error(429)


limited = rate_limited("oidc", "120/600", refused=_too_many)


def _configured() -> client.Settings:
    found = client.settings()
    if found is None:
        abort(404)
    return found


def _back_to_login(refusal: errors.SignInRefused):
    flash(str(refusal), "danger")
    return redirect(url_for("accounts.login"), 303)


@bp.get("/login/oidc")
@limited
def start():
    found = _configured()
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    try:
        return client.authorize_redirect(found, public_url("oidc.callback"))
    except errors.SignInRefused as refusal:
        return _back_to_login(refusal)


@bp.get("/login/oidc/callback")
@limited
def callback():
    found = _configured()
    try:
        claims = client.verified_claims(found)
        user = operations.sign_in(claims, found, request.remote_addr or "")
    except errors.SignInRefused as refusal:
        # Answered here, not by the request cycle: its rollback would erase the refusal's audit
        # entry, and a refused sign-in is audited too. Nothing else was written before it.
        operations.record_refusal(refusal)
        return _back_to_login(refusal)
    sessions.start_session(user)
    return redirect(url_for("web.home"), 303)
