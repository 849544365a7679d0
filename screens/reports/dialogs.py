"""Provides the report dialogs: custom dates, where to export, which account."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from client.i18n import t
from client.periods import Period
from core import contract as m
from core.validation import InvalidInput
from tui.errors import invalid_text
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.accounts import AccountSuggester, CompletingInput, account_code
from tui.widgets.dates import parse_book_day
from tui.widgets.form import ErrorLine, FormRow
from tui.workers import Done

CSS = sheets("reports")


class ChartLoaded(Done[list[m.LedgerAccountOut]]):
    """The chart of accounts the look-up completes from."""


class PeriodDialog(BuhtaModal):
    """Custom dates: from and to (typed as in the journal: ``1.3``, ``15.04.2026``)."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "app.back", id="reports_period.cancel")]

    def __init__(self, period: Period) -> None:
        super().__init__()
        self.period = period

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("reports.custom_title"), classes="form-title")
            yield FormRow(t("reports.date_from"),
                          Input(self.period.start.strftime("%d.%m.%Y"), id="from",
                                compact=True))
            yield FormRow(t("reports.date_to"),
                          Input(self.period.end.strftime("%d.%m.%Y"), id="to", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("reports.show"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        box = self.query_one("#from", Input)
        box.focus()
        box.select_all()

    def chosen(self) -> Period | None:
        """The typed dates as a period; None (and the reason shown) when refused."""
        days: list[date] = []
        for name, label in (("from", "reports.date_from"), ("to", "reports.date_to")):
            box = self.query_one(f"#{name}", Input)
            try:
                days.append(parse_book_day(box.value))
            except InvalidInput as exc:
                # Which of the two is wrong: «По: В феврале 2026 года нет 31-го числа».
                self.query_one(ErrorLine).show(f"{t(label)}: {invalid_text(exc)}")
                box.focus()
                return None
        try:
            return Period.custom(days[0], days[1])
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(f"{t('reports.date_to')}: {invalid_text(exc)}")
            self.query_one("#to", Input).focus()
            return None

    @on(Input.Changed)
    def _typed(self) -> None:
        self.query_one(ErrorLine).clear()  # the error was about what is being fixed

    @on(Input.Submitted, "#from")
    def _next_field(self) -> None:
        box = self.query_one("#to", Input)
        box.focus()
        box.select_all()

    @on(Input.Submitted, "#to")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        period = self.chosen()
        if period is not None:
            self.dismiss(period)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class AccountDialog(BuhtaModal):
    """Which account: its code or words of its name, completed from the chart."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "app.back", id="reports_account.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.names: dict[str, str] = {}
        self.suggester: AccountSuggester | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="form-title")
            yield FormRow(t("reports.account"),
                          CompletingInput(id="account", compact=True,
                                          placeholder=t("reports.account_placeholder")))
            yield Static("", id="account-name", classes="hint")
            yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one("#account", Input).focus()
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.ledger.accounts(org_id), done=ChartLoaded,
                          exclusive=True)

    @on(ChartLoaded)
    def _chart_loaded(self, message: ChartLoaded) -> None:
        accounts = message.result
        self.names = {a.code: a.name for a in accounts}
        self.suggester = AccountSuggester(accounts)
        self.query_one("#account", CompletingInput).suggester = self.suggester

    @on(Input.Changed, "#account")
    def _changed(self, event: Input.Changed) -> None:
        code = account_code(event.value)
        self.query_one("#account-name", Static).update(self.names.get(code, ""))
        self.query_one(ErrorLine).clear()

    @on(Input.Submitted, "#account")
    def _ok(self) -> None:
        box = self.query_one("#account", CompletingInput)
        if account_code(box.value) not in self.names:
            box.take_suggestion()
        code = account_code(box.value)
        if code not in self.names:
            self.query_one(ErrorLine).show(t("ledger.no_account", code=code or "—"))
            return
        self.dismiss((code, self.names[code]))

    def action_cancel(self) -> None:
        self.dismiss(None)
