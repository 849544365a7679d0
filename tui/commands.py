"""Provides the command palette (ctrl+p) in Russian: its commands and the palette itself.

- ``NavigationCommands``: modes, the organisation's screens, devices, the mailbox,
  logging out, by name;
- ``ScreenCommands``: every command of the current screen, by the Russian name of
  its key (закрыть месяц, сторно, утвердить, больничный…), shown or not in the
  Footer; one the role may not use is dimmed with the reason (tui.rights);
- ``SystemCommands``: Textual's own (keys, theme, maximise, screenshot, quit), worded
  in Russian; «Клавиши» opens the key overlay (tui.keys);
- ``BuhtaPalette``: the palette with a Russian prompt and «Ничего не найдено».
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.widgets.option_list import Option

from client.i18n import t
from tui import rights
from tui.keys import key_entries, open_keys

Command = tuple[str, Callable[[], Any], str | None, bool]
"""(name, what it runs, help, enabled)."""


def _hits(provider: Provider, commands: list[Command], query: str | None) -> list[Any]:
    """The palette's lines for ``commands``: all of them (no query) or the matching ones."""
    matcher = provider.matcher(query) if query else None
    out: list[Any] = []
    for name, command, help_text, enabled in commands:
        if help_text == name:  # «Контрагенты» under «Контрагенты» read as two commands
            help_text = None
        if matcher is None:
            shown: Any = Content(name) if enabled else Content.styled(name, "dim")
            out.append(DiscoveryHit(shown, command, text=name, help=help_text))
            continue
        score = matcher.match(name)
        if score > 0:
            shown = matcher.highlight(name)
            if not enabled:
                shown = shown.stylize("dim")
            out.append(Hit(score, shown, command, text=name, help=help_text))
    return out


class NavigationCommands(Provider):
    """Modes, devices, the local mailbox and logging out, by name."""

    def _commands(self) -> list[Command]:
        app: Any = self.app
        found: list[tuple[str, str, str]] = []
        if app.shell_on:
            for mode in ("dashboard", "ledger", "payroll", "tasks", "support"):
                found.append((t("palette.goto", name=t(f"mode.{mode}")), f"app.goto('{mode}')",
                              t(f"mode.{mode}.placeholder")))
            found.append((t("app.switch_org"), "app.switch_org", t("orgs.switcher_title")))
            for name, key in (("card", "shell.card"), ("team", "shell.team"),
                              ("audit", "audit.title"),
                              ("counterparties", "counterparties.title"),
                              ("chart", "chart.title"), ("documents", "docs.title"),
                              ("payments", "pay.title"),
                              ("reports", "reports.title"),
                              ("bank", "bank.title"),
                              ("new", "orgs.new"),
                              ("accept", "orgs.accept")):
                found.append((t(key), f"app.org_screen('{name}')", t(key)))
            found.append((t("shell.devices"), "app.devices", t("devices.title")))
            found.append((t("queue.title"), "app.write_queue", t("queue.help")))
            found.append((t("lowbw.toggle"), "app.low_bandwidth", t("lowbw.help")))
            for page, key in (("centre", "notif.title"), ("matrix", "notif.matrix.title"),
                              ("channels", "notif.ch.title"), ("webhooks", "notif.wh.title"),
                              ("newsletter", "nl.title")):
                found.append((t(key), f"app.notifications('{page}')", t(f"{key}_help")))
            found.append((t("shell.logout"), "app.logout", t("shell.logout_confirm")))
        found.append((t("app.mailbox"), "app.mailbox", t("mailbox.intro")))
        out: list[Command] = []
        for name, action, help_text in found:
            refusal = rights.refusal(self.screen, action)
            out.append((name, partial(app.run_action, action), refusal or help_text,
                        refusal is None))
        return out

    async def discover(self) -> Hits:
        for hit in _hits(self, self._commands(), None):
            yield hit

    async def search(self, query: str) -> Hits:
        for hit in _hits(self, self._commands(), query):
            yield hit


class ScreenCommands(Provider):
    """The commands of the screen the palette was opened on, from its active keys."""

    def _commands(self) -> list[Command]:
        app: Any = self.app
        out: list[Command] = []
        for entry in key_entries(self.screen):
            # Other screens are NavigationCommands'; a field's cursor keys are no commands.
            if entry.group != "screen":
                continue
            keys = ", ".join(entry.keys)
            name = f"{entry.description} ({keys})"
            help_text = entry.reason or entry.tooltip or t("palette.key", keys=keys)
            out.append((name, partial(app.run_action, entry.action, entry.namespace),
                        help_text, entry.enabled))
        return out

    async def discover(self) -> Hits:
        for hit in _hits(self, self._commands(), None):
            yield hit

    async def search(self, query: str) -> Hits:
        for hit in _hits(self, self._commands(), query):
            yield hit


class SystemCommands(Provider):
    """Textual's system commands, in the interface's language."""

    def _commands(self) -> list[Command]:
        app: Any = self.app
        screen = self.screen
        found: list[Command] = [
            (t("palette.sys.keys"), partial(open_keys, app), t("palette.sys.keys_help"), True),
            (t("palette.sys.theme"), partial(open_themes, app), t("palette.sys.theme_help"),
             True),
            (t("palette.sys.screenshot"), partial(app.call_later, save_screenshot, app),
             t("palette.sys.screenshot_help"), True),
            (t("palette.sys.quit"), partial(app.run_action, "app.quit"),
             t("palette.sys.quit_help"), True),
        ]
        if screen.maximized is not None:
            found.append((t("palette.sys.minimize"), screen.action_minimize,
                          t("palette.sys.minimize_help"), True))
        elif screen.focused is not None and screen.focused.allow_maximize:
            found.append((t("palette.sys.maximize"), screen.action_maximize,
                          t("palette.sys.maximize_help"), True))
        return found

    async def discover(self) -> Hits:
        for hit in _hits(self, self._commands(), None):
            yield hit

    async def search(self, query: str) -> Hits:
        for hit in _hits(self, self._commands(), query):
            yield hit


class BuhtaPalette(CommandPalette):
    """The command palette with its own words in the interface's language."""

    def __init__(self, providers: Any = None, *, placeholder: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(providers, placeholder=placeholder or t("palette.search"), **kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # As Textual's, with the text translated («No matches found»).
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("palette.no_matches"), style="not bold")),
                           disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)


def open_palette(app: Any) -> None:
    """ctrl+p: the palette (one at a time)."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(BuhtaPalette(id="--command-palette"))


def open_themes(app: Any) -> None:
    from textual.theme import ThemeProvider

    app.push_screen(BuhtaPalette(providers=[ThemeProvider],
                                 placeholder=t("palette.sys.theme_search")))


def save_screenshot(app: Any) -> None:
    """An SVG picture of the screen in the export folder, said in Russian."""
    from client.errors import os_error_text
    from client.export import default_export_dir

    folder = default_export_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = app.save_screenshot(path=str(folder))
    except OSError as exc:
        app.notify(t("palette.sys.screenshot_failed", path=str(folder),
                     error=os_error_text(exc)), severity="error", timeout=8)
        return
    app.notify(t("palette.sys.screenshot_saved", path=path), timeout=8)


class AppCommands:
    """The app's side of keys and commands (mixed into BuhtaApp before textual's App):
    the Russian palette, the key overlay (? and F1), ctrl+c's hint, and the rights
    check in front of every action (a key, a Footer click, a palette command)."""

    def action_command_palette(self) -> None:
        open_palette(self)

    def action_keys(self) -> None:
        open_keys(self)

    def action_help_quit(self) -> None:
        # Textual's says «Press ctrl+q to quit the app» in English.
        cast(Any, self).notify(t("palette.quit_hint"), title=t("palette.sys.quit"))

    async def run_action(self, action: Any, default_namespace: Any = None,
                         namespaces: Any = None) -> bool:
        if isinstance(action, str) and rights.refuse(self, action, default_namespace):
            return True  # said why; nothing done
        return await cast(Any, super()).run_action(action, default_namespace, namespaces)
