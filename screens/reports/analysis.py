"""Provides AccountAnalysisScreen: the period's turnover of an account by corresponding
account.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports.base import (
    CODE_WIDTH,
    NAME_MIN,
    TOTAL_KEY,
    ExportTable,
    ReportScreen,
    head_lines,
    money_columns_width,
    num,
    side_text,
    width_of,
)
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient


class AccountAnalysisScreen(ReportScreen):
    """Анализ счёта: the period's turnover by corresponding account."""

    TITLE_KEY = "reports.analysis"
    FILE_KEY = "reports.file.analysis"
    BINDINGS = [
        Binding("enter", "open", "reports.open_card", id="reports_analysis.open",
                key_display="↵", priority=True),
    ]

    def __init__(self, account: str, period: Period | None = None) -> None:
        super().__init__(period)
        self.account = account
        self.account_name = ""
        self.name_width = NAME_MIN

    def report_title(self) -> str:
        return t("reports.analysis_of", account=self.account)

    def file_stem(self) -> str:
        return f"{t('reports.file.analysis')}_{self.account}"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="analysis-opening")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="analysis-closing")

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.AccountAnalysis:
        start, end = period.iso()
        return await api.reports.account_analysis(org_id, self.account, start, end)

    def show(self, report: m.AccountAnalysis) -> None:
        self.account_name = report.name
        table = self.query_one(DataTable)
        table.clear(columns=True)
        amounts = [report.debit, report.credit, *(r.debit for r in report.rows),
                   *(r.credit for r in report.rows)]
        width = width_of(amounts, t("reports.analysis.debit"))
        self.name_width = max(NAME_MIN, money_columns_width(self.app.size.width, 4,
                                                            CODE_WIDTH + 2 * width))
        table.add_column(t("reports.analysis.corr"), width=CODE_WIDTH, key="corr")
        table.add_column(t("reports.tb.name"), width=self.name_width, key="name")
        table.add_column(Text(t("reports.analysis.debit"), justify="right"), width=width,
                         key="debit")
        table.add_column(Text(t("reports.analysis.credit"), justify="right"), width=width,
                         key="credit")
        for row in report.rows:
            table.add_row(row.corr_account, clip(row.name, self.name_width),
                          Text(num(row.debit), justify="right"),
                          Text(num(row.credit), justify="right"), key=row.corr_account)
        table.add_row(Text(t("reports.total"), style="bold"), "",
                      Text(num(report.debit), justify="right", style="bold"),
                      Text(num(report.credit), justify="right", style="bold"), key=TOTAL_KEY)
        name = clip(f"{self.account} {report.name}", 40)
        self.query_one("#analysis-opening", Static).update(t(
            "reports.card.opening", account=name,
            date=report.head.date_from.strftime("%d.%m.%Y"),
            balance=side_text(report.opening)))
        self.query_one("#analysis-closing", Static).update(t(
            "reports.analysis.closing", date=report.head.date_to.strftime("%d.%m.%Y"),
            balance=side_text(report.closing)))
        self.detail(t("reports.analysis.hint") if report.rows else t("reports.card.empty"))

    def action_open(self) -> None:
        from screens.reports.card import AccountCardScreen  # the card opens the analysis

        if self.report is not None:
            self.app.push_screen(AccountCardScreen(self.account, self.account_name,
                                                   self.period))

    def export_table(self) -> ExportTable | None:
        report: m.AccountAnalysis | None = self.report
        if report is None:
            return None
        columns = [t("reports.analysis.corr_long"), t("reports.tb.name"),
                   t("reports.analysis.debit_long"), t("reports.analysis.credit_long")]
        rows: list[list[Cell]] = [[t("reports.analysis.opening_row"), "",
                                   *self._split(report.opening)]]
        for r in report.rows:
            rows.append([r.corr_account, r.name, r.debit or None, r.credit or None])
        rows.append([t("reports.total"), "", report.debit, report.credit])
        rows.append([t("reports.analysis.closing_row"), "", *self._split(report.closing)])
        extra = f"{self.account} {report.name}"
        return ExportTable(self.report_title(), head_lines(report.head, self.period, extra),
                           columns, rows, {2, 3}, {0, len(rows) - 2, len(rows) - 1})

    @staticmethod
    def _split(balance: Decimal) -> list[Cell]:
        """A signed balance as its debit and credit cells."""
        return [balance if balance > 0 else None, -balance if balance < 0 else None]
