"""nullable JSON columns hold SQL NULL, never the JSON text 'null'

Python's None in a nullable JSON column used to be written as the JSON text 'null', so "grids without
a boundary" (WHERE boundary_geojson IS NULL) missed grids saved with an empty boundary. The columns
are now ``sa.JSON(none_as_null=True)``; this turns the 'null' already stored into SQL NULL.

Revision ID: a1c0e5d2b7f4
Revises: 7e105fb51ad3
Create Date: 2026-12-06 07:30:00

"""
from alembic import op

revision = 'a1c0e5d2b7f4'
down_revision = '7e105fb51ad3'
branch_labels = None
depends_on = None

COLUMNS = (("jobs", "result"), ("grids", "boundary_geojson"), ("audit_entries", "before"),
           ("audit_entries", "after"), ("attempt_items", "response"))


def upgrade():
    for table, column in COLUMNS:
        op.execute(f'UPDATE {table} SET "{column}" = NULL WHERE CAST("{column}" AS TEXT) = \'null\'')


def downgrade():
    pass  # SQL NULL reads back as None either way; nothing to undo
