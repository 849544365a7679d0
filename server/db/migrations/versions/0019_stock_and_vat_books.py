"""stock by item, warehouses, the supplier's счёт-фактура on a поступление

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 08:30:00

- ``stock_items`` (номенклатура), ``warehouses``, ``stock_settings`` (oversell: refuse or
  warn) and ``stock_moves`` (what a posted line did to the stock: quantity and cost).
- ``document_lines.item_id`` / ``warehouse_id``: optional, old lines stay text only.
- ``documents.supplier_invoice_number`` / ``supplier_invoice_date``: the purchase book's
  гр. 3 (Постановление № 1137).
Plain ADD COLUMNs (never a batch copy of a large table).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = server.db.types.UTCDateTime


def _org_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=f"fk_{table}_org",
                                   ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "stock_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_folded", sa.String(length=900), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('goods', 'material')", name="ck_stock_items_kind"),
        _org_fk("stock_items"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "name_folded", name="uq_stock_items_org_name"),
    )
    op.create_table(
        "warehouses",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS(timezone=True), nullable=False),
        _org_fk("warehouses"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "name", name="uq_warehouses_org_name"),
    )
    op.create_table(
        "stock_settings",
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("oversell", sa.String(length=8), nullable=False),
        _org_fk("stock_settings"),
        sa.PrimaryKeyConstraint("org_id"),
    )
    op.create_table(
        "stock_moves",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=36), nullable=False),
        sa.Column("warehouse_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("cost_kopecks", sa.BigInteger(), nullable=False),
        _org_fk("stock_moves"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name="fk_stock_moves_document", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["stock_items.id"], name="fk_stock_moves_item"),
        sa.ForeignKeyConstraint(["warehouse_id"], ["warehouses.id"],
                                name="fk_stock_moves_warehouse"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_stock_moves_org_item_date", "stock_moves",
                    ["org_id", "item_id", "warehouse_id", "date"])
    op.create_index("ix_stock_moves_document", "stock_moves", ["document_id"])

    sqlite = op.get_bind().dialect.name == "sqlite"
    for column, table, name in (("item_id", "stock_items", "fk_document_lines_item"),
                                ("warehouse_id", "warehouses", "fk_document_lines_warehouse")):
        if sqlite:
            op.execute(f"ALTER TABLE document_lines ADD COLUMN {column} VARCHAR(36) "
                       f"CONSTRAINT {name} REFERENCES {table} (id)")
        else:
            op.add_column("document_lines", sa.Column(column, sa.String(length=36)))
            op.create_foreign_key(name, "document_lines", table, [column], ["id"])
    op.add_column("documents", sa.Column("supplier_invoice_number", sa.String(length=40)))
    op.add_column("documents", sa.Column("supplier_invoice_date", sa.Date()))


def downgrade() -> None:
    # The stock tables first: stock_moves refers to documents and document_lines.
    op.drop_index("ix_stock_moves_document", table_name="stock_moves")
    op.drop_index("ix_stock_moves_org_item_date", table_name="stock_moves")
    op.drop_table("stock_moves")
    op.drop_table("stock_settings")
    if op.get_bind().dialect.name == "sqlite":
        # documents is referenced by other tables: no table copy (a DROP TABLE under
        # foreign keys fails), SQLite's own DROP COLUMN for the plain columns.
        op.execute("ALTER TABLE documents DROP COLUMN supplier_invoice_date")
        op.execute("ALTER TABLE documents DROP COLUMN supplier_invoice_number")
    else:
        op.drop_column("documents", "supplier_invoice_date")
        op.drop_column("documents", "supplier_invoice_number")
    with op.batch_alter_table("document_lines") as batch_op:
        batch_op.drop_column("warehouse_id")
        batch_op.drop_column("item_id")
    op.drop_table("warehouses")
    op.drop_table("stock_items")
