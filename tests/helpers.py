"""Helpers shared by the server, client and e2e tests (fixtures live in conftest.py)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from server.app import create_app
from server.db.types import utcnow
from tests.conftest import make_settings

PROBLEM = "application/problem+json"


@asynccontextmanager
async def running_app(
    tmp_path,
    *,
    client: tuple[str, int] = ("10.0.0.1", 5000),
    raise_app_exceptions: bool = True,
    **settings_over: Any,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A server app with custom settings and an httpx client into it."""
    app = create_app(make_settings(tmp_path, **settings_over))
    async with LifespanManager(app, startup_timeout=60):
        async with client_for(app, client=client, raise_app_exceptions=raise_app_exceptions) as h:
            yield app, h


def client_for(
    app: FastAPI,
    *,
    client: tuple[str, int] = ("10.0.0.1", 5000),
    raise_app_exceptions: bool = True,
) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(
        app=app, client=client, raise_app_exceptions=raise_app_exceptions
    )
    return httpx.AsyncClient(transport=transport, base_url="http://test/api/v1")


def db(app: FastAPI) -> Session:
    return app.state.sessionmaker()


def count(app: FastAPI, model: type, *where: Any) -> int:
    with db(app) as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


def rows(app: FastAPI, model: type, *where: Any) -> list[Any]:
    with db(app) as s:
        return list(s.scalars(select(model).where(*where)).all())


def set_columns(app: FastAPI, model: type, where: Any, **values: Any) -> int:
    """UPDATE model SET values WHERE where; returns the number of rows changed."""
    with db(app) as s, s.begin():
        return s.execute(update(model).where(where).values(**values)).rowcount


def in_the_past(seconds: int = 5):
    return utcnow() - timedelta(seconds=seconds)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_for(predicate: Callable[[], Any], timeout: float = 10, step: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(step)


async def messages_to(http: httpx.AsyncClient, recipient: str, channel: str | None = None):
    resp = await http.get("/dev/outbox")
    assert resp.status_code == 200
    return [
        m
        for m in resp.json()["items"]
        if m["recipient"] == recipient and (channel is None or m["channel"] == channel)
    ]


def other_code(code: str) -> str:
    """A six-digit code guaranteed to differ from ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def assert_problem(resp: httpx.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM), resp.headers["content-type"]
    body = resp.json()
    assert body["code"] == code, body
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    return body
