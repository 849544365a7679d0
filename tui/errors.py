"""Provides the human texts of refusals: an API error, a value rule, a wire model's check."""

from __future__ import annotations

import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from client.errors import ApiError, ValidationFailed, pydantic_text
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
    return loc, pydantic_text(first)


LOG_NAME = "buhta.log"
LOG_LIMIT = 1_000_000
"""Bytes: a longer log is moved to ``buhta.log.1`` (the one before is dropped)."""


def log_exception(error: BaseException, root: Path | str | None = None) -> Path | None:
    """Append ``error`` with its traceback to ``buhta.log`` in the data folder.

    Returns the log's path, or None when it cannot be written (a full or read-only disk
    must not turn a bug into a crash).
    """
    from client.paths import data_dir

    try:
        path = data_dir(root) / LOG_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and path.stat().st_size > LOG_LIMIT:
            path.replace(path.with_name(LOG_NAME + ".1"))
        stamp = datetime.now().isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{stamp} {type(error).__name__}: {error}\n")
            log.write("".join(traceback.format_exception(error)))
        return path
    except OSError:
        return None


def bug_text(error: BaseException) -> str:
    """What the user reads when a handler failed: what, that nothing typed is lost, where
    the details are."""
    return t("app.handler_failed", error=f"{type(error).__name__}: {error}", log=LOG_NAME)


class Refused(Exception):
    """A form field was refused and the form has already said why: stop the submit."""
