"""notifications: the inbox's newest first by person

Revision ID: dab70d881a88
Revises: 7e1f4c2a9b30
Create Date: 2026-12-06 17:49:17.556734

"""
from alembic import op
import sqlalchemy as sa

import academy.database


# revision identifiers, used by Alembic.
revision = 'dab70d881a88'
down_revision = '7e1f4c2a9b30'
branch_labels = None
depends_on = None


def upgrade():
    # A person's inbox, newest first, read from the index (not 10,000 rows sorted for a page of 30).
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_newest', ['user_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_newest')
