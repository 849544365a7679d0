"""Provides what the support screens share: the context a request may attach (which
screen, which period, the last error's code and request id), the help page of a screen,
the statuses in words, and a ← → choice field."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from client.i18n import t
from core.contract import support as sp
from tui.widgets.choice import Choice as Choice

HELP_DIR = Path(__file__).resolve().parent / "help"
HELP_PAGES = ("keys", "journal", "documents", "bank", "payroll", "signatures", "support")
"""The help pages, in the order the help screen lists them (``help/<name>.md``)."""
HELP_FOR = {"ledger": "journal", "reports": "journal", "dashboard": "keys",
            "documents": "documents", "bank": "bank", "payments": "bank",
            "payroll": "payroll", "signatures": "signatures", "support": "support"}
"""The page for the screens of each area (``screens.<area>.…``)."""


def screen_key(screen: Any) -> str | None:
    """``screens.ledger.journal`` → ``ledger.journal`` (what support reads as «which
    screen»); None for a screen outside ``screens``."""
    module = type(screen).__module__
    if not module.startswith("screens."):
        return None
    return module.removeprefix("screens.")[:80] or None


def help_page_for(screen: Any) -> str:
    key = screen_key(screen) or ""
    return HELP_FOR.get(key.split(".")[0], "keys")


def period_of(screen: Any) -> str | None:
    """The period the screen shows: a month ``2026-03``, a year ``2026`` or a report's
    dates ``01.01.2026-31.03.2026``."""
    period = getattr(screen, "period", None)
    start, end = getattr(period, "start", None), getattr(period, "end", None)
    if isinstance(start, date) and isinstance(end, date):
        return f"{start:%d.%m.%Y}-{end:%d.%m.%Y}"
    month = getattr(screen, "month", None)
    if isinstance(month, date):
        return f"{month:%Y-%m}"
    year = getattr(screen, "year", None)
    if isinstance(year, int) and 2000 <= year <= 2099:
        return str(year)
    return None


def capture(screen: Any, last_error: Any) -> sp.Context:
    """The context of ``screen`` and of the client's last refusal (``LastError``)."""
    code = getattr(last_error, "code", None)
    request_id = getattr(last_error, "request_id", None)
    data = {"screen": screen_key(screen) if screen is not None else None,
            "period": period_of(screen) if screen is not None else None,
            "error_code": code, "request_id": request_id}
    try:
        return sp.Context.model_validate(data)
    except ValueError:  # something odd in one of them: attach only what passes
        kept = {}
        for key, value in data.items():
            try:
                sp.Context.model_validate({key: value})
                kept[key] = value
            except ValueError:
                continue
        return sp.Context.model_validate(kept)


def context_lines(context: sp.Context | None) -> list[str]:
    """«Экран: ledger.journal», «Период: 2026-03», …: exactly what is sent."""
    if context is None:
        return []
    return [t(f"support.ctx.{kind}", value=value) for kind, value in context.items()]


def status_name(status: str) -> str:
    return t(f"support.status.{status}")


def local_zone() -> str:
    """The machine's IANA time zone (``TZ``, /etc/timezone, /etc/localtime), else Moscow."""
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                ZoneInfo(name)
                return name
            except (ValueError, KeyError, OSError):
                continue
    return "Europe/Moscow"


