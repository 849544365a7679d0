"""Provides OpeningScreen: typing the opening balances (ввод начальных остатков) of a
business moving from another system (issue 13 point 6; the server: api.closing).

One line is typed at a time in the editor row — account (completed from the chart),
counterparty (the look-up of the forms, for an account kept by counterparty), the debit
or the credit balance — and Enter takes it into the table below; Enter on a table row
brings it back to the editor to change it, Delete removes it. Under the table: the debit
and credit totals and the check of account 000 (each balance is posted against 000, so
000 nets to zero once the debits equal the credits): «000 сальдо 0,00 — сходится» or
«… — расходится на 1 000,00». F2 replaces the organisation's opening balances (the server
reverses the old entry and posts the new one on the day before the start date).

A counterparty typed but not picked from the matches (keys typed faster than the search
answers) is looked up when F2 posts: its ИНН, or a name only one counterparty has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Footer, Header, Input, OptionList, Static

from client.i18n import t
from core import contract as m
from core.contract import closing as cm
from core.money import format_amount
from core.validation import InvalidInput
from tui.errors import describe, invalid_text
from tui.styles import sheets
from tui.widgets.accounts import AccountSuggester, CompletingInput, account_code
from tui.widgets.counterparties import MATCHES, CounterpartyForm, LookupInput
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.money import MoneyInput
from tui.workers import Done, Failed

if TYPE_CHECKING:
    from client.api import ApiClient

EDITOR = ("account", "counterparty", "debit", "credit")
KEPT_BY_COUNTERPARTY = ("counterparty", "employee")


@dataclass
class Line:
    account: str
    counterparty_id: str | None
    counterparty: str
    """The name shown (or, not yet looked up, the text typed)."""
    debit: Decimal
    credit: Decimal

    @property
    def key(self) -> tuple[str, str]:
        return self.account, (self.counterparty_id or self.counterparty).casefold()


@dataclass
class Loaded:
    accounts: list[m.LedgerAccountOut]
    current: cm.OpeningBalances


class OpeningLoaded(Done[Loaded]):
    """The chart and the opening balances entered so far."""


class OpeningPosted(Done[cm.OpeningBalances | str]):
    """The server took the set (what it holds now, and 000's balance), or the text of a
    counterparty the look-up could not name (nothing was sent)."""


class OpeningRefused(Failed):
    """The server (or the counterparty look-up) refused the set."""


def check_text(debit: Decimal, credit: Decimal) -> str:
    """The totals and the 000 check: 000 is credited with every debit balance and debited
    with every credit one, so its balance is credit − debit (debit positive)."""
    auxiliary = credit - debit
    if auxiliary == 0:
        verdict = t("opening.converges")
    else:
        verdict = t("opening.diverges", amount=format_amount(abs(auxiliary)))
    mark = ""
    if auxiliary:
        mark = " " + t("reports.side_debit" if auxiliary > 0 else "reports.side_credit")
    return t("opening.totals", debit=format_amount(debit), credit=format_amount(credit),
             balance=f"{format_amount(abs(auxiliary))}{mark}", verdict=verdict)


def resolve(text: str, found: list[m.CounterpartyOut]) -> m.CounterpartyOut | None:
    """The counterparty ``text`` names: the one with that ИНН, else with that name, else the
    only match; None when none or several could be meant."""
    folded = text.strip().casefold()
    for match in (lambda cp: (cp.inn or "") == text.strip(),
                  lambda cp: cp.name.casefold() == folded):
        exact = [cp for cp in found if match(cp)]
        if len(exact) == 1:
            return exact[0]
    return found[0] if len(found) == 1 else None


class OpeningScreen(CounterpartyForm):
    """Ввод начальных остатков: the table of balances, the 000 check; F2 posts."""

    CSS_PATH = sheets("opening")
    FIRST_FIELD = "#account"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="opening.back"),
        Binding("f2", "post", "opening.post", id="opening.post"),
        Binding("delete", "remove", "opening.remove", id="opening.remove"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counterparty_id: str | None = None
        self.counterparty_name = ""
        self.matches: list[m.CounterpartyOut] = []
        self.match_gen = 0
        self.lines: list[Line] = []
        self.names: dict[str, str] = {}
        self.kept: set[str] = set()
        self.suggester: AccountSuggester | None = None
        self.ready = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("opening.title"), classes="form-title")
        yield FormRow(t("opening.start"), DateInput(date(date.today().year, 1, 1), id="start",
                                                    compact=True, book=True))
        with Horizontal(id="opening-editor"):
            yield CompletingInput(id="account", placeholder=t("opening.account"), compact=True)
            yield LookupInput("", id="counterparty", placeholder=t("ledger.counterparty"),
                              compact=True)
            yield MoneyInput(id="debit", placeholder=t("ledger.debit"), compact=True)
            yield MoneyInput(id="credit", placeholder=t("ledger.credit"), compact=True)
        matches = OptionList(id="cp-matches", compact=True)
        matches.can_focus = False
        matches.display = False
        yield matches
        yield Static(t("opening.hint"), id="cp-chosen", classes="hint")
        yield DataTable(id="opening-lines", cursor_type="row", zebra_stripes=True)
        yield Static("", id="opening-totals")
        yield from self.form_end(Button(t("opening.post"), id="submit", variant="primary",
                                        compact=True))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one(DataTable)
        table.add_column(t("opening.account"), width=8, key="account")
        table.add_column(t("ledger.counterparty"), width=30, key="cp")
        table.add_column(Text(t("ledger.debit"), justify="right"), width=14, key="debit")
        table.add_column(Text(t("ledger.credit"), justify="right"), width=14, key="credit")
        self._show_lines()
        org = self.buhta.org
        if org is not None:
            async def load(api: ApiClient) -> Loaded:
                return Loaded(await api.ledger.accounts(org.id),
                              await api.closing.opening_balances(org.id))

            self.call_api(load, done=OpeningLoaded, failed=OpeningRefused, exclusive=True)

    @on(OpeningLoaded)
    def _loaded(self, message: OpeningLoaded) -> None:
        accounts, current = message.result.accounts, message.result.current
        self.names = {a.code: a.name for a in accounts}
        self.kept = {a.code for a in accounts
                     if any(x in a.analytics for x in KEPT_BY_COUNTERPARTY)}
        self.suggester = AccountSuggester(accounts)
        self.query_one("#account", CompletingInput).suggester = self.suggester
        if current.start_date is not None:
            self.query_one("#start", DateInput).value = current.start_date.strftime("%d.%m.%Y")
        self.lines = [Line(x.account, x.counterparty_id, x.counterparty or "", x.debit,
                           x.credit) for x in current.lines]
        self.ready = True
        self.typed = False
        self._show_lines()
        self._counterparty_for(account_code(self.query_one("#account", Input).value))

    # --- the table ------------------------------------------------------------------

    def _show_lines(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for n, line in enumerate(self.lines):
            table.add_row(line.account, line.counterparty,
                          Text(format_amount(line.debit) if line.debit else "", justify="right"),
                          Text(format_amount(line.credit) if line.credit else "",
                               justify="right"), key=str(n))
        debit = sum((x.debit for x in self.lines), Decimal(0))
        credit = sum((x.credit for x in self.lines), Decimal(0))
        self.query_one("#opening-totals", Static).update(check_text(debit, credit))

    def action_remove(self) -> None:
        table = self.query_one(DataTable)
        if table.has_focus and self.lines:
            del self.lines[min(table.cursor_row, len(self.lines) - 1)]
            self.typed = True
            self._show_lines()

    @on(DataTable.RowSelected)
    def _edit_line(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: back to the editor (and out of the table until added again)."""
        n = event.cursor_row
        if not 0 <= n < len(self.lines):
            return
        line = self.lines.pop(n)
        self._show_lines()
        self.query_one("#account", Input).value = line.account
        box = self.query_one("#counterparty", Input)
        self.counterparty_id, self.counterparty_name = line.counterparty_id, line.counterparty
        box.value = line.counterparty
        self._show_chosen()
        for name, amount in (("debit", line.debit), ("credit", line.credit)):
            self.query_one(f"#{name}", Input).value = str(amount).replace(".", ",") \
                if amount else ""
        self.query_one("#account", Input).focus()

    # --- the editor -----------------------------------------------------------------

    def _chosen(self, cp: m.CounterpartyOut) -> None:
        self.query_one("#debit", Input).focus()

    @on(Input.Blurred, "#account")
    def _account_left(self, event: Input.Blurred) -> None:
        box = event.input
        if isinstance(box, CompletingInput) and account_code(box.value) not in self.names:
            box.take_suggestion()

    @on(Input.Changed, "#account")
    def _account_typed(self, event: Input.Changed) -> None:
        code = account_code(event.value)
        if code in self.names and not self.counterparty_id:
            self.query_one("#cp-chosen", Static).update(f"{code}: {self.names[code]}")
        self._counterparty_for(code)

    def _counterparty_for(self, code: str) -> None:
        """An account kept without counterparties (51, 80, 84…) takes none: its box is
        off, so Tab after the account goes straight to the debit (keys are delivered one
        at a time, so this lands before a Tab typed right after the code)."""
        box = self.query_one("#counterparty", Input)
        off = code in self.names and code not in self.kept
        if off == box.disabled:
            return
        if off:
            box.value = ""
            self.counterparty_id, self.counterparty_name = None, ""
            if box.has_focus:
                self.query_one("#debit", Input).focus()
        box.disabled = off

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in the editor takes the line (in the counterparty box, the match shown
        first); in the start date it moves on."""
        name = event.input.id or ""
        if name == "counterparty":
            options = self.query_one("#cp-matches", OptionList)
            if self.matches and options.display:
                self._choose(self.matches[options.highlighted or 0])
                return
        if name in EDITOR:
            self._add_line()
        else:
            self.focus_next()

    def _add_line(self) -> None:
        self.query_one(ErrorLine).clear()
        box = self.query_one("#account", CompletingInput)
        if account_code(box.value) not in self.names:
            box.take_suggestion()
        code = account_code(box.value)
        if code not in self.names:
            return self.fail("account", t("ledger.no_account", code=code or "—"))
        cp_text = self.query_one("#counterparty", Input).value.strip()
        if cp_text and code not in self.kept:
            return self.fail("counterparty", t("opening.no_analytics", account=code))
        amounts = {}
        for name in ("debit", "credit"):
            field = self.query_one(f"#{name}", MoneyInput)
            if field.problem:
                return self.fail(name, field.problem)
            amounts[name] = field.amount if field.value.strip() else Decimal(0)
            if amounts[name] < 0:
                return self.fail(name, t("ledger.amount_positive"))
        if (amounts["debit"] > 0) == (amounts["credit"] > 0):
            return self.fail("debit", t("opening.one_side"))
        line = Line(code, self.counterparty_id if cp_text else None,
                    self.counterparty_name if cp_text and self.counterparty_id else cp_text,
                    amounts["debit"], amounts["credit"])
        if any(x.key == line.key for x in self.lines):
            return self.fail("account", t("opening.duplicate", account=code))
        self.lines.append(line)
        self.typed = True
        self._show_lines()
        self.query_one(DataTable).move_cursor(row=len(self.lines) - 1)
        for name in EDITOR:
            self.query_one(f"#{name}", Input).value = ""
        self.counterparty_id, self.counterparty_name = None, ""
        self._show_chosen()
        self.query_one("#account", Input).focus()

    def _no_counterparty_text(self) -> str:
        return t("opening.hint")

    # --- posting --------------------------------------------------------------------

    def action_post(self) -> None:
        if not self.start() or not self.ready:
            return
        try:
            start = self.query_one("#start", DateInput).day
        except InvalidInput as exc:
            return self.fail("start", invalid_text(exc))
        if start.day != 1:
            return self.fail("start", t("opening.start_first"))
        org = self.buhta.org
        if org is None:
            return
        lines = list(self.lines)

        async def call(api: ApiClient) -> cm.OpeningBalances | str:
            out = []
            for line in lines:
                cp_id = line.counterparty_id
                if line.counterparty and cp_id is None:
                    page = await api.counterparties.search(org.id, line.counterparty, None,
                                                           MATCHES)
                    found = resolve(line.counterparty, page.items)
                    if found is None:
                        return line.counterparty
                    cp_id = found.id
                out.append(cm.OpeningLineIn(account=line.account, counterparty_id=cp_id,
                                            debit=line.debit, credit=line.credit))
            data = cm.OpeningBalancesIn(start_date=start, lines=out)
            return await api.closing.set_opening_balances(org.id, data)

        self.call_api(call, done=OpeningPosted, failed=OpeningRefused, exclusive=True)
        self.set_busy(True)

    @on(Button.Pressed, "#submit")
    def _post_pressed(self) -> None:
        self.action_post()

    @on(OpeningPosted)
    def _posted(self, message: OpeningPosted) -> None:
        self.set_busy(False)
        out = message.result
        if isinstance(out, str):
            self.query_one(ErrorLine).show(t("opening.cp_unknown", text=out))
            return
        self.typed = False
        key = "opening.posted" if out.balanced else "opening.posted_unbalanced"
        self.app.notify(t(key, debit=format_amount(out.debit_total),
                          balance=format_amount(out.auxiliary_balance)))
        self.dismiss(out)

    @on(OpeningRefused)
    def _refused(self, message: OpeningRefused) -> None:
        self.set_busy(False)
        self.query_one(ErrorLine).show(describe(message.error))

    def action_back(self) -> None:
        self.dismiss(None)
