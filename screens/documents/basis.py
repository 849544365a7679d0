"""Provides «создать на основании»: what a document can be the basis of (an act or a
sale from an invoice, a payment order from a поступление), the new document's template,
the payment order's figures, and the dialog choosing among them.

Another area's screen (the counterparty form, the payment order form) is opened by its
module path, as the app opens every screen: the screen areas stay independent."""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from core import contract as m
from core import documents as calc
from screens.documents.common import title_of, type_name
from tui.screen import BuhtaModal
from tui.styles import sheets

BASED_ON: dict[str, tuple[str, ...]] = {
    "invoice": ("act", "sale_goods"),
    "purchase_goods": ("payment_order",),
    "purchase_services": ("payment_order",),
}
"""What each type can be the basis of; ``payment_order`` is a payment order (платёжное
поручение) to the supplier, the others document types."""

PAYMENT_FORM = "screens.payments.form:PaymentFormScreen"
COUNTERPARTY_FORM = "screens.ledger.counterparties:CounterpartyFormScreen"


def other_screen(path: str) -> Any:
    """``"screens.ledger.counterparties:CounterpartyFormScreen"`` → the class."""
    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def choices(doc: m.DocumentOut) -> tuple[str, ...]:
    """What ``doc`` can be the basis of: only a posted document is."""
    return BASED_ON.get(doc.type, ()) if doc.state == "posted" else ()


def template(doc: m.DocumentOut, new_type: str) -> m.DocumentOut:
    """The new document's starting values: the counterparty, the contract, the lines and
    the VAT inclusion of ``doc``, «основание» naming it («Счёт на оплату № 1 от
    02.03.2026»: the server links the payments naming the invoice to it)."""
    return doc.model_copy(update={
        "type": new_type, "basis": title_of(doc)[:300], "purpose": None, "account": None,
        "state": "draft", "entry_id": None, "postings": [], "paid": None,
        "payment_state": None,
    })


def order_figures(doc: m.DocumentOut) -> tuple[Decimal, str]:
    """A payment order's amount and purpose for a поступление: the whole sum, naming the
    supplier's счёт-фактура when it is known, else the document, with its VAT clause:
    12 200,00 with VAT 22 % 2 200,00 → «Оплата по Поступление товаров № 3 от 04.03.2026.
    В т.ч. НДС (22 %) 2200,00 руб.»."""
    number = getattr(doc, "supplier_invoice_number", None)
    day = getattr(doc, "supplier_invoice_date", None)
    if number:
        what = f"счёту-фактуре № {number}" + (f" от {day:%d.%m.%Y}" if day else "")
    else:
        what = title_of(doc)
    rates = {line.vat_rate for line in doc.lines} or {doc.vat_rate}
    if doc.vat_total == 0:
        clause = calc.vat_purpose_text("none", Decimal("0"))
    elif len(rates) == 1:
        clause = calc.vat_purpose_text(next(iter(rates)), doc.vat_total)
    else:
        clause = f"В т.ч. НДС {doc.vat_total:.2f}".replace(".", ",") + " руб."
    return doc.total, f"Оплата по {what}. {clause}"[:210]


def choice_name(choice: str) -> str:
    return t("docs.basis.payment_order") if choice == "payment_order" else type_name(choice)


class BasisDialog(BuhtaModal):
    """What to make on the basis of a document: arrows and Enter, or its digit."""

    CSS_PATH = sheets("documents")
    BINDINGS = [
        Binding("escape", "cancel", "app.back", id="basis.cancel"),
        Binding("1", "pick(0)", "docs.choose", id="basis.1", show=False),
        Binding("2", "pick(1)", "docs.choose", id="basis.2", show=False),
    ]

    def __init__(self, options: tuple[str, ...]) -> None:
        super().__init__()
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("docs.basis.title"), classes="form-title")
            yield OptionList(*(Option(f"{n}  {choice_name(c)}", id=c)
                               for n, c in enumerate(self.options, start=1)),
                             id="basis-options", compact=True)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        if index < len(self.options):
            self.dismiss(self.options[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
