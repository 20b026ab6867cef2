"""Numerical and matching questions; per-answer weights and feedback, units, titles (issue 20)

Revision ID: 9b638b5dec1e
Revises: a19e9befe659
Create Date: 2026-12-06 10:21:25.193298

"""
from alembic import op
import sqlalchemy as sa

import academy.database


# revision identifiers, used by Alembic.
revision = '9b638b5dec1e'
down_revision = 'a19e9befe659'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('weights', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('answer_feedback', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('units', sa.JSON(), server_default='[]', nullable=False))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('units')
        batch_op.drop_column('answer_feedback')
        batch_op.drop_column('weights')
        batch_op.drop_column('title')
