"""training effect snapshots: per course and district, completers and others, before and after

Revision ID: 7e1f4c2a9b30
Revises: ec511b34adde
Create Date: 2026-12-06 18:15:00

"""
import sqlalchemy as sa
from alembic import op

import academy.database

# revision identifiers, used by Alembic.
revision = '7e1f4c2a9b30'
down_revision = 'ec511b34adde'
branch_labels = None
depends_on = None

COUNTS = ("workers", "due_to_close", "closed_on_time", "rework", "return_visits", "satisfied", "basic", "red_cards")


def upgrade():
    op.create_table('training_effects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=15), nullable=False),
    sa.Column('cohort', sa.String(length=10), nullable=False),
    sa.Column('window', sa.String(length=10), nullable=False),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', academy.database.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_training_effects_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_effects')),
    sa.UniqueConstraint('course_id', 'district', 'cohort', 'window', name=op.f('uq_training_effects_course_id_district_cohort_window'))
    )
    with op.batch_alter_table('training_effects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_effects_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_effects_district'), ['district'], unique=False)


def downgrade():
    with op.batch_alter_table('training_effects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_effects_district'))
        batch_op.drop_index(batch_op.f('ix_training_effects_course_id'))
    op.drop_table('training_effects')
