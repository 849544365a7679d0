"""Provides the journal (the ledger mode) and its reversal dialog.

The journal never loads the whole history: it holds a window of at most
``WINDOW_PAGES`` pages of entries fetched from the server, newest first, each page about
two screenfuls (the table's height × 2), asks for the next page half a screen before the
end and drops the oldest page from the top when the window is full
(tui.widgets.paged_table). Coming back to it revalidates the first page (a 304 when
nothing changed keeps the rows and the cursor) instead of loading it anew. A query line
(``/``) narrows the journal with the server's query language
(``acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Static

from client.i18n import t
from core import contract as m
from core.money import format_amount
from screens.ledger.close import MonthClosing
from screens.ledger.entry_form import EntryFormScreen
from tui import rights
from tui.dialogs.entry_view import EntryView
from tui.dialogs.reason import ReasonDialog
from tui.footer import KeyFooter
from tui.shell import ModeTabs
from tui.styles import sheets
from tui.widgets.dates import month_end, month_title, step_month
from tui.widgets.form import ErrorLine
from tui.widgets.paged_table import PagedTable
from tui.widgets.text import clip, with_counterparty
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 100
"""The most entries a page asks for (PagedTable sizes it to the screen)."""
PREFETCH = None
"""Ask for the next page half a screen from the end of the window."""
WINDOW_PAGES = 10
"""The journal holds at most this many pages; older ones are dropped from the top."""
DATE_TERM = re.compile(r"(?:^|\s)date:", re.IGNORECASE)
# Journal columns at 80x24: dd.mm.yy, №, description (the rest), Дт, Кт, amount.
COLUMN_WIDTHS = {"date": 8, "number": 6, "debit": 6, "credit": 6, "amount": 15}
DESCRIPTION_MIN = 16


def has_date_term(query: str) -> bool:
    return bool(DATE_TERM.search(query))


class EntryReversed(Done[m.EntryOut]):
    """The reversal entry was posted."""


class LedgerScreen(MonthClosing):
    """Журнал операций: the month's entries (or a query's), newest first, paged."""

    MODE = "ledger"
    CSS_PATH = sheets("shell", "ledger")
    BINDINGS = [
        # The Footer has room for this mode's own keys; the shell's still work.
        Binding("o", "app.org_screen('card')", "shell.card", id="ledger.card", show=False),
        Binding("t", "app.org_screen('team')", "shell.team", id="ledger.team", show=False),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="ledger.audit", show=False),
        Binding("n", "new_entry", "ledger.new", id="ledger.new"),
        Binding("s", "reverse", "ledger.reverse", id="ledger.reverse"),
        Binding("slash", "find", "ledger.find", id="ledger.find"),
        # Enter opens the entry, or runs the query in the query line. A priority key, so
        # that the table's own Enter does not take it; off the Footer to leave room at 80
        # columns (Enter on a row is what everyone tries first).
        Binding("enter", "open", "ledger.open", id="ledger.open", key_display="↵",
                priority=True, show=False),
        Binding("p", "app.org_screen('chart')", "chart.title", id="ledger.chart"),
        Binding("d", "app.org_screen('documents')", "docs.title", id="ledger.documents"),
        Binding("b", "app.org_screen('bank')", "bank.title", id="ledger.bank"),
        Binding("y", "app.org_screen('payments')", "pay.title", id="ledger.payments"),
        Binding("r", "app.org_screen('reports')", "reports.title", id="ledger.reports"),
        Binding("escape", "clear_query", "ledger.clear_query", id="ledger.clear_query",
                show=False),
        Binding("left_square_bracket", "step(-1)", "ledger.prev", id="ledger.prev",
                show=False),
        Binding("right_square_bracket", "step(1)", "ledger.next", id="ledger.next",
                show=False),
        Binding("m", "toggle_period", "ledger.toggle_period", id="ledger.toggle_period",
                show=False),
        # Up from the first row of a window whose top was dropped: start over.
        Binding("up", "reopen", "ledger.reopen", id="ledger.reopen", show=False,
                priority=True),
        Binding("c", "close_period", "ledger.close", id="ledger.close", show=False),
        Binding("i", "opening", "ledger.opening", id="ledger.opening", show=False),
        Binding("f5", "reload", "devices.refresh", id="ledger.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.all_time = False
        self.query_text = ""
        self.loaded_for: tuple[Any, ...] | None = None
        self._shown_key: tuple[Any, ...] | None = None
        """What the table's rows answer (the organisation, month, period, query)."""
        self.description_width = 0

    @property
    def table(self) -> PagedTable:
        return self.query_one("#journal", PagedTable)

    @property
    def entries(self) -> list[m.EntryOut]:
        """The window: at most WINDOW_PAGES pages, oldest page first dropped."""
        return self.table.items

    @property
    def rows(self) -> list[m.EntryOut]:
        """The entry behind each table row (an entry has one row per posting)."""
        return self.table.row_items

    @property
    def cursor(self) -> str | None:
        """Where the next page starts; None at the end of the journal."""
        return self.table.next_cursor

    @property
    def trimmed(self) -> bool:
        """Pages were dropped from the top: their place is gone, ↑ there starts over."""
        return self.table.trimmed

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="period-line")
        yield Input(id="query", placeholder=t("ledger.query_placeholder"), compact=True)
        yield PagedTable(page=self._page, render=self._rows, empty="#journal-empty",
                         empty_text=self._empty_text, prefetch=PREFETCH,
                         window_pages=WINDOW_PAGES, clear_at_once=True, id="journal",
                         cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-empty", classes="hint")
        yield Static("", id="org-line", classes="hint")
        yield Static("", id="signed-in", classes="hint")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one(DataTable).focus()

    # --- table ------------------------------------------------------------------------

    def _description_width(self) -> int:
        """What the screen's width leaves to the description column.

        The table spans the screen less a 1-column scrollbar (styles/ledger.tcss) and
        each of its 6 columns pads 1 on each side. At 80 columns: 80 − 1 − 12 = 67,
        less the fixed columns 8 + 6 + 6 + 6 + 15 = 41 → 26.
        """
        available = self.app.size.width - 1 - 2 * (len(COLUMN_WIDTHS) + 1)
        return max(DESCRIPTION_MIN, available - sum(COLUMN_WIDTHS.values()))

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        self.description_width = self._description_width()
        w = COLUMN_WIDTHS
        table.add_column(t("ledger.date"), width=w["date"], key="date")
        table.add_column("№", width=w["number"], key="number")
        table.add_column(t("ledger.description"), width=self.description_width,
                         key="description")
        table.add_column(t("ledger.debit"), width=w["debit"], key="debit")
        table.add_column(t("ledger.credit"), width=w["credit"], key="credit")
        table.add_column(Text(t("ledger.amount"), justify="right"), width=w["amount"],
                         key="amount")

    def on_resize(self, event: events.Resize) -> None:
        if self.description_width and self._description_width() != self.description_width:
            self.table.refill(columns=self._columns)

    def _rows(self, entry: m.EntryOut) -> list[tuple[Any, ...]]:
        mark = " ↩" if entry.reverses else (" ✗" if entry.reversed_by else "")
        return [
            (
                entry.date.strftime("%d.%m.%y") if i == 0 else "",
                f"{entry.number}{mark}" if i == 0 else "",
                with_counterparty(entry.description if i == 0 else "", p.counterparty,
                                  self.description_width),
                p.debit, p.credit, Text(format_amount(p.amount), justify="right"),
            )
            for i, p in enumerate(entry.postings)
        ]

    # --- loading ----------------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        # Another screen may post (documents, bank, another mode): revalidate on return.
        # The journal's own dialogs and the entry form say when they posted (their
        # callbacks reload), so under them the window stays as it is — else a post
        # would load the journal twice, once on return and once for the post.
        if not isinstance(self.app.screen, ModalScreen | EntryFormScreen):
            self.loaded_for = None

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        org = self.buhta.org
        if org is None or self.loaded_for == self._loading_key():
            return
        if self.loaded_for is None and self.table.items and self._shown_key == \
                self._loading_key():
            self._revalidate()  # the same question: a 304 keeps the rows and the cursor
        else:
            self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        super().on_org_changed(message)
        self.action_reload()

    def _loading_key(self) -> tuple[Any, ...]:
        org = self.buhta.org
        return (org.id if org else None, self.month, self.all_time, self.query_text)

    def _range(self) -> tuple[str | None, str | None]:
        """The dates sent with the query: none when the query names its own or for all time."""
        if self.all_time or has_date_term(self.query_text):
            return None, None
        return self.month.isoformat(), month_end(self.month).isoformat()

    def _period_text(self) -> str:
        if has_date_term(self.query_text):
            period = t("ledger.by_query")
        elif self.all_time:
            period = t("ledger.all_time")
        else:
            closed = f"  🔒 {t('ledger.closed')}" \
                if self.month.strftime("%Y-%m") in self.closed else ""
            period = f"{month_title(self.month)}{closed}"
        text = f" {t('ledger.period')}: {period}"
        if self.query_text:
            text += f" · {t('ledger.query')}: {clip(self.query_text, 40)}"
        elif not self.all_time:
            text += f"   [ ] {t('ledger.step')}"
        if self.trimmed:
            text += f"   {t('ledger.window_hint')}"
        return text

    def _show_period(self) -> None:
        self.query_one("#period-line", Static).update(self._period_text())

    def _books_changed(self) -> None:
        self.table.reload()

    def action_step(self, months: int) -> None:
        self.all_time = False
        self.month = step_month(self.month, months)
        self.action_reload()

    def action_toggle_period(self) -> None:
        self.all_time = not self.all_time
        self.action_reload()

    def _revalidate(self) -> None:
        self.loaded_for = self._loading_key()
        self.table.revalidate()
        self.load_periods()

    def action_reload(self) -> None:
        if self.buhta.org is None:
            return
        self.loaded_for = self._shown_key = self._loading_key()
        self.query_one(ErrorLine).clear()
        table = self.table
        table.prefetch, table.window_pages = PREFETCH, WINDOW_PAGES
        table.reload()
        self._show_period()
        self.load_periods()

    def _page(self, cursor: str | None, limit: int = PAGE
              ) -> Callable[[ApiClient], Awaitable[m.EntryPage]] | None:
        org = self.buhta.org
        if org is None:
            return None
        query = self.query_text
        start, end = self._range()
        size = min(limit, PAGE)
        return lambda api: api.ledger.entries(org.id, date_from=start, date_to=end, q=query or None,
                                       cursor=cursor, limit=size)

    def _empty_text(self) -> str:
        return t("ledger.nothing_found" if self.query_text else
                 "ledger.empty_all" if self.all_time else "ledger.empty")

    @on(PagedTable.Shown)
    def _shown(self) -> None:
        self._show_period()  # the window may have dropped its top: say so

    @on(PagedTable.Refused)
    def _refused(self) -> None:
        if self.query_text:
            self.query_one("#query", Input).focus()  # the query is what to fix

    def action_reopen(self) -> None:
        table = self.table
        if not (table.trimmed and table.has_focus and table.cursor_row == 0):
            raise SkipAction()
        self.app.notify(t("ledger.reopened"))
        self.action_reload()

    # --- query line -------------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one("#query", Input).focus()

    def _run_query(self) -> None:
        self.query_text = self.query_one("#query", Input).value.strip()
        self.query_one(ErrorLine).clear()
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_clear_query(self) -> None:
        box = self.query_one("#query", Input)
        active = bool(self.query_text)
        box.value = ""
        self.query_text = ""
        self.query_one(ErrorLine).clear()
        self.query_one(DataTable).focus()
        if active:
            self.action_reload()

    # --- entries ----------------------------------------------------------------------

    def _current(self) -> m.EntryOut | None:
        return self.table.current

    def action_open(self) -> None:
        if self.query_one("#query", Input).has_focus:
            self._run_query()
            return
        if not self.query_one(DataTable).has_focus:
            raise SkipAction()
        self._view()

    @on(DataTable.RowSelected)
    def _view(self) -> None:
        entry = self._current()
        if entry is not None:
            numbers = {e.id: e.number for e in self.entries}
            self.app.push_screen(EntryView(entry, numbers))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Dimmed where the role may not (tui.rights; the key overlay says who may).
        return None if not rights.allowed(self, action) else True

    def action_new_entry(self) -> None:
        if self.buhta.require_org():
            self.app.push_screen(EntryFormScreen(default_day=self._default_day()),
                                 lambda posted: self.action_reload() if posted else None)

    def action_opening(self) -> None:
        """`i`: the opening balances (ввод остатков); the journal shows them once posted."""
        from screens.ledger.opening import OpeningScreen

        if self.buhta.require_org():
            self.app.push_screen(OpeningScreen(),
                                 lambda posted: self.action_reload() if posted else None)

    def _default_day(self) -> date:
        today = date.today()
        if self.all_time or today.replace(day=1) == self.month:
            return today
        return month_end(self.month)

    def action_reverse(self) -> None:
        entry = self._current()
        org = self.buhta.org
        if entry is None or org is None:
            return
        if entry.reverses or entry.reversed_by:
            self.query_one(ErrorLine).show(t("ledger.cannot_reverse"))
            return

        def answered(result: tuple[str, str | None] | None) -> None:
            if result:
                reason, day = result
                self.call_api(lambda api: api.ledger.reverse_entry(org.id, entry.id, reason, day),
                              done=EntryReversed)

        self.app.push_screen(ReverseDialog(entry), answered)

    @on(EntryReversed)
    def _reversed(self, message: EntryReversed) -> None:
        self.app.notify(t("ledger.reversed", number=message.result.number))
        self.action_reload()

class ReverseDialog(ReasonDialog):
    """Why the entry is reversed, and on which date (the original's by default)."""

    CSS_PATH = sheets("dialogs", "ledger")

    def __init__(self, entry: m.EntryOut) -> None:
        super().__init__(t("ledger.reverse_title", number=entry.number,
                           amount=format_amount(entry.total)),
                         t("ledger.reverse"), day=entry.date, boxed=True)
        self.entry = entry
