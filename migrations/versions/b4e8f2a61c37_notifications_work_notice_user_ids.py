"""notifications: a person's WeCom and DingTalk user ids (work notices)

Revision ID: b4e8f2a61c37
Revises: a7d3e91c0b52
Create Date: 2026-12-06 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e8f2a61c37'
down_revision = 'a7d3e91c0b52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('wecom_user_id', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('dingtalk_user_id', sa.String(length=64), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('notification_preferences', schema=None) as batch_op:
        batch_op.drop_column('dingtalk_user_id')
        batch_op.drop_column('wecom_user_id')
