"""Login: no account enumeration, rate limits per account and per address, audit log."""

from __future__ import annotations

from sqlalchemy import select

from server.db.models import AuditEvent, User
from server.i18n import text
from tests.conftest import PASSWORD, last_sms_code, login, register
from tests.helpers import assert_problem, client_for, count, db, messages_to, rows, running_app

EMAIL = "ivan@example.ru"
UNKNOWN = "nobody@example.ru"


async def fail_login(http, email: str, password: str = "не тот пароль 123"):
    return await http.post("/auth/login", json={"email": email, "password": password})


def comparable(resp) -> tuple:
    return (resp.status_code, resp.headers["content-type"],
            resp.headers.get("www-authenticate"), resp.json())


# --- enumeration parity ------------------------------------------------------


async def test_failed_login_is_the_same_for_known_and_unknown_email(http):
    await register(http)
    known = await fail_login(http, EMAIL)
    unknown = await fail_login(http, UNKNOWN)
    assert_problem(known, 401, "auth.invalid_credentials")
    assert comparable(known) == comparable(unknown)


async def test_unconfirmed_account_with_a_wrong_password_looks_like_any_other(http):
    await register(http, confirm=False)
    known = await fail_login(http, EMAIL)
    unknown = await fail_login(http, UNKNOWN)
    assert comparable(known) == comparable(unknown)


async def test_password_reset_request_is_the_same_for_known_and_unknown_email(http):
    await register(http)
    known = await http.post("/auth/password-reset", json={"email": EMAIL})
    unknown = await http.post("/auth/password-reset", json={"email": UNKNOWN})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json() == {"status": "accepted"}
    assert known.headers["content-type"] == unknown.headers["content-type"]
    # Only the real owner gets a message.
    assert await messages_to(http, UNKNOWN) == []
    reset_mail = [m for m in await messages_to(http, EMAIL, "email")
                  if m["subject"] == text("msg.reset.subject", "ru")]
    assert len(reset_mail) == 1


async def test_registration_with_a_taken_email_looks_like_a_fresh_one(http, server_app):
    await register(http)  # ivan@ owns the address
    mails_before = len(await messages_to(http, EMAIL, "email"))

    async def attempt(email: str, phone: str):
        resp = await http.post("/auth/sms-codes", json={"phone": phone})
        assert resp.status_code == 202
        code = await last_sms_code(http, phone)
        return await http.post("/auth/register", json={
            "email": email, "phone": phone, "password": "Другой пароль 2024", "sms_code": code,
        })

    taken = await attempt(EMAIL, "+79001112233")
    fresh = await attempt("fresh@example.ru", "+79001112244")
    assert taken.status_code == fresh.status_code == 202
    assert taken.json() == fresh.json()
    assert taken.headers["content-type"] == fresh.headers["content-type"]

    owner_mail = await messages_to(http, EMAIL, "email")
    assert len(owner_mail) == mails_before + 1
    assert owner_mail[0]["subject"] == text("msg.taken.subject", "ru")
    # The account is untouched: one user, old password still the password.
    assert count(server_app, User, User.email == EMAIL) == 1
    await login(http)
    assert_problem(await fail_login(http, EMAIL, "Другой пароль 2024"), 401,
                   "auth.invalid_credentials")


async def test_taken_mail_contains_no_confirmation_code(http):
    await register(http)
    resp = await http.post("/auth/sms-codes", json={"phone": "+79001112233"})
    assert resp.status_code == 202
    code = await last_sms_code(http, "+79001112233")
    resp = await http.post("/auth/register", json={
        "email": EMAIL, "phone": "+79001112233", "password": "Другой пароль 2024",
        "sms_code": code,
    })
    assert resp.status_code == 202
    newest = (await messages_to(http, EMAIL, "email"))[0]
    assert newest["subject"] == text("msg.taken.subject", "ru")
    assert newest["body"] == text("msg.taken.body", "ru")


# --- rate limits -------------------------------------------------------------


async def test_wrong_passwords_lock_the_account_for_a_while(http):
    await register(http)
    for _ in range(5):
        assert_problem(await fail_login(http, EMAIL), 401, "auth.invalid_credentials")
    resp = await fail_login(http, EMAIL)
    body = assert_problem(resp, 429, "auth.rate_limited")
    assert 800 < int(resp.headers["Retry-After"]) <= 901
    assert body["retry_after"] == int(resp.headers["Retry-After"])
    # Even the right password waits: guessing cannot continue.
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_problem(resp, 429, "auth.rate_limited")


async def test_unknown_email_gets_the_same_lockout(http):
    await register(http)
    for email in (EMAIL, UNKNOWN):
        for _ in range(5):
            assert_problem(await fail_login(http, email), 401, "auth.invalid_credentials")
    known = await fail_login(http, EMAIL)
    unknown = await fail_login(http, UNKNOWN)
    for resp in (known, unknown):
        assert_problem(resp, 429, "auth.rate_limited")
        assert "retry-after" in resp.headers
    assert abs(int(known.headers["Retry-After"]) - int(unknown.headers["Retry-After"])) <= 2
    assert set(known.json()) == set(unknown.json())


async def test_a_successful_login_clears_the_account_counter(http):
    await register(http)
    for _ in range(4):
        assert_problem(await fail_login(http, EMAIL), 401, "auth.invalid_credentials")
    await login(http)
    for _ in range(4):
        assert_problem(await fail_login(http, EMAIL), 401, "auth.invalid_credentials")
    await login(http)


async def test_failures_per_client_address_across_many_emails(tmp_path):
    async with running_app(tmp_path, login_failures_per_ip=3) as (app, http):
        await register(http)
        for i in range(3):
            assert_problem(await fail_login(http, f"guess{i}@example.ru"), 401,
                           "auth.invalid_credentials")
        resp = await fail_login(http, "guess99@example.ru")
        assert_problem(resp, 429, "auth.rate_limited")
        assert int(resp.headers["Retry-After"]) > 0
        # The right password from that address waits too.
        resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
        assert_problem(resp, 429, "auth.rate_limited")
        # Another address is not affected.
        async with client_for(app, client=("10.0.0.2", 6000)) as other:
            assert_problem(await fail_login(other, "guess99@example.ru"), 401,
                           "auth.invalid_credentials")
            await login(other)


async def test_forwarded_for_is_ignored_unless_trusted(tmp_path):
    """A spoofed X-Forwarded-For must not give a fresh per-address budget."""
    async with running_app(tmp_path, login_failures_per_ip=2) as (_app, http):
        for i in range(2):
            await fail_login(http, f"guess{i}@example.ru")
        resp = await http.post(
            "/auth/login", json={"email": "guess9@example.ru", "password": "что-нибудь 1"},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        assert_problem(resp, 429, "auth.rate_limited")


# --- audit log ---------------------------------------------------------------


async def test_login_success_and_failure_are_audited(http, server_app):
    await register(http)
    await fail_login(http, EMAIL)
    await fail_login(http, UNKNOWN)
    pair = await login(http, remember=True)
    events = rows(server_app, AuditEvent, AuditEvent.action == "auth.login")
    assert [e.outcome for e in events] == ["denied", "denied", "ok"]
    known_fail, unknown_fail, ok = events
    user_id = pair["user"]["id"]
    assert known_fail.user_id == user_id and known_fail.ip == "10.0.0.1"
    assert unknown_fail.user_id is None and unknown_fail.ip == "10.0.0.1"
    assert ok.user_id == user_id
    assert ok.device_id == pair["device_id"]
    assert ok.object_type == "device" and ok.summary == "remember=True"
    # The audit never holds a password.
    with db(server_app) as s:
        summaries = " ".join(x or "" for x in s.scalars(select(AuditEvent.summary)))
    assert PASSWORD not in summaries
    assert "не тот пароль" not in summaries


async def test_registration_and_confirmation_are_audited(http, server_app):
    await register(http)
    actions = [e.action for e in rows(server_app, AuditEvent)]
    assert actions == ["auth.register", "auth.confirm_email"]
