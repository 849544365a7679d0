"""Provides the models of stock by item: items (номенклатура), warehouses, the stock
setting and the stock moves that posted documents make.

The stock of an item in a warehouse on a day is the sum of its moves up to that day:
quantity in thousandths and cost in kopecks, both signed (a receipt adds, a sale takes).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow


class StockItem(Base):
    """An item of the organisation's номенклатура; never deleted (lines refer to it)."""

    __tablename__ = "stock_items"
    __table_args__ = (
        UniqueConstraint("org_id", "name_folded", name="uq_stock_items_org_name"),
        CheckConstraint("kind IN ('goods', 'material')", name="ck_stock_items_kind"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_stock_items_org"))
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(900))
    unit: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Warehouse(Base):
    """A warehouse (склад); the first one, «Основной склад», is made on demand."""

    __tablename__ = "warehouses"
    __table_args__ = (
        UniqueConstraint("org_id", "name", name="uq_warehouses_org_name"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_warehouses_org"))
    name: Mapped[str] = mapped_column(String(200))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StockSettingsRow(Base):
    """The organisation's stock setting (no row: refuse an oversell)."""

    __tablename__ = "stock_settings"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_stock_settings_org"),
        primary_key=True)
    oversell: Mapped[str] = mapped_column(String(8), default="refuse")


class StockMove(Base):
    """What one line of a posted document did to the stock; removed when it is cancelled."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        Index("ix_stock_moves_org_item_date", "org_id", "item_id", "warehouse_id", "date"),
        Index("ix_stock_moves_document", "document_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_stock_moves_org"))
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_stock_moves_document"))
    line: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(ForeignKey("stock_items.id", name="fk_stock_moves_item"))
    warehouse_id: Mapped[str] = mapped_column(
        ForeignKey("warehouses.id", name="fk_stock_moves_warehouse"))
    date: Mapped[date] = mapped_column(Date)
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    """Thousandths, signed: + a receipt, − a sale."""
    cost_kopecks: Mapped[int] = mapped_column(BigInteger)
    """Kopecks, signed as the quantity."""
