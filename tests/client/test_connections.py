"""Connections that last: the transport keeps one connection across a person's pause, and a
request sent on a kept connection that the server closed under it is sent again at once.

Against a real uvicorn on 127.0.0.1 (the server app), and a raw asyncio server that
closes a kept connection after reading a request.
"""

from __future__ import annotations

import asyncio
import time
import types
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpcore._async.http11 as http11
import pytest
import uvicorn
from fastapi import FastAPI

from client.transport import KEEPALIVE_S, Transport
from core.contract import WireModel
from server.app import create_app
from tests.conftest import make_settings
from tests.helpers import free_port

SERVER_KEEP_ALIVE_S = 75
"""As buhta-server runs uvicorn (tests/client/test_connections_keepalive.py checks it)."""


class Health(WireModel):
    status: str


@asynccontextmanager
async def uvicorn_serving(app: FastAPI) -> AsyncIterator[str]:
    """The app under a real uvicorn on 127.0.0.1, keep-alive as buhta-server sets it."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on",
                                           timeout_keep_alive=SERVER_KEEP_ALIVE_S))
    task = asyncio.create_task(server.serve())
    for _ in range(600):
        if server.started:
            break
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def client_ports(app: FastAPI) -> list[int]:
    """The client port of every request the app answered: one port, one connection."""
    ports: list[int] = []

    @app.middleware("http")
    async def note(request, call_next):  # type: ignore[no-untyped-def]
        ports.append(request.client.port)
        return await call_next(request)

    return ports


@pytest.fixture
def fast_clock(monkeypatch):
    """httpcore's clock, moved on at will (a person's pause without the wait)."""
    offset = [0.0]
    monkeypatch.setattr(http11, "time",
                        types.SimpleNamespace(monotonic=lambda: time.monotonic() + offset[0]))
    return offset


async def test_one_connection_across_pauses(tmp_path, fast_clock):
    app = create_app(make_settings(tmp_path))
    ports = client_ports(app)
    async with uvicorn_serving(app) as url:
        transport = Transport(base_url=url, backoff_s=(0,))
        try:
            for _ in range(3):
                assert (await transport.call("GET", "/health", Health)).status == "ok"
                fast_clock[0] += 40  # longer than httpx's default 5 s, under 60 s
            sent = transport.http.build_request("GET", "/health")
        finally:
            await transport.aclose()
    assert len(ports) == 3 and len(set(ports)) == 1, ports
    assert sent.headers["accept-encoding"] == "gzip"
    assert "connection" not in sent.headers and "accept" not in sent.headers


async def test_a_pause_past_the_expiry_opens_a_new_connection(tmp_path, fast_clock):
    # The other side of the same rule: the client does let go after its expiry.
    app = create_app(make_settings(tmp_path))
    ports = client_ports(app)
    async with uvicorn_serving(app) as url:
        transport = Transport(base_url=url, backoff_s=(0,))
        try:
            await transport.call("GET", "/health", Health)
            fast_clock[0] += KEEPALIVE_S + 1
            await transport.call("GET", "/health", Health)
        finally:
            await transport.aclose()
    assert len(set(ports)) == 2, ports


async def test_a_hosted_server_is_connected_to_while_the_login_is_typed(tmp_path):
    from client.connect import connect
    from client.settings import ClientSettings

    app = create_app(make_settings(tmp_path))
    ports = client_ports(app)
    async with uvicorn_serving(app) as url:
        connection = connect(ClientSettings(server=url, data_dir=tmp_path / "client"))
        try:
            assert connection.api.transport.warming is not None
            await connection.api.transport.warming  # the handshakes, paid before anyone waits
            assert len(ports) == 1
            assert (await connection.api.transport.call("GET", "/health", Health)).status == "ok"
        finally:
            await connection.aclose()
    assert len(ports) == 2 and len(set(ports)) == 1  # the login's request found it open


# --- a kept connection closed under a request ---------------------------------------------


class ClosingServer:
    """Answers the first request on a connection, then reads the next one and closes the
    socket without a byte of answer — as a server whose keep-alive ran out just then."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[tuple[int, str, dict[str, str]]] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def aclose(self) -> None:
        assert self.server is not None
        self.server.close()

    async def _read(self, reader: asyncio.StreamReader) -> tuple[str, dict[str, str]] | None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in lines[1:] if line)}
        if int(headers.get("content-length", "0")):
            await reader.readexactly(int(headers["content-length"]))
        return lines[0], headers

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        number = self.connections
        try:
            while True:
                line, headers = await self._read(reader)  # type: ignore[misc]
                self.requests.append((number, line, headers))
                if sum(1 for n, *_ in self.requests if n == number) == 2:
                    writer.close()  # the second request on this connection: gone
                    return
                body = b'{"status":"ok"}'
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                             b"content-length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_request_on_a_connection_closed_under_it_is_sent_again_at_once(method):
    server = ClosingServer()
    url = await server.start()
    # A backoff of 5 s: the retry must not wait for it.
    transport = Transport(base_url=url, backoff_s=(5.0,), retries=1)
    try:
        await transport.call(method, "/health", Health)
        started = time.monotonic()
        answer = await transport.call(method, "/health", Health)
        elapsed = time.monotonic() - started
    finally:
        await transport.aclose()
        await server.aclose()
    assert answer.status == "ok"
    assert elapsed < 2, elapsed
    # Request 2 went out on connection 1 and was cut; sent again on connection 2.
    assert [n for n, *_ in server.requests] == [1, 1, 2]
    if method == "POST":
        keys = [h["idempotency-key"] for _, _, h in server.requests[1:]]
        assert keys[0] == keys[1]  # the same write, never a second one
