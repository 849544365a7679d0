"""Provides the account look-up: CompletingInput (a suggestion may match anywhere in a
label), AccountSuggester (the chart by code, then by words of the name) and
``account_code``."""

from __future__ import annotations

from collections.abc import Iterable

from textual.suggester import Suggester, SuggestionReady
from textual.widgets import Input

from core import contract as m
from tui.widgets.text import fold

ARROW = " → "


def account_code(text: str) -> str:
    """``62.01 Расчёты с покупателями`` → ``62.01`` (the suggestion carries the name)."""
    return text.strip().split(" ", 1)[0]


class CompletingInput(Input):
    """An Input whose suggestion may match anywhere in a label, not only as a prefix.

    A suggestion that continues the typed text shows as usual; one found elsewhere
    shows as ``typed → label``. → at the end of the text takes the label.
    """

    @staticmethod
    def offer_text(value: str, label: str) -> str:
        """The suggestion string for ``value``: the label itself when it continues it."""
        if fold(label).startswith(fold(value)):
            return label
        return value + ARROW + label

    @property
    def offered(self) -> str | None:
        """The label the current suggestion offers (None when there is none)."""
        suggestion = self._suggestion
        if not suggestion or suggestion == self.value:
            return None
        rest = suggestion[len(self.value):]
        return rest[len(ARROW):] if rest.startswith(ARROW) else suggestion

    def offer(self, label: str) -> None:
        """Suggest ``label`` for the text as it is now (an answer that came from elsewhere)."""
        self.post_message(SuggestionReady(self.value, self.offer_text(self.value, label)))

    def take_suggestion(self) -> bool:
        label = self.offered
        if label is None:
            return False
        self.value = label
        self.cursor_position = len(label)
        return True

    def action_cursor_right(self, select: bool = False) -> None:
        if not select and self.cursor_at_end and self.take_suggestion():
            return
        super().action_cursor_right(select)


class AccountSuggester(Suggester):
    """Accounts by the beginning of ``code name`` first, then by words of the name.

    ``62`` → «62 Расчеты с покупателями и заказчиками»; ``касс`` → «50 Касса»;
    ``расчёты поставщ`` → «60 Расчеты с поставщиками и подрядчиками» (ё = е, any case).
    """

    def __init__(self, accounts: Iterable[m.LedgerAccountOut]) -> None:
        super().__init__(use_cache=True, case_sensitive=True)
        self.labels = [f"{a.code} {a.name}" for a in sorted(accounts, key=lambda a: a.code)]
        self.folded = [fold(label) for label in self.labels]

    def match(self, value: str) -> str | None:
        """The label ``value`` stands for, or None."""
        typed = fold(value.strip())
        if not typed:
            return None
        for label, folded in zip(self.labels, self.folded, strict=True):
            if folded.startswith(typed):
                return label
        words = typed.split()
        for label, folded in zip(self.labels, self.folded, strict=True):
            name = folded.split(" ", 1)[1] if " " in folded else ""
            if all(word in name for word in words):
                return label
        return None

    async def get_suggestion(self, value: str) -> str | None:
        label = self.match(value)
        return None if label is None else CompletingInput.offer_text(value, label)
