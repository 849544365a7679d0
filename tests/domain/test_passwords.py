"""server/domain/passwords.py: the password policy and argon2id hashing."""

from __future__ import annotations

import pytest

from core.validation import InvalidInput
from server.domain.passwords import Hasher, check_password, common_passwords
from tests.conftest import FAST_HASH


@pytest.fixture(scope="module")
def hasher() -> Hasher:
    return Hasher(FAST_HASH["argon2_time_cost"], FAST_HASH["argon2_memory_kib"],
                  FAST_HASH["argon2_parallelism"])


def test_the_common_list_is_loaded_and_folded():
    common = common_passwords()
    assert len(common) > 100
    assert "qwerty123" in common and "пароль" in common
    assert all(p == p.casefold() and p.strip() == p and p for p in common)
    assert not any(p.startswith("#") for p in common)


@pytest.mark.parametrize(
    "password",
    [
        "qwerty123",
        "QWERTY123",
        "Password123",
        "пароль123",
        "ПАРОЛЬ123",
        "йцукен123",
        "ЙцУкЕн123",
        "йцукенгшщз",  # «qwertyuiop» on the Russian layout; not itself in the list
        "1234567890",
    ],
)
def test_common_passwords_are_refused(password):
    with pytest.raises(InvalidInput) as caught:
        check_password(password, "ivan@example.ru")
    assert caught.value.key == "validation.password_common"


@pytest.mark.parametrize(
    ("password", "email", "key"),
    [
        ("кот", None, "validation.password_short"),
        ("marina.petrova", "marina.petrova@example.ru", "validation.password_local_part"),
        ("MARINA.PETROVA", "marina.petrova@example.ru", "validation.password_local_part"),
        ("я" * 257, None, "validation.password_long"),
    ],
)
def test_shape_rules_come_first(password, email, key):
    with pytest.raises(InvalidInput) as caught:
        check_password(password, email)
    assert caught.value.key == key


@pytest.mark.parametrize(
    "password",
    [
        "Белый кит плывёт на север 42",
        "correct horse battery staple",
        "🐋🐋🐋 бухта 🐋🐋🐋",
        "qwerty123 but longer",
    ],
)
def test_good_passwords_pass(password):
    check_password(password, "ivan@example.ru")


def test_hash_is_argon2id_and_verifies(hasher):
    stored = hasher.hash("Белый кит 42")
    assert stored.startswith("$argon2id$")
    assert hasher.verify(stored, "Белый кит 42")
    assert not hasher.verify(stored, "белый кит 42")
    assert hasher.hash("Белый кит 42") != stored  # salted


def test_no_truncation_of_long_passphrases(hasher):
    phrase = ("Тихая бухта 🐋 белый маяк 🗼 ёлка " * 4)[:64]
    assert len(phrase.encode()) > 72
    stored = hasher.hash(phrase)
    assert hasher.verify(stored, phrase)
    assert not hasher.verify(stored, phrase[:-1] + "Ж")
    assert not hasher.verify(stored, phrase[:72 // 4])


def test_verify_without_a_hash_is_false_not_an_error(hasher):
    assert hasher.verify(None, "anything") is False
    assert hasher.verify("not a hash", "anything") is False
    # The dummy hash used for timing parity never matches its own text.
    assert hasher.verify(None, "dummy password for timing parity") is False


def test_needs_rehash_when_the_cost_changes(hasher):
    stored = hasher.hash("Белый кит 42")
    assert not hasher.needs_rehash(stored)
    stronger = Hasher(2, 2048, 1)
    assert stronger.needs_rehash(stored)


@pytest.mark.parametrize(
    "password",
    [
        "qwertyui",  # a keyboard walk of 8: not in the list itself
        "йцукенгш",  # the same keys on the Russian layout (issue 19)
        "ЙЦУКЕНГШ",
        "asdfghjkl",
        "фывапролд",  # «asdfghjkl» on the Russian layout
        "zxcvbnm,",
        "ячсмитьб",  # «zxcvbnm,» on the Russian layout
        "iuytrewq",  # the walk backwards
        "gfhjkm123",  # «пароль123» typed with the Latin layout on
        "GFHJKMGFHJKM",  # «парольпароль» likewise
    ],
)
def test_common_passwords_are_refused_in_both_layouts(password):
    with pytest.raises(InvalidInput) as caught:
        check_password(password, "ivan@example.ru")
    assert caught.value.key == "validation.password_common"


@pytest.mark.parametrize("password", ["qwerty-лето-2026", "йцук ен гш", "Корова на лугу 7"])
def test_passwords_that_merely_contain_a_walk_are_accepted(password):
    check_password(password, "ivan@example.ru")
