"""Provides the wire contract for organisations, bank accounts, team, invitations and the activity
log.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core.contract.common import Email, Token, WireModel, _field
from core.validation import InvalidInput

OrgKind = Literal["ip", "ooo"]


TaxRegime = Literal["usn_income", "usn_income_expense", "osno"]


VatMode = Literal["none", "usn_5", "usn_7", "general"]


RoleName = Literal["accountant", "primary", "hr", "director", "observer"]


# The base УСН rates (НК РФ ст. 346.20); a region may lower them by law.
USN_BASE_RATE = {"usn_income": Decimal("6"), "usn_income_expense": Decimal("15")}


Text = Annotated[str, Field(min_length=1, max_length=400)]


class BankAccountIn(WireModel):
    bik: Annotated[str, Field(max_length=20)]
    account: Annotated[str, Field(max_length=30)]
    corr_account: Annotated[str, Field(max_length=30)]
    bank_name: Annotated[str, Field(min_length=1, max_length=300)]

    @model_validator(mode="after")
    def _checksums(self) -> BankAccountIn:
        from core import identifiers as ids

        self.bik = _field("bik", ids.check_bik, self.bik)
        self.account = _field("account", ids.check_account, self.account, self.bik)
        self.corr_account = _field(
            "corr_account", ids.check_corr_account, self.corr_account, self.bik
        )
        self.bank_name = self.bank_name.strip()
        if not self.bank_name:  # min_length counted the spaces
            raise InvalidInput("validation.required", field="bank_name")
        return self


class BankAccountOut(BankAccountIn):
    id: str


class OrgIn(WireModel):
    """Requisites of an organisation as typed; every identifier is checked by its checksum."""

    kind: OrgKind
    full_name: Text
    short_name: Annotated[str, Field(min_length=1, max_length=200)]
    inn: Annotated[str, Field(max_length=20)]
    kpp: Annotated[str | None, Field(max_length=20)] = None
    ogrn: Annotated[str, Field(max_length=20)]
    address: Annotated[str, Field(min_length=1, max_length=500)]
    director: Annotated[str, Field(min_length=1, max_length=200)]
    chief_accountant: Annotated[str | None, Field(max_length=200)] = None
    tax_regime: TaxRegime
    usn_rate: Decimal | None = None
    """A regional reduced УСН rate in per cent, e.g. ``"1"`` or ``"7.5"``; None for the base."""
    vat_mode: VatMode = "none"
    bank_accounts: Annotated[list[BankAccountIn], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _requisites(self) -> OrgIn:
        from core import identifiers as ids

        org = self.kind == "ooo"
        self.inn = _field("inn", ids.check_inn, self.inn, "org" if org else "person")
        if org:
            if not self.kpp:
                raise InvalidInput("validation.kpp", field="kpp")
            self.kpp = _field("kpp", ids.check_kpp, self.kpp)
            self.ogrn = _field("ogrn", ids.check_ogrn, self.ogrn)
        else:
            self.kpp = None  # an ИП has no КПП
            self.ogrn = _field("ogrn", ids.check_ogrnip, self.ogrn)
        if self.usn_rate is not None:
            base = USN_BASE_RATE.get(self.tax_regime)
            rate = self.usn_rate
            if base is None:
                raise InvalidInput("validation.usn_rate_regime", field="usn_rate")
            if not (Decimal(0) <= rate < base) or rate != rate.quantize(Decimal("0.01")):
                raise InvalidInput("validation.usn_rate", base=base, field="usn_rate")
        for name in ("full_name", "short_name", "address", "director"):
            setattr(self, name, getattr(self, name).strip())
            if not getattr(self, name):  # min_length counted the spaces
                raise InvalidInput("validation.required", field=name)
        return self


class Org(OrgIn):
    id: str
    bank_accounts: list[BankAccountOut] = []  # type: ignore[assignment]
    role: RoleName
    created_at: datetime


class OrgSummary(WireModel):
    id: str
    short_name: str
    inn: str
    kind: OrgKind
    role: RoleName
    status: Literal["active", "blocked"]
    last_used: bool
    permissions: list[str] = []
    """What the member's role may do here (``server.domain.roles.Perm`` values): the client
    dims what it may not (tui.rights) before the server refuses it."""


class OrgList(WireModel):
    items: list[OrgSummary]


class Member(WireModel):
    user_id: str
    email: str
    role: RoleName
    status: Literal["active", "blocked"]
    joined_at: datetime
    you: bool


class InvitationOut(WireModel):
    id: str
    email: str
    role: RoleName
    created_at: datetime
    expires_at: datetime


class Team(WireModel):
    members: list[Member]
    invitations: list[InvitationOut]


class InviteIn(WireModel):
    email: Email
    role: RoleName


class MemberPatch(WireModel):
    role: RoleName | None = None
    status: Literal["active", "blocked"] | None = None


class AcceptInvitation(WireModel):
    """Only the token: the role is the one offered, the invitee cannot choose another."""

    token: Token


class Joined(WireModel):
    org_id: str
    role: RoleName


class AuditEntry(WireModel):
    id: int
    created_at: datetime
    user_email: str | None
    device_name: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    summary: str | None


class AuditPage(WireModel):
    items: list[AuditEntry]
    next_cursor: str | None
