"""Tokens and devices: rotation, reuse detection, expiry, logout, device revocation, reset."""

from __future__ import annotations

import uuid

import pytest

from server.db.models import AuditEvent, Device, EmailToken, IdempotencyRecord
from server.services.auth import GRACE
from server.services.tokens import digest
from tests.conftest import PASSWORD, bearer, last_mail_token, login, register
from tests.helpers import assert_problem, in_the_past, rows, running_app, set_columns

EMAIL = "ivan@example.ru"
NEW_PASSWORD = "Новый пароль для Бухты 2025"


async def me(http, pair):
    return await http.get("/me", headers=bearer(pair))


async def refresh(http, token: str):
    return await http.post("/auth/refresh", json={"refresh_token": token})


# --- tokens ------------------------------------------------------------------


async def test_tokens_are_stored_hashed(http, server_app):
    await register(http)
    pair = await login(http)
    (device,) = rows(server_app, Device)
    assert device.access_hash == digest(pair["access_token"])
    assert device.refresh_hash == digest(pair["refresh_token"])
    assert pair["access_token"] not in (device.access_hash, device.refresh_hash)
    assert pair["expires_in"] == 900 and pair["token_type"] == "bearer"


async def test_remember_decides_the_refresh_lifetime(http, server_app):
    await register(http)
    short = await login(http, remember=False)
    long = await login(http, remember=True)
    by_id = {d.id: d for d in rows(server_app, Device)}
    hours = {
        key: (by_id[p["device_id"]].refresh_expires_at - by_id[p["device_id"]].created_at)
        .total_seconds() / 3600
        for key, p in (("short", short), ("long", long))
    }
    assert hours["short"] == pytest.approx(12)
    assert hours["long"] == pytest.approx(60 * 24)
    assert by_id[long["device_id"]].remembered and not by_id[short["device_id"]].remembered


async def test_refresh_rotates_the_pair(http):
    await register(http)
    first = await login(http)
    resp = await refresh(http, first["refresh_token"])
    assert resp.status_code == 200, resp.text
    second = resp.json()
    assert second["device_id"] == first["device_id"]
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert (await me(http, second)).status_code == 200
    # The old access token is gone with the rotation.
    assert_problem(await me(http, first), 401, "auth.unauthorized")


async def test_reused_refresh_token_revokes_the_device(http, server_app):
    await register(http)
    first = await login(http)
    second = (await refresh(http, first["refresh_token"])).json()
    # Past the reuse interval (BUHTA_REFRESH_REUSE_INTERVAL_S, 30 s) of the rotation ...
    set_columns(server_app, IdempotencyRecord, IdempotencyRecord.request_hash == GRACE,
                created_at=in_the_past(31))
    # ... the spent token comes back: it was copied.
    assert_problem(await refresh(http, first["refresh_token"]), 401, "auth.session_revoked")
    # The legitimate holder is cut off too: the whole device is revoked.
    assert_problem(await refresh(http, second["refresh_token"]), 401, "auth.session_revoked")
    assert_problem(await me(http, second), 401, "auth.session_revoked")
    (device,) = rows(server_app, Device)
    assert device.revoked_reason == "refresh_reuse"
    denied = rows(server_app, AuditEvent, AuditEvent.action == "auth.refresh")
    assert [e.outcome for e in denied] == ["denied"]


async def test_unknown_refresh_token_is_unauthorized(http):
    resp = await refresh(http, "x" * 43)
    body = assert_problem(resp, 401, "auth.unauthorized")
    assert resp.headers["www-authenticate"] == "Bearer"
    assert body["status"] == 401


async def test_expired_access_token(http, server_app):
    await register(http)
    pair = await login(http)
    set_columns(server_app, Device, Device.id == pair["device_id"],
                access_expires_at=in_the_past())
    assert_problem(await me(http, pair), 401, "auth.access_expired")
    renewed = (await refresh(http, pair["refresh_token"])).json()
    assert (await me(http, renewed)).status_code == 200


async def test_expired_access_token_with_a_tiny_ttl(tmp_path):
    async with running_app(tmp_path, access_token_ttl_s=0) as (_app, http):
        await register(http)
        pair = await login(http)
        assert pair["expires_in"] == 0
        assert_problem(await me(http, pair), 401, "auth.access_expired")


async def test_expired_refresh_token(http, server_app):
    await register(http)
    pair = await login(http)
    set_columns(server_app, Device, Device.id == pair["device_id"],
                refresh_expires_at=in_the_past())
    assert_problem(await refresh(http, pair["refresh_token"]), 401, "auth.session_revoked")


async def test_missing_or_malformed_bearer(http):
    assert_problem(await http.get("/me"), 401, "auth.unauthorized")
    assert_problem(await http.get("/me", headers={"Authorization": "Basic abc"}), 401,
                   "auth.unauthorized")
    assert_problem(await http.get("/me", headers={"Authorization": "Bearer nonsense"}), 401,
                   "auth.unauthorized")


async def test_logout_revokes_the_device(http, server_app):
    await register(http)
    pair = await login(http)
    resp = await http.post("/auth/logout", headers=bearer(pair))
    assert resp.status_code == 204
    assert_problem(await me(http, pair), 401, "auth.session_revoked")
    assert_problem(await refresh(http, pair["refresh_token"]), 401, "auth.session_revoked")
    (device,) = rows(server_app, Device)
    assert device.revoked_reason == "logout"


# --- devices -----------------------------------------------------------------


async def login_as(http, name: str, email: str = EMAIL, password: str = PASSWORD) -> dict:
    resp = await http.post("/auth/login", json={
        "email": email, "password": password, "device_name": name, "remember": True,
    })
    assert resp.status_code == 200, resp.text
    return resp.json()


async def test_device_list_marks_the_current_device(http):
    await register(http)
    laptop = await login_as(http, "Ноутбук")
    office = await login_as(http, "Офис")
    resp = await http.get("/devices", headers=bearer(laptop))
    assert resp.status_code == 200
    items = resp.json()["items"]
    assert {d["name"]: d["current"] for d in items} == {"Ноутбук": True, "Офис": False}
    assert {d["id"] for d in items} == {laptop["device_id"], office["device_id"]}
    assert all(d["remembered"] for d in items)


async def test_revoking_another_device_cuts_it_off(http):
    await register(http)
    laptop = await login_as(http, "Ноутбук")
    office = await login_as(http, "Офис")
    resp = await http.delete(f"/devices/{office['device_id']}", headers=bearer(laptop))
    assert resp.status_code == 204
    assert_problem(await me(http, office), 401, "auth.session_revoked")
    assert_problem(await refresh(http, office["refresh_token"]), 401, "auth.session_revoked")
    # The revoking device carries on; the list no longer shows the revoked one.
    items = (await http.get("/devices", headers=bearer(laptop))).json()["items"]
    assert [d["name"] for d in items] == ["Ноутбук"]


async def test_cannot_revoke_a_device_of_another_user(http):
    await register(http)
    await register(http, email="maria@example.ru", phone="+79123456780")
    ivan = await login_as(http, "Ноутбук Ивана")
    maria = await login_as(http, "Ноутбук Марии", email="maria@example.ru")
    resp = await http.delete(f"/devices/{ivan['device_id']}", headers=bearer(maria))
    assert_problem(resp, 404, "devices.not_found")
    assert (await me(http, ivan)).status_code == 200
    resp = await http.delete(f"/devices/{uuid.uuid4()}", headers=bearer(maria))
    assert_problem(resp, 404, "devices.not_found")
    resp = await http.delete("/devices/not-a-uuid", headers=bearer(maria))
    assert_problem(resp, 422, "validation.failed")


# --- password reset ----------------------------------------------------------


async def test_password_reset_end_to_end(http, server_app):
    await register(http)
    one = await login(http, remember=True)
    two = await login(http)
    assert (await http.post("/auth/password-reset", json={"email": EMAIL})).status_code == 202
    token = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": NEW_PASSWORD})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"status": "confirmed"}

    # Every session of the user ended.
    for pair in (one, two):
        assert_problem(await me(http, pair), 401, "auth.session_revoked")
        assert_problem(await refresh(http, pair["refresh_token"]), 401, "auth.session_revoked")
    assert {d.revoked_reason for d in rows(server_app, Device)} == {"password_reset"}
    # Old password out, new one in.
    resp = await http.post("/auth/login", json={"email": EMAIL, "password": PASSWORD})
    assert_problem(resp, 401, "auth.invalid_credentials")
    await login(http, password=NEW_PASSWORD)
    # The token works once.
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": "Третий пароль 2026"})
    assert_problem(resp, 400, "auth.token_invalid")
    await login(http, password=NEW_PASSWORD)


async def test_reset_with_a_weak_password_keeps_the_token(http):
    await register(http)
    await http.post("/auth/password-reset", json={"email": EMAIL})
    token = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": "qwerty123"})
    assert_problem(resp, 422, "auth.password_policy")
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": NEW_PASSWORD})
    assert resp.status_code == 200, resp.text


async def test_reset_password_cannot_be_the_email_name(http):
    await register(http, email="marina.petrova@example.ru")
    await http.post("/auth/password-reset", json={"email": "marina.petrova@example.ru"})
    token = await last_mail_token(http, "marina.petrova@example.ru")
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": "Marina.Petrova"})
    assert_problem(resp, 422, "auth.password_policy")


async def test_reset_token_expires(http, server_app):
    await register(http)
    await http.post("/auth/password-reset", json={"email": EMAIL})
    token = await last_mail_token(http, EMAIL)
    set_columns(server_app, EmailToken, EmailToken.purpose == "reset", expires_at=in_the_past())
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": NEW_PASSWORD})
    assert_problem(resp, 400, "auth.token_expired")
    await login(http)  # the old password still works


async def test_a_confirmation_token_is_not_a_reset_token(http):
    await register(http, confirm=False)
    confirm_token = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": confirm_token, "new_password": NEW_PASSWORD})
    assert_problem(resp, 400, "auth.token_invalid")


async def test_reset_confirms_an_unconfirmed_address(http):
    await register(http, confirm=False)
    await http.post("/auth/password-reset", json={"email": EMAIL})
    token = await last_mail_token(http, EMAIL)
    resp = await http.post("/auth/password-reset/confirm",
                           json={"token": token, "new_password": NEW_PASSWORD})
    assert resp.status_code == 200
    pair = await login(http, password=NEW_PASSWORD)
    assert pair["user"]["email_confirmed"] is True


async def test_guessing_tokens_is_rate_limited_per_address(tmp_path):
    async with running_app(tmp_path, token_failures_per_ip=3) as (_app, http):
        for i in range(3):
            resp = await http.post("/auth/email-confirmations", json={"token": f"AAAA-BBBB-CCC{i}"})
            assert_problem(resp, 400, "auth.token_invalid")
        resp = await http.post("/auth/email-confirmations", json={"token": "AAAA-BBBB-CCC9"})
        assert_problem(resp, 429, "auth.rate_limited")
        assert "retry-after" in resp.headers
