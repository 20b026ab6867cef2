"""Starting a signed-in session: the one helper every way of logging in goes through.

A password log-in and a sign-in through the city's identity provider (``academy.oidc``) both start
the session here, so both drop the anonymous session (its CSRF secret above all) the same way.
"""
from __future__ import annotations

from flask import session
from flask_login import login_user

from academy.accounts.models import User

# What a log-in carries over from the anonymous session; everything else (the CSRF secret
# above all) is dropped, so a session planted before the log-in is worth nothing after it.
SURVIVES_LOGIN = ("locale",)


def start_session(user: User) -> None:
    """Replace the anonymous session with a fresh one for ``user`` (new cookie, new CSRF token)."""
    kept = {key: session[key] for key in SURVIVES_LOGIN if key in session}
    session.clear()
    session.update(kept)
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without use
    login_user(user)
