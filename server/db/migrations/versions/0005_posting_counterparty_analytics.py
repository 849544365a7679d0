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

    # The journal query's desc: searches a folded copy of the description (SQLite's
    # lower() folds ASCII only). A plain ADD COLUMN, then the existing rows are filled.
    op.add_column("entries", sa.Column("description_folded", sa.String(length=1500),
                                       server_default="", nullable=False))
    entries = sa.table("entries", sa.column("id", sa.String), sa.column("description", sa.String),
                       sa.column("description_folded", sa.String))
    conn = op.get_bind()
    fill = (sa.update(entries).where(entries.c.id == sa.bindparam("entry_id"))
            .values(description_folded=sa.bindparam("folded")))
    last = ""
    while True:  # in batches by id, so a large table is never held in memory
        batch = conn.execute(sa.select(entries.c.id, entries.c.description)
                             .where(entries.c.id > last).order_by(entries.c.id)
                             .limit(5000)).all()
        if not batch:
            break
        # The rule of the time (server.domain.query.fold), frozen here.
        conn.execute(fill, [{"entry_id": i, "folded": d.casefold().replace("ё", "е")}
                            for i, d in batch])
        last = batch[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch_op:
        batch_op.drop_column("description_folded")
    op.drop_index("ix_postings_org_counterparty", table_name="postings")
    with op.batch_alter_table("postings") as batch_op:
        batch_op.drop_column("counterparty_id")
