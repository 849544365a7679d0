"""Provides RequestFormScreen: a request to support. The topic (← →), the text, the
organisation concerned (← →, or none), and the context attachment shown line by line,
exactly as it will be sent, with a toggle (space) to leave it out. F2 sends."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static, TextArea

from client.i18n import t
from core import contract as m
from core.contract import support as sp
from screens.support.common import Choice, context_lines
from tui.errors import field_of
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, FormRow, TickBox
from tui.workers import Done, Failed

FIELD_IDS = {"topic": "topic", "text": "text", "org_id": "org", "context": "attach"}


class OrgsLoaded(Done[list[m.OrgSummary]]):
    """The user's organisations, to choose the one concerned."""


class TopicsLoaded(Done[sp.SupportInfo]):
    """The topics (when the centre had not loaded them yet)."""


class RequestSent(Done[sp.RequestOut]):
    """The request reached support."""


class RequestRefused(Failed):
    """The server refused the request."""


def topic_choices(info: sp.SupportInfo | None) -> list[tuple[str | None, str]]:
    if info is None:
        return [(code, code) for code in sp.TOPICS]
    return [(topic.code, topic.name) for topic in info.topics]


class RequestFormScreen(BuhtaScreen):
    CSS_PATH = sheets("support")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="supportform.back"),
        Binding("f2", "send", "support.key.send", id="supportform.send"),
        Binding("tab", "app.focus_next", "support.key.next", id="supportform.tab", show=False,
                priority=True),
        Binding("shift+tab", "app.focus_previous", "support.key.previous",
                id="supportform.back_tab", show=False, priority=True),
    ]

    def __init__(self, context: sp.Context, info: sp.SupportInfo | None = None) -> None:
        super().__init__()
        self.attachment = context
        self.info = info

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="support-form"):
            yield Static(t("support.form_title"), classes="form-title")
            yield FormRow(t("support.field.topic"), Choice(topic_choices(self.info), id="topic"))
            yield Static(t("support.field.text"), classes="support-label")
            yield TextArea(id="text", soft_wrap=True, show_line_numbers=False,
                           tab_behavior="focus")
            yield FormRow(t("support.field.org"), Choice([(None, t("support.no_org"))],
                                                         id="org"))
            yield TickBox(t("support.attach"), value=bool(self.attachment.items()), id="attach")
            yield Static("", id="attach-lines")
            yield ErrorLine(id="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("support.form_title")
        self._show_attachment()
        # The text first: what a user starts typing goes there (a burst of words into the
        # topic's chooser would turn it with every space); Shift+Tab reaches the topic.
        self.query_one("#text", TextArea).focus()
        self.call_api(lambda api: api.orgs.mine(), done=OrgsLoaded)
        if self.info is None:
            self.call_api(lambda api: api.support.info(), done=TopicsLoaded)

    @on(TopicsLoaded)
    def _topics(self, message: TopicsLoaded) -> None:
        self.info = message.result
        field = self.query_one("#topic", Choice)
        field.set_choices(topic_choices(self.info), field.value)

    @on(OrgsLoaded)
    def _orgs(self, message: OrgsLoaded) -> None:
        choices: list[tuple[str | None, str]] = [(None, t("support.no_org"))]
        choices += [(o.id, o.short_name) for o in message.result if o.status == "active"]
        active = self.buhta.org.id if self.buhta.org is not None else None
        self.query_one("#org", Choice).set_choices(choices, active)

    @on(TickBox.Changed, "#attach")
    def _toggled(self) -> None:
        self._show_attachment()

    def _show_attachment(self) -> None:
        lines = context_lines(self.attachment)
        on_ = self.query_one("#attach", TickBox).value
        if not lines:
            text = t("support.attach_nothing")
        elif on_:
            text = t("support.attach_will") + "\n" + "\n".join(f"  {ln}" for ln in lines)
        else:
            text = t("support.attach_off")
        self.query_one("#attach-lines", Static).update(text)

    def body(self) -> dict[str, Any]:
        data: dict[str, Any] = {"topic": self.query_one("#topic", Choice).value,
                                "text": self.query_one("#text", TextArea).text}
        org = self.query_one("#org", Choice).value
        if org:
            data["org_id"] = org
        if self.query_one("#attach", TickBox).value and self.attachment.items():
            data["context"] = dict(self.attachment.items())
        return data

    def fail(self, field: str, text: str) -> None:
        self.query_one(ErrorLine).show(text)
        target = FIELD_IDS.get(field)
        if target:
            self.query_one(f"#{target}").focus()

    def action_send(self) -> None:
        if self.busy:
            return
        self.query_one(ErrorLine).clear()
        try:
            request = sp.RequestIn.model_validate(self.body())
        except ValidationError as exc:
            where, text = field_of(exc)
            self.fail(where[0] if where else "", f"{t(f'support.field.{where[0]}')}: {text}"
                      if where and where[0] in ("text", "topic") else text)
            return
        self.call_api(lambda api: api.support.create(request), done=RequestSent,
                      failed=RequestRefused)

    @on(RequestSent)
    def _sent(self, message: RequestSent) -> None:
        self.app.notify(t("support.sent", number=message.result.id))
        self.dismiss(message.result)

    @on(RequestRefused)
    def _refused(self, message: RequestRefused) -> None:
        error = message.error
        field = next((e.get("field", "") for e in error.errors), "")
        self.fail(field.split(".")[0], error.detail if error.code != "validation.failed"
                  else "; ".join(e.get("message", "") for e in error.errors))

    def action_back(self) -> None:
        self.dismiss(None)
