"""Provides the manual entry form: date, description, Дт/Кт/amount/counterparty lines.

Accounts complete from the chart (by code or words of the name), counterparties
from the server as one types; F2 posts when every line is whole.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, Footer, Header, Input, Static
from textual.worker import Worker

from client.i18n import t
from core import contract as m
from core.money import format_amount, parse_money
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.accounts import AccountSuggester, CompletingInput, account_code
from tui.widgets.dates import DateInput, weekday_name
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.limits import max_length
from tui.widgets.money import MoneyInput
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

SEARCH_DELAY_S = 0.25
"""Typing a counterparty restarts its search; only a pause this long reaches the server."""


class AccountsLoaded(Done[list[m.LedgerAccountOut]]):
    """The chart of accounts, for the completion."""


@dataclass(eq=False)
class CounterpartiesFound(Done[m.CounterpartyPage]):
    """Counterparties matching what was typed on line ``n``."""

    n: int
    typed: str


class EntryPosted(Done[m.EntryOut]):
    """The entry was posted."""


class PostingRow(Vertical):
    """Дт, Кт, amount, counterparty: one line of an entry, and what is wrong with it."""

    def __init__(self, n: int, suggester: Suggester | None) -> None:
        super().__init__(id=f"posting-{n}", classes="posting")
        self.n = n
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        n = self.n
        with Horizontal(classes="posting-fields"):
            yield CompletingInput(id=f"debit-{n}", placeholder=t("ledger.debit"), compact=True,
                                  suggester=self.suggester, classes="account")
            yield CompletingInput(id=f"credit-{n}", placeholder=t("ledger.credit"),
                                  compact=True, suggester=self.suggester, classes="account")
            yield MoneyInput(id=f"amount-{n}", placeholder="0,00", compact=True, classes="amount")
            yield CompletingInput(id=f"cp-{n}", placeholder=t("ledger.cp_placeholder"),
                                  compact=True, classes="cp")
        yield Static("", id=f"line-hint-{n}", classes="line-hint")


def cp_label(cp: m.CounterpartyOut, same_name: bool) -> str:
    return f"{cp.name} ({cp.inn})" if same_name and cp.inn else cp.name


class EntryFormScreen(FormScreen):
    """A manual operation: date, description, Дт/Кт/amount/counterparty lines; F2 posts."""

    CSS_PATH = sheets("ledger")
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="entry.back"),
        Binding("f2", "post", "ledger.post", id="entry.post"),
        Binding("f3", "add_line", "ledger.add_line", id="entry.add_line"),
    ]

    def __init__(self, default_day: date | None = None) -> None:
        super().__init__()
        self.default_day = default_day or date.today()
        self.lines = 0
        self.suggester: AccountSuggester | None = None
        self.names: dict[str, str] = {}
        self.ready = False
        self.ok = False
        self.posting: Worker[Any] | None = None
        self.cp_known: dict[str, m.CounterpartyOut] = {}
        """Counterparties met in searches, by the text that picks them (label or ИНН)."""
        self.cp_chosen: dict[int, m.CounterpartyOut | None] = {}
        self.cp_missing: dict[int, str] = {}
        """Per line: the text a finished search found nothing for."""
        self.cp_offered: dict[int, tuple[str, str]] = {}
        """Per line: the text searched for and the label suggested for it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-form"):
            yield Static(t("ledger.new_title"), classes="form-title")
            yield FormRow(t("ledger.date"),
                          DateInput(self.default_day, id="day", compact=True, book=True),
                          Static("", id="day-parsed"))
            yield FormRow(t("ledger.description"), Input(
                id="description", compact=True, max_length=max_length(m.EntryIn, "description")))
            yield Static(self._heading(), classes="hint", id="postings-heading")
            yield Vertical(id="postings")
            yield Static("", id="total")
            yield Static("", id="accounts-hint", classes="hint")
            yield from self.form_end(
                Button(t("ledger.post"), id="submit", variant="primary", compact=True),
                Button(t("ledger.add_line"), id="add-line", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    @staticmethod
    def _heading() -> str:
        # Aligned with the posting fields (styles/ledger.tcss: 14, 14, 16, the rest).
        return (f"{t('ledger.debit'):<15}{t('ledger.credit'):<15}{t('ledger.amount'):<17}"
                f"{t('ledger.counterparty')}")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_day(self.query_one("#day", Input).value)
        org = self.buhta.org
        if org is not None:
            self.call_api(lambda api: api.ledger.accounts(org.id),
                          done=AccountsLoaded, exclusive=True)

    def set_busy(self, busy: bool) -> None:
        # Only a post in flight dims the form: searches and loading run alongside.
        super().set_busy(self.posting is not None and not self.posting.is_finished)

    @on(AccountsLoaded)
    async def _accounts_loaded(self, message: AccountsLoaded) -> None:
        accounts = message.result
        self.names = {a.code: a.name for a in accounts}
        self.suggester = AccountSuggester(accounts)
        await self.action_add_line()
        self.ready = True
        self._refresh_total()

    async def action_add_line(self) -> None:
        self.lines += 1
        await self.query_one("#postings").mount(PostingRow(self.lines - 1, self.suggester))

    @on(Button.Pressed, "#add-line")
    async def _add_pressed(self) -> None:
        await self.action_add_line()

    # --- checking -----------------------------------------------------------------

    def _collect(self) -> tuple[dict[str, Any], list[str]]:
        """The form as an EntryIn dict, and the problems found on the way."""
        problems: list[str] = []
        postings = []
        for row in self.query(PostingRow):
            n = row.n
            boxes = {box.id: box.value for box in row.query(Input)}
            debit = account_code(boxes.get(f"debit-{n}", ""))
            credit = account_code(boxes.get(f"credit-{n}", ""))
            raw = boxes.get(f"amount-{n}", "")
            cp_text = boxes.get(f"cp-{n}", "").strip()
            if not (debit or credit or raw.strip() or cp_text):
                continue
            try:
                amount = parse_money(raw)
                if amount <= 0:
                    problems.append(f"amount-{n}:{t('ledger.amount_positive')}")
            except InvalidInput as exc:
                problems.append(f"amount-{n}:{invalid_text(exc)}")
                amount = Decimal(0)
            for field, code in (("debit", debit), ("credit", credit)):
                if code not in self.names:
                    problems.append(f"{field}-{n}:{t('ledger.no_account', code=code or '—')}")
            chosen = self.cp_chosen.get(n)
            if cp_text and chosen is None:
                problems.append(f"cp-{n}:{t('ledger.cp_not_chosen')}")
            posting: dict[str, Any] = {"debit": debit, "credit": credit, "amount": str(amount)}
            if chosen is not None:
                posting["counterparty_id"] = chosen.id
            postings.append(posting)
        return {"description": self.query_one("#description", Input).value,
                "postings": postings}, problems

    def _refresh_total(self) -> None:
        data, problems = self._collect()
        total = sum((Decimal(p["amount"]) for p in data["postings"]), Decimal(0))
        self.query_one("#total", Static).update(
            f"{t('ledger.total')}: {format_amount(total)}")
        self.ok = bool(data["postings"]) and not problems
        self.refresh_bindings()
        if self.is_mounted:
            self.query_one("#submit", Button).disabled = not self.ok or self.busy

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "post":
            return True if self.ok else None  # dimmed until the entry can be posted
        return True

    def _show_day(self, text: str) -> None:
        try:
            day = self.query_one("#day", DateInput).day
            shown = t("ledger.day_is", weekday=weekday_name(day), date=day.strftime("%d.%m.%Y"))
            self.query_one("#day-parsed", Static).set_class(False, "-error")
        except InvalidInput as exc:
            shown = f"✗ {invalid_text(exc)}"
            self.query_one("#day-parsed", Static).set_class(True, "-error")
        self.query_one("#day-parsed", Static).update(shown)

    def _line_hint(self, n: int) -> None:
        """Under a posting line: a refused amount, else the counterparty's state."""
        try:
            hint = self.query_one(f"#line-hint-{n}", Static)
            amount = self.query_one(f"#amount-{n}", MoneyInput)
            cp_box = self.query_one(f"#cp-{n}", CompletingInput)
        except Exception:
            return  # the line is not mounted yet
        error = amount.problem
        text = ""
        if error is None:
            chosen = self.cp_chosen.get(n)
            typed = cp_box.value.strip()
            if chosen is not None:
                inn = f" · {t('counterparties.inn')} {chosen.inn}" if chosen.inn else ""
                text = f"✓ {chosen.name}{inn}"
            elif typed and self.cp_missing.get(n) == typed:
                error = t("ledger.cp_none", text=typed)
            elif typed and self.cp_offered.get(n, ("", ""))[0] == typed:
                text = t("ledger.cp_offer", name=self.cp_offered[n][1])
        hint.update(f"✗ {error}" if error else text)
        hint.set_class(bool(error), "-error")
        hint.set_class(bool(error or text), "-shown")

    def _account_hint(self, value: str) -> None:
        """The account's name under the lines (the fields are narrow), or what → takes."""
        code = account_code(value)
        name = self.names.get(code)
        label = self.suggester.match(value) if self.suggester and not name else None
        if name:
            text = f"{code}: {name}"
        elif label:
            text = t("ledger.account_offer", label=label)
        else:
            text = t("ledger.no_account", code=value.strip()) if value.strip() else ""
        self.query_one("#accounts-hint", Static).update(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field, _, number = (event.input.id or "").rpartition("-")
        if event.input.id == "day":
            self._show_day(event.value)
        elif field in ("debit", "credit"):
            self._account_hint(event.value)
        elif field == "cp":
            self._cp_changed(int(number), event.value)
        if field in ("amount", "cp"):
            self._line_hint(int(number))
        if self.ready:
            self._refresh_total()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Leaving a field that is not yet an account or a counterparty takes the suggestion
        (Tab accepts, as → does)."""
        box = event.input
        field = (box.id or "").rpartition("-")[0]
        if not isinstance(box, CompletingInput):
            return
        if field in ("debit", "credit") and account_code(box.value) not in self.names:
            box.take_suggestion()
        elif field == "cp" and box.value.strip() and box.offered:
            n = int((box.id or "").rpartition("-")[2])
            if self.cp_chosen.get(n) is None:
                box.take_suggestion()

    # --- counterparties -----------------------------------------------------------

    def _cp_changed(self, n: int, value: str) -> None:
        typed = value.strip()
        self.cp_chosen[n] = self.cp_known.get(typed)
        if typed and self.cp_chosen[n] is None:
            self._search_cp(n, typed)

    def _search_cp(self, n: int, typed: str) -> None:
        org = self.buhta.org
        if org is None:
            return

        async def call(api: ApiClient) -> m.CounterpartyPage:
            await asyncio.sleep(SEARCH_DELAY_S)
            return await api.counterparties.search(org.id, q=typed, limit=10)

        self.call_api(call, done=lambda page: CounterpartiesFound(page, n=n, typed=typed),
                      group="cp_search", exclusive=True)

    @on(CounterpartiesFound)
    def _counterparties_found(self, message: CounterpartiesFound) -> None:
        n, typed, page = message.n, message.typed, message.result
        names = [cp.name for cp in page.items]
        labels = []
        for cp in page.items:
            label = cp_label(cp, names.count(cp.name) > 1)
            labels.append(label)
            self.cp_known[label] = cp
            if cp.inn:
                self.cp_known.setdefault(cp.inn, cp)
        try:
            box = self.query_one(f"#cp-{n}", CompletingInput)
        except Exception:
            return
        if box.value.strip() != typed:
            return  # typed over since
        self.cp_missing.pop(n, None)
        exact = self.cp_known.get(typed)
        if exact is not None:
            self.cp_chosen[n] = exact
        elif labels:
            box.offer(labels[0])
            self.cp_offered[n] = (typed, labels[0])
        else:
            self.cp_missing[n] = typed
        self._line_hint(n)
        if self.ready:
            self._refresh_total()

    # --- posting ------------------------------------------------------------------

    def action_post(self) -> None:
        if not self.start():
            return
        try:
            day = self.query_one("#day", DateInput).day
        except InvalidInput as exc:
            return self.fail("day", invalid_text(exc))
        data, problems = self._collect()
        if problems:
            field, _, text = problems[0].partition(":")
            return self.fail(field, text)
        try:
            entry = m.EntryIn.model_validate({**data, "date": day})
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        org = self.buhta.org
        if org is not None:
            self.posting = self.call_api(lambda api: api.ledger.post_entry(org.id, entry),
                                         done=EntryPosted)
            self.set_busy(True)

    @on(Button.Pressed, "#submit")
    def _post_pressed(self) -> None:
        self.action_post()

    @on(EntryPosted)
    def _posted(self, message: EntryPosted) -> None:
        entry = message.result
        self.app.notify(t("ledger.posted", number=entry.number,
                          amount=format_amount(entry.total)))
        self.dismiss(entry)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

