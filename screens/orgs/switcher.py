"""Provides OrgSwitcher: the user's organisations, Enter to switch (F6 in the shell)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import (
    OptionList,
    Static,
)
from textual.widgets.option_list import Option

from client.i18n import t
from core import contract as m
from screens.orgs.labels import role_name
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.workers import Done


class OrgsLoaded(Done[list[m.OrgSummary]]):
    """The user's organisations."""


class OrgSwitcher(BuhtaModal):
    """F6 from anywhere in the shell: the user's organisations, Enter to switch."""

    CSS_PATH = sheets("orgs")
    BINDINGS = [
        Binding("escape", "close", "common.close", id="switcher.close"),
        Binding("n", "new", "orgs.new", id="switcher.new"),
        Binding("a", "accept", "orgs.accept", id="switcher.accept"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.orgs: list[m.OrgSummary] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            yield Static(t("orgs.switcher_title"), classes="form-title")
            yield OptionList(id="org-list")
            yield Static(t("orgs.switcher_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.call_api(lambda api: api.orgs.mine(), done=OrgsLoaded, exclusive=True)

    @on(OrgsLoaded)
    def _orgs_loaded(self, message: OrgsLoaded) -> None:
        orgs = message.result
        self.orgs = orgs
        options = self.query_one(OptionList)
        options.clear_options()
        current = self.buhta.org.id if self.buhta.org else None
        for org in orgs:
            mark = "● " if org.id == current else "  "
            blocked = f" — {t('orgs.blocked')}" if org.status != "active" else ""
            options.add_option(
                Option(
                    f"{mark}{org.short_name}  ИНН {org.inn}  · {role_name(org.role)}{blocked}",
                    id=org.id,
                    disabled=org.status != "active",
                )
            )
        if not orgs:
            options.add_option(Option(t("orgs.none"), disabled=True))
        else:
            index = next((i for i, o in enumerate(orgs) if o.id == current), 0)
            options.highlighted = index

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.buhta.switch_to(event.option.id)
            self.dismiss()

    async def action_new(self) -> None:
        self.dismiss()
        await self.app.run_action("org_screen('new')")

    async def action_accept(self) -> None:
        self.dismiss()
        await self.app.run_action("org_screen('accept')")

    def action_close(self) -> None:
        self.dismiss()
