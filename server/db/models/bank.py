"""Provides the models of the bank: payment orders, imported statements with their lines,
and the posting rules for statement lines."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow


class PaymentOrder(Base):
    """An outgoing платёжное поручение, exported to the bank in the 1CClientBankExchange
    format. Numbered per organisation and calendar year; money in kopecks. The payer and
    payee requisites are copied at the time of saving (a later change of the card does not
    alter an order already made). ``exported_at`` is set by the export; an exported order
    is never deleted."""

    __tablename__ = "payment_orders"
    __table_args__ = (
        UniqueConstraint("org_id", "year", "number", name="uq_payment_orders_org_year_number"),
        CheckConstraint("amount_kopecks > 0", name="ck_payment_orders_amount_positive"),
        CheckConstraint("kind IN ('supplier', 'tax', 'salary', 'other')",
                        name="ck_payment_orders_kind"),
        Index("ix_payment_orders_org_date", "org_id", "date", "number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_payment_orders_org"))
    kind: Mapped[str] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    bank_account_id: Mapped[str] = mapped_column(
        ForeignKey("bank_accounts.id", name="fk_payment_orders_bank_account"))
    payer_name: Mapped[str] = mapped_column(String(400))
    payer_inn: Mapped[str] = mapped_column(String(12))
    payer_kpp: Mapped[str | None] = mapped_column(String(9))
    payer_account: Mapped[str] = mapped_column(String(20))
    payer_bik: Mapped[str] = mapped_column(String(9))
    payer_corr_account: Mapped[str | None] = mapped_column(String(20))
    payer_bank: Mapped[str] = mapped_column(String(300))
    counterparty_id: Mapped[str | None] = mapped_column(
        ForeignKey("counterparties.id", name="fk_payment_orders_counterparty"))
    employee_id: Mapped[str | None] = mapped_column(String(36))
    payee_name: Mapped[str] = mapped_column(String(400))
    payee_inn: Mapped[str | None] = mapped_column(String(12))
    payee_kpp: Mapped[str | None] = mapped_column(String(9))
    payee_account: Mapped[str] = mapped_column(String(20))
    payee_bik: Mapped[str] = mapped_column(String(9))
    payee_corr_account: Mapped[str | None] = mapped_column(String(20))
    payee_bank: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(String(210))
    priority: Mapped[int] = mapped_column(Integer, default=5)
    payer_status: Mapped[str | None] = mapped_column(String(2))
    kbk: Mapped[str | None] = mapped_column(String(20))
    oktmo: Mapped[str | None] = mapped_column(String(11))
    basis: Mapped[str | None] = mapped_column(String(2))
    tax_period: Mapped[str | None] = mapped_column(String(10))
    doc_number: Mapped[str | None] = mapped_column(String(15))
    doc_date: Mapped[str | None] = mapped_column(String(10))
    uin: Mapped[str | None] = mapped_column(String(25))
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_entry_id: Mapped[str | None] = mapped_column(
        ForeignKey("entries.id", name="fk_payment_orders_posted_entry"))
    """The entry that already booked this money movement (payroll posts Дт 70 Кт 51 for
    card pay itself): the statement import then takes the bank's line as in the books."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))


class BankImport(Base):
    """An uploaded bank statement (выписка), staged until it is posted as a whole."""

    __tablename__ = "bank_imports"
    __table_args__ = (
        CheckConstraint("state IN ('staged', 'posted')", name="ck_bank_imports_state"),
        Index("ix_bank_imports_org", "org_id", "uploaded_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_bank_imports_org"))
    file_name: Mapped[str] = mapped_column(String(300))
    encoding: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12))  # staged | posted
    accounts_json: Mapped[str] = mapped_column(Text)
    """The file's account sections (СекцияРасчСчет) as JSON, money in kopecks."""
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(36))
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    posted_by: Mapped[str | None] = mapped_column(String(36))


class BankImportLine(Base):
    """One document of a statement that touches the organisation's account: the proposal,
    and after posting the entry made of it. ``dedupe_key`` is set only on posted lines and
    is unique per organisation: the same payment is never posted twice."""

    __tablename__ = "bank_import_lines"
    __table_args__ = (
        UniqueConstraint("import_id", "no", name="uq_bank_import_lines_import_no"),
        UniqueConstraint("org_id", "dedupe_key", name="uq_bank_import_lines_org_dedupe"),
        CheckConstraint("direction IN ('in', 'out')", name="ck_bank_import_lines_direction"),
        CheckConstraint("amount_kopecks > 0", name="ck_bank_import_lines_amount_positive"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    import_id: Mapped[str] = mapped_column(
        ForeignKey("bank_imports.id", ondelete="CASCADE", name="fk_bank_import_lines_import"))
    org_id: Mapped[str] = mapped_column(String(36))
    no: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(60))
    date: Mapped[date] = mapped_column(Date)
    number: Mapped[str | None] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    bank_account: Mapped[str] = mapped_column(String(20))
    cp_name: Mapped[str] = mapped_column(String(300))
    cp_inn: Mapped[str | None] = mapped_column(String(12))
    cp_kpp: Mapped[str | None] = mapped_column(String(9))
    cp_account: Mapped[str | None] = mapped_column(String(20))
    cp_bik: Mapped[str | None] = mapped_column(String(9))
    cp_corr_account: Mapped[str | None] = mapped_column(String(20))
    cp_bank: Mapped[str | None] = mapped_column(String(300))
    counterparty_id: Mapped[str | None] = mapped_column(String(36))
    purpose: Mapped[str] = mapped_column(Text)
    debit: Mapped[str] = mapped_column(String(20))
    credit: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    entry_id: Mapped[str | None] = mapped_column(
        ForeignKey("entries.id", name="fk_bank_import_lines_entry"))


class BankRule(Base):
    """A user's rule for statement lines: by counterparty ИНН and/or a purpose fragment."""

    __tablename__ = "bank_rules"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out', 'any')", name="ck_bank_rules_direction"),
        Index("ix_bank_rules_org", "org_id", "priority"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_bank_rules_org"))
    direction: Mapped[str] = mapped_column(String(3))
    inn: Mapped[str | None] = mapped_column(String(12))
    purpose: Mapped[str | None] = mapped_column(String(100))
    purpose_folded: Mapped[str | None] = mapped_column(String(300))
    account: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
