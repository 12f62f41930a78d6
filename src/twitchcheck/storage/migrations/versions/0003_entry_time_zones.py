"""The IANA time zone each episode and check-in was made in, and the profile's (issue 20).

Nullable: rows made before this revision have no zone (the FHIR export then uses the profile's
zone, else exports their date only). ``batch_alter_table`` so that SQLite, which cannot alter a
table in place in every case, and PostgreSQL run the same steps.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("episodes", "checkins", "users")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("time_zone")
