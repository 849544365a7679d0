"""Provides the wire contract for the base wire model, shared field types and the problem (error)
body.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from core import validation as v
from core.money import MONEY_MAX, within_money_max
from core.validation import InvalidInput

DECIMAL_TEXT = r"^-?[0-9]{1,16}(\.[0-9]{1,6})?$"
"""A decimal on the wire: a JSON string of plain digits with an optional dot and up to 6
places — ``"1234.56"``, ``"3"``, ``"-0.5"``. Not a JSON number (``0.1`` as a float is
already not 0.1), no exponent (``"1e2"``), no spaces (``" 1.00 "``), no comma."""
_DECIMAL_TEXT = re.compile(DECIMAL_TEXT.strip("^$"))


def _named(info: ValidationInfo) -> dict[str, str]:
    """The refused field's name, as every other field check puts it in its error."""
    return {"field": info.field_name} if info.field_name else {}


def _decimal_text(value: object, info: ValidationInfo) -> Decimal:
    if isinstance(value, Decimal):  # a model built in Python (the client's own)
        if not value.is_finite():
            raise InvalidInput("validation.decimal_text", **_named(info))
        return value
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return Decimal(value)
    raise InvalidInput("validation.decimal_text", **_named(info))


def _money_max(value: Decimal, info: ValidationInfo) -> Decimal:
    if not within_money_max(value):
        raise InvalidInput("validation.money_max", max="999 999 999 999,99", **_named(info))
    return value


_DECIMAL_SCHEMA = {"type": "string", "pattern": DECIMAL_TEXT}


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


DecimalText = Annotated[Decimal, BeforeValidator(_decimal_text),
                        WithJsonSchema({**_DECIMAL_SCHEMA, "examples": ["3", "0.5"]},
                                       mode="validation")]
"""A decimal quantity or rate sent as a string (``DECIMAL_TEXT``)."""


Money = Annotated[Decimal, BeforeValidator(_decimal_text), AfterValidator(_money_max),
                  WithJsonSchema({**_DECIMAL_SCHEMA, "examples": ["1234.56"],
                                  "description": "Roubles as a decimal string, at most "
                                                 f"{MONEY_MAX} in absolute value"},
                                 mode="validation")]
"""Every money field a request carries: a decimal string (``DECIMAL_TEXT``) whose absolute
value is at most ``core.money.MONEY_MAX``; each model adds its own sign and kopeck checks."""


BookDate = Annotated[date, AfterValidator(v.check_book_date)]
"""A date of the books (entry, document, payment order): in [DATE_MIN, DATE_MAX]."""


def _no_nul(data: Any, path: str = "") -> None:
    if isinstance(data, str):
        if "\x00" in data:
            raise InvalidInput("validation.nul", field=path or "body")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            if isinstance(item, str):
                _no_nul(item, f"{path}.{i}" if path else str(i))


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul(cls, data: Any) -> Any:
        """No text of any model carries a NUL character (PostgreSQL cannot store it):
        422 naming the field. Nested models check their own fields."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, str | list):
                    _no_nul(value, str(key))
        return data


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


def _field(name: str, check: Any, *args: Any) -> Any:
    """Run an identifier check, naming the field in the error it raises."""
    try:
        return check(*args)
    except InvalidInput as exc:
        exc.params.setdefault("field", name)
        raise
