"""Provides the journal (the ledger mode), the manual entry form and the reversal dialog.

The journal never loads the whole history: it holds pages of entries fetched from
the server, newest first, and asks for the next page as the cursor nears the end.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, DataTable, Footer, Header, Input, Static

from client import models as m
from client.i18n import t
from client.money import format_amount, parse_amount
from client.validation import InvalidInput
from screens.base import BuhtaModal, FormScreen, invalid_text
from screens.shell import ModeTabs, ShellScreen
from tui.widgets.form import ErrorLine, FormRow

PAGE = 100
PREFETCH = 20
MONTHS_RU = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
             "сентябрь", "октябрь", "ноябрь", "декабрь")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def month_title(first: date) -> str:
    names = MONTHS_EN if t("app.title") == "Buhta" else MONTHS_RU
    return f"{names[first.month - 1]} {first.year}"


def step_month(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_day(text: str, today: date | None = None) -> date:
    """What an accountant types for a date: ``28`` (this month), ``28.02``, ``28.02.2026``,
    or nothing / ``t`` / ``с`` for today. Raises InvalidInput("validation.date")."""
    today = today or date.today()
    value = text.strip().lower()
    if value in ("", "t", "с", "сегодня", "today"):
        return today
    parts = value.split(".")
    try:
        if len(parts) == 1:
            return today.replace(day=int(parts[0]))
        if len(parts) == 2:
            return date(today.year, int(parts[1]), int(parts[0]))
        if len(parts) == 3:
            year = int(parts[2])
            year = year + 2000 if year < 100 else year
            return date(year, int(parts[1]), int(parts[0]))
    except ValueError:
        pass
    raise InvalidInput("validation.date")


def account_code(text: str) -> str:
    """``62.01 Расчёты с покупателями`` → ``62.01`` (the suggestion carries the name)."""
    return text.strip().split(" ", 1)[0]


class LedgerScreen(ShellScreen):
    """Журнал операций: the month's entries, newest first, paged from the server."""

    MODE = "ledger"
    CSS_PATH = ["../styles/shell.tcss", "../styles/ledger.tcss"]
    BINDINGS = [
        # The Footer has room for this mode's own keys; the shell's still work.
        Binding("o", "app.org_screen('card')", "shell.card", id="ledger.card", show=False),
        Binding("t", "app.org_screen('team')", "shell.team", id="ledger.team", show=False),
        Binding("j", "app.org_screen('audit')", "shell.audit", id="ledger.audit", show=False),
        Binding("n", "new_entry", "ledger.new", id="ledger.new"),
        Binding("s", "reverse", "ledger.reverse", id="ledger.reverse"),
        Binding("left_square_bracket", "step(-1)", "ledger.prev", id="ledger.prev",
                show=False),
        Binding("right_square_bracket", "step(1)", "ledger.next", id="ledger.next",
                show=False),
        Binding("c", "close_period", "ledger.close", id="ledger.close", show=False),
        Binding("f5", "reload", "devices.refresh", id="ledger.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month = date.today().replace(day=1)
        self.entries: list[m.EntryOut] = []
        self.rows: list[m.EntryOut] = []
        """The entry behind each table row (an entry has one row per posting)."""
        self.cursor: str | None = None
        self.closed: set[str] = set()
        self.loaded_for: tuple[str, date] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModeTabs(self.MODE)
        yield Static("", id="period-line")
        yield DataTable(id="journal", cursor_type="row", zebra_stripes=True)
        yield Static("", id="journal-empty", classes="hint")
        yield Static("", id="org-line", classes="hint")
        yield Static("", id="signed-in", classes="hint")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            t("ledger.date"), "№", t("ledger.description"), t("ledger.debit"),
            t("ledger.credit"), t("ledger.amount"))
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        org = self.buhta.org
        if org is not None and self.loaded_for != (org.id, self.month):
            self.action_reload()

    def on_org_changed(self, message: Any) -> None:
        super().on_org_changed(message)
        self.action_reload()

    def _period_text(self) -> str:
        closed = f"  🔒 {t('ledger.closed')}" if self.month.strftime("%Y-%m") in self.closed \
            else ""
        return f" {t('ledger.period')}: {month_title(self.month)}{closed}   [ ] {t('ledger.step')}"

    def action_step(self, months: int) -> None:
        self.month = step_month(self.month, months)
        self.action_reload()

    def action_reload(self) -> None:
        if self.buhta.org is None:
            return
        self.entries, self.rows, self.cursor = [], [], None
        self.loaded_for = (self.buhta.org.id, self.month)
        self.query_one(DataTable).clear()
        self.query_one("#period-line", Static).update(self._period_text())
        org_id = self.buhta.org.id
        self.call_api("periods", lambda api: api.periods(org_id), exclusive=True)
        self._fetch()

    def on_periods_done(self, periods: m.PeriodList) -> None:
        self.closed = set(periods.closed)
        self.query_one("#period-line", Static).update(self._period_text())

    def on_close_done(self, periods: m.PeriodList) -> None:
        self.on_periods_done(periods)
        self.app.notify(t("ledger.closed_now", period=month_title(self.month)))

    def _fetch(self) -> None:
        org = self.buhta.org
        if org is None:
            return
        start, end, cursor = self.month.isoformat(), month_end(self.month).isoformat(), \
            self.cursor
        self.call_api("page", lambda api: api.entries(
            org.id, date_from=start, date_to=end, cursor=cursor, limit=PAGE), exclusive=True)

    def on_page_done(self, page: m.EntryPage) -> None:
        table = self.query_one(DataTable)
        for entry in page.items:
            self.entries.append(entry)
            for i, p in enumerate(entry.postings):
                mark = " ↩" if entry.reverses else (" ✗" if entry.reversed_by else "")
                first = i == 0
                table.add_row(
                    entry.date.strftime("%d.%m.%Y") if first else "",
                    f"{entry.number}{mark}" if first else "",
                    entry.description[:40] if first else "",
                    p.debit, p.credit, format_amount(p.amount),
                )
                self.rows.append(entry)
        self.cursor = page.next_cursor
        self.query_one("#journal-empty", Static).update("" if self.entries else t("ledger.empty"))

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if self.cursor and event.cursor_row >= len(self.rows) - PREFETCH and not self.busy:
            self._fetch()

    def _current(self) -> m.EntryOut | None:
        table = self.query_one(DataTable)
        if not self.rows:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    def action_new_entry(self) -> None:
        if self.buhta.require_org():
            self.app.push_screen(EntryFormScreen(default_day=self._default_day()),
                                 lambda posted: self.action_reload() if posted else None)

    def _default_day(self) -> date:
        today = date.today()
        return today if today.replace(day=1) == self.month else month_end(self.month)

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
        from screens.dialogs import ConfirmDialog

        org = self.buhta.org
        if org is None:
            return
        month = self.month.strftime("%Y-%m")

        def answered(yes: bool | None) -> None:
            if yes:
                # A write: its own worker name, never cancelled by a reload.
                self.call_api("close", lambda api: api.close_period(org.id, month))

        self.app.push_screen(ConfirmDialog(t("ledger.close_confirm",
                                             period=month_title(self.month))), answered)


class PostingRow(Horizontal):
    """Дт, Кт, amount: one line of an entry."""

    DEFAULT_CSS = """
    PostingRow { height: 1; margin-bottom: 1; }
    PostingRow > Input { width: 1fr; margin-right: 1; }
    PostingRow > .amount { width: 18; }
    """

    def __init__(self, n: int, suggestions: list[str]) -> None:
        super().__init__(id=f"posting-{n}", classes="posting")
        self.n = n
        self.suggestions = suggestions

    def compose(self) -> ComposeResult:
        suggester = SuggestFromList(self.suggestions, case_sensitive=False)
        yield Input(id=f"debit-{self.n}", placeholder=t("ledger.debit"), compact=True,
                    suggester=suggester)
        yield Input(id=f"credit-{self.n}", placeholder=t("ledger.credit"), compact=True,
                    suggester=suggester)
        yield Input(id=f"amount-{self.n}", placeholder="0,00", compact=True, classes="amount")


class EntryFormScreen(FormScreen):
    """A manual operation: date, description, Дт/Кт/amount lines; F2 posts."""

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
        self.suggestions: list[str] = []
        self.names: dict[str, str] = {}
        self.ready = False
        self.ok = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="entry-form"):
            yield Static(t("ledger.new_title"), classes="form-title")
            yield FormRow(t("ledger.date"), Input(self.default_day.strftime("%d.%m.%Y"),
                                                  id="day", compact=True))
            yield FormRow(t("ledger.description"), Input(id="description", compact=True))
            yield Static(f"{t('ledger.debit')} / {t('ledger.credit')} / {t('ledger.amount')}",
                         classes="hint")
            yield Vertical(id="postings")
            yield Static("", id="total")
            yield Static("", id="accounts-hint", classes="hint")
            yield from self.form_end(
                Button(t("ledger.post"), id="submit", variant="primary", compact=True),
                Button(t("ledger.add_line"), id="add-line", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        org = self.buhta.org
        if org is not None:
            self.call_api("chart", lambda api: api.accounts(org.id), exclusive=True)

    async def on_chart_done(self, accounts: list[m.LedgerAccountOut]) -> None:
        self.names = {a.code: a.name for a in accounts}
        self.suggestions = [f"{a.code} {a.name}" for a in accounts]
        await self.action_add_line()
        self.ready = True
        self._refresh_total()

    async def action_add_line(self) -> None:
        self.lines += 1
        await self.query_one("#postings").mount(PostingRow(self.lines - 1, self.suggestions))

    @on(Button.Pressed, "#add-line")
    async def _add_pressed(self) -> None:
        await self.action_add_line()

    def _collect(self) -> tuple[dict[str, Any], list[str]]:
        """The form as an EntryIn dict, and the problems found on the way."""
        problems: list[str] = []
        postings = []
        for row in self.query(PostingRow):
            boxes = {box.id: box.value for box in row.query(Input)}
            debit = account_code(boxes.get(f"debit-{row.n}", ""))
            credit = account_code(boxes.get(f"credit-{row.n}", ""))
            raw = boxes.get(f"amount-{row.n}", "")
            if not (debit or credit or raw.strip()):
                continue
            try:
                amount = parse_amount(raw)
            except InvalidInput as exc:
                problems.append(f"amount-{row.n}:{invalid_text(exc)}")
                amount = Decimal(0)
            for field, code in (("debit", debit), ("credit", credit)):
                if code not in self.names:
                    problems.append(f"{field}-{row.n}:{t('ledger.no_account', code=code or '—')}")
            postings.append({"debit": debit, "credit": credit, "amount": str(amount)})
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

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = (event.input.id or "").rsplit("-", 1)[0]
        if field in ("debit", "credit"):
            code = account_code(event.value)
            name = self.names.get(code)
            self.query_one("#accounts-hint", Static).update(
                f"{code}: {name}" if name else "")
        if self.ready:
            self._refresh_total()

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
            first = exc.errors()[0]
            cause = (first.get("ctx") or {}).get("error")
            text = invalid_text(cause) if isinstance(cause, InvalidInput) else str(first["msg"])
            self.query_one(ErrorLine).show(text)
            return
        org = self.buhta.org
        if org is not None:
            self.call_api("post", lambda api: api.post_entry(org.id, entry))

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


class ReverseDialog(BuhtaModal):
    """Why the entry is reversed, and on which date (the original's by default)."""

    CSS_PATH = "../styles/ledger.tcss"
    BINDINGS = [Binding("escape", "cancel", "app.back", id="reverse.cancel")]

    def __init__(self, entry: m.EntryOut) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("ledger.reverse_title", number=self.entry.number,
                           amount=format_amount(self.entry.total)), classes="form-title")
            yield FormRow(t("ledger.reason"), Input(id="reason", compact=True))
            yield FormRow(t("ledger.date"), Input(self.entry.date.strftime("%d.%m.%Y"),
                                                  id="day", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("ledger.reverse"), id="ok", variant="error", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one(ErrorLine).show(t("validation.required"))
            return
        try:
            day = parse_day(self.query_one("#day", Input).value)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        self.dismiss((reason, day.isoformat()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
