"""Provides WebhooksScreen: the active organisation's webhook endpoints and, under them,
the last deliveries of the one under the cursor with their status. ``n`` adds a URL (its
secret is shown once, right after), ``t`` sends a test delivery and shows how it went,
``e`` switches the endpoint off or on, ``delete`` removes it (asked first)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input, Static

from client.i18n import t
from core.contract import notifications as nm
from tui.dialogs.confirm import ConfirmDialog
from tui.errors import field_of
from tui.screen import BuhtaModal, BuhtaScreen
from tui.widgets.form import ErrorLine, InfoLine
from tui.widgets.text import clip
from tui.workers import Done

CSS = """
WebhooksScreen #hooks { height: 6; margin: 0 1; }
WebhooksScreen #deliveries { height: 1fr; margin: 0 1; }
WebhooksScreen .hooks-title { text-style: bold; margin: 0 1; }
WebhooksScreen #hook-secret { margin: 0 1; height: auto; }
UrlDialog > Vertical { width: 70; height: auto; border: round $accent;
                       background: $surface; padding: 0 1; }
UrlDialog { align: center middle; }
"""


class HooksLoaded(Done[nm.WebhookList]):
    """The organisation's endpoints with their last deliveries."""


class HookCreated(Done[nm.WebhookCreated]):
    """A new endpoint and its secret (shown once)."""


class TestSent(Done[nm.WebhookDeliveryOut]):
    """A test delivery and how it went."""


class HookChanged(Done[object]):
    """An endpoint switched off or on, or removed."""


def delivery_status(d: nm.WebhookDeliveryOut) -> str:
    text = t(f"notif.wh.status.{d.status}")
    if d.last_status_code is not None:
        text += f" · HTTP {d.last_status_code}"
    return text


class UrlDialog(BuhtaModal):
    """The address of a new endpoint; Enter adds it, Esc cancels."""

    DEFAULT_CSS = CSS
    ASK_BEFORE_LEAVING = True
    BINDINGS = [Binding("escape", "cancel", "app.back", id="hook_url.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("notif.wh.url_prompt"))
            yield Input(id="hook-url", placeholder="https://", max_length=nm.MAX_WEBHOOK_URL)
            yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        value = self.query_one(Input).value
        try:
            body = nm.WebhookIn(url=value)
        except ValidationError as exc:
            self.query_one(ErrorLine).show(field_of(exc)[1])
            return
        self.dismiss(body)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WebhooksScreen(BuhtaScreen):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "app.back", id="hooks.back"),
        Binding("n", "add", "notif.key.wh_add", id="hooks.add"),
        Binding("t", "test", "notif.key.wh_test", id="hooks.test"),
        Binding("e", "enable", "notif.key.wh_enable", id="hooks.enable"),
        Binding("delete", "remove", "notif.key.wh_delete", id="hooks.delete", show=False),
        Binding("f5", "reload", "notif.key.reload", id="hooks.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hooks: list[nm.WebhookOut] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="hooks", cursor_type="row")
        yield Static("", id="hook-secret")
        yield Static(t("notif.wh.deliveries"), classes="hooks-title")
        yield DataTable(id="deliveries", cursor_type="row", zebra_stripes=True)
        yield ErrorLine()
        yield InfoLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("notif.wh.title")
        hooks = self.query_one("#hooks", DataTable)
        for key, width in (("url", 50), ("status", 20)):
            hooks.add_column(t(f"notif.wh.col.{key}"), width=width, key=key)
        deliveries = self.query_one("#deliveries", DataTable)
        for key, width in (("when", 11), ("event", 14), ("status", 21), ("attempts", 7),
                           ("error", 13)):
            deliveries.add_column(t(f"notif.wh.col.{key}"), width=width, key=key)
        hooks.focus()
        self.action_reload()

    @property
    def org_id(self) -> str | None:
        org = self.buhta.org
        return org.id if org is not None else None

    @property
    def current(self) -> nm.WebhookOut | None:
        table = self.query_one("#hooks", DataTable)
        if not self.hooks or not 0 <= table.cursor_row < len(self.hooks):
            return None
        return self.hooks[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("test", "enable", "remove"):
            return bool(self.hooks)
        return True

    def action_reload(self) -> None:
        org_id = self.org_id
        if org_id is not None:
            self.call_api(lambda api: api.notifications.webhooks(org_id), done=HooksLoaded,
                          exclusive=True)

    @on(HooksLoaded)
    def _loaded(self, message: HooksLoaded) -> None:
        self.hooks = list(message.result.items)
        table = self.query_one("#hooks", DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for h in self.hooks:
            status = t(f"notif.wh.hook.{h.status}")
            table.add_row(clip(h.url, 50), status, key=h.id)
        if self.hooks:
            table.move_cursor(row=min(keep, len(self.hooks) - 1))
        else:
            self.query_one("#hook-secret", Static).update(t("notif.wh.none"))
        self.show_deliveries()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#hooks")
    def _highlighted(self) -> None:
        self.show_deliveries()

    def show_deliveries(self) -> None:
        table = self.query_one("#deliveries", DataTable)
        table.clear()
        hook = self.current
        for d in hook.last_deliveries if hook is not None else []:
            event = t("notif.wh.test_event") if d.event == "test" else d.event
            table.add_row(f"{d.created_at.astimezone():%d.%m %H:%M}", clip(event, 14),
                          delivery_status(d), str(d.attempts), clip(d.last_error or "", 13),
                          key=d.id)

    # --- changes ----------------------------------------------------------------------

    def action_add(self) -> None:
        org_id = self.org_id
        if org_id is None:
            return

        def answered(body: nm.WebhookIn | None) -> None:
            if body is not None:
                self.call_api(lambda api: api.notifications.create_webhook(org_id, body),
                              done=HookCreated)

        self.app.push_screen(UrlDialog(), answered)

    @on(HookCreated)
    def _created(self, message: HookCreated) -> None:
        made = message.result
        self.query_one("#hook-secret", Static).update(
            escape(t("notif.wh.secret_once", secret=made.secret)))
        self.action_reload()

    def action_test(self) -> None:
        hook, org_id = self.current, self.org_id
        if hook is None or org_id is None:
            return
        self.query_one(InfoLine).show(t("notif.wh.testing"))
        self.call_api(lambda api: api.notifications.test_webhook(org_id, hook.id),
                      done=TestSent)

    @on(TestSent)
    def _tested(self, message: TestSent) -> None:
        d = message.result
        text = t("notif.wh.tested", status=delivery_status(d))
        if d.last_error:
            text += f": {d.last_error}"
        self.query_one(InfoLine).show(text)
        self.action_reload()

    def action_enable(self) -> None:
        hook, org_id = self.current, self.org_id
        if hook is None or org_id is None:
            return
        body = nm.WebhookPatch(enabled=not hook.enabled)
        self.call_api(lambda api: api.notifications.change_webhook(org_id, hook.id, body),
                      done=HookChanged)

    def action_remove(self) -> None:
        hook, org_id = self.current, self.org_id
        if hook is None or org_id is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.notifications.delete_webhook(org_id, hook.id),
                              done=HookChanged)

        self.app.push_screen(ConfirmDialog(escape(t("notif.wh.delete_confirm",
                                                    url=hook.url))), answered)

    @on(HookChanged)
    def _changed(self, message: Any) -> None:
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)
