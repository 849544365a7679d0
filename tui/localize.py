"""Provides ``localize_bindings``: binding descriptions are catalogue keys, shown translated.

``BINDINGS`` are class attributes, built before a test or the ``--lang`` flag
can pick the language. They therefore name catalogue keys, and each screen
swaps in the translated text when it is created.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from client.i18n import t


def localize_bindings(node: DOMNode) -> None:
    # _bindings is the node's own copy of its class bindings (textual.dom).
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(
                b,
                description=t(b.description) if b.description else "",
                tooltip=t(b.tooltip) if b.tooltip else "",
            )
            for b in bindings
        ]
