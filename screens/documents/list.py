"""Provides the month's documents (newest first, paged from the server) and the type
chooser."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from core import contract as m
from screens.documents.common import (
    PAGE,
    PREFETCH,
    PRINTABLE,
    TYPES,
    DocumentCancelled,
    DocumentPosted,
    PdfSaved,
    cancel_dialog,
    save_pdf,
    state_name,
    title_of,
    type_name,
    type_short,
)
from screens.documents.form import DocumentFormScreen
from screens.documents.view import DocumentViewScreen
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.counterparties import SEARCH_DELAY_S
from tui.widgets.dates import month_end, month_title, step_month
from tui.widgets.form import ErrorLine
from tui.widgets.money import money
from tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from client.api import ApiClient

# --- list -----------------------------------------------------------------------------


class DocumentsScreen(BuhtaScreen):
    """Документы: the month's documents, newest first, paged from the server."""

    CSS_PATH = sheets("documents")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docs.back"),
        Binding("slash", "search", "docs.find", id="docs.search"),
        Binding("n", "new", "docs.new", id="docs.new"),
        # A priority key: the table's own Enter would otherwise hide it in the Footer.
        Binding("enter", "open", "docs.open", id="docs.open", key_display="↵", priority=True),
        Binding("p", "post", "docs.post", id="docs.post"),
        Binding("x,delete", "cancel_doc", "docs.cancel", id="docs.cancel"),
        Binding("s,ctrl+s,f9", "pdf", "docs.pdf", id="docs.pdf"),
        # The period line names these keys; the Footer has no room left for them.
        Binding("f", "filter", "docs.filter", id="docs.filter", show=False),
        Binding("left_square_bracket", "step(-1)", "ledger.prev", id="docs.prev", show=False),
        Binding("right_square_bracket", "step(1)", "ledger.next", id="docs.next", show=False),
        Binding("f5", "reload", "devices.refresh", id="docs.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date.today().replace(day=1)
        self.doc_type: str | None = None

    @property
    def table(self) -> PagedTable:
        return self.query_one("#documents", PagedTable)

    @property
    def rows(self) -> list[m.DocumentOut]:
        """The documents loaded, top first."""
        return self.table.items

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="docs-period")
        yield Input(id="search", placeholder=t("docs.search"), compact=True)
        yield PagedTable(page=self._page, render=lambda doc: [self._cells(doc)],
                         empty="#docs-empty", empty_text=lambda: t("docs.empty"),
                         prefetch=PREFETCH, id="documents", cursor_type="row",
                         zebra_stripes=True)
        yield Static("", id="docs-empty", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(t("docs.date"), width=8, key="date")
        table.add_column(t("docs.type"), width=13, key="type")
        table.add_column("№", width=5, key="number")
        table.add_column(t("docs.counterparty"), width=15, key="counterparty")
        table.add_column(t("docs.amount"), width=14, key="amount")
        table.add_column(t("docs.state"), width=9, key="state")
        table.focus()
        self.action_reload()

    def on_org_changed(self, _message: Any) -> None:
        self.action_reload()

    # --- loading ------------------------------------------------------------------

    def _period_text(self) -> str:
        kind = type_short(self.doc_type) if self.doc_type else t("docs.all_types")
        return t("docs.period_line", month=month_title(self.month), type=kind)

    def action_reload(self, delay: float = 0) -> None:
        """Start over from the first page (an answer to an older question is dropped)."""
        self.query_one("#docs-period", Static).update(self._period_text())
        self.table.reload(delay=delay)

    def _page(self, cursor: str | None
              ) -> Callable[[ApiClient], Awaitable[m.DocumentPage]] | None:
        org = self.buhta.org
        if org is None:
            return None
        doc_type = self.doc_type
        start, end = self.month.isoformat(), month_end(self.month).isoformat()
        q = self.query_one("#search", Input).value.strip() or None
        return lambda api: api.documents.search(org.id, type=doc_type, date_from=start, date_to=end,
                                         q=q, cursor=cursor, limit=PAGE)

    @on(PagedTable.Shown)
    def _shown(self) -> None:
        self.refresh_bindings()

    def _cells(self, doc: m.DocumentOut) -> tuple[Any, ...]:
        return (
            doc.date.strftime("%d.%m.%y"),
            type_short(doc.type),
            str(doc.number),
            (doc.counterparty or "—")[:16],
            Text(money(doc.total), justify="right"),
            state_name(doc.state, doc.type, doc.payment_state, short=True),
        )

    def _replace(self, doc: m.DocumentOut) -> None:
        """Show a document's new state in its row (posted, cancelled) without a reload."""
        self.table.replace(doc, lambda a, b: a.id == b.id)
        self.refresh_bindings()

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self.action_reload(delay=SEARCH_DELAY_S)

    def action_step(self, months: int) -> None:
        self.month = step_month(self.month, months)
        self.action_reload()

    def action_filter(self) -> None:
        """Cycle the type filter: all, then each type in turn."""
        order: list[str | None] = [None, *TYPES]
        self.doc_type = order[(order.index(self.doc_type) + 1) % len(order)]
        self.action_reload()

    # --- actions ------------------------------------------------------------------

    def _selected(self) -> m.DocumentOut | None:
        return self.table.current

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("post", "cancel_doc", "pdf"):
            doc = self._selected()
            if doc is None:
                return None
            if action == "post":
                return True if doc.state == "draft" else None
            if action == "cancel_doc":
                return True if doc.state != "cancelled" else None
            return True if doc.type in PRINTABLE and doc.state != "cancelled" else None
        return True

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_back(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self.query_one(DataTable).focus()  # Escape ends the search, not the screen
            return
        self.dismiss()

    def action_new(self) -> None:
        if self.buhta.require_org() is None:
            return

        def chosen(doc_type: str | None) -> None:
            if doc_type:
                self.app.push_screen(DocumentFormScreen(doc_type, None,
                                                        default_day=self._default_day()),
                                     self._saved)

        self.app.push_screen(DocTypeDialog(), chosen)

    def _default_day(self) -> date:
        today = date.today()
        return today if today.replace(day=1) == self.month else month_end(self.month)

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        if self.query_one("#search", Input).has_focus:
            self.query_one(DataTable).focus()  # Enter ends the search: back to the list
            return
        doc = self._selected()
        if doc is None:
            return
        if doc.state == "draft":
            self.app.push_screen(DocumentFormScreen(doc.type, doc), self._saved)
        else:
            self.app.push_screen(DocumentViewScreen(doc), self._saved)

    def _saved(self, doc: m.DocumentOut | None) -> None:
        if doc is None:
            return
        if doc.date.replace(day=1) != self.month:
            self.month = doc.date.replace(day=1)  # show the month the document went to
        self.action_reload()

    def action_post(self) -> None:
        doc, org_id = self._selected(), self.buhta.require_org()
        if doc is None or org_id is None or doc.state != "draft":
            return
        self.call_api(lambda api: api.documents.post(org_id, doc.id), done=DocumentPosted)

    @on(DocumentPosted)
    def _posted(self, message: DocumentPosted) -> None:
        doc = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.posted", title=title_of(doc), amount=money(doc.total)))
        self._replace(doc)

    def action_cancel_doc(self) -> None:
        doc, org_id = self._selected(), self.buhta.require_org()
        if doc is None or org_id is None or doc.state == "cancelled":
            return

        def answered(reason: str | None) -> None:
            if reason:
                self.call_api(lambda api: api.documents.cancel(org_id, doc.id, reason),
                              done=DocumentCancelled)

        self.app.push_screen(cancel_dialog(doc), answered)

    @on(DocumentCancelled)
    def _cancelled(self, message: DocumentCancelled) -> None:
        doc = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.cancelled", title=title_of(doc)))
        self._replace(doc)

    def action_pdf(self) -> None:
        doc, org_id = self._selected(), self.buhta.require_org()
        if doc is None or org_id is None:
            return
        if doc.type not in PRINTABLE:
            self.query_one(ErrorLine).show(t("docs.pdf_only"))
            return
        self.call_api(lambda api: save_pdf(api, org_id, doc), done=PdfSaved)

    @on(PdfSaved)
    def _pdf_saved(self, message: PdfSaved) -> None:
        path = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.pdf_saved", path=str(path)), timeout=15)


# --- type chooser ---------------------------------------------------------------------


class DocTypeDialog(BuhtaModal):
    """Which document to make: arrows and Enter, or its digit."""

    CSS_PATH = sheets("documents")
    BINDINGS = [
        Binding("escape", "cancel", "app.back", id="doctype.cancel"),
        *(Binding(str(n), f"pick({n - 1})", "docs.choose", id=f"doctype.{n}", show=False)
          for n in range(1, len(TYPES) + 1)),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("docs.choose_title"), classes="form-title")
            yield OptionList(
                *(Option(f"{n}  {type_name(kind)}", id=kind)
                  for n, kind in enumerate(TYPES, start=1)),
                id="doc-types", compact=True)
            yield Static(t("docs.choose_hint"), classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        self.dismiss(TYPES[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


