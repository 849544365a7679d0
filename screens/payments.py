"""Provides the payment-order screens: the month's list (mark, export to the bank, delete) and
the form of a new order (to a supplier, the ЕНП, a salary, other).

The export writes the 1CClientBankExchange file the server builds to the export folder
(BUHTA_EXPORT_DIR, or the documents folder / Buhta), named «1c_to_kl_<date>.txt».
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Input, OptionList, Static

from client.errors import ApiError
from client.export import default_export_dir as export_dir
from client.i18n import t
from core import contract as m
from core.money import amount_in_words, format_amount, parse_amount
from core.validation import InvalidInput
from tui.errors import field_of, invalid_text
from tui.screen import BuhtaScreen
from tui.widgets.counterparties import CounterpartyForm, LookupInput
from tui.widgets.dates import month_end, month_title, parse_day, step_month
from tui.widgets.form import ErrorLine, FormRow

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 500
KINDS: tuple[str, ...] = ("supplier", "tax", "salary", "other")
ENP_KBK = "18201061201010000510"
"""The ЕНП КБК the form starts with (the server fills the same when it is left empty)."""
ENP_STATUS = {"ooo": "01", "ip": "13"}
"""Field 101 for the ЕНП: 01 for an ООО, 13 for an ИП (UNCONFIRMED, see the server)."""
MARK = "✓"
TAX_ROWS = ("kbk", "oktmo", "status")


def file_name(day: date, folder: Path | None = None) -> str:
    """«1c_to_kl_2026-11-28.txt»; «…_2.txt», «…_3.txt» when the folder has the day's file
    already (an earlier upload file is never overwritten)."""
    name = f"1c_to_kl_{day.isoformat()}"
    n = 1
    while folder is not None and (folder / (f"{name}_{n}.txt" if n > 1 else f"{name}.txt")
                                  ).exists():
        n += 1
    return f"{name}_{n}.txt" if n > 1 else f"{name}.txt"


async def save_export(api: ApiClient, org_id: str, ids: list[str]) -> tuple[Path, int]:
    """Export the orders and write the file; (its path, how many orders)."""
    content = await api.export_payment_orders(org_id, ids)
    folder = export_dir()
    path = folder / file_name(date.today(), folder)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as out:  # never over an existing file
            out.write(content)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise ApiError(0, "docs.export_failed",
                       t("docs.export_failed", path=str(path), error=exc.strerror or exc)) \
            from exc
    return path, len(ids)


# --- list -----------------------------------------------------------------------------


class PaymentsScreen(BuhtaScreen):
    """Платёжные поручения: the month's orders, newest first."""

    CSS_PATH = "../styles/payments.tcss"
    BINDINGS = [
        Binding("escape", "back", "pay.key.back", id="pay.back"),
        Binding("n", "new", "pay.key.new", id="pay.new"),
        Binding("space", "mark", "pay.key.mark", id="pay.mark"),
        Binding("e", "export", "pay.key.export", id="pay.export"),
        Binding("delete,x", "delete", "pay.key.delete", id="pay.delete"),
        Binding("left_square_bracket", "step(-1)", "pay.key.prev_month", id="pay.prev",
                show=False),
        Binding("right_square_bracket", "step(1)", "pay.key.next_month", id="pay.next",
                show=False),
        Binding("f5", "reload", "devices.refresh", id="pay.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date.today().replace(day=1)
        self.rows: list[m.PaymentOrderOut] = []
        self.marked: set[str] = set()
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="pay-period")
        yield DataTable(id="payments", cursor_type="row", zebra_stripes=True)
        yield Static("", id="pay-empty", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(" ", width=1, key="mark")
        table.add_column(t("pay.col.number"), width=5, key="number")
        table.add_column(t("pay.col.date"), width=8, key="date")
        table.add_column(t("pay.col.payee"), width=26, key="payee")
        table.add_column(t("pay.col.amount"), width=15, key="amount")
        table.add_column(t("pay.col.state"), width=10, key="state")
        table.focus()
        self.action_reload()

    def on_org_changed(self, _message: Any) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        org = self.buhta.org
        if org is None:
            return
        self.generation += 1
        gen = self.generation
        self.query_one("#pay-period", Static).update(
            f"{t('pay.title')} · {month_title(self.month)}  [ ]")
        start, end = self.month.isoformat(), month_end(self.month).isoformat()

        async def call(api: ApiClient) -> tuple[int, list[m.PaymentOrderOut]]:
            items: list[m.PaymentOrderOut] = []
            cursor: str | None = None
            while True:
                page = await api.payment_orders(org.id, date_from=start, date_to=end,
                                                cursor=cursor, limit=PAGE)
                items += page.items
                cursor = page.next_cursor
                if not cursor:
                    return gen, items

        self.call_api("page", call, exclusive=True)

    def on_page_done(self, result: tuple[int, list[m.PaymentOrderOut]]) -> None:
        gen, items = result
        if gen != self.generation:
            return
        self.rows = items
        self.marked &= {o.id for o in items}
        table = self.query_one(DataTable)
        table.clear()
        for order in items:
            table.add_row(*self._cells(order), key=order.id)
        self.query_one("#pay-empty", Static).update("" if items else t("pay.empty"))
        self.refresh_bindings()

    def _cells(self, o: m.PaymentOrderOut) -> tuple[Any, ...]:
        return (
            MARK if o.id in self.marked else " ",
            str(o.number),
            o.date.strftime("%d.%m.%y"),
            o.payee_name[:26],
            Text(format_amount(o.amount), justify="right"),
            t("pay.exported") if o.exported_at else "",
        )

    def _selected(self) -> m.PaymentOrderOut | None:
        if not self.rows:
            return None
        return self.rows[min(self.query_one(DataTable).cursor_row, len(self.rows) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "export"):
            return True if self.rows else None
        if action == "delete":
            order = self._selected()
            return True if order is not None and order.exported_at is None else None
        return True

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.refresh_bindings()

    def action_step(self, months: int) -> None:
        self.month = step_month(self.month, months)
        self.marked.clear()
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss()

    def action_mark(self) -> None:
        order = self._selected()
        if order is None:
            return
        self.marked ^= {order.id}
        table = self.query_one(DataTable)
        table.update_cell(order.id, "mark", MARK if order.id in self.marked else " ")
        if table.cursor_row < len(self.rows) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_new(self) -> None:
        if self.buhta.require_org() is None:
            return
        today = date.today()
        day = today if today.replace(day=1) == self.month else month_end(self.month)
        self.app.push_screen(PaymentFormScreen(default_day=day), self._saved)

    def _saved(self, order: m.PaymentOrderOut | None) -> None:
        if order is None:
            return
        self.month = order.date.replace(day=1)
        self.action_reload()

    def action_export(self) -> None:
        org_id = self.buhta.require_org()
        selected = self._selected()
        if org_id is None or selected is None:
            self.query_one(ErrorLine).show(t("pay.nothing"))
            return
        # The marked ones in the list's order, or the highlighted one.
        ids = [o.id for o in self.rows if o.id in self.marked] or [selected.id]
        self.call_api("export", lambda api: save_export(api, org_id, ids))

    def on_export_done(self, result: tuple[Path, int]) -> None:
        path, count = result
        self.query_one(ErrorLine).clear()
        self.marked.clear()
        self.app.notify(t("pay.exported_to", count=count, path=str(path)), timeout=15)
        self.action_reload()

    def action_delete(self) -> None:
        order, org_id = self._selected(), self.buhta.require_org()
        if order is None or org_id is None or order.exported_at is not None:
            return

        async def call(api: ApiClient) -> m.PaymentOrderOut:
            await api.delete_payment_order(org_id, order.id)
            return order

        self.call_api("deleted", call)

    def on_deleted_done(self, order: m.PaymentOrderOut) -> None:
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pay.deleted", number=order.number))
        self.action_reload()


# --- form -----------------------------------------------------------------------------


class PayeeLookup(LookupInput):
    """The documents' counterparty box, moving through this form's matches."""

    def action_move(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, PaymentFormScreen):
            screen.move_match(step)


class PaymentFormScreen(CounterpartyForm):
    """A new payment order: F3 changes the kind, F2 saves."""

    CSS_PATH = "../styles/payments.tcss"
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "pay.key.back", id="payform.back"),
        Binding("f2", "save", "pay.key.save", id="payform.save"),
        Binding("f3", "kind", "pay.field.kind", id="payform.kind"),
        Binding("f8", "app.mailbox", "app.mailbox", id="payform.mailbox", show=False),
    ]

    def __init__(self, *, default_day: date | None = None, kind: str = "supplier") -> None:
        super().__init__()
        self.kind = kind
        self.default_day = default_day or date.today()
        self.counterparty_id: str | None = None
        self.counterparty_name = ""
        self.matches: list[m.CounterpartyOut] = []
        self.match_gen = 0

    def compose(self) -> ComposeResult:
        org = self.buhta.org
        status = ENP_STATUS.get(org.kind if org else "ooo", "01")
        yield Header()
        with VerticalScroll(id="pay-form"):
            yield Static(t("pay.new"), classes="form-title")
            yield Static("", id="kind")
            yield FormRow(t("pay.field.date"),
                          Input(self.default_day.strftime("%d.%m.%Y"), id="day", compact=True))
            yield FormRow(t("pay.field.counterparty"),
                          PayeeLookup("", id="counterparty", compact=True))
            matches = OptionList(id="cp-matches", compact=True)
            matches.can_focus = False
            matches.display = False
            yield matches
            yield Static("", id="cp-chosen", classes="hint")
            yield FormRow(t("pay.field.amount"), Input("", id="amount", compact=True))
            yield Static("", id="words", classes="hint")
            yield FormRow(t("pay.field.purpose"),
                          Input("", id="purpose", compact=True, max_length=210))
            yield FormRow(t("pay.field.priority"), Input("5", id="priority", compact=True,
                                                         max_length=1))
            yield FormRow(t("pay.field.kbk"), Input(ENP_KBK, id="kbk", compact=True,
                                                    max_length=20), id="row-kbk")
            yield FormRow(t("pay.field.oktmo"), Input("", id="oktmo", compact=True,
                                                      max_length=11), id="row-oktmo")
            yield FormRow(t("pay.field.status"), Input(status, id="status", compact=True,
                                                       max_length=2), id="row-status")
            yield from self.form_end(Button(t("pay.key.save"), id="submit", variant="primary"))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._show_kind()

    def _show_kind(self) -> None:
        self.query_one("#kind", Static).update(
            f"{t('pay.field.kind')}: {t(f'pay.kind.{self.kind}')}  (F3)")
        tax = self.kind == "tax"
        for name in TAX_ROWS:
            self.query_one(f"#row-{name}").display = tax
        self._show_chosen()

    def action_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self._show_kind()

    # --- counterparty autocomplete (CounterpartyForm) ------------------------------

    def _chosen(self, cp: m.CounterpartyOut) -> None:
        self.query_one("#amount", Input).focus()

    def _no_counterparty_text(self) -> str:
        return t("pay.enp_hint") if self.kind == "tax" else ""

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on; in the payee box it takes the match shown."""
        if event.input.id == "counterparty":
            options = self.query_one("#cp-matches", OptionList)
            if self.matches and options.display:
                self._choose(self.matches[options.highlighted or 0])
                return
        self.focus_next()

    @on(Input.Changed, "#amount")
    def _amount_typed(self, event: Input.Changed) -> None:
        try:
            words = amount_in_words(parse_amount(event.value)) if event.value.strip() else ""
        except InvalidInput:
            words = ""
        self.query_one("#words", Static).update(words)

    # --- saving -------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _collect(self) -> tuple[dict[str, Any], tuple[str, str] | None]:
        data: dict[str, Any] = {"kind": self.kind}
        try:
            data["date"] = parse_day(self._value("day"))
        except InvalidInput:
            return data, ("day", t("pay.bad_date"))
        if self.counterparty_id is None and self.kind != "tax":
            return data, ("counterparty", t("pay.need_counterparty"))
        data["counterparty_id"] = self.counterparty_id
        try:
            amount = parse_amount(self._value("amount"))
        except InvalidInput:
            return data, ("amount", t("pay.bad_amount"))
        if amount <= 0:
            return data, ("amount", t("pay.bad_amount"))
        data["amount"] = amount
        if not self._value("purpose"):
            return data, ("purpose", t("pay.need_purpose"))
        data["purpose"] = self._value("purpose")
        priority = self._value("priority") or "5"
        if priority not in ("1", "2", "3", "4", "5"):
            return data, ("priority", t("pay.bad_priority"))
        data["priority"] = int(priority)
        if self.kind == "tax":
            data["kbk"] = self._value("kbk") or None
            data["oktmo"] = self._value("oktmo") or None
            data["payer_status"] = self._value("status") or None
        return data, None

    def action_save(self) -> None:
        if not self.start():
            return
        data, problem = self._collect()
        if problem:
            self.fail(*problem)
            return
        try:
            body = m.PaymentOrderIn.model_validate(data)
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.call_api("save", lambda api: api.create_payment_order(org_id, body))

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    def on_save_done(self, order: m.PaymentOrderOut) -> None:
        self.app.notify(t("pay.created", number=order.number))
        self.dismiss(order)

    def on_save_failed(self, error: ApiError) -> bool:
        field = {"pay.kbk": "kbk", "pay.oktmo": "oktmo", "pay.payer_status": "status",
                 "pay.amount": "amount", "pay.payee_missing": "counterparty",
                 "pay.payee_invalid": "counterparty"}.get(error.code)
        if field:
            if field in ("kbk", "oktmo", "status") and self.kind != "tax":
                return False
            self.fail(field, error.detail)
            return True
        return False

    def action_back(self) -> None:
        self.dismiss(None)
