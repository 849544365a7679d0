"""Provides KeyFooter: a Footer that shows only whole keys, and ends with «? Клавиши».

Textual's Footer lays every shown key in a row and cuts the row at the screen's
edge, under the palette key docked on the right (``b Бан▏^p командыы`` at 80
columns). This one measures: it lays the keys that fit, whole, in the order of the
bindings, skips one that does not, and always ends with the key overlay's key
(«? Клавиши»: every key of the screen, tui.keys) and the palette's. A key the role
may not use, or that does not apply now, is dimmed (tui.keys.key_entries).
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from client.i18n import t
from tui.keys import key_entries


def item_width(key: str, description: str) -> int:
    """The columns a compact footer key takes: ``key description`` and one space after."""
    return cell_len(key) + (1 + cell_len(description) if description else 0) + 1


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter .footer-fill {
        height: 1;
        background: $footer-background;
    }
    KeyFooter.-compact FooterKey.-tail, KeyFooter FooterKey.-tail {
        margin: 0 0 0 1;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)
        self._width = 0

    def _tail(self) -> list[tuple[str, str, str, str]]:
        """(key, shown as, description, action) of the keys every footer ends with."""
        screen = self.screen
        focused = screen.focused
        # In a text field ? is a character: name F1 there.
        typing = focused is not None and focused.check_consume_key("question_mark", "?")
        tail = [("f1", "F1" if typing else "?", t("keys.footer"), "app.keys")]
        app = self.app
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            active = screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if active is not None:
                binding = active.binding
                tail.append((binding.key, app.get_key_display(binding),
                             t("palette"), binding.action))
        return tail

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        screen = self.screen
        width = self.size.width or self.app.size.width
        self._width = width
        tail = self._tail()
        # Each tail key has a space before it (margin-left) instead of after.
        room = width - sum(item_width(shown, text) for _, shown, text, _ in tail)
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for entry in key_entries(screen):
            binding = entry.binding
            if not entry.show or binding is None or binding.key == palette_key:
                continue
            shown = entry.keys[0]
            need = item_width(shown, entry.description)
            if need > room:
                continue  # a whole key or none: a shorter one further on may still fit
            room -= need
            yield FooterKey(
                binding.key, shown, entry.description, binding.action,
                disabled=not entry.enabled,
                tooltip=entry.reason or entry.tooltip,
            ).data_bind(compact=Footer.compact)
        fill = Static("", classes="footer-fill")
        fill.styles.width = max(room, 0)  # exactly what is left: the tail ends at the edge
        yield fill
        for key, shown, text, action in tail:
            yield FooterKey(key, shown, text, action, classes="-tail").data_bind(
                compact=Footer.compact)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self._width:
            self.call_after_refresh(self.recompose)


def key_footer(widget: Any) -> Any:
    """A screen's plain ``Footer`` as a KeyFooter (its other widgets as they are): every
    screen gets whole keys and «? Клавиши» without each naming the class."""
    if type(widget) is Footer:
        return KeyFooter(id=widget.id, classes=" ".join(widget.classes) or None,
                         compact=widget.compact,
                         show_command_palette=widget.show_command_palette)
    return widget
