"""Provides EmployeeFormScreen: a new employee or the card of one.

The card checks what it can as the user types (ИНН and СНИЛС check digits, the БИК and
the account's control key, dates, the salary) and leaves the rest to the server, whose
refusals land on the field they are about.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Header, Input, Select, Static

from client.i18n import t
from core import contract as m
from core import identifiers as ids
from core.money import parse_amount
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.footer import KeyFooter
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.dates import day_text, parse_day
from tui.widgets.form import ErrorLine, FormRow, InfoLine, TickBox
from tui.workers import Done, Failed

COST_ACCOUNTS = ("20", "26", "44")
PAY_METHODS = ("card", "cash")
BANK_FIELDS = ("bank_bik", "bank_account", "bank_corr_account", "bank_name")
TEXT_FIELDS = ("full_name", "position", "department", "hired_on", "dismissed_on", "salary",
               "inn", "snils", "birth_date", "citizenship", "children", "disabled_children",
               *BANK_FIELDS)
SEXES = {"М": "pscreen.emp.sex_m", "Ж": "pscreen.emp.sex_f"}
MAX_CHILDREN = 20


class EmployeeSaved(Done[m.EmployeeOut]):
    """The card saved (a new employee or a change)."""


class EmployeeRefused(Failed):
    """The server refused the card."""


def parse_children(count_text: str, disabled_text: str) -> list[dict[str, Any]]:
    """«2» children and «2» disabled → ``[{order 1}, {order 2, disabled}]``.

    The disabled ones are listed by their order: ``2`` or ``1, 3``. Raises InvalidInput
    naming the field (``children`` or ``disabled_children``).
    """
    count_raw = count_text.strip() or "0"
    if not count_raw.isdigit() or int(count_raw) > MAX_CHILDREN:
        raise InvalidInput("pscreen.emp.children_count", field="children", max=MAX_CHILDREN)
    count = int(count_raw)
    disabled: set[int] = set()
    for part in disabled_text.replace(",", " ").replace(";", " ").split():
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise InvalidInput("pscreen.emp.disabled_bad", field="disabled_children",
                               count=count)
        disabled.add(int(part))
    return [{"order": n, "disabled": n in disabled} for n in range(1, count + 1)]


def children_text(children: list[m.ChildIn]) -> str:
    """What the children line says: «2: 1-й, 2-й (инвалид)»."""
    if not children:
        return t("pscreen.emp.no_children")
    parts = [f"{c.order}-{t('pscreen.emp.th')}" + (f" ({t('pscreen.emp.disabled')})"
                                                   if c.disabled else "")
             for c in sorted(children, key=lambda c: c.order)]
    return ", ".join(parts)


class EmployeeFormScreen(FormScreen):
    """A new employee or the card of one; F2 saves."""

    CSS_PATH = sheets("payroll")
    FIRST_FIELD = "#full_name"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="employee.back"),
        Binding("f2", "save", "pscreen.emp.save", id="employee.save"),
        # Codes arrive in the identity forms; here F8 still works but keeps off the Footer.
        Binding("f8", "app.mailbox", "app.mailbox", id="employee.mailbox", show=False),
    ]

    def __init__(self, employee: m.EmployeeOut | None = None) -> None:
        super().__init__()
        self.employee = employee

    def compose(self) -> ComposeResult:
        e = self.employee
        yield Header()
        with VerticalScroll(id="employee-form"):
            yield Static(t("pscreen.emp.card_title" if e else "pscreen.emp.new_title"),
                         classes="form-title")
            yield self._row("full_name", e.full_name if e else "")
            yield self._row("position", e.position if e else "")
            yield self._row("department", (e.department or "") if e else "")
            yield FormRow(t("pscreen.emp.cost_account"), Select(
                [(f"{code} {t(f'pscreen.emp.account_{code}')}", code)
                 for code in COST_ACCOUNTS],
                value=e.cost_account if e else "26", allow_blank=False, id="cost_account",
                compact=True))
            yield self._row("hired_on", day_text(e.hired_on) if e else "",
                            placeholder="01.02.2026")
            yield self._row("dismissed_on", day_text(e.dismissed_on) if e else "")
            yield self._row("salary", f"{e.salary:.2f}".replace(".", ",") if e else "",
                            placeholder="0,00")
            yield self._row("inn", (e.inn or "") if e else "")
            yield self._row("snils", ids.format_snils(e.snils) if e and e.snils else "",
                            placeholder="112-233-445 95")
            # РСВ section 3: birth date, sex, citizenship (ОКСМ, 643 Россия).
            yield self._row("birth_date", day_text(e.birth_date) if e and e.birth_date
                            else "", placeholder="17.05.1990")
            yield FormRow(t("pscreen.emp.sex"), Select(
                [(t(key), code) for code, key in SEXES.items()],
                value=e.sex if e and e.sex else Select.NULL, allow_blank=True,
                prompt="—", id="sex", compact=True))
            yield self._row("citizenship", (e.citizenship or "") if e else "643",
                            placeholder="643")
            yield TickBox(t("pscreen.emp.resident"), e.resident if e else True, id="resident",
                          compact=True)
            yield self._row("children", str(len(e.children)) if e else "0")
            yield self._row("disabled_children",
                            " ".join(str(c.order) for c in e.children if c.disabled)
                            if e else "", placeholder=t("pscreen.emp.disabled_hint"))
            yield Static("", id="children-line", classes="hint")
            yield TickBox(t("pscreen.emp.is_director"), e.is_director if e else False,
                          id="is_director", compact=True)
            yield FormRow(t("pscreen.emp.pay_method"), Select(
                [(t(f"pscreen.emp.pay_{p}"), p) for p in PAY_METHODS],
                value=e.pay_method if e else "card", allow_blank=False, id="pay_method",
                compact=True))
            for field in BANK_FIELDS:
                yield self._row(field, (getattr(e, field) or "") if e else "")
            yield from self.form_end(
                Button(t("pscreen.emp.save"), id="submit", variant="primary", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield KeyFooter()

    @staticmethod
    def _row(field: str, value: str, *, placeholder: str = "") -> FormRow:
        return FormRow(t(f"pscreen.emp.{field}"),
                       Input(value, id=field, compact=True, placeholder=placeholder))

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = t("pscreen.emp.title")
        self._method_changed(str(self.query_one("#pay_method", Select).value))
        self._show_children()

    # --- live checks ----------------------------------------------------------------

    @on(Select.Changed, "#pay_method")
    def _method_select(self, event: Select.Changed) -> None:
        self._method_changed(str(event.value))

    def _method_changed(self, method: str) -> None:
        for field in BANK_FIELDS:
            self.query_one(f"#{field}", Input).disabled = method != "card"

    @on(Input.Submitted)
    def _next_field(self) -> None:
        """Enter moves on, like Tab (F2 saves)."""
        self.focus_next()

    @on(Input.Changed)
    def _live_check(self, event: Input.Changed) -> None:
        box = event.input
        if box.id in ("children", "disabled_children"):
            self._show_children()
        problem = self._check(box)
        box.set_class(problem is not None, "-invalid")
        if problem is not None:
            self.query_one(InfoLine).show("")
            self.query_one(ErrorLine).show(problem)
        elif box.has_focus:
            self.query_one(ErrorLine).clear()

    @on(Input.Blurred, "#snils")
    def _snils_left(self, event: Input.Blurred) -> None:
        try:
            event.input.value = ids.format_snils(ids.check_snils(event.input.value))
        except InvalidInput:
            pass  # the live check already said why

    def _show_children(self) -> None:
        try:
            children = parse_children(self.query_one("#children", Input).value,
                                      self.query_one("#disabled_children", Input).value)
            text = children_text([m.ChildIn.model_validate(c) for c in children])
        except InvalidInput as exc:
            text = f"✗ {invalid_text(exc)}"
        self.query_one("#children-line", Static).update(text)

    def _check(self, box: Input) -> str | None:
        """Why the field, as typed so far, can never be right (None while it may be)."""
        value = box.value.strip()
        field = box.id or ""
        digits = "".join(ch for ch in value if ch.isdigit())
        try:
            if field == "inn" and len(value) >= 12:
                ids.check_inn(value, "person")
            elif field == "snils" and len(digits) >= 11:
                ids.check_snils(value)
            elif field == "bank_bik" and len(value) >= 9:
                ids.check_bik(value)
            elif field in ("bank_account", "bank_corr_account") and len(value) >= 20:
                bik = self.query_one("#bank_bik", Input).value
                check = ids.check_account if field == "bank_account" \
                    else ids.check_corr_account
                check(value, bik)
            elif field == "citizenship" and len(value) >= 3 and not (
                    len(value) == 3 and value.isdigit()):
                raise InvalidInput("payroll.citizenship", field=field)
            elif field in ("hired_on", "dismissed_on", "birth_date") and value \
                    and len(value) >= 8:
                parse_day(value)
            elif field == "salary" and value:
                parse_amount(value)
            elif field in ("children", "disabled_children"):
                parse_children(self.query_one("#children", Input).value,
                               self.query_one("#disabled_children", Input).value)
        except InvalidInput as exc:
            return invalid_text(exc)
        return None

    # --- saving ---------------------------------------------------------------------

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _collect(self) -> dict[str, Any]:
        """The card as an EmployeeIn dict; InvalidInput (with ``field``) when refused."""
        data: dict[str, Any] = {f: self._value(f) for f in ("full_name", "position",
                                                               "department", "inn", "snils",
                                                               "citizenship", *BANK_FIELDS)}
        for field in ("full_name", "position"):
            if not data[field].strip():
                raise InvalidInput("validation.required", field=field)
        for field in ("hired_on", "dismissed_on", "birth_date"):
            text = self._value(field).strip()
            if field == "hired_on" and not text:
                raise InvalidInput("validation.required", field=field)
            try:
                data[field] = parse_day(text) if text else None
            except InvalidInput as exc:
                raise InvalidInput(exc.key, **{**exc.params, "field": field}) from None
        try:
            data["salary"] = parse_amount(self._value("salary"))
        except InvalidInput as exc:
            raise InvalidInput(exc.key, **{**exc.params, "field": "salary"}) from None
        data["children"] = parse_children(self._value("children"),
                                          self._value("disabled_children"))
        data["cost_account"] = self.query_one("#cost_account", Select).value
        data["pay_method"] = self.query_one("#pay_method", Select).value
        sex = self.query_one("#sex", Select).value
        data["sex"] = sex if sex in SEXES else None
        data["resident"] = self.query_one("#resident", TickBox).value
        data["is_director"] = self.query_one("#is_director", TickBox).value
        return data

    def action_save(self) -> None:
        if not self.start():
            return
        try:
            body = m.EmployeeIn.model_validate(self._collect())
        except InvalidInput as exc:
            self._refuse(str(exc.params.get("field", "")), invalid_text(exc))
            return
        except ValidationError as exc:
            loc, text = field_of(exc)
            self._refuse(loc[-1] if loc else "", text)
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        if self.employee is None:
            self.call_api(lambda api: api.payroll.create_employee(org_id, body),
                          done=EmployeeSaved, failed=EmployeeRefused)
        else:
            employee_id = self.employee.id
            self.call_api(lambda api: api.payroll.update_employee(org_id, employee_id, body),
                          done=EmployeeSaved, failed=EmployeeRefused)

    def _refuse(self, field: str, text: str) -> None:
        if field in TEXT_FIELDS:
            label = t(f"pscreen.emp.{field}")
            self.fail(field, f"{label}: {text}")
        else:
            self.query_one(InfoLine).show("")
            self.query_one(ErrorLine).show(text)

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(EmployeeSaved)
    def _employee_saved(self, message: EmployeeSaved) -> None:
        employee = message.result
        self.app.notify(t("pscreen.emp.saved", name=employee.full_name))
        self.dismiss(employee)

    @on(EmployeeRefused)
    def _employee_refused(self, message: EmployeeRefused) -> None:
        error = message.error
        if not error.errors:
            self.show_refusal(error)
            return
        first = error.errors[0]
        field = first.get("field", "").split(".")
        name = next((p for p in reversed(field) if p in TEXT_FIELDS), "")
        self._refuse(name, first.get("message") or error.detail)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
