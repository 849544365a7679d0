"""Provides the chart of accounts screen (План счетов) and the sub-account dialog.

The chart is small (the built-in accounts of приказ 94н and the organisation's own
sub-accounts), so it loads whole and filters on the client. A sub-account is checked
here by the same rules the server applies (server/domain/chart.py
``validate_sub_account``), so a mistyped code is refused before a round trip.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Header, Input, Static

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput
from tui import rights
from tui.footer import KeyFooter
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, FormRow
from tui.widgets.text import clip, fold
from tui.workers import Done

KIND_KEYS = {"active": "chart.kind_active", "passive": "chart.kind_passive",
             "active_passive": "chart.kind_active_passive"}
SUB_ACCOUNT_NAME_MAX = 200
_SUFFIX = re.compile(r"[0-9]{2}")  # ASCII only, as on the server
# Latin letters that look like the Cyrillic ones in codes such as 76.АВ (as on the server).
_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
# Columns at 80x24: code (indented), name (the rest), kind, analytics.
CODE_WIDTH, KIND_WIDTH, ANALYTICS_WIDTH = 10, 3, 21
NAME_MIN = 20


def kind_mark(kind: str) -> str:
    """А, П or А-П."""
    return t(KIND_KEYS.get(kind, kind))


def analytics_text(analytics: Iterable[str]) -> str:
    """``["counterparty", "contract"]`` → «контрагенты, договоры»."""
    return ", ".join(t(f"chart.analytics_{a}") for a in analytics)


def normalize_code(code: str) -> str:
    """As the server reads a code: no spaces, capitals, Latin lookalikes as Cyrillic."""
    return code.strip().upper().translate(_LOOKALIKES)


def check_sub_account(
    parent: m.LedgerAccountOut, code: str, name: str, taken: Iterable[str]
) -> tuple[str, str]:
    """The sub-account's code and name as the server will store them, or InvalidInput.

    The server's rules (``validate_sub_account``): the parent is an account of the
    built-in chart; the code is the parent's code, a dot and two ASCII digits other
    than ``00``; the code is not taken; the name is not blank, at most 200 characters,
    without control characters. ``InvalidInput("validation.sub_account", reason=…)``
    names the rule, like the server's ``reason``: parent, code, taken or name.
    Example: parent 60, ``" 60.21 "`` and «Аренда  офиса» → ``("60.21", "Аренда офиса")``.
    """
    if not parent.builtin:
        raise InvalidInput("validation.sub_account", reason="parent")
    normalized = normalize_code(code)
    prefix = parent.code + "."
    suffix = normalized[len(prefix):]
    if not normalized.startswith(prefix) or not _SUFFIX.fullmatch(suffix) or suffix == "00":
        raise InvalidInput("validation.sub_account", reason="code")
    if normalized in {normalize_code(c) for c in taken}:
        raise InvalidInput("validation.sub_account", reason="taken")
    clean = " ".join(name.split())
    if (not clean or len(clean) > SUB_ACCOUNT_NAME_MAX
            or any(unicodedata.category(ch) == "Cc" for ch in clean)):
        raise InvalidInput("validation.sub_account", reason="name")
    return normalized, clean


def refusal_text(error: InvalidInput, parent: m.LedgerAccountOut, code: str) -> str:
    reason = str(error.params.get("reason", ""))
    if reason == "parent":
        return t("chart.bad_parent", code=parent.code)
    if reason == "code":
        return t("chart.bad_code", parent=parent.code)
    if reason == "taken":
        return t("chart.taken", code=normalize_code(code))
    if reason == "name":
        return t("chart.bad_name")
    return t(error.key)


def next_free_code(parent: m.LedgerAccountOut, taken: Iterable[str]) -> str:
    """The first ``parent.NN`` not taken, from 01: 60 with 60.01 and 60.02 → ``60.03``."""
    used = set(taken)
    for n in range(1, 100):
        code = f"{parent.code}.{n:02d}"
        if code not in used:
            return code
    return f"{parent.code}."


def tree_order(accounts: Iterable[m.LedgerAccountOut]) -> list[tuple[m.LedgerAccountOut, int]]:
    """Accounts by code, each sub-account right under its parent, with its depth."""
    listed = sorted(accounts, key=lambda a: a.code)
    codes = {a.code for a in listed}
    children: dict[str | None, list[m.LedgerAccountOut]] = {}
    for a in listed:
        parent = a.parent if a.parent in codes else None
        children.setdefault(parent, []).append(a)
    ordered: list[tuple[m.LedgerAccountOut, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for a in children.get(parent, []):
            ordered.append((a, depth))
            walk(a.code, depth + 1)

    walk(None, 0)
    return ordered


def matches(account: m.LedgerAccountOut, text: str) -> bool:
    """By the beginning of the code, or by every word in the name (any case, ё = е)."""
    typed = fold(text.strip())
    if not typed:
        return True
    if fold(account.code).startswith(typed):
        return True
    name = fold(account.name)
    return all(word in name for word in typed.split())


class AccountsLoaded(Done[list[m.LedgerAccountOut]]):
    """The chart of accounts."""


class SubAccountAdded(Done[m.LedgerAccountOut]):
    """The new sub-account."""


class ChartScreen(BuhtaScreen):
    """План счетов: the organisation's accounts and sub-accounts, filtered by `/`."""

    CSS_PATH = sheets("chart")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="chart.back"),
        Binding("slash", "find", "chart.find", id="chart.find"),
        Binding("n", "add", "chart.add", id="chart.add"),
        Binding("f5", "reload", "devices.refresh", id="chart.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.accounts: list[m.LedgerAccountOut] = []
        self.shown: list[m.LedgerAccountOut] = []
        self.select_code: str | None = None
        self.name_width = NAME_MIN

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("chart.title"), classes="form-title", id="chart-title")
        yield Input(id="filter", placeholder=t("chart.filter"), compact=True)
        yield DataTable(id="chart", cursor_type="row", zebra_stripes=True)
        yield Static("", id="chart-detail")
        yield ErrorLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The name column takes what the others leave: at 80 columns 80 − 1 (scrollbar)
        # − 8 (padding of 4 columns) − 10 − 3 − 21 = 37.
        name_width = max(NAME_MIN, self.app.size.width - 1 - 8
                         - CODE_WIDTH - KIND_WIDTH - ANALYTICS_WIDTH)
        table.add_column(t("chart.code"), width=CODE_WIDTH, key="code")
        table.add_column(t("chart.name"), width=name_width, key="name")
        table.add_column(t("chart.kind"), width=KIND_WIDTH, key="kind")
        table.add_column(t("chart.analytics"), width=ANALYTICS_WIDTH, key="analytics")
        self.name_width = name_width
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.ledger.accounts(org_id),
                          done=AccountsLoaded, exclusive=True)

    @on(AccountsLoaded)
    def _accounts_loaded(self, message: AccountsLoaded) -> None:
        self.accounts = message.result
        self._show()

    def _show(self) -> None:
        table = self.query_one(DataTable)
        keep = self.select_code or (self._selected().code if self._selected() else None)
        typed = self.query_one("#filter", Input).value
        table.clear()
        self.shown = []
        for account, depth in tree_order(self.accounts):
            if not matches(account, typed):
                continue
            name = account.name if account.builtin else f"{account.name} {t('chart.own')}"
            table.add_row(
                clip("  " * depth + account.code, CODE_WIDTH),
                clip(name, self.name_width),
                kind_mark(account.kind),
                clip(analytics_text(account.analytics), ANALYTICS_WIDTH),
                key=account.code,
            )
            self.shown.append(account)
        for row, account in enumerate(self.shown):
            if account.code == keep:
                table.move_cursor(row=row)
                if keep == self.select_code:
                    self.select_code = None  # found: from now on the cursor is the user's
                break
        self.query_one("#chart-title", Static).update(
            t("chart.title") if len(self.shown) == len(self.accounts)
            else t("chart.count", shown=len(self.shown), total=len(self.accounts)))
        self._detail()

    def _selected(self) -> m.LedgerAccountOut | None:
        if not self.shown:
            return None
        table = self.query_one(DataTable)
        return self.shown[min(table.cursor_row, len(self.shown) - 1)]

    def _detail(self) -> None:
        account = self._selected()
        if account is None:
            text = t("chart.nothing") if self.accounts else ""
        else:
            parts = [f"{account.code} {account.name}", t(f"{KIND_KEYS[account.kind]}_long")]
            if account.analytics:
                parts.append(t("chart.analytics_line", analytics=analytics_text(
                    account.analytics)))
            if not account.builtin:
                parts.append(t("chart.own_long"))
            text = " · ".join(parts)
        self.query_one("#chart-detail", Static).update(text)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._detail()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        if self.accounts:
            self._show()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(DataTable).focus()

    def action_find(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_back(self) -> None:
        box = self.query_one("#filter", Input)
        if box.has_focus and box.value:
            box.value = ""  # Esc in the filter empties it first
            self.query_one(DataTable).focus()
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Dimmed where the role may not (tui.rights; the key overlay says who may).
        return None if not rights.allowed(self, action) else True

    def action_add(self) -> None:
        account = self._selected()
        if account is None:
            return
        # A sub-account goes under a chart account; from one's own, under its parent.
        parent = account
        if not account.builtin:
            parent = next((a for a in self.accounts if a.code == account.parent), account)
        taken = [a.code for a in self.accounts]

        def added(result: m.LedgerAccountOut | None) -> None:
            if result is not None:
                self.app.notify(t("chart.added", code=result.code, name=result.name))
                self.select_code = result.code
                self.query_one("#filter", Input).value = ""
                self.action_reload()

        self.app.push_screen(SubAccountDialog(parent, taken), added)


class SubAccountDialog(BuhtaModal):
    """A sub-account of ``parent``: its code (the next free one offered) and its name."""

    CSS_PATH = sheets("chart")
    BINDINGS = [
        Binding("escape", "cancel", "app.back", id="sub_account.cancel"),
    ]

    def __init__(self, parent: m.LedgerAccountOut, taken: list[str]) -> None:
        super().__init__()
        self.parent_account = parent
        self.taken = taken

    def compose(self) -> ComposeResult:
        parent = self.parent_account
        with Vertical(classes="dialog"):
            yield Static(t("chart.add_title", code=parent.code, name=parent.name),
                         classes="form-title")
            yield FormRow(t("chart.code"), Input(next_free_code(parent, self.taken),
                                                 id="code", compact=True))
            yield FormRow(t("chart.name"), Input(id="name", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("chart.save"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        if self.busy:
            return
        parent = self.parent_account
        code = self.query_one("#code", Input).value
        try:
            code, name = check_sub_account(parent, code, self.query_one("#name", Input).value,
                                           self.taken)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(refusal_text(exc, parent, code))
            field = "name" if exc.params.get("reason") == "name" else "code"
            self.query_one(f"#{field}", Input).focus()
            return
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        self.query_one(ErrorLine).clear()
        data = m.SubAccountIn(parent=parent.code, code=code, name=name)
        self.call_api(lambda api: api.ledger.add_sub_account(org_id, data), done=SubAccountAdded)

    @on(SubAccountAdded)
    def _added(self, message: SubAccountAdded) -> None:
        self.dismiss(message.result)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
