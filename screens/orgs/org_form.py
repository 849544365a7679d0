"""Provides OrgFormScreen: a new organisation, or the requisites card of the active one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from client.errors import ApiError
from client.i18n import t
from core import contract as m
from core import identifiers as ids
from core.validation import InvalidInput
from screens.orgs.labels import REGIMES, VAT_MODES, role_name
from tui.errors import invalid_text
from tui.screen import FormScreen
from tui.styles import sheets
from tui.widgets.form import ErrorLine, FormRow, InfoLine
from tui.widgets.limits import max_length
from tui.workers import Done, Failed


class OrgLoaded(Done[m.Org]):
    """The active organisation's card."""


class OrgSaved(Done[m.Org]):
    """The organisation is created or its card saved."""


class OrgRefused(Failed):
    """The server refused the card."""


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
                      classes="bank-field", max_length=max_length(m.BankAccountIn, field)),
            )


class OrgFormScreen(FormScreen):
    """A new organisation, or the card of the active one (editable with the right)."""

    CSS_PATH = sheets("orgs")
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
        self.regime = "usn_income"  # the regime the form follows (the Select's, once handled)

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
                yield FormRow(t(label), Input(id=field, compact=True,
                                              max_length=max_length(m.OrgIn, field)),
                              id=f"row-{field}")
            yield FormRow(t("orgs.tax_regime"), Select(
                [(t(f"regime.{r}"), r) for r in REGIMES], value=self.regime,
                allow_blank=False, id="tax_regime", compact=True))
            yield FormRow(t("orgs.usn_rate"), Input(id="usn_rate", compact=True, max_length=6,
                                                    placeholder=t("orgs.usn_rate_hint")),
                          id="row-usn_rate")
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
                self.call_api(lambda api: api.orgs.get(org_id), done=OrgLoaded, exclusive=True)

    @on(OrgLoaded)
    def _org_loaded(self, message: OrgLoaded) -> None:
        org = message.result
        self.org = org
        editable = org.role == "accountant"
        self.query_one("#kind", Select).value = org.kind
        self.regime = org.tax_regime  # the card's own VAT mode stays as it is
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
        self._regime_shown()

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
        # An ИП has neither a КПП nor a chief accountant: the rows go.
        for field in ("kpp", "chief_accountant"):
            self.query_one(f"#row-{field}").display = kind != "ip"
            if kind == "ip":
                self.query_one(f"#{field}", Input).value = ""
        # An ИНН or ОГРН right for one kind is wrong for the other: check them again.
        for field in ("inn", "ogrn"):
            self._mark(self.query_one(f"#{field}", Input))

    @on(Select.Changed, "#tax_regime")
    def _regime_select(self, event: Select.Changed) -> None:
        regime = str(event.value)
        if regime != self.regime:  # chosen here, not the card's own filled in
            self.regime = regime
            vat = self.query_one("#vat_mode", Select)
            if regime == "osno":
                vat.value = "general"  # on ОСНО one pays VAT by default
            elif vat.value == "general":
                vat.value = "none"
        self._regime_shown()

    def _regime_shown(self) -> None:
        """The УСН rate row only where a УСН rate means something."""
        self.query_one("#row-usn_rate").display = self.regime != "osno"

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
        if self.query_one("#tax_regime", Select).value == "osno":
            rate = ""  # the row is hidden: no УСН rate on ОСНО
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
            self.call_api(lambda api: api.orgs.create(data), done=OrgSaved, failed=OrgRefused)
        else:
            self.call_api(lambda api: api.orgs.update(org_id, data), done=OrgSaved,
                          failed=OrgRefused)

    @on(Button.Pressed, "#submit")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(OrgSaved)
    def _org_saved(self, message: OrgSaved) -> None:
        org = message.result
        self.app.notify(t("orgs.saved", name=org.short_name))
        self.buhta.switch_to(org.id)
        self.dismiss()

    @on(OrgRefused)
    def _org_refused(self, message: OrgRefused) -> None:
        if not self._refused_field(message.error):
            self.show_refusal(message.error)

    def _refused_field(self, error: ApiError) -> bool:
        """Put the cursor on the field the server refused; False: no field was named."""
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
