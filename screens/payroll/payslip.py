"""Provides PayslipScreen: one employee's расчётный листок for the run's month, saved as PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from client.export import safe_file_name
from client.i18n import t
from core import contract as m
from screens.payroll.common import export_dir, save_pdf, short_name
from tui.footer import KeyFooter
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.dates import month_title
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient


class PayslipLoaded(Done[m.Payslip]):
    """The payslip's parts as the server computed them."""


class PdfSaved(Done[Path]):
    """The payslip saved as PDF (where)."""


def payslip_file(slip: m.Payslip) -> str:
    """«Расчётный_листок_Иванов_И._И._2026-01.pdf»."""
    return safe_file_name(f"{t('pscreen.slip_file')} {short_name(slip.employee_name)} "
                          f"{slip.year:04d}-{slip.month:02d}") + ".pdf"


class PayslipScreen(BuhtaScreen):
    """Расчётный листок of one employee for the run's month; s saves the PDF."""

    CSS_PATH = sheets("payroll")
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
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = t("pscreen.slip_title")
        self.query_one("#payslip").focus()
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        run_id, employee_id = self.run.id, self.line.employee_id
        self.call_api(lambda api: api.payroll.payslip(org_id, run_id, employee_id),
                      done=PayslipLoaded)

    @on(PayslipLoaded)
    def _payslip_loaded(self, message: PayslipLoaded) -> None:
        slip = message.result
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
            content = await api.payroll.payslip_pdf(org_id, run_id, employee_id)
            return await save_pdf(export_dir() / payslip_file(slip), content)

        self.call_api(call, done=PdfSaved)

    @on(PdfSaved)
    def _pdf_saved(self, message: PdfSaved) -> None:
        path = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pscreen.pdf_saved", path=str(path)), timeout=15)

    def action_back(self) -> None:
        self.dismiss(None)
