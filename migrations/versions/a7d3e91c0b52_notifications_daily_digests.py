"""notifications: daily digests (a person's digest hour, a digest delivery's own words)

Revision ID: a7d3e91c0b52
Revises: 14bd858120d1
Create Date: 2026-12-06 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3e91c0b52'
down_revision = '14bd858120d1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=True))
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('digest_body', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('notification_deliveries', schema=None) as batch_op:
        batch_op.drop_column('digest_body')
        batch_op.drop_column('digest_title')
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('digest_hour')
