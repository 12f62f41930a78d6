"""An index for the timeline (episodes newest first).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_episode_user_time", "episodes", ["user_id", "occurred_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_episode_user_time", table_name="episodes")
