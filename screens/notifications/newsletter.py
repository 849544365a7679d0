"""Provides NewsletterScreen: the newsletter's topics (новости сервиса, изменения в
законах, советы) and whether the caller is subscribed; Enter (or space) on a topic shows
the exact consent text the server keeps as proof and subscribes only when the user agrees
(``y``), or, when subscribed, unsubscribes (asked first). Advertising by e-mail needs
prior consent that can be proved (38-ФЗ «О рекламе», ст. 18), so the text shown is the
one sent back (its id and SHA-256)."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Footer, Header, Static

from client.errors import ApiError
from client.i18n import t
from core.contract import newsletter as nl
from tui.dialogs.confirm import ConfirmDialog
from tui.screen import BuhtaModal, BuhtaScreen
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import Done, Failed

CSS = """
NewsletterScreen DataTable { height: auto; max-height: 6; margin: 0 1; }
NewsletterScreen #nl-address, NewsletterScreen #nl-about { margin: 0 1; height: auto; }
ConsentDialog { align: center middle; }
ConsentDialog > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
                           border: round $accent; background: $surface; padding: 0 1; }
ConsentDialog #consent-title { text-style: bold; }
ConsentDialog VerticalScroll { height: auto; max-height: 14; }
ConsentDialog #consent-buttons { height: auto; }
"""


class TopicsLoaded(Done[nl.TopicList]):
    """The topics, each with its consent text."""


class TopicChanged(Done[nl.TopicOut]):
    """Subscribed or unsubscribed."""


class SubscribeRefused(Failed):
    """The server refused the consent (a newer text, an unconfirmed address)."""


def topic_status(topic: nl.TopicOut) -> str:
    if topic.subscribed:
        since = f"{topic.subscribed_at.astimezone():%d.%m.%Y}" if topic.subscribed_at else ""
        return t("nl.subscribed", since=since)
    return t("nl.not_subscribed")


class ConsentDialog(BuhtaModal):
    """The consent text exactly as the server gave it; ``y`` agrees, ``n``/Esc does not."""

    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("y,д", "answer(True)", "nl.agree", id="consent.yes"),
        Binding("n,н,escape", "answer(False)", "nl.disagree", id="consent.no"),
    ]

    def __init__(self, topic: nl.TopicOut) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("nl.consent_title", topic=self.topic.title), id="consent-title",
                         markup=False)
            with VerticalScroll():
                yield Static(Text(self.topic.consent_text), id="consent-text")
            with Horizontal(id="consent-buttons"):
                yield Button(f"{t('nl.agree')} (y)", id="yes", variant="primary", compact=True)
                yield Button(f"{t('nl.disagree')} (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NewsletterScreen(BuhtaScreen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="newsletter.back"),
        Binding("enter", "toggle", "nl.key.toggle", id="newsletter.toggle", key_display="↵",
                priority=True),
        Binding("space", "toggle", "nl.key.toggle", id="newsletter.toggle_space", show=False),
        Binding("f5", "reload", "notif.key.reload", id="newsletter.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.topics: nl.TopicList | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("notif.loading"), id="nl-address")
        yield DataTable(id="nl-topics", cursor_type="row")
        yield Static("", id="nl-about")
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("nl.title")
        table = self.query_one(DataTable)
        for key, width in (("topic", 28), ("status", 30)):
            table.add_column(t(f"nl.col.{key}"), width=width, key=key)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call_api(lambda api: api.newsletter.topics(), done=TopicsLoaded, exclusive=True)

    @on(TopicsLoaded)
    def _loaded(self, message: TopicsLoaded) -> None:
        self.topics = topics = message.result
        self.query_one("#nl-address", Static).update(escape(
            t("nl.address", email=topics.email) if topics.email_confirmed
            else t("nl.address_unconfirmed", email=topics.email)))
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for topic in topics.items:
            table.add_row(topic.title, topic_status(topic), key=topic.topic)
        if topics.items:
            table.move_cursor(row=min(keep, len(topics.items) - 1))
        self._about()

    @on(DataTable.RowHighlighted)
    def _about(self) -> None:
        topic = self.current
        self.query_one("#nl-about", Static).update(escape(topic.description) if topic else "")

    @property
    def current(self) -> nl.TopicOut | None:
        if self.topics is None:
            return None
        row = self.query_one(DataTable).cursor_row
        items = self.topics.items
        return items[row] if 0 <= row < len(items) else None

    def action_toggle(self) -> None:
        topic = self.current
        if topic is None:
            return
        self.query_one(ErrorLine).clear()
        if topic.subscribed:
            def unsubscribe(yes: bool | None) -> None:
                if yes:
                    self.call_api(lambda api: api.newsletter.unsubscribe(topic.topic),
                                  done=TopicChanged)

            self.app.push_screen(ConfirmDialog(escape(t("nl.unsubscribe_confirm",
                                                        topic=topic.title))), unsubscribe)
            return

        def subscribe(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.newsletter.subscribe(topic), done=TopicChanged,
                              failed=SubscribeRefused)

        self.app.push_screen(ConsentDialog(topic), subscribe)

    @on(TopicChanged)
    def _changed(self, message: TopicChanged) -> None:
        topic = message.result
        self.query_one(InfoLine).show(
            t("nl.done_subscribed", topic=topic.title) if topic.subscribed
            else t("nl.done_unsubscribed", topic=topic.title))
        self.action_reload()

    @on(SubscribeRefused)
    def _refused(self, message: SubscribeRefused) -> None:
        error: ApiError = message.error
        self.query_one(ErrorLine).show(error.detail)
        self.action_reload()  # a newer consent text: shown the next time

    def action_back(self) -> None:
        self.dismiss(None)
