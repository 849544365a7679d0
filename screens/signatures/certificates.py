"""Provides CertificatesScreen: the certificates with their keys on this device.

Import a ``.p12``/``.pfx`` (copied into the data folder, still encrypted, 0600) or point
at one where it lies, see owner, issuer, serial, validity and key usage with the warning
30 days before the end, remove one. Nothing here talks to the server: the key and the
password never leave the device. The screen says what kind of signature each makes.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from client.i18n import t
from client.signing.store import CertificateStore, Stored
from screens.signatures.common import cert_details, cert_warning, day, local, store_of
from screens.signatures.dialogs import ImportDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import Done


class CertsLoaded(Done[list[Stored]]):
    """The certificates in the device's store."""


@dataclass(eq=False)
class CertsReloaded(Done[list[Stored]]):
    """The list again after an import, with the new certificate to highlight."""

    select: str = ""


class CertRemoved(Done[Stored]):
    """A certificate was removed from the device."""


def expiry_mark(stored: Stored) -> str:
    info = stored.info
    if info.expired():
        return t("sig.mark.expired")
    if info.expires_soon():
        return t("sig.mark.soon", days=max(info.days_left(), 0))
    return ""


class CertificatesScreen(BuhtaScreen):
    CSS_PATH = sheets("signatures")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="certs.back"),
        Binding("i,insert", "import_file", "sig.key.import", id="certs.import"),
        Binding("f", "reference", "sig.key.reference", id="certs.reference"),
        Binding("delete,r", "remove", "sig.key.remove", id="certs.remove"),
        Binding("f5", "reload", "sig.key.reload", id="certs.reload", show=False),
    ]

    def __init__(self, store: CertificateStore | None = None) -> None:
        super().__init__()
        self._store = store
        self.certs: list[Stored] = []

    @property
    def store(self) -> CertificateStore:
        if self._store is None:
            self._store = store_of(self.buhta.options.data_dir)
        return self._store

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("sig.certs.title"), classes="form-title")
        yield Static(t("sig.certs.qualified"), id="certs-qualified", classes="hint")
        yield DataTable(id="certs", cursor_type="row", zebra_stripes=True)
        yield Static("", id="certs-empty", classes="hint")
        yield Static("", id="cert-detail")
        yield Static("", id="cert-warning", classes="warning")
        yield InfoLine()
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("sig.certs.short")
        table = self.query_one(DataTable)
        table.add_column(t("sig.col.owner"), width=28)
        table.add_column(t("sig.col.issuer"), width=20)
        table.add_column(t("sig.col.until"), width=10)
        table.add_column(t("sig.col.mark"), width=12)
        table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        store = self.store
        self.call_api(lambda api: local(store.list), done=CertsLoaded, exclusive=True)

    @on(CertsLoaded)
    def _loaded(self, message: CertsLoaded) -> None:
        self.show_certs(message.result)

    def show_certs(self, certs: list[Stored], select: str | None = None) -> None:
        self.certs = certs
        table = self.query_one(DataTable)
        table.clear()
        for s in certs:
            table.add_row(s.info.owner[:28], s.info.issuer[:20], day(s.info.not_after),
                          expiry_mark(s), key=s.info.thumbprint)
        self.query_one("#certs-empty", Static).update("" if certs else t("sig.certs.empty"))
        if select is not None:
            for row, s in enumerate(certs):
                if s.info.thumbprint == select:
                    table.move_cursor(row=row)
        self.show_detail()
        self.refresh_bindings()

    def current(self) -> Stored | None:
        table = self.query_one(DataTable)
        if not self.certs or table.cursor_row is None:
            return None
        return self.certs[min(table.cursor_row, len(self.certs) - 1)]

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        s = self.current()
        self.query_one("#cert-detail", Static).update("\n".join(cert_details(s)) if s else "")
        self.query_one("#cert-warning", Static).update(cert_warning(s.info) if s else "")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            return True if self.certs else None
        return True

    def _import(self, copy: bool) -> None:
        def answered(stored: Stored | None) -> None:
            if stored is None:
                return
            self.query_one(ErrorLine).clear()
            kind = "sig.imported" if stored.copied else "sig.referenced_ok"
            self.query_one(InfoLine).show(t(kind, owner=stored.info.owner))
            store, thumb = self.store, stored.info.thumbprint
            self.call_api(lambda api: local(store.list),
                          done=lambda certs: CertsReloaded(certs, thumb))

        self.app.push_screen(ImportDialog(self.store, copy=copy), answered)

    def action_import_file(self) -> None:
        self._import(True)

    def action_reference(self) -> None:
        self._import(False)

    @on(CertsReloaded)
    def _reloaded(self, message: CertsReloaded) -> None:
        self.show_certs(message.result, select=message.select)

    def action_remove(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        s = self.current()
        if s is None:
            return
        question = t("sig.remove_confirm" if s.copied else "sig.remove_confirm_ref",
                     owner=s.info.owner, path=str(s.source))
        store = self.store

        def answered(yes: bool | None) -> None:
            if yes:
                async def remove(api) -> Stored:
                    await local(store.remove, s.info.thumbprint)
                    return s

                self.call_api(remove, done=CertRemoved)

        self.app.push_screen(ConfirmDialog(question), answered)

    @on(CertRemoved)
    def _removed(self, message: CertRemoved) -> None:
        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show(t("sig.removed", owner=message.result.info.owner))
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)
