"""Wire the identity provider's sign-in into an application: its blueprint and the log-in page's button."""
from __future__ import annotations

from flask import Flask, url_for
from flask_babel import gettext as _

from academy.contributions import contribute
from academy.oidc import client
from academy.oidc.views import bp


def login_button() -> tuple[str, str] | None:
    """The log-in page's "sign in with ..." button, or None while no provider is configured."""
    found = client.settings()
    if found is None:
        return None
    return url_for("oidc.start"), _("Sign in with %(name)s", name=found.display_name)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "login_providers", login_button)
