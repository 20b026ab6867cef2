"""The migrations build the same schema as the models, on SQLite and PostgreSQL."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from academy import create_app
from academy.config import TestConfig
from academy.extensions import db
from tests.support import ensure_postgres_database, postgres_url, sibling_database


def _fresh_database(tmp_path) -> str:
    url = postgres_url()
    if url:
        url = sibling_database(url, "_migrations")
        ensure_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def test_upgrade_gives_the_models_schema_and_downgrade_undoes_it(tmp_path):
    app = create_app(TestConfig(_fresh_database(tmp_path), tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], "models and migrations differ: run flask db migrate"
        downgrade(revision="base")
        with db.engine.connect() as connection:
            tables = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()
