"""The bytes of an idle minute of polling: a real uvicorn on 127.0.0.1, a kept-alive
connection, the headers the client sends (User-Agent, Accept-Language, the bearer token,
If-None-Match); every byte of request and answer counted on the socket (HTTP only: TCP/IP
headers and TLS records come on top)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn

from server.app import create_app
from tests.conftest import make_settings
from tests.helpers import free_port
from tests.org_helpers import create_org, ooo, sign_up

GOAL = 1024  # bytes per idle minute


def exchange(sock: socket.socket, request: bytes) -> bytes:
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.fixture
def live(tmp_path):
    port = free_port()
    config = uvicorn.Config(create_app(make_settings(tmp_path)), host="127.0.0.1", port=port,
                            log_level="warning", server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(10)


async def test_an_idle_minute_of_polling_costs_under_a_kilobyte(live, capsys):
    port = live
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/api/v1") as http:
        owner = await sign_up(http, "owner@example.ru")
        await create_org(http, owner, ooo())
        token = owner.pair["access_token"]
        tags = {path: (await http.get(path, headers=owner.h)).headers["etag"]
                for path in ("/notifications/unread", "/notifications")}
    results = {}
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for path, tag in tags.items():
            request = (f"GET /api/v1{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                       "Accept: */*\r\nAccept-Encoding: gzip, deflate\r\n"
                       "Connection: keep-alive\r\nUser-Agent: buhta-tui/0.1\r\n"
                       f"Accept-Language: ru\r\nAuthorization: Bearer {token}\r\n"
                       f"If-None-Match: {tag}\r\n\r\n").encode()
            answer = exchange(sock, request)
            assert answer.startswith(b"HTTP/1.1 304"), answer
            results[path] = (len(request), len(answer))
    with capsys.disabled():
        for path, (sent, got) in results.items():
            print(f"\nidle poll {path}: request {sent} B + 304 answer {got} B = {sent + got} B;"
                  f" 1/min: {sent + got} B/min; every 15 s: {4 * (sent + got)} B/min")
    for sent, got in results.values():
        assert sent + got < GOAL  # one poll a minute (the fastest the key offers)
