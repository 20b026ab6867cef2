"""The worker's photo on his record (issue #18): the stored name of a re-encoded JPEG, or none.

Revision ID: 14bd858120d1
Revises: dab70d881a88
Create Date: 2026-12-06 17:41:04.645986

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14bd858120d1'
down_revision = 'dab70d881a88'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_name', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('workers', schema=None) as batch_op:
        batch_op.drop_column('photo_name')
