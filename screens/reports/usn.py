"""Provides UsnScreen: the УСН tax by cumulative periods of the year and the КУДиР book,
with one line saying what is to be paid and by when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports.base import (
    NAME_MIN,
    TOTAL_KEY,
    ExportTable,
    ReportScreen,
    head_lines,
    money,
    money_columns_width,
    num,
    short_date,
    width_of,
)
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

USN_PERIOD_WIDTH = 10
USN_QUARTER = {"Q1": 1, "H1": 2, "9M": 3}
"""The quarter whose advance a cumulative period settles (the year settles the tax)."""


def usn_row_for(report: m.UsnReport) -> m.UsnQuarter | None:
    """The cumulative period that ends with the report: Q1 for a date in Jan–Mar, H1 in
    Apr–Jun, 9M in Jul–Sep, the year after; the last one the server gave otherwise."""
    month = report.head.date_to.month
    code = "Q1" if month <= 3 else "H1" if month <= 6 else "9M" if month <= 9 else "Y"
    found = next((q for q in report.quarters if q.period == code), None)
    return found or (report.quarters[-1] if report.quarters else None)


def usn_settles(quarter: m.UsnQuarter, year: int) -> str:
    """What a cumulative period's payment is for: «3 квартал 2026» (9M), «2026 год» (Y)."""
    if quarter.period in USN_QUARTER:
        return t("reports.period_quarter", n=USN_QUARTER[quarter.period], year=year)
    return t("reports.period_year", year=year)


def usn_due_line(report: m.UsnReport) -> str:
    """«К уплате за 4 квартал 2026: 1 200,00 ₽ до 28.01.2027»."""
    quarter = usn_row_for(report)
    if quarter is None:
        return t("reports.usn.nothing")
    return t("reports.usn.due_line", period=usn_settles(quarter, report.head.date_to.year),
             amount=money(quarter.due), date=quarter.due_date.strftime("%d.%m.%Y"))


USN_COLUMNS: dict[str, tuple[str, ...]] = {
    "usn_income": ("income", "tax", "reduction", "due"),
    "usn_income_expense": ("income", "expense", "base", "tax", "due"),
}
"""Money columns shown at 80 columns; the line under the table gives the others."""
USN_ALL = ("income", "expense", "base", "tax", "contributions", "reduction", "minimum_tax",
           "due")


class UsnScreen(ReportScreen):
    """The УСН tax by cumulative periods of the year, and (`k`) the КУДиР rows."""

    TITLE_KEY = "reports.usn"
    FILE_KEY = "reports.file.usn"
    BINDINGS = [
        Binding("k", "kudir", "reports.usn.kudir_key", id="reports_usn.kudir"),
    ]

    def __init__(self, period: Period | None = None) -> None:
        super().__init__(period)
        self.kudir = False
        self.text_width = NAME_MIN

    def report_title(self) -> str:
        return t("reports.kudir" if self.kudir else "reports.usn")

    def file_stem(self) -> str:
        return t("reports.file.kudir" if self.kudir else "reports.file.usn")

    def compose_body(self) -> ComposeResult:
        yield Static("", id="usn-due")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.UsnReport:
        return await api.reports.usn(org_id, period.end.year, period.end.isoformat())

    def show(self, report: m.UsnReport) -> None:
        self.query_one("#usn-due", Static).update(usn_due_line(report))
        if self.kudir:
            self._show_kudir(report)
        else:
            self._show_quarters(report)

    # --- quarters ---------------------------------------------------------------------

    def _show_quarters(self, report: m.UsnReport) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        fields = USN_COLUMNS.get(report.regime, USN_ALL)
        width = max(width_of([getattr(q, f) for q in report.quarters for f in fields],
                             t(f"reports.usn.{f}")) for f in fields)
        table.add_column(t("reports.usn.period"), width=USN_PERIOD_WIDTH, key="period")
        for f in fields:
            table.add_column(Text(t(f"reports.usn.{f}"), justify="right"), width=width, key=f)
        table.add_column(t("reports.usn.due_date"), width=10, key="due_date")
        current = usn_row_for(report)
        for q in report.quarters:
            style = "bold" if q is current else ""
            table.add_row(Text(t(f"reports.usn.p.{q.period}"), style=style),
                          *(Text(num(getattr(q, f), blank_zero=False), justify="right",
                                 style=style) for f in fields),
                          Text(q.due_date.strftime("%d.%m.%Y"), style=style), key=q.period)
        if current is not None:
            table.move_cursor(row=report.quarters.index(current))
        self._detail()

    def _quarter_detail(self, q: m.UsnQuarter) -> str:
        report: m.UsnReport = self.report
        parts = [t("reports.usn.detail", period=t(f"reports.usn.p.{q.period}"),
                   rate=f"{q.rate.normalize():f}".replace(".", ","), income=num(q.income) or "0",
                   base=num(q.base) or "0", tax=num(q.tax) or "0")]
        if q.contributions:
            parts.append(t("reports.usn.contributions_line", paid=num(q.contributions),
                           applied=num(q.reduction) or "0"))
        if report.regime == "usn_income_expense" and q.minimum_tax:
            parts.append(t("reports.usn.minimum_line", amount=num(q.minimum_tax)))
        return " · ".join(parts)

    # --- КУДиР ------------------------------------------------------------------------

    def _show_kudir(self, report: m.UsnReport) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        expense = report.regime == "usn_income_expense"
        fields = ("income", "expense") if expense else ("income",)
        width = max(width_of([getattr(r, f) for r in report.rows for f in fields]
                             + [report.income, report.expense], t(f"reports.usn.{f}"))
                    for f in fields)
        self.text_width = max(NAME_MIN, money_columns_width(
            self.app.size.width, 3 + len(fields), 5 + 8 + len(fields) * width))
        table.add_column("№", width=5, key="number")
        table.add_column(t("reports.card.date"), width=8, key="date")
        table.add_column(t("reports.usn.document"), width=self.text_width, key="document")
        for f in fields:
            table.add_column(Text(t(f"reports.usn.{f}"), justify="right"), width=width, key=f)
        for r in report.rows:
            table.add_row(str(r.number), short_date(r.date), clip(r.document, self.text_width),
                          *(Text(num(getattr(r, f)), justify="right") for f in fields),
                          key=f"row:{r.number}")
        table.add_row(Text(t("reports.total"), style="bold"), "", "",
                      *(Text(num(getattr(report, f), blank_zero=False), justify="right",
                             style="bold") for f in fields), key=TOTAL_KEY)
        self._detail()

    # --- both -------------------------------------------------------------------------

    def _detail(self) -> None:
        report: m.UsnReport | None = self.report
        if report is None:
            return
        row = self.query_one(DataTable).cursor_row
        if self.kudir:
            if row < len(report.rows):
                r = report.rows[row]
                self.detail(f"{r.document} · {r.description}")
            else:
                self.detail(t("reports.usn.kudir_hint") if report.rows
                            else t("reports.usn.kudir_empty"))
        elif report.quarters:
            self.detail(self._quarter_detail(report.quarters[min(row, len(report.quarters)
                                                                 - 1)]))
        else:
            self.detail(t("reports.usn.nothing"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def action_kudir(self) -> None:
        self.kudir = not self.kudir
        self.show_title()
        if self.report is not None:
            self.show(self.report)

    def export_table(self) -> ExportTable | None:
        report: m.UsnReport | None = self.report
        if report is None:
            return None
        rate = f"{report.rate.normalize():f}".replace(".", ",")
        lines = head_lines(report.head, self.period,
                           t(f"reports.usn.regime.{report.regime}", rate=rate))
        if self.kudir:
            columns = ["№", t("reports.card.date"), t("reports.usn.document"),
                       t("reports.card.description"), t("reports.usn.income"),
                       t("reports.usn.expense")]
            rows: list[list[Cell]] = [[r.number, r.date, r.document, r.description,
                                       r.income, r.expense] for r in report.rows]
            rows.append([t("reports.total"), None, "", "", report.income, report.expense])
            return ExportTable(self.report_title(), lines, columns, rows, {4, 5},
                               {len(rows) - 1})
        columns = [t("reports.usn.period"), *(t(f"reports.usn.{f}_long") for f in USN_ALL),
                   t("reports.usn.due_date")]
        rows = [[t(f"reports.usn.p.{q.period}"), *(getattr(q, f) for f in USN_ALL),
                 q.due_date] for q in report.quarters]
        lines.append(usn_due_line(report))
        return ExportTable(self.report_title(), lines, columns, rows,
                           set(range(1, 1 + len(USN_ALL))))
