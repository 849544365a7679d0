"""Provides the bases of every screen: BuhtaScreen, BuhtaModal and the identity FormScreen.

Each translates its keys and runs API calls through ApiWorkers (tui.workers).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, TextArea

from client.errors import ApiError
from client.i18n import nt, t
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


class LeaveGuard:
    """Mix-in of a form: Esc after the user has typed into a field asks «Выйти без
    сохранения?» before the screen's own Esc action runs.

    The screen's Esc action (whatever its ``escape`` binding names, ``back`` on every form)
    is wrapped when the class is made, so a form keeps its one Esc binding and its own
    ``action_back``; a field with an Esc of its own (an open list) still gets it first, as
    the focused widget's bindings come before the screen's. What is typed counts (a field
    changed while it has the focus), not what the form filled in itself.
    """

    typed = False
    leave_action: str | None = None
    """The name of the (guarded) Esc action, ``back`` on every form; None: none to guard."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = _escape_action(cls)
        method = getattr(cls, f"action_{name}", None) if name else None
        if callable(method) and not getattr(method, "leave_guarded", False):
            setattr(cls, f"action_{name}", _guarded(method))
        if callable(getattr(cls, f"action_{name}", None)):
            cls.leave_action = name

    async def _on_message(self, message: Message) -> None:
        """The «Назад» button (``#back``) is Esc: it runs the guarded Esc action, and the
        form's own ``@on(Button.Pressed, "#back")`` handler does not run. That handler holds
        the action as it was before the class wrapped it, and Textual calls a subclass's
        handlers before its bases', so the question cannot come from a handler here."""
        button = message.button if isinstance(message, Button.Pressed) else None
        if button is not None and button.id == "back" and self.leave_action is not None:
            message.stop()
            result = getattr(self, f"action_{self.leave_action}")()
            if inspect.isawaitable(result):
                await result
            return
        await super()._on_message(message)  # type: ignore[misc]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self.typed = True

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.has_focus:
            self.typed = True


def _escape_action(cls: type) -> str | None:
    """The action the class's nearest ``escape`` binding names (None: none or another node's)."""
    for base in cls.__mro__:
        for binding in base.__dict__.get("BINDINGS", ()):
            if not isinstance(binding, Binding):
                continue
            if "escape" in (key.strip() for key in binding.key.split(",")):
                name = binding.action.partition("(")[0]
                return None if "." in name else name
    return None


def _guarded(action: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(action)
    def guarded(self: Any, *args: Any) -> Any:
        if not self.typed:
            return action(self, *args)
        from tui.dialogs.confirm import ConfirmDialog

        def answered(yes: bool | None) -> Any:
            if yes:
                self.typed = False
                return action(self, *args)  # awaited by Textual when it is a coroutine
            return None

        self.app.push_screen(ConfirmDialog(t("form.leave_unsaved")), answered)
        return None

    guarded.leave_guarded = True  # type: ignore[attr-defined]
    return guarded


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


class FormScreen(LeaveGuard, BuhtaScreen):
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
        """Say what is wrong and put the cursor where it is (an earlier notice is stale).

        The refusal goes as soon as that field is edited (a fix is being typed)."""
        self.query_one(InfoLine).show("")
        self.query_one(ErrorLine).show(text, field=field)
        box = self.query_one(f"#{field}", Input)
        self.refused_value = box.value  # emptied by the form itself, say: not yet a fix
        box.focus()

    refused_value = ""

    @on(Input.Changed)
    def _refused_field_edited(self, event: Input.Changed) -> None:
        error = self.query_one(ErrorLine)
        if error.field is not None and error.field == event.input.id \
                and event.value != self.refused_value:
            error.clear()

    def show_refusal(self, error: ApiError) -> None:
        if error.code.endswith("rate_limited") and error.retry_after:
            # «Попробуйте через 5 минут», not «через 299 с».
            minutes = max(1, math.ceil(error.retry_after / 60))
            self.show_error(nt("error.locked_minutes.n", minutes))
            return
        super().show_refusal(error)

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
