"""Provides the command palette's navigation commands (ctrl+p)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from client.i18n import t


class NavigationCommands(Provider):
    """Modes, devices, the local mailbox and logging out, by name."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: Any = self.app
        found: list[tuple[str, Callable[[], Any], str]] = []
        if app.shell_on:
            for mode in ("dashboard", "ledger", "payroll", "tasks", "support"):
                name = t(f"mode.{mode}")
                found.append(
                    (t("palette.goto", name=name), partial(app.run_action, f"goto('{mode}')"),
                     t(f"mode.{mode}.placeholder"))
                )
            found.append((t("app.switch_org"), partial(app.run_action, "switch_org"),
                          t("orgs.switcher_title")))
            for name, key in (("card", "shell.card"), ("team", "shell.team"),
                              ("audit", "audit.title"),
                              ("counterparties", "counterparties.title"),
                              ("chart", "chart.title"), ("documents", "docs.title"),
                              ("payments", "pay.title"),
                              ("reports", "reports.title"),
                              ("bank", "bank.title"),
                              ("new", "orgs.new"),
                              ("accept", "orgs.accept")):
                found.append((t(key), partial(app.run_action, f"org_screen('{name}')"),
                              t(key)))
            found.append((t("shell.devices"), partial(app.run_action, "devices"),
                          t("devices.title")))
            found.append((t("shell.logout"), partial(app.run_action, "logout"),
                          t("shell.logout_confirm")))
        found.append((t("app.mailbox"), partial(app.run_action, "mailbox"), t("mailbox.intro")))
        return found

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
