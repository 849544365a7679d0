"""Provides AccountCardScreen: an account's postings in date order with a running balance,
paged from the server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports.analysis import AccountAnalysisScreen
from screens.reports.base import (
    NAME_MIN,
    ExportTable,
    ReportScreen,
    head_lines,
    money_columns_width,
    num,
    short_date,
    side,
    side_text,
    width_of,
)
from tui.dialogs.entry_view import EntryView
from tui.widgets.paged_table import PagedTable
from tui.widgets.text import clip, with_counterparty
from tui.workers import Done

if TYPE_CHECKING:
    from textual.widgets.data_table import RowKey

    from client.api import ApiClient

CARD_PAGE = 200
CARD_PREFETCH = 20


@dataclass
class CardPage:
    """One page of the card's postings, as the paged table reads it."""

    items: list[m.AccountCardRow]
    next_cursor: str | None


class CardTable(PagedTable):
    """The card's paged table; its rows are keyed by their place in the card: "0", "1", …"""

    def add_row(self, *cells: Any, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        return super().add_row(*cells, height=height, key=str(len(self.row_keys)),
                               label=label)


class EntryLoaded(Done[m.EntryOut]):
    """The whole entry behind a posting (Enter)."""


class AccountCardScreen(ReportScreen):
    """Карточка счёта: its postings in date order with a running balance, paged."""

    TITLE_KEY = "reports.card"
    FILE_KEY = "reports.file.card"
    BINDINGS = [
        Binding("enter", "open", "reports.open_entry", id="reports_card.open",
                key_display="↵", priority=True),
        Binding("a", "analysis", "reports.analysis_short", id="reports_card.analysis"),
    ]

    def __init__(self, account: str, name: str = "", period: Period | None = None, *,
                 counterparty_id: str | None = None, counterparty: str | None = None) -> None:
        super().__init__(period)
        self.account = account
        self.account_name = name
        self.counterparty_id = counterparty_id
        self.counterparty = counterparty
        self.text_width = NAME_MIN
        self.amount_width = NAME_MIN

    def report_title(self) -> str:
        title = t("reports.card_of", account=self.account)
        if self.counterparty:
            title += f" · {self.counterparty}"
        return title

    def file_stem(self) -> str:
        return f"{t('reports.file.card')}_{self.account}"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="card-opening")
        yield CardTable(page=self._page, render=self._cells, prefetch=CARD_PREFETCH,
                        id="report-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="card-closing")

    @property
    def rows(self) -> list[m.AccountCardRow]:
        """The postings loaded so far."""
        return self.query_one(CardTable).items

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.AccountCard:
        start, end = period.iso()
        return await api.reports.account_card(org_id, self.account, start, end,
                                              counterparty_id=self.counterparty_id,
                                              limit=CARD_PAGE)

    def action_reload(self) -> None:
        super().action_reload()
        if self.loading:
            # Another period (or organisation) is on its way: a page of the one left is
            # dropped, and none is asked for until the new card is shown.
            self.query_one(CardTable).reload()

    def _page(self, cursor: str | None) -> Callable[[ApiClient], Awaitable[CardPage]] | None:
        """The first page is the card the report loaded; the next ones come from the server."""
        card: m.AccountCard | None = self.report
        if cursor is None:
            if card is None or self.loading:
                return None
            first = CardPage(list(card.rows), card.next_cursor)

            async def shown(_api: ApiClient) -> CardPage:
                return first

            return shown
        org_id = self.buhta.require_org()
        if org_id is None:
            return None
        (start, end), account, counterparty_id = self.period.iso(), self.account, \
            self.counterparty_id

        async def more(api: ApiClient) -> CardPage:
            page = await api.reports.account_card(org_id, account, start, end,
                                                  counterparty_id=counterparty_id,
                                                  cursor=cursor, limit=CARD_PAGE)
            return CardPage(page.rows, page.next_cursor)

        return more

    def _lay_out(self, card: m.AccountCard) -> None:
        """The money columns fit the period's largest figure; the text takes the rest."""
        bound = abs(card.opening) + card.debit + card.credit
        self.amount_width = width_of([bound], t("reports.card.debit"))
        fixed = 8 + 7 + 2 * self.amount_width + self.amount_width + 2
        self.text_width = max(NAME_MIN, money_columns_width(self.app.size.width, 6, fixed))

    def _add_columns(self) -> None:
        table, width = self.query_one(CardTable), self.amount_width
        table.add_column(t("reports.card.date"), width=8, key="date")
        table.add_column(t("reports.card.corr"), width=7, key="corr")
        table.add_column(t("reports.card.text"), width=self.text_width, key="text")
        table.add_column(Text(t("reports.card.debit"), justify="right"), width=width,
                         key="debit")
        table.add_column(Text(t("reports.card.credit"), justify="right"), width=width,
                         key="credit")
        table.add_column(Text(t("reports.card.balance"), justify="right"),
                         width=width + 2, key="balance")

    def relayout(self) -> None:
        self._lay_out(self.report)
        self.query_one(CardTable).refill(columns=self._add_columns)

    def show(self, card: m.AccountCard) -> None:
        self.account_name = card.name or self.account_name
        self.counterparty = card.counterparty or self.counterparty
        self.show_title()
        self._lay_out(card)
        table = self.query_one(CardTable)
        table.clear(columns=True)
        self._add_columns()
        name = clip(f"{self.account} {self.account_name}".strip(), 40)
        self.query_one("#card-opening", Static).update(t(
            "reports.card.opening", account=name,
            date=card.head.date_from.strftime("%d.%m.%Y"), balance=side_text(card.opening)))
        self.query_one("#card-closing", Static).update(t(
            "reports.card.closing", debit=num(card.debit, blank_zero=False),
            credit=num(card.credit, blank_zero=False),
            date=card.head.date_to.strftime("%d.%m.%Y"), balance=side_text(card.closing)))
        table.reload()  # its first page is this card's rows

    def _cells(self, row: m.AccountCardRow) -> list[tuple[Any, ...]]:
        return [(short_date(row.date), clip(row.corr_account, 7),
                 with_counterparty(row.description, row.counterparty, self.text_width),
                 Text(num(row.debit), justify="right"), Text(num(row.credit), justify="right"),
                 Text(side(row.balance), justify="right"))]

    @on(PagedTable.Shown)
    def _shown(self, event: PagedTable.Shown) -> None:
        if not self.rows:
            self.detail(t("reports.card.empty"))
        elif event.reset:
            self._detail()

    def _current(self) -> m.AccountCardRow | None:
        return self.query_one(CardTable).current

    def _detail(self) -> None:
        row = self._current()
        if row is None:
            return
        parts = [t("reports.card.entry", number=row.entry_number,
                   date=row.date.strftime("%d.%m.%Y"))]
        if row.document:
            parts.append(row.document)
        if row.description:
            parts.append(row.description)
        if row.counterparty:
            parts.append(row.counterparty)
        self.detail(" · ".join(parts))

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()  # the table itself asks for the next page near the end

    def action_open(self) -> None:
        row = self._current()
        org_id = self.buhta.require_org()
        if row is None or org_id is None:
            return
        entry_id = row.entry_id
        self.call_api(lambda api: api.ledger.entry(org_id, entry_id), done=EntryLoaded,
                      exclusive=True)

    @on(EntryLoaded)
    def _entry_loaded(self, message: EntryLoaded) -> None:
        self.app.push_screen(EntryView(message.result))

    def action_analysis(self) -> None:
        self.app.push_screen(AccountAnalysisScreen(self.account, self.period))

    # --- export -----------------------------------------------------------------------

    async def full_export_table(self, api: ApiClient) -> ExportTable | None:
        card: m.AccountCard | None = self.report
        org_id = self.buhta.org.id if self.buhta.org else None
        if card is None or org_id is None:
            return None
        rows = list(self.rows)
        cursor, (start, end) = self.query_one(CardTable).next_cursor, self.period.iso()
        while cursor:
            page = await api.reports.account_card(org_id, self.account, start, end,
                                                  counterparty_id=self.counterparty_id,
                                                  cursor=cursor, limit=CARD_PAGE)
            rows.extend(page.rows)
            cursor = page.next_cursor
        return self._table(card, rows)

    def export_table(self) -> ExportTable | None:
        card: m.AccountCard | None = self.report
        return None if card is None else self._table(card, self.rows)

    def _table(self, card: m.AccountCard, rows: list[m.AccountCardRow]) -> ExportTable:
        columns = [t("reports.card.date"), t("reports.card.number"), t("reports.card.document"),
                   t("reports.card.description"), t("reports.card.corr_long"),
                   t("reports.counterparty"), t("reports.card.debit"), t("reports.card.credit"),
                   t("reports.card.balance"), t("reports.card.side")]

        def balance(amount: Decimal) -> list[Cell]:
            if amount == 0:
                return [Decimal("0.00"), ""]
            mark = t("reports.side_debit") if amount > 0 else t("reports.side_credit")
            return [abs(amount), mark]

        empty: list[Cell] = ["", "", "", ""]
        table: list[list[Cell]] = [
            [card.head.date_from, None, "", t("reports.card.opening_row"), *empty[:2],
             None, None, *balance(card.opening)]]
        for r in rows:
            table.append([r.date, r.entry_number, r.document or "", r.description,
                          r.corr_account, r.counterparty or "", r.debit or None,
                          r.credit or None, *balance(r.balance)])
        table.append([card.head.date_to, None, "", t("reports.card.closing_row"), *empty[:2],
                      card.debit, card.credit, *balance(card.closing)])
        extra = [f"{self.account} {self.account_name}".strip()]
        if self.counterparty:
            extra.append(f"{t('reports.counterparty')}: {self.counterparty}")
        return ExportTable(self.report_title(), head_lines(card.head, self.period, *extra),
                           columns, table, {6, 7, 8}, {0, len(table) - 1})
