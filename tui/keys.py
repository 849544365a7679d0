"""Provides the keys of a screen, from its active bindings, and the key overlay (? and F1).

``key_entries(screen)`` lists every key that works on ``screen`` now: its own, the
ones that open another screen, the focused field's or list's (Textual's, worded in
Russian through tui.localize) and the app's, shown or not in the Footer. An entry
its role may not use, or that does not apply now, is marked with the reason
(tui.rights). The Footer (tui.footer), the overlay and the palette
(tui.commands) all read this one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from client.i18n import t
from tui import rights
from tui.localize import key_text

GROUPS = ("screen", "goto", "field", "app")
"""The overlay's sections: this screen's actions, other screens, the field, everywhere."""


@dataclass
class KeyEntry:
    """One action and the keys that run it."""

    group: str
    description: str
    action: str
    namespace: DOMNode
    keys: list[str] = field(default_factory=list)
    enabled: bool = True
    reason: str = ""
    """Why it is dimmed: the role that may («Это делает Бухгалтер»), or «сейчас нельзя»."""
    tooltip: str = ""
    show: bool = False
    """Shown in the Footer (when it fits)."""
    binding: Binding | None = None


GOTO = ("app.goto(", "app.org_screen(", "app.devices", "app.logout")
"""The app's actions that open another screen (or leave): the «Перейти» group."""


def _group(namespace: DOMNode, screen: Screen[Any], action: str) -> str:
    if action.startswith(GOTO):
        return "goto"
    if namespace is screen:
        return "app" if action.startswith("app.") else "screen"
    if namespace is screen.app:
        return "app"
    return "field"


def key_entries(screen: Screen[Any]) -> list[KeyEntry]:
    """Every key active on ``screen`` now, one entry per action, in the bindings' order."""
    app = screen.app
    found: dict[tuple[int, str], KeyEntry] = {}
    for namespace, binding, enabled, tooltip in screen.active_bindings.values():
        description = key_text(binding.description)
        if not description or binding.system:
            continue
        entry = found.get((id(namespace), binding.action))
        if entry is None:
            group = _group(namespace, screen, binding.action)
            refusal = None
            if group in ("screen", "goto") or binding.action.startswith("app."):
                refusal = rights.refusal(screen, binding.action)
            entry = KeyEntry(
                group=group, description=description, action=binding.action,
                namespace=namespace, enabled=enabled and refusal is None,
                reason=refusal or ("" if enabled else t("keys.not_now")),
                tooltip=key_text(tooltip or binding.tooltip), binding=binding,
            )
            found[(id(namespace), binding.action)] = entry
        entry.show = entry.show or binding.show
        display = app.get_key_display(binding)
        if display not in entry.keys:
            entry.keys.append(display)
    return list(found.values())


def _line(entry: KeyEntry) -> Text:
    """``        c  Закрыть / открыть месяц``: the keys right-aligned, then what they do."""
    text = Text.assemble((f"{', '.join(entry.keys):>9}", "bold"), "  ", entry.description)
    if not entry.enabled:
        text.stylize("dim")
        if entry.reason:
            text.append(f" — {entry.reason}", style="italic")
    return text


def _lines(entries: list[KeyEntry]) -> Text:
    return Text("\n").join(_line(e) for e in entries)


class KeysOverlay(ModalScreen[None]):
    """Every key of the screen under it, in groups; scrolls; Esc, ? or F1 close it."""

    DEFAULT_CSS = """
    KeysOverlay {
        align: center middle;
    }
    KeysOverlay > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    KeysOverlay #keys-title {
        text-style: bold;
        width: 100%;
        content-align: center middle;
    }
    KeysOverlay VerticalScroll {
        height: auto;
        max-height: 18;
    }
    KeysOverlay .keys-group {
        text-style: bold underline;
        margin-top: 1;
    }
    KeysOverlay #keys-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "keys.close", id="keys.close"),
        Binding("question_mark", "close", "keys.close", id="keys.close_q", show=False),
        Binding("f1", "close", "keys.close", id="keys.close_f1", show=False),
        Binding("h", "support", "keys.support", id="keys.support"),
    ]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        from tui.localize import localize_bindings

        localize_bindings(self)
        self.entries = key_entries(screen)
        name = screen.sub_title or screen.title or screen.app.title
        self.title_text = t("keys.title", screen=name)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, id="keys-title")
            with VerticalScroll(id="keys-list"):
                yield from self._sections()
            yield Static(t("keys.hint"), id="keys-hint")

    def _sections(self) -> list[Widget]:
        out: list[Widget] = []
        for group in GROUPS:
            entries = [e for e in self.entries if e.group == group]
            if not entries:
                continue
            out.append(Static(t(f"keys.group.{group}"), classes="keys-group"))
            out.append(Static(_lines(entries), classes="keys-lines"))
        return out

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_support(self) -> None:
        """«Справка и поддержка»: the support mode, with help for the screen underneath."""
        self.dismiss(None)
        goto = getattr(self.app, "action_goto", None)
        if goto is not None:
            self.app.call_later(goto, "support")


def open_keys(app: Any) -> None:
    """? or F1: the overlay of the current screen; on the overlay itself they close it."""
    screen = app.screen
    if isinstance(screen, KeysOverlay):
        screen.dismiss(None)
        return
    app.push_screen(KeysOverlay(screen))
