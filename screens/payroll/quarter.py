"""Provides QuarterScreen: the quarter's 6-НДФЛ and РСВ figures by month, exported by `e`."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from client.errors import ApiError, os_error_text
from client.export import Cell, safe_file_name, write_table
from client.i18n import t
from core import contract as m
from screens.payroll.common import bare, export_dir
from tui.footer import KeyFooter
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.dates import month_title
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

QUARTER_ROWS = (
    ("income", "pscreen.q.income"),
    ("deductions", "pscreen.q.deductions"),
    ("ndfl_computed", "pscreen.q.ndfl_computed"),
    ("ndfl_withheld", "pscreen.q.ndfl_withheld"),
    ("contribution_base", "pscreen.q.base"),
    ("contrib_main", "pscreen.q.contrib_main"),
    ("contrib_injury", "pscreen.q.contrib_injury"),
)
# 79 columns: 5 columns pad 10, 69 = 17 + 4 × 13 («1 234 567,89» is 12).
QUARTER_WIDTHS = (17, 13)


class SummaryLoaded(Done[m.QuarterSummary]):
    """The quarter's figures by month and since the start of the year."""


class QuarterExported(Done[Path]):
    """The figures written to XLSX or CSV (where)."""


class QuarterScreen(BuhtaScreen):
    """The quarter's figures for 6-НДФЛ and РСВ by month; `e` exports them."""

    CSS_PATH = sheets("payroll")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="pquarter.back"),
        Binding("e", "export", "reports.export", id="pquarter.export"),
        Binding("left_square_bracket", "step(-1)", "pscreen.prev_quarter", id="pquarter.prev"),
        Binding("right_square_bracket", "step(1)", "pscreen.next_quarter",
                id="pquarter.next"),
    ]

    def __init__(self, year: int, quarter: int) -> None:
        super().__init__()
        self.year = year
        self.quarter = quarter
        self.summary: m.QuarterSummary | None = None
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="quarter-title", classes="form-title")
        yield DataTable(id="quarter", cursor_type="row", zebra_stripes=True)
        yield Static("", id="quarter-ytd")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = t("pscreen.quarter_title")
        self.query_one(DataTable).focus()
        self.reload()

    def _months(self) -> list[int]:
        first = (self.quarter - 1) * 3 + 1
        return [first, first + 1, first + 2]

    def reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.generation += 1
        self.summary = None
        year, quarter = self.year, self.quarter
        self.query_one("#quarter-title", Static).update(
            t("pscreen.quarter_head", quarter=quarter, year=year))
        self.query_one("#quarter-ytd", Static).update(t("pscreen.loading"))

        self.call_api(lambda api: api.payroll.quarter_summary(org_id, year, quarter),
                      done=SummaryLoaded, guard=lambda: self.generation, exclusive=True)

    @on(SummaryLoaded)
    def _summary_loaded(self, message: SummaryLoaded) -> None:
        summary = self.summary = message.result
        table = self.query_one(DataTable)
        table.clear(columns=True)
        label_w, amount_w = QUARTER_WIDTHS
        table.add_column(t("pscreen.q.figure"), width=label_w)
        for month in self._months():
            table.add_column(Text(month_title(date(self.year, month, 1)).split()[0][:amount_w],
                                  justify="right"), width=amount_w)
        table.add_column(Text(t("pscreen.q.total"), justify="right"), width=amount_w)
        for label, values in self._rows(summary):
            table.add_row(label, *(Text(v, justify="right") for v in values))
        self.query_one("#quarter-ytd", Static).update("\n".join([
            t("pscreen.q.ytd_ndfl", income=money(summary.income_ytd),
              ndfl=money(summary.ndfl_ytd)),
            t("pscreen.q.ytd_contrib", base=money(summary.contribution_base_ytd),
              contrib=money(summary.contrib_main_ytd)),
        ]))
        self.refresh_bindings()

    def _by_month(self, summary: m.QuarterSummary) -> list[m.QuarterMonth | None]:
        found = {x.month: x for x in summary.months}
        return [found.get(month) for month in self._months()] + [summary.total]

    def _rows(self, summary: m.QuarterSummary) -> list[tuple[str, list[str]]]:
        columns = self._by_month(summary)
        rows = [(t("pscreen.q.employees"),
                 [str(c.employees) if c else "—" for c in columns])]
        for field, key in QUARTER_ROWS:
            rows.append((t(key), [bare(getattr(c, field)) if c else "—" for c in columns]))
        return rows

    def action_step(self, quarters: int) -> None:
        index = self.year * 4 + self.quarter - 1 + quarters
        self.year, self.quarter = index // 4, index % 4 + 1
        self.reload()

    # --- export -----------------------------------------------------------------------

    def export_rows(self, summary: m.QuarterSummary) -> tuple[list[str], list[list[Cell]]]:
        columns = self._by_month(summary)
        names = [t("pscreen.q.figure"),
                 *(month_title(date(self.year, month, 1)) for month in self._months()),
                 t("pscreen.q.total")]
        rows: list[list[Cell]] = [
            [t("pscreen.q.employees"), *(str(c.employees) if c else None for c in columns)]]
        for field, key in QUARTER_ROWS:
            rows.append([t(key), *(getattr(c, field) if c else None for c in columns)])
        rows.append([t("pscreen.q.income_ytd"), None, None, None, summary.income_ytd])
        rows.append([t("pscreen.q.ndfl_ytd"), None, None, None, summary.ndfl_ytd])
        rows.append([t("pscreen.q.base_ytd"), None, None, None,
                     summary.contribution_base_ytd])
        rows.append([t("pscreen.q.contrib_ytd"), None, None, None, summary.contrib_main_ytd])
        return names, rows

    def action_export(self) -> None:
        from tui.dialogs.export import ExportDialog

        summary = self.summary
        if summary is None:
            self.app.notify(t("reports.nothing_to_export"), severity="warning")
            return
        name = safe_file_name(f"{t('pscreen.quarter_file')}_{self.year}-Q{self.quarter}")
        org = self.buhta.org
        head = [f"{org.short_name}, {t('reports.inn')} {org.inn}" if org else "",
                t("pscreen.quarter_head", quarter=self.quarter, year=self.year)]
        title = t("pscreen.quarter_title")

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            columns, rows = self.export_rows(summary)

            async def call(_api: ApiClient) -> Path:
                try:
                    return await asyncio.to_thread(write_table, path, title, head, columns,
                                                   rows, {1, 2, 3, 4})
                except OSError as exc:
                    raise ApiError(0, "pscreen.save_failed", t(
                        "pscreen.save_failed", path=str(path),
                        error=os_error_text(exc))) from exc

            self.call_api(call, done=QuarterExported)

        self.app.push_screen(ExportDialog(export_dir() / f"{name}.xlsx"), chosen)

    @on(QuarterExported)
    def _exported(self, message: QuarterExported) -> None:
        self.app.notify(t("reports.exported", path=str(message.result)), timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)
