"""Provides the journal (the ledger mode), the entry view, the manual entry form and the
reversal dialog.

The journal never loads the whole history: it holds a window of at most
``WINDOW_PAGES`` pages of entries fetched from the server, newest first, asks for the
next page as the cursor nears the end and drops the oldest page from the top when the
window is full. A query line (``/``) narrows the journal with the server's query
language (``acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893``).
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Button, DataTable, Footer, Header, Input, Static
from textual.worker import Worker

from client.errors import ApiError
from client.i18n import t
from core import contract as m
from core.money import format_amount, parse_amount
from core.validation import InvalidInput
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.entry_view import EntryView
from tui.dialogs.reason import ReasonDialog
from tui.errors import field_of, invalid_text
from tui.screen import FormScreen
from tui.shell import ModeTabs, ShellScreen
from tui.styles import sheets
from tui.widgets.accounts import AccountSuggester, CompletingInput, account_code
from tui.widgets.dates import month_end, month_title, parse_day, step_month, weekday_name
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.money import amount_problem
from tui.widgets.text import clip, with_counterparty

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 100
PREFETCH = 20
"""Ask for the next page when the cursor is this many rows from the end of the window."""
WINDOW_PAGES = 10
"""The journal holds at most this many pages; older ones are dropped from the top."""
SEARCH_DELAY_S = 0.25
"""Typing a counterparty restarts its search; only a pause this long reaches the server."""
DATE_TERM = re.compile(r"(?:^|\s)date:", re.IGNORECASE)
# Journal columns at 80x24: dd.mm.yy, №, description (the rest), Дт, Кт, amount.
COLUMN_WIDTHS = {"date": 8, "number": 6, "debit": 6, "credit": 6, "amount": 15}
DESCRIPTION_MIN = 16


def has_date_term(query: str) -> bool:
    return bool(DATE_TERM.search(query))


# --- journal --------------------------------------------------------------------------


class LedgerScreen(ShellScreen):
    """Журнал операций: the month's entries (or a query's), newest first, paged."""

    MODE = "ledger"
    CSS_PATH = ["../styles/shell.tcss", "../styles/ledger.tcss"]
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
        Binding("f5", "reload", "devices.refresh", id="ledger.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date.today().replace(day=1)
        self.all_time = False
        self.query_text = ""
        self.entries: list[m.EntryOut] = []
        """The window: at most WINDOW_PAGES pages, oldest page first dropped."""
        self.rows: list[m.EntryOut] = []
        """The entry behind each table row (an entry has one row per posting)."""
        self.row_keys: list[str] = []
        self.pages: list[tuple[int, int]] = []
        """Entries and table rows of each page in the window, top first."""
        self.cursor: str | None = None
        self.trimmed = False
        """Pages were dropped from the top: their place is gone, ↑ there starts over."""
        self.generation = 0
        self.row_seq = 0
        self.pending: Worker[Any] | None = None
        self.closed: set[str] = set()
        self.loaded_for: tuple[Any, ...] | None = None
        self.description_width = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="period-line")
        yield Input(id="query", placeholder=t("ledger.query_placeholder"), compact=True)
        yield DataTable(id="journal", cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-empty", classes="hint")
        yield Static("", id="org-line", classes="hint")
        yield Static("", id="signed-in", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

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
            table = self.query_one(DataTable)
            row = table.cursor_row
            table.clear(columns=True)
            self._columns()
            self.row_keys = []
            for entry in self.entries:
                self._add_rows(table, entry)
            if self.rows:
                table.move_cursor(row=min(row, len(self.rows) - 1))

    def _add_rows(self, table: DataTable[Any], entry: m.EntryOut) -> int:
        mark = " ↩" if entry.reverses else (" ✗" if entry.reversed_by else "")
        for i, p in enumerate(entry.postings):
            first = i == 0
            self.row_seq += 1
            key = str(self.row_seq)
            table.add_row(
                entry.date.strftime("%d.%m.%y") if first else "",
                f"{entry.number}{mark}" if first else "",
                with_counterparty(entry.description if first else "", p.counterparty,
                                  self.description_width),
                p.debit, p.credit, Text(format_amount(p.amount), justify="right"),
                key=key,
            )
            self.row_keys.append(key)
        return len(entry.postings)

    # --- loading ----------------------------------------------------------------------

    def on_screen_suspend(self) -> None:
        # Another screen may post (documents, counterparties, the entry form): reload on
        # return. Only the read-only entry view keeps the table and its cursor as they are.
        if not isinstance(self.app.screen, EntryView):
            self.loaded_for = None

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        org = self.buhta.org
        if org is not None and self.loaded_for != self._loading_key():
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

    def action_step(self, months: int) -> None:
        self.all_time = False
        self.month = step_month(self.month, months)
        self.action_reload()

    def action_toggle_period(self) -> None:
        self.all_time = not self.all_time
        self.action_reload()

    def action_reload(self) -> None:
        if self.buhta.org is None:
            return
        self.generation += 1
        self.entries, self.rows, self.row_keys, self.pages = [], [], [], []
        self.cursor, self.trimmed = None, False
        self.loaded_for = self._loading_key()
        self.query_one(DataTable).clear()
        self.query_one("#journal-empty", Static).update("")
        self.query_one(ErrorLine).clear()
        self._show_period()
        org_id = self.buhta.org.id
        self.call_api("periods", lambda api: api.periods(org_id), exclusive=True)
        self._fetch()

    def on_periods_done(self, periods: m.PeriodList) -> None:
        self.closed = set(periods.closed)
        self._show_period()

    def on_reopen_done(self, periods: m.PeriodList) -> None:
        self.on_periods_done(periods)
        self.app.notify(t("ledger.reopened_now", period=month_title(self.month)))

    def on_close_done(self, periods: m.PeriodList) -> None:
        self.on_periods_done(periods)
        self.app.notify(t("ledger.closed_now", period=month_title(self.month)))

    def _fetch(self) -> None:
        org = self.buhta.org
        if org is None:
            return
        gen, cursor, query = self.generation, self.cursor, self.query_text
        start, end = self._range()

        async def call(api: ApiClient) -> tuple[int, m.EntryPage]:
            page = await api.entries(org.id, date_from=start, date_to=end, q=query or None,
                                     cursor=cursor, limit=PAGE)
            return gen, page

        self.pending = self.call_api("page", call, exclusive=True)

    def on_page_done(self, result: tuple[int, m.EntryPage]) -> None:
        gen, page = result
        if gen != self.generation:
            return  # an answer for a period or query left since
        table = self.query_one(DataTable)
        rows = 0
        for entry in page.items:
            self.entries.append(entry)
            added = self._add_rows(table, entry)
            self.rows.extend([entry] * added)
            rows += added
        self.pages.append((len(page.items), rows))
        self.cursor = page.next_cursor
        self._trim()
        empty = "ledger.nothing_found" if self.query_text else \
            "ledger.empty_all" if self.all_time else "ledger.empty"
        self.query_one("#journal-empty", Static).update("" if self.entries else t(empty))

    def on_page_failed(self, error: ApiError) -> bool:
        if self.query_text:
            self.query_one("#query", Input).focus()  # the query is what to fix
        return False  # the error line says what is wrong

    def _trim(self) -> None:
        """Drop the oldest pages while the window holds more than WINDOW_PAGES.

        Only pages wholly above the cursor go, and the cursor never lands on the top
        row by it (there, ↑ means "back to the start"). Worked example with 3 rows a
        page: 11 pages = 33 rows, the cursor on row 31; the first page's 3 rows go,
        the cursor moves to row 28 on the same entry, 30 rows remain.
        """
        table = self.query_one(DataTable)
        while len(self.pages) > WINDOW_PAGES:
            entries, rows = self.pages[0]
            row = table.cursor_row
            if row - rows < 1:
                break
            for key in self.row_keys[:rows]:
                table.remove_row(key)
            del self.row_keys[:rows], self.rows[:rows], self.entries[:entries]
            self.pages.pop(0)
            table.move_cursor(row=row - rows)
            self.trimmed = True
        self._show_period()

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        pending = self.pending is not None and not self.pending.is_finished
        if self.cursor and event.cursor_row >= len(self.rows) - PREFETCH and not pending:
            self._fetch()

    def action_reopen(self) -> None:
        table = self.query_one(DataTable)
        if not (self.trimmed and table.has_focus and table.cursor_row == 0):
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
        table = self.query_one(DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

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

    def action_new_entry(self) -> None:
        if self.buhta.require_org():
            self.app.push_screen(EntryFormScreen(default_day=self._default_day()),
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
                self.call_api("reversed", lambda api: api.reverse_entry(
                    org.id, entry.id, reason, day))

        self.app.push_screen(ReverseDialog(entry), answered)

    def on_reversed_done(self, entry: m.EntryOut) -> None:
        self.app.notify(t("ledger.reversed", number=entry.number))
        self.action_reload()

    def action_close_period(self) -> None:
        """Close the month shown; on a closed month, reopen it (with a reason, audited)."""
        org = self.buhta.org
        if org is None:
            return
        month = self.month.strftime("%Y-%m")
        if month in self.closed:

            def reopen(reason: str | None) -> None:
                if reason:
                    self.call_api("reopen", lambda api: api.reopen_period(org.id, month, reason))

            self.app.push_screen(ReasonDialog(t("ledger.reopen_confirm",
                                                period=month_title(self.month)),
                                              t("ledger.reopen_period")), reopen)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # A write: its own worker name, never cancelled by a reload.
                self.call_api("close", lambda api: api.close_period(org.id, month))

        self.app.push_screen(ConfirmDialog(t("ledger.close_confirm",
                                             period=month_title(self.month))), answered)


# --- entry form -----------------------------------------------------------------------


class PostingRow(Vertical):
    """Дт, Кт, amount, counterparty: one line of an entry, and what is wrong with it."""

    def __init__(self, n: int, suggester: Suggester | None) -> None:
        super().__init__(id=f"posting-{n}", classes="posting")
        self.n = n
        self.suggester = suggester

    def compose(self) -> ComposeResult:
        n = self.n
        with Horizontal(classes="posting-fields"):
            yield CompletingInput(id=f"debit-{n}", placeholder=t("ledger.debit"), compact=True,
                                  suggester=self.suggester, classes="account")
            yield CompletingInput(id=f"credit-{n}", placeholder=t("ledger.credit"),
                                  compact=True, suggester=self.suggester, classes="account")
            yield Input(id=f"amount-{n}", placeholder="0,00", compact=True, classes="amount")
            yield CompletingInput(id=f"cp-{n}", placeholder=t("ledger.cp_placeholder"),
                                  compact=True, classes="cp")
        yield Static("", id=f"line-hint-{n}", classes="line-hint")


def cp_label(cp: m.CounterpartyOut, same_name: bool) -> str:
    return f"{cp.name} ({cp.inn})" if same_name and cp.inn else cp.name


class EntryFormScreen(FormScreen):
    """A manual operation: date, description, Дт/Кт/amount/counterparty lines; F2 posts."""

    CSS_PATH = "../styles/ledger.tcss"
    FIRST_FIELD = "#day"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="entry.back"),
        Binding("f2", "post", "ledger.post", id="entry.post"),
        Binding("f3", "add_line", "ledger.add_line", id="entry.add_line"),
    ]

    def __init__(self, default_day: date | None = None) -> None:
        super().__init__()
        self.default_day = default_day or date.today()
        self.lines = 0
        self.suggester: AccountSuggester | None = None
        self.names: dict[str, str] = {}
        self.ready = False
        self.ok = False
        self.posting: Worker[Any] | None = None
        self.cp_known: dict[str, m.CounterpartyOut] = {}
        """Counterparties met in searches, by the text that picks them (label or ИНН)."""
        self.cp_chosen: dict[int, m.CounterpartyOut | None] = {}
        self.cp_missing: dict[int, str] = {}
        """Per line: the text a finished search found nothing for."""
        self.cp_offered: dict[int, tuple[str, str]] = {}
        """Per line: the text searched for and the label suggested for it."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-form"):
            yield Static(t("ledger.new_title"), classes="form-title")
            yield FormRow(t("ledger.date"),
                          Input(self.default_day.strftime("%d.%m.%Y"), id="day", compact=True),
                          Static("", id="day-parsed"))
            yield FormRow(t("ledger.description"), Input(id="description", compact=True))
            yield Static(self._heading(), classes="hint", id="postings-heading")
            yield Vertical(id="postings")
            yield Static("", id="total")
            yield Static("", id="accounts-hint", classes="hint")
            yield from self.form_end(
                Button(t("ledger.post"), id="submit", variant="primary", compact=True),
                Button(t("ledger.add_line"), id="add-line", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    @staticmethod
    def _heading() -> str:
        # Aligned with the posting fields (styles/ledger.tcss: 14, 14, 16, the rest).
        return (f"{t('ledger.debit'):<15}{t('ledger.credit'):<15}{t('ledger.amount'):<17}"
                f"{t('ledger.counterparty')}")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_day(self.query_one("#day", Input).value)
        org = self.buhta.org
        if org is not None:
            self.call_api("chart", lambda api: api.accounts(org.id), exclusive=True)

    def set_busy(self, busy: bool) -> None:
        # Only a post in flight dims the form: searches and loading run alongside.
        super().set_busy(self.posting is not None and not self.posting.is_finished)

    async def on_chart_done(self, accounts: list[m.LedgerAccountOut]) -> None:
        self.names = {a.code: a.name for a in accounts}
        self.suggester = AccountSuggester(accounts)
        await self.action_add_line()
        self.ready = True
        self._refresh_total()

    async def action_add_line(self) -> None:
        self.lines += 1
        await self.query_one("#postings").mount(PostingRow(self.lines - 1, self.suggester))

    @on(Button.Pressed, "#add-line")
    async def _add_pressed(self) -> None:
        await self.action_add_line()

    # --- checking -----------------------------------------------------------------

    def _collect(self) -> tuple[dict[str, Any], list[str]]:
        """The form as an EntryIn dict, and the problems found on the way."""
        problems: list[str] = []
        postings = []
        for row in self.query(PostingRow):
            n = row.n
            boxes = {box.id: box.value for box in row.query(Input)}
            debit = account_code(boxes.get(f"debit-{n}", ""))
            credit = account_code(boxes.get(f"credit-{n}", ""))
            raw = boxes.get(f"amount-{n}", "")
            cp_text = boxes.get(f"cp-{n}", "").strip()
            if not (debit or credit or raw.strip() or cp_text):
                continue
            try:
                amount = parse_amount(raw)
                if amount <= 0:
                    problems.append(f"amount-{n}:{t('ledger.amount_positive')}")
            except InvalidInput as exc:
                problems.append(f"amount-{n}:{invalid_text(exc)}")
                amount = Decimal(0)
            for field, code in (("debit", debit), ("credit", credit)):
                if code not in self.names:
                    problems.append(f"{field}-{n}:{t('ledger.no_account', code=code or '—')}")
            chosen = self.cp_chosen.get(n)
            if cp_text and chosen is None:
                problems.append(f"cp-{n}:{t('ledger.cp_not_chosen')}")
            posting: dict[str, Any] = {"debit": debit, "credit": credit, "amount": str(amount)}
            if chosen is not None:
                posting["counterparty_id"] = chosen.id
            postings.append(posting)
        return {"description": self.query_one("#description", Input).value,
                "postings": postings}, problems

    def _refresh_total(self) -> None:
        data, problems = self._collect()
        total = sum((Decimal(p["amount"]) for p in data["postings"]), Decimal(0))
        self.query_one("#total", Static).update(
            f"{t('ledger.total')}: {format_amount(total)}")
        self.ok = bool(data["postings"]) and not problems
        self.refresh_bindings()
        if self.is_mounted:
            self.query_one("#submit", Button).disabled = not self.ok or self.busy

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "post":
            return True if self.ok else None  # dimmed until the entry can be posted
        return True

    def _show_day(self, text: str) -> None:
        try:
            day = parse_day(text)
            shown = t("ledger.day_is", weekday=weekday_name(day), date=day.strftime("%d.%m.%Y"))
            self.query_one("#day-parsed", Static).set_class(False, "-error")
        except InvalidInput as exc:
            shown = f"✗ {invalid_text(exc)}"
            self.query_one("#day-parsed", Static).set_class(True, "-error")
        self.query_one("#day-parsed", Static).update(shown)

    def _line_hint(self, n: int) -> None:
        """Under a posting line: a refused amount, else the counterparty's state."""
        try:
            hint = self.query_one(f"#line-hint-{n}", Static)
            amount = self.query_one(f"#amount-{n}", Input).value
            cp_box = self.query_one(f"#cp-{n}", CompletingInput)
        except Exception:
            return  # the line is not mounted yet
        error = amount_problem(amount)
        text = ""
        if error is None:
            chosen = self.cp_chosen.get(n)
            typed = cp_box.value.strip()
            if chosen is not None:
                inn = f" · {t('counterparties.inn')} {chosen.inn}" if chosen.inn else ""
                text = f"✓ {chosen.name}{inn}"
            elif typed and self.cp_missing.get(n) == typed:
                error = t("ledger.cp_none", text=typed)
            elif typed and self.cp_offered.get(n, ("", ""))[0] == typed:
                text = t("ledger.cp_offer", name=self.cp_offered[n][1])
        hint.update(f"✗ {error}" if error else text)
        hint.set_class(bool(error), "-error")
        hint.set_class(bool(error or text), "-shown")

    def _account_hint(self, value: str) -> None:
        """The account's name under the lines (the fields are narrow), or what → takes."""
        code = account_code(value)
        name = self.names.get(code)
        label = self.suggester.match(value) if self.suggester and not name else None
        if name:
            text = f"{code}: {name}"
        elif label:
            text = t("ledger.account_offer", label=label)
        else:
            text = t("ledger.no_account", code=value.strip()) if value.strip() else ""
        self.query_one("#accounts-hint", Static).update(text)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field, _, number = (event.input.id or "").rpartition("-")
        if event.input.id == "day":
            self._show_day(event.value)
        elif field in ("debit", "credit"):
            self._account_hint(event.value)
        elif field == "cp":
            self._cp_changed(int(number), event.value)
        if field in ("amount", "cp"):
            self._line_hint(int(number))
        if self.ready:
            self._refresh_total()

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        """Leaving a field that is not yet an account or a counterparty takes the suggestion
        (Tab accepts, as → does)."""
        box = event.input
        field = (box.id or "").rpartition("-")[0]
        if not isinstance(box, CompletingInput):
            return
        if field in ("debit", "credit") and account_code(box.value) not in self.names:
            box.take_suggestion()
        elif field == "cp" and box.value.strip() and box.offered:
            n = int((box.id or "").rpartition("-")[2])
            if self.cp_chosen.get(n) is None:
                box.take_suggestion()

    # --- counterparties -----------------------------------------------------------

    def _cp_changed(self, n: int, value: str) -> None:
        typed = value.strip()
        self.cp_chosen[n] = self.cp_known.get(typed)
        if typed and self.cp_chosen[n] is None:
            self._search_cp(n, typed)

    def _search_cp(self, n: int, typed: str) -> None:
        org = self.buhta.org
        if org is None:
            return

        async def call(api: ApiClient) -> tuple[int, str, m.CounterpartyPage]:
            await asyncio.sleep(SEARCH_DELAY_S)
            return n, typed, await api.counterparties(org.id, q=typed, limit=10)

        self.call_api("cp_search", call, exclusive=True)

    def on_cp_search_done(self, result: tuple[int, str, m.CounterpartyPage]) -> None:
        n, typed, page = result
        names = [cp.name for cp in page.items]
        labels = []
        for cp in page.items:
            label = cp_label(cp, names.count(cp.name) > 1)
            labels.append(label)
            self.cp_known[label] = cp
            if cp.inn:
                self.cp_known.setdefault(cp.inn, cp)
        try:
            box = self.query_one(f"#cp-{n}", CompletingInput)
        except Exception:
            return
        if box.value.strip() != typed:
            return  # typed over since
        self.cp_missing.pop(n, None)
        exact = self.cp_known.get(typed)
        if exact is not None:
            self.cp_chosen[n] = exact
        elif labels:
            box.offer(labels[0])
            self.cp_offered[n] = (typed, labels[0])
        else:
            self.cp_missing[n] = typed
        self._line_hint(n)
        if self.ready:
            self._refresh_total()

    # --- posting ------------------------------------------------------------------

    def action_post(self) -> None:
        if not self.start():
            return
        try:
            day = parse_day(self.query_one("#day", Input).value)
        except InvalidInput as exc:
            return self.fail("day", invalid_text(exc))
        data, problems = self._collect()
        if problems:
            field, _, text = problems[0].partition(":")
            return self.fail(field, text)
        try:
            entry = m.EntryIn.model_validate({**data, "date": day})
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        org = self.buhta.org
        if org is not None:
            self.posting = self.call_api("post", lambda api: api.post_entry(org.id, entry))
            self.set_busy(True)

    @on(Button.Pressed, "#submit")
    def _post_pressed(self) -> None:
        self.action_post()

    def on_post_done(self, entry: m.EntryOut) -> None:
        self.app.notify(t("ledger.posted", number=entry.number,
                          amount=format_amount(entry.total)))
        self.dismiss(entry)

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)


class ReverseDialog(ReasonDialog):
    """Why the entry is reversed, and on which date (the original's by default)."""

    CSS_PATH = sheets("dialogs", "ledger")

    def __init__(self, entry: m.EntryOut) -> None:
        super().__init__(t("ledger.reverse_title", number=entry.number,
                           amount=format_amount(entry.total)),
                         t("ledger.reverse"), day=entry.date, boxed=True)
        self.entry = entry
