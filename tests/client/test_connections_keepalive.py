"""The server keeps an idle connection well past a person's pause, and the client lets go
of it first (so a request never goes out on a connection the server is closing)."""

from __future__ import annotations

import uvicorn

from client.transport import KEEPALIVE_S
from server.cli import KEEP_ALIVE_S
from tests.client.test_connections import SERVER_KEEP_ALIVE_S


def test_the_client_lets_go_before_the_server_does():
    # A person's pause is tens of seconds; the client must drop an idle connection
    # before the server would (else a request may go out on a closing one).
    assert 30 <= KEEPALIVE_S < KEEP_ALIVE_S


def test_buhta_server_runs_uvicorn_with_a_long_keep_alive(monkeypatch):
    from server import cli

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    cli.main(["--port", "8123"])
    assert seen["timeout_keep_alive"] == KEEP_ALIVE_S >= 60


def test_the_tests_serve_as_buhta_server_does():
    assert SERVER_KEEP_ALIVE_S == KEEP_ALIVE_S
