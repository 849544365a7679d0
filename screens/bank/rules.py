"""Provides the bank rules: the organisation's list; Delete removes the highlighted one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from client.i18n import t
from core import contract as m
from tui.screen import BuhtaModal
from tui.widgets.form import ErrorLine
from tui.workers import Done

if TYPE_CHECKING:
    pass


class RulesLoaded(Done[list[m.BankRuleOut]]):
    """The organisation's bank rules."""


class RuleDeleted(Done[Any]):
    """A rule was deleted."""


class RulesScreen(BuhtaModal):
    """The organisation's rules; Delete removes the highlighted one."""

    BINDINGS = [Binding("escape", "close", "bank.close", id="bank_rules.close"),
                Binding("delete", "delete", "bank.delete", id="bank_rules.delete")]

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[m.BankRuleOut] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="bank-dialog"):
            yield Static(t("bank.rules_title"))
            yield DataTable(id="bank-rules", cursor_type="row")
            yield Static("", id="bank-rules-empty")
            yield ErrorLine()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, width in (("inn", 12), ("purpose", 16), ("direction", 8), ("account", 7),
                           ("priority", 5)):
            table.add_column(t(f"bank.col.{key}"), width=width, key=key)
        table.focus()
        self.load()

    def load(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.call_api(lambda api: api.bank.rules(org_id), done=RulesLoaded)

    @on(RulesLoaded)
    def _got_rules(self, message: RulesLoaded) -> None:
        rules = message.result
        self.rules = rules
        table = self.query_one(DataTable)
        table.clear()
        for r in rules:
            table.add_row(r.inn or "—", r.purpose or "—", t(f"bank.dir.{r.direction}"),
                          r.account, str(r.priority), key=r.id)
        self.query_one("#bank-rules-empty", Static).update("" if rules else t("bank.no_rules"))

    def action_delete(self) -> None:
        row = self.query_one(DataTable).cursor_row
        org_id = self.buhta.require_org()
        if org_id is None or not 0 <= row < len(self.rules):
            return
        rule_id = self.rules[row].id
        self.call_api(lambda api: api.bank.delete_rule(org_id, rule_id), done=RuleDeleted)

    @on(RuleDeleted)
    def _got_delete(self, message: RuleDeleted) -> None:
        self.notify(t("bank.rule_deleted"))
        self.load()

    def action_close(self) -> None:
        self.dismiss(None)
