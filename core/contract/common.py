"""Provides the wire contract for the base wire model, shared field types and the problem (error)
body.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from core import validation as v
from core.validation import InvalidInput


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
