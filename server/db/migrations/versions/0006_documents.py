"""documents

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 00:38:00.749064
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=24), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("counterparty_id", sa.String(length=36), nullable=True),
        sa.Column("contract", sa.String(length=300), nullable=True),
        sa.Column("basis", sa.String(length=300), nullable=True),
        sa.Column("vat_included", sa.Boolean(), nullable=False),
        sa.Column("vat_rate", sa.String(length=4), nullable=False),
        sa.Column("amount_kopecks", sa.BigInteger(), nullable=True),
        sa.Column("purpose", sa.String(length=210), nullable=True),
        sa.Column("account", sa.String(length=20), nullable=True),
        sa.Column("total_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("vat_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("cancel_reason", sa.String(length=300), nullable=True),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.Column("updated_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('draft', 'posted', 'cancelled')",
                           name="ck_documents_state"),
        sa.ForeignKeyConstraint(["counterparty_id"], ["counterparties.id"],
                                name="fk_documents_counterparty"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_documents_org",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "type", "year", "number",
                            name="uq_documents_org_type_year_number"),
    )
    op.create_index("ix_documents_org_counterparty", "documents", ["org_id", "counterparty_id"])
    op.create_index("ix_documents_org_date", "documents", ["org_id", "date", "number"])

    op.create_table(
        "document_lines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("price_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("vat_rate", sa.String(length=4), nullable=False),
        sa.Column("amount_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("vat_kopecks", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("price_kopecks >= 0", name="ck_document_lines_price_not_negative"),
        sa.CheckConstraint("quantity_milli > 0", name="ck_document_lines_quantity_positive"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_document_lines_document", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "line", name="uq_document_lines_document_line"),
    )

    # A plain ADD COLUMN, never a batch copy of the entries table (it may be large).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE entries ADD COLUMN document_id VARCHAR(36) "
            "CONSTRAINT fk_entries_document REFERENCES documents (id)"
        )
    else:
        op.add_column("entries", sa.Column("document_id", sa.String(length=36)))
        op.create_foreign_key(
            "fk_entries_document", "entries", "documents", ["document_id"], ["id"]
        )
    op.create_index("ix_entries_document_id", "entries", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_entries_document_id", table_name="entries")
    with op.batch_alter_table("entries") as batch_op:
        batch_op.drop_column("document_id")
    op.drop_table("document_lines")
    op.drop_index("ix_documents_org_date", table_name="documents")
    op.drop_index("ix_documents_org_counterparty", table_name="documents")
    op.drop_table("documents")
