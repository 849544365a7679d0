"""Provides ConfirmEmailScreen: the code from the confirmation e-mail."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Static

from client.i18n import t
from core.validation import normalize_email, normalize_token
from tui.errors import Refused
from tui.screen import FormScreen
from tui.widgets.form import FormRow, InfoLine
from tui.workers import Done


class EmailConfirmed(Done[object]):
    """The address is confirmed."""


class ConfirmationResent(Done[object]):
    """A new confirmation e-mail is sent."""


class ConfirmEmailScreen(FormScreen):
    BINDINGS = [
        Binding("escape", "back", "app.back", id="confirm.back"),
        Binding("f5", "resend", "confirm.resend", id="confirm.resend"),
    ]

    def __init__(self, *, email: str | None = None, notice: str | None = None) -> None:
        super().__init__(notice=notice)
        self.email = email or ""
        self.FIRST_FIELD = "#token" if self.email else "#email"

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
            yield from self.form_end(
                Button(t("confirm.submit"), id="submit", variant="primary", compact=True),
                Button(t("confirm.resend"), id="resend", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    @on(Input.Submitted, "#email")
    def _email_entered(self) -> None:
        self.query_one("#token", Input).focus()

    @on(Input.Submitted, "#token")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if not self.start():
            return
        try:
            token = self.checked("token", normalize_token)
        except Refused:
            return
        self.call_api(lambda api: api.auth.confirm_email(token), done=EmailConfirmed)

    @on(EmailConfirmed)
    def _confirmed(self, _message: EmailConfirmed) -> None:
        email = self.query_one("#email", Input).value.strip()
        self.buhta.in_app_worker(self.buhta.back_to_login(email=email, notice=t("confirm.done")))

    @on(Button.Pressed, "#resend")
    def action_resend(self) -> None:
        if not self.start():
            return
        try:
            email = self.checked("email", normalize_email)
        except Refused:
            return
        self.call_api(lambda api: api.auth.resend_confirmation(email), done=ConfirmationResent)

    @on(ConfirmationResent)
    def _resent(self, _message: ConfirmationResent) -> None:
        self.query_one(InfoLine).show(t("confirm.resent"))
        self.buhta.announce_mail()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
