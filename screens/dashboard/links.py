"""Provides how a failed check opens its item: by module path, never by importing another
area's package (the app's way: tui.app opens its screens from ``"module:Class"`` paths).

| link kind      | opens                                                            |
|----------------|------------------------------------------------------------------|
| document       | the draft's form, or the posted document's card (after a GET)    |
| counterparty   | the counterparty's card (after a GET)                            |
| account        | the account card for the month of ``day``                        |
| bank_import    | the bank screen (it has no way to open one import: its list)     |
| payroll        | the payroll mode at that month                                   |
| period         | the ledger mode (journal) at that month                          |
| deadline       | the tax calendar at the deadline's year, the deadline selected   |
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import Any

from client.periods import Period
from core import contract as m

DOCUMENT_FORM = "screens.documents.form:DocumentFormScreen"
DOCUMENT_VIEW = "screens.documents.view:DocumentViewScreen"
COUNTERPARTY_CARD = "screens.ledger.counterparties:CounterpartyFormScreen"
ACCOUNT_CARD = "screens.reports.card:AccountCardScreen"
CALENDAR = "screens.calendar.year:CalendarScreen"
MULTI_ORG = "screens.dashboard.orgs:MyOrgsScreen"


def screen_class(path: str) -> Any:
    """``"screens.documents.view:DocumentViewScreen"`` → the class, imported on first use."""
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def month_of(period: str | None, day: date | None = None) -> date:
    """``2026-03`` (or a day) → the first of that month; this month when neither is known."""
    if period:
        year, _, month = period.partition("-")
        try:
            return date(int(year), int(month[:2]), 1)
        except ValueError:
            pass
    return (day or date.today()).replace(day=1)


def document_screen(doc: m.DocumentOut) -> Any:
    if doc.state == "draft":
        return screen_class(DOCUMENT_FORM)(doc.type, doc)
    return screen_class(DOCUMENT_VIEW)(doc)


def counterparty_screen(cp: m.CounterpartyOut) -> Any:
    return screen_class(COUNTERPARTY_CARD)(cp)


def account_screen(link: m.DashboardLink) -> Any:
    day = link.day or date.today()
    return screen_class(ACCOUNT_CARD)(link.id or "51", "", Period.of("month", day))


def calendar_screen(deadline_id: str | None = None, year: int | None = None) -> Any:
    return screen_class(CALENDAR)(year=year, select=deadline_id)


async def open_month(app: Any, mode: str, first: date) -> None:
    """Switch to a mode (ledger, payroll) and show ``first``'s month there."""
    await app.switch_mode(mode)
    screen = app.screen
    if hasattr(screen, "all_time"):
        screen.all_time = False
    screen.month = first
    screen.action_reload()
