"""Shared fixtures: a real server app over a real SQLite file, reached through httpx."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from server.app import Settings, create_app

# Cheap argon2id for tests: the same algorithm, a smaller cost.
FAST_HASH = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
PASSWORD = "Белый кит плывёт на север 42"


def make_settings(tmp_path, **over) -> Settings:
    values = {
        "database_url": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "mail_backend": "local",
        "sms_backend": "local",
        "dev_outbox": True,
        "outbox_poll_s": 0.05,
        **FAST_HASH,
    }
    values.update(over)
    return Settings(**values)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Never touch the real user's data dir or locale."""
    monkeypatch.setenv("BUHTA_DATA_DIR", str(tmp_path / "home"))
    monkeypatch.delenv("BUHTA_SERVER", raising=False)
    monkeypatch.delenv("BUHTA_LANG", raising=False)
    monkeypatch.delenv("BUHTA_DATABASE_URL", raising=False)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def server_app(settings):
    app = create_app(settings)
    # Yield the FastAPI app itself (not manager.app, a bare wrapper function), so that
    # tests can reach ``server_app.state``; the app keeps no lifespan state in the scope.
    async with LifespanManager(app, startup_timeout=60):
        yield app


@pytest.fixture
async def http(server_app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=server_app, client=("10.0.0.1", 5000))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test/api/v1"
    ) as client:
        yield client


async def mailbox(http: httpx.AsyncClient) -> list[dict]:
    resp = await http.get("/dev/outbox")
    assert resp.status_code == 200
    return resp.json()["items"]


async def last_sms_code(http: httpx.AsyncClient, phone: str) -> str:
    for msg in await mailbox(http):
        if msg["channel"] == "sms" and msg["recipient"] == phone:
            return re.search(r"\b(\d{6})\b", msg["body"]).group(1)
    raise AssertionError(f"no SMS to {phone}")


async def last_mail_token(http: httpx.AsyncClient, email: str) -> str:
    for msg in await mailbox(http):
        if msg["channel"] == "email" and msg["recipient"] == email:
            found = re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b", msg["body"])
            if found:
                return found.group(1)
    raise AssertionError(f"no mail with a code to {email}")


async def register(
    http: httpx.AsyncClient,
    email: str = "ivan@example.ru",
    phone: str = "+79123456789",
    password: str = PASSWORD,
    confirm: bool = True,
) -> None:
    resp = await http.post("/auth/sms-codes", json={"phone": phone})
    assert resp.status_code == 202, resp.text
    code = await last_sms_code(http, phone)
    resp = await http.post(
        "/auth/register",
        json={"email": email, "phone": phone, "password": password, "sms_code": code},
    )
    assert resp.status_code == 202, resp.text
    if confirm:
        token = await last_mail_token(http, email)
        resp = await http.post("/auth/email-confirmations", json={"token": token})
        assert resp.status_code == 200, resp.text


async def login(
    http: httpx.AsyncClient,
    email: str = "ivan@example.ru",
    password: str = PASSWORD,
    remember: bool = False,
) -> dict:
    resp = await http.post(
        "/auth/login", json={"email": email, "password": password, "remember": remember}
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def bearer(pair: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}
