"""Provides the payslip (расчётный листок) of one employee's month: as text lines in the
caller's language, and as a one-page PDF."""

from __future__ import annotations

from core import contract as m
from core.dates import month_name
from server import i18n
from server.db.models import (
    Employee,
    PayrollLine,
    PayrollRun,
)
from server.services.payroll.figures import money


def build_payslip(org_name: str, run: PayrollRun, x: PayrollLine, e: Employee,
                  lang: str) -> m.Payslip:
    lines: list[m.PayslipLine] = []

    def add(section: str, key: str, kopecks: int, days: int | None = None) -> None:
        if kopecks:
            lines.append(m.PayslipLine(section=section,  # type: ignore[arg-type]
                                       name=i18n.text(key, lang), days=days,
                                       amount=money(kopecks)))

    add("accrued", "payroll.slip.salary", x.salary_kopecks, x.days_worked)
    add("accrued", "payroll.slip.bonus", x.bonus_kopecks)
    add("accrued", "payroll.slip.one_off", x.one_off_kopecks)
    add("accrued", "payroll.slip.sick", x.sick_kopecks)
    add("accrued", "payroll.slip.vacation", x.vacation_kopecks)
    add("deducted", "payroll.slip.ndfl", x.ndfl_kopecks)
    paid = 0
    if run.advance_paid_on is not None:
        adv = x.advance_gross_kopecks - x.ndfl_advance_kopecks
        add("paid", "payroll.slip.advance", adv)
        paid += adv
    if run.final_paid_on is not None:
        fin = x.accrued_kopecks - x.advance_gross_kopecks - x.ndfl_final_kopecks
        add("paid", "payroll.slip.final", fin)
        paid += fin
    due = x.accrued_kopecks - x.ndfl_kopecks - paid
    rows = [
        i18n.text("payroll.slip.title", lang, month=month_name(run.month, lang), year=run.year),
        org_name,
        f"{e.full_name}, {e.position}",
        i18n.text("payroll.slip.days", lang, worked=x.days_worked, working=x.working_days),
    ]
    for section in ("accrued", "deducted", "paid"):
        rows.append(i18n.text(f"payroll.slip.section.{section}", lang))
        for ln in lines:
            if ln.section == section:
                days = f" ({ln.days})" if ln.days is not None else ""
                rows.append(f"  {ln.name}{days}: {ln.amount}")
    if x.deductions_kopecks:
        rows.append(i18n.text("payroll.slip.deduction", lang,
                         amount=money(x.deductions_kopecks)))
    rows.append(i18n.text("payroll.slip.accrued", lang, amount=money(x.accrued_kopecks)))
    rows.append(i18n.text("payroll.slip.deducted", lang, amount=money(x.ndfl_kopecks)))
    rows.append(i18n.text("payroll.slip.paid", lang, amount=money(paid)))
    rows.append(i18n.text("payroll.slip.due", lang, amount=money(due)))
    return m.Payslip(org_name=org_name, employee_id=e.id, employee_name=e.full_name,
                     position=e.position, year=run.year, month=run.month,
                     state=run.state,  # type: ignore[arg-type]
                     lines=lines, accrued=money(x.accrued_kopecks),
                     deducted=money(x.ndfl_kopecks), paid=money(paid), due=money(due),
                     text=rows)


def render_payslip_pdf(slip: m.Payslip, lang: str) -> bytes:
    """The payslip as a one-page PDF: the text lines of ``Payslip.text`` in a simple table
    (the fonts and page geometry of ``server.printing.forms``); headings in ``lang``."""
    from fpdf import FPDF

    from server.printing.forms import BOTTOM, FONT, FONTS, LEFT, LINE, RIGHT, SIZE, TOP, WIDTH

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_creator("Buhta")
    pdf.set_title(slip.text[0])
    pdf.add_page()
    pdf.set_font(FONT, "B", SIZE + 3)
    pdf.multi_cell(WIDTH, LINE + 2, slip.text[0], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", SIZE)
    for line in slip.text[1:4]:
        pdf.multi_cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(120, 20, 45), text_align=("LEFT", "RIGHT", "RIGHT"),
                   line_height=LINE + 1) as table:
        table.row([i18n.text("payroll.slip.col.name", lang),
                   i18n.text("payroll.slip.col.days", lang),
                   i18n.text("payroll.slip.col.amount", lang)])
        for section in ("accrued", "deducted", "paid"):
            row = table.row()
            row.cell(i18n.text(f"payroll.slip.section.{section}", lang), colspan=3)
            for ln in slip.lines:
                if ln.section == section:
                    table.row([ln.name, "" if ln.days is None else str(ln.days),
                               f"{ln.amount:.2f}"])
    pdf.ln(2)
    for line in slip.text[-4:]:
        pdf.multi_cell(WIDTH, LINE, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
