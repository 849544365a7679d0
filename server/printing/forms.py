"""Renders the printable forms of a счёт на оплату and an акт оказанных услуг as PDF.

A pure renderer: it reads the organisation, the document and the counterparty as the
wire models carry them and draws them on A4 portrait, laid out the way a Russian
accountant knows these forms (the familiar «1С» layout). Nothing is computed here but
the per-rate VAT subtotals and the sum of the lines: totals, VAT and the amount in
words come from the document (the server's document service computed them).

The printed form is a Russian legal document, so its text is Russian whatever the
interface language; the strings are constants here, not catalogue keys.

Fonts: DejaVu Sans (regular and bold) from ``fonts/``, embedded as subsets, so Cyrillic
prints the same on every machine.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, TableHeadingsDisplay, VAlign, XPos, YPos
from fpdf.fonts import FontFace

from core import contract as m
from core.dates import date_in_words
from core.money import to_kopecks

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
NBSP = "\u00a0"

PRINTABLE_TYPES = ("invoice", "act")

# Page geometry, millimetres (A4 portrait: 210 × 297).
LEFT, TOP, RIGHT, BOTTOM = 15.0, 10.0, 10.0, 15.0
WIDTH = 210.0 - LEFT - RIGHT  # 185 mm of text width
LINE = 4.5  # one line of 9 pt text
SIZE = 9

TITLES = {"invoice": "Счёт на оплату", "act": "Акт"}
INVOICE_SUPPLIER = "Поставщик\n(Исполнитель):"
INVOICE_BUYER = "Покупатель\n(Заказчик):"
ACT_EXECUTOR = "Исполнитель:"
ACT_CUSTOMER = "Заказчик:"
BASIS = "Основание:"
ITEM_HEADINGS = {
    "invoice": "Товары (работы, услуги)",
    "act": "Наименование работ, услуг",
}
HEADINGS = ("№", None, "Кол-во", "Ед.", "Цена", "Сумма")
COL_WIDTHS = (10, 85, 18, 14, 29, 29)  # sums to WIDTH
COL_ALIGN = (Align.C, Align.L, Align.R, Align.C, Align.R, Align.R)
TOTAL = "Итого:"
VAT_INCLUDED = "В том числе НДС {rate}:"
VAT_ON_TOP = "Сумма НДС {rate}:"
NO_VAT = "Без налога (НДС)"
DUE = "Всего к оплате:"
GRAND_TOTAL = "Всего (с учётом НДС):"
INVOICE_SUMMARY = "Всего наименований {count}, на сумму {amount} руб."
ACT_SUMMARY = "Всего оказано услуг {count}, на сумму {amount} руб."
ACT_STATEMENT = (
    "Вышеперечисленные услуги выполнены полностью и в срок. "
    "Заказчик претензий по объему, качеству и срокам оказания услуг не имеет."
)
DIRECTOR = "Руководитель"
ACCOUNTANT = "Бухгалтер"
ENTREPRENEUR = "Индивидуальный предприниматель"
EXECUTOR_CAPTION = "ИСПОЛНИТЕЛЬ"
CUSTOMER_CAPTION = "ЗАКАЗЧИК"
SIGNATURE = "подпись"
SIGNATURE_NAME = "расшифровка подписи"
STAMP = "М.П."
PAGE = "{title} — стр. {page} из {{nb}}"

# Bank requisites block: left column (split in two for ИНН / КПП), labels, numbers.
BANK_COLS = (105.0, 15.0, 65.0)


# --- text helpers -----------------------------------------------------------------------


def ru_date(d: date) -> str:
    """A date as printed on a form: ``date(2026, 3, 5)`` → ``"5 марта 2026 г."``."""
    return date_in_words(d, "ru")


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(groups)


def money(amount: Decimal) -> str:
    """Roubles as printed in a form's table: ``Decimal("1234.5")`` → ``"1 234,50"``.

    Thousands are separated by a no-break space (a column never splits an amount);
    no currency sign. More than 2 decimal places raise ``ValueError`` (never rounded).
    """
    kopecks = to_kopecks(amount)
    roubles, kop = divmod(abs(kopecks), 100)
    return f"{'-' if kopecks < 0 else ''}{_group(str(roubles))},{kop:02d}"


def quantity(q: Decimal) -> str:
    """A quantity without trailing zeros: ``2.000`` → ``"2"``, ``1.5`` → ``"1,5"``,
    ``1000`` → ``"1 000"``."""
    text = f"{q.normalize():f}"
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    return f"{sign}{_group(whole)}" + (f",{frac}" if frac else "")


def vat_rate_label(rate: str) -> str:
    return f"{rate}{NBSP}%"


def initials(full_name: str) -> str:
    """«Иванов Иван Иванович» → «Иванов И. И.», as a signature is spelled out on a form.

    Anything but two or three words (or words that are already initials) is kept as is.
    """
    words = full_name.split()
    if not 2 <= len(words) <= 3 or not all(w[0].isalpha() for w in words):
        return full_name.strip()
    return " ".join([words[0], *(f"{w[0].upper()}." for w in words[1:])])


def _join(*parts: str | None) -> str:
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _org_bank(org: m.Org) -> m.BankAccountOut | None:
    return org.bank_accounts[0] if org.bank_accounts else None


def _bank_text(account: str | None, bank: str | None, bik: str | None, corr: str | None) -> str:
    if not account:
        return ""
    return _join(
        f"р/с {account}",
        f"в банке {bank}" if bank else None,
        f"БИК {bik}" if bik else None,
        f"к/с {corr}" if corr else None,
    )


def org_party(org: m.Org, *, with_bank: bool) -> str:
    """The organisation as a party of the document: name, ИНН, КПП, address (and bank)."""
    bank = _org_bank(org)
    bank_text = (
        _bank_text(bank.account, bank.bank_name, bank.bik, bank.corr_account)
        if with_bank and bank
        else None
    )
    return _join(
        org.full_name,
        f"ИНН {org.inn}",
        f"КПП {org.kpp}" if org.kpp else None,
        org.address,
        bank_text,
    )


def counterparty_name(doc: m.DocumentOut, cp: m.CounterpartyOut | None) -> str:
    if cp is not None:
        return (cp.full_name or cp.name).strip()
    return (doc.counterparty or "").strip()


def counterparty_party(
    doc: m.DocumentOut, cp: m.CounterpartyOut | None, *, with_bank: bool
) -> str:
    """The counterparty as a party of the document; an unknown one prints as «—»."""
    if cp is None:
        return counterparty_name(doc, cp) or "—"
    return _join(
        counterparty_name(doc, cp),
        f"ИНН {cp.inn}" if cp.inn else None,
        f"КПП {cp.kpp}" if cp.kpp else None,
        cp.address,
        _bank_text(cp.account, cp.bank_name, cp.bik, cp.corr_account) if with_bank else None,
    ) or "—"


def basis(doc: m.DocumentOut) -> str | None:
    """Основание: the document's basis and contract, each once."""
    parts: list[str] = []
    for part in (doc.basis, doc.contract):
        if part and part.strip() and part.strip() not in parts:
            parts.append(part.strip())
    return "; ".join(parts) or None


def vat_rows(org: m.Org, doc: m.DocumentOut) -> list[tuple[str, Decimal]]:
    """The VAT lines under the table: one per rate found on the lines, or none at all
    («Без налога (НДС)») when no line carries VAT or the organisation is not a VAT payer
    and the document has no VAT.

    With a single rate the document's own ``vat_total`` is printed; with several, the
    sum of the lines' VAT of each rate.
    """
    rates: list[str] = []
    for line in doc.lines:
        if line.vat_rate != "none" and line.vat_rate not in rates:
            rates.append(line.vat_rate)
    if not rates or (org.vat_mode == "none" and doc.vat_total == 0):
        return []
    template = VAT_INCLUDED if doc.vat_included else VAT_ON_TOP
    if len(rates) == 1:
        return [(template.format(rate=vat_rate_label(rates[0])), doc.vat_total)]
    rates.sort(key=Decimal)
    return [
        (
            template.format(rate=vat_rate_label(rate)),
            sum((ln.vat for ln in doc.lines if ln.vat_rate == rate), Decimal(0)),
        )
        for rate in rates
    ]


def title(doc: m.DocumentOut) -> str:
    return f"{TITLES[doc.type]} № {doc.number} от {ru_date(doc.date)}"


# --- drawing ----------------------------------------------------------------------------


class _Pdf(FPDF):
    def __init__(self, page_footer: str | None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._page_footer = page_footer

    def footer(self) -> None:
        if self._page_footer is None:
            return
        self.set_y(-BOTTOM + 4)
        self.set_font(FONT, "", 7)
        self.set_text_color(110)
        self.cell(WIDTH, 4, PAGE.format(title=self._page_footer, page=self.page_no()),
                  align=Align.R)
        self.set_text_color(0)


def _new_pdf(org: m.Org, doc: m.DocumentOut, *, numbered: bool) -> _Pdf:
    pdf = _Pdf(title(doc) if numbered else None)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(LEFT, TOP, RIGHT)
    pdf.set_auto_page_break(True, margin=BOTTOM)
    pdf.set_title(title(doc))
    pdf.set_subject(title(doc))
    pdf.set_author(org.short_name)
    pdf.set_creator("Buhta")
    pdf.set_lang("ru")
    created = doc.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    pdf.set_creation_date(created)  # the same document always gives the same bytes
    pdf.add_page()
    pdf.set_font(FONT, "", SIZE)
    return pdf


def _lines_count(pdf: FPDF, width: float, text: str) -> int:
    lines = pdf.multi_cell(width, LINE, text, dry_run=True, output=MethodReturnValue.LINES)
    return max(1, len(lines))


def _box_text(
    pdf: FPDF, x: float, y: float, w: float, text: str, *, size: float = SIZE,
    style: str = "", align: Align = Align.L,
) -> None:
    pdf.set_font(FONT, style, size)
    pdf.set_xy(x, y)
    pdf.multi_cell(w, LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _bank_block(pdf: FPDF, org: m.Org) -> None:
    """Банк получателя / БИК / Сч. № / ИНН / КПП / Получатель, as on every Russian invoice."""
    bank = _org_bank(org)
    if bank is None:
        return
    c1, c2, c3 = BANK_COLS
    x0, x1, x2 = LEFT, LEFT + c1, LEFT + c1 + c2
    row = 5.0
    pdf.set_font(FONT, "", SIZE)
    pdf.set_line_width(0.2)
    # Upper part: the bank, its БИК and correspondent account.
    y0 = pdf.get_y()
    upper = max(2 * row, _lines_count(pdf, c1, bank.bank_name) * LINE + LINE + 1)
    pdf.rect(x0, y0, c1, upper)
    pdf.rect(x1, y0, c2, row)
    pdf.rect(x2, y0, c3, row)
    pdf.rect(x1, y0 + row, c2, upper - row)
    pdf.rect(x2, y0 + row, c3, upper - row)
    _box_text(pdf, x0, y0 + 0.3, c1, bank.bank_name)
    _box_text(pdf, x0, y0 + upper - LINE, c1, "Банк получателя", size=7)
    _box_text(pdf, x1, y0 + 0.3, c2, "БИК")
    _box_text(pdf, x2, y0 + 0.3, c3, bank.bik)
    _box_text(pdf, x1, y0 + row + 0.3, c2, "Сч. №")
    _box_text(pdf, x2, y0 + row + 0.3, c3, bank.corr_account)
    # Lower part: ИНН, КПП, the recipient and its settlement account.
    y1 = y0 + upper
    pdf.set_font(FONT, "", SIZE)
    lower = row + max(2 * row, _lines_count(pdf, c1, org.short_name) * LINE + LINE + 1)
    pdf.rect(x0, y1, c1 / 2, row)
    pdf.rect(x0 + c1 / 2, y1, c1 / 2, row)
    pdf.rect(x0, y1 + row, c1, lower - row)
    pdf.rect(x1, y1, c2, lower)
    pdf.rect(x2, y1, c3, lower)
    _box_text(pdf, x0, y1 + 0.3, c1 / 2, f"ИНН {org.inn}")
    _box_text(pdf, x0 + c1 / 2, y1 + 0.3, c1 / 2, f"КПП {org.kpp}" if org.kpp else "КПП")
    _box_text(pdf, x0, y1 + row + 0.3, c1, org.short_name)
    _box_text(pdf, x0, y1 + lower - LINE, c1, "Получатель", size=7)
    _box_text(pdf, x1, y1 + 0.3, c2, "Сч. №")
    _box_text(pdf, x2, y1 + 0.3, c3, bank.account)
    pdf.set_xy(LEFT, y1 + lower + 6)


def _title(pdf: FPDF, doc: m.DocumentOut) -> None:
    pdf.set_font(FONT, "B", 14)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, 7, title(doc), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y() + 1
    pdf.set_line_width(0.6)
    pdf.line(LEFT, y, LEFT + WIDTH, y)
    pdf.set_line_width(0.2)
    pdf.set_xy(LEFT, y + 3)


def _labelled(pdf: FPDF, label: str, text: str, label_width: float = 30) -> None:
    """A «Поставщик: …» row: the label on the left, the value in bold beside it."""
    y = pdf.get_y()
    _box_text(pdf, LEFT, y, label_width, label)
    after_label = pdf.get_y()
    _box_text(pdf, LEFT + label_width, y, WIDTH - label_width, text, style="B")
    pdf.set_xy(LEFT, max(after_label, pdf.get_y()) + 2)


def _lines_table(pdf: FPDF, doc: m.DocumentOut) -> None:
    """№ / name / Кол-во / Ед. / Цена / Сумма; names wrap, the heading repeats on each page."""
    pdf.set_font(FONT, "", 8.5)
    pdf.set_line_width(0.2)
    with pdf.table(
        width=WIDTH,
        col_widths=COL_WIDTHS,
        text_align=COL_ALIGN,
        align=Align.L,
        v_align=VAlign.M,
        line_height=4.2,
        padding=(0.8, 1.2),
        headings_style=FontFace(emphasis="BOLD"),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        first_row_as_headings=True,
    ) as table:
        heading = table.row()
        for text in HEADINGS:
            heading.cell(text or ITEM_HEADINGS[doc.type], align=Align.C)
        for number, line in enumerate(doc.lines, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(line.name)
            row.cell(quantity(line.quantity))
            row.cell(line.unit)
            row.cell(money(line.price))
            row.cell(money(line.amount))
    pdf.set_x(LEFT)
    pdf.ln(2)


def _totals(pdf: FPDF, org: m.Org, doc: m.DocumentOut) -> None:
    lines_sum = sum((line.amount for line in doc.lines), Decimal(0))
    rows: list[tuple[str, str]] = [(TOTAL, money(lines_sum))]
    vat = vat_rows(org, doc)
    rows += [(label, money(amount)) for label, amount in vat] or [(NO_VAT, "—")]
    if doc.type == "invoice":
        rows.append((DUE, money(doc.total)))
    elif vat and not doc.vat_included:
        rows.append((GRAND_TOTAL, money(doc.total)))
    pdf.set_font(FONT, "B", SIZE)
    value_width = 40.0
    for label, value in rows:
        pdf.set_x(LEFT)
        pdf.cell(WIDTH - value_width, 5, label, align=Align.R)
        pdf.cell(value_width, 5, value, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    summary = INVOICE_SUMMARY if doc.type == "invoice" else ACT_SUMMARY
    _box_text(pdf, LEFT, pdf.get_y(),
              WIDTH, summary.format(count=len(doc.lines), amount=money(doc.total)))
    _box_text(pdf, LEFT, pdf.get_y(), WIDTH, doc.total_in_words, style="B")
    pdf.set_x(LEFT)


def _rule(pdf: FPDF, gap: float = 3) -> None:
    y = pdf.get_y() + gap
    pdf.set_line_width(0.6)
    pdf.line(LEFT, y, LEFT + WIDTH, y)
    pdf.set_line_width(0.2)
    pdf.set_xy(LEFT, y + gap + 2)


def _signature(pdf: FPDF, x: float, y: float, label: str, name: str, width: float) -> float:
    """«Руководитель ______ Иванов И. И.» with small captions under the line and the name.

    Returns the y under the captions.
    """
    pdf.set_font(FONT, "", SIZE)
    label_width = pdf.get_string_width(label) + 2
    line_width = 32.0
    name_width = max(10.0, width - label_width - line_width - 2)
    pdf.set_xy(x, y)
    pdf.cell(label_width, 5, label)
    pdf.cell(line_width, 5, "", border="B")
    pdf.cell(2, 5, "")
    pdf.cell(name_width, 5, name, border="B", align=Align.C)
    pdf.set_font(FONT, "", 6)
    pdf.set_xy(x + label_width, y + 5)
    pdf.cell(line_width, 3, SIGNATURE, align=Align.C)
    pdf.cell(2, 3, "")
    pdf.cell(name_width, 3, SIGNATURE_NAME, align=Align.C)
    pdf.set_font(FONT, "", SIZE)
    return y + 9


def _invoice_signatures(pdf: FPDF, org: m.Org) -> None:
    y = pdf.get_y() + 2
    half = WIDTH / 2
    director = initials(org.director)
    accountant = initials(org.chief_accountant) if org.chief_accountant else None
    if org.kind == "ip":
        bottom = _signature(pdf, LEFT, y, ENTREPRENEUR, director, WIDTH if not accountant else
                            half + 20)
        if accountant:
            bottom = max(bottom, _signature(pdf, LEFT + half + 25, y, ACCOUNTANT, accountant,
                                            half - 25))
    else:
        # An ООО without a chief accountant: the director keeps the books himself
        # (402-ФЗ, ст. 7 ч. 3) and signs in both places.
        bottom = _signature(pdf, LEFT, y, DIRECTOR, director, half - 4)
        bottom = max(bottom, _signature(pdf, LEFT + half + 4, y, ACCOUNTANT,
                                        accountant or director, half - 4))
    pdf.set_xy(LEFT, bottom + 2)


def _party_head(
    pdf: FPDF, x: float, y: float, width: float, caption: str, position: str | None, name: str
) -> float:
    """The heading of one column of the act's signature blocks; returns the y under it."""
    _box_text(pdf, x, y, width, caption, style="B")
    if position:
        _box_text(pdf, x, pdf.get_y(), width, position)
    _box_text(pdf, x, pdf.get_y(), width, name)
    return pdf.get_y()


def _party_signature_line(pdf: FPDF, x: float, y: float, width: float, signer: str) -> float:
    """«______ / Иванов И. И.» with captions and «М.П.»; returns the y under it."""
    line_width = 35.0
    name_width = width - line_width - 2
    pdf.set_font(FONT, "", SIZE)
    pdf.set_xy(x, y)
    pdf.cell(line_width, 5, "", border="B")
    pdf.cell(2, 5, "")
    pdf.cell(name_width, 5, signer, border="B", align=Align.C)
    pdf.set_font(FONT, "", 6)
    pdf.set_xy(x, y + 5)
    pdf.cell(line_width, 3, SIGNATURE, align=Align.C)
    pdf.cell(2, 3, "")
    pdf.cell(name_width, 3, SIGNATURE_NAME, align=Align.C)
    _box_text(pdf, x, y + 9, width, STAMP, size=7)
    return pdf.get_y()


def _act_signatures(pdf: FPDF, org: m.Org, doc: m.DocumentOut,
                    cp: m.CounterpartyOut | None) -> None:
    """ИСПОЛНИТЕЛЬ on the left, ЗАКАЗЧИК on the right, their signature lines level."""
    y = pdf.get_y() + 2
    width = WIDTH / 2 - 5
    executor_position = ENTREPRENEUR if org.kind == "ip" else DIRECTOR
    customer_position = {"ip": ENTREPRENEUR, "org": DIRECTOR}.get(cp.kind) if cp else None
    customer = (cp.name if cp else counterparty_name(doc, cp)) or ""
    columns = (
        (LEFT, EXECUTOR_CAPTION, executor_position, org.short_name, initials(org.director)),
        (LEFT + WIDTH / 2 + 5, CUSTOMER_CAPTION, customer_position, customer, ""),
    )
    heads = max(
        _party_head(pdf, x, y, width, caption, position, name)
        for x, caption, position, name, _ in columns
    )
    bottom = max(
        _party_signature_line(pdf, x, heads + 6, width, signer)
        for x, _, _, _, signer in columns
    )
    pdf.set_xy(LEFT, bottom + 2)


def _keep_together(pdf: _Pdf, draw: Callable[[_Pdf], None]) -> None:
    """Draw a block on this page if it fits, else start it on a new page.

    The block is first drawn on a copy of the document; if that copy had to break the
    page, the real one breaks before the block instead.
    """
    trial = copy.deepcopy(pdf)
    page = trial.page
    draw(trial)
    if trial.page != page:
        pdf.add_page()
    draw(pdf)


def _draw_invoice(pdf: _Pdf, org: m.Org, doc: m.DocumentOut,
                  cp: m.CounterpartyOut | None) -> None:
    _bank_block(pdf, org)
    _title(pdf, doc)
    _labelled(pdf, INVOICE_SUPPLIER, org_party(org, with_bank=False))
    _labelled(pdf, INVOICE_BUYER, counterparty_party(doc, cp, with_bank=False))
    if (text := basis(doc)) is not None:
        _labelled(pdf, BASIS, text)
    pdf.ln(1)
    _lines_table(pdf, doc)

    def tail(p: _Pdf) -> None:
        _totals(p, org, doc)
        _rule(p)
        _invoice_signatures(p, org)

    _keep_together(pdf, tail)


def _draw_act(pdf: _Pdf, org: m.Org, doc: m.DocumentOut, cp: m.CounterpartyOut | None) -> None:
    _title(pdf, doc)
    _labelled(pdf, ACT_EXECUTOR, org_party(org, with_bank=True), label_width=28)
    _labelled(pdf, ACT_CUSTOMER, counterparty_party(doc, cp, with_bank=True), label_width=28)
    if (text := basis(doc)) is not None:
        _labelled(pdf, BASIS, text, label_width=28)
    pdf.ln(1)
    _lines_table(pdf, doc)

    def tail(p: _Pdf) -> None:
        _totals(p, org, doc)
        p.ln(2)
        _box_text(p, LEFT, p.get_y(), WIDTH, ACT_STATEMENT)
        _rule(p)
        _act_signatures(p, org, doc, cp)

    _keep_together(pdf, tail)


DRAW = {"invoice": _draw_invoice, "act": _draw_act}


def render_document_pdf(
    org: m.Org, doc: m.DocumentOut, counterparty: m.CounterpartyOut | None
) -> bytes:
    """The printable form of ``doc`` (a счёт на оплату or an акт) as PDF bytes.

    Raises ``ValueError`` for a document type that has no printable form here.
    A form that runs onto several pages gets «стр. N из M» at the foot of each page.
    """
    if doc.type not in DRAW:
        raise ValueError(f"no printable form for a document of type {doc.type!r}")
    draw = DRAW[doc.type]
    pdf = _new_pdf(org, doc, numbered=False)
    draw(pdf, org, doc, counterparty)
    if pdf.page > 1:  # drawn again, now with page numbers (their total is known)
        pdf = _new_pdf(org, doc, numbered=True)
        draw(pdf, org, doc, counterparty)
    return bytes(pdf.output())
