"""Provides the wire contract for the tax calendar (налоговый календарь) of an organisation."""

from __future__ import annotations

from datetime import date as date_
from decimal import Decimal
from typing import Literal

from core.contract.common import WireModel

DeadlineFamily = Literal["payment", "notice", "report"]
"""payment: money to pay (the ЕНП, or НС и ПЗ to СФР); notice: an уведомление об
исчисленных суммах; report: a declaration, a расчёт, the statements."""


class CalendarDeadline(WireModel):
    id: str
    """Stable: ``<kind>:<period>``, e.g. ``ndfl_notice:2026-01-1``, ``rsv:2026-Q1``."""
    kind: str
    family: DeadlineFamily
    title_key: str
    title: str
    """In the caller's language, with the period: «Уведомление по НДФЛ за 01.01–22.01.2026»."""
    period: str
    period_from: date_
    period_to: date_
    legal_date: date_
    """The date the law names, before a move off a day off."""
    due_date: date_
    """The date it is due: ``legal_date`` moved to the next working day."""
    basis: str
    """The legal basis (article)."""
    amount: Decimal | None = None
    """What the books say is due, when they know it (payments and notices)."""
    estimate: bool = False
    """The amount is an estimate: its period has not ended, or a payroll not yet paid."""
    amount_hidden: bool = False
    """An amount exists but the caller's role may not see it (pay is private)."""
    prepared: bool = False
    """A payment whose order exists and was exported to the bank."""


class TaxCalendar(WireModel):
    org_id: str
    date_from: date_
    date_to: date_
    kind: str
    regime: str
    vat_mode: str
    employees: bool
    items: list[CalendarDeadline]
