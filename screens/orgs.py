"""Provides the organisation screens: switcher, requisites card, team, audit log, invitations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, get_args

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from client.errors import ApiError
from client.i18n import t
from core import contract as m
from core import identifiers as ids
from core.validation import InvalidInput, normalize_email, normalize_token
from tui.errors import Refused, invalid_text
from tui.screen import BuhtaModal, BuhtaScreen, FormScreen
from tui.widgets.form import ErrorLine, FormRow, InfoLine

# The wire contract lists them; the screens only word them.
ROLES = get_args(m.RoleName)
REGIMES = get_args(m.TaxRegime)
VAT_MODES = get_args(m.VatMode)


def role_name(role: str) -> str:
    return t(f"role.{role}")


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M")


# --- switcher ---------------------------------------------------------------------


class OrgSwitcher(BuhtaModal):
    """F6 from anywhere in the shell: the user's organisations, Enter to switch."""

    CSS_PATH = "../styles/orgs.tcss"
    BINDINGS = [
        Binding("escape", "close", "common.close", id="switcher.close"),
        Binding("n", "new", "orgs.new", id="switcher.new"),
        Binding("a", "accept", "orgs.accept", id="switcher.accept"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.orgs: list[m.OrgSummary] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="switcher"):
            yield Static(t("orgs.switcher_title"), classes="form-title")
            yield OptionList(id="org-list")
            yield Static(t("orgs.switcher_hint"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.call_api("orgs", lambda api: api.list_orgs(), exclusive=True)

    def on_orgs_done(self, orgs: list[m.OrgSummary]) -> None:
        self.orgs = orgs
        options = self.query_one(OptionList)
        options.clear_options()
        current = self.buhta.org.id if self.buhta.org else None
        for org in orgs:
            mark = "● " if org.id == current else "  "
            blocked = f" — {t('orgs.blocked')}" if org.status != "active" else ""
            options.add_option(
                Option(
                    f"{mark}{org.short_name}  ИНН {org.inn}  · {role_name(org.role)}{blocked}",
                    id=org.id,
                    disabled=org.status != "active",
                )
            )
        if not orgs:
            options.add_option(Option(t("orgs.none"), disabled=True))
        else:
            index = next((i for i, o in enumerate(orgs) if o.id == current), 0)
            options.highlighted = index

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.buhta.switch_to(event.option.id)
            self.dismiss()

    async def action_new(self) -> None:
        self.dismiss()
        await self.app.run_action("org_screen('new')")

    async def action_accept(self) -> None:
        self.dismiss()
        await self.app.run_action("org_screen('accept')")

    def action_close(self) -> None:
        self.dismiss()


# --- requisites -------------------------------------------------------------------


class BankBlock(Vertical):
    """One bank account's four fields."""

    DEFAULT_CSS = """
    BankBlock {
        height: auto;
        border-top: hkey $panel;
        padding-top: 1;
    }
    """

    def __init__(self, n: int, account: m.BankAccountIn | None = None, disabled: bool = False):
        super().__init__(id=f"bank-{n}", classes="bank")
        self.n = n
        self.account = account
        self.read_only = disabled

    def compose(self) -> ComposeResult:
        a = self.account
        for field, label, value in (
            ("bik", "orgs.bik", a.bik if a else ""),
            ("account", "orgs.account", a.account if a else ""),
            ("corr_account", "orgs.corr_account", a.corr_account if a else ""),
            ("bank_name", "orgs.bank_name", a.bank_name if a else ""),
        ):
            yield FormRow(
                t(label),
                Input(value, id=f"{field}-{self.n}", compact=True, disabled=self.read_only,
                      classes="bank-field"),
            )


class OrgFormScreen(FormScreen):
    """A new organisation, or the card of the active one (editable with the right)."""

    CSS_PATH = "../styles/orgs.tcss"
    FIRST_FIELD = "#full_name"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="org.back"),
        Binding("f2", "save", "orgs.save", id="org.save"),
        Binding("f3", "add_account", "orgs.add_account", id="org.add_account"),
        Binding("f4", "remove_account", "orgs.remove_account", id="org.remove_account",
                show=False),
        Binding("f5", "accept", "orgs.accept", id="org.accept"),
    ]

    def __init__(self, *, new: bool = False, first: bool = False) -> None:
        super().__init__(notice=t("orgs.first_hint") if first else None)
        self.new = new or first
        self.first = first
        self.org: m.Org | None = None
        self.banks = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="org-form"):
            yield Static(t("orgs.new_title" if self.new else "orgs.card_title"),
                         classes="form-title")
            yield FormRow(t("orgs.kind"), Select(
                [(t("orgs.kind_ooo"), "ooo"), (t("orgs.kind_ip"), "ip")],
                value="ooo", allow_blank=False, id="kind", compact=True))
            for field, label in (("full_name", "orgs.full_name"),
                                 ("short_name", "orgs.short_name"),
                                 ("inn", "orgs.inn"), ("kpp", "orgs.kpp"),
                                 ("ogrn", "orgs.ogrn"), ("address", "orgs.address"),
                                 ("director", "orgs.director"),
                                 ("chief_accountant", "orgs.chief_accountant")):
                yield FormRow(t(label), Input(id=field, compact=True))
            yield FormRow(t("orgs.tax_regime"), Select(
                [(t(f"regime.{r}"), r) for r in REGIMES], value="usn_income",
                allow_blank=False, id="tax_regime", compact=True))
            yield FormRow(t("orgs.usn_rate"), Input(id="usn_rate", compact=True,
                                                    placeholder=t("orgs.usn_rate_hint")))
            yield FormRow(t("orgs.vat_mode"), Select(
                [(t(f"vat.{v}"), v) for v in VAT_MODES], value="none",
                allow_blank=False, id="vat_mode", compact=True))
            yield Static(t("orgs.banks"), classes="section")
            yield Vertical(id="banks")
            yield from self.form_end(
                Button(t("orgs.save"), id="submit", variant="primary", compact=True),
                Button(t("orgs.add_account"), id="add-account", compact=True),
                Button(t("app.back"), id="back", compact=True),
            )
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Accepting an invitation is offered where a user has no organisation yet.
        if action == "accept":
            return self.first
        if action == "back":
            return not self.first  # the first organisation comes before anything else
        return True

    async def action_accept(self) -> None:
        await self.app.run_action("org_screen('accept')")

    def on_mount(self) -> None:
        super().on_mount()
        if self.new:
            self.action_add_account()
        else:
            org_id = self.buhta.require_org()
            if org_id:
                self.call_api("load", lambda api: api.get_org(org_id), exclusive=True)

    def on_load_done(self, org: m.Org) -> None:
        self.org = org
        editable = org.role == "accountant"
        self.query_one("#kind", Select).value = org.kind
        for field in ("full_name", "short_name", "inn", "kpp", "ogrn", "address", "director",
                      "chief_accountant"):
            box = self.query_one(f"#{field}", Input)
            box.value = getattr(org, field) or ""
            box.disabled = not editable
        self.query_one("#tax_regime", Select).value = org.tax_regime
        self.query_one("#vat_mode", Select).value = org.vat_mode
        self.query_one("#usn_rate", Input).value = str(org.usn_rate or "")
        for select in self.query(Select):
            select.disabled = not editable
        self.query_one("#usn_rate", Input).disabled = not editable
        self.query_one("#submit", Button).disabled = not editable
        self.query_one("#add-account", Button).disabled = not editable
        for account in org.bank_accounts:
            self._add_bank(account, disabled=not editable)
        if not editable:
            self.query_one(InfoLine).show(t("orgs.read_only", role=role_name(org.role)))
        self._kind_changed(org.kind)

    def _add_bank(self, account: m.BankAccountIn | None = None, disabled: bool = False) -> None:
        self.query_one("#banks").mount(BankBlock(self.banks, account, disabled))
        self.banks += 1

    def action_add_account(self) -> None:
        self._add_bank()

    def action_remove_account(self) -> None:
        blocks = list(self.query(BankBlock))
        focused = self.focused
        target = next((b for b in blocks if focused is not None and focused in b.query("*")),
                      blocks[-1] if blocks else None)
        if target is not None and len(blocks) > 1:
            target.remove()

    @on(Button.Pressed, "#add-account")
    def _add_pressed(self) -> None:
        self.action_add_account()

    @on(Select.Changed, "#kind")
    def _kind_select(self, event: Select.Changed) -> None:
        self._kind_changed(str(event.value))

    def _kind_changed(self, kind: str) -> None:
        kpp = self.query_one("#kpp", Input)
        kpp.disabled = kind == "ip" or (self.org is not None and self.org.role != "accountant")
        if kind == "ip":
            kpp.value = ""
        # An ИНН or ОГРН right for one kind is wrong for the other: check them again.
        for field in ("inn", "ogrn"):
            self._mark(self.query_one(f"#{field}", Input))

    # Checked as the user types: a finished identifier with a wrong check digit is
    # marked at once, with the reason in the error line.
    @on(Input.Changed)
    def _live_check(self, event: Input.Changed) -> None:
        self._mark(event.input)

    def _mark(self, box: Input) -> None:
        problem = self._check(box)
        box.set_class(problem is not None, "-invalid")
        if problem is not None:
            self.query_one(InfoLine).show("")  # both sit in the same docked place
            self.query_one(ErrorLine).show(problem)
        elif box.has_focus or not self.query(".-invalid"):
            self.query_one(ErrorLine).clear()

    def _check(self, box: Input) -> str | None:
        value = box.value.strip()
        field = (box.id or "").rsplit("-", 1)[0]
        kind = self.query_one("#kind", Select).value
        try:
            if field == "inn" and len(value) >= (10 if kind == "ooo" else 12):
                ids.check_inn(value, "org" if kind == "ooo" else "person")
            elif field == "kpp" and len(value) >= 9:
                ids.check_kpp(value)
            elif field == "ogrn" and len(value) >= (13 if kind == "ooo" else 15):
                (ids.check_ogrn if kind == "ooo" else ids.check_ogrnip)(value)
            elif field == "bik" and len(value) >= 9:
                ids.check_bik(value)
            elif field in ("account", "corr_account") and len(value) >= 20:
                n = box.id.rsplit("-", 1)[1] if box.id else "0"
                bik = self.query_one(f"#bik-{n}", Input).value
                check = ids.check_account if field == "account" else ids.check_corr_account
                check(value, bik)
            elif field == "usn_rate" and value:
                Decimal(value.replace(",", "."))
        except InvalidInput as exc:
            return invalid_text(exc)
        except InvalidOperation:
            return t("validation.usn_rate", base="6/15")
        return None

    def _collect(self) -> dict[str, Any]:
        value = {f: self.query_one(f"#{f}", Input).value for f in (
            "full_name", "short_name", "inn", "kpp", "ogrn", "address", "director",
            "chief_accountant")}
        rate = self.query_one("#usn_rate", Input).value.strip().replace(",", ".")
        value.update(
            kind=self.query_one("#kind", Select).value,
            tax_regime=self.query_one("#tax_regime", Select).value,
            vat_mode=self.query_one("#vat_mode", Select).value,
            usn_rate=rate or None,
            kpp=value["kpp"] or None,
            chief_accountant=value["chief_accountant"] or None,
            bank_accounts=[
                {f: self.query_one(f"#{f}-{b.n}", Input).value
                 for f in ("bik", "account", "corr_account", "bank_name")}
                for b in self.query(BankBlock)
                if any(self.query_one(f"#{f}-{b.n}", Input).value.strip()
                       for f in ("bik", "account", "corr_account", "bank_name"))
            ],
        )
        return value

    def _field_of(self, loc: tuple[Any, ...], exc: InvalidInput | None) -> str:
        parts = [str(p) for p in loc]
        if exc is not None and exc.params.get("field"):
            parts.append(str(exc.params["field"]))
        if parts and parts[0] == "bank_accounts" and len(parts) >= 3:
            blocks = list(self.query(BankBlock))
            index = int(parts[1])
            n = blocks[index].n if index < len(blocks) else 0
            return f"{parts[2]}-{n}"
        return parts[-1] if parts else "full_name"

    def action_save(self) -> None:
        if not self.start() or (self.org is not None and self.org.role != "accountant"):
            return
        try:
            data = m.OrgIn.model_validate(self._collect())
        except ValidationError as exc:
            first = exc.errors()[0]
            cause = (first.get("ctx") or {}).get("error")
            cause = cause if isinstance(cause, InvalidInput) else None
            field = self._field_of(tuple(first.get("loc", ())), cause)
            text = invalid_text(cause) if cause else t("validation.required")
            label = t(f"orgs.{field.rsplit('-', 1)[0]}")
            try:
                self.fail(field, f"{label}: {text}")
            except Exception:
                self.query_one(ErrorLine).show(f"{label}: {text}")
            return
        org_id = self.org.id if self.org else None
        if org_id is None:
            self.call_api("save", lambda api: api.create_org(data))
        else:
            self.call_api("save", lambda api: api.update_org(org_id, data))

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    def on_save_done(self, org: m.Org) -> None:
        self.app.notify(t("orgs.saved", name=org.short_name))
        self.buhta.switch_to(org.id)
        self.dismiss()

    def on_save_failed(self, error: ApiError) -> bool:
        if error.errors:
            first = error.errors[0]
            field = first.get("field", "").replace("bank_accounts.", "")
            parts = field.split(".")
            if len(parts) == 2 and parts[0].isdigit():
                blocks = list(self.query(BankBlock))
                index = int(parts[0])
                field = f"{parts[1]}-{blocks[index].n if index < len(blocks) else 0}"
            try:
                self.fail(field, first.get("message", error.detail))
                return True
            except Exception:
                return False
        return False

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        if self.first:
            return  # the first organisation is needed before anything else works
        self.dismiss()


# --- team -------------------------------------------------------------------------


class InviteDialog(BuhtaModal):
    CSS_PATH = "../styles/orgs.tcss"
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
    CSS_PATH = "../styles/orgs.tcss"
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

    CSS_PATH = "../styles/orgs.tcss"
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
            self.call_api("team", lambda api: api.team(org_id), exclusive=True)

    def on_team_done(self, team: m.Team) -> None:
        self.team = team
        members = self.query_one("#members", DataTable)
        members.clear()
        for member in team.members:
            members.add_row(member.email, role_name(member.role), t(f"team.{member.status}"),
                            t("team.you") if member.you else "", key=member.user_id)
        invitations = self.query_one("#invitations", DataTable)
        invitations.clear()
        for inv in team.invitations:
            invitations.add_row(inv.email, role_name(inv.role), _when(inv.expires_at),
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
                self.call_api("changed", lambda api: api.invite(org_id, email, role))

        self.app.push_screen(InviteDialog(), answered)

    def action_role(self) -> None:
        member, org_id = self._member(), self._org()
        if member is None:
            return

        def answered(role: str | None) -> None:
            if role and role != member.role:
                self.call_api("changed", lambda api: api.change_member(
                    org_id, member.user_id, role=role))

        self.app.push_screen(RoleDialog(member.email, member.role), answered)

    def action_block(self) -> None:
        member, org_id = self._member(), self._org()
        if member is None:
            return
        status = "active" if member.status == "blocked" else "blocked"
        self.call_api("changed", lambda api: api.change_member(
            org_id, member.user_id, status=status))

    def action_remove(self) -> None:
        from tui.dialogs.confirm import ConfirmDialog

        org_id = self._org()
        invitations = self.query_one("#invitations", DataTable)
        if invitations.has_focus and self.team and self.team.invitations:
            inv = self.team.invitations[min(invitations.cursor_row,
                                            len(self.team.invitations) - 1)]
            self.call_api("changed", lambda api: api.revoke_invitation(org_id, inv.id))
            return
        member = self._member()
        if member is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_api("changed", lambda api: api.remove_member(org_id, member.user_id))

        self.app.push_screen(ConfirmDialog(t("team.remove_confirm", email=member.email)),
                             answered)

    def on_changed_done(self, _result: object) -> None:
        self.query_one(ErrorLine).clear()
        self.buhta.announce_mail()
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss()


# --- invitations --------------------------------------------------------------------


class AcceptInvitationScreen(FormScreen):
    CSS_PATH = "../styles/orgs.tcss"
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
        self.call_api("accept", lambda api: api.accept_invitation(token))

    def on_accept_done(self, joined: m.Joined) -> None:
        self.app.notify(t("orgs.joined", role=role_name(joined.role)))
        self.buhta.switch_to(joined.org_id)
        self.dismiss()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss()


# --- audit log ------------------------------------------------------------------------

OBJECT_TYPES = ("org", "member", "invitation")
PAGE = 50


def _date(value: str) -> str | None:
    """``31.01.2026`` → ``2026-01-31``; empty → None; anything else raises ValueError."""
    value = value.strip()
    if not value:
        return None
    return datetime.strptime(value, "%d.%m.%Y").date().isoformat()


def action_text(action: str) -> str:
    """``org.update`` → «изменены реквизиты»; ``denied.audit.read`` → «отказ: журнал …»."""
    if action.startswith("denied."):
        return t("audit.denied_action", what=t(f"perm.{action.removeprefix('denied.')}"))
    return t(f"action.{action}")


class AuditScreen(BuhtaScreen):
    """Журнал действий: read-only, newest first, paged from the server as you scroll."""

    CSS_PATH = "../styles/orgs.tcss"
    BINDINGS = [
        Binding("escape", "back", "app.back", id="audit.back"),
        Binding("f5", "reload", "audit.apply", id="audit.reload"),
        Binding("slash", "filters", "audit.filters", id="audit.filters"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[m.AuditEntry] = []
        self.cursor: str | None = None
        self.filters: dict[str, str | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="audit-filters"):
            yield Input(id="f-user", placeholder=t("audit.user"), compact=True)
            yield Select([(t(f"object.{o}"), o) for o in OBJECT_TYPES], prompt=t("audit.all"),
                         id="f-type", compact=True)
            yield Input(id="f-from", placeholder=t("audit.from"), compact=True)
            yield Input(id="f-to", placeholder=t("audit.to"), compact=True)
        yield DataTable(id="audit", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", markup=False)
        yield ErrorLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            t("audit.when"), t("audit.who"), t("audit.action"), t("audit.outcome"))
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_filters(self) -> None:
        self.query_one("#f-user", Input).focus()

    @on(Input.Submitted)
    @on(Select.Changed)
    def action_reload(self) -> None:
        try:
            self.filters = {
                "user": self.query_one("#f-user", Input).value.strip() or None,
                "object_type": (None if self.query_one("#f-type", Select).is_blank()
                                else str(self.query_one("#f-type", Select).value)),
                "date_from": _date(self.query_one("#f-from", Input).value),
                "date_to": _date(self.query_one("#f-to", Input).value),
            }
        except ValueError:
            self.query_one(ErrorLine).show(t("audit.bad_date"))
            return
        self.query_one(ErrorLine).clear()
        self.entries, self.cursor = [], None
        self.query_one(DataTable).clear()
        self._fetch()

    def _fetch(self) -> None:
        org_id = self.buhta.require_org()
        if org_id is None:
            return
        cursor, filters = self.cursor, dict(self.filters)
        self.call_api("page", lambda api: api.audit(org_id, cursor=cursor, limit=PAGE,
                                                    **filters), exclusive=True)

    def on_page_done(self, page: m.AuditPage) -> None:
        table = self.query_one(DataTable)
        for entry in page.items:
            self.entries.append(entry)
            outcome = "✓" if entry.outcome == "ok" else f"✗ {t('audit.denied')}"
            table.add_row(_when(entry.created_at), entry.user_email or "—",
                          action_text(entry.action), outcome)
        self.cursor = page.next_cursor
        if not self.entries:
            self.query_one("#audit-detail", Static).update(t("audit.empty"))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        if 0 <= row < len(self.entries):
            e = self.entries[row]
            device = f" ({e.device_name})" if e.device_name else ""
            self.query_one("#audit-detail", Static).update(
                f"{e.user_email or '—'}{device}: {e.summary or ''}")
        # Fetch the next page before the cursor reaches the end of what is loaded.
        if self.cursor and row >= len(self.entries) - 10 and not self.busy:
            self._fetch()

    def action_back(self) -> None:
        self.dismiss()
