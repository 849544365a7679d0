"""Provides BuhtaApp: the terminal app's modes, global keys, session and start-up.

Start-up is tuned for people who open the app many times a day over SSH: the
first frame (login, or "loading" when a device is remembered) is drawn before
the client layer and the embedded server are imported; those load in a thread
right after it. Screens get the API through ``await app.api()``, which waits
for that boot when needed.
"""

from __future__ import annotations

import asyncio
import importlib
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from client.errors import ApiError, NetworkError, SessionRevoked
from client.i18n import t
from client.options import StartOptions
from tui.commands import AppCommands, NavigationCommands, ScreenCommands, SystemCommands
from tui.localize import localize_bindings
from tui.messages import OrgChanged
from tui.typography import keep_no_break_spaces

if TYPE_CHECKING:
    from client.api import ApiClient
    from client.connect import Connection
    from core.contract import OrgSummary, User

keep_no_break_spaces()  # «61 000,00 ₽» never breaks at its no-break spaces (tui.typography)


class AuthBase(Screen[None]):
    """The empty bottom of the identity mode's stack."""


# Only what the first screen needs; other screens bring their own sheet when
# first shown (start-up time).
STYLES = ["app.tcss", "auth.tcss"]


def _screen(path: str) -> Any:
    """``"screens.ledger.journal:LedgerScreen"`` → the class, imported on first use."""
    from importlib import import_module

    module, _, name = path.partition(":")
    return getattr(import_module(module), name)


def _shell_modes() -> dict[str, Any]:
    return {mode: _screen(path) for mode, path in MODE_SCREENS.items()}


MODE_SCREENS = {
    "dashboard": "screens.dashboard.view:DashboardScreen",
    "ledger": "screens.ledger.journal:LedgerScreen",
    "payroll": "screens.payroll.runs:PayrollScreen",
    "tasks": "screens.tasks.list:TasksScreen",
    "support": "screens.shell:SupportScreen",
}
ORG_SCREENS = {
    "card": "screens.orgs.org_form:OrgFormScreen",
    "team": "screens.orgs.team:TeamScreen",
    "audit": "screens.orgs.audit_log:AuditScreen",
    "accept": "screens.orgs.invitation:AcceptInvitationScreen",
    "new": "screens.orgs.org_form:OrgFormScreen",
    "counterparties": "screens.ledger.counterparties:CounterpartiesScreen",
    "documents": "screens.documents.list:DocumentsScreen",
    "payments": "screens.payments.list:PaymentsScreen",
    "chart": "screens.ledger.chart:ChartScreen",
    "reports": "screens.reports.menu:ReportsScreen",
    "bank": "screens.bank.statement:BankScreen",
}
"""The organisation's screens by the name their keys use (o, t, j, a, n, k, d, y, p, r, b)."""

NOTIFICATION_SCREENS = {
    "centre": "screens.notifications.centre:NotificationsScreen",
    "matrix": "screens.notifications.matrix:MatrixScreen",
    "channels": "screens.notifications.channels:ChannelsScreen",
    "webhooks": "screens.notifications.webhooks:WebhooksScreen",
    "newsletter": "screens.notifications.newsletter:NewsletterScreen",
}
"""The notification screens by the name ``app.notifications(...)`` takes."""


SHELL_MODES = ("dashboard", "ledger", "payroll", "tasks", "support")


class BuhtaApp(AppCommands, App[None]):
    """Buhta in the terminal."""

    TITLE = "Бухта"
    CSS_PATH = [f"../styles/{name}" for name in STYLES]
    # Textual's system commands are replaced by Russian ones (tui.commands).
    COMMANDS = {SystemCommands, NavigationCommands, ScreenCommands}
    # Identity screens (login, registration, recovery) stack on the default mode at
    # start and in the "auth" mode after a sign-out (Textual cannot switch back to
    # the default mode); the shell's modes are added at sign-in, removed at sign-out.
    MODES = {"auth": "auth-base"}
    SCREENS = {"auth-base": AuthBase}
    BINDINGS = [
        Binding("f6", "switch_org", "app.switch_org", id="app.switch_org"),
        # Every key of the screen (tui.keys); the Footer ends with «? Клавиши».
        Binding("f1", "keys", "keys.open", id="app.keys", show=False),
        Binding("question_mark", "keys", "keys.open", id="app.keys_q", show=False),
        # Shown in the identity forms, where codes arrive; everywhere else it still works.
        Binding("f8", "mailbox", "app.mailbox", id="app.mailbox", show=False),
        # Quit stays off the Footer (80 columns are precious); the palette lists it.
        Binding("ctrl+q", "quit", "app.quit", id="app.quit", priority=True, show=False),
        # Slow links (tui.traffic): no animations, fewer refreshes, notifications in a digest.
        Binding("ctrl+b", "low_bandwidth", "lowbw.toggle", id="app.low_bandwidth", show=False),
        # The writes made offline (the shell's l too).
        Binding("f9", "write_queue", "queue.open", id="app.write_queue", show=False),
    ]

    def __init__(
        self,
        api: ApiClient | None = None,
        *,
        options: StartOptions | None = None,
        exit_on_first_frame: bool = False,
    ):
        super().__init__()
        localize_bindings(self)
        self.title = t("app.title")
        self._api: ApiClient | None = api
        self._api_ready = asyncio.Event()
        self._boot_error: BaseException | None = None
        self.connection: Connection | None = None
        self.shell_on = False
        self.mail_seen = 0
        self.org: OrgSummary | None = None
        """The organisation every screen works in (shown in each header)."""
        self.unread: int | None = None
        """Unread notifications, polled (screens.notifications.poll); None: not known."""
        self.exit_on_first_frame = exit_on_first_frame
        self.options = options or StartOptions()
        """The command line's settings (over the BUHTA_* environment)."""
        if api is not None:
            self._api_ready.set()
        self._keys: deque[events.Event] = deque()
        self._key_feeder: asyncio.Task[None] | None = None

    # --- keys, one at a time --------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Deliver keys one at a time, each after the previous one's effects.

        Textual hands a key to the focused widget's queue and goes on to the next at
        once; Tab moves the focus only when its key has bubbled up to the screen's
        binding, an F-key's form is focused only once it has mounted. Keys that
        arrive together (a paste, tmux ``send-keys``, a slow SSH link) would land in
        the field the focus is leaving, or nowhere. So a key (or a bracketed paste)
        waits until everything the previous one set off in the app's nodes was
        handled: the focus moved, the new screen mounted and focused its field.
        """
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            idle = self._key_feeder is None or self._key_feeder.done()
            if not getattr(event, "_buhta_gated", False) and not (idle and self._typing(event)):
                self._keys.append(event)
                if idle:
                    self._key_feeder = asyncio.create_task(self._feed_keys())
                return
        await super().on_event(event)

    def _typing(self, event: events.Event) -> bool:
        """Text typed into a text field: it cannot move the focus, so it needs no wait."""
        if not isinstance(self.focused, Input):
            return False
        return isinstance(event, events.Paste) or (
            isinstance(event, events.Key) and event.is_printable
        )

    async def _feed_keys(self) -> None:
        while self._keys:
            original = self._keys.popleft()
            event: events.Event
            if isinstance(original, events.Key):
                event = events.Key(original.key, original.character)
            else:
                assert isinstance(original, events.Paste)
                event = events.Paste(original.text)
            event._buhta_gated = True  # type: ignore[attr-defined]
            event.set_sender(self)
            self.post_message(event)
            await self._quiet()

    async def _quiet(self, *, limit_s: float = 1.0) -> None:
        """Wait until no node of the app has a message waiting or in hand (``limit_s`` at
        most: a busy screen slows the keys down, never stops them)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit_s
        calm = 0
        while calm < 2 and loop.time() < deadline:
            await asyncio.sleep(0)
            calm = calm + 1 if self._nothing_pending() else 0

    def _nothing_pending(self) -> bool:
        def idle(node: Any) -> bool:
            return node._message_queue.empty() and node._pending_message is None

        if not idle(self):
            return False
        try:
            screen = self.screen
        except Exception:
            return True
        if not screen.is_mounted or not idle(screen):
            return False
        return all(idle(node) for node in screen.walk_children(with_self=False))

    # --- start-up -----------------------------------------------------------

    def _remembered_email(self) -> str | None:
        saved = self._api.remembered() if self._api is not None else self.options.remembered()
        return saved.email if saved else None

    def on_mount(self) -> None:
        from screens.identity.login import LoginScreen
        from screens.splash import SplashScreen

        remembered = self._remembered_email()
        if remembered is not None:
            self.push_screen(SplashScreen())
            self.run_worker(self._resume(), name="resume", group="session", exit_on_error=False)
        else:
            self.push_screen(LoginScreen())
        if self.exit_on_first_frame:
            self.call_after_refresh(self.exit)
            return
        if self._api is None:
            self.call_after_refresh(self._start_boot)
        # The link's status line on the shell's screens, the low-bandwidth mode.
        from tui.traffic import install

        install(self, self.options.data_dir)

    def _start_boot(self) -> None:
        self.run_worker(self._boot(), name="boot", group="boot", exit_on_error=False)

    async def _boot(self) -> None:
        try:
            module = await asyncio.to_thread(importlib.import_module, "client.connect")
            settings = await asyncio.to_thread(self.options.settings)
            self.connection = module.connect(settings)
            self._api = self.connection.api
            # Mail and SMS that arrive from now on are announced; older ones sit in F8.
            if self._api.embedded:
                self.run_worker(self._skip_old_mail(), group="mail", exit_on_error=False)
        except Exception as exc:
            self._boot_error = exc
            raise
        finally:
            self._api_ready.set()

    async def api(self) -> ApiClient:
        """The API client, once the client layer (and embedded server) are loaded."""
        await self._api_ready.wait()
        if self._api is None:
            raise NetworkError(repr(self._boot_error))
        return self._api

    async def _resume(self) -> User | None:
        api = await self.api()
        try:
            return await api.auth.resume()
        except NetworkError:
            # The server cannot be reached: open offline with the kept data, if any.
            user = api.offline.open_offline()
            if user is None:
                raise
            return user

    @on(Worker.StateChanged)
    async def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.name == "resume":
            if event.state == WorkerState.SUCCESS and worker.result is not None:
                await self.enter_shell()
            elif event.state == WorkerState.SUCCESS:
                await self._show_login()
            elif event.state == WorkerState.ERROR:
                error = worker.error
                notice = error.detail if isinstance(error, ApiError) else None
                await self._show_login(error=notice)
        elif event.state == WorkerState.ERROR:
            self.report_error(worker.error)

    def report_error(self, error: BaseException | None) -> None:
        """The last resort for a failure nobody handled: a message, never a traceback."""
        if isinstance(error, SessionRevoked):
            self.session_ended()
        elif isinstance(error, ApiError):
            self.notify(error.detail, severity="error", timeout=8)
        elif error is not None:
            self.handler_failed(error)

    def handler_failed(self, error: BaseException) -> None:
        """A bug in a handler: an entry in ``buhta.log`` and the screen's error line (a
        notification where it has none); the app and the form stay as they were."""
        from tui.errors import bug_text, log_exception

        log_exception(error, self.options.data_dir)
        text = bug_text(error)
        try:
            show = getattr(self.screen, "show_error", None)
        except Exception:
            show = None
        if show is not None:
            show(text)
        else:
            self.notify(text, severity="error", timeout=10)

    async def _dispatch_message(self, message: Message) -> None:
        # A screen's keys run their actions here (the bindings of the focus chain).
        try:
            await super()._dispatch_message(message)
        except Exception as exc:
            self.handler_failed(exc)

    def _handle_exception(self, error: Exception) -> None:
        # What slipped past the handlers above (a timer, an idle callback, a widget's
        # own handler) ends the app only before its first screen is up.
        if self.is_running and self.screen_stack and not self._exit_renderables:
            self.handler_failed(error)
            return
        super()._handle_exception(error)

    # --- session --------------------------------------------------------------

    async def _show_login(self, *, error: str | None = None, notice: str | None = None,
                          email: str | None = None) -> None:
        from screens.identity.login import LoginScreen

        if email is None and self._api is not None:
            saved = self._api.remembered()
            email = saved.email if saved else None
        await self.switch_mode("auth")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(LoginScreen(email=email, error=error, notice=notice))

    def in_app_worker(self, job: Any) -> None:
        """Run screen-changing work as the app's own worker: a screen's worker dies with it."""
        self.run_worker(job, group="session", exit_on_error=False)

    async def back_to_login(self, *, email: str | None = None, notice: str | None = None) -> None:
        """End an identity flow: back to the login screen under it, filled in."""
        from screens.identity.login import LoginScreen

        self.clear_notifications()
        while len(self.screen_stack) > 1 and not isinstance(self.screen, LoginScreen):
            await self.pop_screen()
        if isinstance(self.screen, LoginScreen):
            self.screen.prefill(email=email, notice=notice)
        else:
            await self.push_screen(LoginScreen(email=email, notice=notice))

    async def enter_shell(self) -> None:
        self.clear_notifications()
        if self.current_mode in (self.DEFAULT_MODE, "auth"):
            while len(self.screen_stack) > 1:
                await self.pop_screen()
        if not self.shell_on:
            for name, screen in _shell_modes().items():
                self.add_mode(name, screen)
            self.shell_on = True
        await self.switch_mode("dashboard")
        self.refresh_bindings()
        _screen("screens.notifications.poll:start_polling")(self)
        await self.load_orgs()

    # --- organisations --------------------------------------------------------

    async def load_orgs(self, *, prefer: str | None = None) -> None:
        """Pick the organisation to work in: ``prefer``, the device's last one, or the first.

        With none at all, the form for the first organisation opens.
        """
        from screens.orgs.org_form import OrgFormScreen

        api = await self.api()
        orgs = await api.orgs.mine()
        usable = [o for o in orgs if o.status == "active"]
        chosen = next((o for o in usable if o.id == prefer), None)
        chosen = chosen or next((o for o in usable if o.last_used), None)
        chosen = chosen or (usable[0] if usable else None)
        if chosen is None:
            self.set_org(None)
            await self.push_screen(OrgFormScreen(first=True))
            return
        # The "create your first organisation" form is no longer needed.
        while isinstance(self.screen, OrgFormScreen) and self.screen.first:
            await self.pop_screen()
        self.set_org(chosen)
        if not chosen.last_used or prefer:
            # «Last used» is recorded while the screen loads, not before: on a slow link
            # one round trip less before the first screen. The screen's GET goes first
            # and takes the kept connection; this small POST opens the second one.
            await self._screen_asking()
            await api.orgs.use(chosen.id)

    async def _screen_asking(self, limit_s: float = 0.3) -> None:
        """Wait (briefly) until the current screen's load is under way."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit_s
        while loop.time() < deadline:
            screen = self.screen
            if any(w.node is screen and w.state == WorkerState.RUNNING for w in self.workers):
                await asyncio.sleep(0.01)  # its request handed to the pool
                return
            await asyncio.sleep(0.01)

    def set_org(self, org: OrgSummary | None) -> None:
        self.org = org
        self.sub_title = org.short_name if org else ""
        self.post_message(OrgChanged(org))
        self.screen.post_message(OrgChanged(org))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_org":
            return self.shell_on and self.org is not None
        return True

    def action_switch_org(self) -> None:
        from screens.orgs.switcher import OrgSwitcher

        if self.shell_on and not isinstance(self.screen, OrgSwitcher):
            self.push_screen(OrgSwitcher())

    async def lost_org(self) -> None:
        """The active organisation refused us (removed or blocked): back to the shell's base."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.org = None
        await self.load_orgs()

    def switch_to(self, org_id: str) -> None:
        self.in_app_worker(self.load_orgs(prefer=org_id))

    def require_org(self) -> str | None:
        """The active organisation's id, or a hint to choose one first."""
        if self.org is None:
            self.notify(t("orgs.choose_first"), severity="warning")
            return None
        return self.org.id

    async def action_org_screen(self, name: str) -> None:
        """Open an organisation screen (card, team, audit log, invitation, counterparties)."""
        if not self.shell_on or name not in ORG_SCREENS:
            return
        if name not in ("accept", "new") and self.require_org() is None:
            return
        screen = _screen(ORG_SCREENS[name])
        await self.push_screen(screen(new=True) if name == "new" else screen())

    async def leave_shell(self, *, error: str | None = None, notice: str | None = None,
                          email: str | None = None) -> None:
        await self._show_login(error=error, notice=notice, email=email)
        _screen("screens.notifications.poll:stop_polling")(self)
        self.org = None
        self.sub_title = ""
        if self.shell_on:
            for name in SHELL_MODES:
                await self.remove_mode(name)
            self.shell_on = False

    def session_ended(self) -> None:
        self.run_worker(
            self.leave_shell(error=t("app.session_ended")), group="session", exit_on_error=False
        )

    async def action_logout(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        if not self.shell_on:
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._logout(), name="logout", group="session",
                                exit_on_error=False)

        await self.push_screen(ConfirmDialog(t("shell.logout_confirm")), answered)

    async def _logout(self) -> None:
        api = await self.api()
        user = api.user
        try:
            await api.auth.logout()
        except ApiError:
            pass  # the local credentials are gone either way
        # Signed out, not forgotten: the e-mail stays on the login form.
        await self.leave_shell(notice=t("shell.logged_out"), email=user.email if user else None)

    async def action_goto(self, mode: str) -> None:
        if self.shell_on and mode in SHELL_MODES:
            await self.switch_mode(mode)

    async def action_devices(self) -> None:
        from screens.account.devices import DevicesScreen

        if self.shell_on and not isinstance(self.screen, DevicesScreen):
            await self.push_screen(DevicesScreen())

    async def action_write_queue(self) -> None:
        """The writes made offline, waiting or refused (F9, the shell's l)."""
        screen = _screen("screens.account.queue:QueueScreen")
        if self.shell_on and not isinstance(self.screen, screen):
            await self.push_screen(screen())

    def action_low_bandwidth(self) -> None:
        from tui.traffic import toggle_low_bandwidth

        toggle_low_bandwidth(self, self.options.data_dir)

    async def action_sign_document(self, document_id: str) -> None:
        """Sign a document, see its signatures (the card's g)."""
        if self.shell_on and self.require_org() is not None:
            await self.push_screen(_screen("screens.signatures.sign:SignScreen")(document_id))

    async def action_certificates(self) -> None:
        """The certificates with their keys on this device (the shell's z)."""
        screen = _screen("screens.signatures.certificates:CertificatesScreen")
        if self.shell_on and not isinstance(self.screen, screen):
            await self.push_screen(screen())

    async def action_notifications(self, page: str = "centre") -> None:
        """The notification centre (the shell's u) or one of its screens (the palette)."""
        if not self.shell_on or page not in NOTIFICATION_SCREENS:
            return
        screen = _screen(NOTIFICATION_SCREENS[page])
        if page in ("matrix", "webhooks") and self.require_org() is None:
            return
        if not isinstance(self.screen, screen):
            await self.push_screen(screen())

    # --- local mailbox (embedded mode) ----------------------------------------

    async def action_mailbox(self) -> None:
        from screens.account.mailbox import MailboxScreen

        if isinstance(self.screen, MailboxScreen):
            self.screen.dismiss()
            return
        await self.push_screen(MailboxScreen())

    async def _skip_old_mail(self) -> None:
        api = await self.api()
        newest = await api.auth.local_mailbox(after=self.mail_seen)
        if newest:
            self.mail_seen = max(self.mail_seen, newest[0].id)

    def announce_mail(self) -> None:
        """Show mail and SMS the embedded server kept since the last look (codes in them)."""
        self.run_worker(self._announce_mail(), group="mail", exit_on_error=False)

    async def _announce_mail(self) -> None:
        api = await self.api()
        if not api.embedded:
            return
        messages = await api.auth.local_mailbox(after=self.mail_seen)
        for message in reversed(messages):
            self.mail_seen = max(self.mail_seen, message.id)
            text = message.body if message.channel == "sms" else _mail_summary(message.body)
            self.notify(
                text,
                title=t("app.new_message", channel=t(f"channel.{message.channel}"),
                        recipient=message.recipient),
                timeout=MAIL_TOAST_S,  # the mailbox (F8) keeps them
            )


MAIL_TOAST_S = 8
"""Seconds a notification of new mail or SMS stays on the screen."""


def _mail_summary(body: str) -> str:
    """The line of an e-mail that carries the code, for a notification."""
    for line in body.splitlines():
        if any(ch.isdigit() for ch in line) and "-" in line:
            return line.strip()
    return body.strip().splitlines()[0] if body.strip() else ""
