"""Provides the statements: the balance sheet and the financial results (code, line, two
figures).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
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
    money_columns_width,
    num,
    width_of,
    year_earlier,
)
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

CODE_WIDTH = 4


class StatementScreen(ReportScreen):
    """Бухгалтерский баланс or Отчёт о финансовых результатах: code, line, two figures."""

    def __init__(self, kind: str = "balance_sheet", period: Period | None = None) -> None:
        super().__init__(period)
        self.kind = kind
        self.name_width = NAME_MIN

    def report_title(self) -> str:
        return t(f"reports.{self.kind}")

    def file_stem(self) -> str:
        return t(f"reports.file.{self.kind}")

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.Statement:
        start, end = period.iso()
        if self.kind == "financial_results":
            return await api.reports.financial_results(org_id, start, end)
        return await api.reports.balance_sheet(org_id, start, end)

    def column_names(self, report: m.Statement) -> tuple[str, str]:
        """Balance sheet: «На 31.12.2026» and «На 30.09.2026» (the day before the period);
        financial results: the period and the same period a year earlier."""
        head = report.head
        if self.kind == "balance_sheet":
            before = head.date_from - timedelta(days=1)
            return (t("reports.stmt.at", date=head.date_to.strftime("%d.%m.%Y")),
                    t("reports.stmt.at", date=before.strftime("%d.%m.%Y")))
        return self.period.title(), year_earlier(self.period).title()

    def show(self, report: m.Statement) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        current, previous = self.column_names(report)
        amounts = [a for line in report.lines for a in (line.current, line.previous)]
        width = max(width_of(amounts, current), width_of([], previous))
        self.name_width = max(NAME_MIN, money_columns_width(self.app.size.width, 4,
                                                            CODE_WIDTH + 2 * width))
        table.add_column(t("reports.stmt.code"), width=CODE_WIDTH, key="code")
        table.add_column(t("reports.stmt.line"), width=self.name_width, key="name")
        table.add_column(Text(current, justify="right"), width=width, key="current")
        table.add_column(Text(previous, justify="right"), width=width, key="previous")
        for n, line in enumerate(report.lines):
            style = "bold" if line.level >= 1 else ""
            if line.level >= 2:
                style = "bold reverse"
            table.add_row(
                Text(line.code, style=style), Text(clip(line.name, self.name_width), style=style),
                Text(num(line.current, blank_zero=False), justify="right", style=style),
                Text(num(line.previous, blank_zero=False), justify="right", style=style),
                key=f"{n}:{line.code}")
        self._detail()

    def _current(self) -> m.StatementLine | None:
        report: m.Statement | None = self.report
        if report is None or not report.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return report.lines[min(row, len(report.lines) - 1)]

    def _detail(self) -> None:
        line = self._current()
        self.detail(f"{line.code} {line.name}" if line else t("reports.stmt.empty"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def export_table(self) -> ExportTable | None:
        report: m.Statement | None = self.report
        if report is None:
            return None
        current, previous = self.column_names(report)
        columns = [t("reports.stmt.line"), t("reports.stmt.code"), current, previous]
        rows: list[list[Cell]] = [[line.name, line.code, line.current, line.previous]
                                  for line in report.lines]
        bold = {n for n, line in enumerate(report.lines) if line.level >= 1}
        return ExportTable(self.report_title(), head_lines(report.head, self.period,
                                                           t("reports.stmt.units")),
                           columns, rows, {2, 3}, bold)
