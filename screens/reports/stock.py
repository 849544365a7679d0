"""Provides the stock screens: the stock report on the period's last day (остатки товаров:
item, warehouse, quantity, cost) and (`i`) the items (номенклатура) with a form to add or
change one.

The cost is the moving average the server keeps (ФСБУ 5/2019 п. 36); the line under the
table gives the highlighted row's cost of one unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Header, Input, Select, Static

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from core.documents import quantity_text
from core.validation import InvalidInput
from screens.reports.base import (
    CSS,
    NAME_MIN,
    TOTAL_KEY,
    ExportTable,
    ReportScreen,
    computed_text,
    money,
    money_columns_width,
    num,
    width_of,
)
from tui.errors import invalid_text
from tui.screen import BuhtaModal, BuhtaScreen
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.text import clip
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

WAREHOUSE_WIDTH = 14
QTY_WIDTH = 9
UNIT_WIDTH = 5


class OversellSet(Done[m.StockSettings]):
    """The organisation's stock setting after `o`."""


class StockScreen(ReportScreen):
    """Остатки товаров at the end of the period; `i` opens the items, `o` switches what a
    sale of more than is held does (refused or posted with a warning)."""

    TITLE_KEY = "reports.stock"
    FILE_KEY = "reports.file.stock"
    BINDINGS = [
        Binding("i", "items", "reports.stock.items_key", id="reports_stock.items"),
        Binding("o", "oversell", "reports.stock.oversell_key", id="reports_stock.oversell"),
    ]

    def report_title(self) -> str:
        return t("reports.stock.on", date=self.period.end.strftime("%d.%m.%Y"))

    def title_text(self) -> str:
        """«Остатки товаров на 31.12.2026»: a report on a day, not for a period."""
        return self.report_title()

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.StockReport:
        return await api.stock.report(org_id, period.end.isoformat())

    def show(self, report: m.StockReport) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        width = width_of([r.cost for r in report.rows] + [report.total_cost],
                         t("reports.stock.cost"))
        name = max(NAME_MIN, money_columns_width(
            self.app.size.width, 5, WAREHOUSE_WIDTH + QTY_WIDTH + UNIT_WIDTH + width))
        table.add_column(t("reports.stock.item"), width=name, key="item")
        table.add_column(t("reports.stock.warehouse"), width=WAREHOUSE_WIDTH, key="warehouse")
        table.add_column(Text(t("reports.stock.quantity"), justify="right"), width=QTY_WIDTH,
                         key="quantity")
        table.add_column(t("reports.stock.unit"), width=UNIT_WIDTH, key="unit")
        table.add_column(Text(t("reports.stock.cost"), justify="right"), width=width, key="cost")
        for i, r in enumerate(report.rows):
            table.add_row(clip(r.item, name), clip(r.warehouse, WAREHOUSE_WIDTH),
                          Text(quantity_text(r.quantity), justify="right"),
                          clip(r.unit, UNIT_WIDTH), Text(num(r.cost, blank_zero=False),
                                                         justify="right"), key=f"row:{i}")
        table.add_row(Text(t("reports.total"), style="bold"), "", "", "",
                      Text(num(report.total_cost, blank_zero=False), justify="right",
                           style="bold"), key=TOTAL_KEY)
        self._detail()

    def _detail(self) -> None:
        report: m.StockReport | None = self.report
        if report is None:
            return
        row = self.query_one(DataTable).cursor_row
        if row < len(report.rows):
            r = report.rows[row]
            self.detail(t("reports.stock.detail", item=r.item, average=money(r.average),
                          unit=r.unit))
        else:
            self.detail(t("reports.stock.hint") if report.rows else t("reports.stock.empty"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    def action_items(self) -> None:
        def back(_: Any) -> None:
            self.action_reload()

        self.app.push_screen(ItemsScreen(), back)

    def action_oversell(self) -> None:
        """Switch the organisation's answer to a sale of more than is held: refuse ↔ warn."""
        org_id = self.buhta.require_org()
        if org_id is None:
            return

        async def call(api: ApiClient) -> m.StockSettings:
            now = await api.stock.settings(org_id)
            wanted = "warn" if now.oversell == "refuse" else "refuse"
            return await api.stock.put_settings(org_id, m.StockSettings(oversell=wanted))

        self.call_api(call, done=OversellSet)

    @on(OversellSet)
    def _oversell_set(self, message: OversellSet) -> None:
        self.app.notify(t(f"reports.stock.oversell.{message.result.oversell}"))

    def export_table(self) -> ExportTable | None:
        report: m.StockReport | None = self.report
        if report is None:
            return None
        lines = [f"{report.head.org_name}, {t('reports.inn')} {report.head.org_inn}",
                 self.report_title(), computed_text(report.head)]
        columns = [t("reports.stock.item"), t("reports.stock.warehouse"),
                   t("reports.stock.quantity"), t("reports.stock.unit"),
                   t("reports.stock.average"), t("reports.stock.cost")]
        rows: list[list[Cell]] = [[r.item, r.warehouse, r.quantity, r.unit, r.average, r.cost]
                                  for r in report.rows]
        rows.append([t("reports.total"), None, None, None, None, report.total_cost])
        return ExportTable(self.report_title(), lines, columns, rows, {4, 5}, {len(rows) - 1})


# --- items -----------------------------------------------------------------------------


class ItemsLoaded(Done[m.ItemList]):
    """The organisation's items."""


class ItemSaved(Done[m.ItemOut]):
    """The item the form added or changed."""


class ItemsScreen(BuhtaScreen):
    """Номенклатура: the items by name; `n` adds one, Enter changes the highlighted one."""

    CSS_PATH = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="stock_items.back"),
        Binding("n", "new", "stock.items.new", id="stock_items.new"),
        Binding("f5", "reload", "devices.refresh", id="stock_items.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[m.ItemOut] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("stock.items.title"), id="report-title", classes="form-title")
        yield DataTable(id="items-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="report-detail")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.stock.items(org_id), done=ItemsLoaded, exclusive=True)

    @on(ItemsLoaded)
    def _loaded(self, message: ItemsLoaded) -> None:
        self.items = message.result.items
        table = self.query_one(DataTable)
        table.clear(columns=True)
        name = max(NAME_MIN, money_columns_width(self.app.size.width, 3, UNIT_WIDTH + 10))
        table.add_column(t("stock.items.name"), width=name, key="name")
        table.add_column(t("reports.stock.unit"), width=UNIT_WIDTH, key="unit")
        table.add_column(t("stock.items.kind"), width=10, key="kind")
        for x in self.items:
            table.add_row(clip(x.name, name), clip(x.unit, UNIT_WIDTH),
                          t(f"stock.kind.{x.kind}"), key=x.id)
        table.focus()
        self.query_one("#report-detail", Static).update(
            t("stock.items.hint") if self.items else t("stock.items.empty"))

    def action_new(self) -> None:
        self.app.push_screen(ItemDialog(None), self._saved)

    @on(DataTable.RowSelected)
    def _edit(self, event: DataTable.RowSelected) -> None:
        found = next((x for x in self.items if x.id == event.row_key.value), None)
        if found is not None:
            self.app.push_screen(ItemDialog(found), self._saved)

    def _saved(self, item: m.ItemOut | None) -> None:
        if item is not None:
            self.app.notify(t("stock.items.saved", name=item.name))
            self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)


class ItemDialog(BuhtaModal):
    """An item's name, unit and kind (товар / материал)."""

    CSS_PATH = CSS
    BINDINGS = [Binding("escape", "cancel", "app.back", id="stock_item.cancel")]

    def __init__(self, item: m.ItemOut | None) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical(classes="dialog"):
            yield Static(t("stock.item.edit" if item else "stock.item.new"),
                         classes="form-title")
            yield FormRow(t("stock.items.name"),
                          Input(item.name if item else "", id="name", compact=True))
            yield FormRow(t("reports.stock.unit"),
                          Input(item.unit if item else "шт", id="unit", compact=True))
            yield FormRow(t("stock.items.kind"),
                          Select([(t("stock.kind.goods"), "goods"),
                                  (t("stock.kind.material"), "material")],
                                 value=item.kind if item else "goods", allow_blank=False,
                                 id="kind", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("stock.item.save"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        if self.busy:
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        try:
            data = m.ItemIn(name=self.query_one("#name", Input).value,
                            unit=self.query_one("#unit", Input).value,
                            kind=self.query_one("#kind", Select).value,  # type: ignore[arg-type]
                            archived=self.item.archived if self.item else False)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        except ValueError:
            self.query_one(ErrorLine).show(t("validation.required"))
            return
        item = self.item
        if item is None:
            self.call_api(lambda api: api.stock.create_item(org_id, data), done=ItemSaved)
        else:
            self.call_api(lambda api: api.stock.update_item(org_id, item.id, data),
                          done=ItemSaved)

    @on(ItemSaved)
    def _saved(self, message: ItemSaved) -> None:
        self.dismiss(message.result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
