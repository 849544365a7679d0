"""Provides TeamScreen: members and pending invitations, with the invite and role dialogs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from client.i18n import t
from core import contract as m
from core.validation import InvalidInput, normalize_email
from screens.orgs.labels import ROLES, role_name, when_text
from tui.errors import invalid_text
from tui.screen import BuhtaModal, BuhtaScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, FormRow
from tui.workers import Done


class TeamLoaded(Done[m.Team]):
    """The members and pending invitations."""


class TeamChanged(Done[object]):
    """An invitation sent or revoked, a member's role or status changed, a member removed."""


class InviteDialog(BuhtaModal):
    CSS_PATH = sheets("orgs")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="invite.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("team.invite_title"), classes="form-title")
            yield FormRow(t("login.email"), Input(id="email", compact=True))
            yield FormRow(t("team.role"), Select([(role_name(r), r) for r in ROLES],
                                                 value="primary", allow_blank=False,
                                                 id="role", compact=True))
            yield ErrorLine()
            with Horizontal(classes="buttons"):
                yield Button(t("team.invite"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#email", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        try:
            email = normalize_email(self.query_one("#email", Input).value)
        except InvalidInput as exc:
            self.query_one(ErrorLine).show(invalid_text(exc))
            return
        self.dismiss((email, str(self.query_one("#role", Select).value)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class RoleDialog(BuhtaModal):
    CSS_PATH = sheets("orgs")
    BINDINGS = [Binding("escape", "cancel", "app.back", id="role.cancel")]

    def __init__(self, email: str, role: str) -> None:
        super().__init__()
        self.email = email
        self.role = role

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(t("team.role_title", email=self.email), classes="form-title")
            yield Select([(role_name(r), r) for r in ROLES], value=self.role,
                         allow_blank=False, id="role", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(t("team.apply"), id="ok", variant="primary", compact=True)
                yield Button(t("app.back"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#role", Select).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(str(self.query_one("#role", Select).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TeamScreen(BuhtaScreen):
    """Members and pending invitations of the active organisation."""

    CSS_PATH = sheets("orgs")
    BINDINGS = [
        Binding("escape", "back", "app.back", id="team.back"),
        Binding("i", "invite", "team.invite", id="team.invite"),
        Binding("r", "role", "team.change_role", id="team.role"),
        Binding("b", "block", "team.block", id="team.block"),
        Binding("delete", "remove", "team.remove", id="team.remove"),
        Binding("f5", "reload", "devices.refresh", id="team.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.team: m.Team | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("team.members"), classes="form-title")
        yield DataTable(id="members", cursor_type="row", zebra_stripes=True)
        yield Static(t("team.invitations"), classes="section")
        yield DataTable(id="invitations", cursor_type="row")
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#members", DataTable).add_columns(
            t("login.email"), t("team.role"), t("team.status"), "")
        self.query_one("#invitations", DataTable).add_columns(
            t("login.email"), t("team.role"), t("team.valid_until"))
        self.query_one("#members", DataTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        org_id = self.buhta.require_org()
        if org_id:
            self.call_api(lambda api: api.orgs.team(org_id), done=TeamLoaded, exclusive=True)

    @on(TeamLoaded)
    def _team_loaded(self, message: TeamLoaded) -> None:
        team = message.result
        self.team = team
        members = self.query_one("#members", DataTable)
        members.clear()
        for member in team.members:
            members.add_row(member.email, role_name(member.role), t(f"team.{member.status}"),
                            t("team.you") if member.you else "", key=member.user_id)
        invitations = self.query_one("#invitations", DataTable)
        invitations.clear()
        for inv in team.invitations:
            invitations.add_row(inv.email, role_name(inv.role), when_text(inv.expires_at),
                                key=inv.id)

    def _member(self) -> m.Member | None:
        table = self.query_one("#members", DataTable)
        if self.team is None or not self.team.members or not table.has_focus:
            return None
        return self.team.members[min(table.cursor_row, len(self.team.members) - 1)]

    def _org(self) -> str:
        return self.buhta.org.id if self.buhta.org else ""

    def action_invite(self) -> None:
        org_id = self._org()

        def answered(result: tuple[str, str] | None) -> None:
            if result:
                email, role = result
                self.call_api(lambda api: api.orgs.invite(org_id, email, role), done=TeamChanged)

        self.app.push_screen(InviteDialog(), answered)

    def action_role(self) -> None:
        member, org_id = self._member(), self._org()
        if member is None:
            return

        def answered(role: str | None) -> None:
            if role and role != member.role:
                self.call_api(lambda api: api.orgs.change_member(
                    org_id, member.user_id, role=role), done=TeamChanged)

        self.app.push_screen(RoleDialog(member.email, member.role), answered)

    def action_block(self) -> None:
        member, org_id = self._member(), self._org()
        if member is None:
            return
        status = "active" if member.status == "blocked" else "blocked"
        self.call_api(lambda api: api.orgs.change_member(
            org_id, member.user_id, status=status), done=TeamChanged)

    def action_remove(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        org_id = self._org()
        invitations = self.query_one("#invitations", DataTable)
        if invitations.has_focus and self.team and self.team.invitations:
            inv = self.team.invitations[min(invitations.cursor_row,
                                            len(self.team.invitations) - 1)]
            self.call_api(lambda api: api.orgs.revoke_invitation(org_id, inv.id),
                          done=TeamChanged)
            return
        member = self._member()
        if member is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api(lambda api: api.orgs.remove_member(org_id, member.user_id),
                              done=TeamChanged)

        self.app.push_screen(ConfirmDialog(t("team.remove_confirm", email=member.email)),
                             answered)

    @on(TeamChanged)
    def _team_changed(self, _message: TeamChanged) -> None:
        self.query_one(ErrorLine).clear()
        self.buhta.announce_mail()
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss()
