"""Provides the payroll mode: the month's run (PayrollScreen), the bonus and pay dialogs,
the payslip and the quarter's 6-НДФЛ / РСВ figures.

The client does no payroll maths: every figure (accrual, НДФЛ, contributions, net pay,
pay days) comes from the server's run; the screens show it and send what the user
decided (compute, approve, pay). The employee list and card live in
screens/payroll_employees.py.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from client.errors import ApiError
from client.export import Cell, default_export_dir, safe_file_name, write_table
from client.i18n import t
from core import contract as m
from core.money import parse_amount
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.screen import BuhtaModal, BuhtaScreen
from tui.shell import ModeTabs, ShellScreen
from tui.widgets.dates import day_text, month_title, parse_day, step_month
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.money import money

if TYPE_CHECKING:
    from client.api import ApiClient

# Run columns at 80x24: the table spans 79 columns (a 1-column scrollbar), each of the 5
# columns pads 1 on each side (10): 79 − 10 = 69 = 18 + 13 + 12 + 13 + 13.
COLUMN_WIDTHS = {"name": 18, "accrued": 13, "ndfl": 12, "contrib": 13, "net": 13}
TOTAL_KEY = "total"
ITEM_KINDS = ("bonus", "one_off")
"""What `+` adds here; sick leave and vacation need dates and averages (not on this screen)."""


def bare(amount: Decimal) -> str:
    """An amount without the currency sign, for narrow columns headed «руб.»."""
    text = money(amount)
    for sign in ("\u00a0₽", "\u00a0RUB"):
        text = text.removesuffix(sign)
    return text


def short_name(full_name: str) -> str:
    """«Иванов Иван Иванович» → «Иванов И. И.» (the table's narrow name column)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return f"{parts[0]} " + " ".join(f"{p[0]}." for p in parts[1:])


def state_text(run: m.PayrollRunOut) -> str:
    """«черновик», «утверждена», «утверждена, аванс выплачен», «выплачена»."""
    if run.state == "approved" and run.advance_paid_on is not None:
        return t("pscreen.state.advance_paid")
    return t(f"pscreen.state.{run.state}")


def contributions(line: m.PayrollLineOut | m.PayrollTotals) -> Decimal:
    """The employer's contributions shown in one column: the ЕНП part and the injury one."""
    return line.contrib_main + line.contrib_injury


def item_in(item: m.PayrollItemOut) -> m.PayrollItemIn:
    """A stored item sent back with a recompute (the draft is replaced as a whole)."""
    data: dict[str, Any] = {"employee_id": item.employee_id, "kind": item.kind,
                            "note": item.note}
    if item.kind in ("bonus", "one_off"):
        data["amount"] = item.amount
    else:
        data.update(date_from=item.date_from, date_to=item.date_to)
        if item.kind == "sick":
            data.update(avg_daily=item.avg_daily, record_years=item.record_years)
        elif item.avg_daily is not None:
            data["avg_daily"] = item.avg_daily
        else:
            data["amount"] = item.amount
    return m.PayrollItemIn.model_validate(data)


def quarter_of(month: date) -> int:
    return (month.month - 1) // 3 + 1


def export_dir() -> Path:
    return default_export_dir()


async def save_pdf(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` off the event loop; a failure is an ApiError the
    screen's error line shows (``pscreen.save_failed``)."""

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise ApiError(0, "pscreen.save_failed", t(
            "pscreen.save_failed", path=str(path), error=exc.strerror or exc)) from exc
    return path


def pay_part(run: m.PayrollRunOut) -> str:
    """The run's last payment: the final one once paid, else the advance."""
    return "final" if run.final_paid_on is not None else "advance"


def docs_needed(run: m.PayrollRunOut, part: str) -> list[str]:
    """``t53`` when someone is paid in cash in ``part``, ``register`` when by card (the
    amounts are the server's per-line ``advance`` / ``final_payment``)."""
    out = []
    for method, kind in (("cash", "t53"), ("card", "register")):
        if any((x.advance if part == "advance" else x.final_payment) > 0
               for x in run.lines if x.pay_method == method):
            out.append(kind)
    return out


def docs_file(run: m.PayrollRunOut, part: str, kind: str) -> str:
    """«Ведомость_Т-53_2026-01_окончательный_расчёт.pdf», «Реестр_зарплаты_2026-01_аванс.pdf»."""
    title = t("pscreen.t53_file" if kind == "t53" else "pscreen.register_file")
    return safe_file_name(f"{title} {run.year:04d}-{run.month:02d} "
                          f"{t(f'pscreen.part.{part}')}") + ".pdf"


# --- the month's run -------------------------------------------------------------------


class PayrollScreen(ShellScreen):
    """Зарплата: the month's run, per employee, with totals; compute, approve, pay."""

    MODE = "payroll"
    CSS_PATH = ["../styles/shell.tcss", "../styles/payroll.tcss"]
    BINDINGS = [
        # This mode's own keys take the Footer; the shell's still work.
        Binding("o", "app.org_screen('card')", "shell.card", id="payroll.card", show=False),
        Binding("t", "app.org_screen('team')", "shell.team", id="payroll.team", show=False),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="payroll.audit",
                show=False),
        Binding("x", "app.logout", "shell.logout", id="payroll.logout", show=False),
        Binding("c", "compute", "pscreen.compute", id="payroll.compute"),
        Binding("plus", "add_item", "pscreen.add_item", id="payroll.add_item", show=False),
        Binding("b", "absence", "pscreen.absence", id="payroll.absence", show=False),
        Binding("a", "approve", "pscreen.approve", id="payroll.approve"),
        Binding("p", "pay", "pscreen.pay", id="payroll.pay"),
        Binding("v", "docs", "pscreen.docs", id="payroll.docs"),
        # A priority key, so that the table's own Enter does not take it.
        # Off the Footer (the period line names it): 80 columns hold the rest.
        Binding("enter", "payslip", "pscreen.payslip", id="payroll.payslip",
                key_display="↵", priority=True, show=False),
        Binding("e", "employees", "pscreen.employees", id="payroll.employees"),
        Binding("q", "quarter", "pscreen.quarter", id="payroll.quarter"),
        Binding("left_square_bracket", "step(-1)", "ledger.prev", id="payroll.prev",
                show=False),
        Binding("right_square_bracket", "step(1)", "ledger.next", id="payroll.next",
                show=False),
        Binding("f5", "reload", "devices.refresh", id="payroll.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date.today().replace(day=1)
        self.run: m.PayrollRunOut | None = None
        self.lines: list[m.PayrollLineOut] = []
        self.generation = 0
        self.loaded = False
        self.dues: dict[str, str] = {}
        """What the last payments of a run said about the ЕНП due dates, by run id."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="period-line")
        yield DataTable(id="payroll", cursor_type="row", zebra_stripes=True)
        yield Static("", id="payroll-empty", classes="hint")
        yield Static("", id="pay-days")
        yield Static("", id="run-dues", classes="hint")
        yield Static("", id="org-line", classes="hint")
        yield Static("", id="signed-in", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        w = COLUMN_WIDTHS
        table.add_column(t("pscreen.col.name"), width=w["name"], key="name")
        for key in ("accrued", "ndfl", "contrib", "net"):
            table.add_column(Text(t(f"pscreen.col.{key}"), justify="right"), width=w[key],
                             key=key)
        table.focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if not self.loaded:
            self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        super().on_org_changed(message)
        self.action_reload()

    # --- loading ----------------------------------------------------------------------

    def _period_text(self) -> str:
        text = f" {t('pscreen.period')}: {month_title(self.month)}"
        if self.run is not None:
            text += f" · {state_text(self.run)}"
            text += f" · {t('pscreen.working_days', days=self.run.working_days)}"
        text += f"   {t('pscreen.step')}"
        if self.run is not None and self.run.state == "draft" and self.lines:
            text += f" · + {t('pscreen.add_item')} · b {t('pscreen.absence').lower()}"
        if self.lines:
            text += f" · ↵ {t('pscreen.payslip').lower()}"
        return text

    def action_step(self, months: int) -> None:
        self.month = step_month(self.month, months)
        self.action_reload()

    def action_reload(self) -> None:
        org = self.buhta.org
        if org is None:
            return
        self.generation += 1
        self.loaded = True
        gen, year, month = self.generation, self.month.year, self.month.month
        self.show_run(None, waiting=True)

        async def call(api: ApiClient) -> tuple[int, m.PayrollRunOut | None]:
            try:
                return gen, await api.payroll_run(org.id, year, month)
            except ApiError as exc:
                if exc.code == "payroll.not_found":
                    return gen, None
                raise

        self.call_api("run", call, exclusive=True)

    def on_run_done(self, result: tuple[int, m.PayrollRunOut | None]) -> None:
        gen, run = result
        if gen == self.generation:
            self.show_run(run)

    def show_run(self, run: m.PayrollRunOut | None, *, waiting: bool = False) -> None:
        self.run = run
        self.lines = list(run.lines) if run else []
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for line in self.lines:
            table.add_row(
                short_name(line.employee_name)[: COLUMN_WIDTHS["name"]],
                Text(money(line.accrued), justify="right"),
                Text(money(line.ndfl), justify="right"),
                Text(money(contributions(line)), justify="right"),
                Text(money(line.net), justify="right"),
                key=line.employee_id,
            )
        if run is not None and self.lines:
            totals = run.totals
            table.add_row(
                Text(t("pscreen.total"), style="bold"),
                *(Text(money(v), justify="right", style="bold")
                  for v in (totals.accrued, totals.ndfl, contributions(totals), totals.net)),
                key=TOTAL_KEY,
            )
            table.move_cursor(row=min(row, len(self.lines) - 1))
        if waiting:
            empty = t("pscreen.loading")
        elif run is None:
            empty = t("pscreen.no_run", month=month_title(self.month))
        elif not self.lines:
            empty = t("pscreen.no_lines")
        else:
            empty = ""
        self.query_one("#payroll-empty", Static).update(empty)
        self.query_one("#period-line", Static).update(self._period_text())
        self.query_one("#pay-days", Static).update(self._pay_days_text())
        self.query_one("#run-dues", Static).update(
            self.dues.get(run.id, "") if run is not None else "")
        self.refresh_bindings()

    def _pay_days_text(self) -> str:
        run = self.run
        if run is None:
            return ""
        advance = t("pscreen.advance_on", date=day_text(run.advance_date))
        if run.advance_paid_on:
            advance += f" ✓ {run.advance_paid_on.strftime('%d.%m')}"
        final = t("pscreen.final_on", date=day_text(run.final_date))
        if run.final_paid_on:
            final += f" ✓ {run.final_paid_on.strftime('%d.%m')}"
        return f" {advance} · {final}"

    # --- actions ----------------------------------------------------------------------

    def _selected(self) -> m.PayrollLineOut | None:
        if not self.lines:
            return None
        row = self.query_one(DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        run = self.run
        if action == "compute":
            return True if run is None or run.state == "draft" else None
        if action in ("add_item", "absence"):
            return True if run is not None and run.state == "draft" and self.lines else None
        if action == "docs":
            # Off the Footer until there is something to print (an approved run).
            return True if run is not None and run.state != "draft" and self.lines else False
        if action == "approve":
            return True if run is not None and run.state == "draft" and self.lines else None
        if action == "pay":
            return True if run is not None and run.state == "approved" else None
        if action == "payslip":
            return True if run is not None and self.lines else None
        return True

    def _compute(self, extra: m.PayrollItemIn | None = None) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        run = self.run
        items = [item_in(x) for x in run.items] if run is not None else []
        if extra is not None:
            items.append(extra)
        body = m.PayrollRunIn(year=self.month.year, month=self.month.month, items=items)
        self.query_one(ErrorLine).clear()
        self.call_api("computed", lambda api: api.compute_payroll(org_id, body))

    def action_compute(self) -> None:
        if self.run is None or self.run.state == "draft":
            self._compute()

    def on_computed_done(self, run: m.PayrollRunOut) -> None:
        self.app.notify(t("pscreen.computed", month=month_title(self.month),
                          amount=money(run.totals.accrued)))
        if (run.year, run.month) == (self.month.year, self.month.month):
            self.show_run(run)

    def action_add_item(self) -> None:
        line = self._selected()
        if line is None or self.run is None or self.run.state != "draft":
            return

        def added(item: m.PayrollItemIn | None) -> None:
            if item is not None:
                self._compute(item)

        self.app.push_screen(ItemDialog(line), added)

    def action_absence(self) -> None:
        line = self._selected()
        if line is None or self.run is None or self.run.state != "draft":
            return

        def added(item: m.PayrollItemIn | None) -> None:
            if item is not None:
                self._compute(item)

        self.app.push_screen(AbsenceDialog(line, self.month), added)

    def action_docs(self) -> None:
        """Save the Т-53 (cash) and / or the salary register (card) of the run's last payment
        (the advance until the final part is paid) and say where they are."""
        run, org_id = self.run, self.buhta.require_org()
        if run is None or org_id is None:
            return
        if run.state == "draft":
            self.app.notify(t("pscreen.docs_draft"), severity="warning")
            return
        part = pay_part(run)
        wanted = docs_needed(run, part)
        if not wanted:
            self.app.notify(t("pscreen.docs_none"), severity="warning")
            return
        run_id = run.id

        async def call(api: ApiClient) -> list[Path]:
            saved: list[Path] = []
            for kind in wanted:
                fetch = api.payroll_t53 if kind == "t53" else api.payroll_register
                content = await fetch(org_id, run_id, part)
                saved.append(await save_pdf(export_dir() / docs_file(run, part, kind), content))
            return saved

        self.call_api("docs", call)

    def on_docs_done(self, paths: list[Path]) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pscreen.docs_saved", paths="\n".join(str(p) for p in paths)),
                        timeout=15)

    def action_approve(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        run, org_id = self.run, self.buhta.require_org()
        if run is None or org_id is None or run.state != "draft":
            return
        run_id = run.id

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api("approved", lambda api: api.approve_payroll(org_id, run_id))

        self.app.push_screen(ConfirmDialog(t(
            "pscreen.approve_confirm", month=month_title(self.month),
            amount=money(run.totals.accrued))), answered)

    def on_approved_done(self, run: m.PayrollRunOut) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pscreen.approved", month=month_title(self.month)))
        self.show_run(run)

    def action_pay(self) -> None:
        run, org_id = self.run, self.buhta.require_org()
        if run is None or org_id is None or run.state != "approved":
            return
        run_id = run.id

        def chosen(answer: tuple[str, date] | None) -> None:
            if answer is not None:
                part, day = answer
                self.call_api("paid", lambda api: api.pay_payroll(
                    org_id, run_id, day.isoformat(), part))

        self.app.push_screen(PayDialog(run), chosen)

    def on_paid_done(self, paid: m.PayrollPaid) -> None:
        self.query_one(ErrorLine).clear()
        dues = [t("pscreen.ndfl_due", amount=money(paid.ndfl), date=day_text(paid.ndfl_due))]
        if paid.contributions_due is not None:
            dues.append(t("pscreen.contrib_due", amount=money(paid.contributions),
                          date=day_text(paid.contributions_due)))
        if paid.injury_due is not None:
            dues.append(t("pscreen.injury_due", date=day_text(paid.injury_due)))
        self.dues[paid.run.id] = " " + " · ".join(dues)
        self.app.notify(t("pscreen.paid", orders=len(paid.orders)) + "\n" + "\n".join(dues),
                        timeout=15)
        self.show_run(paid.run)

    def action_payslip(self) -> None:
        line, run = self._selected(), self.run
        if line is None or run is None:
            return
        self.app.push_screen(PayslipScreen(run, line))

    def action_employees(self) -> None:
        from screens.payroll_employees import EmployeesScreen

        if self.buhta.require_org() is not None:
            self.loaded = False  # the list may change what a recompute gives
            self.app.push_screen(EmployeesScreen())

    def action_quarter(self) -> None:
        if self.buhta.require_org() is not None:
            self.app.push_screen(QuarterScreen(self.month.year, quarter_of(self.month)))


# --- bonus / one-off -------------------------------------------------------------------


class ItemDialog(BuhtaModal):
    """A bonus or a one-off payment for one employee, added before the month is computed."""

    CSS_PATH = "../styles/payroll.tcss"
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

    CSS_PATH = "../styles/payroll.tcss"
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

    CSS_PATH = "../styles/payroll.tcss"
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


# --- payslip ---------------------------------------------------------------------------


def payslip_file(slip: m.Payslip) -> str:
    """«Расчётный_листок_Иванов_И._И._2026-01.pdf»."""
    return safe_file_name(f"{t('pscreen.slip_file')} {short_name(slip.employee_name)} "
                          f"{slip.year:04d}-{slip.month:02d}") + ".pdf"


class PayslipScreen(BuhtaScreen):
    """Расчётный листок of one employee for the run's month; s saves the PDF."""

    CSS_PATH = "../styles/payroll.tcss"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="payslip.back"),
        Binding("s,ctrl+s,f9", "pdf", "pscreen.save_pdf", id="payslip.pdf"),
    ]

    def __init__(self, run: m.PayrollRunOut, line: m.PayrollLineOut) -> None:
        super().__init__()
        self.run = run
        self.line = line
        self.slip: m.Payslip | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="payslip"):
            yield Static(t("pscreen.loading"), id="slip-text")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("pscreen.slip_title")
        self.query_one("#payslip").focus()
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        run_id, employee_id = self.run.id, self.line.employee_id
        self.call_api("slip", lambda api: api.payslip(org_id, run_id, employee_id))

    def on_slip_done(self, slip: m.Payslip) -> None:
        self.slip = slip
        self.query_one("#slip-text", Static).update(self.render_slip(slip))
        self.refresh_bindings()

    def render_slip(self, slip: m.Payslip) -> Text:
        """The payslip's parts as the server gave them, amounts in the house format."""
        line = self.line
        width = max(40, min(self.app.size.width - 4, 76))
        out = Text()

        def row(name: str, amount: Decimal, *, style: str = "") -> None:
            figure = money(amount)
            out.append(f"{name[: width - len(figure) - 1]:<{width - len(figure)}}{figure}\n",
                       style=style)

        out.append(t("pscreen.slip_head", month=month_title(date(slip.year, slip.month, 1)))
                   + f" · {t(f'pscreen.state.{slip.state}')}\n", style="bold")
        out.append(f"{slip.org_name}\n{slip.employee_name}, {slip.position}\n")
        out.append(t("pscreen.slip_days", worked=line.days_worked,
                     working=line.working_days) + "\n")
        for section in ("accrued", "deducted", "paid"):
            items = [x for x in slip.lines if x.section == section]
            if not items:
                continue
            out.append(f"{t(f'pscreen.slip.{section}')}\n", style="bold")
            for item in items:
                days = f" ({item.days})" if item.days else ""
                row(f"  {item.name}{days}", item.amount)
        if line.deductions:
            row(t("pscreen.slip_deduction"), line.deductions)
        out.append("\n")
        row(t("pscreen.slip_total_accrued"), slip.accrued)
        row(t("pscreen.slip_total_deducted"), slip.deducted)
        row(t("pscreen.slip_total_paid"), slip.paid)
        row(t("pscreen.slip_due"), slip.due, style="bold")
        return out

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pdf":
            return True if self.slip is not None else None
        return True

    def action_pdf(self) -> None:
        org_id, slip = self.buhta.require_org(), self.slip
        if org_id is None or slip is None:
            return
        run_id, employee_id = self.run.id, self.line.employee_id

        async def call(api: ApiClient) -> Path:
            content = await api.payslip_pdf(org_id, run_id, employee_id)
            return await save_pdf(export_dir() / payslip_file(slip), content)

        self.call_api("pdf", call)

    def on_pdf_done(self, path: Path) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pscreen.pdf_saved", path=str(path)), timeout=15)

    def action_back(self) -> None:
        self.dismiss(None)


# --- the quarter -----------------------------------------------------------------------


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


class QuarterScreen(BuhtaScreen):
    """The quarter's figures for 6-НДФЛ and РСВ by month; `e` exports them."""

    CSS_PATH = "../styles/payroll.tcss"
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
        yield Footer(compact=True)

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
        gen, year, quarter = self.generation, self.year, self.quarter
        self.query_one("#quarter-title", Static).update(
            t("pscreen.quarter_head", quarter=quarter, year=year))
        self.query_one("#quarter-ytd", Static).update(t("pscreen.loading"))

        async def call(api: ApiClient) -> tuple[int, m.QuarterSummary]:
            return gen, await api.quarter_summary(org_id, year, quarter)

        self.call_api("summary", call, exclusive=True)

    def on_summary_done(self, result: tuple[int, m.QuarterSummary]) -> None:
        gen, summary = result
        if gen != self.generation:
            return
        self.summary = summary
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
                        error=exc.strerror or exc)) from exc

            self.call_api("export", call)

        self.app.push_screen(ExportDialog(export_dir() / f"{name}.xlsx"), chosen)

    def on_export_done(self, path: Path) -> None:
        self.app.notify(t("reports.exported", path=str(path)), timeout=10)

    def action_back(self) -> None:
        self.dismiss(None)
