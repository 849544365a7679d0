"""Provides the statements: the balance sheet (code, line, the form's three columns: at
the reporting date, at 31 December of the previous year and of the year before) and the
financial results (the period and the same period a year earlier); `u` switches between
roubles and thousands of roubles (the server rounds, line by line). At 80 columns the
table scrolls sideways when the figures do not fit beside the line's name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports.base import (
    NAME_MIN,
    ExportTable,
    ReportScreen,
    head_lines,
    money,
    money_columns_width,
    num,
    year_earlier,
)
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

CODE_WIDTH = 4


class StatementScreen(ReportScreen):
    """Бухгалтерский баланс or Отчёт о финансовых результатах: code, line, the figures."""

    BINDINGS = [
        Binding("u", "units", "reports.stmt.units_key", id="reports_stmt.units"),
    ]

    def __init__(self, kind: str = "balance_sheet", period: Period | None = None) -> None:
        super().__init__(period)
        self.kind = kind
        self.units = "roubles"
        self.name_width = NAME_MIN

    def report_title(self) -> str:
        title = t(f"reports.{self.kind}")
        return f"{title} ({t('reports.stmt.thousands_short')})" \
            if self.units == "thousands" else title

    def title_text(self) -> str:
        """The balance sheet is on a day («Бухгалтерский баланс на 30.11.2026»), the
        financial results for a period («… за 4 квартал 2026»)."""
        if self.kind == "balance_sheet":
            return t("reports.on_date", title=self.report_title(),
                     date=self.period.end.strftime("%d.%m.%Y"))
        return super().title_text()

    def file_stem(self) -> str:
        return t(f"reports.file.{self.kind}")

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.Statement:
        start, end = period.iso()
        if self.kind == "financial_results":
            return await api.reports.financial_results(org_id, start, end, units=self.units)
        return await api.reports.balance_sheet(org_id, start, end, units=self.units)

    def action_units(self) -> None:
        """`u`: roubles ↔ thousands of roubles (fetched again: the server rounds)."""
        self.units = "thousands" if self.units == "roubles" else "roubles"
        self.action_reload()

    def columns(self, report: m.Statement
                ) -> list[tuple[str, Callable[[m.StatementLine], Decimal | None]]]:
        """(header, figure) of each money column. Balance sheet: the form's three, «На
        31.03.2026», «На 31.12.2025», «На 31.12.2024»; financial results: the period and
        the same period a year earlier."""
        head = report.head
        if self.kind == "balance_sheet":
            def at(day: object) -> str:
                return t("reports.stmt.at", date=f"{day:%d.%m.%Y}")
            out: list[tuple[str, Callable[[m.StatementLine], Decimal | None]]] = [
                (at(head.date_to), lambda line: line.current)]
            if report.previous_year_end_date and report.year_before_end_date:
                out += [(at(report.previous_year_end_date),
                         lambda line: line.previous_year_end),
                        (at(report.year_before_end_date), lambda line: line.year_before_end)]
            else:  # an older server: the day before the period
                out.append((at(head.date_from - timedelta(days=1)),
                            lambda line: line.previous))
            return out
        return [(self.period.title(), lambda line: line.current),
                (year_earlier(self.period).title(), lambda line: line.previous)]

    def amount(self, value: Decimal | None) -> str:
        """A figure: «1 234,56» in roubles, «1 235» in thousands."""
        if value is None:
            return ""
        text = num(value, blank_zero=False)
        if self.units == "thousands":
            for suffix in (",00", ".00"):
                text = text.removesuffix(suffix)
        return text

    def show(self, report: m.Statement) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self.units = report.units
        self.show_title()
        columns = self.columns(report)
        width = max([8, *(len(h) for h, _ in columns),
                     *(len(self.amount(get(line))) for line in report.lines
                       for _, get in columns)])
        self.name_width = max(NAME_MIN, money_columns_width(
            self.app.size.width, 2 + len(columns), CODE_WIDTH + len(columns) * width))
        table.add_column(t("reports.stmt.code"), width=CODE_WIDTH, key="code")
        table.add_column(t("reports.stmt.line"), width=self.name_width, key="name")
        for n, (header, _) in enumerate(columns):
            table.add_column(Text(header, justify="right"), width=width, key=f"col{n}")
        for n, line in enumerate(report.lines):
            style = "bold" if line.level >= 1 else ""
            if line.level >= 2:
                style = "bold reverse"
            table.add_row(
                Text(line.code, style=style), Text(clip(line.name, self.name_width), style=style),
                *(Text(self.amount(get(line)), justify="right", style=style)
                  for _, get in columns),
                key=f"{n}:{line.code}")
        self._detail()

    def _current(self) -> m.StatementLine | None:
        report: m.Statement | None = self.report
        if report is None or not report.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return report.lines[min(row, len(report.lines) - 1)]

    def warning(self) -> str:
        """The balance sheet left unbalanced by 000 (incomplete opening balances)."""
        report: m.Statement | None = self.report
        if report is None or self.kind != "balance_sheet" or not report.auxiliary_balance:
            return ""
        value = report.auxiliary_balance
        shown = (f"{self.amount(value)} {t('reports.stmt.thousands_short')}"
                 if report.units == "thousands" else money(value))
        return t("reports.stmt.auxiliary", amount=shown)

    def _detail(self) -> None:
        line = self._current()
        text = f"{line.code} {line.name}" if line else t("reports.stmt.empty")
        warning = self.warning()
        self.detail(f"{warning} · {text}" if warning else text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def export_table(self) -> ExportTable | None:
        report: m.Statement | None = self.report
        if report is None:
            return None
        columns = self.columns(report)
        names = [t("reports.stmt.line"), t("reports.stmt.code"), *(h for h, _ in columns)]
        rows: list[list[Cell]] = [[line.name, line.code, *(get(line) for _, get in columns)]
                                  for line in report.lines]
        bold = {n for n, line in enumerate(report.lines) if line.level >= 1}
        units = t("reports.stmt.units_thousands" if report.units == "thousands"
                  else "reports.stmt.units")
        return ExportTable(self.report_title(), head_lines(report.head, self.period, units),
                           names, rows, set(range(2, 2 + len(columns))), bold)
