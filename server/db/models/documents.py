"""Provides the models of counterparties and primary documents with their lines."""

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


class Counterparty(Base):
    """A customer or supplier of an organisation: a company, an ИП or a private person.

    Never deleted (documents refer to it); ``archived`` hides it from the everyday list.
    """

    __tablename__ = "counterparties"
    __table_args__ = (
        # The same ИНН+КПП once per organisation; NULL (a person without ИНН) never clashes.
        UniqueConstraint("org_id", "inn_kpp", name="uq_counterparties_org_inn_kpp"),
        Index("ix_counterparties_org_inn", "org_id", "inn"),
        Index("ix_counterparties_org_name", "org_id", "name_folded"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # org | ip | person
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(900))
    """``name`` case-folded in Python (SQLite's lower() folds ASCII only), ё as е: searched
    and sorted on."""
    full_name: Mapped[str | None] = mapped_column(String(500))
    inn: Mapped[str | None] = mapped_column(String(12))
    kpp: Mapped[str | None] = mapped_column(String(9))
    inn_kpp: Mapped[str | None] = mapped_column(String(22))
    """``ИНН/КПП`` (``ИНН/`` without a КПП), NULL without an ИНН: the uniqueness key."""
    address: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    bik: Mapped[str | None] = mapped_column(String(9))
    account: Mapped[str | None] = mapped_column(String(20))
    corr_account: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(300))
    contract: Mapped[str | None] = mapped_column(String(300))
    """Free text, e.g. «Договор № 15 от 01.02.2026»."""
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Document(Base):
    """A primary document: счёт, акт, накладная, поступление, платёж, кассовый ордер.

    Numbered per organisation, type and calendar year. A draft may change; a posted one
    never does (it is cancelled, its entry reversed). Money in kopecks; the totals are
    those of ``core.documents`` at the time of saving.
    """

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("org_id", "type", "year", "number",
                         name="uq_documents_org_type_year_number"),
        CheckConstraint("state IN ('draft', 'posted', 'cancelled')", name="ck_documents_state"),
        Index("ix_documents_org_date", "org_id", "date", "number"),
        Index("ix_documents_org_counterparty", "org_id", "counterparty_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_documents_org"))
    type: Mapped[str] = mapped_column(String(24))
    year: Mapped[int] = mapped_column(Integer)
    """The year of ``date``: numbering restarts every year."""
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))  # draft | posted | cancelled
    counterparty_id: Mapped[str | None] = mapped_column(
        ForeignKey("counterparties.id", name="fk_documents_counterparty"))
    contract: Mapped[str | None] = mapped_column(String(300))
    basis: Mapped[str | None] = mapped_column(String(300))
    vat_included: Mapped[bool] = mapped_column(Boolean, default=True)
    vat_rate: Mapped[str] = mapped_column(String(4))
    """A payment's VAT rate (``none`` or per cent); line documents keep theirs per line."""
    amount_kopecks: Mapped[int | None] = mapped_column(BigInteger)
    """A payment's amount as typed; None for a document of lines."""
    purpose: Mapped[str | None] = mapped_column(String(210))
    account: Mapped[str | None] = mapped_column(String(20))
    total_kopecks: Mapped[int] = mapped_column(BigInteger)
    vat_kopecks: Mapped[int] = mapped_column(BigInteger)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    supplier_invoice_number: Mapped[str | None] = mapped_column(String(40))
    """The supplier's счёт-фактура on a поступление (the purchase book's гр. 3)."""
    supplier_invoice_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentLine(Base):
    """One item line of a document: quantity in thousandths, price and sums in kopecks."""

    __tablename__ = "document_lines"
    __table_args__ = (
        UniqueConstraint("document_id", "line", name="uq_document_lines_document_line"),
        CheckConstraint("quantity_milli > 0", name="ck_document_lines_quantity_positive"),
        CheckConstraint("price_kopecks >= 0", name="ck_document_lines_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE", name="fk_document_lines_document"))
    line: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    """Quantity × 1000: ``1.5`` is 1500 (up to three decimals, exactly)."""
    unit: Mapped[str] = mapped_column(String(20))
    price_kopecks: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[str] = mapped_column(String(4))
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    vat_kopecks: Mapped[int] = mapped_column(BigInteger)
    item_id: Mapped[str | None] = mapped_column(
        ForeignKey("stock_items.id", name="fk_document_lines_item"))
    """The item (номенклатура) the line moves in stock; None: a line of text only."""
    warehouse_id: Mapped[str | None] = mapped_column(
        ForeignKey("warehouses.id", name="fk_document_lines_warehouse"))
