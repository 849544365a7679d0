"""Provides the input checks shared by the screens (early) and the wire models (always).

Each check returns the normalised value or raises ``InvalidInput`` carrying a
catalogue key, so the screen and the server word the problem the same way.
Heavy libraries are imported on first use to keep the app's start-up fast.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

PASSWORD_MIN = 8
PASSWORD_MAX = 256
SMS_CODE_RE = re.compile(r"^[0-9]{6}$")  # ASCII only: \d also matches "１２３"

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2099, 12, 31)
"""The one range of dates the books take, everywhere in the API: entries, documents, payment
orders, closed months and report periods. Outside it a date is a typo (0001-01-01, 9999-12-31),
and month arithmetic at the edges of the calendar cannot fail."""


class InvalidInput(ValueError):
    """A value a user typed that cannot be accepted; ``key`` names the catalogue text."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def normalize_email(value: str) -> str:
    """Return the normalised address (domain lowercased, IDN handled) or raise."""
    from email_validator import EmailNotValidError, validate_email

    value = (value or "").strip()
    try:
        info = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("validation.email") from None
    # Addresses are compared case-insensitively: nobody expects Ivan@ and ivan@
    # to be two accounts.
    return info.normalized.lower()


def normalize_phone(value: str) -> str:
    """Return a Russian mobile number as E.164 (``+79123456789``) or raise.

    ``8 912 …`` and ``912 …`` are read as Russian numbers, as people type them.
    """
    import phonenumbers
    from phonenumbers import PhoneNumberType

    raw = (value or "").strip()
    if not raw:
        raise InvalidInput("validation.phone")
    digits = re.sub(r"\D", "", raw)
    if not raw.startswith("+") and len(digits) == 11 and digits[0] == "8":
        raw = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(raw, "RU")
    except phonenumbers.NumberParseException:
        raise InvalidInput("validation.phone") from None
    # +7 is shared with Kazakhstan (+7 7xx, +7 6xx): only Russian numbers count.
    if (
        number.country_code != 7
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "RU"
    ):
        raise InvalidInput("validation.phone")
    if phonenumbers.number_type(number) not in (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise InvalidInput("validation.phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """``+79123456789`` → ``+7 912 345-67-89`` for display."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, "RU")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_password_shape(password: str, email: str | None = None) -> str:
    """The checks both sides make: length in characters (not bytes), not the e-mail's name.

    The server adds the list of common passwords. Passwords are never stripped or
    truncated: a 64-character passphrase in Cyrillic or with emoji is kept whole.
    """
    if password is None:
        raise InvalidInput("validation.required")
    length = len(unicodedata.normalize("NFC", password))
    if length < PASSWORD_MIN:
        raise InvalidInput("validation.password_short", min=PASSWORD_MIN)
    if length > PASSWORD_MAX:
        raise InvalidInput("validation.password_long", max=PASSWORD_MAX)
    if email and "@" in email:
        local = email.split("@", 1)[0].casefold()
        if password.casefold() == local:
            raise InvalidInput("validation.password_local_part")
    return password


def check_sms_code(value: str) -> str:
    code = (value or "").strip().replace(" ", "")
    if not SMS_CODE_RE.match(code):
        raise InvalidInput("validation.sms_code")
    return code


def normalize_token(value: str) -> str:
    """Tokens from e-mails are typed by hand: ignore case, spaces and dashes."""
    token = re.sub(r"[\s\-]", "", value or "").upper()
    if not token or len(token) > 64 or not token.isalnum():
        raise InvalidInput("validation.token")
    return token


def check_book_date(value: date) -> date:
    """A date of the books inside [DATE_MIN, DATE_MAX], or ``validation.date_range``."""
    if not DATE_MIN <= value <= DATE_MAX:
        raise InvalidInput("validation.date_range", min=f"{DATE_MIN:%d.%m.%Y}",
                           max=f"{DATE_MAX:%d.%m.%Y}")
    return value


def check_no_nul(value: str) -> str:
    """Text without NUL characters (PostgreSQL cannot store them), or ``validation.nul``."""
    if "\x00" in value:
        raise InvalidInput("validation.nul")
    return value
