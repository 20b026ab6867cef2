"""Assignments awaiting qualification (持证上岗, issue 16).

A full-time or leader assignment of a worker who is not on duty is held until he goes on duty.
Assignments already recorded for such workers (in training, suspended) are held here, so that the
coverage page stops counting them the moment the schema arrives.

Revision ID: c95ae378c742
Revises: a1c0e5d2b7f4
Create Date: 2026-12-06 08:43:47.194507

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c95ae378c742'
down_revision = 'a1c0e5d2b7f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('awaiting_qualification', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    assignments = sa.table('assignments', sa.column('worker_id'), sa.column('role'), sa.column('ends_on', sa.Date),
                           sa.column('awaiting_qualification', sa.Boolean))
    workers = sa.table('workers', sa.column('id'), sa.column('status'))
    not_on_duty = sa.select(workers.c.id).where(workers.c.status != 'on_duty')
    op.execute(assignments.update()
               .where(assignments.c.role.in_(['leader', 'full_time']), assignments.c.worker_id.in_(not_on_duty),
                      sa.or_(assignments.c.ends_on.is_(None), assignments.c.ends_on > sa.func.current_date()))
               .values(awaiting_qualification=sa.true()))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('awaiting_qualification')
