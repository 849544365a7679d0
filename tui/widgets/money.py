"""Provides amounts as the screens show and take them: ``money`` (``1 234,50 ₽``),
``money_input`` (``1234,50``, as one types it back), ``amount_problem``, the check
made while an amount is typed, and the MoneyInput field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual.widgets import Input

from client.i18n import get_locale, t
from core.money import format_amount, parse_amount, parse_money
from core.validation import InvalidInput
from tui.errors import invalid_text


def money(amount: Decimal) -> str:
    """An amount with the currency, in the UI's language: ``1 234,50 ₽``."""
    return format_amount(amount, get_locale())


def money_input(amount: Decimal) -> str:
    """An amount as the user would type it back: ``1234,50``."""
    return f"{amount:.2f}".replace(".", ",")


def amount_problem(raw: str) -> str | None:
    """Why a typed amount can never become a posting's amount; None while it can.

    Checked as the user types, so a value on its way to a valid amount passes:
    ``1 2`` (towards ``1 234``) and ``1 234,`` are fine because adding digits makes
    them valid; ``12abc``, ``1.234`` (dots as thousands) and ``12,345`` are not.
    """
    text = raw.strip()
    if not text:
        return None
    try:
        value = parse_amount(text)
    except InvalidInput as exc:
        for tail in ("0", "00", "000"):
            try:
                parse_amount(text + tail)
                return None
            except InvalidInput:
                continue
        return invalid_text(exc)
    if value < 0:
        return t("ledger.amount_positive")
    try:
        parse_money(text)  # over the one money limit: more digits never help
    except InvalidInput as exc:
        return invalid_text(exc)
    return None


class MoneyInput(Input):
    """An amount field, filled in as one types it (``1234,50``); ``amount`` reads it."""

    def __init__(self, amount: Decimal | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(money_input(amount) if amount is not None else "", *args, **kwargs)

    @property
    def amount(self) -> Decimal:
        """The amount typed; raises InvalidInput when it is not one (or is over the limit)."""
        return parse_money(self.value)

    @property
    def problem(self) -> str | None:
        """Why what is typed can never become an amount; None while it can."""
        return amount_problem(self.value)
