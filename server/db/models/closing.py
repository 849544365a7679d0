"""Provides the models of opening balances and month-end closing (issue 13 points 6, 7).

- ``EntryMark``: what an entry of the books is for, when it is one of the entries the
  system makes itself: the opening balances (``opening``), a month's closing entries
  (``closing``) and their reversals when the month is reopened (``closing_reversal``).
  Entries never change (migration 0011's triggers), so the mark is a row of its own,
  written in the same transaction as the entry.
- ``ClosingSettings``: an organisation's accounting policy for the closing (ПБУ 1/2008:
  the policy is the organisation's choice): where the management expenses (26) go.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base

MARK_KINDS = ("opening", "closing", "closing_reversal")
COST_MODES = ("sales", "production")


class EntryMark(Base):
    __tablename__ = "entry_marks"
    __table_args__ = (
        CheckConstraint("kind IN ('opening', 'closing', 'closing_reversal')",
                        name="ck_entry_marks_kind"),
        Index("ix_entry_marks_org_kind_month", "org_id", "kind", "month"),
    )

    entry_id: Mapped[str] = mapped_column(
        ForeignKey("entries.id", name="fk_entry_marks_entry"), primary_key=True)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_entry_marks_org"))
    kind: Mapped[str] = mapped_column(String(20))
    month: Mapped[date] = mapped_column(Date)
    """The first day of the month closed (``closing*``) or of the start month (``opening``)."""
    step: Mapped[str | None] = mapped_column(String(20))
    """A closing entry's step (``server.domain.closing.STEPS``)."""


class ClosingSettings(Base):
    __tablename__ = "closing_settings"
    __table_args__ = (
        CheckConstraint("cost_mode IN ('sales', 'production')", name="ck_closing_settings_mode"),
    )

    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_closing_settings_org"),
        primary_key=True)
    cost_mode: Mapped[str] = mapped_column(String(12), default="sales")
    """``sales``: 26 → 90.08 (management expenses written off to sales each month);
    ``production``: 26 → 20, then 20 → 90.02."""
