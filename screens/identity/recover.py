"""Provides password recovery: RecoverScreen (e-mail) and ResetPasswordScreen (code, password)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Static

from client.i18n import t
from core.validation import (
    InvalidInput,
    check_password_shape,
    normalize_email,
    normalize_token,
)
from tui.errors import Refused
from tui.screen import FormScreen
from tui.widgets.form import FormRow
from tui.workers import Done, Failed


class ResetRequested(Done[object]):
    """The reset code is sent (if the address is known)."""


class PasswordReset(Done[object]):
    """The new password is set."""


class ResetRefused(Failed):
    """The server refused the code or the new password."""


class RecoverScreen(FormScreen):
    BINDINGS = [
        Binding("escape", "back", "app.back", id="recover.back"),
        Binding("f5", "have_code", "recover.have_code", id="recover.have_code"),
    ]

    def __init__(self, *, email: str = "") -> None:
        super().__init__()
        self.email = email

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="auth-form"):
            yield Static(t("recover.title"), classes="form-title")
            yield Static(t("recover.intro"), classes="hint")
            yield FormRow(t("login.email"), Input(self.email, id="email", compact=True))
            yield from self.form_end(
                Button(
                    t("recover.submit"), id="submit", variant="primary", compact=True,
                    disabled=True,
                ),
                Button(t("recover.have_code"), id="have-code", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self._check(self.email)

    def _valid_email(self, value: str) -> str | None:
        try:
            return normalize_email(value)
        except InvalidInput:
            return None

    def _check(self, value: str) -> None:
        self.query_one("#submit", Button).disabled = self.busy or self._valid_email(value) is None

    @on(Input.Changed, "#email")
    def _email_changed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        if self.is_mounted:
            # Enabled only for a valid address, and never twice at once.
            self._check(self.query_one("#email", Input).value)

    @on(Input.Submitted, "#email")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if not self.start():
            return
        email = self._valid_email(self.query_one("#email", Input).value)
        if email is None:
            return self.fail("email", t("validation.email"))
        self.email = email
        self.call_api(lambda api: api.auth.request_password_reset(email), done=ResetRequested)

    @on(ResetRequested)
    def _reset_requested(self, _message: ResetRequested) -> None:
        self.buhta.announce_mail()
        self.app.switch_screen(ResetPasswordScreen(email=self.email, notice=t("recover.sent")))

    @on(Button.Pressed, "#have-code")
    def action_have_code(self) -> None:
        self.app.switch_screen(ResetPasswordScreen(email=self.query_one("#email", Input).value))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()


class ResetPasswordScreen(FormScreen):
    BINDINGS = [Binding("escape", "back", "app.back", id="reset.back")]

    FIRST_FIELD = "#token"

    def __init__(self, *, email: str = "", notice: str | None = None) -> None:
        super().__init__(notice=notice)
        self.email = email

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="auth-form"):
            yield Static(t("reset.title"), classes="form-title")
            yield FormRow(
                t("reset.token"), Input(id="token", placeholder="XXXX-XXXX-XXXX", compact=True)
            )
            yield FormRow(t("reset.password"), Input(id="password", password=True, compact=True))
            yield FormRow(
                t("reset.password2"), Input(id="password2", password=True, compact=True)
            )
            yield Static(t("register.password_hint"), classes="hint")
            yield from self.form_end(
                Button(t("reset.submit"), id="submit", variant="primary", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        if event.input.id == "password2":
            self.submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if not self.start():
            return
        try:
            token = self.checked("token", normalize_token)
            password = self.checked("password", check_password_shape, self.email or None)
        except Refused:
            return
        if self.query_one("#password2", Input).value != password:
            return self.fail("password2", t("validation.passwords_differ"))
        self.call_api(lambda api: api.auth.reset_password(token, password),
                      done=PasswordReset, failed=ResetRefused)

    @on(ResetRefused)
    def _reset_refused(self, message: ResetRefused) -> None:
        """Put the cursor on the field the server refused."""
        error = message.error
        if self.password_refused(error):
            return
        if error.code.startswith("auth.token"):
            self.fail("token", error.detail)
            return
        self.show_refusal(error)

    @on(PasswordReset)
    def _password_reset(self, _message: PasswordReset) -> None:
        self.buhta.in_app_worker(
            self.buhta.back_to_login(email=self.email, notice=t("reset.done"))
        )

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
