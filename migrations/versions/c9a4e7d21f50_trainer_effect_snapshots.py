"""trainer effect snapshots: per trainer and district, each completer of his courses counted once

Revision ID: c9a4e7d21f50
Revises: b4e8f2a61c37
Create Date: 2026-12-06 21:30:00

"""
import sqlalchemy as sa
from alembic import op

import academy.database

# revision identifiers, used by Alembic.
revision = 'c9a4e7d21f50'
down_revision = 'b4e8f2a61c37'
branch_labels = None
depends_on = None

COUNTS = ("workers", "due_to_close", "closed_on_time", "rework", "return_visits", "satisfied", "basic", "red_cards")


def upgrade():
    op.create_table('trainer_effects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=15), nullable=False),
    sa.Column('cohort', sa.String(length=10), nullable=False),
    sa.Column('window', sa.String(length=10), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', academy.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_trainer_effects_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainer_effects')),
    sa.UniqueConstraint('user_id', 'district', 'cohort', 'window', name=op.f('uq_trainer_effects_user_id_district_cohort_window'))
    )
    with op.batch_alter_table('trainer_effects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainer_effects_district'), ['district'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainer_effects_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('trainer_effects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainer_effects_user_id'))
        batch_op.drop_index(batch_op.f('ix_trainer_effects_district'))
    op.drop_table('trainer_effects')
