"""Provides the payment documents of one payment of a payroll run: the платёжная ведомость
(форма Т-53) for the employees paid in cash and the реестр на зачисление заработной платы
for those paid by card, as PDF.

Nothing is computed here that the payroll service does not already give: the amount each
employee receives in a payment is ``advance`` / ``final_payment`` of
``server.services.payroll.line_out`` (the same figures ``Payroll.pay`` pays); an employee
whose part is zero or less is not listed (``pay`` makes no payment for them either).

Rules kept here:
- only an approved (or paid) run has payment documents: a draft may still change, so it is
  refused with 409 ``payroll.not_approved``; a part with nobody to pay by that method is
  422 ``payroll.nothing_to_pay``;
- the document's date is the day the part was paid, else its planned pay day
  (``advance_date`` / ``final_date``); its number is ``<month>-<1|2>`` (1 the advance,
  2 the final payment), e.g. «01-2» for January's final payment;
- the Т-53 payment term runs from that date for 5 working days including it (Указание
  Банка России № 3210-У п. 6.5: cash for salaries is paid out within 5 working days);
- the табельный номер is the employee's order of entry in the organisation (1, 2, …: the
  service keeps no separate number);
- the structural unit is the employees' department when they all share one, else blank.

The printed forms are Russian legal documents, so their text is Russian whatever the
interface language (constants here, as in ``server.printing.forms``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Literal

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.dates import month_name
from core.money import amount_in_words
from server.db.models import BankAccount, Employee, Organisation, PayrollLine, PayrollRun
from server.domain import work_calendar as wc
from server.printing.forms import (
    BOTTOM,
    FONT,
    FONTS,
    LEFT,
    LINE,
    RIGHT,
    SIZE,
    TOP,
    WIDTH,
    initials,
    money,
    ru_date,
)
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.payroll import line_out

Part = Literal["advance", "final"]
CASH_TERM_WORKING_DAYS = 5
PART_LABEL = {"advance": "аванс", "final": "окончательный расчёт"}


@dataclass
class PayRow:
    tab_number: int
    name: str
    amount: Decimal
    account: str | None = None
    bank: str | None = None


@dataclass
class PayList:
    """One payment's list of employees paid by one method (what a form prints)."""

    org: Organisation
    org_account: BankAccount | None
    run: PayrollRun
    part: Part
    method: Literal["cash", "card"]
    number: str
    day: date
    department: str | None
    rows: list[PayRow]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal("0.00"))

    @property
    def period(self) -> tuple[date, date]:
        return wc.month_bounds(self.run.year, self.run.month)

    @property
    def purpose(self) -> str:
        return (f"Заработная плата за {month_name(self.run.month, 'ru')} {self.run.year} "
                f"({PART_LABEL[self.part]})")


def cash_term(day: date) -> date:
    """The last day of the cash payment term: ``day`` and the next working days, 5 working
    days in all (``day`` counts when it is a working day). 20.01.2026 (Tue) → 26.01.2026."""
    left = CASH_TERM_WORKING_DAYS - (1 if wc.is_working_day(day) else 0)
    end = day
    while left > 0:
        end += timedelta(days=1)
        if wc.is_working_day(end):
            left -= 1
    return end


def pay_list(db: Session, oc: OrgCtx, run_id: str, part: Part,
             method: Literal["cash", "card"]) -> PayList:
    with db.begin():
        run = db.get(PayrollRun, run_id)
        if run is None or run.org_id != oc.org_id:
            raise ServiceError(404, "payroll.not_found")
        if run.state == "draft":
            raise ServiceError(409, "payroll.not_approved")
        org = db.get(Organisation, oc.org_id)
        assert org is not None
        org_account = db.scalar(select(BankAccount).where(BankAccount.org_id == oc.org_id)
                                .order_by(BankAccount.position).limit(1))
        lines = db.scalars(select(PayrollLine).where(PayrollLine.run_id == run.id)
                           .order_by(PayrollLine.line)).all()
        staff = db.scalars(select(Employee).where(Employee.org_id == oc.org_id)
                           .order_by(Employee.created_at, Employee.id)).all()
        order = {e.id: i for i, e in enumerate(staff, start=1)}
        people = {e.id: e for e in staff}
        rows: list[PayRow] = []
        departments: set[str | None] = set()
        for x in lines:
            if x.pay_method != method:
                continue
            e = people[x.employee_id]
            out = line_out(x, e)
            amount = out.advance if part == "advance" else out.final_payment
            if amount <= 0:
                continue
            departments.add(e.department)
            bank = None
            if method == "card":
                bank = e.bank_name or (f"БИК {e.bank_bik}" if e.bank_bik else None)
            rows.append(PayRow(order[e.id], e.full_name, amount, e.bank_account, bank))
        if not rows:
            raise ServiceError(422, "payroll.nothing_to_pay")
        paid_on = run.advance_paid_on if part == "advance" else run.final_paid_on
        planned = run.advance_date if part == "advance" else run.final_date
        db.expunge_all()
        return PayList(
            org=org, org_account=org_account, run=run, part=part, method=method,
            number=f"{run.month:02d}-{1 if part == 'advance' else 2}",
            day=paid_on or planned,
            department=next(iter(departments)) if len(departments) == 1 else None,
            rows=rows)


# --- rendering ---------------------------------------------------------------------------


def _new_pdf(title: str, pl: PayList) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_title(title)
    pdf.set_author(pl.org.short_name)
    pdf.set_creator("Buhta")
    pdf.set_lang("ru")
    stamp = pl.run.updated_at
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    pdf.set_creation_date(stamp)  # the same run always gives the same bytes
    pdf.add_page()
    pdf.set_font(FONT, "", SIZE)
    return pdf


def _text(pdf: FPDF, text: str, *, style: str = "", size: float = SIZE,
          align: Align = Align.L, height: float = LINE) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(WIDTH, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", SIZE)


def _field(pdf: FPDF, label: str, value: str, caption: str | None = None) -> None:
    """«label ____value____» with a small caption under the line."""
    pdf.set_font(FONT, "", SIZE)
    width = pdf.get_string_width(label) + 2
    pdf.cell(width, 5, label)
    x = pdf.get_x()
    pdf.cell(WIDTH - width, 5, value, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if caption:
        pdf.set_font(FONT, "", 6)
        pdf.set_x(x)
        pdf.cell(WIDTH - width, 3, caption, align=Align.C, new_x=XPos.LMARGIN,
                 new_y=YPos.NEXT)
        pdf.set_font(FONT, "", SIZE)


def _signature(pdf: FPDF, label: str, name: str | None) -> None:
    """«Главный бухгалтер ______ ______ Иванов И. И.» (должность / подпись / расшифровка)."""
    pdf.set_font(FONT, "", SIZE)
    y = pdf.get_y() + 3
    pdf.set_xy(LEFT, y)
    pdf.cell(50, 5, label)
    pdf.cell(35, 5, "", border="B")
    pdf.cell(5, 5, "")
    pdf.cell(60, 5, initials(name) if name else "", border="B", align=Align.C)
    pdf.set_font(FONT, "", 6)
    pdf.set_xy(LEFT + 50, y + 5)
    pdf.cell(35, 3, "подпись", align=Align.C)
    pdf.cell(5, 3, "")
    pdf.cell(60, 3, "расшифровка подписи", align=Align.C)
    pdf.set_font(FONT, "", SIZE)
    pdf.set_xy(LEFT, y + 9)


def _day_text(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _words(amount: Decimal) -> str:
    return amount_in_words(amount)


def _chief_accountant(org: Organisation) -> str | None:
    return org.chief_accountant or (org.director if org.kind == "ip" else None)


def render_t53(pl: PayList) -> bytes:
    """Платёжная ведомость, унифицированная форма № Т-53 (пост. Госкомстата № 1 от
    05.01.2004): the title part, then the table and the closing notes."""
    org = pl.org
    pdf = _new_pdf(f"Платёжная ведомость № {pl.number}", pl)
    pdf.set_font(FONT, "", 6.5)
    pdf.multi_cell(WIDTH, 3, "Унифицированная форма № Т-53\nУтверждена постановлением "
                   "Госкомстата России\nот 05.01.2004 № 1", align=Align.R,
                   new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", SIZE)
    pdf.set_x(LEFT + WIDTH - 45)
    pdf.cell(25, 5, "Форма по ОКУД", align=Align.R)
    pdf.cell(20, 5, "0301011", border=1, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _field(pdf, "", org.full_name, "организация")
    _field(pdf, "", pl.department or "", "структурное подразделение")
    pdf.ln(1)
    _field(pdf, "Корреспондирующий счёт ", "70")
    first, last = pl.day, cash_term(pl.day)
    _field(pdf, "В кассу для оплаты в срок ", f"с {_day_text(first)} по {_day_text(last)}")
    _field(pdf, "в сумме ", _words(pl.total), "прописью")
    _text(pdf, f"{money(pl.total)} руб.", align=Align.R)
    _signature(pdf, "Руководитель организации", org.director)
    _signature(pdf, "Главный бухгалтер", _chief_accountant(org))
    pdf.ln(1)
    _text(pdf, f"«{pl.day.day:02d}» {month_name(pl.day.month, 'ru', 'genitive')} {pl.day.year} г.")
    pdf.ln(2)
    # Номер документа / дата составления / расчётный период.
    start, end = pl.period
    x = LEFT + 70
    pdf.set_x(x)
    pdf.set_font(FONT, "", 7)
    for w, text in ((25, "Номер документа"), (25, "Дата составления"), (25, "с"), (25, "по")):
        pdf.cell(w, 4, text, border=1, align=Align.C)
    pdf.ln(4)
    pdf.set_font(FONT, "B", SIZE + 2)
    pdf.cell(70, 6, "ПЛАТЁЖНАЯ ВЕДОМОСТЬ")
    pdf.set_font(FONT, "", SIZE)
    for w, text in ((25, pl.number), (25, _day_text(pl.day)), (25, _day_text(start)),
                    (25, _day_text(end))):
        pdf.cell(w, 6, text, border=1, align=Align.C)
    pdf.ln(7)
    _text(pdf, f"Расчётный период: {month_name(pl.run.month, 'ru')} {pl.run.year} г. · "
               f"{PART_LABEL[pl.part]}")
    pdf.ln(2)
    with pdf.table(col_widths=(12, 20, 70, 28, 35, 20),
                   text_align=("CENTER", "CENTER", "LEFT", "RIGHT", "CENTER", "LEFT"),
                   line_height=LINE + 1.5) as table:
        pdf.set_font(FONT, "", 7)
        table.row(["№ п/п", "Табельный номер", "Фамилия, имя, отчество",
                   "Сумма, руб.", "Подпись в получении денег", "Примечание"])
        for i, r in enumerate(pl.rows, start=1):
            table.row([str(i), str(r.tab_number), r.name, money(r.amount), "", ""])
        row = table.row()
        row.cell("Итого", colspan=3, align=Align.R)
        row.cell(money(pl.total))
        row.cell("")
        row.cell("")
    pdf.set_font(FONT, "", SIZE)
    pdf.ln(2)
    _text(pdf, f"Итого к выплате: {money(pl.total)} руб. ({_words(pl.total)})", style="B")
    pdf.ln(1)
    _field(pdf, "По настоящей платёжной ведомости выплачена сумма ", "", "прописью")
    _field(pdf, "и депонирована сумма ", "", "прописью")
    _signature(pdf, "Выплату произвёл: кассир", None)
    _signature(pdf, "Ведомость проверил: бухгалтер", _chief_accountant(org))
    _text(pdf, "Расходный кассовый ордер № ______  от «___» ____________ 20___ г.")
    return bytes(pdf.output())


def render_register(pl: PayList) -> bytes:
    """Реестр на зачисление заработной платы на счета сотрудников (the list the bank takes
    with the payment order): ФИО, account, bank, amount, totals."""
    org = pl.org
    pdf = _new_pdf(f"Реестр № {pl.number}", pl)
    _text(pdf, f"РЕЕСТР № {pl.number} от {ru_date(pl.day)}", style="B", size=SIZE + 2,
          align=Align.C, height=6)
    _text(pdf, "на зачисление заработной платы на счета сотрудников", align=Align.C)
    pdf.ln(2)
    inn = f"ИНН {org.inn}" + (f", КПП {org.kpp}" if org.kpp else "")
    _field(pdf, "Организация: ", f"{org.full_name}, {inn}")
    if pl.org_account is not None:
        a = pl.org_account
        _field(pdf, "Счёт списания: ", f"{a.account} в {a.bank_name}, БИК {a.bik}")
    _field(pdf, "Назначение: ", pl.purpose)
    _field(pdf, "Расчётный период: ", f"{_day_text(pl.period[0])} – {_day_text(pl.period[1])}")
    pdf.ln(2)
    with pdf.table(col_widths=(10, 60, 45, 40, 30),
                   text_align=("CENTER", "LEFT", "CENTER", "LEFT", "RIGHT"),
                   line_height=LINE + 1) as table:
        pdf.set_font(FONT, "", 7.5)
        table.row(["№ п/п", "Фамилия, имя, отчество", "Номер счёта", "Банк",
                   "Сумма, руб."])
        for i, r in enumerate(pl.rows, start=1):
            table.row([str(i), r.name, r.account or "", r.bank or "", money(r.amount)])
        row = table.row()
        row.cell("Итого", colspan=4, align=Align.R)
        row.cell(money(pl.total))
    pdf.set_font(FONT, "", SIZE)
    pdf.ln(2)
    _text(pdf, f"Количество сотрудников: {len(pl.rows)}")
    _text(pdf, f"Общая сумма: {money(pl.total)} руб. ({_words(pl.total)})", style="B")
    pdf.ln(2)
    _signature(pdf, "Руководитель", org.director)
    _signature(pdf, "Главный бухгалтер", _chief_accountant(org))
    return bytes(pdf.output())


class PayrollDocs:
    def t53(self, db: Session, oc: OrgCtx, run_id: str, part: Part) -> tuple[str, bytes]:
        pl = pay_list(db, oc, run_id, part, "cash")
        name = f"T-53-{pl.run.year}-{pl.run.month:02d}-{part}.pdf"
        return name, render_t53(pl)

    def register(self, db: Session, oc: OrgCtx, run_id: str, part: Part) -> tuple[str, bytes]:
        pl = pay_list(db, oc, run_id, part, "card")
        name = f"register-{pl.run.year}-{pl.run.month:02d}-{part}.pdf"
        return name, render_register(pl)
