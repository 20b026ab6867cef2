"""The Flask extensions, created unbound; ``create_app`` binds them to an application."""
from __future__ import annotations

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that migrations can alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppSession(FlaskSession):
    """The class of ``db.session``'s sessions. The app's transaction hooks (jobs started after commit,
    files removed on rollback, indicators queued on commit) listen on this class, so they see this
    app's sessions and no other ``sqlalchemy.orm.Session`` in the process."""


def on_session(name: str, listener) -> None:
    """Listen to the session event ``name`` (after_commit, before_commit...) of ``db.session``.

    Called from an ``init_app``; tests build several apps in one process, so a listener already
    there is not added twice (it would run twice per commit)."""
    if not event.contains(AppSession, name, listener):
        event.listen(AppSession, name, listener)


db = SQLAlchemy(model_class=Base, session_options={"class_": AppSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
