"""Master courses and their branch copies (blueprints, issue 19).

A course may be a master; a copy names its master and when it was last synced; a copy's lesson
names the master's lesson it follows, a copy's exam the master's exam.

Revision ID: ec511b34adde
Revises: 12ba0bb7d58b
Create Date: 2026-12-06 17:40:51.929607

"""
from alembic import op
import sqlalchemy as sa

import academy.database


# revision identifiers, used by Alembic.
revision = 'ec511b34adde'
down_revision = '12ba0bb7d58b'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_master', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('master_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('synced_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_courses_master_id'), ['master_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_courses_master_id_courses'), 'courses', ['master_id'], ['id'])
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('master_lesson_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lessons_master_lesson_id'), ['master_lesson_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_lessons_master_lesson_id_lessons'), 'lessons', ['master_lesson_id'],
                                    ['id'], ondelete='SET NULL')
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('master_exam_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_exams_master_exam_id'), ['master_exam_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_exams_master_exam_id_exams'), 'exams', ['master_exam_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('exams', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_exams_master_exam_id_exams'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_exams_master_exam_id'))
        batch_op.drop_column('master_exam_id')
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_lessons_master_lesson_id_lessons'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_lessons_master_lesson_id'))
        batch_op.drop_column('master_lesson_id')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_courses_master_id_courses'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_courses_master_id'))
        batch_op.drop_column('synced_at')
        batch_op.drop_column('master_id')
        batch_op.drop_column('is_master')
