"""Registration: SMS codes, e-mail confirmation, password policy, hashing."""

from __future__ import annotations

import pytest

from server.db.models import EmailToken, SmsCode, User
from server.i18n import text
from tests.conftest import PASSWORD, last_mail_token, last_sms_code, login, register
from tests.helpers import (
    PROBLEM,
    assert_problem,
    count,
    in_the_past,
    messages_to,
    other_code,
    rows,
    set_columns,
)

PHONE = "+79123456789"
EMAIL = "ivan@example.ru"


async def ask_code(http, phone: str = PHONE) -> str:
    resp = await http.post("/auth/sms-codes", json={"phone": phone})
    assert resp.status_code == 202, resp.text
    assert resp.json() == {"status": "sent", "expires_in": 600}
    return await last_sms_code(http, phone)


def reg_body(code: str, *, email=EMAIL, phone=PHONE, password=PASSWORD) -> dict:
    return {"email": email, "phone": phone, "password": password, "sms_code": code}


# --- SMS codes ---------------------------------------------------------------


async def test_sms_code_lands_in_outbox_with_the_typed_number_normalised(http):
    resp = await http.post("/auth/sms-codes", json={"phone": "8 (912) 345-67-89"})
    assert resp.status_code == 202
    sms = await messages_to(http, PHONE, "sms")
    assert len(sms) == 1
    assert "Бухта" in sms[0]["body"]
    code = await last_sms_code(http, PHONE)
    assert len(code) == 6 and code.isdigit()


async def test_wrong_sms_code_is_refused_and_the_right_one_still_works(http, server_app):
    code = await ask_code(http)
    resp = await http.post("/auth/register", json=reg_body(other_code(code)))
    assert_problem(resp, 400, "auth.sms_code_invalid")
    assert count(server_app, User) == 0
    resp = await http.post("/auth/register", json=reg_body(code))
    assert resp.status_code == 202, resp.text
    assert resp.json() == {"status": "accepted"}
    assert count(server_app, User) == 1


async def test_five_wrong_tries_spend_the_code(http, server_app):
    code = await ask_code(http)
    wrong = reg_body(other_code(code))
    for _ in range(4):
        assert_problem(await http.post("/auth/register", json=wrong), 400, "auth.sms_code_invalid")
    assert_problem(await http.post("/auth/register", json=wrong), 400, "auth.sms_code_attempts")
    # The right code no longer helps: the code is spent.
    resp = await http.post("/auth/register", json=reg_body(code))
    assert_problem(resp, 400, "auth.sms_code_expired")
    assert count(server_app, User) == 0
    (row,) = rows(server_app, SmsCode)
    assert row.attempts == 5 and row.used_at is not None


async def test_expired_sms_code_is_refused(http, server_app):
    code = await ask_code(http)
    assert set_columns(server_app, SmsCode, SmsCode.phone == PHONE, expires_at=in_the_past()) == 1
    assert_problem(await http.post("/auth/register", json=reg_body(code)), 400,
                   "auth.sms_code_expired")
    assert count(server_app, User) == 0


async def test_a_new_code_replaces_the_old_one(http):
    old = await ask_code(http)
    new = await ask_code(http)
    if old != new:
        resp = await http.post("/auth/register", json=reg_body(old))
        assert_problem(resp, 400, "auth.sms_code_invalid")
    assert (await http.post("/auth/register", json=reg_body(new))).status_code == 202


async def test_sms_code_is_stored_hashed(http, server_app):
    code = await ask_code(http)
    (row,) = rows(server_app, SmsCode)
    assert code not in row.code_hash


async def test_at_most_three_sms_per_number_per_hour(http):
    for _ in range(3):
        await ask_code(http)
    resp = await http.post("/auth/sms-codes", json={"phone": PHONE})
    body = assert_problem(resp, 429, "auth.rate_limited")
    retry_after = int(resp.headers["Retry-After"])
    assert 3000 < retry_after <= 3601
    assert body["retry_after"] == retry_after
    assert f"через {retry_after} с" in body["detail"]
    assert len(await messages_to(http, PHONE, "sms")) == 3
    # Another number is not affected.
    await ask_code(http, "+79123456780")


async def test_landline_is_refused_before_any_sms(http):
    resp = await http.post("/auth/sms-codes", json={"phone": "+7 495 123-45-67"})
    body = assert_problem(resp, 422, "validation.failed")
    assert body["errors"][0]["field"] == "phone"
    assert (await http.get("/dev/outbox")).json()["items"] == []


# --- e-mail confirmation -----------------------------------------------------


async def test_cannot_log_in_before_confirming_the_email(http):
    await register(http, confirm=False)
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_problem(resp, 403, "auth.email_not_confirmed")
    token = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/email-confirmations", json={"token": token})
    assert resp.status_code == 200
    assert resp.json() == {"status": "confirmed"}
    pair = await login(http)
    assert pair["user"]["email_confirmed"] is True


async def test_typed_token_ignores_case_spaces_and_dashes(http):
    await register(http, confirm=False)
    token = await last_mail_token(http, EMAIL)
    typed = " " + token.lower().replace("-", " ") + " "
    resp = await http.post("/auth/email-confirmations", json={"token": typed})
    assert resp.status_code == 200, resp.text


async def test_confirmation_token_is_single_use(http):
    await register(http, confirm=False)
    token = await last_mail_token(http, EMAIL)
    assert (await http.post("/auth/email-confirmations", json={"token": token})).status_code == 200
    resp = await http.post("/auth/email-confirmations", json={"token": token})
    assert_problem(resp, 400, "auth.token_invalid")


async def test_confirmation_token_expires(http, server_app):
    await register(http, confirm=False)
    token = await last_mail_token(http, EMAIL)
    changed = set_columns(server_app, EmailToken, EmailToken.purpose == "confirm",
                          expires_at=in_the_past())
    assert changed == 1
    resp = await http.post("/auth/email-confirmations", json={"token": token})
    assert_problem(resp, 400, "auth.token_expired")
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_problem(resp, 403, "auth.email_not_confirmed")


async def test_confirmation_token_is_stored_hashed_and_expires_in_48h(http, server_app):
    await register(http, confirm=False)
    token = await last_mail_token(http, EMAIL)
    (row,) = rows(server_app, EmailToken)
    assert token.replace("-", "") not in row.token_hash
    hours = (row.expires_at - row.created_at).total_seconds() / 3600
    assert hours == pytest.approx(48)


async def test_unknown_confirmation_token_is_refused(http):
    resp = await http.post("/auth/email-confirmations", json={"token": "AAAA-BBBB-CCCC"})
    assert_problem(resp, 400, "auth.token_invalid")


async def test_resend_confirmation_sends_a_new_working_code(http):
    await register(http, confirm=False)
    first = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/email-confirmations/resend", json={"email": EMAIL})
    assert resp.status_code == 202
    second = await last_mail_token(http, EMAIL)
    assert second != first
    assert (await http.post("/auth/email-confirmations",
                            json={"token": second})).status_code == 200


# --- password policy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "email", "code", "key"),
    [
        ("кот1234", EMAIL, "validation.failed", None),  # 7 characters
        ("qwerty123", EMAIL, "auth.password_policy", "validation.password_common"),
        ("QwErTy123", EMAIL, "auth.password_policy", "validation.password_common"),
        ("йцукен123", EMAIL, "auth.password_policy", "validation.password_common"),
        # Not in the list itself: «qwertyuiop» typed on the Russian layout.
        ("йцукенгшщз", EMAIL, "auth.password_policy", "validation.password_common"),
        ("Marina.Petrova", "marina.petrova@example.ru", "validation.failed", None),
    ],
)
async def test_password_policy_refuses_and_keeps_the_sms_code(
    http, server_app, password, email, code, key
):
    sms = await ask_code(http)
    resp = await http.post("/auth/register", json=reg_body(sms, email=email, password=password))
    body = assert_problem(resp, 422, code)
    if key is not None:
        assert body["detail"] == text(key, "ru")
    assert count(server_app, User) == 0
    # A refused password does not spend the SMS code.
    resp = await http.post("/auth/register", json=reg_body(sms, email=email))
    assert resp.status_code == 202, resp.text


async def test_short_password_detail_names_the_rule(http):
    sms = await ask_code(http)
    resp = await http.post("/auth/register", json=reg_body(sms, password="кот1234"),
                           headers={"Accept-Language": "en"})
    body = assert_problem(resp, 422, "validation.failed")
    assert "at least 8 characters" in body["detail"]
    assert any("at least 8" in e["message"] for e in body["errors"])


LONG = "Тихая бухта 🐋 белый маяк 🗼 чай ☕ и годовой баланс сошёлся"
PASSPHRASE = (LONG + " " + "ё" * 64)[:64]


async def test_long_cyrillic_emoji_passphrase_is_accepted_and_not_truncated(http):
    assert len(PASSPHRASE) == 64
    assert len(PASSPHRASE.encode()) > 72  # longer than bcrypt would look at
    await register(http, password=PASSPHRASE)
    pair = await login(http, password=PASSPHRASE)
    assert pair["user"]["email"] == EMAIL
    for near in (PASSPHRASE[:-1] + "ж", PASSPHRASE[:-1]):
        resp = await http.post("/auth/login", json={"email": EMAIL, "password": near})
        assert_problem(resp, 401, "auth.invalid_credentials")


async def test_password_is_stored_as_argon2id(http, server_app):
    await register(http)
    (user,) = rows(server_app, User)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.phone == PHONE and user.email == EMAIL


async def test_email_is_case_insensitive(http):
    code = await ask_code(http)
    resp = await http.post("/auth/register", json=reg_body(code, email="Ivan.Petrov@Example.RU"))
    assert resp.status_code == 202
    token = await last_mail_token(http, "ivan.petrov@example.ru")
    assert (await http.post("/auth/email-confirmations", json={"token": token})).status_code == 200
    pair = await login(http, email="IVAN.PETROV@example.ru")
    assert pair["user"]["email"] == "ivan.petrov@example.ru"


async def test_errors_are_problem_json(http):
    resp = await http.post("/auth/register", json={})
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert body["code"] == "validation.failed"
    fields = {e["field"] for e in body["errors"]}
    assert {"email", "phone", "password", "sms_code"} <= fields
