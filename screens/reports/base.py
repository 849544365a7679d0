"""Provides what every report screen shares: the period keys, the head lines, loading and
export (`e`).

A report screen holds a ``Period`` (client/periods.py) and reloads when a key changes
it. Data comes from the server in a worker; the screen only renders it. Export writes
the same figures to XLSX or CSV (client/export.py) in a thread.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from client.errors import ApiError, os_error_text
from client.export import Cell, default_export_dir, safe_file_name, write_table
from client.i18n import get_locale, t
from client.periods import Period
from core import contract as m
from core.money import NBSP, format_amount
from screens.reports.dialogs import PeriodDialog
from tui.dialogs.export import ExportDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.workers import Done, Failed

if TYPE_CHECKING:
    from client.api import ApiClient

CSS = sheets("reports")
AMOUNT_MIN = 8
"""Narrowest money column (characters), so that «Оборот Дт» and small sums line up."""
CODE_WIDTH = 10
"""The account code column (ОСВ, analysis)."""
NAME_MIN = 12
TOTAL_KEY = "total"


class ReportLoaded(Done[Any]):
    """The report the screen asked for (the screen's own model: m.TrialBalance …)."""


class ReportRefused(Failed):
    """The server refused the report."""


class ReportExported(Done[Path | None]):
    """The report written to XLSX or CSV (where; None: there was nothing to write)."""


def money_columns_width(screen_width: int, columns: int, fixed: int) -> int:
    """What a table leaves to its flexible text column: the screen less a 1-column
    scrollbar, 2 padding characters per column and the fixed columns' widths."""
    return screen_width - 1 - 2 * columns - fixed


def num(amount: Decimal, *, blank_zero: bool = True) -> str:
    """An amount in a report cell, without the currency: ``1 234,56`` (``1,234.56`` in
    English), ``−500,00``; an empty cell for zero (a report reads better that way)."""
    if blank_zero and amount == 0:
        return ""
    text = format_amount(amount, get_locale())
    for suffix in (f"{NBSP}₽", f"{NBSP}RUB"):
        text = text.removesuffix(suffix)
    return text


def money(amount: Decimal) -> str:
    """With the currency, for sentences: ``1 234,56 ₽``."""
    return format_amount(amount, get_locale())


def side(balance: Decimal) -> str:
    """A signed balance as Russian reports print it: ``1 200,00 Д`` / ``300,00 К``; empty
    for zero (debit is positive)."""
    if balance == 0:
        return ""
    mark = t("reports.side_debit") if balance > 0 else t("reports.side_credit")
    return f"{num(abs(balance))} {mark}"


def side_text(balance: Decimal) -> str:
    """A balance in a sentence: ``1 200,00 ₽ Дт``, ``0,00 ₽``."""
    if balance == 0:
        return money(Decimal("0.00"))
    key = "reports.side_debit_long" if balance > 0 else "reports.side_credit_long"
    return f"{money(abs(balance))} {t(key)}"


def width_of(amounts: list[Decimal], header: str = "") -> int:
    """The money column's width: its widest cell or its header, at least AMOUNT_MIN."""
    return max([AMOUNT_MIN, len(header), *(len(num(a, blank_zero=False)) for a in amounts)])


def computed_text(head: m.ReportHead) -> str:
    """«сформирован 28.11.2026 14:05» in the terminal's time zone."""
    moment = head.computed_at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return t("reports.computed", when=moment.strftime("%d.%m.%Y %H:%M"))


def head_text(head: m.ReportHead) -> str:
    """The line under the title: «ООО «Ромашка», ИНН 7707083893 · сформирован …»."""
    return f"{head.org_name}, {t('reports.inn')} {head.org_inn} · {computed_text(head)}"


def head_lines(head: m.ReportHead, period: Period, *extra: str) -> list[str]:
    """The lines an export starts with (organisation, period, when computed)."""
    return [
        f"{head.org_name}, {t('reports.inn')} {head.org_inn}",
        t("reports.period_dates", title=period.title(),
          start=head.date_from.strftime("%d.%m.%Y"), end=head.date_to.strftime("%d.%m.%Y")),
        *extra,
        computed_text(head),
    ]


@dataclass
class ExportTable:
    """One report as a table, for client/export.py."""

    title: str
    head_lines: list[str]
    columns: list[str]
    rows: list[list[Cell]]
    money_columns: set[int]
    bold_rows: set[int] = field(default_factory=set)


def save_table(path: Path, table: ExportTable) -> Path:
    return write_table(path, table.title, table.head_lines, table.columns, table.rows,
                       table.money_columns, bold_rows=table.bold_rows)


def year_earlier(period: Period) -> Period:
    """The same dates a year before (a standard period stays one)."""
    from client.periods import add_months, month_end

    start = add_months(period.start, -12)
    end = add_months(period.end, -12)
    if period.end == month_end(period.end):
        end = month_end(end)
    return Period.custom(start, end)


def short_date(day: date | datetime) -> str:
    return day.strftime("%d.%m.%y")


class PeriodScreen(BuhtaScreen):
    """A screen that shows a period and moves it with hledger-ui's keys."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="reports.back"),
        # The period line names these keys; the Footer has no room for them at 80 columns.
        Binding("left_square_bracket,shift+left", "step(-1)", "reports.prev",
                id="reports.prev", show=False),
        Binding("right_square_bracket,shift+right", "step(1)", "reports.next",
                id="reports.next", show=False),
        Binding("left_curly_bracket,shift+down", "resize(-1)", "reports.shrink",
                id="reports.shrink", show=False),
        Binding("right_curly_bracket,shift+up", "resize(1)", "reports.grow",
                id="reports.grow", show=False),
        Binding("t", "this_period", "reports.this_period", id="reports.this_period",
                show=False),
        Binding("c", "custom_period", "reports.custom", id="reports.custom", show=False),
    ]

    def __init__(self, period: Period | None = None) -> None:
        super().__init__()
        self.period = period or Period.this()

    def period_text(self) -> str:
        return t("reports.period_line", period=self.period.title())

    def set_period(self, period: Period) -> None:
        if period == self.period:
            self.period = period  # keep the anchor
            return
        self.period = period
        self.period_changed()

    def period_changed(self) -> None:
        """Called after the period changed (reload here)."""

    def action_step(self, count: int) -> None:
        self.set_period(self.period.step(count))

    def action_resize(self, steps: int) -> None:
        self.set_period(self.period.resize(steps))

    def action_this_period(self) -> None:
        self.set_period(self.period.current())

    def action_custom_period(self) -> None:
        def chosen(period: Period | None) -> None:
            if period is not None:
                self.set_period(period)

        self.app.push_screen(PeriodDialog(self.period), chosen)

    def action_back(self) -> None:
        self.dismiss(self.period)


class ReportScreen(PeriodScreen):
    """A report: title and period, the head line, a body, a detail line; `e` exports."""

    TITLE_KEY: ClassVar[str] = "reports.title"
    FILE_KEY: ClassVar[str] = "reports.file.report"
    BINDINGS = [
        Binding("e", "export", "reports.export", id="reports.export"),
        Binding("f5", "reload", "devices.refresh", id="reports.reload", show=False),
    ]

    def __init__(self, period: Period | None = None) -> None:
        super().__init__(period)
        self.generation = 0
        self.report: Any = None
        self.loading = False
        self.laid_out_for = 0

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="report-title")
        yield Static("", id="report-head", classes="hint")
        yield from self.compose_body()
        yield Static("", id="report-detail")
        yield ErrorLine()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def report_title(self) -> str:
        return t(self.TITLE_KEY)

    def title_text(self) -> str:
        """«Оборотно-сальдовая ведомость за 4 квартал 2026»."""
        return t("reports.title_line", title=self.report_title(), period=self.period.title())

    def period_text(self) -> str:
        """The title, and the period keys when the line has room for them."""
        text = self.title_text()
        hint = t("reports.keys_hint")
        if len(text) + 3 + len(hint) <= self.app.size.width - 2:
            text = f"{text}   {hint}"
        return text

    def show_title(self) -> None:
        self.query_one("#report-title", Static).update(self.period_text())

    def on_mount(self) -> None:
        self.show_title()
        self.laid_out_for = self.app.size.width
        self.action_reload()

    def on_org_changed(self, _message: Any) -> None:
        self.report = None
        self.action_reload()

    def on_resize(self, _event: events.Resize) -> None:
        """Column widths follow the terminal's width: lay the report out again."""
        width = self.app.size.width
        if width == self.laid_out_for:
            return
        self.laid_out_for = width
        self.show_title()
        if self.report is not None and not self.loading:
            self.relayout()

    def relayout(self) -> None:
        self.show(self.report)

    # --- loading --------------------------------------------------------------------

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> Any:
        raise NotImplementedError

    def show(self, report: Any) -> None:
        raise NotImplementedError

    def period_changed(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.generation += 1
        period = self.period
        self.loading = True
        self.show_title()
        self.query_one(ErrorLine).clear()
        self.query_one("#report-head", Static).update(t("app.loading"))

        # An answer for a period left since reaches no handler (the guard).
        self.call_api(lambda api: self.fetch(api, org_id, period), done=ReportLoaded,
                      failed=ReportRefused, guard=lambda: self.generation, exclusive=True)

    @on(ReportLoaded)
    def _report_loaded(self, message: ReportLoaded) -> None:
        self.loading = False
        report = self.report = message.result
        head = getattr(report, "head", None)
        if isinstance(head, m.ReportHead):
            self.query_one("#report-head", Static).update(head_text(head))
        self.show(report)

    @on(ReportRefused)
    def _report_refused(self, message: ReportRefused) -> None:
        self.loading = False
        self.query_one("#report-head", Static).update("")
        self.show_refusal(message.error)  # the error line says why

    def detail(self, text: str) -> None:
        self.query_one("#report-detail", Static).update(text)

    # --- export ---------------------------------------------------------------------

    def export_table(self) -> ExportTable | None:
        """The report as shown (all rows and columns, none collapsed); None: nothing yet."""
        return None

    async def full_export_table(self, api: ApiClient) -> ExportTable | None:
        """As ``export_table``, after fetching what the screen has not loaded yet."""
        return self.export_table()

    def file_stem(self) -> str:
        return t(self.FILE_KEY)

    def export_name(self) -> str:
        """«ОСВ_2026-Q4.xlsx»."""
        return safe_file_name(f"{self.file_stem()}_{self.period.slug()}") + ".xlsx"

    def action_export(self) -> None:
        if self.report is None or self.loading:
            self.app.notify(t("reports.nothing_to_export"), severity="warning")
            return
        suggested = default_export_dir() / self.export_name()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._export(path)

        self.app.push_screen(ExportDialog(suggested), chosen)

    def _export(self, path: Path) -> None:
        async def call(api: ApiClient) -> Path | None:
            table = await self.full_export_table(api)
            if table is None:
                return None
            try:
                return await asyncio.to_thread(save_table, path, table)
            except OSError as exc:
                raise ApiError(0, "reports.export_failed", t(
                    "reports.export_failed", path=str(path),
                    error=os_error_text(exc))) from exc

        self.call_api(call, done=ReportExported)

    @on(ReportExported)
    def _exported(self, message: ReportExported) -> None:
        path = message.result
        if path is None:
            self.app.notify(t("reports.nothing_to_export"), severity="warning")
        else:
            self.app.notify(t("reports.exported", path=str(path)), timeout=10)
