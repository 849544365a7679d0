"""Provides the embedded server: the API running in-process over a local SQLite file.

The traps of httpx.ASGITransport (see DESIGN) and how they are met here:
- no lifespan without a manager: ``asgi_lifespan.LifespanManager`` wraps the app
  and the transport is given ``manager.app``; it is entered and left in one task;
- one event loop with the UI: the server's endpoints are plain ``def`` (thread
  pool) and its start-up work (imports, migrations) runs in threads;
- a server bug must not crash the UI: ``raise_app_exceptions=False``, so a bug
  is a 500 problem response like on a remote server;
- requests sent before the server is up simply wait for it.
"""

from __future__ import annotations

import asyncio
import importlib
from pathlib import Path
from typing import Any

import httpx

EMBEDDED_BASE_URL = "http://embedded.buhta"


class EmbeddedServer:
    """Owns the in-process API; ``run`` lives as long as the app."""

    def __init__(self, database_path: Path, **server_settings: Any) -> None:
        self.database_path = database_path
        self.server_settings = server_settings
        self._ready = asyncio.Event()
        self._stop = asyncio.Event()
        self._failure: BaseException | None = None
        self._transport: httpx.ASGITransport | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="buhta-server")

    async def _run(self) -> None:
        try:
            # Importing FastAPI and SQLAlchemy takes a second on a slow machine:
            # do it in a thread so the UI keeps drawing.
            server_app = await asyncio.to_thread(importlib.import_module, "server.app")
            from asgi_lifespan import LifespanManager

            self.database_path.parent.mkdir(parents=True, exist_ok=True)
            settings = server_app.Settings(
                database_url=f"sqlite:///{self.database_path}",
                embedded=True,
                mail_backend="local",
                sms_backend="local",
                dev_outbox=True,
                **self.server_settings,
            )
            app = server_app.create_app(settings)
            async with LifespanManager(app, startup_timeout=120, shutdown_timeout=30) as manager:
                self._transport = httpx.ASGITransport(
                    app=manager.app, raise_app_exceptions=False, client=("127.0.0.1", 0)
                )
                self._ready.set()
                await self._stop.wait()
        except BaseException as exc:  # the waiting requests must learn why
            self._failure = exc
            self._ready.set()
            if not isinstance(exc, Exception):
                raise

    async def transport(self) -> httpx.ASGITransport:
        await self._ready.wait()
        if self._transport is None:
            raise httpx.ConnectError(f"embedded server failed to start: {self._failure!r}")
        return self._transport

    async def aclose(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)


class EmbeddedTransport(httpx.AsyncBaseTransport):
    """Hands each request to the embedded server once it is up."""

    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        transport = await self.server.transport()
        return await transport.handle_async_request(request)
