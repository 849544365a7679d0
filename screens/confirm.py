"""Provides ConfirmEmailScreen: the code from the confirmation e-mail."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Static

from client.i18n import t
from client.validation import InvalidInput, normalize_email, normalize_token
from screens.base import BuhtaScreen, invalid_text
from tui.widgets.form import ErrorLine, FormRow, InfoLine


class ConfirmEmailScreen(BuhtaScreen):
    BINDINGS = [
        Binding("escape", "back", "app.back", id="confirm.back"),
        Binding("f5", "resend", "confirm.resend", id="confirm.resend"),
    ]

    def __init__(self, *, email: str | None = None, notice: str | None = None) -> None:
        super().__init__()
        self.email = email or ""
        self.notice = notice

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="auth-form"):
            yield Static(t("confirm.title"), classes="form-title")
            yield Static(
                t("confirm.intro", email=self.email) if self.email
                else t("confirm.intro_generic"),
                classes="hint",
            )
            yield FormRow(t("login.email"), Input(self.email, id="email", compact=True))
            yield FormRow(
                t("confirm.token"), Input(id="token", placeholder="XXXX-XXXX-XXXX", compact=True)
            )
            yield ErrorLine(id="error")
            yield InfoLine(id="notice")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.submit"), id="submit", variant="primary", compact=True)
                yield Button(t("confirm.resend"), id="resend", compact=True)
                yield Button(t("app.back"), id="back", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.notice:
            self.query_one(InfoLine).show(self.notice)
        self.query_one("#token" if self.email else "#email", Input).focus()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            self.query_one("#submit", Button).disabled = busy

    @on(Input.Submitted, "#email")
    def _email_done(self) -> None:
        self.query_one("#token", Input).focus()

    @on(Input.Submitted, "#token")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if self.busy:
            return
        self.query_one(ErrorLine).clear()
        try:
            token = normalize_token(self.query_one("#token", Input).value)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            self.query_one("#token", Input).focus()
            return
        self.call_api("confirm", lambda api: api.confirm_email(token))

    def on_confirm_done(self, _result: object) -> None:
        email = self.query_one("#email", Input).value.strip()
        self.buhta.in_app_worker(self.buhta.back_to_login(email=email, notice=t("confirm.done")))

    @on(Button.Pressed, "#resend")
    def action_resend(self) -> None:
        if self.busy:
            return
        self.query_one(ErrorLine).clear()
        try:
            email = normalize_email(self.query_one("#email", Input).value)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            self.query_one("#email", Input).focus()
            return
        self.call_api("resend", lambda api: api.resend_confirmation(email))

    def on_resend_done(self, _result: object) -> None:
        self.query_one(InfoLine).show(t("confirm.resent"))
        self.buhta.announce_mail()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
