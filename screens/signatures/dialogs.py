"""Provides the signing dialogs: one field (the password, CryptoPro's thumbprint, where to
save the zip), importing a PKCS#12, and checking a received document + ``.sig`` pair."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from client.i18n import t
from client.signing.store import CertificateStore, Stored
from core.contract import signatures as sm
from screens.signatures.common import common_name, day, local, read_pair
from tui.screen import BuhtaModal
from tui.styles import sheets
from tui.widgets.form import ErrorLine, InfoLine
from tui.workers import Done, Failed


class InputDialog(BuhtaModal):
    """One field: Enter gives its text, Esc gives None. A password is not echoed."""

    CSS_PATH = sheets("signatures")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="sig_input.cancel")]

    def __init__(self, title: str, label: str, value: str = "", *, hint: str = "",
                 password: bool = False, required: bool = False) -> None:
        super().__init__()
        self.title_text, self.label, self.value = title, label, value
        self.hint, self.password, self.required = hint, password, required

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="form-title")
            yield Static(self.label, classes="field-label")
            yield Input(self.value, id="value", password=self.password, compact=True)
            if self.hint:
                yield Static(self.hint, classes="hint")
            yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    @on(Input.Submitted)
    def _ok(self) -> None:
        box = self.query_one("#value", Input)
        text = box.value if self.password else box.value.strip()
        box.value = ""  # a password is handed on, never left in the field
        if self.required and not text:
            self.query_one(ErrorLine).show(t("sig.required", field=self.label))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.query_one("#value", Input).value = ""
        self.dismiss(None)


class Imported(Done[Stored]):
    """A PKCS#12 was imported (or pointed at)."""


class ImportFailed(Failed):
    """The file or the password was refused."""


class ImportDialog(BuhtaModal):
    """The path of a ``.p12``/``.pfx`` and its password; ``copy=False`` only points at
    the file. The password opens the file once, here, and is dropped."""

    CSS_PATH = sheets("signatures")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="sig_import.cancel")]

    def __init__(self, store: CertificateStore, *, copy: bool = True) -> None:
        super().__init__()
        self.store, self.copy = store, copy

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("sig.import.title" if self.copy else "sig.import.title_ref"),
                         classes="form-title")
            yield Static(t("sig.import.path"), classes="field-label")
            yield Input(id="path", placeholder="~/ivanov.p12", compact=True)
            yield Static(t("sig.import.password"), classes="field-label")
            yield Input(id="password", password=True, compact=True)
            yield Static(t("sig.import.hint" if self.copy else "sig.import.hint_ref"),
                         classes="hint")
            yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    def _import(self) -> None:
        if self.busy:
            return
        text = self.query_one("#path", Input).value.strip()
        box = self.query_one("#password", Input)
        if not text:
            self.query_one(ErrorLine).show(t("sig.required", field=t("sig.import.path")))
            self.query_one("#path", Input).focus()
            return
        password, box.value = box.value, ""
        path, store, copy = Path(text).expanduser(), self.store, self.copy
        self.query_one(ErrorLine).clear()
        self.call_api(lambda api: local(store.import_file, path, password or None, copy=copy),
                      done=Imported, failed=ImportFailed)

    @on(Imported)
    def _done(self, message: Imported) -> None:
        self.dismiss(message.result)

    @on(ImportFailed)
    def _refused(self, message: ImportFailed) -> None:
        self.query_one(ErrorLine).show(message.error.detail)
        field = "#password" if message.error.code == "signing.wrong_password" else "#path"
        self.query_one(field, Input).focus()

    def action_cancel(self) -> None:
        self.query_one("#password", Input).value = ""
        self.dismiss(None)


class Verified(Done[sm.VerifyOut]):
    """The server's answer about a received pair."""


class VerifyDialog(BuhtaModal):
    """A received document and its detached signature, from two files; the server checks
    them against the organisation's trust (nothing is stored)."""

    CSS_PATH = sheets("signatures")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="sig_verify.cancel")]

    def __init__(self, org_id: str) -> None:
        super().__init__()
        self.org_id = org_id
        self.answer: sm.VerifyOut | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("sig.verify.title"), classes="form-title")
            yield Static(t("sig.verify.document"), classes="field-label")
            yield Input(id="document", placeholder="~/document.json", compact=True)
            yield Static(t("sig.verify.signature"), classes="field-label")
            yield Input(id="signature", placeholder="~/document.json.sig", compact=True)
            yield Static(t("sig.verify.hint"), classes="hint")
            yield InfoLine()
            yield ErrorLine()

    def on_mount(self) -> None:
        self.query_one("#document", Input).focus()

    @on(Input.Submitted, "#document")
    def _to_signature(self) -> None:
        box = self.query_one("#signature", Input)
        if not box.value.strip():
            box.value = self.query_one("#document", Input).value.strip() + ".sig"
        box.focus()

    @on(Input.Submitted, "#signature")
    def _verify(self) -> None:
        if self.busy:
            return
        for field, label in (("document", "sig.verify.document"),
                             ("signature", "sig.verify.signature")):
            if not self.query_one(f"#{field}", Input).value.strip():
                self.query_one(InfoLine).show("")
                self.query_one(ErrorLine).show(t("sig.required", field=t(label)))
                self.query_one(f"#{field}", Input).focus()
                return
        doc = Path(self.query_one("#document", Input).value.strip()).expanduser()
        sig = Path(self.query_one("#signature", Input).value.strip()).expanduser()
        org_id = self.org_id

        async def check(api) -> sm.VerifyOut:
            content, signature = await local(read_pair, doc, sig)
            return await api.signatures.verify(org_id, content, signature)

        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show(t("sig.verify.checking"))
        self.call_api(check, done=Verified)

    @on(Verified)
    def _answer(self, message: Verified) -> None:
        out = self.answer = message.result
        info, error = self.query_one(InfoLine), self.query_one(ErrorLine)
        if out.valid and out.certificate is not None:
            c = out.certificate
            error.clear()
            info.show(t("sig.verify.valid", signer=common_name(c.subject), serial=c.serial,
                        end=day(c.not_after), sha=out.sha256[:16]))
        else:
            info.show("")
            error.show(t("sig.verify.invalid", reason=out.reason or out.code or "—"))

    def show_refusal(self, error) -> None:
        self.query_one(InfoLine).show("")
        super().show_refusal(error)

    def action_cancel(self) -> None:
        self.dismiss(self.answer)
