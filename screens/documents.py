"""Provides the primary-document screens: the month's list, the type chooser, the form,
the read-only card and the cancel dialog.

The list never loads the whole history: it holds pages fetched from the server,
newest first, and asks for the next page as the cursor nears the end. The form
computes its live totals with ``core.documents``, the same rules the server
stores, so the two never disagree by a kopeck.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from client.errors import ApiError
from client.export import default_export_dir as export_dir
from client.i18n import t
from core import contract as m
from core import documents as calc
from core.money import amount_in_words, parse_amount
from core.validation import InvalidInput
from tui.dialogs.reason import ReasonDialog
from tui.errors import field_of, invalid_text
from tui.localize import localize_bindings
from tui.screen import BuhtaModal, BuhtaScreen
from tui.widgets.counterparties import SEARCH_DELAY_S, CounterpartyForm, LookupInput
from tui.widgets.dates import month_end, month_title, parse_day, step_month
from tui.widgets.form import ErrorLine, FormRow, InfoLine, TickBox
from tui.widgets.money import money, money_input
from tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 50
PREFETCH = 10
TYPES: tuple[str, ...] = calc.DOC_TYPES
PRINTABLE = ("invoice", "act")
MONEY_IN = ("bank_in", "cash_in")
DEFAULT_ACCOUNT = {"bank_in": "62.01", "cash_in": "62.01", "bank_out": "60.01",
                   "cash_out": "60.01", "purchase_services": "26"}
"""The correspondent account a new document starts with (the user may type another)."""
DEFAULT_UNIT = "шт"
"""A line's unit when none is typed (a word of the document, not of the interface)."""
CODE_FIELDS = {"doc.number_taken": "number", "ledger.period_closed": "day",
               "ledger.unknown_account": "account", "ledger.unknown_counterparty": "counterparty",
               "doc.zero_total": "lines"}
"""The field a server refusal is about: the cursor goes there, the reason beside it."""
VAT_BY_MODE = {"none": "none", "usn_5": "5", "usn_7": "7"}
VAT_WORDS = {"без": "none", "без ндс": "none", "нет": "none", "none": "none", "no": "none",
             "-": "none", "—": "none"}


# --- small helpers --------------------------------------------------------------------


def type_short(doc_type: str) -> str:
    return t(f"docs.short.{doc_type}")


def type_name(doc_type: str) -> str:
    return t(f"docs.type.{doc_type}")


def state_name(state: str, doc_type: str = "") -> str:
    """An invoice makes no postings: once saved for good it is «выставлен», not «проведён»."""
    if doc_type == "invoice" and state == "posted":
        return t("docs.state.issued")
    return t(f"docs.state.{state}")


def is_line_doc(doc_type: str) -> bool:
    return doc_type in m.LINE_DOC_TYPES


def title_of(doc: m.DocumentOut) -> str:
    return calc.document_title(doc.type, doc.number, doc.date)


def rate_text(rate: str) -> str:
    """What the VAT box shows: ``без`` or the per cent figure."""
    return t("docs.vat_none") if rate == "none" else rate


def parse_rate(text: str) -> str:
    """``без``, ``22``, ``22 %`` → a VatRate; anything else raises InvalidInput."""
    value = text.strip().lower().rstrip("%").strip()
    if value in ("", *VAT_WORDS):
        return "none"
    if value in calc.VAT_RATES:
        return value
    raise InvalidInput("docs.bad_vat")


def next_rate(text: str) -> str:
    """The rate after the one typed, in the order of VAT_RATES (wrapping round)."""
    try:
        index = calc.VAT_RATES.index(parse_rate(text))
    except InvalidInput:
        index = -1
    return calc.VAT_RATES[(index + 1) % len(calc.VAT_RATES)]


def default_rate(vat_mode: str, day: date) -> str:
    """A new line's VAT rate for the organisation's VAT mode (22 % from 2026, 20 % before)."""
    if vat_mode == "general":
        return "22" if day.year >= 2026 else "20"
    return VAT_BY_MODE.get(vat_mode, "none")


def parse_quantity(text: str) -> Decimal:
    """``2``, ``1,5``, ``0.125``: positive, up to 3 decimals; else InvalidInput."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        quantity = Decimal(value)
    except InvalidOperation:
        raise InvalidInput("doc.quantity") from None
    if not quantity.is_finite() or quantity <= 0 or quantity != quantity.quantize(calc.MILLI):
        raise InvalidInput("doc.quantity")
    return quantity


def parse_price(text: str) -> Decimal:
    price = parse_amount(text) if text.strip() else Decimal("0.00")
    if price < 0:
        raise InvalidInput("doc.price")
    return price


def parse_number(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 999_999:
        raise InvalidInput("docs.bad_number")
    return int(value)


def pdf_name(doc: m.DocumentOut) -> str:
    """«Счёт_12_2026-03-05.pdf»."""
    short = type_short(doc.type).replace(" ", "_").replace("/", "_")
    return f"{short}_{doc.number}_{doc.date.isoformat()}.pdf"


async def save_pdf(api: ApiClient, org_id: str, doc: m.DocumentOut) -> Path:
    """Fetch the printable form and write it to the export folder; the file's path."""
    content = await api.document_pdf(org_id, doc.id)
    path = export_dir() / pdf_name(doc)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise ApiError(0, "docs.export_failed",
                       t("docs.export_failed", path=str(path), error=exc.strerror or exc)) \
            from exc
    return path


# --- list -----------------------------------------------------------------------------


class DocumentsScreen(BuhtaScreen):
    """Документы: the month's documents, newest first, paged from the server."""

    CSS_PATH = "../styles/documents.tcss"
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
        table.add_column(t("docs.counterparty"), width=16, key="counterparty")
        table.add_column(t("docs.amount"), width=14, key="amount")
        table.add_column(t("docs.state"), width=8, key="state")
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
        return lambda api: api.documents(org.id, type=doc_type, date_from=start, date_to=end,
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
            state_name(doc.state, doc.type),
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
        self.call_api("posted", lambda api: api.post_document(org_id, doc.id))

    def on_posted_done(self, doc: m.DocumentOut) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.posted", title=title_of(doc), amount=money(doc.total)))
        self._replace(doc)

    def action_cancel_doc(self) -> None:
        doc, org_id = self._selected(), self.buhta.require_org()
        if doc is None or org_id is None or doc.state == "cancelled":
            return

        def answered(reason: str | None) -> None:
            if reason:
                self.call_api("cancelled", lambda api: api.cancel_document(
                    org_id, doc.id, reason))

        self.app.push_screen(cancel_dialog(doc), answered)

    def on_cancelled_done(self, doc: m.DocumentOut) -> None:
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
        self.call_api("pdf", lambda api: save_pdf(api, org_id, doc))

    def on_pdf_done(self, path: Path) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.pdf_saved", path=str(path)), timeout=15)


# --- type chooser ---------------------------------------------------------------------


class DocTypeDialog(BuhtaModal):
    """Which document to make: arrows and Enter, or its digit."""

    CSS_PATH = "../styles/documents.tcss"
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


# --- cancel dialog --------------------------------------------------------------------


def cancel_dialog(doc: m.DocumentOut) -> ReasonDialog:
    """Why the document is cancelled (its postings are reversed by the server)."""
    hint = t("docs.cancel_hint") if doc.state == "posted" and doc.entry_id else None
    return ReasonDialog(t("docs.cancel_title", title=title_of(doc), amount=money(doc.total)),
                        t("docs.cancel"), hint)


# --- read-only card -------------------------------------------------------------------


class DocumentViewScreen(BuhtaScreen):
    """A posted or cancelled document as it stands; s saves the PDF, x cancels it."""

    CSS_PATH = "../styles/documents.tcss"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docview.back"),
        Binding("x,delete", "cancel_doc", "docs.cancel", id="docview.cancel"),
        Binding("s,ctrl+s,f9", "pdf", "docs.pdf", id="docview.pdf"),
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
                self.call_api("cancelled", lambda api: api.cancel_document(
                    org_id, doc_id, reason))

        self.app.push_screen(cancel_dialog(self.doc), answered)

    def on_cancelled_done(self, doc: m.DocumentOut) -> None:
        self.changed = True
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.cancelled", title=title_of(doc)))
        self.show_doc(doc)

    def action_pdf(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.doc.type not in PRINTABLE:
            return
        doc = self.doc
        self.call_api("pdf", lambda api: save_pdf(api, org_id, doc))

    def on_pdf_done(self, path: Path) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("docs.pdf_saved", path=str(path)), timeout=15)

    def action_back(self) -> None:
        self.dismiss(self.doc if self.changed else None)


def totals_text(total: Decimal, vat: Decimal, vat_included: bool, no_vat: bool = False) -> str:
    """``Итого: 2 500,00 ₽ · в т.ч. НДС: 450,82 ₽`` («НДС сверху» when added on top,
    «без НДС» when no line has a rate)."""
    if no_vat:
        return f"{t('docs.total')}: {money(total)} · {t('docs.no_vat')}"
    key = "docs.vat_in" if vat_included else "docs.vat_on_top"
    return f"{t('docs.total')}: {money(total)} · {t(key)}: {money(vat)}"


# --- form -----------------------------------------------------------------------------


class VatInput(Input):
    """A VAT rate: type ``без``, ``0``, ``5``, ``7``, ``10``, ``20``, ``22``; space cycles."""

    BINDINGS = [Binding("space", "cycle", "docs.vat_cycle", id="vat.cycle")]

    def __init__(self, rate: str, *, id: str) -> None:
        super().__init__(rate_text(rate), id=id, compact=True, classes="vat")
        localize_bindings(self)
        self.touched = False
        """Typed by the user: the organisation's default no longer replaces it."""

    async def _on_key(self, event: events.Key) -> None:
        # A space is printable: the Input would type it before a binding could run.
        if event.key == "space":
            event.stop()
            event.prevent_default()
            self.action_cycle()
        elif event.is_printable:
            self.touched = True

    def action_cycle(self) -> None:
        self.touched = True
        self.value = rate_text(next_rate(self.value))
        self.cursor_position = len(self.value)


class LineRow(Horizontal):
    """One item line: name, quantity, unit, price, VAT rate; its amount beside."""

    def __init__(self, n: int, line: m.DocumentLineOut | None, rate: str) -> None:
        super().__init__(id=f"line-{n}", classes="line")
        self.n = n
        self.line = line
        self.rate = line.vat_rate if line else rate

    def compose(self) -> ComposeResult:
        line = self.line
        yield Input(line.name if line else "", id=f"name-{self.n}", compact=True,
                    placeholder=t("docs.line_name"), classes="name", max_length=300)
        yield Input(calc.quantity_text(line.quantity) if line else "1", id=f"qty-{self.n}",
                    compact=True, placeholder=t("docs.qty"), classes="qty")
        yield Input(line.unit if line else DEFAULT_UNIT, id=f"unit-{self.n}",
                    compact=True, classes="unit", max_length=20)
        yield Input(money_input(line.price) if line else "", id=f"price-{self.n}",
                    compact=True, placeholder=t("docs.price"), classes="price")
        vat = VatInput(self.rate, id=f"vat-{self.n}")
        vat.touched = line is not None
        yield vat
        yield Static("", id=f"amount-{self.n}", classes="line-amount")

    def blank(self) -> bool:
        return not any(self.query_one(f"#{f}-{self.n}", Input).value.strip()
                       for f in ("name", "price"))


class DocumentFormScreen(CounterpartyForm):
    """A new document or a draft: F2 posts it, F4 keeps a draft.

    Line documents (счёт, акт, накладная, поступление) have an editor of item lines;
    payments (банк, касса) have one amount with its VAT rate and purpose.
    """

    CSS_PATH = "../styles/documents.tcss"
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docform.back"),
        Binding("f2", "save(True)", "docs.post_key", id="docform.post"),
        Binding("f4", "save(False)", "docs.draft", id="docform.draft"),
        Binding("f3", "add_line", "docs.add_line", id="docform.add_line"),
        Binding("f7", "remove_line", "docs.remove_line", id="docform.remove_line"),
        # Codes arrive in the identity forms; here F8 still works but keeps off the Footer.
        Binding("f8", "app.mailbox", "app.mailbox", id="docform.mailbox", show=False),
    ]

    def __init__(self, doc_type: str, document: m.DocumentOut | None = None, *,
                 default_day: date | None = None) -> None:
        super().__init__()
        self.doc_type = doc_type
        self.document = document
        self.default_day = default_day or date.today()
        self.lines = 0
        self.rate = "none"
        """The VAT rate new lines start with (from the organisation's VAT mode)."""
        self.counterparty_id: str | None = document.counterparty_id if document else None
        self.counterparty_name: str = (document.counterparty or "") if document else ""
        self.matches: list[m.CounterpartyOut] = []
        self.match_gen = 0
        self.ok = False
        self.why = ""
        self.line_rows: list[LineRow] = []
        """The rows behind the lines last collected (the server's ``lines.N`` → a row)."""

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        doc, kind = self.document, self.doc_type
        day = (doc.date if doc else self.default_day).strftime("%d.%m.%Y")
        yield Header()
        with VerticalScroll(id="doc-form"):
            yield Static(self._title(), classes="form-title")
            yield FormRow(t("docs.date"), Input(day, id="day", compact=True),
                          Label("№", classes="inline-label"),
                          Input(str(doc.number) if doc else "", id="number", compact=True,
                                placeholder=t("docs.auto")), id="row-day")
            hint = "docs.cp_hint" if kind not in calc.NO_COUNTERPARTY_TYPES \
                else "docs.cp_hint_optional"
            yield FormRow(t("docs.counterparty"), LookupInput(
                self.counterparty_name, id="counterparty", compact=True, placeholder=t(hint)))
            matches = OptionList(id="cp-matches", compact=True)
            matches.can_focus = False  # the box keeps the focus; arrows move in the list
            yield matches
            yield Static("", id="cp-chosen", classes="hint")
            yield FormRow(t("docs.contract"), Input(doc.contract or "" if doc else "",
                                                    id="contract", compact=True, max_length=300))
            yield FormRow(t("docs.basis"), Input(doc.basis or "" if doc else "", id="basis",
                                                 compact=True, max_length=300))
            if is_line_doc(kind):
                yield from self._compose_lines()
            else:
                yield from self._compose_payment()
            yield Static("", id="doc-totals")
            yield Static("", id="doc-words", classes="hint")
            yield Static("", id="doc-why", classes="hint")
            yield from self.form_end(
                Button(t("docs.post_key"), id="submit", variant="primary", compact=True),
                Button(t("docs.draft"), id="draft", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def _compose_lines(self) -> ComposeResult:
        doc = self.document
        if self.doc_type == "purchase_services":
            yield FormRow(t("docs.expense_account"), Input(
                (doc.account if doc else None) or DEFAULT_ACCOUNT["purchase_services"],
                id="account", compact=True, placeholder="26 / 44"))
        yield TickBox(t("docs.vat_included"), doc.vat_included if doc else True,
                      id="vat-included", compact=True)
        with Horizontal(id="lines-head"):
            for text, cls in ((t("docs.line_name"), "name"), (t("docs.qty"), "qty"),
                              (t("docs.unit"), "unit"), (t("docs.price"), "price"),
                              (t("docs.vat"), "vat"), (t("docs.amount"), "line-amount")):
                yield Label(text, classes=cls)
        with Vertical(id="lines"):
            for line in (doc.lines if doc else []) or [None]:
                yield self._new_row(line)

    def _compose_payment(self) -> ComposeResult:
        doc = self.document
        yield FormRow(t("docs.amount"), Input(
            money_input(doc.total) if doc else "", id="amount", compact=True,
            placeholder="0,00"))
        vat = VatInput(doc.vat_rate if doc else self.rate, id="vat")
        vat.touched = doc is not None
        yield FormRow(t("docs.vat"), vat, Static(t("docs.vat_cycle_hint"), classes="hint"))
        yield FormRow(t("docs.purpose"), Input(doc.purpose or "" if doc else "", id="purpose",
                                               compact=True, max_length=210))
        yield FormRow(t("docs.account"), Input(
            (doc.account if doc else None) or DEFAULT_ACCOUNT[self.doc_type], id="account",
            compact=True))

    def _new_row(self, line: m.DocumentLineOut | None) -> LineRow:
        row = LineRow(self.lines, line, self.rate)
        self.lines += 1
        return row

    def _title(self) -> str:
        doc = self.document
        if doc is None:
            return t("docs.new_title", type=type_name(self.doc_type))
        return f"{title_of(doc)} — {state_name(doc.state, doc.type)}"

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = type_name(self.doc_type)
        self.query_one("#cp-matches").display = False
        self._show_chosen()
        if self.query("#vat-included"):
            # TickBox's own watcher replaces the one that posts Checkbox.Changed: watch it.
            self.watch(self.query_one("#vat-included", TickBox), "value", self._ticked,
                       init=False)
        org_id = self.buhta.org.id if self.buhta.org else None
        if org_id is not None:
            self.call_api("org", lambda api: api.get_org(org_id), exclusive=True)
        self._refresh()

    def on_org_done(self, org: m.Org) -> None:
        """The organisation's VAT mode gives the rate of new lines (untouched ones too)."""
        try:
            day = parse_day(self.query_one("#day", Input).value)
        except InvalidInput:
            day = date.today()
        self.rate = default_rate(org.vat_mode, day)
        for box in self.query(VatInput):
            if not box.touched:
                box.value = rate_text(self.rate)

    # --- lines --------------------------------------------------------------------

    async def action_add_line(self) -> None:
        if not is_line_doc(self.doc_type):
            return
        row = self._new_row(None)
        await self.query_one("#lines").mount(row)
        self.query_one(f"#name-{row.n}", Input).focus()
        self._refresh()

    async def action_remove_line(self) -> None:
        rows = list(self.query(LineRow))
        if not rows:
            return
        current = next((r for r in rows if self.focused is not None
                        and self.focused in r.query(Input)), rows[-1])
        index = rows.index(current)
        await current.remove()
        rows.remove(current)
        if not rows:
            await self.action_add_line()
            return
        self.query_one(f"#name-{rows[min(index, len(rows) - 1)].n}", Input).focus()
        self._refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_line", "remove_line"):
            return is_line_doc(self.doc_type)
        if action == "save" and parameters and parameters[0] is True:
            return True if self.ok and not self.busy else None  # dimmed while invalid
        return True

    # --- counterparty autocomplete ------------------------------------------------

    def _chosen(self, cp: m.CounterpartyOut) -> None:
        contract = self.query_one("#contract", Input)
        if not contract.value.strip() and cp.contract:
            contract.value = cp.contract
        contract.focus()
        self._refresh()

    def _no_counterparty_text(self) -> str:
        return t("docs.cp_hint_long")

    # --- live checks and totals ---------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on, like Tab; in the counterparty box it takes the match shown."""
        if event.input.id == "counterparty":
            options = self.query_one("#cp-matches", OptionList)
            if self.matches and options.display:
                self._choose(self.matches[options.highlighted or 0])
                return
        self.focus_next()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if self.is_mounted:
            self._refresh(event.input)

    def _ticked(self, _value: bool) -> None:
        self._refresh()

    def _refresh(self, box: Input | None = None) -> None:
        """Recompute the lines, the totals and whether the form can be posted."""
        data, problems, totals = self._collect()
        if totals is not None:
            included = bool(data.get("vat_included", True))
            rates = [x["vat_rate"] for x in data.get("lines", [])] or [data.get("vat_rate")]
            self.query_one("#doc-totals", Static).update(totals_text(
                totals.total, totals.vat_total, included, all(r == "none" for r in rates)))
            try:
                words = amount_in_words(totals.total)
            except ValueError:
                words = ""
            self.query_one("#doc-words", Static).update(words)
        bad = {field for field, _ in problems if not field.startswith("?")}
        for widget in self.query(Input):
            widget.set_class(widget.id in bad and bool(widget.value.strip()), "-invalid")
        if box is not None and box.id in bad and box.value.strip():
            text = next(text for field, text in problems if field == box.id)
            self.query_one(InfoLine).show("")
            self.query_one(ErrorLine).show(text)
        elif box is not None and box.has_focus:
            self.query_one(ErrorLine).clear()
        self.ok = not problems
        self.why = problems[0][1] if problems else ""
        self.query_one("#doc-why", Static).update(
            t("docs.to_post", why=self.why) if problems else "")
        self.refresh_bindings()
        self.query_one("#submit", Button).disabled = not self.ok or self.busy

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            self.query_one("#submit", Button).disabled = busy or not self.ok
            self.query_one("#draft", Button).disabled = busy
            self.refresh_bindings()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value

    def _collect(self) -> tuple[dict[str, Any], list[tuple[str, str]], Any]:
        """The form as a DocumentIn dict, the problems (widget id, text) and the totals.

        A problem on a field the user has not filled in yet is named ``?field``: it
        keeps F2 dimmed but is not marked red.
        """
        problems: list[tuple[str, str]] = []
        data: dict[str, Any] = {"type": self.doc_type}
        try:
            data["date"] = parse_day(self._value("day"))
        except InvalidInput as exc:
            problems.append(("day", invalid_text(exc)))
        try:
            data["number"] = parse_number(self._value("number"))
        except InvalidInput as exc:
            problems.append(("number", invalid_text(exc)))
        data["counterparty_id"] = self.counterparty_id
        if self.counterparty_id is None and self.doc_type not in calc.NO_COUNTERPARTY_TYPES:
            problems.append(("?counterparty", t("docs.cp_required")))
        data["contract"] = self._value("contract")
        data["basis"] = self._value("basis")
        if self.query("#account"):
            data["account"] = self._value("account").strip()
        totals = None
        if is_line_doc(self.doc_type):
            included = self.query_one("#vat-included", TickBox).value
            data["vat_included"] = included
            lines, sums = self._collect_lines(problems)
            data["lines"] = lines
            totals = calc.document_totals(sums, included)
            for row, amounts in zip(self.line_rows, totals.lines, strict=False):
                row.query_one(f"#amount-{row.n}", Static).update(money(amounts.amount))
            if not lines:
                problems.append(("?name-0", t("docs.lines_required")))
        else:
            data["vat_included"] = True
            raw = self._value("amount")
            rate = "none"
            try:
                rate = parse_rate(self._value("vat"))
                data["vat_rate"] = rate
            except InvalidInput as exc:
                problems.append(("vat", invalid_text(exc)))
            try:
                amount = parse_amount(raw)
                if amount <= 0:
                    raise InvalidInput("doc.amount")
                data["amount"] = amount
                totals = calc.payment_totals(amount, rate, True)
            except InvalidInput as exc:
                problems.append(("amount" if raw.strip() else "?amount", invalid_text(exc)))
                totals = calc.payment_totals(Decimal("0.00"), "none", True)
            data["purpose"] = self._value("purpose")
        if problems:
            return data, problems, totals
        try:
            m.DocumentIn.model_validate({**data, "post": True})
        except ValidationError as exc:
            loc, text = field_of(exc)
            problems.append((self._widget_for(loc) or "?", text))
        return data, problems, totals

    def _collect_lines(
        self, problems: list[tuple[str, str]]
    ) -> tuple[list[dict[str, Any]], list[tuple[Decimal, Decimal, str]]]:
        lines: list[dict[str, Any]] = []
        sums: list[tuple[Decimal, Decimal, str]] = []
        self.line_rows = []
        for row in self.query(LineRow):
            n = row.n
            amount_box = row.query_one(f"#amount-{n}", Static)
            if row.blank():
                amount_box.update("")
                continue
            ok = True
            values = {f: self._value(f"{f}-{n}") for f in ("name", "qty", "unit", "price",
                                                           "vat")}
            if not values["name"].strip():
                problems.append((f"?name-{n}", t("docs.name_required")))
            quantity = price = Decimal(0)
            rate = "none"
            for field, parse in (("qty", parse_quantity), ("price", parse_price),
                                 ("vat", parse_rate)):
                try:
                    value = parse(values[field])
                except InvalidInput as exc:
                    problems.append((f"{field}-{n}", invalid_text(exc)))
                    ok = False
                    continue
                if field == "qty":
                    quantity = value
                elif field == "price":
                    price = value
                else:
                    rate = value
            if not ok:
                amount_box.update("—")
                continue
            self.line_rows.append(row)
            sums.append((quantity, price, rate))
            lines.append({"name": values["name"], "quantity": quantity,
                          "unit": values["unit"].strip() or DEFAULT_UNIT,
                          "price": price, "vat_rate": rate})
        return lines, sums

    def _widget_for(self, loc: list[str]) -> str | None:
        """The widget behind a wire-model field path (``lines.1.price`` → ``price-3``)."""
        names = {"date": "day", "number": "number", "counterparty_id": "counterparty",
                 "contract": "contract", "basis": "basis", "amount": "amount",
                 "vat_rate": "vat", "purpose": "purpose", "account": "account",
                 "name": "name", "quantity": "qty", "unit": "unit", "price": "price"}
        parts = [p for p in loc if p not in ("body",)]
        if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(self.line_rows):
                row = self.line_rows[index]
                field = names.get(parts[2], "name") if len(parts) > 2 else "name"
                if field == "vat_rate":
                    field = "vat"
                return f"{field}-{row.n}"
            return None
        if parts and parts[0] == "lines" and self.line_rows:
            return f"name-{self.line_rows[0].n}"
        if parts and parts[-1] in names and self.query(f"#{names[parts[-1]]}"):
            return names[parts[-1]]
        return None

    # --- saving -------------------------------------------------------------------

    def action_save(self, post: bool) -> None:
        if not self.start():
            return
        data, problems, _ = self._collect()
        if problems:
            field, text = problems[0]
            field = field.lstrip("?")
            if field and self.query(f"#{field}"):
                self.fail(field, text)
            else:
                self.query_one(ErrorLine).show(text)
            return
        try:
            body = m.DocumentIn.model_validate({**data, "post": post})
        except ValidationError as exc:  # checked above; kept for safety
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        if self.document is None:
            self.call_api("save", lambda api: api.create_document(org_id, body))
        else:
            doc_id = self.document.id
            self.call_api("save", lambda api: api.update_document(org_id, doc_id, body))

    @on(Button.Pressed, "#submit")
    def _post_pressed(self) -> None:
        self.action_save(True)

    @on(Button.Pressed, "#draft")
    def _draft_pressed(self) -> None:
        self.action_save(False)

    def on_save_done(self, doc: m.DocumentOut) -> None:
        key = "docs.saved_draft" if doc.state == "draft" else "docs.saved_posted"
        self.app.notify(t(key, title=title_of(doc), amount=money(doc.total)))
        self.dismiss(doc)

    def on_save_failed(self, error: ApiError) -> bool:
        for problem in error.errors:
            loc = [p for p in problem.get("field", "").split(".") if p]
            widget = self._widget_for(loc)
            if widget:
                self.fail(widget, problem.get("message") or error.detail)
                return True
        field = CODE_FIELDS.get(error.code)
        if field == "lines":
            field = f"price-{self.line_rows[0].n}" if self.line_rows else None
        if field and self.query(f"#{field}"):
            self.fail(field, error.detail)
            return True
        return False

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
