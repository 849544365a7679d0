"""Provides the password policy and argon2id hashing.

Policy: at least 8 characters (counted as characters, not bytes), not the
e-mail's name part, not one of the common passwords shipped in
``data/common-passwords.txt`` and not a walk along one keyboard row
(«qwertyui», «asdfghjk», backwards too). Both are checked case-insensitively in
both keyboard layouts: «йцукенгш» is «qwertyui» typed with the Russian layout
on, «gfhjkm123» is «пароль123» typed with the Latin one. Argon2 hashes
the whole UTF-8 password, so long Cyrillic or emoji passphrases are never
truncated (unlike bcrypt's 72 bytes).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core.validation import InvalidInput, check_password_shape

_COMMON = Path(__file__).parent / "data" / "common-passwords.txt"

_RU = "йцукенгшщзхъфывапролджэячсмитьбю"
_EN = "qwertyuiop[]asdfghjkl;'zxcvbnm,."
_LAYOUT = str.maketrans(_RU, _EN)
_LAYOUT_BACK = str.maketrans(_EN, _RU)
# The rows of a Latin keyboard: a password that is one stretch of a row is a walk.
_ROWS = ("1234567890-=", "qwertyuiop[]", "asdfghjkl;'", "zxcvbnm,./")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().casefold() for x in lines if x.strip() and not x.startswith("#"))


def check_password(password: str, email: str | None = None) -> None:
    """Raise InvalidInput naming the first rule the password breaks."""
    check_password_shape(password, email)
    folded = unicodedata.normalize("NFC", password).casefold()
    common = common_passwords()
    # The password as typed, as the same keys give on the Latin layout, and on the Russian.
    variants = {folded, folded.translate(_LAYOUT), folded.translate(_LAYOUT_BACK)}
    if any(v in common or _is_keyboard_walk(v) for v in variants):
        raise InvalidInput("validation.password_common")


def _is_keyboard_walk(text: str) -> bool:
    """True when ``text`` is one stretch of a Latin keyboard row, either way."""
    return any(text in row or text in row[::-1] for row in _ROWS)


class Hasher:
    """argon2id with the cost from settings; verifies in constant time."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4):
        self._ph = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=Type.ID,
        )
        self._dummy = self._ph.hash("dummy password for timing parity")

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """False for a mismatch; with no hash, still spends the time of one check."""
        try:
            return self._ph.verify(stored_hash or self._dummy, password) and bool(stored_hash)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        return self._ph.check_needs_rehash(stored_hash)
