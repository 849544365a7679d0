"""Provides the trial balance (ОСВ), by account or by counterparty, with drill-down to the
account card and the analysis.

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
from textual.widgets import DataTable

from client.export import Cell
from client.i18n import t
from client.periods import Period
from core import contract as m
from screens.reports.analysis import AccountAnalysisScreen
from screens.reports.base import (
    CODE_WIDTH,
    NAME_MIN,
    TOTAL_KEY,
    ExportTable,
    ReportScreen,
    head_lines,
    money_columns_width,
    num,
    side,
    width_of,
)
from screens.reports.card import AccountCardScreen
from tui.widgets.text import clip

if TYPE_CHECKING:
    from client.api import ApiClient

ALL_VIEW_NAME = 20
"""The all-columns view is the default when it leaves the name this many characters."""
VIEWS = ("turnover", "balances", "all")
VIEW_FIELDS: dict[str, tuple[str, ...]] = {
    "turnover": ("debit", "credit"),
    "balances": ("opening_debit", "opening_credit", "closing_debit", "closing_credit"),
    "all": ("opening_debit", "opening_credit", "debit", "credit", "closing_debit",
            "closing_credit"),
}


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
    """The six figures of a row in one line: «нач. 1 000,00 Д · Дт 500,00 · Кт … · кон. …».
    An expanded balance (60, 62, 68 …) with both sides keeps both: «кон. 25 000,00 Д
    19 000,00 К», never the net."""
    return t("reports.tb.figures", opening=_balance(row.opening_debit, row.opening_credit),
             debit=num(row.debit) or "0", credit=num(row.credit) or "0",
             closing=_balance(row.closing_debit, row.closing_credit))


def _balance(debit: Decimal, credit: Decimal) -> str:
    if debit and credit:
        return f"{side(debit)} {side(-credit)}"
    return side(debit - credit) or "0"


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
        return await api.reports.trial_balance(org_id, start, end, by=self.by)

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
