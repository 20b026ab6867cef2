"""The Grid Academy application: ``create_app`` is the composition root.

It binds the extensions, installs the shell (locale, security headers, errors), registers each
package's blueprint and contributions, and, as the one place allowed to, wires in the teaching
side from ``courses``.
"""
from __future__ import annotations

import logging
import secrets
from pathlib import Path

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from academy import audit, contributions, files, jobs, labels
from academy.config import BASE_DIR, Config
from academy.database import configure_engine, reset_sqlite_begin_mode, set_sqlite_begin_mode
from academy.extensions import babel, bootstrap, csrf, db, login_manager, migrate
from academy.web import cycle, errors, i18n, security, textguard, urls, vendor

READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")
log = logging.getLogger(__name__)


def create_app(config: Config | None = None) -> Flask:
    config = config or Config()
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    app.config.from_object(config)
    urls.check_production(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(BASE_DIR / "academy" / "translations")
    Path(app.config["FILES_DIR"]).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    _init_extensions(app)
    _init_request_cycle(app)
    _register_packages(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    # Unstorable text is refused before the CSRF check runs, so the answer does not depend on the token.
    textguard.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    babel.domain_instance = i18n.CatalogueDomain()  # finds translations/zh_CN (see CatalogueDomain)
    bootstrap.init_app(app)
    contributions.init_app(app)
    labels.init_app(app)
    jobs.init_app(app)
    files.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    urls.init_app(app)
    vendor.init_app(app)
    app.jinja_env.globals["public_url"] = urls.public_url  # absolute links in pages, never from Host


def _init_request_cycle(app: Flask) -> None:
    @app.before_request
    def _begin_request():
        g.audit_token = audit.set_address(request.remote_addr)
        # Reads start deferred transactions so they never queue behind writers (SQLite only).
        mode = "DEFERRED" if request.method in READ_ONLY_METHODS else "IMMEDIATE"
        g.begin_token = set_sqlite_begin_mode(mode)

    # One place commits or rolls back every request, and answers every refusal (academy.web.cycle).
    cycle.init_app(app)

    @app.teardown_appcontext
    def _release_session(_error):
        # Runs before Flask-SQLAlchemy's own teardown. When the database went away mid-request
        # (a restart, a failover), ending the session's transaction fails too; the pool has already
        # dropped that connection, so the failure is logged and the answer already made stands.
        try:
            db.session.remove()
        except sa_exc.DBAPIError as error:
            log.warning("database connection lost while ending a request: %s", str(error.orig)[:200])
            db.session.registry.clear()

    @app.teardown_request
    def _end_request(_error):
        if "begin_token" in g:
            reset_sqlite_begin_mode(g.pop("begin_token"))
        if "audit_token" in g:
            audit._address.reset(g.pop("audit_token"))


@login_manager.user_loader
def _load_user(user_id: str):
    # Inside: this is the package root, which every module of accounts imports first.
    from academy.accounts.models import User

    ident, _sep, token = user_id.partition(":")
    if not ident.isdigit():
        return None
    # Every request loads its user: the grants come in the same statement (a join) rather than
    # the relationship's second SELECT, a tenth of a small request's CPU.
    user = db.session.get(User, int(ident), options=[joinedload(User.grants)])
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None  # logged out, disabled or password changed since this cookie was issued
    return user


def _register_packages(app: Flask) -> None:
    # The composition root: the packages import ``academy`` first, so it imports them only here.
    import academy.accounts.setup
    import academy.activation.setup
    import academy.cases.setup
    import academy.indicators.setup
    import academy.notifications.setup
    import academy.oidc.setup
    import academy.registry.setup
    from academy import cli, numbers  # noqa: F401  (numbers: its table belongs to every app)
    from academy.web import (
        frame,
        ratelimit,  # noqa: F401  (its counters table belongs to every app)
        shell,
    )
    from academy.web.views import bp as web_bp

    app.register_blueprint(web_bp)
    frame.init_app(app)
    shell.init_app(app)
    academy.accounts.setup.init_app(app)
    academy.registry.setup.init_app(app)
    academy.activation.setup.init_app(app)
    academy.oidc.setup.init_app(app)
    academy.cases.setup.init_app(app)
    academy.indicators.setup.init_app(app)
    academy.notifications.setup.init_app(app)
    cli.init_app(app)

    import courses  # the composition root is the one place academy may reach the teaching side

    courses.init_app(app)

    import citydata  # the composition root adds the demo and benchmark cities' commands, kept outside the domain

    citydata.init_app(app)
