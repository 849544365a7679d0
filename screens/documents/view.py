"""Provides the read-only card of a posted or cancelled document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Input, Static

from client.i18n import t
from core import contract as m
from core import documents as calc
from screens.documents import basis
from screens.documents.common import (
    PRINTABLE,
    DocumentCancelled,
    PdfSaved,
    cancel_dialog,
    is_line_doc,
    rate_text,
    save_pdf,
    state_name,
    title_of,
    totals_text,
    type_name,
)
from screens.documents.form import DocumentFormScreen
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.money import money

if TYPE_CHECKING:
    pass

# --- read-only card -------------------------------------------------------------------


def paid_text(doc: m.DocumentOut) -> str:
    """An invoice's payments: «Оплачен частично: 4 000,00 из 10 000,00»; "" otherwise."""
    if doc.payment_state is None:
        return ""
    return t(f"docs.paid.{doc.payment_state}", paid=money(doc.paid or 0),
             total=money(doc.total))



MEMO_WIDTH = 40
"""The postings' text: «Себестоимость проданных товаров» whole at 80 columns."""


class DocumentViewScreen(BuhtaScreen):
    """A posted or cancelled document as it stands; s saves the PDF, x cancels it."""

    CSS_PATH = sheets("documents")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docview.back"),
        Binding("x,delete", "cancel_doc", "docs.cancel", id="docview.cancel"),
        Binding("s,ctrl+s,f9", "pdf", "docs.pdf", id="docview.pdf"),
        Binding("g", "signatures", "sig.key.open", id="docview.signatures"),
        Binding("b", "based_on", "docs.based_on", id="docview.based_on"),
    ]

    def __init__(self, doc: m.DocumentOut) -> None:
        super().__init__()
        self.doc = doc
        self.changed = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="doc-view"):
            yield Static("", id="view-title", classes="form-title")
            yield Static("", id="view-head")
            yield DataTable(id="view-lines", cursor_type="row", zebra_stripes=True,
                            show_cursor=False)
            yield Static("", id="view-totals")
            yield Static("", id="view-words", classes="hint")
            yield Static("", id="view-paid")
            yield Static(t("docs.postings_title"), id="view-postings-title", classes="section")
            yield DataTable(id="view-postings", cursor_type="row", zebra_stripes=True,
                            show_cursor=False)
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        entries = self.query_one("#view-postings", DataTable)
        entries.add_column(t("docs.posting_debit"), width=7)
        entries.add_column(t("docs.posting_credit"), width=7)
        entries.add_column(t("docs.amount"), width=14)
        entries.add_column(t("docs.posting_memo"), width=MEMO_WIDTH)
        table = self.query_one("#view-lines", DataTable)
        if is_line_doc(self.doc.type):
            table.add_column(t("docs.line_name"), width=24)
            table.add_column(t("docs.qty"), width=7)
            table.add_column(t("docs.unit"), width=4)
            table.add_column(t("docs.price"), width=12)
            table.add_column(t("docs.vat"), width=4)
            table.add_column(t("docs.amount"), width=14)
        else:
            table.display = False
        self.show_doc(self.doc)
        table.focus()

    def show_doc(self, doc: m.DocumentOut) -> None:
        self.doc = doc
        self.sub_title = type_name(doc.type)
        self.query_one("#view-title", Static).update(
            f"{title_of(doc)} — {state_name(doc.state, doc.type, doc.payment_state)}")
        head = []
        if doc.counterparty:
            head.append(f"{t('docs.counterparty')}: {doc.counterparty}")
        for key, value in (("docs.contract", doc.contract), ("docs.basis", doc.basis),
                           ("docs.purpose", doc.purpose), ("docs.account", doc.account)):
            if value:
                head.append(f"{t(key)}: {value}")
        if not is_line_doc(doc.type):
            head.append(f"{t('docs.vat')}: {calc.rate_label(doc.vat_rate)}")
        self.query_one("#view-head", Static).update("\n".join(head))
        table = self.query_one("#view-lines", DataTable)
        table.clear()
        for line in doc.lines:
            table.add_row(line.name[:24], calc.quantity_text(line.quantity), line.unit[:4],
                          Text(money(line.price), justify="right"), rate_text(line.vat_rate),
                          Text(money(line.amount), justify="right"))
        rates = [line.vat_rate for line in doc.lines] or [doc.vat_rate]
        self.query_one("#view-totals", Static).update(totals_text(
            doc.total, doc.vat_total, doc.vat_included, all(r == "none" for r in rates)))
        self.query_one("#view-words", Static).update(doc.total_in_words)
        self.query_one("#view-paid", Static).update(paid_text(doc))
        entries = self.query_one("#view-postings", DataTable)
        entries.clear()
        for p in doc.postings:
            entries.add_row(p.debit, p.credit, Text(money(p.amount), justify="right"),
                            (p.memo or "")[:MEMO_WIDTH])
        shown = bool(doc.postings)
        entries.display = shown
        self.query_one("#view-postings-title", Static).display = shown
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_doc":
            return True if self.doc.state != "cancelled" else None
        if action == "based_on":
            return True if basis.choices(self.doc) else None
        if action == "pdf":
            return True if self.doc.type in PRINTABLE and self.doc.state != "cancelled" \
                else None
        return True

    def action_cancel_doc(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.doc.state == "cancelled":
            return
        doc_id = self.doc.id

        def answered(reason: str | None) -> None:
            if reason:
                self.call_api(lambda api: api.documents.cancel(org_id, doc_id, reason),
                              done=DocumentCancelled)

        self.app.push_screen(cancel_dialog(self.doc), answered)

    @on(DocumentCancelled)
    def _cancelled(self, message: DocumentCancelled) -> None:
        doc = message.result
        self.changed = True
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.cancelled", title=title_of(doc)))
        self.show_doc(doc)

    def action_pdf(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.doc.type not in PRINTABLE:
            return
        doc = self.doc
        self.call_api(lambda api: save_pdf(api, org_id, doc), done=PdfSaved)

    @on(PdfSaved)
    def _pdf_saved(self, message: PdfSaved) -> None:
        path = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.pdf_saved", path=str(path)), timeout=15)

    def action_based_on(self) -> None:
        """«Создать на основании»: an act or a sale from an invoice, a payment order from a
        поступление (``screens.documents.basis``)."""
        options = basis.choices(self.doc)
        if not options:
            return

        async def chosen(choice: str | None) -> None:
            if choice == "payment_order":
                await self._payment_order()
            elif choice:
                self.app.push_screen(
                    DocumentFormScreen(choice, None, template=basis.template(self.doc, choice)),
                    self._made)

        if len(options) == 1:
            self.run_worker(chosen(options[0]), exclusive=True)
        else:
            self.app.push_screen(basis.BasisDialog(options), chosen)

    def _made(self, doc: m.DocumentOut | None) -> None:
        if doc is not None:
            self.changed = True  # the list shows the new document

    async def _payment_order(self) -> None:
        """The payment order form, filled: the supplier, the amount and the purpose."""
        doc = self.doc
        try:
            screen = basis.other_screen(basis.PAYMENT_FORM)(kind="supplier")
        except Exception:  # a screen that cannot open must not crash the card
            self.query_one(ErrorLine).show(t("docs.basis.failed"))
            return
        amount, purpose = basis.order_figures(doc)
        await self.app.push_screen(screen, lambda _order: self._made(None))
        screen.counterparty_id = doc.counterparty_id
        screen.counterparty_name = doc.counterparty or ""
        screen.query_one("#counterparty", Input).value = doc.counterparty or ""
        screen.query_one("#amount", Input).value = f"{amount:.2f}".replace(".", ",")
        screen.query_one("#purpose", Input).value = purpose
        screen._show_chosen()

    async def action_signatures(self) -> None:
        """Sign the document, see its signatures (screens.signatures, opened by the app)."""
        await self.app.run_action(f"sign_document({self.doc.id!r})")

    def action_back(self) -> None:
        self.dismiss(self.doc if self.changed else None)


