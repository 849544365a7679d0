"""Provides PayrollScreen: the month's run, per employee, with totals; compute, approve,
pay, print the pay sheets.

The screen shows the server's figures and sends what the user decided (compute, approve,
pay). The dialogs, the payslip, the quarter and the employees open from here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from client.errors import ApiError
from client.i18n import t
from core import contract as m
from screens.payroll.common import (
    contributions,
    docs_file,
    docs_needed,
    export_dir,
    item_in,
    pay_part,
    quarter_of,
    save_pdf,
    short_name,
    state_text,
)
from screens.payroll.dialogs import AbsenceDialog, ItemDialog, PayDialog
from screens.payroll.payslip import PayslipScreen
from screens.payroll.quarter import QuarterScreen
from tui import rights
from tui.errors import describe
from tui.footer import KeyFooter
from tui.shell import ModeTabs, ShellScreen
from tui.styles import sheets
from tui.widgets.dates import day_text, month_title, step_month
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.workers import Done, Failed

if TYPE_CHECKING:
    from client.api import ApiClient

# Run columns at 80x24: the table spans 79 columns (a 1-column scrollbar), each of the 5
# columns pads 1 on each side (10): 79 − 10 = 69 = 18 + 13 + 12 + 13 + 13.
COLUMN_WIDTHS = {"name": 18, "accrued": 13, "ndfl": 12, "contrib": 13, "net": 13}
TOTAL_KEY = "total"


class RunLoaded(Done[m.PayrollRunOut | None]):
    """The month's run (None: not computed yet)."""


class RunRefused(Failed):
    """The month's run could not be loaded: the screen says why instead of «Загрузка…»."""


class RunComputed(Done[m.PayrollRunOut]):
    """The draft computed anew."""


class RunApproved(Done[m.PayrollRunOut]):
    """The run approved and posted."""


class RunPaid(Done[m.PayrollPaid]):
    """A part of the run paid: the run, the payment orders, the tax due dates."""


class DocsSaved(Done[list[Path]]):
    """The pay sheets (Т-53, the salary register) saved as PDF."""


class PayrollScreen(ShellScreen):
    """Зарплата: the month's run, per employee, with totals; compute, approve, pay."""

    MODE = "payroll"
    CSS_PATH = sheets("shell", "payroll")
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
        Binding("f", "forms", "pforms.open", id="payroll.forms", show=False),
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
        yield KeyFooter()

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
        year, month = self.month.year, self.month.month
        refusal = rights.screen_refusal(self)
        if refusal is not None:  # pay is not this role's to see: say so, load nothing
            self.show_run(None, refusal=refusal)
            return
        self.show_run(None, waiting=True)

        async def call(api: ApiClient) -> m.PayrollRunOut | None:
            try:
                return await api.payroll.run(org.id, year, month)
            except ApiError as exc:
                if exc.code == "payroll.not_found":
                    return None
                raise

        self.call_api(call, done=RunLoaded, failed=RunRefused, guard=lambda: self.generation,
                      exclusive=True)

    @on(RunLoaded)
    def _run_loaded(self, message: RunLoaded) -> None:
        self.show_run(message.result)

    @on(RunRefused)
    def _run_refused(self, message: RunRefused) -> None:
        self.show_run(None, refusal=describe(message.error))

    def show_run(self, run: m.PayrollRunOut | None, *, waiting: bool = False,
                 refusal: str | None = None) -> None:
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
        if refusal is not None:
            empty = refusal
        elif waiting:
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
        if not rights.allowed(self, action):
            return None  # dimmed: the role may not (tui.rights; the overlay says who may)
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
        self.call_api(lambda api: api.payroll.compute(org_id, body), done=RunComputed)

    def action_compute(self) -> None:
        if self.run is None or self.run.state == "draft":
            self._compute()

    @on(RunComputed)
    def _run_computed(self, message: RunComputed) -> None:
        run = message.result
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
                fetch = api.payroll.t53 if kind == "t53" else api.payroll.register
                content = await fetch(org_id, run_id, part)
                saved.append(await save_pdf(export_dir() / docs_file(run, part, kind), content))
            return saved

        self.call_api(call, done=DocsSaved)

    @on(DocsSaved)
    def _docs_saved(self, message: DocsSaved) -> None:
        paths = message.result
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
                self.call_api(lambda api: api.payroll.approve(org_id, run_id),
                              done=RunApproved)

        self.app.push_screen(ConfirmDialog(t(
            "pscreen.approve_confirm", month=month_title(self.month),
            amount=money(run.totals.accrued))), answered)

    @on(RunApproved)
    def _run_approved(self, message: RunApproved) -> None:
        run = message.result
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
                self.call_api(lambda api: api.payroll.pay(
                    org_id, run_id, day.isoformat(), part), done=RunPaid)

        self.app.push_screen(PayDialog(run), chosen)

    @on(RunPaid)
    def _run_paid(self, message: RunPaid) -> None:
        paid = message.result
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
        from screens.payroll.employees import EmployeesScreen

        if self.buhta.require_org() is not None:
            self.loaded = False  # the list may change what a recompute gives
            self.app.push_screen(EmployeesScreen())

    def action_quarter(self) -> None:
        if self.buhta.require_org() is not None:
            self.app.push_screen(QuarterScreen(self.month.year, quarter_of(self.month)))

    def action_forms(self) -> None:
        """6-НДФЛ and РСВ of the period the month ends in (Q1, H1, 9M, year)."""
        from screens.payroll.forms import PERIODS, PayrollFormsScreen

        if self.buhta.require_org() is not None:
            period = PERIODS[quarter_of(self.month) - 1]
            self.app.push_screen(PayrollFormsScreen(self.month.year, period))
