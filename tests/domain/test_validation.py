"""client/validation.py: the checks the screens run early and the wire models run always."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core import contract as m
from core.validation import (
    PASSWORD_MAX,
    InvalidInput,
    check_password_shape,
    check_sms_code,
    format_phone,
    normalize_email,
    normalize_phone,
    normalize_token,
)


@pytest.mark.parametrize(
    "typed",
    [
        "8 912 345-67-89",
        "+7 (912) 345 67 89",
        "9123456789",
        "89123456789",
        "+79123456789",
        "7 912 345 67 89",
        "  +7-912-345-67-89  ",
    ],
)
def test_russian_mobile_numbers_are_normalised_to_e164(typed):
    assert normalize_phone(typed) == "+79123456789"


@pytest.mark.parametrize(
    "typed",
    [
        "+7 495 123-45-67",  # Moscow landline
        "8 (495) 123-45-67",
        "8 800 555-35-35",  # toll-free, cannot receive SMS
        "+1 212 555 0100",  # not Russia
        "+380 50 123 4567",
        "912345678",  # a digit short
        "+7912345678901",  # too long
        "abc",
        "",
        "   ",
        "+",
        "телефон",
    ],
)
def test_landlines_foreign_and_junk_numbers_are_refused(typed):
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(typed)
    assert caught.value.key == "validation.phone"


def test_format_phone_for_display():
    assert format_phone("+79123456789") == "+7 912 345-67-89"
    assert format_phone("junk") == "junk"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ivan@example.ru", "ivan@example.ru"),
        ("Ivan.Petrov@Example.RU", "ivan.petrov@example.ru"),
        ("  ivan@example.ru  ", "ivan@example.ru"),
        ("ivan@xn--e1afmkfd.xn--p1ai", "ivan@пример.рф"),
        ("иван@пример.рф", "иван@пример.рф"),
    ],
)
def test_emails_are_normalised(typed, expected):
    assert normalize_email(typed) == expected


@pytest.mark.parametrize("typed", ["", "ivan", "ivan@", "@example.ru", "ivan@@example.ru",
                                   "ivan@example", "ivan example@example.ru", "a@b"])
def test_bad_emails_are_refused(typed):
    with pytest.raises(InvalidInput) as caught:
        normalize_email(typed)
    assert caught.value.key == "validation.email"


def test_password_shape_counts_characters_not_bytes():
    assert check_password_shape("ёжикёжик") == "ёжикёжик"  # 8 characters, 16 bytes
    with pytest.raises(InvalidInput) as caught:
        check_password_shape("ёжикёжи")
    assert caught.value.key == "validation.password_short"
    assert caught.value.params == {"min": 8}
    # NFD "й" is two code points but one character once composed.
    decomposed = "и\u0306" * 7
    with pytest.raises(InvalidInput):
        check_password_shape(decomposed)


def test_password_shape_is_never_stripped_or_truncated():
    spaced = "  пробелы по краям  "
    assert check_password_shape(spaced) == spaced
    longest = "я" * PASSWORD_MAX
    assert check_password_shape(longest) == longest
    with pytest.raises(InvalidInput) as caught:
        check_password_shape(longest + "я")
    assert caught.value.key == "validation.password_long"


def test_password_shape_refuses_the_email_name_in_any_case():
    with pytest.raises(InvalidInput) as caught:
        check_password_shape("Ivan.Petrov", "ivan.petrov@example.ru")
    assert caught.value.key == "validation.password_local_part"
    assert check_password_shape("ivan.petrov1", "ivan.petrov@example.ru")
    assert check_password_shape("ivan.petrov", None)


@pytest.mark.parametrize(("typed", "expected"), [("123456", "123456"), (" 123 456 ", "123456")])
def test_sms_code(typed, expected):
    assert check_sms_code(typed) == expected


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12345a", "１２３４５６"])
def test_bad_sms_codes(typed):
    with pytest.raises(InvalidInput):
        check_sms_code(typed)


def test_tokens_are_typed_loosely():
    assert normalize_token("k7qf-m2xd-9pra") == "K7QFM2XD9PRA"
    assert normalize_token(" K7QF M2XD 9PRA ") == "K7QFM2XD9PRA"
    for bad in ("", "AB!C", "A" * 65):
        with pytest.raises(InvalidInput):
            normalize_token(bad)


def test_wire_models_run_the_same_checks():
    req = m.RegisterRequest(email="Ivan@Example.RU", phone="8 912 345-67-89",
                            password="Белый кит 42", sms_code="123456")
    assert (req.email, req.phone) == ("ivan@example.ru", "+79123456789")
    with pytest.raises(ValidationError):
        m.RegisterRequest(email="ivan@example.ru", phone="+7 495 123-45-67",
                          password="Белый кит 42", sms_code="123456")
    with pytest.raises(ValidationError):
        m.RegisterRequest(email="ivan@example.ru", phone="+79123456789",
                          password="ivan", sms_code="123456")
    with pytest.raises(ValidationError):
        m.SmsCodeRequest(phone="+79123456789", extra="field")
    # Login checks no shape: an old short password is "wrong", not "invalid".
    assert m.LoginRequest(email="ivan@example.ru", password="x").password == "x"


def test_kazakh_numbers_sharing_plus_seven_are_not_russian_mobiles():
    import pytest

    from core.validation import InvalidInput, normalize_phone

    # +7 701 … is a Kazakh mobile (Beeline KZ): valid, +7, but not Russian.
    with pytest.raises(InvalidInput):
        normalize_phone("+7 701 234 56 78")
