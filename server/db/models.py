"""Provides the SQLAlchemy 2 models of the identity tables, the outbox and the audit log."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from server.db.types import UTCDateTime, utcnow
from server.domain.query import fold


def new_id() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Device(Base):
    """One signed-in terminal: holds the current token hashes (never the tokens)."""

    __tablename__ = "devices"
    __table_args__ = (Index("ix_devices_user", "user_id", "revoked_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    remembered: Mapped[bool] = mapped_column(Boolean, default=False)
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    previous_refresh_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_ip: Mapped[str | None] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    last_org_id: Mapped[str | None] = mapped_column(String(36))
    """The organisation this device worked in last (opened first next time)."""


class SmsCode(Base):
    __tablename__ = "sms_codes"
    __table_args__ = (Index("ix_sms_codes_phone", "phone", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EmailToken(Base):
    """Single-use e-mail tokens: ``confirm`` (address) and ``reset`` (password)."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboxMessage(Base):
    """Mail and SMS written in the same transaction as their cause; a worker sends them."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class RateEvent(Base):
    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_bucket", "bucket", "created_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12))  # pending | done
    status_code: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class AuditEvent(Base):
    """Who did what, when, from which device; denied attempts too."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_user", "user_id", "created_at"),
        Index("ix_audit_org", "org_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    org_id: Mapped[str | None] = mapped_column(String(36))
    ip: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(12), default="ok")
    summary: Mapped[str | None] = mapped_column(Text)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(8))  # ip | ooo
    full_name: Mapped[str] = mapped_column(String(400))
    short_name: Mapped[str] = mapped_column(String(200))
    inn: Mapped[str] = mapped_column(String(12), index=True)
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str] = mapped_column(String(15))
    address: Mapped[str] = mapped_column(String(500))
    director: Mapped[str] = mapped_column(String(200))
    chief_accountant: Mapped[str | None] = mapped_column(String(200))
    tax_regime: Mapped[str] = mapped_column(String(24))
    # A regional reduced УСН rate, in hundredths of a per cent (100 = 1 %).
    usn_rate_bp: Mapped[int | None] = mapped_column(Integer)
    vat_mode: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BankAccount(Base):
    __tablename__ = "bank_accounts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    bik: Mapped[str] = mapped_column(String(9))
    account: Mapped[str] = mapped_column(String(20))
    corr_account: Mapped[str] = mapped_column(String(20))
    bank_name: Mapped[str] = mapped_column(String(300))


class Membership(Base):
    __tablename__ = "memberships"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="active")  # active | blocked
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by: Mapped[str | None] = mapped_column(String(36))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LedgerAccount(Base):
    """An organisation's chart: the built-in 94н accounts plus its own sub-accounts."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("org_id", "code", name="uq_ledger_accounts_org_code"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    analytics: Mapped[str] = mapped_column(String(80), default="")
    parent: Mapped[str | None] = mapped_column(String(20))
    builtin: Mapped[bool] = mapped_column(Boolean, default=True)


def _folded_description(context: Any) -> str:
    return fold(context.get_current_parameters().get("description") or "")


class Entry(Base):
    """A business operation: one or more postings dated the same day. Never changed."""

    __tablename__ = "entries"
    __table_args__ = (
        UniqueConstraint("org_id", "number", name="uq_entries_org_number"),
        Index("ix_entries_org_date", "org_id", "date", "number"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500))
    description_folded: Mapped[str] = mapped_column(
        String(1500), default=_folded_description, server_default="")
    """``description`` folded like ``Counterparty.name_folded``: the journal's ``desc:``
    query searches it. Filled from ``description`` on insert; entries never change."""
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("entries.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", name="fk_entries_document"), index=True)
    """The primary document that made the entry (and its reversal); None for a manual one."""


class Posting(Base):
    """Дт account, Кт account, amount in kopecks: balanced by its very shape.

    A reversal (сторно) repeats the original correspondence with a negative amount.
    """

    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("amount_kopecks <> 0", name="ck_postings_amount_nonzero"),
        CheckConstraint("debit <> credit", name="ck_postings_two_accounts"),
        Index("ix_postings_org_debit", "org_id", "debit", "date"),
        Index("ix_postings_org_credit", "org_id", "credit", "date"),
        Index("ix_postings_org_counterparty", "org_id", "counterparty_id", "date"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[str] = mapped_column(String(36))
    line: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    debit: Mapped[str] = mapped_column(String(20))
    credit: Mapped[str] = mapped_column(String(20))
    amount_kopecks: Mapped[int] = mapped_column(BigInteger)
    memo: Mapped[str | None] = mapped_column(String(300))
    counterparty_id: Mapped[str | None] = mapped_column(
        ForeignKey("counterparties.id", name="fk_postings_counterparty"))
    """Analytics (субконто): the counterparty the posting is about, on either side."""


class ClosedPeriod(Base):
    __tablename__ = "closed_periods"

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    """The first day of the closed month."""
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_by: Mapped[str] = mapped_column(String(36))


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


class AccountTurnover(Base):
    """Per-month turnover of an account (and counterparty): what the reports sum instead of
    every posting. Kept in the same transaction as the postings (``server.services
    .turnovers``): a posting adds its amount to the debit side of (Дт account, month) and
    to the credit side of (Кт account, month), both with its counterparty. A reversal's
    negative amount reduces the turnover (red storno)."""

    __tablename__ = "account_turnovers"
    __table_args__ = (
        PrimaryKeyConstraint("org_id", "account", "counterparty_key", "month",
                             name="pk_account_turnovers"),
    )

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_account_turnovers_org"))
    account: Mapped[str] = mapped_column(String(20))
    counterparty_key: Mapped[str] = mapped_column(String(36))
    """The posting's counterparty id, ``''`` for none (so that it can be in the key)."""
    month: Mapped[date] = mapped_column(Date)
    """The first day of the month."""
    debit_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)


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


# --- bank statement import -------------------------------------------------------------


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


# --- employees and payroll -------------------------------------------------------------


class Employee(Base):
    """An employee of an organisation (personal data: read only with the payroll rights).
    Never deleted (payroll lines refer to it); a dismissed one keeps ``dismissed_on``."""

    __tablename__ = "employees"
    __table_args__ = (
        CheckConstraint("pay_method IN ('card', 'cash')", name="ck_employees_pay_method"),
        CheckConstraint("cost_account IN ('20', '26', '44')", name="ck_employees_cost_account"),
        CheckConstraint("salary_kopecks >= 0", name="ck_employees_salary_not_negative"),
        Index("ix_employees_org_name", "org_id", "name_folded"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_employees_org"))
    full_name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(600))
    position: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))
    cost_account: Mapped[str] = mapped_column(String(4))
    hired_on: Mapped[date] = mapped_column(Date)
    dismissed_on: Mapped[date | None] = mapped_column(Date)
    salary_kopecks: Mapped[int] = mapped_column(BigInteger)
    inn: Mapped[str | None] = mapped_column(String(12))
    snils: Mapped[str | None] = mapped_column(String(11))
    resident: Mapped[bool] = mapped_column(Boolean, default=True)
    children: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of {"order": n, "disabled": bool}."""
    pay_method: Mapped[str] = mapped_column(String(8))
    bank_bik: Mapped[str | None] = mapped_column(String(9))
    bank_account: Mapped[str | None] = mapped_column(String(20))
    bank_corr_account: Mapped[str | None] = mapped_column(String(20))
    bank_name: Mapped[str | None] = mapped_column(String(300))
    is_director: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollRun(Base):
    """The payroll of one month of an organisation: a draft (recomputed at will), then
    approved (posted), then paid. The settings it was computed with are kept on it (the
    next run takes them from the latest one): ``sme``, ``sme_priority``, ``injury_rate``
    (per cent as text), the pay days."""

    __tablename__ = "payroll_runs"
    __table_args__ = (
        UniqueConstraint("org_id", "year", "month", name="uq_payroll_runs_org_year_month"),
        CheckConstraint("state IN ('draft', 'approved', 'paid')", name="ck_payroll_runs_state"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_payroll_runs_org"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    working_days: Mapped[int] = mapped_column(Integer)
    sme: Mapped[bool] = mapped_column(Boolean, default=False)
    sme_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    injury_rate: Mapped[str] = mapped_column(String(8))
    advance_day: Mapped[int] = mapped_column(Integer)
    final_day: Mapped[int] = mapped_column(Integer)
    advance_date: Mapped[date] = mapped_column(Date)
    final_date: Mapped[date] = mapped_column(Date)
    items: Mapped[str] = mapped_column(Text, default="[]")
    """JSON list of the accrual items (bonus, one-off, sick, vacation) as computed."""
    entry_ids: Mapped[str] = mapped_column(Text, default="[]")
    payment_order_ids: Mapped[str] = mapped_column(Text, default="[]")
    advance_paid_on: Mapped[date | None] = mapped_column(Date)
    final_paid_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollLine(Base):
    """One employee's month in a run; money in kopecks (НДФЛ in whole roubles)."""

    __tablename__ = "payroll_lines"
    __table_args__ = (
        UniqueConstraint("run_id", "employee_id", name="uq_payroll_lines_run_employee"),
        Index("ix_payroll_lines_employee", "employee_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[str] = mapped_column(
        ForeignKey("payroll_runs.id", ondelete="CASCADE", name="fk_payroll_lines_run"))
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", name="fk_payroll_lines_employee"))
    line: Mapped[int] = mapped_column(Integer)
    cost_account: Mapped[str] = mapped_column(String(4))
    pay_method: Mapped[str] = mapped_column(String(8))
    working_days: Mapped[int] = mapped_column(Integer)
    days_worked: Mapped[int] = mapped_column(Integer)
    salary_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    bonus_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    one_off_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    sick_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    vacation_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    accrued_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    deductions_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    income_ytd_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_advance_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    ndfl_final_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contribution_base_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contrib_main_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    contrib_injury_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
    advance_gross_kopecks: Mapped[int] = mapped_column(BigInteger, default=0)
