"""Provides ApiWorkers: API calls in workers whose outcome comes back as typed messages.

A screen starts a request with ``call_api(call, done=EntriesLoaded)``; the result
arrives as ``EntriesLoaded(result)``, a dataclass ``Done`` message the screen handles
with ``@on(EntriesLoaded)``. Handlers run in the screen, in order, as soon as the
worker ends; an exception in one is reported (a message, not a crash).

    class EntriesLoaded(Done[m.EntryPage]):
        \"\"\"A page of the journal.\"\"\"

    self.call_api(lambda api: api.ledger.entries(org_id), done=EntriesLoaded,
                  guard=lambda: self.generation, exclusive=True)

    @on(EntriesLoaded)
    def _loaded(self, message: EntriesLoaded) -> None:
        self.show(message.result)

``guard`` drops a stale result: its value is taken when the call starts and again
when it ends, and the result reaches no handler when the two differ (a reload, a
new search began meanwhile). A refusal (``ApiError``) goes to the ``failed``
message when one is given (its handler says what to do, ``show_refusal`` is the
default text), else to the screen's error line. A revoked session always goes back
to the login screen, a removed organisation to another one. ``done`` may be any
callable that builds the message, to carry the request's context along:
``done=lambda page: MatchesFound(page, typed=text)``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from client.errors import ApiError, SessionRevoked
from client.write_queue import WriteQueued
from tui.errors import describe
from tui.widgets.form import ErrorLine

if TYPE_CHECKING:
    from client.api import ApiClient
    from tui.app import BuhtaApp

T = TypeVar("T")


@dataclass(eq=False)
class Done(Message, Generic[T], bubble=False):
    """A worker's result, delivered to the screen that started it; subclass it per request."""

    result: T

    def __init_subclass__(cls, **kwargs: Any) -> None:
        kwargs.setdefault("bubble", False)  # the screen's own answer: no one above wants it
        super().__init_subclass__(**kwargs)


@dataclass(eq=False)
class Failed(Message, bubble=False):
    """The server refused a worker's request; subclass it where a screen handles a refusal."""

    error: ApiError

    def __init_subclass__(cls, **kwargs: Any) -> None:
        kwargs.setdefault("bubble", False)
        super().__init_subclass__(**kwargs)


class _Call(NamedTuple):
    done: Callable[[Any], Message] | None
    failed: Callable[[ApiError], Message] | None
    guard: Callable[[], object] | None
    token: object


class ApiWorkers:
    """Mix-in of every screen (and of a widget that loads its own data, e.g. PagedTable):
    run API calls in workers and deliver their outcome to the same node."""

    busy: bool = False

    @property
    def buhta(self) -> BuhtaApp:
        return cast("BuhtaApp", cast(Widget, self).app)

    def call_api(
        self, call: Callable[[ApiClient], Awaitable[T]], /, *,
        done: Callable[[T], Message] | None = None,
        failed: Callable[[ApiError], Message] | None = None,
        guard: Callable[[], object] | None = None,
        group: str | None = None,
        exclusive: bool = False,
    ) -> Worker[T]:
        """Start ``call(api)`` in a worker. Writes are never exclusive (see DESIGN).

        ``exclusive`` cancels the group's earlier worker: the group is ``group``, else
        the name of the ``done`` message class.
        """
        name = group or (done.__name__ if isinstance(done, type) else None)
        if name is None:
            if exclusive:
                raise TypeError("an exclusive call_api needs group= or a message class")
            name = "api"
        typed = _Call(done, failed, guard, guard() if guard is not None else None)

        async def job() -> Any:
            api = await self.buhta.api()
            return await call(api)

        self.set_busy(True)
        worker = cast(Widget, self).run_worker(
            job, name=name, group=name, exclusive=exclusive, exit_on_error=False,
            description=f"api: {name}",
        )
        self._typed_calls()[worker] = typed
        return worker

    def _typed_calls(self) -> dict[Worker[Any], _Call]:
        calls: dict[Worker[Any], _Call] | None = getattr(self, "_api_calls", None)
        if calls is None:
            calls = {}
            self._api_calls = calls
        return calls

    def set_busy(self, busy: bool) -> None:
        self.busy = busy

    def show_refusal(self, error: ApiError) -> None:
        """What a refusal shows when its screen has nothing better to do with it."""
        self.show_error(describe(error))

    async def _deliver(self, message: Message) -> None:
        # Handled here and now, as a method call would be: in order, and an exception in
        # a handler is a message to the user, not a crash of the app.
        try:
            await cast(Widget, self)._dispatch_message(message)
        except Exception as exc:  # a bug in a screen
            self.buhta.report_error(exc)

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "mail" or worker.name is None:
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        # A worker not started by call_api (``@work``) ends the same way, with no messages.
        typed = self._typed_calls().pop(worker, None) or _Call(None, None, None, None)
        self.set_busy(False)
        if event.state == WorkerState.SUCCESS:
            if typed.guard is not None and typed.guard() != typed.token:
                return  # an answer to a question no longer asked
            if typed.done is not None:
                await self._deliver(typed.done(worker.result))
        elif event.state == WorkerState.ERROR:
            error = worker.error
            if isinstance(error, SessionRevoked):
                self.buhta.session_ended()
                return
            if isinstance(error, ApiError) and error.code in ("orgs.not_found", "orgs.blocked"):
                # Removed or blocked meanwhile: say so and fall back to another organisation.
                self.buhta.notify(error.detail, severity="error", timeout=8)
                self.buhta.in_app_worker(self.buhta.lost_org())
                return
            if isinstance(error, WriteQueued):
                self._write_queued(error)
                return
            if isinstance(error, ApiError):
                if typed.failed is not None:
                    await self._deliver(typed.failed(error))
                    return
                self.show_refusal(error)
            else:
                self.buhta.report_error(error)

    def _write_queued(self, error: WriteQueued) -> None:
        """A write kept in the queue (no link) is done as far as the form goes: say so and
        leave the form, so a second F2 cannot queue a copy under a new key."""
        self.buhta.notify(error.detail, timeout=8)
        back = getattr(self, "action_back", None)
        if getattr(self, "typed", False) and callable(back):  # a form the user filled in
            self.typed = False  # nothing is lost: no «Выйти без сохранения?»
            result = back()
            if inspect.isawaitable(result):
                self.buhta.in_app_worker(result)
            return
        self.show_error(error.detail)

    def show_error(self, text: str) -> None:
        try:
            cast(Widget, self).screen.query_one(ErrorLine).show(text)
        except Exception:
            self.buhta.notify(text, severity="error", timeout=8)
