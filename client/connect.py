"""Provides ``connect``: builds the ApiClient for the embedded default or a remote server."""

from __future__ import annotations

import asyncio
import platform
from dataclasses import dataclass

from client.api import ApiClient
from client.embedded import EMBEDDED_BASE_URL, EmbeddedServer, EmbeddedTransport
from client.paths import credentials_path, embedded_database_path
from client.session import SessionStore, server_key
from client.settings import ClientSettings


@dataclass
class Connection:
    api: ApiClient
    server: EmbeddedServer | None

    async def aclose(self) -> None:
        await self.api.aclose()
        if self.server is not None:
            await self.server.aclose()


def device_name() -> str:
    return f"{platform.node() or 'terminal'} ({platform.system() or 'unknown'})"[:120]


def connect(settings: ClientSettings | None = None) -> Connection:
    """Must be called inside the running event loop (the embedded server starts a task).

    ``settings``: the app's settings with the command line's flags in them
    (``StartOptions.settings()``); without them, the environment's."""
    settings = settings or ClientSettings()
    root = settings.data_dir
    store = SessionStore(credentials_path(root), enabled=settings.remember_allowed)
    if settings.server:
        api = ApiClient(
            base_url=settings.server,
            server_key=server_key(settings.server, embedded_database_path(root)),
            store=store,
            timeout_s=settings.request_timeout_s,
            retries=settings.retries,
            device_name=device_name(),
            keepalive_s=settings.keepalive_s,
            http2=settings.http2,
        )
        # The handshakes now, while the login screen is read and typed into.
        api.transport.warming = asyncio.get_running_loop().create_task(
            api.transport.preconnect(), name="buhta-preconnect")
        return Connection(api, None)
    db_path = embedded_database_path(root)
    server = EmbeddedServer(db_path)
    server.start()
    api = ApiClient(
        base_url=EMBEDDED_BASE_URL,
        server_key=server_key(None, db_path),
        transport=EmbeddedTransport(server),
        store=store,
        embedded=True,
        timeout_s=settings.request_timeout_s,
        retries=settings.retries,
        device_name=device_name(),
    )
    return Connection(api, server)
