"""Provides VatScreen: the sales book, the purchase book and the VAT declaration's figures
of the quarter the period ends in; `v` switches between the three, `e` exports.

The books' columns are the main ones of Постановление № 1137 (№, код вида операции,
номер и дата счёта-фактуры, контрагент, стоимость с НДС, НДС); the line under the table
gives the highlighted row's ИНН/КПП and the VAT by rate. The export has every column.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
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
    TOTAL_KEY,
    ExportTable,
    ReportScreen,
    head_lines,
    money_columns_width,
    num,
    short_date,
    width_of,
)
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

VIEWS = ("sales", "purchases", "declaration")
INVOICE_WIDTH = 16
CODE_WIDTH = 4


def quarter_of(period: Period) -> tuple[int, int]:
    """The year and quarter the period ends in."""
    return period.end.year, (period.end.month - 1) // 3 + 1


@dataclass
class VatReport:
    sales: m.VatBook
    purchases: m.VatBook
    declaration: m.VatDeclaration

    @property
    def head(self) -> m.ReportHead:
        return self.sales.head


def invoice_text(row: m.VatBookRow) -> str:
    """«45 от 19.01.26», «—» for a purchase without the supplier's счёт-фактура."""
    if not row.invoice_number:
        return "—"
    day = f" {t('reports.vat.of')} {short_date(row.invoice_date)}" if row.invoice_date else ""
    return f"{row.invoice_number}{day}"


def rates_text(by_rate: list[m.VatByRate]) -> str:
    return "; ".join(t("reports.vat.rate_line", rate=r.rate, base=num(r.base, blank_zero=False),
                       vat=num(r.vat, blank_zero=False)) for r in by_rate)


class VatScreen(ReportScreen):
    """НДС: книга продаж, книга покупок, декларация (`v` for the next)."""

    TITLE_KEY = "reports.vat.sales"
    FILE_KEY = "reports.file.vat_sales"
    BINDINGS = [Binding("v", "view", "reports.vat.view_key", id="reports_vat.view")]

    def __init__(self, period: Period | None = None, view: str = "sales") -> None:
        super().__init__(period)
        self.view = view

    def report_title(self) -> str:
        year, quarter = quarter_of(self.period)
        return t(f"reports.vat.{self.view}") + " · " + t("reports.period_quarter", n=quarter,
                                                         year=year)

    def title_text(self) -> str:
        """«Книга продаж · 4 квартал 2026»: the books are kept by quarter, whatever the
        period chosen (its quarter is taken), so the period is not named a second time."""
        return self.report_title()

    def file_stem(self) -> str:
        return t(f"reports.file.vat_{self.view}")

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> VatReport:
        year, quarter = quarter_of(period)
        sales, purchases, declaration = await asyncio.gather(
            api.stock.vat_book(org_id, "sales", year, quarter),
            api.stock.vat_book(org_id, "purchase", year, quarter),
            api.stock.vat_declaration(org_id, year, quarter))
        return VatReport(sales, purchases, declaration)

    def show(self, report: VatReport) -> None:
        if self.view == "declaration":
            self._show_declaration(report.declaration)
        else:
            self._show_book(report.sales if self.view == "sales" else report.purchases)

    def _show_book(self, book: m.VatBook) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = max(width_of([r.total for r in book.rows] + [book.total],
                             t("reports.vat.total")),
                    width_of([r.vat for r in book.rows] + [book.vat], t("reports.vat.vat")))
        name = max(NAME_MIN, money_columns_width(self.app.size.width, 6,
                                                 3 + CODE_WIDTH + INVOICE_WIDTH + 2 * width))
        table.add_column("№", width=3, key="number")
        table.add_column(t("reports.vat.code"), width=CODE_WIDTH, key="code")
        table.add_column(t("reports.vat.invoice"), width=INVOICE_WIDTH, key="invoice")
        table.add_column(t("reports.vat.counterparty"), width=name, key="counterparty")
        table.add_column(Text(t("reports.vat.total"), justify="right"), width=width, key="total")
        table.add_column(Text(t("reports.vat.vat"), justify="right"), width=width, key="vat")
        for r in book.rows:
            mark = "red" if r.missing_invoice else ""
            table.add_row(str(r.number), r.operation_code,
                          Text(clip(invoice_text(r), INVOICE_WIDTH), style=mark),
                          clip(r.counterparty, name),
                          Text(num(r.total), justify="right"), Text(num(r.vat), justify="right"),
                          key=f"row:{r.number}")
        table.add_row("", "", Text(t("reports.total"), style="bold"), "",
                      Text(num(book.total, blank_zero=False), justify="right", style="bold"),
                      Text(num(book.vat, blank_zero=False), justify="right", style="bold"),
                      key=TOTAL_KEY)
        self._detail()

    def _show_declaration(self, decl: m.VatDeclaration) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        amounts = [x.vat for x in decl.section3] + [x.base for x in decl.section3 if x.base]
        amounts += [decl.section8_vat, decl.section9_total, decl.section9_vat]
        width = width_of(amounts, t("reports.vat.base"))
        name = max(NAME_MIN, money_columns_width(self.app.size.width, 4, 6 + 2 * width))
        table.add_column(t("reports.vat.line"), width=6, key="code")
        table.add_column(t("reports.vat.indicator"), width=name, key="title")
        table.add_column(Text(t("reports.vat.base"), justify="right"), width=width, key="base")
        table.add_column(Text(t("reports.vat.vat"), justify="right"), width=width, key="vat")
        for i, x in enumerate(decl.section3):
            table.add_row(x.code, clip(x.title, name),
                          Text(num(x.base) if x.base is not None else "", justify="right"),
                          Text(num(x.vat, blank_zero=False), justify="right"), key=f"s3:{i}")
        table.add_row("8", clip(t("reports.vat.section8"), name), "",
                      Text(num(decl.section8_vat, blank_zero=False), justify="right"), key="s8")
        table.add_row("9", clip(t("reports.vat.section9"), name),
                      Text(num(decl.section9_total, blank_zero=False), justify="right"),
                      Text(num(decl.section9_vat, blank_zero=False), justify="right"), key="s9")
        self._detail()

    def _detail(self) -> None:
        report: VatReport | None = self.report
        if report is None:
            return
        if self.view == "declaration":
            decl = report.declaration
            self.detail(t("reports.vat.payable_line", payable=num(decl.payable, blank_zero=False),
                          refundable=num(decl.refundable, blank_zero=False)))
            return
        book = report.sales if self.view == "sales" else report.purchases
        row = self.query_one(DataTable).cursor_row
        if row < len(book.rows):
            r = book.rows[row]
            parts = [f"{t('reports.vat.inn_kpp')} {r.inn_kpp or '—'}", rates_text(r.by_rate)]
            if r.accepted_on is not None:
                parts.append(t("reports.vat.accepted", date=short_date(r.accepted_on)))
            if r.missing_invoice:
                parts.append(t("reports.vat.missing_invoice"))
            self.detail(" · ".join(parts))
        else:
            self.detail(rates_text(book.by_rate) if book.rows else t("reports.vat.empty"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.show_title()
        if self.report is not None:
            self.show(self.report)

    def export_table(self) -> ExportTable | None:
        report: VatReport | None = self.report
        if report is None:
            return None
        lines = head_lines(report.head, self.period)
        if self.view == "declaration":
            decl = report.declaration
            rows: list[list[Cell]] = [[x.code, x.title, x.base, x.vat] for x in decl.section3]
            rows.append(["8", t("reports.vat.section8"), None, decl.section8_vat])
            rows.append(["9", t("reports.vat.section9"), decl.section9_total, decl.section9_vat])
            columns = [t("reports.vat.line"), t("reports.vat.indicator"), t("reports.vat.base"),
                       t("reports.vat.vat")]
            return ExportTable(self.report_title(), lines, columns, rows, {2, 3})
        book = report.sales if self.view == "sales" else report.purchases
        rates = [r.rate for r in book.by_rate]
        columns = ["№", t("reports.vat.code_long"), t("reports.vat.invoice_number"),
                   t("reports.vat.invoice_date"), t("reports.vat.accepted_on"),
                   t("reports.vat.counterparty"), t("reports.vat.inn_kpp"),
                   t("reports.vat.total_long")]
        for rate in rates:
            columns += [t("reports.vat.base_rate", rate=rate), t("reports.vat.vat_rate", rate=rate)]
        columns.append(t("reports.vat.vat"))
        rows = []
        for r in book.rows:
            by = {x.rate: x for x in r.by_rate}
            cells: list[Cell] = [r.number, r.operation_code, r.invoice_number or None,
                                 r.invoice_date, r.accepted_on, r.counterparty, r.inn_kpp,
                                 r.total]
            for rate in rates:
                x = by.get(rate)
                cells += [x.base if x else None, x.vat if x else None]
            rows.append([*cells, r.vat])
        total: list[Cell] = [t("reports.total"), None, None, None, None, None, None, book.total]
        for x in book.by_rate:
            total += [x.base, x.vat]
        rows.append([*total, book.vat])
        money = set(range(7, len(columns)))
        return ExportTable(self.report_title(), lines, columns, rows, money, {len(rows) - 1})
