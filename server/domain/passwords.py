"""Provides the password policy and argon2id hashing.

Policy: at least 8 characters (counted as characters, not bytes), not the
e-mail's name part, not one of the common passwords shipped in
``data/common-passwords.txt`` (compared case-insensitively, also with the
Cyrillic keyboard layout typed as Latin: «йцукен» is «qwerty»). Argon2 hashes
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


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().casefold() for x in lines if x.strip() and not x.startswith("#"))


def check_password(password: str, email: str | None = None) -> None:
    """Raise InvalidInput naming the first rule the password breaks."""
    check_password_shape(password, email)
    folded = unicodedata.normalize("NFC", password).casefold()
    common = common_passwords()
    if folded in common or folded.translate(_LAYOUT) in common:
        raise InvalidInput("validation.password_common")


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
