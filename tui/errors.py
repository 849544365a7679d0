"""Provides the human texts of refusals: an API error, a value rule, a wire model's check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from client.errors import ApiError, ValidationFailed
from client.i18n import t
from core.validation import InvalidInput

if TYPE_CHECKING:
    from pydantic import ValidationError


def describe(error: ApiError) -> str:
    """The human text for a refusal, with field problems when the server listed them."""
    if isinstance(error, ValidationFailed) and error.errors and error.code == "validation.failed":
        return "; ".join(e.get("message", "") for e in error.errors if e.get("message"))
    return error.detail


def invalid_text(error: InvalidInput) -> str:
    return t(error.key, **error.params)


def field_of(error: ValidationError) -> tuple[list[str], str]:
    """Where a wire model refused the form (``["lines", "0", "quantity"]``) and why."""
    first = error.errors()[0]
    loc = [str(p) for p in first.get("loc", ())]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, InvalidInput):
        field = cause.params.get("field")
        if field and (not loc or loc[-1] != field):
            loc.append(str(field))
        return loc, invalid_text(cause)
    if first.get("type") == "missing":
        return loc, t("validation.required")
    return loc, str(first.get("msg", ""))


class Refused(Exception):
    """A form field was refused and the form has already said why: stop the submit."""
