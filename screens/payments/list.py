"""Provides the month's payment orders: mark, export to the bank, delete.

The export writes the 1CClientBankExchange file the server builds to the export folder
(BUHTA_EXPORT_DIR, or the documents folder / Buhta), named «1c_to_kl_<date>.txt».
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.errors import ApiError, os_error_text
from client.export import default_export_dir as export_dir
from client.i18n import t
from core import contract as m
from core.money import format_amount
from screens.payments.form import PaymentFormScreen
from tui.dialogs.confirm import ConfirmDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.dates import month_end, month_title, step_month
from tui.widgets.form import ErrorLine
from tui.widgets.paged_table import PagedTable
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 500
MARK = "✓"


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
    content = await api.payments.export(org_id, ids)
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
                       t("docs.export_failed", path=str(path), error=os_error_text(exc))) \
            from exc
    return path, len(ids)


# --- list -----------------------------------------------------------------------------


class Exported(Done[tuple[Path, int]]):
    """The upload file was written: its path and how many orders it holds."""


class Deleted(Done[m.PaymentOrderOut]):
    """The order was deleted."""


class PaymentsScreen(BuhtaScreen):
    """Платёжные поручения: the month's orders, newest first."""

    CSS_PATH = sheets("payments")
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
        self.marked: set[str] = set()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#payments", PagedTable)

    @property
    def rows(self) -> list[m.PaymentOrderOut]:
        """The orders loaded, top first."""
        return self.table.items

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="pay-period")
        yield PagedTable(page=self._page, render=lambda order: [self._cells(order)],
                         empty="#pay-empty", empty_text=lambda: t("pay.empty"),
                         id="payments", cursor_type="row", zebra_stripes=True)
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
        if self.buhta.org is None:
            return
        self.query_one("#pay-period", Static).update(
            f"{t('pay.title')} · {month_title(self.month)}  [ ]")
        self.table.reload()

    def _page(self, cursor: str | None
              ) -> Callable[[ApiClient], Awaitable[m.PaymentOrderPage]] | None:
        org = self.buhta.org
        if org is None:
            return None
        start, end = self.month.isoformat(), month_end(self.month).isoformat()
        return lambda api: api.payments.orders(org.id, date_from=start, date_to=end,
                                              cursor=cursor, limit=PAGE)

    @on(PagedTable.Shown)
    def _shown(self) -> None:
        if self.table.next_cursor is None:  # the whole month is here: forget marks gone
            self.marked &= {o.id for o in self.rows}
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
        return self.table.current

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "export"):
            return True if self.rows else None
        if action == "delete":  # an uploaded one too: the key says why it cannot
            return True if self._selected() is not None else None
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
        table = self.table
        table.replace(order, lambda a, b: a.id == b.id)
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
        # The marked ones in the list's order, or (once asked) the highlighted one.
        marked = [o for o in self.rows if o.id in self.marked]
        orders = marked or [selected]
        questions = [] if marked else [t("pay.export_unmarked", number=selected.number)]
        again = [o for o in orders if o.exported_at is not None]
        if again:
            questions.append(t("pay.export_again", numbers=", ".join(str(o.number)
                                                                     for o in again),
                               date=f"{again[0].exported_at.astimezone():%d.%m.%Y}"))
        ids = [o.id for o in orders]

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: save_export(api, org_id, ids), done=Exported)

        if questions:
            self.app.push_screen(ConfirmDialog("\n".join(questions)), answered)
        else:
            answered(True)

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        path, count = message.result
        self.query_one(ErrorLine).clear()
        self.marked.clear()
        self.app.notify(t("pay.exported_to", count=count, path=str(path)), timeout=15)
        self.action_reload()

    def action_delete(self) -> None:
        order, org_id = self._selected(), self.buhta.require_org()
        if order is None or org_id is None:
            return
        if order.exported_at is not None:
            self.query_one(ErrorLine).show(t("pay.delete_exported", number=order.number,
                                             date=f"{order.exported_at.astimezone():%d.%m.%Y}"))
            return

        async def call(api: ApiClient) -> m.PaymentOrderOut:
            await api.payments.delete(org_id, order.id)
            return order

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(call, done=Deleted)

        self.app.push_screen(ConfirmDialog(t(
            "pay.delete_confirm", number=order.number, payee=order.payee_name,
            amount=format_amount(order.amount))), answered)

    @on(Deleted)
    def _deleted(self, message: Deleted) -> None:
        order = message.result
        self.query_one(ErrorLine).clear()
        self.app.notify(t("pay.deleted", number=order.number))
        self.action_reload()


