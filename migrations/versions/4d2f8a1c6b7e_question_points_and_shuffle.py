"""A question's default points (分值, Moodle's defaultgrade) and its own shuffle switch (issue 20)

Revision ID: 4d2f8a1c6b7e
Revises: 9b638b5dec1e
Create Date: 2026-12-06 11:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d2f8a1c6b7e'
down_revision = '9b638b5dec1e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('points', sa.Numeric(precision=6, scale=2), nullable=True))
        batch_op.add_column(sa.Column('shuffle_answers', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade():
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('shuffle_answers')
        batch_op.drop_column('points')
