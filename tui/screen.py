"""Provides the bases of every screen: BuhtaScreen, BuhtaModal and the identity FormScreen.

Each translates its keys and runs API calls through ApiWorkers (tui.workers).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input

from client.errors import ApiError
from core.validation import InvalidInput
from tui.errors import Refused, invalid_text
from tui.footer import key_footer
from tui.localize import localize_bindings
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import ApiWorkers


class SafeHandlers:
    """Mix-in of every screen: an exception in one of its handlers (a message or ``@on``
    handler, an action run from it, a watcher it triggers, a worker's answer) becomes an
    error line and an entry in ``buhta.log``; the screen, its fields and what is typed in
    them stay (Textual would end the app)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as exc:  # a bug in a screen: never an exit
            self.buhta.handler_failed(exc)  # type: ignore[attr-defined]


class BuhtaScreen(SafeHandlers, ApiWorkers, Screen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        # Every screen's Footer shows whole keys only and ends with «? Клавиши» (tui.footer).
        await super().mount_composed_widgets([key_footer(w) for w in widgets])


class BuhtaModal(SafeHandlers, ApiWorkers, ModalScreen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)


class FormScreen(BuhtaScreen):
    """An identity form: an error line, a notice line, a row of buttons.

    The ``#submit`` button is dimmed while a request is under way (no double
    submits on a slow link), and ``FIRST_FIELD`` gets the focus on arrival.
    """

    FIRST_FIELD = "#email"
    BINDINGS = [Binding("f8", "app.mailbox", "app.mailbox", id="form.mailbox")]

    def __init__(self, *, notice: str | None = None, error: str | None = None) -> None:
        super().__init__()
        self.notice = notice
        self.error = error

    def form_end(self, *buttons: Button) -> ComposeResult:
        """The lines every form ends with: what went wrong, what went right, the buttons."""
        yield ErrorLine(id="error")
        yield InfoLine(id="notice")
        with Horizontal(classes="buttons"):
            yield from buttons

    def on_mount(self) -> None:
        if self.error:
            self.query_one(ErrorLine).show(self.error)
        if self.notice:
            self.query_one(InfoLine).show(self.notice)
        self.query_one(self.FIRST_FIELD, Input).focus()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            self.query_one("#submit", Button).disabled = busy

    def fail(self, field: str, text: str) -> None:
        """Say what is wrong and put the cursor where it is (an earlier notice is stale)."""
        self.query_one(InfoLine).show("")
        self.query_one(ErrorLine).show(text)
        self.query_one(f"#{field}", Input).focus()

    def checked(self, field: str, check: Callable[..., Any], *args: Any) -> Any:
        """``check`` the field's value; on refusal show why, focus it and raise Refused."""
        try:
            return check(self.query_one(f"#{field}", Input).value, *args)
        except InvalidInput as exc:
            self.fail(field, invalid_text(exc))
            raise Refused from None

    def password_refused(self, error: ApiError) -> bool:
        """The server's password rules said no: empty both fields, cursor to the first."""
        if error.code != "auth.password_policy":
            return False
        for name in ("password", "password2"):
            self.query_one(f"#{name}", Input).value = ""
        self.fail("password", error.detail)
        return True

    def start(self) -> bool:
        """Clear the old error before a new attempt; False while one is under way."""
        if self.busy:
            return False
        self.query_one(ErrorLine).clear()
        return True
