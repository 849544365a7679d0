"""Limits that hold in parallel, a reset code that spends the earlier ones, a device that
does not live for ever. On SQLite and PostgreSQL (``tests.both_databases``).

The parallel tests run the services from threads that start together (a barrier), each
with its own session, as the server's thread pool does.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from core import contract as m
from server.db.models import Device
from server.db.types import utcnow
from server.services.context import Ctx
from server.services.errors import RateLimited, ServiceError
from tests.both_databases import database_url  # noqa: F401 (fixture)
from tests.conftest import PASSWORD, bearer, login, mailbox, make_settings, register
from tests.helpers import assert_problem, rows

EMAIL = "ivan@example.ru"
TOKEN = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
def settings(database_url, tmp_path):
    # A slower hash than the other tests use widens the window between check and count.
    return make_settings(tmp_path, database_url=database_url, argon2_time_cost=2,
                         argon2_memory_kib=4096)


def in_parallel(n: int, work: Callable[[int], object]) -> Counter[str]:
    """Run ``work(i)`` in ``n`` threads released at once; count the outcomes by code."""
    barrier = threading.Barrier(n)

    def one(i: int) -> str:
        barrier.wait(timeout=30)
        try:
            work(i)
        except RateLimited:
            return "429"
        except ServiceError as exc:
            return exc.code
        return "ok"

    with ThreadPoolExecutor(n) as pool:
        return Counter(pool.map(one, range(n)))


def call(server_app, fn: Callable, *args: object) -> object:
    with server_app.state.sessionmaker() as db:
        return fn(db, *args)


async def test_24_parallel_wrong_passwords_give_429_after_5(http, server_app):
    await register(http)
    auth = server_app.state.auth
    wrong = m.LoginRequest(email=EMAIL, password="не тот пароль совсем")
    # Each from its own address: only the account's limit (5 in 15 minutes) can stop them.
    outcomes = in_parallel(24, lambda i: call(server_app, auth.login,
                                               Ctx(ip=f"10.1.0.{i}"), wrong))
    assert outcomes == Counter({"auth.invalid_credentials": 5, "429": 19})
    # The right password is refused too now: the account waits out the window.
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_problem(resp, 429, "auth.rate_limited")


async def test_a_right_password_in_the_crowd_is_not_counted(http, server_app):
    """The try counted before the check is given back when the password was right:
    2 wrong and 2 right ones in parallel leave at most 2 counted, so one more wrong is
    allowed. (Four in flight stay under the limit of 5 whatever the order; a larger crowd
    may see a right password's slot still taken for a moment, which is a 429 by design.)"""
    await register(http)
    auth = server_app.state.auth

    def attempt(i: int) -> object:
        password = PASSWORD if i % 2 else "не тот пароль совсем"
        return call(server_app, auth.login, Ctx(ip="10.2.0.1"),
                    m.LoginRequest(email=EMAIL, password=password))

    outcomes = in_parallel(4, attempt)
    assert outcomes["429"] == 0 and outcomes["ok"] == 2
    # Each right password cleared the account's count; whatever wrong tries came after
    # the last right one are at most 2, so the next wrong try is still heard (401).
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": "и этот не тот"})
    assert_problem(resp, 401, "auth.invalid_credentials")


async def test_60_parallel_invitation_codes_check_at_most_20(http, server_app):
    await register(http)
    pair = await login(http)
    me = (await http.get("/me", headers=bearer(pair))).json()
    orgs = server_app.state.orgs
    ctx = Ctx(ip="10.3.0.1", user_id=me["id"], device_id=pair["device_id"])
    outcomes = in_parallel(60, lambda i: call(server_app, orgs.accept, ctx,
                                               f"AAAA-BBBB-{i:04d}"))
    # BUHTA_TOKEN_FAILURES_PER_IP is 20 an hour: 20 codes are looked at, 40 refused.
    assert outcomes == Counter({"team.invitation_invalid": 20, "429": 40})


async def test_a_new_reset_code_spends_the_earlier_ones(http):
    await register(http)
    for _ in range(2):
        resp = await http.post("/auth/password-reset", json={"email": EMAIL})
        assert resp.status_code == 202
    # The mailbox lists the newest first: the two reset mails, then the confirmation.
    codes = [TOKEN.search(msg["body"]).group(1) for msg in await mailbox(http)
             if msg["recipient"] == EMAIL]
    newest, older = codes[0], codes[1]
    body = {"new_password": "Новый пароль для Бухты 2025"}
    resp = await http.post("/auth/password-reset/confirm", json={**body, "token": older})
    assert_problem(resp, 400, "auth.token_invalid")
    resp = await http.post("/auth/password-reset/confirm", json={**body, "token": newest})
    assert resp.status_code == 200, resp.text


async def test_a_remembered_device_has_an_absolute_lifetime(http, server_app):
    """Refreshing moves a remembered device's expiry 60 days on, but never past 180 days
    after its login (BUHTA_DEVICE_MAX_AGE_DAYS).

    Login at t0 (day 0). Refresh on day 59: expires day 119. Day 118: day 178. Day 177:
    min(177 + 60, 180) = day 180. Day 180 and a second: the device is signed out.
    """
    await register(http)
    pair = await login(http, remember=True)
    auth = server_app.state.auth
    (device,) = rows(server_app, Device)
    t0 = device.created_at
    token = pair["refresh_token"]
    for day, expires_day in ((59, 119), (118, 178), (177, 180)):
        now = t0 + timedelta(days=day)
        token = call(server_app, auth.refresh, Ctx(ip="10.0.0.1", now=now), token).refresh_token
        (device,) = rows(server_app, Device)
        assert device.refresh_expires_at == t0 + timedelta(days=expires_day), day
    late = t0 + timedelta(days=180, seconds=1)
    with pytest.raises(ServiceError) as caught:
        call(server_app, auth.refresh, Ctx(ip="10.0.0.1", now=late), token)
    assert caught.value.code == "auth.session_revoked"
    assert utcnow() < late  # the test's clock, not the wall clock, did this
