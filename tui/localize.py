"""Provides the translation of key descriptions: this app's catalogue keys and Textual's own.

``BINDINGS`` are class attributes, built before a test or the ``--lang`` flag
can pick the language. They therefore name catalogue keys, and each screen
swaps in the translated text when it is created (``localize_bindings``).

Textual's widgets describe their keys in English («Cursor up», «Focus Next»,
«Dismiss menu»). ``key_text`` words those through the catalogue too: the key of
an English text is ``tx.`` and its words joined by ``_`` («Cursor up» →
``tx.cursor_up``); a text the catalogue does not hold is shown as it is.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode

from client.i18n import keys, t


@cache
def _known() -> frozenset[str]:
    return keys()


def textual_key(text: str) -> str:
    """``"Cursor up"`` → ``"tx.cursor_up"``: the catalogue key of one of Textual's texts."""
    return "tx." + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def key_text(text: str) -> str:
    """A key's description in the interface's language: a catalogue key, or Textual's own."""
    if not text:
        return ""
    if text in _known():
        return t(text)
    key = textual_key(text)
    return t(key) if key in _known() else text


def localized(binding: Binding) -> Binding:
    return replace(binding, description=key_text(binding.description),
                   tooltip=key_text(binding.tooltip))


def localize_bindings(node: DOMNode) -> None:
    # _bindings is the node's own copy of its class bindings (textual.dom).
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [localized(b) for b in bindings]
