"""Provides the payroll dialogs: a bonus or one-off payment, sick leave or vacation, and
which part of the run to pay on which day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from client.i18n import t
from core import contract as m
from core.money import parse_amount
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.dates import day_text, month_title, parse_day
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.money import money

ITEM_KINDS = ("bonus", "one_off")
"""What `+` adds here; sick leave and vacation need dates and averages (not on this screen)."""


# --- bonus / one-off -------------------------------------------------------------------


class ItemDialog(BuhtaModal):
    """A bonus or a one-off payment for one employee, added before the month is computed."""

    CSS_PATH = sheets("payroll")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="payroll_item.cancel")]

    def __init__(self, line: m.PayrollLineOut) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("pscreen.item_title", name=self.line.employee_name),
                         classes="form-title")
            yield FormRow(t("pscreen.item_kind"), Select(
                [(t(f"pscreen.kind.{k}"), k) for k in ITEM_KINDS], value="bonus",
                allow_blank=False, id="kind", compact=True))
            yield FormRow(t("pscreen.item_amount"), Input(id="amount", compact=True,
                                                          placeholder="0,00"))
            yield FormRow(t("pscreen.item_note"), Input(id="note", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("pscreen.item_add"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#amount", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        box = self.query_one("#amount", Input)
        try:
            amount = parse_amount(box.value)
            if amount <= 0:
                raise InvalidInput("pscreen.amount_positive")
            item = m.PayrollItemIn.model_validate({
                "employee_id": self.line.employee_id,
                "kind": self.query_one("#kind", Select).value,
                "amount": amount, "note": self.query_one("#note", Input).value})
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            box.focus()
            return
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        self.dismiss(item)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# --- sick leave / vacation ------------------------------------------------------------


ABSENCE_KINDS = ("sick", "vacation")


def parse_years(text: str) -> Decimal:
    """The insurance record in years: «7», «7,5»; 0–80."""
    try:
        value = Decimal(text.strip().replace(",", ".").replace(" ", ""))
    except ArithmeticError:
        raise InvalidInput("pscreen.absence_years_bad") from None
    if not value.is_finite() or not 0 <= value <= 80:
        raise InvalidInput("pscreen.absence_years_bad")
    return value


class AbsenceDialog(BuhtaModal):
    """Sick leave or vacation of one employee, dated, added before the month is computed.

    What the server needs, said in the dialog: sick leave needs the average daily pay (of the
    2 previous years, typed) and the insurance record; vacation pay may be typed, or its
    average daily pay, or else the server averages the approved runs of the previous 12
    months and refuses (``payroll.no_average``) when there are none."""

    CSS_PATH = sheets("payroll")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="payroll_absence.cancel")]

    def __init__(self, line: m.PayrollLineOut, month: date) -> None:
        super().__init__()
        self.line = line
        self.month = month

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("pscreen.absence_title", name=self.line.employee_name),
                         classes="form-title")
            yield FormRow(t("pscreen.item_kind"), Select(
                [(t(f"pscreen.kind.{k}"), k) for k in ABSENCE_KINDS], value="sick",
                allow_blank=False, id="kind", compact=True))
            yield FormRow(t("pscreen.absence_from"), Input(id="date_from", compact=True,
                                                           placeholder="дд.мм.гггг"))
            yield FormRow(t("pscreen.absence_to"), Input(id="date_to", compact=True,
                                                         placeholder="дд.мм.гггг"))
            yield FormRow(t("pscreen.absence_avg"), Input(id="avg_daily", compact=True,
                                                          placeholder="0,00"))
            yield FormRow(t("pscreen.absence_years"), Input(id="record_years", compact=True))
            yield FormRow(t("pscreen.absence_amount"), Input(id="amount", compact=True,
                                                             placeholder="0,00",
                                                             disabled=True))
            yield Static(t("pscreen.absence_hint_sick"), id="absence-hint", classes="hint")
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("pscreen.absence_add"), id="ok", variant="primary",
                             compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#date_from", Input).focus()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        sick = event.value == "sick"
        self.query_one("#record_years", Input).disabled = not sick
        self.query_one("#amount", Input).disabled = sick
        self.query_one("#absence-hint", Static).update(
            t("pscreen.absence_hint_sick" if sick else "pscreen.absence_hint_vacation"))

    def _read(self, field: str, parse: Any, *, required: str | None = None) -> Any:
        """The value of ``field`` parsed, None when empty (or ``required``'s refusal);
        a refusal carries the field, so the dialog puts the cursor there."""
        box = self.query_one(f"#{field}", Input)
        if not box.value.strip():
            if required:
                raise InvalidInput(required, field=field)
            return None
        try:
            value = parse(box.value)
        except InvalidInput as exc:
            raise InvalidInput(exc.key, **{**exc.params, "field": field}) from None
        if isinstance(value, Decimal) and field != "record_years" and value <= 0:
            raise InvalidInput("pscreen.amount_positive", field=field)
        return value

    def _item(self) -> m.PayrollItemIn:
        kind = str(self.query_one("#kind", Select).value)
        sick = kind == "sick"
        day = lambda text: parse_day(text, self.month)  # noqa: E731
        data: dict[str, Any] = {
            "employee_id": self.line.employee_id, "kind": kind,
            "date_from": self._read("date_from", day, required="validation.required"),
            "date_to": self._read("date_to", day, required="validation.required"),
            "avg_daily": self._read("avg_daily", parse_amount,
                                    required="pscreen.absence_avg_needed" if sick else None),
        }
        if sick:
            data["record_years"] = self._read("record_years", parse_years,
                                              required="pscreen.absence_years_needed")
        else:
            data["amount"] = self._read("amount", parse_amount)
        return m.PayrollItemIn.model_validate(data)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            item = self._item()
        except InvalidInput as exc:
            field = exc.params.get("field")
            self.query_one(ErrorLine).show(invalid_text(exc))
            if isinstance(field, str):
                self.query_one(f"#{field}", Input).focus()
            return
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        self.dismiss(item)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# --- paying ----------------------------------------------------------------------------


class PayDialog(BuhtaModal):
    """Which part to pay (the advance or the final payment) and on which day."""

    CSS_PATH = sheets("payroll")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="payroll_pay.cancel")]

    def __init__(self, run: m.PayrollRunOut) -> None:
        super().__init__()
        self.run = run
        self.part = "advance" if run.advance_paid_on is None else "final"
        self.day_touched = False

    def _default_day(self, part: str) -> date:
        return self.run.advance_date if part == "advance" else self.run.final_date

    def compose(self) -> ComposeResult:
        run = self.run
        parts = [p for p, paid in (("advance", run.advance_paid_on),
                                   ("final", run.final_paid_on)) if paid is None]
        with Vertical(classes="dialog"):
            yield Static(t("pscreen.pay_title", month=month_title(date(run.year, run.month, 1))),
                         classes="form-title")
            yield FormRow(t("pscreen.pay_part"), Select(
                [(self._part_label(p), p) for p in parts], value=self.part,
                allow_blank=False, id="part", compact=True))
            yield FormRow(t("pscreen.pay_day"),
                          Input(day_text(self._default_day(self.part)), id="day",
                                compact=True))
            yield Static(t("pscreen.pay_hint"), classes="hint")
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("pscreen.pay"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def _part_label(self, part: str) -> str:
        amount = self.run.totals.advance if part == "advance" else self.run.totals.final_payment
        return f"{t(f'pscreen.part.{part}')} — {money(amount)}"

    def on_mount(self) -> None:
        box = self.query_one("#day", Input)
        box.focus()
        box.select_all()

    @on(Select.Changed, "#part")
    def _part_changed(self, event: Select.Changed) -> None:
        self.part = str(event.value)
        if not self.day_touched:
            box = self.query_one("#day", Input)
            box.value = day_text(self._default_day(self.part))
            self.day_touched = False

    @on(Input.Changed, "#day")
    def _typed(self, event: Input.Changed) -> None:
        self.day_touched = event.value != day_text(self._default_day(self.part))

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            # A bare «20» or «20.02» is read in the month of the default pay day.
            day = parse_day(self.query_one("#day", Input).value,
                            self._default_day(self.part))
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        self.dismiss((self.part, day))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
