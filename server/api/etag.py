"""Provides the ETag middleware: a GET whose answer has not changed costs a 304 and no body.

Useful on slow links: the client keeps the last answer of each list and asks
with ``If-None-Match``. The tag is a hash of the answer, so nothing needs to
track versions; the server still does the work, the wire carries nothing. A route that
knows its data's version sets its own ``ETag`` (and answers 304 itself before doing the
work): that tag is kept.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        wanted = None
        for key, value in scope["headers"]:
            if key == b"if-none-match":
                wanted = value.decode("latin-1")
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def capture(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:  # a streamed answer marked no-store: never buffered
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                passthrough = any(k.lower() == b"cache-control" and b"no-store" in v.lower()
                                  for k, v in message.get("headers", []))
                if passthrough:
                    await send(message)
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                await finish()

        async def finish() -> None:
            assert start is not None
            body = b"".join(chunks)
            # A route that versions its own answer (the dashboard) sets its ETag: kept.
            own = next((v for k, v in start.get("headers", []) if k.lower() == b"etag"), None)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
            if start["status"] != 200:
                if own is not None and start["status"] == 304:
                    headers.append((b"etag", own))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
            tag = own.decode("latin-1") if own is not None else \
                f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
            headers.append((b"etag", tag.encode("latin-1")))
            if wanted and tag in [t.strip() for t in wanted.split(",")]:
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
