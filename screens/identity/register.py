"""Provides RegisterScreen: e-mail, mobile phone with an SMS code, password twice."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Static

from client.i18n import t
from core import contract as m
from core.validation import (
    check_password_shape,
    check_sms_code,
    format_phone,
    normalize_email,
    normalize_phone,
)
from tui.errors import Refused
from tui.screen import FormScreen
from tui.widgets.form import FormRow, InfoLine
from tui.widgets.limits import max_length
from tui.workers import Done, Failed


class CodeSent(Done[object]):
    """The SMS code is on its way."""


class Registered(Done[object]):
    """The account exists; the confirmation e-mail is sent."""


class RegisterRefused(Failed):
    """The server refused the registration."""


class RegisterScreen(FormScreen):
    BINDINGS = [
        Binding("escape", "back", "app.back", id="register.back"),
        Binding("f5", "send_code", "register.send_code", id="register.send_code"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="auth-form"):
            yield Static(t("register.title"), classes="form-title")
            yield FormRow(
                t("login.email"), Input(id="email", placeholder="ivan@example.ru", compact=True,
                                        max_length=max_length(m.RegisterRequest, "email"))
            )
            yield FormRow(
                t("register.phone"),
                Input(id="phone", placeholder=t("register.phone_placeholder"), compact=True,
                      max_length=max_length(m.RegisterRequest, "phone")),
                Button(t("register.send_code"), id="send-code", compact=True),
            )
            yield FormRow(
                t("register.code"),
                Input(id="code", placeholder="123456", max_length=6, restrict=r"[0-9]*",
                      compact=True),
            )
            yield FormRow(t("login.password"), Input(id="password", password=True, compact=True))
            yield FormRow(
                t("register.password2"), Input(id="password2", password=True, compact=True)
            )
            yield Static(t("register.password_hint"), classes="hint")
            yield from self.form_end(
                Button(t("register.submit"), id="submit", variant="primary", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        if self.is_mounted:
            self.query_one("#send-code", Button).disabled = busy

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "phone":
            self.action_send_code()
        elif event.input.id == "password2":
            self.submit()
        else:
            self.focus_next()

    @on(Button.Pressed, "#send-code")
    def action_send_code(self) -> None:
        if not self.start():
            return
        try:
            phone = self.checked("phone", normalize_phone)
        except Refused:
            return
        self.query_one("#phone", Input).value = format_phone(phone)
        self.sent_to = phone
        self.call_api(lambda api: api.auth.send_sms_code(phone), done=CodeSent)

    @on(CodeSent)
    def _code_sent(self, _message: CodeSent) -> None:
        self.query_one(InfoLine).show(t("register.code_sent", phone=format_phone(self.sent_to)))
        self.query_one("#code", Input).focus()
        self.buhta.announce_mail()

    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if not self.start():
            return
        try:
            email = self.checked("email", normalize_email)
            phone = self.checked("phone", normalize_phone)
            code = self.checked("code", check_sms_code)
            password = self.checked("password", check_password_shape, email)
        except Refused:
            return
        if self.query_one("#password2", Input).value != password:
            return self.fail("password2", t("validation.passwords_differ"))
        self.email = email
        self.call_api(lambda api: api.auth.register(email, phone, password, code),
                      done=Registered, failed=RegisterRefused)

    @on(RegisterRefused)
    def _register_refused(self, message: RegisterRefused) -> None:
        """Put the cursor on the field the server refused."""
        error = message.error
        if self.password_refused(error):
            return
        if error.code.startswith("auth.sms_code"):
            self.query_one("#code", Input).value = ""
            self.fail("code", error.detail)
            return
        self.show_refusal(error)

    @on(Registered)
    def _registered(self, _message: Registered) -> None:
        from screens.identity.confirm import ConfirmEmailScreen

        self.app.clear_notifications()  # the SMS code is spent
        self.buhta.announce_mail()
        self.app.switch_screen(
            ConfirmEmailScreen(email=self.email, notice=t("register.done", email=self.email))
        )

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
