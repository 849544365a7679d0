"""Provides the reports menu (Отчёты): which report, for which period.

`r` in the journal opens it. A digit or ↑↓ and Enter opens a report for the period
shown on the menu's first line (this quarter by default; the same period keys as in
the reports change it).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from client.periods import Period
from screens.reports.analysis import AccountAnalysisScreen
from screens.reports.base import PeriodScreen
from screens.reports.card import AccountCardScreen
from screens.reports.dialogs import AccountDialog
from screens.reports.statements import StatementScreen
from screens.reports.stock import StockScreen
from screens.reports.trial_balance import TrialBalanceScreen
from screens.reports.usn import UsnScreen
from screens.reports.vat import VatScreen
from tui.widgets.form import ErrorLine

REPORTS = ("tb", "tb_cp", "card", "analysis", "balance_sheet", "financial_results", "usn",
           "vat", "stock")
"""The menu in its order; the digit of each is its place (1 … 9)."""


class ReportsScreen(PeriodScreen):
    """Отчёты: the list of reports and the period they open with."""

    BINDINGS = [
        *(Binding(str(n), f"pick({n - 1})", "reports.choose", id=f"reports.pick_{n}",
                  show=False) for n in range(1, len(REPORTS) + 1)),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reports-menu"):
            yield Static(t("reports.title"), classes="form-title")
            yield Static("", id="report-title")
            yield OptionList(
                *(Option(f"{n}  {t(f'reports.menu.{name}')}", id=name)
                  for n, name in enumerate(REPORTS, start=1)),
                id="reports-list", compact=True)
            yield Static(t("reports.menu_hint"), classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_period()
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def _show_period(self) -> None:
        self.query_one("#report-title", Static).update(self.period_text())

    def period_changed(self) -> None:
        self._show_period()

    def action_back(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open(event.option.id)

    def action_pick(self, index: int) -> None:
        self.query_one(OptionList).highlighted = index
        self.open(REPORTS[index])

    def open(self, name: str) -> None:
        """Open report ``name`` for the menu's period; coming back keeps its period."""
        if self.buhta.require_org() is None:
            return
        period = self.period

        def back(chosen: Period | None) -> None:
            if chosen is not None:
                self.set_period(chosen)

        if name in ("card", "analysis"):
            def account(result: tuple[str, str] | None) -> None:
                if result is None:
                    return
                code, title = result
                screen = (AccountCardScreen(code, title, period) if name == "card"
                          else AccountAnalysisScreen(code, period))
                self.app.push_screen(screen, back)

            key = "reports.menu.card" if name == "card" else "reports.menu.analysis"
            self.app.push_screen(AccountDialog(t(key)), account)
            return
        screens = {
            "tb": lambda: TrialBalanceScreen(period),
            "tb_cp": lambda: TrialBalanceScreen(period, by="counterparty"),
            "balance_sheet": lambda: StatementScreen("balance_sheet", period),
            "financial_results": lambda: StatementScreen("financial_results", period),
            "usn": lambda: UsnScreen(period),
            "vat": lambda: VatScreen(period),
            "stock": lambda: StockScreen(period),
        }
        self.app.push_screen(screens[name](), back)
