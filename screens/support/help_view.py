"""Provides HelpScreen: the help pages (Markdown files of the package, ``help/*.md``) in
Textual's Markdown widget, opened at the page of the screen the user came from.

``/`` goes to the search line; Enter there lists the pages (and their first matching
line) that hold every word typed; Enter on a result opens it. ``[`` / ``]`` step through
the pages; Esc goes back (from the search line: to the page)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from client.i18n import t
from screens.support.common import HELP_DIR, HELP_PAGES
from tui.screen import BuhtaScreen
from tui.styles import sheets


def page_text(name: str) -> str:
    return (HELP_DIR / f"{name}.md").read_text(encoding="utf-8")


def page_title(name: str) -> str:
    first = page_text(name).splitlines()[0] if page_text(name) else name
    return first.lstrip("# ").strip()


@dataclass(frozen=True)
class Hit:
    page: str
    line: str


def search(query: str) -> list[Hit]:
    """The pages holding every word of ``query`` (case-insensitive), with the first line
    that holds one of them."""
    words = [w for w in query.lower().split() if w]
    if not words:
        return []
    hits = []
    for name in HELP_PAGES:
        text = page_text(name)
        low = text.lower()
        if all(w in low for w in words):
            line = next((ln.strip(" #*-") for ln in text.splitlines()
                         if any(w in ln.lower() for w in words)), "")
            hits.append(Hit(name, line))
    return hits


class HelpScreen(BuhtaScreen):
    CSS_PATH = sheets("support")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="help.back"),
        Binding("slash", "search", "support.key.search", id="help.search", key_display="/"),
        Binding("left_square_bracket", "step(-1)", "support.key.prev_page", id="help.prev",
                key_display="["),
        Binding("right_square_bracket", "step(1)", "support.key.next_page", id="help.next",
                key_display="]"),
    ]

    def __init__(self, page: str = "keys") -> None:
        super().__init__()
        self.page = page if page in HELP_PAGES else "keys"
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(id="help-search", compact=True, placeholder=t("support.search_placeholder"))
        yield OptionList(id="help-hits")
        yield Static("", id="help-none", classes="hint")
        with VerticalScroll(id="help-body"):
            yield Markdown(page_text(self.page), id="help-page")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-hits", OptionList).display = False
        self._title()
        self.query_one("#help-body", VerticalScroll).focus()

    def _title(self) -> None:
        self.sub_title = t("support.help_title", page=page_title(self.page))

    async def show_page(self, name: str) -> None:
        self.page = name
        await self.query_one("#help-page", Markdown).update(page_text(name))
        self._title()
        self.query_one("#help-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#help-hits", OptionList).display = False
        self.query_one("#help-body", VerticalScroll).focus()

    def action_search(self) -> None:
        self.query_one("#help-search", Input).focus()

    async def action_step(self, step: int) -> None:
        index = (HELP_PAGES.index(self.page) + step) % len(HELP_PAGES)
        await self.show_page(HELP_PAGES[index])

    @on(Input.Submitted, "#help-search")
    def _search(self, event: Input.Submitted) -> None:
        self.hits = search(event.value)
        hits = self.query_one("#help-hits", OptionList)
        hits.clear_options()
        hits.add_options([Option(f"{page_title(h.page)}: {h.line[:50]}", id=h.page)
                          for h in self.hits])
        hits.display = bool(self.hits)
        self.query_one("#help-none", Static).update(
            "" if self.hits or not event.value.strip() else t("support.search_none",
                                                              query=event.value.strip()))
        if self.hits:
            hits.highlighted = 0
            hits.focus()

    @on(OptionList.OptionSelected, "#help-hits")
    async def _open_hit(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            await self.show_page(event.option.id)

    def action_back(self) -> None:
        if self.focused is self.query_one("#help-search", Input) or self.query_one(
                "#help-hits", OptionList).has_focus:
            self.query_one("#help-hits", OptionList).display = False
            self.query_one("#help-body", VerticalScroll).focus()
            return
        self.dismiss(None)
