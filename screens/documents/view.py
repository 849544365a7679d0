"""Provides the read-only card of a posted or cancelled document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from core import contract as m
from core import documents as calc
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
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.widgets.money import money

if TYPE_CHECKING:
    pass

# --- read-only card -------------------------------------------------------------------


class DocumentViewScreen(BuhtaScreen):
    """A posted or cancelled document as it stands; s saves the PDF, x cancels it."""

    CSS_PATH = sheets("documents")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docview.back"),
        Binding("x,delete", "cancel_doc", "docs.cancel", id="docview.cancel"),
        Binding("s,ctrl+s,f9", "pdf", "docs.pdf", id="docview.pdf"),
        Binding("g", "signatures", "sig.key.open", id="docview.signatures"),
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
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
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
            f"{title_of(doc)} — {state_name(doc.state, doc.type)}")
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
        table = self.query_one(DataTable)
        table.clear()
        for line in doc.lines:
            table.add_row(line.name[:24], calc.quantity_text(line.quantity), line.unit[:4],
                          Text(money(line.price), justify="right"), rate_text(line.vat_rate),
                          Text(money(line.amount), justify="right"))
        rates = [line.vat_rate for line in doc.lines] or [doc.vat_rate]
        self.query_one("#view-totals", Static).update(totals_text(
            doc.total, doc.vat_total, doc.vat_included, all(r == "none" for r in rates)))
        self.query_one("#view-words", Static).update(doc.total_in_words)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_doc":
            return True if self.doc.state != "cancelled" else None
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

    async def action_signatures(self) -> None:
        """Sign the document, see its signatures (screens.signatures, opened by the app)."""
        await self.app.run_action(f"sign_document({self.doc.id!r})")

    def action_back(self) -> None:
        self.dismiss(self.doc if self.changed else None)


