"""Idempotency-Key: a retried write returns the first answer and writes nothing new."""

from __future__ import annotations

import asyncio
import hashlib
import json

from server.db.models import Device, IdempotencyRecord, OutboxMessage, User
from tests.conftest import PASSWORD, last_sms_code, register
from tests.helpers import assert_problem, count, db, messages_to, rows

PHONE = "+79123456789"


async def test_same_key_same_body_replays_and_sends_no_second_sms(http, server_app):
    headers = {"Idempotency-Key": "sms-1"}
    first = await http.post("/auth/sms-codes", json={"phone": PHONE}, headers=headers)
    second = await http.post("/auth/sms-codes", json={"phone": PHONE}, headers=headers)
    assert first.status_code == second.status_code == 202
    assert "idempotent-replayed" not in first.headers
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert second.headers["content-type"] == first.headers["content-type"]
    assert len(await messages_to(http, PHONE, "sms")) == 1
    # The replay did not count against the limit of 3 SMS per hour either.
    for i in range(2):
        resp = await http.post("/auth/sms-codes", json={"phone": PHONE},
                               headers={"Idempotency-Key": f"sms-more-{i}"})
        assert resp.status_code == 202, resp.text
    assert len(await messages_to(http, PHONE, "sms")) == 3
    resp = await http.post("/auth/sms-codes", json={"phone": PHONE})
    assert_problem(resp, 429, "auth.rate_limited")


async def test_same_key_different_body_is_refused(http, server_app):
    headers = {"Idempotency-Key": "sms-2"}
    assert (await http.post("/auth/sms-codes", json={"phone": PHONE},
                            headers=headers)).status_code == 202
    resp = await http.post("/auth/sms-codes", json={"phone": "+79123456780"}, headers=headers)
    assert_problem(resp, 422, "idempotency.key_reused")
    assert count(server_app, OutboxMessage) == 1


async def test_replayed_registration_creates_nothing(http, server_app):
    await http.post("/auth/sms-codes", json={"phone": PHONE})
    code = await last_sms_code(http, PHONE)
    body = {"email": "ivan@example.ru", "phone": PHONE, "password": PASSWORD, "sms_code": code}
    headers = {"Idempotency-Key": "reg-1"}
    first = await http.post("/auth/register", json=body, headers=headers)
    outbox_after_first = count(server_app, OutboxMessage)
    second = await http.post("/auth/register", json=body, headers=headers)
    assert first.status_code == second.status_code == 202
    assert second.headers["idempotent-replayed"] == "true"
    assert count(server_app, User) == 1
    # Not processed again: no "address taken" mail, no second confirmation.
    assert count(server_app, OutboxMessage) == outbox_after_first
    # Without the key the same body is a new request (and the code is spent by now).
    resp = await http.post("/auth/register", json=body)
    assert_problem(resp, 400, "auth.sms_code_expired")


async def test_replayed_login_returns_the_same_device(http, server_app):
    await register(http)
    body = {"email": "ivan@example.ru", "password": PASSWORD}
    headers = {"Idempotency-Key": "login-1"}
    first = await http.post("/auth/login", json=body, headers=headers)
    second = await http.post("/auth/login", json=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert count(server_app, Device) == 1


async def test_the_key_is_scoped_to_the_path(http):
    headers = {"Idempotency-Key": "shared"}
    sms = await http.post("/auth/sms-codes", json={"phone": PHONE}, headers=headers)
    reset = await http.post("/auth/password-reset", json={"email": "ivan@example.ru"},
                            headers=headers)
    assert sms.status_code == reset.status_code == 202
    assert "idempotent-replayed" not in reset.headers


async def test_try_again_answers_are_not_stored(http, server_app):
    for i in range(3):
        await http.post("/auth/sms-codes", json={"phone": PHONE},
                        headers={"Idempotency-Key": f"k{i}"})
    headers = {"Idempotency-Key": "limited"}
    first = await http.post("/auth/sms-codes", json={"phone": PHONE}, headers=headers)
    second = await http.post("/auth/sms-codes", json={"phone": PHONE}, headers=headers)
    for resp in (first, second):
        assert_problem(resp, 429, "auth.rate_limited")
        assert "idempotent-replayed" not in resp.headers
    keys = {r.key for r in rows(server_app, IdempotencyRecord)}
    assert not any(k.endswith(" limited") for k in keys)


async def test_an_overlong_key_is_refused(http):
    resp = await http.post("/auth/sms-codes", json={"phone": PHONE},
                           headers={"Idempotency-Key": "k" * 201})
    assert_problem(resp, 422, "validation.failed")
    assert (await http.get("/dev/outbox")).json()["items"] == []


async def test_the_answer_is_recorded_before_its_last_byte_is_sent(server_app):
    """A client that has read the answer and retries must get the replay, never 409.

    Driven at the ASGI level, because httpx.ASGITransport only hands the response
    over once the whole app (and the middleware's bookkeeping) has returned.
    """
    body = json.dumps({"phone": PHONE}).encode()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": "POST", "scheme": "http", "path": "/api/v1/auth/sms-codes",
        "raw_path": b"/api/v1/auth/sms-codes", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"test"), (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"idempotency-key", b"early-bird")],
        "client": ("10.0.0.1", 5000), "server": ("test", 80),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)  # the client stays connected

    state_at_last_byte: list[str | None] = []

    async def send(message):
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            with db(server_app) as s:
                key = hashlib.sha256(b"POST /api/v1/auth/sms-codes early-bird").hexdigest()
                row = s.get(IdempotencyRecord, key)
                state_at_last_byte.append(row.state if row else None)

    await server_app(scope, receive, send)
    assert state_at_last_byte == ["done"]


async def test_stored_answers_keep_no_readable_tokens(http, server_app):
    """A login's replay holds tokens: the database keeps neither them nor the key."""
    await register(http)
    headers = {"Idempotency-Key": "login-key-1"}
    body = {"email": "ivan@example.ru", "password": PASSWORD}
    first = await http.post("/auth/login", json=body, headers=headers)
    assert first.status_code == 200
    records = rows(server_app, IdempotencyRecord)
    login_records = [r for r in records if r.body and r.state == "done"]
    assert login_records
    for record in records:
        assert "login-key-1" not in record.key
        assert first.json()["access_token"].encode() not in (record.body or b"")
        assert first.json()["refresh_token"].encode() not in (record.body or b"")
    # ... and the holder of the key still gets the very same answer back.
    second = await http.post("/auth/login", json=body, headers=headers)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json() == first.json()
    assert count(server_app, Device) == 1
