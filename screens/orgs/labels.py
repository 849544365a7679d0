"""Provides how the organisation screens word roles, regimes and moments."""

from __future__ import annotations

from datetime import datetime
from typing import get_args

from client.i18n import t
from core import contract as m

# The wire contract lists them; the screens only word them.
ROLES = get_args(m.RoleName)
REGIMES = get_args(m.TaxRegime)
VAT_MODES = get_args(m.VatMode)


def role_name(role: str) -> str:
    return t(f"role.{role}")


def when_text(value: datetime) -> str:
    return value.astimezone().strftime("%d.%m.%Y %H:%M")
