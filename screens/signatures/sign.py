"""Provides SignScreen: sign the document opened in the card, and see its signatures.

It shows what is signed — the summary (type, number, date, counterparty, amount) and the
SHA-256 of the document's canonical bytes — and the document's signatures with their
state (valid, or outdated after a change) and whether it counts as signed. The capacity
(director, chief accountant, signer) starts at what the server says is still needed.
The way to sign: a certificate on this device (the password asked each time, never
kept), the signing agent (``BUHTA_SIGN_AGENT``: the key stays on the user's machine) or
CryptoPro CSP where installed. Everything slow runs in workers: opening the key,
signing, the upload, the export zip and the check of a received pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from client.errors import ApiError
from client.export import default_export_dir
from client.i18n import t
from client.signing.store import CertificateStore, Stored
from core.contract import signatures as sm
from screens.signatures.common import (
    Way,
    capacity_name,
    capacity_order,
    common_name,
    day,
    local,
    sign_with,
    signed_status,
    state_name,
    store_of,
    ways,
    write_file,
)
from screens.signatures.dialogs import InputDialog, VerifyDialog
from tui.screen import BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, InfoLine
from tui.widgets.money import money
from tui.workers import Done, Failed


@dataclass(frozen=True)
class State:
    canonical: sm.CanonicalOut
    status: sm.SignatureStatus
    certs: list[Stored]


class StateLoaded(Done[State]):
    """The document's bytes, its signatures and the certificates on this device."""


class Signed(Done[sm.SignatureOut]):
    """A signature was made and accepted by the server."""


class SignFailed(Failed):
    """The password, the certificate, the agent or the server refused."""


class ZipSaved(Done[Path]):
    """The document with its signatures was written to a file."""


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")


def zip_path(text: str, suggested: Path) -> Path:
    """Where the user said to save: a bare name goes to the export folder, a folder gets
    the suggested name, ``.zip`` is added when missing."""
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = suggested.parent / path
    if path.is_dir() or text.endswith(("/", "\\")):
        return path / suggested.name
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")


class SignScreen(BuhtaScreen):
    CSS_PATH = sheets("signatures")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="sign.back"),
        Binding("s,f2", "sign", "sig.key.sign", id="sign.sign"),
        Binding("c", "capacity", "sig.key.capacity", id="sign.capacity"),
        Binding("k", "way", "sig.key.way", id="sign.way"),
        Binding("e", "export", "sig.key.export", id="sign.export"),
        Binding("v", "verify", "sig.key.verify", id="sign.verify"),
        Binding("z", "certificates", "sig.key.certificates", id="sign.certificates"),
        Binding("f5", "reload", "sig.key.reload", id="sign.reload", show=False),
    ]

    def __init__(self, document_id: str, store: CertificateStore | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self._store = store
        self.state: State | None = None
        self.capacity = "signer"
        self.ways: list[Way] = []
        self.way_at = 0
        self.generation = 0

    @property
    def store(self) -> CertificateStore:
        if self._store is None:
            self._store = store_of(self.buhta.options.data_dir)
        return self._store

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sign-body"):
            yield Static(t("sig.loading"), id="sign-title", classes="form-title")
            yield Static("", id="sign-summary")
            yield Static("", id="sign-status")
            yield DataTable(id="signatures", cursor_type="row", zebra_stripes=True,
                            show_cursor=False)
            yield Static("", id="sign-outdated", classes="hint")
            yield Static("", id="sign-capacity")
            yield Static("", id="sign-way")
            yield Static("", id="sign-note", classes="hint")
            yield Static("", id="sign-warning", classes="warning")
        yield InfoLine()
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = t("sig.sign.short")
        table = self.query_one(DataTable)
        table.add_column(t("sig.col.capacity"), width=16)
        table.add_column(t("sig.col.signer"), width=22)
        table.add_column(t("sig.col.when"), width=16)
        table.add_column(t("sig.col.state"), width=13)
        table.focus()
        self.action_reload()

    # --- loading -------------------------------------------------------------------

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        doc_id, store = self.document_id, self.store
        self.generation += 1

        async def load(api) -> State:
            canonical = await api.signatures.canonical(org_id, doc_id)
            status = await api.signatures.status(org_id, doc_id)
            return State(canonical, status, await local(store.list))

        self.call_api(load, done=StateLoaded, guard=lambda: self.generation, exclusive=True)

    @on(StateLoaded)
    def _loaded(self, message: StateLoaded) -> None:
        self.show_state(message.result)

    def show_state(self, state: State) -> None:
        self.state = state
        s, status = state.canonical.summary, state.status
        self.query_one("#sign-title", Static).update(
            t("sig.sign.title", organisation=s.organisation))
        self.query_one("#sign-summary", Static).update("\n".join([
            s.title,
            t("sig.sign.party", counterparty=s.counterparty or "—",
              amount=money(Decimal(s.amount))),
            t("sig.sign.hash", sha=state.canonical.sha256)]))
        status_line = self.query_one("#sign-status", Static)
        status_line.update(signed_status(status) if status.signed or status.missing
                           else t("sig.status.not_signed"))
        status_line.set_class(status.signed, "-signed")
        table = self.query_one(DataTable)
        table.clear()
        for sig in status.signatures:
            table.add_row(capacity_name(sig.capacity), common_name(sig.certificate.subject)[:22],
                          _when(sig.signed_at), state_name(sig.state), key=sig.id)
        table.display = bool(status.signatures)
        self.query_one("#sign-outdated", Static).update(
            t("sig.outdated_hint") if any(x.state == "outdated" for x in status.signatures)
            else "")
        if status.missing and self.capacity not in status.missing:
            self.capacity = status.missing[0]  # what is still needed comes first
        current = self.way()
        self.ways = ways(state.certs)
        self.way_at = next((n for n, w in enumerate(self.ways) if w == current), 0)
        self.show_choice()
        self.refresh_bindings()

    def way(self) -> Way | None:
        return self.ways[self.way_at] if 0 <= self.way_at < len(self.ways) else None

    def show_choice(self) -> None:
        self.query_one("#sign-capacity", Static).update(
            t("sig.sign.capacity", capacity=capacity_name(self.capacity)))
        way = self.way()
        self.query_one("#sign-way", Static).update(
            t("sig.sign.way", way=way.label) if way else t("sig.sign.no_way"))
        self.query_one("#sign-note", Static).update(way.note if way else t("sig.kind.none"))
        self.query_one("#sign-warning", Static).update(way.warning if way else "")

    # --- choosing ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sign", "capacity", "export") and self.state is None:
            return None
        if action == "way":
            return True if len(self.ways) > 1 else None
        return True

    def action_capacity(self) -> None:
        if self.state is None:
            return
        order = capacity_order(self.state.status)
        self.capacity = order[(order.index(self.capacity) + 1) % len(order)] \
            if self.capacity in order else order[0]
        self.show_choice()

    def action_way(self) -> None:
        if self.ways:
            self.way_at = (self.way_at + 1) % len(self.ways)
            self.show_choice()

    # --- signing -------------------------------------------------------------------

    def action_sign(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.state is None or self.busy:
            return
        way = self.way()
        if way is None:
            self.show_error(t("sig.sign.no_way"))
            return
        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show("")
        if way.kind == "agent":
            self.query_one(InfoLine).show(t("sig.sign.agent_wait"))
            self.start_sign(org_id, way, None)
            return
        if way.kind == "cryptopro":
            first = next((w.stored for w in self.ways if w.stored is not None), None)
            dialog = InputDialog(t("sig.cryptopro.title"), t("sig.cryptopro.thumbprint"),
                                 first.info.thumbprint if first else "",
                                 hint=t("sig.cryptopro.hint"), required=True)
        else:
            assert way.stored is not None
            info = way.stored.info
            if not info.may_sign:
                self.show_error(t("signing.cannot_sign"))
                return
            if info.expired():
                self.show_error(t("signing.expired", day=day(info.not_after)))
                return
            dialog = InputDialog(
                t("sig.password.title", title=self.state.canonical.summary.title),
                t("sig.password.label", owner=info.owner), hint=t("sig.password.hint"),
                password=True)

        def answered(secret: str | None) -> None:
            if secret is not None:
                self.start_sign(org_id, way, secret)

        self.app.push_screen(dialog, answered)

    def start_sign(self, org_id: str, way: Way, secret: str | None) -> None:
        doc_id, capacity, store = self.document_id, self.capacity, self.store
        self.call_api(lambda api: sign_with(api, org_id, doc_id, way, capacity=capacity,
                                            secret=secret, store=store),
                      done=Signed, failed=SignFailed)

    @on(Signed)
    def _signed(self, message: Signed) -> None:
        sig = message.result
        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show(t("sig.sign.done", capacity=capacity_name(sig.capacity),
                                        signer=common_name(sig.certificate.subject)))
        self.action_reload()

    @on(SignFailed)
    def _refused(self, message: SignFailed) -> None:
        self.query_one(InfoLine).show("")
        self.show_error(t("sig.sign.refused", reason=message.error.detail))
        if message.error.code == "signature.document_changed":
            self.action_reload()

    # --- export and a received pair ------------------------------------------------

    def action_export(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None or self.state is None:
            return
        s = self.state.canonical.summary
        name = f"{s.doc_type}-{s.number}-{s.date.isoformat()}-signed.zip"  # as the server's
        suggested = default_export_dir() / name
        doc_id = self.document_id

        def answered(text: str | None) -> None:
            if not text:
                return
            path = zip_path(text, suggested)

            async def save(api) -> Path:
                data = await api.signatures.export_zip(org_id, doc_id)
                return await local(write_file, path, data)

            self.call_api(save, done=ZipSaved)

        self.app.push_screen(InputDialog(t("sig.export.title"), t("sig.export.path"),
                                         str(suggested), hint=t("sig.export.hint"),
                                         required=True), answered)

    @on(ZipSaved)
    def _zip_saved(self, message: ZipSaved) -> None:
        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show(t("sig.export.saved", path=str(message.result)))

    def action_verify(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is not None:
            self.app.push_screen(VerifyDialog(org_id))

    def action_certificates(self) -> None:
        from screens.signatures.certificates import CertificatesScreen

        self.app.push_screen(CertificatesScreen(self.store), lambda _: self.action_reload())

    def show_refusal(self, error: ApiError) -> None:
        self.query_one(InfoLine).show("")
        super().show_refusal(error)

    def action_back(self) -> None:
        self.dismiss(self.state.status if self.state else None)
