"""Provides the item lines of a document form: the VAT rate box, the item-name box of the
goods documents (names from the nomenclature), a line row, and the collection of the
lines into the wire form."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Label, Static

from client.i18n import t
from core import contract as m
from core import documents as calc
from core.validation import InvalidInput
from screens.documents.common import (
    DEFAULT_ACCOUNT,
    DEFAULT_UNIT,
    next_rate,
    parse_price,
    parse_quantity,
    parse_rate,
    rate_text,
)
from tui.errors import invalid_text
from tui.localize import localize_bindings
from tui.widgets.accounts import CompletingInput
from tui.widgets.form import FormRow, TickBox
from tui.widgets.limits import max_length
from tui.widgets.money import MoneyInput, money_input
from tui.widgets.text import fold

if TYPE_CHECKING:
    pass

GOODS_TYPES = ("purchase_goods", "sale_goods")
"""The documents whose lines are items of the nomenclature (server.services.stock)."""

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


class ItemSuggester(Suggester):
    """Names of the nomenclature: by the beginning of the name first, then by its words.

    ``сто`` → «Стол офисный»; ``офис`` → «Стол офисный» (shown as ``офис → Стол офисный``);
    ё = е, any case. The server finds the item by the same name (case and spaces aside).
    """

    def __init__(self, items: Iterable[m.ItemOut]) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.items = sorted((x for x in items if not x.archived), key=lambda x: fold(x.name))
        self.folded = [fold(x.name) for x in self.items]

    def match(self, value: str) -> m.ItemOut | None:
        """The item ``value`` stands for, or None (nothing typed, nothing like it)."""
        typed = fold(" ".join(value.split()))
        if not typed:
            return None
        for item, folded in zip(self.items, self.folded, strict=True):
            if folded.startswith(typed):
                return item
        words = typed.split()
        for item, folded in zip(self.items, self.folded, strict=True):
            if all(word in folded for word in words):
                return item
        return None

    async def get_suggestion(self, value: str) -> str | None:
        item = self.match(value)
        if item is None or fold(item.name) == fold(value):
            return None
        return CompletingInput.offer_text(value, item.name)


class ItemNameInput(CompletingInput):
    """The name of a goods line: → or End at the end of the text takes the item offered
    (and its unit, while the unit cell holds the default). Tab or leaving the box keeps
    what was typed.

    The item is matched again when the key comes, not taken from the suggestion shown:
    in a burst of keys the suggestion worker may not have answered yet."""

    def take_suggestion(self) -> bool:
        suggester = self.suggester
        if not isinstance(suggester, ItemSuggester):
            return super().take_suggestion()
        item = suggester.match(self.value)
        if item is None or item.name == self.value:
            return False
        self.value = item.name
        self.cursor_position = len(item.name)
        row = self.parent
        if isinstance(row, LineRow):
            row.take_item(item)
        return True

    def action_end(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and self.take_suggestion():
            return
        super().action_end(select)


class LineRow(Horizontal):
    """One item line: name, quantity, unit, price, VAT rate; its amount beside.

    A goods line's name box offers the names of the nomenclature (``suggester``, set
    once the items have come)."""

    def __init__(self, n: int, line: m.DocumentLineOut | None, rate: str, *,
                 goods: bool = False, suggester: ItemSuggester | None = None) -> None:
        super().__init__(id=f"line-{n}", classes="line")
        self.n = n
        self.line = line
        self.rate = line.vat_rate if line else rate
        self.goods = goods
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        line = self.line
        name_box = ItemNameInput if self.goods else Input
        yield name_box(line.name if line else "", id=f"name-{self.n}", compact=True,
                       placeholder=t("docs.line_name"), classes="name",
                       max_length=max_length(m.DocumentLineIn, "name"),
                       suggester=self.suggester if self.goods else None)
        yield Input(calc.quantity_text(line.quantity) if line else "1", id=f"qty-{self.n}",
                    compact=True, placeholder=t("docs.qty"), classes="qty")
        yield Input(line.unit if line else DEFAULT_UNIT, id=f"unit-{self.n}",
                    compact=True, classes="unit", max_length=max_length(m.DocumentLineIn, "unit"))
        yield Input(money_input(line.price) if line else "", id=f"price-{self.n}",
                    compact=True, placeholder=t("docs.price"), classes="price")
        vat = VatInput(self.rate, id=f"vat-{self.n}")
        vat.touched = line is not None
        yield vat
        yield Static("", id=f"amount-{self.n}", classes="line-amount")

    def take_item(self, item: m.ItemOut) -> None:
        """The item's unit, while the unit cell still holds the default."""
        unit = self.query_one(f"#unit-{self.n}", Input)
        if unit.value.strip() in ("", DEFAULT_UNIT):
            unit.value = item.unit

    def blank(self) -> bool:
        return not any(self.query_one(f"#{f}-{self.n}", Input).value.strip()
                       for f in ("name", "price"))


def collect_lines(
    rows: Iterable[LineRow], problems: list[tuple[str, str]]
) -> tuple[list[dict[str, Any]], list[tuple[Decimal, Decimal, str]], list[LineRow]]:
    """The filled-in lines as DocumentIn line dicts, their (quantity, price, rate) for the
    totals and the rows behind them; problems (widget id, text) are added to ``problems``.
    A blank row is skipped, a row with a refused value shows «—» as its amount."""
    lines: list[dict[str, Any]] = []
    sums: list[tuple[Decimal, Decimal, str]] = []
    used: list[LineRow] = []
    for row in rows:
        n = row.n
        amount_box = row.query_one(f"#amount-{n}", Static)
        if row.blank():
            amount_box.update("")
            continue
        ok = True
        values = {f: row.query_one(f"#{f}-{n}", Input).value
                  for f in ("name", "qty", "unit", "price", "vat")}
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
        used.append(row)
        sums.append((quantity, price, rate))
        lines.append({"name": values["name"], "quantity": quantity,
                      "unit": values["unit"].strip() or DEFAULT_UNIT,
                      "price": price, "vat_rate": rate,
                      # An item line (server.services.stock) keeps its item on an edit,
                      # unless its name was changed: then the server finds the item of
                      # the new name (a line renamed to another item moves that one).
                      **_kept_item(row.line, values["name"])})
    return lines, sums, used


def widget_for(loc: list[str], line_rows: list[LineRow],
               exists: Callable[[str], bool]) -> str | None:
    """The widget behind a wire-model field path (``lines.1.price`` → ``price-3``)."""
    names = {"date": "day", "number": "number", "counterparty_id": "counterparty",
             "contract": "contract", "basis": "basis", "amount": "amount",
             "vat_rate": "vat", "purpose": "purpose", "account": "account",
             "name": "name", "quantity": "qty", "unit": "unit", "price": "price",
             "supplier_invoice_number": "sf-number", "supplier_invoice_date": "sf-date"}
    parts = [p for p in loc if p not in ("body",)]
    if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(line_rows):
            row = line_rows[index]
            field = names.get(parts[2], "name") if len(parts) > 2 else "name"
            if field == "vat_rate":
                field = "vat"
            return f"{field}-{row.n}"
        return None
    if parts and parts[0] == "lines" and line_rows:
        return f"name-{line_rows[0].n}"
    if parts and parts[-1] in names and exists(names[parts[-1]]):
        return names[parts[-1]]
    return None


def compose_lines(doc: m.DocumentOut | None, doc_type: str,
                  new_row: Callable[[m.DocumentLineOut | None], LineRow]) -> ComposeResult:
    """The item lines of a line document: the VAT-included box, the heading, the rows."""
    if doc_type == "purchase_services":
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
            yield new_row(line)

def compose_payment(doc: m.DocumentOut | None, doc_type: str, rate: str) -> ComposeResult:
    """The fields of a payment document: amount, VAT rate, purpose, account."""
    yield FormRow(t("docs.amount"), MoneyInput(
        doc.total if doc else None, id="amount", compact=True, placeholder="0,00"))
    vat = VatInput(doc.vat_rate if doc else rate, id="vat")
    vat.touched = doc is not None
    yield FormRow(t("docs.vat"), vat, Static(t("docs.vat_cycle_hint"), classes="hint"))
    yield FormRow(t("docs.purpose"), Input(doc.purpose or "" if doc else "", id="purpose",
                                           compact=True,
                                           max_length=max_length(m.DocumentIn, "purpose")))
    yield FormRow(t("docs.account"), Input(
        (doc.account if doc else None) or DEFAULT_ACCOUNT[doc_type], id="account",
        compact=True))


def _kept_item(line: m.DocumentLineOut | None, name: str) -> dict[str, str | None]:
    """The item and warehouse a saved line keeps: its own while its name is as saved."""
    if line is None or not line.item_id:
        return {}
    if " ".join(name.split()).casefold() != " ".join(line.name.split()).casefold():
        return {"warehouse_id": line.warehouse_id} if line.warehouse_id else {}
    return {"item_id": line.item_id, "warehouse_id": line.warehouse_id}
