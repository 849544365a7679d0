"""Provides argparse in the interface's language: ``usage:``, ``options:``, ``-h``'s help.

argparse words its own parts through ``gettext`` of the ``argparse`` domain, which
no catalogue of ours fills. ``localize_argparse()`` points argparse's ``_`` and
``ngettext`` at the ``buhta`` catalogue (client.i18n) for the texts it knows, by
their English (argparse's msgids), and leaves every other text as argparse has it.
``RussianHelpFormatter`` says «использование:» instead of «usage:».

    from client.cli_i18n import RussianHelpFormatter, localize_argparse

    localize_argparse()
    parser = argparse.ArgumentParser(prog="buhta", formatter_class=RussianHelpFormatter)

Call ``localize_argparse()`` before the parsers are built: the ``-h`` help text is
worded when the parser adds it.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from client.i18n import t

# argparse's own msgids (CPython 3.11–3.13) → our catalogue keys. A message with
# %-placeholders becomes ours with {names}; argparse fills the %s itself afterwards,
# so those stay as argparse wrote them.
_TEXTS = {
    "usage: ": "cli.usage",
    "options": "cli.options",
    "optional arguments": "cli.options",
    "positional arguments": "cli.positionals",
    "show this help message and exit": "cli.help",
    "expected one argument": "cli.expected_one",
}
_PATTERNS: dict[str, tuple[str, tuple[str, ...]]] = {
    # msgid: (our key, the %-names in order)
    "%(prog)s: error: %(message)s\n": ("cli.error", ("prog", "message")),
    "invalid choice: %(value)r (choose from %(choices)s)": ("cli.invalid_choice",
                                                            ("value", "choices")),
    "the following arguments are required: %s": ("cli.required", ("args",)),
    "unrecognized arguments: %s": ("cli.unrecognized", ("args",)),
    "argument %(argument_name)s: %(message)s": ("cli.argument", ("argument_name", "message")),
}


def _to_percent(text: str, names: tuple[str, ...], positional: bool) -> str:
    """Our ``{name}`` placeholders as argparse's ``%(name)s`` (or ``%s``)."""
    text = text.replace("%", "%%")
    for name in names:
        text = text.replace("{" + name + "}", "%s" if positional else f"%({name})s")
    return text


def gettext(message: str) -> str:
    """argparse's ``_``: its text in the interface's language, when the catalogue has it."""
    key = _TEXTS.get(message)
    if key is not None:
        return t(key)
    found = _PATTERNS.get(message)
    if found is not None:
        key, names = found
        positional = "%(" not in message
        text = _to_percent(t(key), names, positional)
        if message.endswith("\n"):
            text += "\n"
        return text
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def localize_argparse() -> None:
    """Make argparse word its own texts through the ``buhta`` catalogue."""
    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


class RussianHelpFormatter(argparse.HelpFormatter):
    """The help's usage line and sections in the interface's language."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else t("cli.usage"))

    def start_section(self, heading: str | None) -> None:
        if heading:
            heading = gettext(re.sub(r":$", "", heading))
        super().start_section(heading)
