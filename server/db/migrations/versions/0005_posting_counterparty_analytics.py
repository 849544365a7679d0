"""posting counterparty analytics

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:33:03.907229
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, never a batch copy of the postings table (it may be large).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE postings ADD COLUMN counterparty_id VARCHAR(36) "
            "CONSTRAINT fk_postings_counterparty REFERENCES counterparties (id)"
        )
    else:
        op.add_column("postings", sa.Column("counterparty_id", sa.String(length=36)))
        op.create_foreign_key(
            "fk_postings_counterparty", "postings", "counterparties", ["counterparty_id"], ["id"]
        )
    op.create_index(
        "ix_postings_org_counterparty", "postings", ["org_id", "counterparty_id", "date"]
    )


def downgrade() -> None:
    op.drop_index("ix_postings_org_counterparty", table_name="postings")
    with op.batch_alter_table("postings") as batch_op:
        batch_op.drop_column("counterparty_id")
