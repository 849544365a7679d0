"""Provides the wire contract for counterparties (контрагенты)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from core import validation as v
from core.contract.common import WireModel, _field
from core.validation import InvalidInput

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
        from core import identifiers as ids

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
