"""Provides the ledger reports: the trial balance (ОСВ), the account card and the account
analysis, with drill-down from one to the next and to a single entry.

The trial balance shows synthetic accounts first; `space` opens the sub-accounts (and,
by counterparty, the analytics lines) under the highlighted one. At 80 columns the six
money columns do not fit beside a readable name, so `v` switches the view: turnover
only, opening and closing balances, or all six (scrolling sideways, the account code
fixed). The line under the table always gives the highlighted row's six figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports_base import (
    ExportTable,
    ReportScreen,
    head_lines,
    num,
    short_date,
    side,
    side_text,
    width_of,
)
from tui.dialogs.entry_view import EntryView
from tui.widgets.text import clip, with_counterparty

if TYPE_CHECKING:
    from client.api import ApiClient

CODE_WIDTH = 10
NAME_MIN = 12
ALL_VIEW_NAME = 20
"""The all-columns view is the default when it leaves the name this many characters."""
VIEWS = ("turnover", "balances", "all")
VIEW_FIELDS: dict[str, tuple[str, ...]] = {
    "turnover": ("debit", "credit"),
    "balances": ("opening_debit", "opening_credit", "closing_debit", "closing_credit"),
    "all": ("opening_debit", "opening_credit", "debit", "credit", "closing_debit",
            "closing_credit"),
}
CARD_PAGE = 200
CARD_PREFETCH = 20
TOTAL_KEY = "total"


def money_columns_width(screen_width: int, columns: int, fixed: int) -> int:
    """What a table leaves to its flexible text column: the screen less a 1-column
    scrollbar, 2 padding characters per column and the fixed columns' widths."""
    return screen_width - 1 - 2 * columns - fixed


# --- trial balance tree -----------------------------------------------------------------


@dataclass
class TbNode:
    """One trial balance row with its place in the tree."""

    key: str
    row: m.TrialBalanceRow
    parent: str | None
    depth: int
    children: int = 0


def is_line(row: m.TrialBalanceRow) -> bool:
    """An analytics line (a counterparty, or «без контрагента»), not an account."""
    return row.level >= 2 or row.counterparty_id is not None


def tb_key(row: m.TrialBalanceRow) -> str:
    if is_line(row):
        return f"cp:{row.account}:{row.counterparty_id or ''}"
    return f"acc:{row.account}"


def tb_tree(rows: Iterable[m.TrialBalanceRow]) -> list[TbNode]:
    """The rows in the server's order, each knowing its parent and depth.

    An account's parent is ``row.parent``; an analytics line's is the line of its own
    account (or, failing that, ``row.parent``). A parent the report left out makes the
    row a top one. Example: 62, 62.01, 62.01 × Ромашка → depths 0, 1, 2.
    """
    nodes: list[TbNode] = []
    by_key: dict[str, TbNode] = {}
    for row in rows:
        candidates = [f"acc:{row.account}"] if is_line(row) else []
        if row.parent:
            candidates.append(f"acc:{row.parent}")
        parent = next((c for c in candidates if c in by_key), None)
        node = TbNode(tb_key(row), row, parent, by_key[parent].depth + 1 if parent else 0)
        if parent:
            by_key[parent].children += 1
        nodes.append(node)
        by_key[node.key] = node
    return nodes


def visible_nodes(nodes: list[TbNode], expanded: set[str]) -> list[TbNode]:
    """The nodes whose every ancestor is expanded (the server's order kept)."""
    shown: set[str] = set()
    result = []
    for node in nodes:
        if node.parent is None or (node.parent in shown and node.parent in expanded):
            shown.add(node.key)
            result.append(node)
    return result


def figures(row: m.TrialBalanceRow) -> str:
    """The six figures of a row in one line: «нач. 1 000,00 Д · Дт 500,00 · Кт … · кон. …»."""
    opening = row.opening_debit - row.opening_credit
    closing = row.closing_debit - row.closing_credit
    return t("reports.tb.figures", opening=side(opening) or "0",
             debit=num(row.debit) or "0", credit=num(row.credit) or "0",
             closing=side(closing) or "0")


class TrialBalanceScreen(ReportScreen):
    """Оборотно-сальдовая ведомость for the period, by account or by counterparty."""

    TITLE_KEY = "reports.tb"
    FILE_KEY = "reports.file.tb"
    BINDINGS = [
        Binding("enter", "open", "reports.open_card", id="reports_tb.open", key_display="↵",
                priority=True),
        Binding("a", "analysis", "reports.analysis_short", id="reports_tb.analysis"),
        Binding("v", "view", "reports.view", id="reports_tb.view"),
        Binding("space", "toggle", "reports.toggle", id="reports_tb.toggle"),
        Binding("plus", "expand", "reports.expand", id="reports_tb.expand", show=False),
        Binding("minus", "collapse", "reports.collapse", id="reports_tb.collapse",
                show=False),
        Binding("asterisk", "toggle_all", "reports.toggle_all", id="reports_tb.toggle_all",
                show=False),
    ]

    def __init__(self, period: Period | None = None, *, by: str = "account") -> None:
        super().__init__(period)
        self.by = by
        self.nodes: list[TbNode] = []
        self.shown: list[TbNode] = []
        self.expanded: set[str] = set()
        self.view: str | None = None
        self.name_width = NAME_MIN

    def report_title(self) -> str:
        return t("reports.tb_by_cp" if self.by == "counterparty" else "reports.tb")

    def relayout(self) -> None:
        self._rebuild(self._current_key())

    def file_stem(self) -> str:
        return t("reports.file.tb_cp" if self.by == "counterparty" else "reports.file.tb")

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.TrialBalance:
        start, end = period.iso()
        return await api.trial_balance(org_id, start, end, by=self.by)

    # --- showing ----------------------------------------------------------------------

    def show(self, report: m.TrialBalance) -> None:
        keep = self._current_key()
        self.nodes = tb_tree(report.rows)
        keys = {n.key for n in self.nodes}
        if self.by == "counterparty" and not self.expanded:
            self.expanded = {n.key for n in self.nodes if n.children}
        self.expanded &= keys
        if self.view is None:
            self.view = "all" if self._name_width("all") >= ALL_VIEW_NAME else "turnover"
        self._rebuild(keep)

    def _amount_width(self, view: str) -> int:
        report: m.TrialBalance = self.report
        amounts = [getattr(r, f) for r in [*report.rows, report.totals]
                   for f in VIEW_FIELDS[view]]
        headers = [t(f"reports.tb.{f}") for f in VIEW_FIELDS[view]]
        return max(width_of(amounts, h) for h in headers)

    def _name_width(self, view: str) -> int:
        fields = VIEW_FIELDS[view]
        fixed = CODE_WIDTH + len(fields) * self._amount_width(view)
        return money_columns_width(self.app.size.width, 2 + len(fields), fixed)

    def _rebuild(self, keep: str | None = None) -> None:
        table = self.query_one(DataTable)
        report: m.TrialBalance | None = self.report
        if report is None or self.view is None:
            return
        view = self.view
        fields = VIEW_FIELDS[view]
        amount_width = self._amount_width(view)
        self.name_width = max(NAME_MIN, self._name_width(view))
        table.clear(columns=True)
        table.fixed_columns = 1
        table.add_column(t("reports.tb.account"), width=CODE_WIDTH, key="code")
        table.add_column(t("reports.tb.name"), width=self.name_width, key="name")
        for f in fields:
            table.add_column(Text(t(f"reports.tb.{f}"), justify="right"), width=amount_width,
                             key=f)
        self.shown = visible_nodes(self.nodes, self.expanded)
        for node in self.shown:
            table.add_row(*self._cells(node, fields), key=node.key)
        totals = report.totals
        table.add_row(Text(t("reports.total"), style="bold"), "",
                      *(Text(num(getattr(totals, f)), justify="right", style="bold")
                        for f in fields), key=TOTAL_KEY)
        self._move_to(keep)
        if not report.rows:
            self.detail(t("reports.tb.empty"))
        else:
            self._detail()

    def _cells(self, node: TbNode, fields: tuple[str, ...]) -> list[Any]:
        row = node.row
        indent = "  " * node.depth
        if is_line(row):
            code = ""
            name = f"{indent}· {row.counterparty or '—'}"
        else:
            mark = ("▾ " if node.key in self.expanded else "▸ ") if node.children else "  "
            code = clip(f"{indent}{mark}{row.account}", CODE_WIDTH)
            name = f"{indent}{row.name}"
        style = "bold" if node.depth == 0 else ""
        return [Text(code, style=style), clip(name, self.name_width),
                *(Text(num(getattr(row, f)), justify="right") for f in fields)]

    def _move_to(self, key: str | None) -> None:
        if key is None:
            return
        table = self.query_one(DataTable)
        by_key = {n.key: n for n in self.nodes}
        shown = [n.key for n in self.shown]
        while key is not None and key not in shown and key != TOTAL_KEY:
            node = by_key.get(key)
            key = node.parent if node else None
        if key == TOTAL_KEY:
            table.move_cursor(row=len(self.shown))
        elif key is not None:
            table.move_cursor(row=shown.index(key))

    def _current(self) -> TbNode | None:
        table = self.query_one(DataTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def _current_key(self) -> str | None:
        if not self.shown:
            return None
        node = self._current()
        return node.key if node else TOTAL_KEY

    def _detail(self) -> None:
        node = self._current()
        report: m.TrialBalance | None = self.report
        if report is None:
            return
        if node is None:
            self.detail(f"{t('reports.total')}: {figures(report.totals)}")
            return
        row = node.row
        what = f"{row.account} {row.name}"
        if is_line(row):
            what = f"{row.account} · {row.counterparty or '—'}"
        self.detail(f"{what}\n{figures(row)}")

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    # --- keys -------------------------------------------------------------------------

    def action_view(self) -> None:
        if self.view is None:
            return
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self._rebuild(self._current_key())
        self.app.notify(t(f"reports.view_{self.view}"), timeout=2)

    def _set_expanded(self, node: TbNode, on_: bool) -> None:
        if on_:
            self.expanded.add(node.key)
        else:
            self.expanded.discard(node.key)
        self._rebuild(node.key)

    def action_toggle(self) -> None:
        node = self._current()
        if node is not None and node.children:
            self._set_expanded(node, node.key not in self.expanded)

    def action_expand(self) -> None:
        node = self._current()
        if node is not None and node.children:
            self._set_expanded(node, True)

    def action_collapse(self) -> None:
        node = self._current()
        if node is None:
            return
        if node.children and node.key in self.expanded:
            self._set_expanded(node, False)
        elif node.parent is not None:
            parent = next(n for n in self.nodes if n.key == node.parent)
            self._set_expanded(parent, False)

    def action_toggle_all(self) -> None:
        parents = {n.key for n in self.nodes if n.children}
        self.expanded = set() if parents <= self.expanded else parents
        self._rebuild(self._current_key())

    def action_open(self) -> None:
        node = self._current()
        if node is None:
            return
        row = node.row
        name = row.name if not is_line(row) else next(
            (n.row.name for n in self.nodes if n.key == f"acc:{row.account}"), row.name)
        self.app.push_screen(AccountCardScreen(
            row.account, name, self.period, counterparty_id=row.counterparty_id,
            counterparty=row.counterparty if row.counterparty_id else None))

    def action_analysis(self) -> None:
        node = self._current()
        if node is not None:
            self.app.push_screen(AccountAnalysisScreen(node.row.account, self.period))

    def action_back(self) -> None:
        self.dismiss(self.period)

    # --- export -----------------------------------------------------------------------

    def export_table(self) -> ExportTable | None:
        report: m.TrialBalance | None = self.report
        if report is None:
            return None
        fields = VIEW_FIELDS["all"]
        by_cp = self.by == "counterparty"
        columns = [t("reports.tb.account"), t("reports.tb.name")]
        if by_cp:
            columns.append(t("reports.counterparty"))
        columns += [t(f"reports.tb.{f}_long") for f in fields]
        first_money = len(columns) - len(fields)
        rows: list[list[Cell]] = []
        bold: set[int] = set()
        for node in tb_tree(report.rows):
            row = node.row
            cells: list[Cell] = [row.account, row.name]
            if by_cp:
                cells.append(row.counterparty)
            cells += [getattr(row, f) or None for f in fields]
            if node.depth == 0:
                bold.add(len(rows))
            rows.append(cells)
        bold.add(len(rows))
        rows.append([t("reports.total"), "", *([""] if by_cp else []),
                     *(getattr(report.totals, f) for f in fields)])
        return ExportTable(self.report_title(), head_lines(report.head, self.period), columns,
                           rows, set(range(first_money, len(columns))), bold)


# --- account card -----------------------------------------------------------------------


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
        self.rows: list[m.AccountCardRow] = []
        self.cursor: str | None = None
        self.pending: Worker[Any] | None = None
        self.text_width = NAME_MIN

    def report_title(self) -> str:
        title = t("reports.card_of", account=self.account)
        if self.counterparty:
            title += f" · {self.counterparty}"
        return title

    def file_stem(self) -> str:
        return f"{t('reports.file.card')}_{self.account}"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="card-opening")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="card-closing")

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.AccountCard:
        start, end = period.iso()
        return await api.account_card(org_id, self.account, start, end,
                                      counterparty_id=self.counterparty_id, limit=CARD_PAGE)

    def relayout(self) -> None:
        rows, row = self.rows, self.query_one(DataTable).cursor_row
        cursor = self.cursor
        self.show(self.report)
        self._add_rows(rows[len(self.rows):])
        self.cursor = cursor
        if self.rows:
            self.query_one(DataTable).move_cursor(row=min(row, len(self.rows) - 1))

    def show(self, card: m.AccountCard) -> None:
        self.account_name = card.name or self.account_name
        self.counterparty = card.counterparty or self.counterparty
        self.show_title()
        self.rows = []
        self.cursor = card.next_cursor
        table = self.query_one(DataTable)
        table.clear(columns=True)
        bound = abs(card.opening) + card.debit + card.credit
        width = width_of([bound], t("reports.card.debit"))
        balance_width = width + 2
        fixed = 8 + 7 + 2 * width + balance_width
        self.text_width = max(NAME_MIN, money_columns_width(self.app.size.width, 6, fixed))
        table.add_column(t("reports.card.date"), width=8, key="date")
        table.add_column(t("reports.card.corr"), width=7, key="corr")
        table.add_column(t("reports.card.text"), width=self.text_width, key="text")
        table.add_column(Text(t("reports.card.debit"), justify="right"), width=width,
                         key="debit")
        table.add_column(Text(t("reports.card.credit"), justify="right"), width=width,
                         key="credit")
        table.add_column(Text(t("reports.card.balance"), justify="right"),
                         width=balance_width, key="balance")
        name = clip(f"{self.account} {self.account_name}".strip(), 40)
        self.query_one("#card-opening", Static).update(t(
            "reports.card.opening", account=name,
            date=card.head.date_from.strftime("%d.%m.%Y"), balance=side_text(card.opening)))
        self.query_one("#card-closing", Static).update(t(
            "reports.card.closing", debit=num(card.debit, blank_zero=False),
            credit=num(card.credit, blank_zero=False),
            date=card.head.date_to.strftime("%d.%m.%Y"), balance=side_text(card.closing)))
        self._add_rows(card.rows)
        self._detail()

    def _add_rows(self, rows: list[m.AccountCardRow]) -> None:
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(
                short_date(row.date), clip(row.corr_account, 7),
                with_counterparty(row.description, row.counterparty, self.text_width),
                Text(num(row.debit), justify="right"), Text(num(row.credit), justify="right"),
                Text(side(row.balance), justify="right"),
                key=str(len(self.rows)),
            )
            self.rows.append(row)
        if not self.rows:
            self.detail(t("reports.card.empty"))

    def _current(self) -> m.AccountCardRow | None:
        table = self.query_one(DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

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
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()
        pending = self.pending is not None and not self.pending.is_finished
        if self.cursor and event.cursor_row >= len(self.rows) - CARD_PREFETCH and not pending:
            self._fetch_more()

    def _fetch_more(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or not self.cursor:
            return
        gen, cursor, (start, end) = self.generation, self.cursor, self.period.iso()

        async def call(api: ApiClient) -> tuple[int, m.AccountCard]:
            page = await api.account_card(org_id, self.account, start, end,
                                          counterparty_id=self.counterparty_id,
                                          cursor=cursor, limit=CARD_PAGE)
            return gen, page

        self.pending = self.call_api("card_page", call, exclusive=True)

    def on_card_page_done(self, result: tuple[int, m.AccountCard]) -> None:
        gen, page = result
        if gen != self.generation:
            return
        self.cursor = page.next_cursor
        self._add_rows(page.rows)

    def action_open(self) -> None:
        row = self._current()
        org_id = self.buhta.require_org()
        if row is None or org_id is None:
            return
        entry_id = row.entry_id
        self.call_api("entry", lambda api: api.entry(org_id, entry_id), exclusive=True)

    def on_entry_done(self, entry: m.EntryOut) -> None:
        self.app.push_screen(EntryView(entry))

    def action_analysis(self) -> None:
        self.app.push_screen(AccountAnalysisScreen(self.account, self.period))

    # --- export -----------------------------------------------------------------------

    async def full_export_table(self, api: ApiClient) -> ExportTable | None:
        card: m.AccountCard | None = self.report
        org_id = self.buhta.org.id if self.buhta.org else None
        if card is None or org_id is None:
            return None
        rows = list(self.rows)
        cursor, (start, end) = self.cursor, self.period.iso()
        while cursor:
            page = await api.account_card(org_id, self.account, start, end,
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


# --- account analysis -------------------------------------------------------------------


class AccountAnalysisScreen(ReportScreen):
    """Анализ счёта: the period's turnover by corresponding account."""

    TITLE_KEY = "reports.analysis"
    FILE_KEY = "reports.file.analysis"
    BINDINGS = [
        Binding("enter", "open", "reports.open_card", id="reports_analysis.open",
                key_display="↵", priority=True),
    ]

    def __init__(self, account: str, period: Period | None = None) -> None:
        super().__init__(period)
        self.account = account
        self.account_name = ""
        self.name_width = NAME_MIN

    def report_title(self) -> str:
        return t("reports.analysis_of", account=self.account)

    def file_stem(self) -> str:
        return f"{t('reports.file.analysis')}_{self.account}"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="analysis-opening")
        yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="analysis-closing")

    async def fetch(self, api: ApiClient, org_id: str, period: Period) -> m.AccountAnalysis:
        start, end = period.iso()
        return await api.account_analysis(org_id, self.account, start, end)

    def show(self, report: m.AccountAnalysis) -> None:
        self.account_name = report.name
        table = self.query_one(DataTable)
        table.clear(columns=True)
        amounts = [report.debit, report.credit, *(r.debit for r in report.rows),
                   *(r.credit for r in report.rows)]
        width = width_of(amounts, t("reports.analysis.debit"))
        self.name_width = max(NAME_MIN, money_columns_width(self.app.size.width, 4,
                                                            CODE_WIDTH + 2 * width))
        table.add_column(t("reports.analysis.corr"), width=CODE_WIDTH, key="corr")
        table.add_column(t("reports.tb.name"), width=self.name_width, key="name")
        table.add_column(Text(t("reports.analysis.debit"), justify="right"), width=width,
                         key="debit")
        table.add_column(Text(t("reports.analysis.credit"), justify="right"), width=width,
                         key="credit")
        for row in report.rows:
            table.add_row(row.corr_account, clip(row.name, self.name_width),
                          Text(num(row.debit), justify="right"),
                          Text(num(row.credit), justify="right"), key=row.corr_account)
        table.add_row(Text(t("reports.total"), style="bold"), "",
                      Text(num(report.debit), justify="right", style="bold"),
                      Text(num(report.credit), justify="right", style="bold"), key=TOTAL_KEY)
        name = clip(f"{self.account} {report.name}", 40)
        self.query_one("#analysis-opening", Static).update(t(
            "reports.card.opening", account=name,
            date=report.head.date_from.strftime("%d.%m.%Y"),
            balance=side_text(report.opening)))
        self.query_one("#analysis-closing", Static).update(t(
            "reports.analysis.closing", date=report.head.date_to.strftime("%d.%m.%Y"),
            balance=side_text(report.closing)))
        self.detail(t("reports.analysis.hint") if report.rows else t("reports.card.empty"))

    def action_open(self) -> None:
        if self.report is not None:
            self.app.push_screen(AccountCardScreen(self.account, self.account_name,
                                                   self.period))

    def export_table(self) -> ExportTable | None:
        report: m.AccountAnalysis | None = self.report
        if report is None:
            return None
        columns = [t("reports.analysis.corr_long"), t("reports.tb.name"),
                   t("reports.analysis.debit_long"), t("reports.analysis.credit_long")]
        rows: list[list[Cell]] = [[t("reports.analysis.opening_row"), "",
                                   *self._split(report.opening)]]
        for r in report.rows:
            rows.append([r.corr_account, r.name, r.debit or None, r.credit or None])
        rows.append([t("reports.total"), "", report.debit, report.credit])
        rows.append([t("reports.analysis.closing_row"), "", *self._split(report.closing)])
        extra = f"{self.account} {report.name}"
        return ExportTable(self.report_title(), head_lines(report.head, self.period, extra),
                           columns, rows, {2, 3}, {0, len(rows) - 2, len(rows) - 1})

    @staticmethod
    def _split(balance: Decimal) -> list[Cell]:
        """A signed balance as its debit and credit cells."""
        return [balance if balance > 0 else None, -balance if balance < 0 else None]
