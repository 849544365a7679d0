"""Provides DevicesScreen: the user's signed-in devices, with revoke."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine
from tui.workers import Done


def _when(value: Any) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M")


class DevicesLoaded(Done[list[Any]]):
    """The devices signed in to the account."""


class DeviceRevoked(Done[Any]):
    """A device was signed out."""


class DevicesScreen(BuhtaScreen):
    CSS_PATH = sheets("devices")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="devices.back"),
        Binding("delete,r", "revoke", "devices.revoke", id="devices.revoke"),
        Binding("f5", "reload", "devices.refresh", id="devices.refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.devices: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("devices.title"), classes="form-title")
        yield DataTable(id="devices", cursor_type="row", zebra_stripes=True)
        yield Static("", id="devices-empty", classes="hint")
        yield ErrorLine(id="error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        org = self.buhta.org
        self.sub_title = f"{org.short_name} · {t('shell.devices')}" if org else t("shell.devices")
        table = self.query_one(DataTable)
        table.add_columns(
            t("devices.name"), t("devices.last_seen"), t("devices.remembered"), ""
        )
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.call_api(lambda api: api.auth.devices(), exclusive=True, done=DevicesLoaded)

    @on(DevicesLoaded)
    def _got_devices(self, message: DevicesLoaded) -> None:
        devices = message.result
        self.devices = devices
        table = self.query_one(DataTable)
        table.clear()
        for device in devices:
            table.add_row(
                device.name,
                _when(device.last_seen_at),
                t("common.yes") if device.remembered else t("common.no"),
                t("devices.current") if device.current else "",
                key=device.id,
            )
        self.query_one("#devices-empty", Static).update("" if devices else t("devices.empty"))

    def action_revoke(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        table = self.query_one(DataTable)
        if not self.devices or table.cursor_row is None:
            return
        device = self.devices[table.cursor_row]

        def answered(yes: bool | None) -> None:
            if yes:
                self.revoking = device
                self.call_api(lambda api: api.auth.revoke_device(device.id), done=DeviceRevoked)

        self.app.push_screen(ConfirmDialog(t("devices.revoke_confirm", name=device.name)), answered)

    @on(DeviceRevoked)
    def _got_revoke(self, message: DeviceRevoked) -> None:
        self.app.notify(t("devices.revoked", name=self.revoking.name))
        if self.revoking.current:
            notice = t("devices.revoked", name=self.revoking.name)
            self.buhta.in_app_worker(self.buhta.leave_shell(notice=notice))
            return
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss()
