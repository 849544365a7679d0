"""payment orders

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 01:27:14.562329
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_orders",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_kopecks", sa.BigInteger(), nullable=False),
        sa.Column("bank_account_id", sa.String(length=36), nullable=False),
        sa.Column("payer_name", sa.String(length=400), nullable=False),
        sa.Column("payer_inn", sa.String(length=12), nullable=False),
        sa.Column("payer_kpp", sa.String(length=9), nullable=True),
        sa.Column("payer_account", sa.String(length=20), nullable=False),
        sa.Column("payer_bik", sa.String(length=9), nullable=False),
        sa.Column("payer_corr_account", sa.String(length=20), nullable=True),
        sa.Column("payer_bank", sa.String(length=300), nullable=False),
        sa.Column("counterparty_id", sa.String(length=36), nullable=True),
        sa.Column("employee_id", sa.String(length=36), nullable=True),
        sa.Column("payee_name", sa.String(length=400), nullable=False),
        sa.Column("payee_inn", sa.String(length=12), nullable=True),
        sa.Column("payee_kpp", sa.String(length=9), nullable=True),
        sa.Column("payee_account", sa.String(length=20), nullable=False),
        sa.Column("payee_bik", sa.String(length=9), nullable=False),
        sa.Column("payee_corr_account", sa.String(length=20), nullable=True),
        sa.Column("payee_bank", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.String(length=210), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("payer_status", sa.String(length=2), nullable=True),
        sa.Column("kbk", sa.String(length=20), nullable=True),
        sa.Column("oktmo", sa.String(length=11), nullable=True),
        sa.Column("basis", sa.String(length=2), nullable=True),
        sa.Column("tax_period", sa.String(length=10), nullable=True),
        sa.Column("doc_number", sa.String(length=15), nullable=True),
        sa.Column("doc_date", sa.String(length=10), nullable=True),
        sa.Column("uin", sa.String(length=25), nullable=True),
        sa.Column("exported_at", server.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_entry_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", server.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=False),
        sa.CheckConstraint("kind IN ('supplier', 'tax', 'salary', 'other')",
                           name="ck_payment_orders_kind"),
        sa.CheckConstraint("amount_kopecks > 0", name="ck_payment_orders_amount_positive"),
        sa.ForeignKeyConstraint(["bank_account_id"], ["bank_accounts.id"],
                                name="fk_payment_orders_bank_account"),
        sa.ForeignKeyConstraint(["counterparty_id"], ["counterparties.id"],
                                name="fk_payment_orders_counterparty"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name="fk_payment_orders_org",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["posted_entry_id"], ["entries.id"],
                                name="fk_payment_orders_posted_entry"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "year", "number", name="uq_payment_orders_org_year_number"),
    )
    op.create_index("ix_payment_orders_org_date", "payment_orders", ["org_id", "date", "number"])


def downgrade() -> None:
    op.drop_index("ix_payment_orders_org_date", table_name="payment_orders")
    op.drop_table("payment_orders")
