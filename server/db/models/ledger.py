"""Provides the models of the books: the chart of accounts, entries, postings, closed
periods and the monthly turnover aggregates."""

from __future__ import annotations

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
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow
from server.domain.query import fold


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


class NumberCounter(Base):
    """The last number given in one numbering series of an organisation: entries (year 0),
    documents of a type per year (``document:act``), payment orders per year.

    ``server.services.numbering`` locks the row in the writing transaction (UPDATE …
    RETURNING), so two parallel writers wait for each other instead of both reading the
    same ``max(number)`` and colliding on the unique number.
    """

    __tablename__ = "number_counters"
    __table_args__ = (
        PrimaryKeyConstraint("org_id", "sequence", "year", name="pk_number_counters"),
    )

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_number_counters_org"))
    sequence: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    """The calendar year of a yearly series; 0 for one that never restarts (entries)."""
    value: Mapped[int] = mapped_column(Integer)
