"""Errors are application/problem+json with a stable code and a detail in the caller's language."""

from __future__ import annotations

import gzip

import pytest

from server.db.models import IdempotencyRecord
from server.i18n import text
from tests.conftest import PASSWORD, login, register
from tests.helpers import PROBLEM, assert_problem, client_for, count


async def test_detail_follows_accept_language(http):
    body = {"email": "nobody@example.ru", "password": "что-нибудь 12"}
    ru = assert_problem(await http.post("/auth/login", json=body), 401, "auth.invalid_credentials")
    en = assert_problem(
        await http.post("/auth/login", json=body, headers={"Accept-Language": "en-GB,en;q=0.9"}),
        401, "auth.invalid_credentials",
    )
    assert ru["detail"] == "Неверный адрес почты или пароль"
    assert en["detail"] == "Wrong e-mail or password"
    assert ru["title"] == en["title"] == "Unauthorized"
    assert ru["type"] == "about:blank"


async def test_validation_errors_name_the_field_in_the_callers_language(http):
    resp = await http.post("/auth/sms-codes", json={"phone": "12345"},
                           headers={"Accept-Language": "en"})
    body = assert_problem(resp, 422, "validation.failed")
    assert body["errors"] == [
        {"field": "phone", "message": text("validation.phone", "en")}
    ]
    assert body["detail"].startswith("Please check: phone:")
    resp = await http.post("/auth/sms-codes", json={})
    body = assert_problem(resp, 422, "validation.failed")
    assert body["errors"] == [{"field": "phone", "message": "Заполните поле"}]


async def test_unknown_fields_are_refused(http):
    resp = await http.post("/auth/sms-codes", json={"phone": "+79123456789", "admin": True})
    body = assert_problem(resp, 422, "validation.failed")
    assert body["errors"][0]["field"] == "admin"


async def test_unknown_route_and_wrong_method(http):
    assert_problem(await http.get("/no/such/thing"), 404, "not_found")
    assert_problem(await http.get("/auth/login"), 405, "method_not_allowed")


async def test_malformed_json_is_a_validation_problem(http):
    resp = await http.post("/auth/login", content=b"{not json",
                           headers={"Content-Type": "application/json"})
    assert_problem(resp, 422, "validation.failed")


async def test_a_server_bug_is_a_500_problem_not_a_traceback(server_app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals: /etc/passwd")

    async with client_for(server_app) as ok_http:
        await register(ok_http)
    monkeypatch.setattr(server_app.state.auth, "login", boom)
    async with client_for(server_app, raise_app_exceptions=False) as http:
        headers = {"Idempotency-Key": "after-a-bug", "Accept-Language": "en"}
        body = {"email": "ivan@example.ru", "password": PASSWORD}
        resp = await http.post("/auth/login", json=body, headers=headers)
        problem = assert_problem(resp, 500, "server.internal")
        assert problem["detail"] == text("error.server.internal", "en")
        assert "secret" not in resp.text and "Traceback" not in resp.text
        # A 500 is not remembered for the key: the retry runs again and succeeds.
        assert count(server_app, IdempotencyRecord) == 0
        monkeypatch.undo()
        resp = await http.post("/auth/login", json=body, headers=headers)
        assert resp.status_code == 200, resp.text
        assert "idempotent-replayed" not in resp.headers


async def test_large_responses_are_gzipped_when_accepted(http):
    # openapi.json is well over the 1000-byte threshold of the gzip middleware.
    resp = await http.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.headers.get("content-encoding") == "gzip"
    assert "/api/v1/auth/login" in resp.json()["paths"]
    raw = await http.get("/openapi.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content)


@pytest.mark.parametrize("lang", ["ru", "en"])
async def test_rate_limit_detail_has_the_wait(http, lang):
    await register(http)
    for _ in range(5):
        await http.post("/auth/login", json={"email": "ivan@example.ru", "password": "мимо 12345"})
    resp = await http.post("/auth/login", json={"email": "ivan@example.ru", "password": PASSWORD},
                           headers={"Accept-Language": lang})
    body = assert_problem(resp, 429, "auth.rate_limited")
    assert resp.headers["Retry-After"] in body["detail"]
    assert "{" not in body["detail"]


async def test_health_and_me(http):
    assert (await http.get("/health")).json() == {"status": "ok"}
    await register(http)
    pair = await login(http)
    resp = await http.get("/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert resp.headers["content-type"] == "application/json"
    assert not resp.headers["content-type"].startswith(PROBLEM)


async def test_pydantics_own_checks_are_said_in_the_callers_language(http):
    """A check pydantic makes itself (a wrong type, an unknown field) is said through the
    server's catalogue, not as pydantic's English ``msg`` («Input should be a valid
    string», «Extra inputs are not permitted»)."""
    body = assert_problem(await http.post("/auth/sms-codes", json={"phone": 123}),
                          422, "validation.failed")
    assert body["errors"] == [{"field": "phone", "message": "нужен текст"}]
    body = assert_problem(
        await http.post("/auth/sms-codes", json={"phone": "+79123456789", "admin": True}),
        422, "validation.failed")
    assert body["errors"] == [{"field": "admin", "message": "лишнее поле"}]
    body = assert_problem(
        await http.post("/auth/sms-codes", json={"phone": 123},
                        headers={"Accept-Language": "en"}), 422, "validation.failed")
    assert body["errors"] == [{"field": "phone", "message": text("pyd.text", "en")}]
    assert "valid string" not in body["detail"]
