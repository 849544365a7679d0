"""Provides the wire contract (pydantic v2) shared by the client and the server's routers.

Request models validate with the same checks the screens run early
(``client.validation``), so a request the client would refuse is refused by the
server too, even when the client is bypassed.
"""

from __future__ import annotations

import re
from datetime import date as date_
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from client import validation as v
from client.validation import InvalidInput


def _email(value: str) -> str:
    return v.normalize_email(value)


def _phone(value: str) -> str:
    return v.normalize_phone(value)


def _sms_code(value: str) -> str:
    return v.check_sms_code(value)


def _token(value: str) -> str:
    return v.normalize_token(value)


Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
SmsCode = Annotated[str, Field(max_length=12), AfterValidator(_sms_code)]
Token = Annotated[str, Field(max_length=80), AfterValidator(_token)]
Password = Annotated[str, Field(max_length=4 * v.PASSWORD_MAX)]
DeviceName = Annotated[str, Field(min_length=1, max_length=120)]


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


# --- requests ---------------------------------------------------------------


class SmsCodeRequest(WireModel):
    phone: Phone


class RegisterRequest(WireModel):
    email: Email
    phone: Phone
    password: Password
    sms_code: SmsCode

    @model_validator(mode="after")
    def _password_shape(self) -> RegisterRequest:
        v.check_password_shape(self.password, self.email)
        return self


class EmailRequest(WireModel):
    email: Email


class TokenRequest(WireModel):
    token: Token


class LoginRequest(WireModel):
    email: Email
    # No shape check on login: an old password that no longer meets the rules must
    # still be refused as "wrong e-mail or password", not as a validation error.
    password: Annotated[str, Field(min_length=1, max_length=4 * v.PASSWORD_MAX)]
    remember: bool = False
    device_name: DeviceName = "terminal"


class RefreshRequest(WireModel):
    refresh_token: Annotated[str, Field(min_length=10, max_length=200)]


class PasswordResetConfirm(WireModel):
    token: Token
    new_password: Password

    @model_validator(mode="after")
    def _password_shape(self) -> PasswordResetConfirm:
        v.check_password_shape(self.new_password)
        return self


# --- responses --------------------------------------------------------------


class Accepted(WireModel):
    """The same answer whether or not the address is known (no enumeration)."""

    status: Literal["accepted"] = "accepted"


class SmsCodeSent(WireModel):
    status: Literal["sent"] = "sent"
    expires_in: int


class Confirmed(WireModel):
    status: Literal["confirmed"] = "confirmed"


class User(WireModel):
    id: str
    email: str
    phone: str
    email_confirmed: bool
    created_at: datetime


class TokenPair(WireModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    device_id: str
    remember: bool
    user: User


class Device(WireModel):
    id: str
    name: str
    remembered: bool
    created_at: datetime
    last_seen_at: datetime
    current: bool


class DeviceList(WireModel):
    items: list[Device]


class OutboxMessage(WireModel):
    id: int
    channel: Literal["email", "sms"]
    recipient: str
    subject: str | None
    body: str
    created_at: datetime
    sent_at: datetime | None


class OutboxList(WireModel):
    items: list[OutboxMessage]


class FieldProblem(WireModel):
    field: str
    message: str


class Problem(BaseModel):
    """application/problem+json (RFC 9457) with a stable machine ``code``."""

    model_config = ConfigDict(extra="allow")
    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str
    errors: list[FieldProblem] | None = None
    retry_after: int | None = None


# --- organisations ------------------------------------------------------------

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
        from client import identifiers as ids

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
        from client import identifiers as ids

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


def _field(name: str, check: Any, *args: Any) -> Any:
    """Run an identifier check, naming the field in the error it raises."""
    try:
        return check(*args)
    except InvalidInput as exc:
        exc.params.setdefault("field", name)
        raise


# --- ledger -------------------------------------------------------------------------

AccountCode = Annotated[
    str, Field(min_length=2, max_length=20, pattern=r"^[0-9]{2}(\.[0-9A-Za-zА-Яа-я]{1,4})*$")
]


class LedgerAccountOut(WireModel):
    code: str
    name: str
    kind: Literal["active", "passive", "active_passive"]
    analytics: list[str]
    parent: str | None
    builtin: bool


class LedgerAccountList(WireModel):
    items: list[LedgerAccountOut]


class SubAccountIn(WireModel):
    parent: AccountCode
    code: AccountCode
    name: Annotated[str, Field(min_length=1, max_length=200)]


class PostingIn(WireModel):
    debit: AccountCode
    credit: AccountCode
    amount: Decimal
    """Roubles and kopecks as a decimal string ("1234.56"); positive."""
    memo: Annotated[str | None, Field(max_length=300)] = None
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    """Analytics: the counterparty (of this organisation) the posting concerns."""

    @model_validator(mode="after")
    def _shape(self) -> PostingIn:
        if self.debit == self.credit:
            raise InvalidInput("validation.posting_same_account", field="credit")
        if self.amount <= 0 or self.amount != self.amount.quantize(Decimal("0.01")):
            raise InvalidInput("validation.amount", field="amount")
        return self


class EntryIn(WireModel):
    date: date_
    description: Annotated[str, Field(min_length=1, max_length=500)]
    postings: Annotated[list[PostingIn], Field(min_length=1, max_length=200)]


class PostingOut(WireModel):
    debit: str
    credit: str
    amount: Decimal
    memo: str | None
    counterparty_id: str | None = None
    counterparty: str | None = None
    """The counterparty's short name, for display."""


class EntryOut(WireModel):
    id: str
    number: int
    date: date_
    description: str
    postings: list[PostingOut]
    total: Decimal
    reverses: str | None
    reversed_by: str | None
    created_at: datetime
    document_id: str | None = None
    """The primary document that made the entry (None for a manual operation)."""
    document: str | None = None
    """Its title for display: «Акт № 3 от 05.03.2026»."""


class EntryPage(WireModel):
    items: list[EntryOut]
    next_cursor: str | None


class ReverseIn(WireModel):
    date: date_ | None = None
    """The reversal's date; the original's date when empty (if its month is open)."""
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class ReopenIn(WireModel):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class PeriodList(WireModel):
    closed: list[str]
    """Closed months as ``YYYY-MM``."""


# --- counterparties -----------------------------------------------------------------

CounterpartyKind = Literal["org", "ip", "person"]
_BANK_FIELDS = ("bik", "account", "corr_account", "bank_name")
_OPTIONAL_TEXT = ("full_name", "address", "phone", "email", "contract", *_BANK_FIELDS)


class CounterpartyIn(WireModel):
    """A customer or supplier as typed: a company (``org``), an ИП (``ip``) or a person.

    An ``org`` has a 10-digit ИНН, an ``ip`` a 12-digit one; a ``person`` may have none.
    Only an ``org`` keeps a КПП. The bank details are all given or all left empty.
    Empty optional fields become None.
    """

    kind: CounterpartyKind
    name: Annotated[str, Field(min_length=1, max_length=300)]
    """The short name used in lists and documents: «ООО «Ромашка»», «ИП Петров П. П.»."""
    full_name: Annotated[str | None, Field(max_length=500)] = None
    inn: Annotated[str | None, Field(max_length=20)] = None
    kpp: Annotated[str | None, Field(max_length=20)] = None
    address: Annotated[str | None, Field(max_length=500)] = None
    phone: Annotated[str | None, Field(max_length=40)] = None
    email: Annotated[str | None, Field(max_length=320)] = None
    bik: Annotated[str | None, Field(max_length=20)] = None
    account: Annotated[str | None, Field(max_length=30)] = None
    corr_account: Annotated[str | None, Field(max_length=30)] = None
    bank_name: Annotated[str | None, Field(max_length=300)] = None
    contract: Annotated[str | None, Field(max_length=300)] = None
    """Free text, e.g. «Договор № 15 от 01.02.2026»."""

    @model_validator(mode="after")
    def _requisites(self) -> CounterpartyIn:
        from client import identifiers as ids

        self.name = self.name.strip()
        if not self.name:  # min_length counted the spaces
            raise InvalidInput("validation.required", field="name")
        for name in _OPTIONAL_TEXT:
            setattr(self, name, (getattr(self, name) or "").strip() or None)
        inn, kpp = (self.inn or "").strip(), (self.kpp or "").strip()
        if self.kind == "org":
            self.inn = _field("inn", ids.check_inn, inn, "org")
            self.kpp = _field("kpp", ids.check_kpp, kpp) if kpp else None
        else:
            # An ИП's or a person's ИНН has 12 digits; a person may have none.
            needed = bool(inn) or self.kind == "ip"
            self.inn = _field("inn", ids.check_inn, inn, "person") if needed else None
            self.kpp = None  # only an organisation has a КПП
        if self.email is not None:
            self.email = _field("email", v.normalize_email, self.email)
        if any(getattr(self, name) for name in _BANK_FIELDS):
            for name in _BANK_FIELDS:
                if not getattr(self, name):
                    raise InvalidInput("validation.required", field=name)
            assert self.bik and self.account and self.corr_account
            self.bik = _field("bik", ids.check_bik, self.bik)
            self.account = _field("account", ids.check_account, self.account, self.bik)
            self.corr_account = _field(
                "corr_account", ids.check_corr_account, self.corr_account, self.bik
            )
        return self


class CounterpartyOut(WireModel):
    """A stored counterparty as the server keeps it (read as is, never re-validated)."""

    id: str
    kind: CounterpartyKind
    name: str
    full_name: str | None
    inn: str | None
    kpp: str | None
    address: str | None
    phone: str | None
    email: str | None
    bik: str | None
    account: str | None
    corr_account: str | None
    bank_name: str | None
    contract: str | None
    archived: bool
    created_at: datetime
    updated_at: datetime


class CounterpartyPage(WireModel):
    items: list[CounterpartyOut]
    next_cursor: str | None
    """Hand it back for the next page; None on the last one."""


# --- primary documents --------------------------------------------------------------
# Contract shared by the server (server/services/documents.py), the printable forms and
# the document screens. Amounts are computed by client/documents.py, on both sides.

DocType = Literal[
    "invoice",  # счёт на оплату: no postings
    "act",  # акт оказанных услуг (sale): Дт 62.01 Кт 90.01; VAT Дт 90.03 Кт 68.02
    "sale_goods",  # товарная накладная / УПД, sale of goods from 41
    "purchase_goods",  # поступление товаров (накладная / УПД): Дт 41.01 Кт 60.01
    "purchase_services",  # поступление услуг: Дт 26/44 Кт 60.01
    "bank_in",  # поступление на расчётный счёт: Дт 51 Кт 62.01/…
    "bank_out",  # списание с расчётного счёта: Дт 60.01/… Кт 51
    "cash_in",  # ПКО: Дт 50.01 Кт 62.01/…
    "cash_out",  # РКО: Дт 60.01/71/… Кт 50.01
]
LINE_DOC_TYPES: tuple[str, ...] = (
    "invoice", "act", "sale_goods", "purchase_goods", "purchase_services",
)
"""Documents made of item lines; the others carry one amount (payments)."""
VatRate = Literal["none", "0", "5", "7", "10", "20", "22"]
"""«без НДС» or a rate in per cent (НК РФ ст. 164; 22 % from 2026, 5/7 % for УСН)."""
DocState = Literal["draft", "posted", "cancelled"]
_QTY_MAX = Decimal("999999999.999")
_PRICE_MAX = Decimal("999999999999.99")
_ACCOUNT_CODE = re.compile(r"[0-9]{2}(\.[0-9A-Za-zА-Яа-я]{1,4})*")


class DocumentLineIn(WireModel):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    quantity: Decimal
    """Up to 3 decimals, positive."""
    unit: Annotated[str, Field(min_length=1, max_length=20)] = "шт"
    price: Decimal
    """Roubles and kopecks, not negative."""
    vat_rate: VatRate = "none"

    @model_validator(mode="after")
    def _shape(self) -> DocumentLineIn:
        self.name = self.name.strip()
        if not self.name:  # min_length counted the spaces
            raise InvalidInput("validation.required", field="name")
        self.unit = self.unit.strip()
        if not self.unit:
            raise InvalidInput("validation.required", field="unit")
        q, p = self.quantity, self.price
        # The bound first: quantize() of a huge number overflows the decimal context.
        if not q.is_finite() or q <= 0 or q > _QTY_MAX or q != q.quantize(Decimal("0.001")):
            raise InvalidInput("doc.quantity", field="quantity")
        if not p.is_finite() or p < 0 or p > _PRICE_MAX or p != p.quantize(Decimal("0.01")):
            raise InvalidInput("doc.price", field="price")
        return self


class DocumentIn(WireModel):
    """A primary document as typed. ``number`` empty: the next free one of its type and year.

    Line documents (LINE_DOC_TYPES) need ``lines``; payments need ``amount``.
    ``vat_included``: the prices (or the payment's amount) already include the VAT.
    ``account``: the correspondent account chosen by the user where the type allows a
    choice: the expense account of ``purchase_services`` (26 or 44), the settlement
    account of a payment (62.01 by default for money in, 60.01 for money out).
    """

    type: DocType
    date: date_
    number: Annotated[int | None, Field(ge=1, le=999_999)] = None
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    contract: Annotated[str | None, Field(max_length=300)] = None
    basis: Annotated[str | None, Field(max_length=300)] = None
    """Основание: «Счёт № 5 от 02.03.2026», «Договор № 12»."""
    vat_included: bool = True
    lines: Annotated[list[DocumentLineIn], Field(max_length=500)] = []
    amount: Decimal | None = None
    vat_rate: VatRate = "none"
    """A payment's VAT rate, for the «в т.ч. НДС» of its purpose."""
    purpose: Annotated[str | None, Field(max_length=210)] = None
    """Назначение платежа / основание of a cash order."""
    account: Annotated[str | None, Field(max_length=20)] = None
    post: bool = True
    """Post on saving; False keeps a draft (editable, no postings)."""

    @model_validator(mode="after")
    def _shape(self) -> DocumentIn:
        from client import documents as d

        for name in ("contract", "basis", "purpose", "account"):
            setattr(self, name, (getattr(self, name) or "").strip() or None)
        if self.type not in d.NO_COUNTERPARTY_TYPES and not self.counterparty_id:
            raise InvalidInput("validation.required", field="counterparty_id")
        if self.type in LINE_DOC_TYPES:
            if not self.lines:
                raise InvalidInput("doc.lines_required", field="lines")
            self.amount = None  # a document of lines has no amount of its own
            totals = d.document_totals(
                [(x.quantity, x.price, x.vat_rate) for x in self.lines], self.vat_included)
        else:
            if self.lines:
                raise InvalidInput("doc.payment_lines", field="lines")
            a = self.amount
            if a is not None and a.is_finite() and a > d.WORDS_LIMIT:
                raise InvalidInput("doc.too_large", field="amount")
            if a is None or not a.is_finite() or a <= 0 or a != a.quantize(Decimal("0.01")):
                raise InvalidInput("doc.amount", field="amount")
            totals = d.payment_totals(a, self.vat_rate, self.vat_included)
        if totals.total > d.WORDS_LIMIT:
            raise InvalidInput("doc.too_large", field="lines" if self.lines else "amount")
        self.account = _doc_account(self.type, self.account)
        return self


def _doc_account(doc_type: str, account: str | None) -> str | None:
    """The correspondent account as the type allows: a code of 26/44 for a purchase of
    services, any code but the money account itself for a payment, none otherwise."""
    from client import documents as d

    if doc_type not in ("purchase_services", *d.PAYMENT_TYPES) or account is None:
        return None
    if not _ACCOUNT_CODE.fullmatch(account):
        raise InvalidInput("doc.account", field="account")
    root = account.split(".")[0]
    if doc_type == "purchase_services" and root not in ("26", "44"):
        raise InvalidInput("doc.expense_account", field="account")
    money = "51" if doc_type in d.BANK_TYPES else "50"
    if root == money:
        raise InvalidInput("validation.posting_same_account", field="account")
    return account


class DocumentLineOut(WireModel):
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    vat_rate: VatRate
    amount: Decimal
    """The line's sum as shown on the form (with VAT when ``vat_included``)."""
    vat: Decimal


class DocumentOut(WireModel):
    id: str
    type: DocType
    number: int
    date: date_
    state: DocState
    counterparty_id: str | None
    counterparty: str | None
    """The counterparty's short name."""
    contract: str | None
    basis: str | None
    vat_included: bool
    lines: list[DocumentLineOut]
    vat_rate: VatRate
    purpose: str | None
    account: str | None
    total: Decimal
    """What the counterparty pays, VAT included."""
    vat_total: Decimal
    total_in_words: str
    entry_id: str | None
    """The ledger entry the posting made; None for a draft, an invoice or a cancelled one."""
    created_at: datetime


class DocumentPage(WireModel):
    items: list[DocumentOut]
    next_cursor: str | None


class CancelIn(WireModel):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


# --- reports ------------------------------------------------------------------------
# Computed by the server (server/services/reports.py) from per-month turnover aggregates;
# shown and exported by screens/reports.py. Money: Decimal roubles; a balance is split
# into its debit and credit side (one of them zero) as Russian reports print it.


class ReportHead(WireModel):
    """What every report states: the organisation, the period, when it was computed."""

    org_name: str
    org_inn: str
    date_from: date_
    date_to: date_
    computed_at: datetime


class TrialBalanceRow(WireModel):
    account: str
    name: str
    level: int
    """0 for a synthetic account, 1 for a sub-account, 2 for an analytics line."""
    parent: str | None
    counterparty_id: str | None = None
    counterparty: str | None = None
    """Set on analytics lines (``by=counterparty``); the account's own line has None."""
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class TrialBalance(WireModel):
    """Оборотно-сальдовая ведомость. Rows in chart order: a synthetic account, then its
    sub-accounts, then (by counterparty) their analytics lines. Accounts with neither a
    balance nor turnover in the period are left out. ``totals`` sums the synthetic rows
    (level 0) only, so its debit and credit columns are equal pairwise."""

    head: ReportHead
    by: Literal["account", "counterparty"]
    rows: list[TrialBalanceRow]
    totals: TrialBalanceRow


class AccountCardRow(WireModel):
    date: date_
    entry_id: str
    entry_number: int
    description: str
    document: str | None
    corr_account: str
    counterparty: str | None
    debit: Decimal
    credit: Decimal
    balance: Decimal
    """Running balance after this posting: positive on the debit side, negative on credit."""


class AccountCard(WireModel):
    """Карточка счёта: the account's postings (sub-accounts included) in date order with a
    running balance; optionally only those of one counterparty. Paged: ``next_cursor``."""

    head: ReportHead
    account: str
    name: str
    counterparty_id: str | None
    counterparty: str | None
    opening: Decimal
    """Signed (debit positive) at the start of the period; for a later page, at its start."""
    rows: list[AccountCardRow]
    debit: Decimal
    credit: Decimal
    """Turnover of the whole period (not only this page)."""
    closing: Decimal
    next_cursor: str | None


class AccountAnalysisRow(WireModel):
    corr_account: str
    name: str
    debit: Decimal
    """The account debited, the corresponding account credited."""
    credit: Decimal


class AccountAnalysis(WireModel):
    """Анализ счёта: the period's turnover split by corresponding account."""

    head: ReportHead
    account: str
    name: str
    opening: Decimal
    rows: list[AccountAnalysisRow]
    debit: Decimal
    credit: Decimal
    closing: Decimal


class StatementLine(WireModel):
    code: str
    """The line code of the form: «1600», «2110»…"""
    name: str
    current: Decimal
    previous: Decimal
    """Balance sheet: at the start of the period (end of the previous year in the official
    form; here the day before ``date_from``). Financial results: the same period a year
    earlier."""
    level: int = 0
    """0 a line, 1 a total (bold), 2 a grand total."""


class Statement(WireModel):
    """Бухгалтерский баланс (form 0710001) or Отчёт о финансовых результатах (0710002) in
    the simplified small-business form. The paper form is in thousands of roubles; here
    amounts are roubles and kopecks (a screen or an export may round)."""

    head: ReportHead
    kind: Literal["balance_sheet", "financial_results"]
    lines: list[StatementLine]


class KudirRow(WireModel):
    number: int
    date: date_
    document: str
    """«Поступление на р/с № 1 от 25.11.2026»."""
    description: str
    income: Decimal
    expense: Decimal
    """Counted only for «доходы минус расходы»."""


class UsnQuarter(WireModel):
    period: Literal["Q1", "H1", "9M", "Y"]
    """Cumulative periods as the tax counts them: quarter, half-year, nine months, year."""
    income: Decimal
    expense: Decimal
    base: Decimal
    rate: Decimal
    tax: Decimal
    """Computed tax for the cumulative period, before the reduction."""
    contributions: Decimal
    """Insurance contributions paid in the cumulative period (reduce the 6 % tax)."""
    reduction: Decimal
    """Applied: all of them for an ИП without staff, at most 50 % of the tax otherwise."""
    minimum_tax: Decimal
    """1 % of income («доходы минус расходы», year only); zero otherwise."""
    due: Decimal
    """Advance (or the tax for the year) to pay for this period: cumulative tax after the
    reduction minus the advances of the earlier periods, never below zero."""
    due_date: date_


class UsnReport(WireModel):
    """КУДиР and the УСН tax for a year (rows up to ``head.date_to``)."""

    head: ReportHead
    regime: Literal["usn_income", "usn_income_expense"]
    rate: Decimal
    rows: list[KudirRow]
    income: Decimal
    expense: Decimal
    quarters: list[UsnQuarter]


# --- payment orders (платёжные поручения) -------------------------------------------
# Made by hand, by payroll (salaries, the ЕНП for НДФЛ and contributions) or from a
# document; exported to the bank-client as a 1CClientBankExchange file
# (server/domain/bank_exchange.py). Money out posts when the bank statement comes back.

PaymentKind = Literal["supplier", "tax", "salary", "other"]
"""supplier: to a counterparty; tax: the ЕНП (or another budget payment) to the Treasury
with the budget fields 101–110; salary: to an employee's account; other."""


class PaymentOrderIn(WireModel):
    kind: PaymentKind = "supplier"
    date: date_
    number: Annotated[int | None, Field(ge=1, le=999_999)] = None
    """Empty: the next free number of the year."""
    amount: Decimal
    bank_account_id: Annotated[str | None, Field(max_length=36)] = None
    """The organisation's account paid from; its first one when empty."""
    counterparty_id: Annotated[str | None, Field(max_length=36)] = None
    """Fills the payee from the counterparty's card where the payee fields are empty."""
    employee_id: Annotated[str | None, Field(max_length=36)] = None
    payee_name: Annotated[str | None, Field(max_length=160)] = None
    payee_inn: Annotated[str | None, Field(max_length=12)] = None
    payee_kpp: Annotated[str | None, Field(max_length=9)] = None
    payee_account: Annotated[str | None, Field(max_length=20)] = None
    payee_bik: Annotated[str | None, Field(max_length=9)] = None
    payee_corr_account: Annotated[str | None, Field(max_length=20)] = None
    payee_bank: Annotated[str | None, Field(max_length=160)] = None
    purpose: Annotated[str, Field(min_length=1, max_length=210)]
    """Назначение платежа, with «В т.ч. НДС …» or «Без налога (НДС)» as the user wrote it."""
    priority: Annotated[int, Field(ge=1, le=5)] = 5
    """Очерёдность платежа (5 for ordinary payments and taxes paid voluntarily; 3 for
    salaries and taxes, see ст. 855 ГК)."""
    # Budget fields (kind "tax"): 101 status, 104 КБК, 105 ОКТМО, 106–109, 22 УИН.
    payer_status: Annotated[str | None, Field(max_length=2)] = None
    kbk: Annotated[str | None, Field(max_length=20)] = None
    oktmo: Annotated[str | None, Field(max_length=11)] = None
    basis: Annotated[str | None, Field(max_length=2)] = None
    tax_period: Annotated[str | None, Field(max_length=10)] = None
    doc_number: Annotated[str | None, Field(max_length=15)] = None
    doc_date: Annotated[str | None, Field(max_length=10)] = None
    uin: Annotated[str | None, Field(max_length=25)] = None


class PaymentOrderOut(WireModel):
    id: str
    kind: PaymentKind
    number: int
    date: date_
    amount: Decimal
    amount_in_words: str
    bank_account_id: str
    payer_account: str
    counterparty_id: str | None
    employee_id: str | None
    payee_name: str
    payee_inn: str | None
    payee_kpp: str | None
    payee_account: str
    payee_bik: str
    payee_corr_account: str | None
    payee_bank: str
    purpose: str
    priority: int
    payer_status: str | None
    kbk: str | None
    oktmo: str | None
    basis: str | None
    tax_period: str | None
    doc_number: str | None
    doc_date: str | None
    uin: str | None
    exported_at: datetime | None
    created_at: datetime
    posted_entry_id: str | None = None
    """The entry that already booked this payment (payroll's Дт 70 Кт 51): the bank
    statement's line of it is then in the books, not posted again."""


class PaymentOrderPage(WireModel):
    items: list[PaymentOrderOut]
    next_cursor: str | None


class PaymentExportIn(WireModel):
    ids: Annotated[list[str], Field(min_length=1, max_length=1000)]


# --- bank statement import ------------------------------------------------------------
# A 1CClientBankExchange statement (выписка) is uploaded and staged: each document that
# touches one of the organisation's accounts becomes a line with a proposed Дт/Кт, a
# matched counterparty and a reason; the user may change a line's accounts, then posts
# the whole import in one transaction. A line already posted by an earlier import (same
# account, date, number, amount, direction and counterparty ИНН) is a duplicate.

BankDirection = Literal["in", "out"]
StatementLineStatus = Literal["new", "duplicate", "unknown_account", "posted", "in_books"]
"""new: will be posted; duplicate: already in the books (an earlier import); unknown_account:
neither side is one of the organisation's bank accounts (never posted); posted: done;
in_books: the money movement is already booked by another path (a posted bank document,
or a payment order whose entry was made by payroll), never posted (``entry_id`` is it)."""


class StatementLineOut(WireModel):
    no: int
    """1-based position in the import (the key to change a line)."""
    line: int
    """The line of the file where its document starts."""
    kind: str
    """The document type: «Платежное поручение», «Банковский ордер», …"""
    date: date_
    number: str | None
    direction: BankDirection
    amount: Decimal
    bank_account: str
    """The organisation's account the money came into or left."""
    counterparty_name: str
    counterparty_inn: str | None
    counterparty_kpp: str | None
    counterparty_account: str | None
    counterparty_id: str | None
    """The matched counterparty (by ИНН); None when there is none yet."""
    new_counterparty: bool
    """No counterparty with this ИНН yet: one is created on posting (60/62/76 lines)."""
    purpose: str
    debit: str
    credit: str
    reason: str
    """Why these accounts: «правило: …», «покупатель», «ЕНП», «комиссия банка», …"""
    status: StatementLineStatus
    entry_id: str | None = None


class StatementAccountOut(WireModel):
    account: str
    date_from: date_ | None
    date_to: date_ | None
    opening: Decimal | None
    credited: Decimal | None
    debited: Decimal | None
    closing: Decimal | None
    known: bool
    """One of the organisation's bank accounts."""


class StatementCounts(WireModel):
    total: int
    new: int
    duplicate: int
    unknown_account: int
    posted: int
    incoming: Decimal
    outgoing: Decimal
    in_books: int = 0
    """Lines already in the books by another path (a document, payroll)."""


class StatementPreview(WireModel):
    id: str
    file_name: str
    encoding: str
    state: Literal["staged", "posted"]
    uploaded_at: datetime
    accounts: list[StatementAccountOut]
    lines: list[StatementLineOut]
    counts: StatementCounts


class ImportLineChange(WireModel):
    debit: AccountCode
    credit: AccountCode

    @model_validator(mode="after")
    def _shape(self) -> ImportLineChange:
        if self.debit == self.credit:
            raise InvalidInput("validation.posting_same_account", field="credit")
        return self


BankRuleDirection = Literal["in", "out", "any"]


class BankRuleIn(WireModel):
    """Lines whose counterparty ИНН is ``inn`` and/or whose purpose contains ``purpose``
    (case-insensitive), in ``direction``, go to ``account`` (Дт for money out, Кт for money
    in; the other side is 51). The lowest ``priority`` wins; rules come before the
    built-in proposals."""

    direction: BankRuleDirection = "any"
    inn: Annotated[str | None, Field(pattern=r"^(\d{10}|\d{12})$")] = None
    purpose: Annotated[str | None, Field(min_length=2, max_length=100)] = None
    account: AccountCode
    priority: Annotated[int, Field(ge=0, le=10_000)] = 100

    @model_validator(mode="after")
    def _something(self) -> BankRuleIn:
        if self.purpose is not None:
            self.purpose = self.purpose.strip() or None
        if not self.inn and not self.purpose:
            raise InvalidInput("bank.rule_empty", field="inn")
        return self


class BankRuleOut(WireModel):
    id: str
    direction: BankRuleDirection
    inn: str | None
    purpose: str | None
    account: str
    priority: int
    created_at: datetime


class BankRuleList(WireModel):
    items: list[BankRuleOut]


class BankPostResult(WireModel):
    import_id: str
    posted: int
    duplicates: int
    skipped: int
    """Lines of an account that is not the organisation's."""
    counterparties_created: int
    first_entry: int | None
    last_entry: int | None
    in_books: int = 0
    """Lines not posted because they are already in the books by another path."""


class ReconciliationRow(WireModel):
    account: str
    """A bank account of the file, or «51» for the total against the books."""
    date_from: date_ | None
    date_to: date_ | None
    statement_opening: Decimal | None
    statement_closing: Decimal | None
    statement_credited: Decimal | None
    statement_debited: Decimal | None
    lines_in: Decimal
    """The file's documents crediting this account (money in)."""
    lines_out: Decimal
    books_opening: Decimal | None
    """Account 51 in the books at the start of ``date_from`` (total row only)."""
    books_closing: Decimal | None
    difference_opening: Decimal | None
    """Statement minus books."""
    difference_closing: Decimal | None
    consistent: bool
    """The statement's own figures agree: opening + in − out = closing, and its totals
    equal the sums of its documents."""


class ReconciliationOut(WireModel):
    import_id: str
    rows: list[ReconciliationRow]
    total: ReconciliationRow
    unmatched: list[StatementLineOut]
    """Lines with no entry in the books (not posted, or of an unknown account)."""


# --- employees and payroll ----------------------------------------------------------
# Computed only by the server (server/services/payroll.py with the pure rules of
# server/domain/payroll_rules.py and work_calendar.py); shown by screens/payroll.py.
# Personal data (names, ИНН, СНИЛС, accounts, pay) is readable only with the payroll
# rights (roles accountant, hr, director); everyone else gets 403 and sees no names.

CostAccount = Literal["20", "26", "44"]
"""Where a department's pay is charged: 20 production, 26 administration, 44 sales."""
PayMethod = Literal["card", "cash"]
PayrollItemKind = Literal["bonus", "one_off", "sick", "vacation"]
PayrollState = Literal["draft", "approved", "paid"]
PayPart = Literal["advance", "final"]
_MONEY_MAX = Decimal("999999999.99")


def _money(value: Decimal | None, field: str, *, positive: bool = False) -> None:
    """Roubles and kopecks, not negative (positive when asked), below a billion."""
    if value is None:
        return
    if (not value.is_finite() or value < 0 or (positive and value == 0)
            or value > _MONEY_MAX or value != value.quantize(Decimal("0.01"))):
        raise InvalidInput("payroll.amount", field=field)


class ChildIn(WireModel):
    """A child for the standard НДФЛ deduction (ст. 218 НК): its order among the
    employee's children (1, 2, 3…) and whether it is disabled."""

    order: Annotated[int, Field(ge=1, le=20)]
    disabled: bool = False


class EmployeeIn(WireModel):
    """An employee as typed. ``department`` is free text; ``cost_account`` is where its pay
    is charged (20/26/44). ``salary`` is the monthly оклад in roubles. A card payee needs
    the БИК and the 20-digit account (checked against the БИК); cash needs neither."""

    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    """ФИО: «Иванов Иван Иванович»."""
    position: Annotated[str, Field(min_length=1, max_length=200)]
    department: Annotated[str | None, Field(max_length=200)] = None
    cost_account: CostAccount = "26"
    hired_on: date_
    dismissed_on: date_ | None = None
    salary: Decimal
    inn: Annotated[str | None, Field(max_length=20)] = None
    snils: Annotated[str | None, Field(max_length=20)] = None
    resident: bool = True
    children: Annotated[list[ChildIn], Field(max_length=20)] = []
    pay_method: PayMethod = "card"
    bank_bik: Annotated[str | None, Field(max_length=20)] = None
    bank_account: Annotated[str | None, Field(max_length=30)] = None
    bank_corr_account: Annotated[str | None, Field(max_length=30)] = None
    bank_name: Annotated[str | None, Field(max_length=300)] = None
    is_director: bool = False
    """The head of the organisation (the 2026 minimum contribution base of one МРОТ)."""

    @model_validator(mode="after")
    def _requisites(self) -> EmployeeIn:
        from client import identifiers as ids

        for name in ("full_name", "position"):
            setattr(self, name, getattr(self, name).strip())
            if not getattr(self, name):  # min_length counted the spaces
                raise InvalidInput("validation.required", field=name)
        for name in ("department", "inn", "snils", "bank_bik", "bank_account",
                     "bank_corr_account", "bank_name"):
            setattr(self, name, (getattr(self, name) or "").strip() or None)
        _money(self.salary, "salary")
        if self.dismissed_on is not None and self.dismissed_on < self.hired_on:
            raise InvalidInput("payroll.dismissed_before_hired", field="dismissed_on")
        if self.inn:
            self.inn = _field("inn", ids.check_inn, self.inn, "person")
        if self.snils:
            self.snils = _field("snils", ids.check_snils, self.snils)
        orders = [c.order for c in self.children]
        if len(set(orders)) != len(orders):
            raise InvalidInput("payroll.children_order", field="children")
        if self.pay_method == "card":
            if not self.bank_bik:
                raise InvalidInput("validation.required", field="bank_bik")
            if not self.bank_account:
                raise InvalidInput("validation.required", field="bank_account")
            self.bank_bik = _field("bank_bik", ids.check_bik, self.bank_bik)
            self.bank_account = _field(
                "bank_account", ids.check_account, self.bank_account, self.bank_bik)
            if self.bank_corr_account:
                self.bank_corr_account = _field(
                    "bank_corr_account", ids.check_corr_account, self.bank_corr_account,
                    self.bank_bik)
        else:  # cash: no bank details kept
            self.bank_bik = self.bank_account = self.bank_corr_account = None
            self.bank_name = None
        return self


class EmployeeOut(WireModel):
    """A stored employee as the server keeps it (read as is, never re-validated)."""

    id: str
    full_name: str
    position: str
    department: str | None
    cost_account: CostAccount
    hired_on: date_
    dismissed_on: date_ | None
    salary: Decimal
    inn: str | None
    snils: str | None
    resident: bool
    children: list[ChildIn]
    pay_method: PayMethod
    bank_bik: str | None
    bank_account: str | None
    bank_corr_account: str | None
    bank_name: str | None
    is_director: bool
    created_at: datetime
    updated_at: datetime


class EmployeeList(WireModel):
    items: list[EmployeeOut]
    """Sorted by name; the dismissed ones too (``dismissed_on`` set)."""


class PayrollItemIn(WireModel):
    """One extra accrual of the month for one employee.

    - ``bonus`` (премия) and ``one_off`` (разовая выплата): ``amount`` in roubles.
    - ``sick``: ``date_from``–``date_to`` of the sick leave inside the month, the average
      daily earnings ``avg_daily`` (from the last 2 years, typed by the user) and
      ``record_years`` (insurance record); the employer pays the first 3 days (60/80/100 %),
      from day 4 СФР pays directly (not in this payroll). The days are not paid as salary.
    - ``vacation``: ``date_from``–``date_to``; ``amount`` typed, or else average daily
      earnings ``avg_daily`` typed, or else computed from the approved runs of the previous
      12 months (÷ 12 ÷ 29.3) × calendar days. The days are not paid as salary.
    """

    employee_id: Annotated[str, Field(max_length=36)]
    kind: PayrollItemKind
    amount: Decimal | None = None
    date_from: date_ | None = None
    date_to: date_ | None = None
    avg_daily: Decimal | None = None
    record_years: Annotated[Decimal | None, Field(ge=0, le=80)] = None
    note: Annotated[str | None, Field(max_length=200)] = None

    @model_validator(mode="after")
    def _shape(self) -> PayrollItemIn:
        self.note = (self.note or "").strip() or None
        _money(self.amount, "amount", positive=True)
        _money(self.avg_daily, "avg_daily", positive=True)
        if self.kind in ("bonus", "one_off"):
            if self.amount is None:
                raise InvalidInput("validation.required", field="amount")
            self.date_from = self.date_to = None
            self.avg_daily = self.record_years = None
            return self
        if self.date_from is None:
            raise InvalidInput("validation.required", field="date_from")
        if self.date_to is None:
            raise InvalidInput("validation.required", field="date_to")
        if self.date_to < self.date_from:
            raise InvalidInput("payroll.dates_order", field="date_to")
        if self.kind == "sick":
            if self.avg_daily is None:
                raise InvalidInput("validation.required", field="avg_daily")
            if self.record_years is None:
                raise InvalidInput("validation.required", field="record_years")
            self.amount = None
        return self


class PayrollRunIn(WireModel):
    """Compute (or recompute) the draft payroll of a month.

    The settings left empty are taken from the organisation's latest run, else the
    defaults: ``sme`` False, ``sme_priority`` False, ``injury_rate`` 0.2 %, advance on the
    20th, final payment on the 5th of the next month (a pay day on a day off moves to the
    working day before, ст. 136 ТК).
    ``sme``: the organisation is in the МСП register; ``sme_priority``: in 2026 it also
    meets распоряжение 4125-р (the reduced rate is kept only then; in 2025 any МСП).
    """

    year: Annotated[int, Field(ge=2000, le=2100)]
    month: Annotated[int, Field(ge=1, le=12)]
    items: Annotated[list[PayrollItemIn], Field(max_length=2000)] = []
    advance_day: Annotated[int | None, Field(ge=16, le=28)] = None
    final_day: Annotated[int | None, Field(ge=1, le=15)] = None
    sme: bool | None = None
    sme_priority: bool | None = None
    injury_rate: Decimal | None = None
    """Per cent, e.g. ``"0.2"`` (class I) up to ``"8.5"``."""

    @model_validator(mode="after")
    def _shape(self) -> PayrollRunIn:
        r = self.injury_rate
        if r is not None and (not r.is_finite() or r < 0 or r > Decimal("8.5")
                              or r != r.quantize(Decimal("0.01"))):
            raise InvalidInput("payroll.injury_rate", field="injury_rate")
        return self


class PayrollItemOut(WireModel):
    employee_id: str
    kind: PayrollItemKind
    amount: Decimal
    """What was accrued for it (computed for sick leave and vacation)."""
    date_from: date_ | None
    date_to: date_ | None
    days: int
    """Calendar days of a sick leave or vacation inside the month; 0 otherwise."""
    avg_daily: Decimal | None
    record_years: Decimal | None
    note: str | None


class PayrollLineOut(WireModel):
    """One employee's month. Money in roubles.

    ``accrued`` = salary + bonus + one_off + sick + vacation. НДФЛ is on the cumulative
    income since 1 January (``ndfl`` = computed for the month = withheld from the advance +
    withheld from the final payment). ``advance`` is what is paid on the advance day
    (``advance_gross`` − ``ndfl_advance``), ``final_payment`` the rest, ``net`` their sum.
    """

    employee_id: str
    employee_name: str
    position: str
    cost_account: CostAccount
    working_days: int
    """Working days of the month by the production calendar."""
    days_worked: int
    """Working days employed and not on sick leave or vacation."""
    salary: Decimal
    bonus: Decimal
    one_off: Decimal
    sick: Decimal
    vacation: Decimal
    accrued: Decimal
    deductions: Decimal
    """Standard child deductions applied this month (НДФЛ base reduction)."""
    income_ytd: Decimal
    """Income since 1 January including this month."""
    ndfl: Decimal
    ndfl_advance: Decimal
    ndfl_final: Decimal
    contribution_base: Decimal
    """This month's base (the director's МРОТ minimum when it applies; sick pay excluded)."""
    contrib_main: Decimal
    contrib_injury: Decimal
    advance_gross: Decimal
    advance: Decimal
    final_payment: Decimal
    net: Decimal
    pay_method: PayMethod


class PayrollTotals(WireModel):
    accrued: Decimal
    deductions: Decimal
    ndfl: Decimal
    contrib_main: Decimal
    contrib_injury: Decimal
    advance: Decimal
    final_payment: Decimal
    net: Decimal


class PayrollRunOut(WireModel):
    id: str
    year: int
    month: int
    state: PayrollState
    working_days: int
    sme: bool
    sme_priority: bool
    injury_rate: Decimal
    advance_date: date_
    """The advance pay day (the set day, moved to the working day before)."""
    final_date: date_
    lines: list[PayrollLineOut]
    items: list[PayrollItemOut]
    totals: PayrollTotals
    entry_ids: list[str]
    """Journal entries: the accrual (on approval), then one per payment."""
    payment_order_ids: list[str]
    advance_paid_on: date_ | None
    final_paid_on: date_ | None
    created_at: datetime
    updated_at: datetime


class PayrollRunHead(WireModel):
    id: str
    year: int
    month: int
    state: PayrollState
    employees: int
    totals: PayrollTotals


class PayrollRunList(WireModel):
    items: list[PayrollRunHead]
    """Newest month first."""


class PayrollPayIn(WireModel):
    date: date_
    part: PayPart


class PayrollPaid(WireModel):
    """The result of paying a part: the run, the journal entry (Дт 70 Кт 51 / 50.01), the
    payment orders made (one per card employee, and one ЕНП order for the НДФЛ withheld
    and — with the final part — the month's contributions) and the due dates."""

    run: PayrollRunOut
    entry_id: str | None
    orders: list[PaymentOrderOut]
    ndfl: Decimal
    """НДФЛ withheld on this payment."""
    ndfl_due: date_
    contributions: Decimal
    """The month's contributions put on the ЕНП order (final part only; 0 otherwise)."""
    contributions_due: date_ | None
    injury_due: date_ | None
    """Injury contributions go to СФР by the 15th of the next month (not on the ЕНП)."""


class PayslipLine(WireModel):
    section: Literal["accrued", "deducted", "paid"]
    name: str
    days: int | None = None
    amount: Decimal


class Payslip(WireModel):
    """Расчётный листок (ст. 136 ТК): the parts of pay, the deductions with their grounds,
    what was paid and what is due."""

    org_name: str
    employee_id: str
    employee_name: str
    position: str
    year: int
    month: int
    state: PayrollState
    lines: list[PayslipLine]
    accrued: Decimal
    deducted: Decimal
    paid: Decimal
    """Paid so far (the advance once paid, the final payment once paid)."""
    due: Decimal
    """Still to pay: accrued − deducted − paid."""
    text: list[str]
    """The printable text lines, in the request's language."""


class QuarterMonth(WireModel):
    """One month of a quarter for 6-НДФЛ and РСВ (by the month the pay was accrued for)."""

    month: int
    employees: int
    income: Decimal
    deductions: Decimal
    ndfl_computed: Decimal
    ndfl_withheld: Decimal
    """Withheld so far: the advance once paid plus the final payment once paid."""
    contribution_base: Decimal
    contrib_main: Decimal
    contrib_injury: Decimal


class QuarterSummary(WireModel):
    """The quarter's figures for 6-НДФЛ and РСВ from the approved and paid runs."""

    year: int
    quarter: int
    months: list[QuarterMonth]
    total: QuarterMonth
    """The quarter's sum (``month`` is 0)."""
    income_ytd: Decimal
    """Income since 1 January to the quarter's end (6-НДФЛ section 2)."""
    ndfl_ytd: Decimal
    contribution_base_ytd: Decimal
    contrib_main_ytd: Decimal
