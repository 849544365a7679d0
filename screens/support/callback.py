"""Provides CallbackFormScreen: support calls back. The phone (the account's, editable;
checked as registration checks it), the topic (← →), the day and the window «с … до …»
in the user's time zone (the machine's, editable). F2 orders; the answer says the window
back as support will keep it."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from client.i18n import t
from core.contract import support as sp
from core.validation import InvalidInput, format_phone
from screens.support.common import Choice, local_zone
from screens.support.form import topic_choices
from tui.errors import field_of, invalid_text
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.dates import DateInput
from tui.widgets.form import ErrorLine, FormRow, InfoLine
from tui.workers import Done, Failed

FIELD_IDS = {"phone": "phone", "topic": "topic", "day": "day", "start": "start",
             "end": "end", "timezone": "timezone"}


class CallbackOrdered(Done[sp.CallbackOut]):
    """Support will call back."""


class CallbackRefused(Failed):
    """The server refused the order."""


def parse_time(text: str, field: str) -> time:
    """``10``, ``10:30``, ``10.30`` → a time; anything else says so naming the field."""
    raw = text.strip().replace(".", ":")
    try:
        hours, _, minutes = raw.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError:
        raise InvalidInput("support.time_invalid", field=field) from None


class CallbackFormScreen(FormScreen):
    CSS_PATH = sheets("support")
    FIRST_FIELD = "#phone"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="callback.back"),
        Binding("f2", "send", "support.key.order", id="callback.send"),
        Binding("enter", "app.focus_next", "support.key.next", id="callback.next",
                show=False, priority=True),
        Binding("tab", "app.focus_next", "support.key.next", id="callback.tab", show=False,
                priority=True),
        Binding("shift+tab", "app.focus_previous", "support.key.previous",
                id="callback.back_tab", show=False, priority=True),
    ]

    def __init__(self, info: sp.SupportInfo | None = None) -> None:
        super().__init__()
        self.info = info

    def compose(self) -> ComposeResult:
        api = self.buhta._api
        phone = api.user.phone if api is not None and api.user is not None else ""
        yield Header()
        with VerticalScroll(id="callback-form"):
            yield Static(t("support.callback_title"), classes="form-title")
            yield FormRow(t("support.field.phone"),
                          Input(format_phone(phone) if phone else "", id="phone",
                                compact=True, max_length=40))
            yield FormRow(t("support.field.topic"), Choice(topic_choices(self.info), id="topic"))
            yield FormRow(t("support.field.day"),
                          DateInput(date.today(), id="day", compact=True))
            yield FormRow(t("support.field.window"),
                          Input("10:00", id="start", compact=True, max_length=5),
                          Static("–", classes="dash"),
                          Input("12:00", id="end", compact=True, max_length=5))
            yield FormRow(t("support.field.timezone"),
                          Input(local_zone(), id="timezone", compact=True, max_length=64))
            yield ErrorLine(id="error")
            yield InfoLine(id="notice")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("support.callback_title")

    def set_busy(self, busy: bool) -> None:
        self.busy = busy  # (no submit button: F2 orders)

    def fail(self, field: str, text: str) -> None:
        self.query_one(InfoLine).show("")
        self.query_one(ErrorLine).show(text)
        target = FIELD_IDS.get(field)
        if target:
            self.query_one(f"#{target}").focus()

    def body(self) -> dict[str, Any]:
        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value

        return {"phone": value("phone"), "topic": self.query_one("#topic", Choice).value,
                "day": self.query_one("#day", DateInput).day,
                "start": parse_time(value("start"), "start"),
                "end": parse_time(value("end"), "end"), "timezone": value("timezone")}

    def action_send(self) -> None:
        if self.busy:
            return
        self.query_one(ErrorLine).clear()
        try:
            order = sp.CallbackIn.model_validate(self.body())
        except InvalidInput as exc:
            self.fail(str(exc.params.get("field", "day")), invalid_text(exc))
            return
        except ValidationError as exc:
            where, text = field_of(exc)
            name = where[-1] if where else ""
            label = t(f"support.field.{name}") if name in FIELD_IDS else ""
            self.fail(name, f"{label}: {text}" if label else text)
            return
        self.call_api(lambda api: api.support.order_callback(order), done=CallbackOrdered,
                      failed=CallbackRefused)

    @on(CallbackOrdered)
    def _ordered(self, message: CallbackOrdered) -> None:
        self.query_one(InfoLine).show(t("support.callback_ordered",
                                        window=message.result.local_window))

    @on(CallbackRefused)
    def _refused(self, message: CallbackRefused) -> None:
        error = message.error
        field = next((e.get("field", "") for e in error.errors), "")
        self.fail(field.split(".")[-1], error.detail if error.code != "validation.failed"
                  else "; ".join(e.get("message", "") for e in error.errors))

    def action_back(self) -> None:
        self.dismiss(None)
