"""Provides the form of a new payment order: to a supplier, the ЕНП, a salary, other."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, OptionList, Static

from client.i18n import t
from core import contract as m
from core.money import MONEY_MAX, amount_in_words, format_amount, parse_amount
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.styles import sheets
from tui.widgets.counterparties import CounterpartyForm, LookupInput
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.money import MoneyInput, amount_problem
from tui.workers import Done, Failed

KINDS: tuple[str, ...] = ("supplier", "tax", "salary", "other")
ENP_KBK = "18201061201010000510"
"""The ЕНП КБК the form starts with (the server fills the same when it is left empty)."""
ENP_STATUS = {"ooo": "01", "ip": "13"}
"""Field 101 for the ЕНП: 01 for an ООО, 13 for an ИП (UNCONFIRMED, see the server)."""
TAX_ROWS = ("kbk", "oktmo", "status")


def amount_hint(raw: str) -> tuple[str, str | None]:
    """The typed amount in words, or why it can never be paid: ``("", reason)``.

    ``-500`` → «Сумма — число больше нуля»; ``1000000000000000`` → «…не больше
    999 999 999 999,99 ₽»; ``12 35`` (on its way to ``12 354``) → ``("", None)``.
    """
    text = raw.strip()
    if not text:
        return "", None
    try:
        amount = parse_amount(text)
    except InvalidInput:
        return "", amount_problem(text)
    if amount < 0:
        return "", t("pay.bad_amount")
    if amount > MONEY_MAX:
        return "", t("pay.amount_too_large", max=format_amount(MONEY_MAX))
    try:
        return amount_in_words(amount), None
    except ValueError:  # nothing above should reach here; never let a hint crash
        return "", t("pay.bad_amount")


class OrderSaved(Done[m.PaymentOrderOut]):
    """The order was created."""


class SaveRefused(Failed):
    """The server refused the order."""


class PaymentFormScreen(CounterpartyForm):
    """A new payment order: F3 changes the kind, F2 saves."""

    CSS_PATH = sheets("payments")
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "pay.key.back", id="payform.back"),
        Binding("f2", "save", "pay.key.save", id="payform.save"),
        Binding("f3", "kind", "pay.field.kind", id="payform.kind"),
        Binding("f8", "app.mailbox", "app.mailbox", id="payform.mailbox", show=False),
    ]

    def __init__(self, *, default_day: date | None = None, kind: str = "supplier") -> None:
        super().__init__()
        self.kind = kind
        self.default_day = default_day or date.today()
        self.counterparty_id: str | None = None
        self.counterparty_name = ""
        self.matches: list[m.CounterpartyOut] = []
        self.match_gen = 0

    def compose(self) -> ComposeResult:
        org = self.buhta.org
        status = ENP_STATUS.get(org.kind if org else "ooo", "01")
        yield Header()
        with VerticalScroll(id="pay-form"):
            yield Static(t("pay.new"), classes="form-title")
            yield Static("", id="kind")
            yield FormRow(t("pay.field.date"),
                          DateInput(self.default_day, id="day", compact=True))
            yield FormRow(t("pay.field.counterparty"),
                          LookupInput("", id="counterparty", compact=True))
            matches = OptionList(id="cp-matches", compact=True)
            matches.can_focus = False
            matches.display = False
            yield matches
            yield Static("", id="cp-chosen", classes="hint")
            yield FormRow(t("pay.field.amount"), MoneyInput(id="amount", compact=True))
            yield Static("", id="words", classes="hint")
            yield FormRow(t("pay.field.purpose"),
                          Input("", id="purpose", compact=True, max_length=210))
            yield FormRow(t("pay.field.priority"), Input("5", id="priority", compact=True,
                                                         max_length=1))
            yield FormRow(t("pay.field.kbk"), Input(ENP_KBK, id="kbk", compact=True,
                                                    max_length=20), id="row-kbk")
            yield FormRow(t("pay.field.oktmo"), Input("", id="oktmo", compact=True,
                                                      max_length=11), id="row-oktmo")
            yield FormRow(t("pay.field.status"), Input(status, id="status", compact=True,
                                                       max_length=2), id="row-status")
            yield from self.form_end(Button(t("pay.key.save"), id="submit", variant="primary"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_kind()

    def _show_kind(self) -> None:
        self.query_one("#kind", Static).update(
            f"{t('pay.field.kind')}: {t(f'pay.kind.{self.kind}')}  (F3)")
        tax = self.kind == "tax"
        for name in TAX_ROWS:
            self.query_one(f"#row-{name}").display = tax
        self._show_chosen()

    def action_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self._show_kind()

    # --- counterparty autocomplete (CounterpartyForm) ------------------------------

    def _chosen(self, cp: m.CounterpartyOut) -> None:
        self.query_one("#amount", Input).focus()

    def _no_counterparty_text(self) -> str:
        return t("pay.enp_hint") if self.kind == "tax" else ""

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on; in the payee box it takes the match shown."""
        if event.input.id == "counterparty":
            options = self.query_one("#cp-matches", OptionList)
            if self.matches and options.display:
                self._choose(self.matches[options.highlighted or 0])
                return
        self.focus_next()

    @on(Input.Changed, "#amount")
    def _amount_typed(self, event: Input.Changed) -> None:
        # Why it cannot be paid goes on the line under the field (the form's error line
        # is below the fold at 80x24), where the amount in words would be.
        words, problem = amount_hint(event.value)
        hint = self.query_one("#words", Static)
        hint.update(words if problem is None else f"✗ {problem}")
        hint.set_class(problem is not None, "-error")
        event.input.set_class(problem is not None, "-invalid")
        event.input.set_class(problem is None, "-valid")
        if problem is None and event.input.has_focus:  # fixed: F2's old refusal goes
            self.query_one(ErrorLine).clear()

    # --- saving -------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _collect(self) -> tuple[dict[str, Any], tuple[str, str] | None]:
        data: dict[str, Any] = {"kind": self.kind}
        try:
            data["date"] = self.query_one("#day", DateInput).day
        except InvalidInput:
            return data, ("day", t("pay.bad_date"))
        if self.counterparty_id is None and self.kind != "tax":
            return data, ("counterparty", t("pay.need_counterparty"))
        data["counterparty_id"] = self.counterparty_id
        try:
            amount = parse_amount(self._value("amount"))
        except InvalidInput:
            return data, ("amount", t("pay.bad_amount"))
        if amount <= 0:
            return data, ("amount", t("pay.bad_amount"))
        if amount > MONEY_MAX:
            return data, ("amount", t("pay.amount_too_large", max=format_amount(MONEY_MAX)))
        data["amount"] = amount
        if not self._value("purpose"):
            return data, ("purpose", t("pay.need_purpose"))
        data["purpose"] = self._value("purpose")
        priority = self._value("priority") or "5"
        if priority not in ("1", "2", "3", "4", "5"):
            return data, ("priority", t("pay.bad_priority"))
        data["priority"] = int(priority)
        if self.kind == "tax":
            data["kbk"] = self._value("kbk") or None
            data["oktmo"] = self._value("oktmo") or None
            data["payer_status"] = self._value("status") or None
        return data, None

    def action_save(self) -> None:
        if not self.start():
            return
        data, problem = self._collect()
        if problem:
            self.fail(*problem)
            return
        try:
            body = m.PaymentOrderIn.model_validate(data)
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.call_api(lambda api: api.payments.create(org_id, body), done=OrderSaved,
                      failed=SaveRefused)

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(OrderSaved)
    def _saved(self, message: OrderSaved) -> None:
        order = message.result
        self.app.notify(t("pay.created", number=order.number))
        self.dismiss(order)

    @on(SaveRefused)
    def _save_refused(self, message: SaveRefused) -> None:
        error = message.error
        field = {"pay.kbk": "kbk", "pay.oktmo": "oktmo", "pay.payer_status": "status",
                 "pay.amount": "amount", "pay.payee_missing": "counterparty",
                 "pay.payee_invalid": "counterparty"}.get(error.code)
        if field and not (field in ("kbk", "oktmo", "status") and self.kind != "tax"):
            self.fail(field, error.detail)
        else:
            self.show_refusal(error)

    def action_back(self) -> None:
        self.dismiss(None)
