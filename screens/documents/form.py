"""Provides the document form: a new document or a draft; F2 posts it, F4 keeps a draft.

The form computes its live totals with ``core.documents``, the same rules the server
stores, so the two never disagree by a kopeck."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static

from client.i18n import t
from core import contract as m
from core import documents as calc
from core.money import amount_in_words, parse_money
from core.validation import InvalidInput
from screens.documents.basis import COUNTERPARTY_FORM, other_screen
from screens.documents.common import (
    CODE_FIELDS,
    default_rate,
    is_line_doc,
    parse_number,
    parse_rate,
    rate_text,
    state_name,
    title_of,
    totals_text,
    type_name,
)
from screens.documents.lines import (
    GOODS_TYPES,
    ItemNameInput,
    ItemSuggester,
    LineRow,
    VatInput,
    collect_lines,
    compose_lines,
    compose_payment,
    widget_for,
)
from tui.errors import field_of, invalid_text
from tui.styles import sheets
from tui.widgets.counterparties import CounterpartyForm, LookupInput
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow, InfoLine, TickBox
from tui.widgets.limits import max_length
from tui.widgets.money import money
from tui.workers import Done, Failed

if TYPE_CHECKING:
    pass

SUPPLIER_INVOICE_TYPES = ("purchase_goods", "purchase_services")
"""The documents that carry the supplier's счёт-фактура number and date."""


class OrgLoaded(Done[m.Org]):
    """The organisation (its VAT mode gives the rate of new lines)."""


class ItemsLoaded(Done[m.ItemList]):
    """The organisation's nomenclature: the names a goods line's name box offers."""


class ItemsFailed(Failed):
    """The nomenclature did not come: the name boxes go without suggestions."""


class DocumentSaved(Done[m.DocumentOut]):
    """The document was saved (a draft or posted)."""


class SaveRefused(Failed):
    """The server refused the document."""


class DocumentFormScreen(CounterpartyForm):
    """A new document or a draft: F2 posts it, F4 keeps a draft.

    Line documents (счёт, акт, накладная, поступление) have an editor of item lines;
    payments (банк, касса) have one amount with its VAT rate and purpose.
    """

    CSS_PATH = sheets("documents")
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="docform.back"),
        Binding("f2", "save(True)", "docs.post_key", id="docform.post"),
        Binding("f4", "save(False)", "docs.draft", id="docform.draft"),
        Binding("f3", "add_line", "docs.add_line", id="docform.add_line"),
        Binding("f7", "remove_line", "docs.remove_line", id="docform.remove_line"),
        Binding("f5", "new_counterparty", "docs.new_counterparty", id="docform.new_cp"),
        # Codes arrive in the identity forms; here F8 still works but keeps off the Footer.
        Binding("f8", "app.mailbox", "app.mailbox", id="docform.mailbox", show=False),
    ]

    def __init__(self, doc_type: str, document: m.DocumentOut | None = None, *,
                 default_day: date | None = None,
                 template: m.DocumentOut | None = None) -> None:
        super().__init__()
        self.doc_type = doc_type
        self.document = document
        self.template = template
        """A new document «на основании» another (``basis.based_on``): its counterparty,
        contract, basis and lines are filled in; the date and number are new."""
        source = document or template
        self.default_day = default_day or date.today()
        self.lines = 0
        self.rate = "none"
        """The VAT rate new lines start with (from the organisation's VAT mode)."""
        self.counterparty_id: str | None = source.counterparty_id if source else None
        self.counterparty_name: str = (source.counterparty or "") if source else ""
        self.matches: list[m.CounterpartyOut] = []
        self.match_gen = 0
        self.ok = False
        self.why = ""
        self.line_rows: list[LineRow] = []
        """The rows behind the lines last collected (the server's ``lines.N`` → a row)."""
        self.items: ItemSuggester | None = None
        """The nomenclature's names for a goods line's name box (once they have come)."""

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        doc, kind = self.document, self.doc_type
        yield Header()
        with VerticalScroll(id="doc-form"):
            yield Static(self._title(), classes="form-title")
            yield FormRow(t("docs.date"), DateInput(doc.date if doc else self.default_day,
                                                    id="day", compact=True, book=True),
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
            source = doc or self.template
            for field in ("contract", "basis"):
                yield FormRow(t(f"docs.{field}"), Input(
                    (getattr(source, field) or "") if source else "", id=field,
                    compact=True, max_length=max_length(m.DocumentIn, field)))
            if kind in SUPPLIER_INVOICE_TYPES:
                # The supplier's счёт-фактура: the purchase book's гр. 3 (screens/reports/vat).
                yield FormRow(t("docs.supplier_invoice"), Input(
                    (doc.supplier_invoice_number or "") if doc else "", id="sf-number",
                    compact=True, placeholder=t("docs.supplier_invoice_number"),
                    max_length=max_length(m.DocumentIn, "supplier_invoice_number")),
                    Label(t("docs.supplier_invoice_of"), classes="inline-label"),
                    DateInput(doc.supplier_invoice_date if doc else None, id="sf-date",
                              compact=True, book=True), id="row-sf")
            if is_line_doc(kind):
                yield from compose_lines(source, kind, self._new_row)
            else:
                yield from compose_payment(doc, kind, self.rate)
            yield Static("", id="doc-totals")
            yield Static("", id="doc-words", classes="hint")
            yield Static("", id="doc-why", classes="hint")
            yield from self.form_end(
                Button(t("docs.post_key"), id="submit", variant="primary", compact=True),
                Button(t("docs.draft"), id="draft", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def _new_row(self, line: m.DocumentLineOut | None) -> LineRow:
        row = LineRow(self.lines, line, self.rate, goods=self.doc_type in GOODS_TYPES,
                      suggester=self.items)
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
            self.call_api(lambda api: api.orgs.get(org_id), done=OrgLoaded, exclusive=True)
            if self.doc_type in GOODS_TYPES:
                self.call_api(lambda api: api.stock.items(org_id), done=ItemsLoaded,
                              failed=ItemsFailed, exclusive=True)
        self._refresh()

    @on(ItemsLoaded)
    def _items_loaded(self, message: ItemsLoaded) -> None:
        """A goods line's name box offers the nomenclature's names from now on."""
        self.items = ItemSuggester(message.result.items)
        for row in self.query(LineRow):
            row.suggester = self.items
        for box in self.query(ItemNameInput):
            box.suggester = self.items

    @on(ItemsFailed)
    def _items_failed(self, _message: ItemsFailed) -> None:
        """No names to offer: the boxes take what is typed, as before (nothing to say)."""

    @on(OrgLoaded)
    def _org_loaded(self, message: OrgLoaded) -> None:
        """The organisation's VAT mode gives the rate of new lines (untouched ones too)."""
        org = message.result
        try:
            day = self.query_one("#day", DateInput).day
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

    def action_new_counterparty(self) -> None:
        """F5: a new counterparty's form (the counterparties area's, opened by its module
        path as the app opens screens); the one saved is chosen here."""
        try:
            form = other_screen(COUNTERPARTY_FORM)
            screen = form(None)
        except Exception:  # a screen that cannot open must not crash the form
            self.query_one(ErrorLine).show(t("docs.cp_form_failed"))
            return

        def saved(cp: m.CounterpartyOut | None) -> None:
            if cp is not None:
                self._choose(cp)

        self.app.push_screen(screen, saved)

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
            data["date"] = self.query_one("#day", DateInput).day
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
        if self.query("#sf-number"):
            data["supplier_invoice_number"] = self._value("sf-number")
            if self._value("sf-date").strip():
                try:
                    data["supplier_invoice_date"] = self.query_one("#sf-date", DateInput).day
                except InvalidInput as exc:
                    problems.append(("sf-date", invalid_text(exc)))
        if self.query("#account"):
            data["account"] = self._value("account").strip()
        totals = None
        if is_line_doc(self.doc_type):
            included = self.query_one("#vat-included", TickBox).value
            data["vat_included"] = included
            lines, sums, self.line_rows = collect_lines(self.query(LineRow), problems)
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
                amount = parse_money(raw)
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

    def _widget_for(self, loc: list[str]) -> str | None:
        """The widget behind a wire-model field path (``lines.1.price`` → ``price-3``)."""
        return widget_for(loc, self.line_rows, lambda name: bool(self.query(f"#{name}")))

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
            self.call_api(lambda api: api.documents.create(org_id, body), done=DocumentSaved,
                          failed=SaveRefused)
        else:
            doc_id = self.document.id
            self.call_api(lambda api: api.documents.update(org_id, doc_id, body),
                          done=DocumentSaved, failed=SaveRefused)

    @on(Button.Pressed, "#submit")
    def _post_pressed(self) -> None:
        self.action_save(True)

    @on(Button.Pressed, "#draft")
    def _draft_pressed(self) -> None:
        self.action_save(False)

    @on(DocumentSaved)
    def _saved(self, message: DocumentSaved) -> None:
        doc = message.result
        key = "docs.saved_draft" if doc.state == "draft" else "docs.saved_posted"
        self.app.notify(t(key, title=title_of(doc), amount=money(doc.total)))
        self.dismiss(doc)

    @on(SaveRefused)
    def _save_refused(self, message: SaveRefused) -> None:
        error = message.error
        for problem in error.errors:
            loc = [p for p in problem.get("field", "").split(".") if p]
            widget = self._widget_for(loc)
            if widget:
                self.fail(widget, problem.get("message") or error.detail)
                return
        field = CODE_FIELDS.get(error.code)
        if field == "lines":
            field = f"price-{self.line_rows[0].n}" if self.line_rows else None
        if field and self.query(f"#{field}"):
            self.fail(field, error.detail)
            return
        self.show_refusal(error)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)

