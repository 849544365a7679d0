"""Provides BuhtaScreen: the base of every screen (translated keys, API workers, errors)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input
from textual.worker import Worker, WorkerState

from client.errors import ApiError, SessionRevoked, ValidationFailed
from client.i18n import t
from core.validation import InvalidInput
from tui.localize import localize_bindings
from tui.widgets.form import ErrorLine, InfoLine

if TYPE_CHECKING:
    from pydantic import ValidationError

    from client.api import ApiClient
    from tui.app import BuhtaApp


class ApiWorkers:
    """Mix-in: run API calls in workers and route their outcome to ``on_<name>_done``.

    A worker ends in a ``Worker.StateChanged`` message; its result goes to
    ``on_<name>_done(result)``, an ApiError to ``on_<name>_failed(error)`` or
    the screen's error line, a revoked session back to the login screen.
    """

    busy: bool = False

    @property
    def buhta(self) -> BuhtaApp:
        return cast("BuhtaApp", cast(Screen, self).app)

    def call_api(
        self,
        name: str,
        call: Callable[[ApiClient], Awaitable[Any]],
        *,
        exclusive: bool = False,
    ) -> Worker[Any]:
        """Start ``call(api)`` in a worker. Writes are never exclusive (see DESIGN)."""

        async def job() -> Any:
            api = await self.buhta.api()
            return await call(api)

        self.set_busy(True)
        screen = cast(Screen, self)
        return screen.run_worker(
            job, name=name, group=name, exclusive=exclusive, exit_on_error=False,
            description=f"api: {name}",
        )

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "mail" or worker.name is None:
            return
        if event.state == WorkerState.SUCCESS:
            self.set_busy(False)
            handler = getattr(self, f"on_{worker.name}_done", None)
            if handler is not None:
                try:
                    outcome = handler(worker.result)
                    if inspect.isawaitable(outcome):
                        await outcome
                except Exception as exc:  # a bug in a screen: a message, not a crash
                    self.buhta.report_error(exc)
        elif event.state == WorkerState.ERROR:
            self.set_busy(False)
            error = worker.error
            if isinstance(error, SessionRevoked):
                self.buhta.session_ended()
                return
            if isinstance(error, ApiError) and error.code in ("orgs.not_found", "orgs.blocked"):
                # Removed or blocked meanwhile: say so and fall back to another organisation.
                self.buhta.notify(error.detail, severity="error", timeout=8)
                self.buhta.in_app_worker(self.buhta.lost_org())
                return
            handler = getattr(self, f"on_{worker.name}_failed", None)
            if isinstance(error, ApiError) and handler is not None and handler(error):
                return
            if isinstance(error, ApiError):
                self.show_error(describe(error))
            else:
                self.buhta.report_error(error)
        elif event.state == WorkerState.CANCELLED:
            self.set_busy(False)

    def show_error(self, text: str) -> None:
        try:
            cast(Screen, self).query_one(ErrorLine).show(text)
        except Exception:
            self.buhta.notify(text, severity="error", timeout=8)


def describe(error: ApiError) -> str:
    """The human text for a refusal, with field problems when the server listed them."""
    if isinstance(error, ValidationFailed) and error.errors and error.code == "validation.failed":
        return "; ".join(e.get("message", "") for e in error.errors if e.get("message"))
    return error.detail


def invalid_text(error: InvalidInput) -> str:
    return t(error.key, **error.params)


def field_of(error: ValidationError) -> tuple[list[str], str]:
    """Where a wire model refused the form (``["lines", "0", "quantity"]``) and why."""
    first = error.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidInput):
        field = cause.params.get("field")
        if field and (not loc or loc[-1] != field):
            loc.append(str(field))
        return loc, invalid_text(cause)
    if first.get("type") == "missing":
        return loc, t("validation.required")
    return loc, str(first.get("msg", ""))


class BuhtaScreen(ApiWorkers, Screen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)


class BuhtaModal(ApiWorkers, ModalScreen[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        localize_bindings(self)


class Refused(Exception):
    """A form field was refused and the form has already said why: stop the submit."""


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
