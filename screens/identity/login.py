"""Provides LoginScreen: e-mail, password, "remember me on this device", sign in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Static

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput, normalize_email
from tui.errors import invalid_text
from tui.screen import FormScreen
from tui.widgets.form import ErrorLine, FormRow, InfoLine, TickBox
from tui.widgets.limits import max_length
from tui.workers import Done, Failed


class SignedIn(Done[object]):
    """The server let the user in (the result is the user)."""


class SignInRefused(Failed):
    """The server refused the sign-in."""


class LoginScreen(FormScreen):
    BINDINGS = [
        Binding("f2", "register", "login.register", id="login.register"),
        Binding("f3", "forgot", "login.forgot", id="login.forgot"),
        Binding("f4", "confirm", "login.confirm", id="login.confirm"),
    ]

    def __init__(
        self, *, email: str | None = None, error: str | None = None, notice: str | None = None
    ) -> None:
        super().__init__(notice=notice, error=error)
        self.initial_email = email or ""
        self.pending_email = ""
        if email:
            self.FIRST_FIELD = "#password"

    def compose(self) -> ComposeResult:
        # No Header here: the first frame is drawn as fast as it can be (start-up).
        with Vertical(classes="auth-form"):
            yield Static(t("login.title"), classes="form-title")
            yield FormRow(
                t("login.email"),
                Input(self.initial_email, id="email", placeholder="ivan@example.ru", compact=True,
                      max_length=max_length(m.LoginRequest, "email")),
            )
            yield FormRow(t("login.password"), Input(id="password", password=True, compact=True))
            yield TickBox(t("login.remember"), False, id="remember", compact=True)
            yield Static(t("login.remember_hint"), classes="hint")
            yield from self.form_end(
                Button(t("login.submit"), id="submit", variant="primary", compact=True),
                Button(t("login.forgot"), id="forgot", compact=True),
                Button(t("login.register"), id="register", compact=True),
            )
        yield Footer(compact=True)

    @on(Input.Submitted, "#email")
    def _email_entered(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        """Enter in a field, on the box or the button signs in."""
        if not self.start():
            return
        self.query_one(InfoLine).show("")
        password = self.query_one("#password", Input).value
        try:
            email = normalize_email(self.query_one("#email", Input).value)
        except InvalidInput as exc:
            return self.fail("email", invalid_text(exc))
        if not password:
            return self.fail("password", f"{t('validation.required')}: {t('login.password')}")
        remember = self.query_one("#remember", TickBox).value
        self.pending_email = email
        self.call_api(lambda api: api.auth.login(email, password, remember=remember),
                      done=SignedIn, failed=SignInRefused)

    def key_enter(self) -> None:
        if isinstance(self.focused, TickBox):
            self.submit()

    def prefill(self, *, email: str | None = None, notice: str | None = None) -> None:
        """Shown again after registration, confirmation or a reset: fill in what we know."""
        self.query_one(ErrorLine).clear()
        self.query_one(InfoLine).show(notice or "")
        if email:
            self.query_one("#email", Input).value = email
            self.query_one("#password", Input).focus()

    @on(SignedIn)
    def _signed_in(self, _message: SignedIn) -> None:
        self.buhta.in_app_worker(self.buhta.enter_shell())

    @on(SignInRefused)
    def _sign_in_refused(self, message: SignInRefused) -> None:
        error = message.error
        self.query_one("#password", Input).value = ""
        self.query_one("#password", Input).focus()
        if error.code == "auth.email_not_confirmed":
            from screens.identity.confirm import ConfirmEmailScreen

            self.app.push_screen(ConfirmEmailScreen(email=self.pending_email))
            self.app.notify(error.detail, severity="warning", timeout=8)
            return
        self.show_refusal(error)

    @on(Button.Pressed, "#forgot")
    def action_forgot(self) -> None:
        from screens.identity.recover import RecoverScreen

        self.app.push_screen(RecoverScreen(email=self.query_one("#email", Input).value))

    @on(Button.Pressed, "#register")
    def action_register(self) -> None:
        from screens.identity.register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    def action_confirm(self) -> None:
        from screens.identity.confirm import ConfirmEmailScreen

        self.app.push_screen(ConfirmEmailScreen(email=self.query_one("#email", Input).value))
