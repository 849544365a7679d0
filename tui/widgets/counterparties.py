"""Provides the counterparty look-up of the forms: LookupInput (↑↓ move through the matches)
and CounterpartyForm, the base of a form with a counterparty box.

The form's compose yields ``LookupInput(id="counterparty")``, an ``OptionList`` with
``id="cp-matches"`` (not focusable, hidden) and a ``Static`` with ``id="cp-chosen"``.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from textual import on
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from core import contract as m
from tui.localize import localize_bindings
from tui.screen import FormScreen
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

SEARCH_DELAY_S = 0.25
"""Typing restarts the search worker; only a pause this long reaches the server."""
MATCHES = 6
"""How many counterparties the autocomplete offers."""


class MatchesFound(Done[m.CounterpartyPage]):
    """The counterparties matching what is typed in the box."""


class LookupInput(Input):
    """The counterparty box: up and down move through the matches offered under it."""

    BINDINGS = [
        Binding("down", "move(1)", "docs.next_match", id="lookup.down", show=False),
        Binding("up", "move(-1)", "docs.prev_match", id="lookup.up", show=False),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)

    def action_move(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, CounterpartyForm):
            screen.move_match(step)


class CounterpartyForm(FormScreen):
    """A form with a counterparty box (``#counterparty``): matches by name or ИНН come from
    the server as one types (``#cp-matches``), ↑↓ move through them, Enter or a click takes
    one; what is chosen shows under the box (``#cp-chosen``). Subclasses set
    ``counterparty_id``/``counterparty_name``/``matches``/``match_gen`` in ``__init__`` and
    say what follows a choice (``_chosen``) and what the line says with none
    (``_no_counterparty_text``)."""

    counterparty_id: str | None
    counterparty_name: str
    matches: list[m.CounterpartyOut]
    match_gen: int

    @on(Input.Changed, "#counterparty")
    def _cp_typed(self, event: Input.Changed) -> None:
        if event.value == self.counterparty_name and self.counterparty_id:
            return  # set by a choice, not typed
        self.counterparty_id = None
        self.match_gen += 1
        self._show_chosen()
        text = event.value.strip()
        org_id = self.buhta.org.id if self.buhta.org else None
        if not text or org_id is None:
            self._show_matches([])
            return

        async def call(api: ApiClient) -> m.CounterpartyPage:
            await asyncio.sleep(SEARCH_DELAY_S)
            return await api.counterparties.search(org_id, text, None, MATCHES)

        self.call_api(call, done=MatchesFound, guard=lambda: self.match_gen, exclusive=True)

    @on(MatchesFound)
    def _matches_found(self, message: MatchesFound) -> None:
        self._show_matches(message.result.items)

    def _show_matches(self, items: list[m.CounterpartyOut]) -> None:
        self.matches = items
        options = self.query_one("#cp-matches", OptionList)
        options.clear_options()
        for cp in items:
            options.add_option(Option(f"{cp.name}  {cp.inn or ''}".rstrip(), id=cp.id))
        options.display = bool(items)
        if items:
            options.highlighted = 0
        elif self.query_one("#counterparty", Input).value.strip():
            self.query_one("#cp-chosen", Static).update(t("docs.cp_none_found"))

    def move_match(self, step: int) -> None:
        options = self.query_one("#cp-matches", OptionList)
        if not self.matches or not options.display:
            self.focus_next() if step > 0 else self.focus_previous()
            return
        current = options.highlighted or 0
        options.highlighted = max(0, min(len(self.matches) - 1, current + step))

    @on(OptionList.OptionSelected, "#cp-matches")
    def _match_clicked(self, event: OptionList.OptionSelected) -> None:
        self._choose(self.matches[event.option_index])

    def _choose(self, cp: m.CounterpartyOut) -> None:
        self.counterparty_id, self.counterparty_name = cp.id, cp.name
        self.match_gen += 1  # a search still under way no longer matters
        self.query_one("#counterparty", Input).value = cp.name
        self._show_matches([])
        self._show_chosen(cp)
        self._chosen(cp)

    def _chosen(self, cp: m.CounterpartyOut) -> None:
        """What follows a choice (filling, focus); nothing by default."""

    def _show_chosen(self, cp: m.CounterpartyOut | None = None) -> None:
        if self.counterparty_id:
            inn = f", {t('docs.inn')} {cp.inn}" if cp and cp.inn else ""
            text = f"✓ {self.counterparty_name}{inn}"
        else:
            text = self._no_counterparty_text()
        self.query_one("#cp-chosen", Static).update(text)

    def _no_counterparty_text(self) -> str:
        return ""
