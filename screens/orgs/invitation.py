"""Provides AcceptInvitationScreen: joining an organisation with an invitation code."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Static,
)

from client.i18n import t
from core import contract as m
from core.validation import normalize_token
from screens.orgs.labels import role_name
from tui.errors import Refused
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.form import FormRow
from tui.workers import Done


class InvitationAccepted(Done[m.Joined]):
    """The invitation is accepted: the user is a member now."""


class AcceptInvitationScreen(FormScreen):
    CSS_PATH = sheets("orgs")
    FIRST_FIELD = "#token"
    BINDINGS = [Binding("escape", "back", "app.back", id="accept.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="auth-form"):
            yield Static(t("orgs.accept_title"), classes="form-title")
            yield Static(t("orgs.accept_intro"), classes="hint")
            yield FormRow(t("orgs.accept_code"),
                          Input(id="token", placeholder="XXXX-XXXX-XXXX", compact=True))
            yield from self.form_end(
                Button(t("orgs.accept"), id="submit", variant="primary", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#submit")
    def submit(self) -> None:
        if not self.start():
            return
        try:
            token = self.checked("token", normalize_token)
        except Refused:
            return
        self.call_api(lambda api: api.orgs.accept_invitation(token), done=InvitationAccepted)

    @on(InvitationAccepted)
    def _joined(self, message: InvitationAccepted) -> None:
        joined = message.result
        self.app.notify(t("orgs.joined", role=role_name(joined.role)))
        self.buhta.switch_to(joined.org_id)
        self.dismiss()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()
