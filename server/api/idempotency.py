"""Provides the Idempotency-Key middleware: a retried write returns the first answer.

A write (POST, PUT, PATCH, DELETE) carrying ``Idempotency-Key`` is claimed in
the database before it runs (``pending``); its answer is stored when it ends
(``done``). A retry with the same key and the same request gets the stored
answer with ``Idempotent-Replayed: true`` and writes nothing; the same key with
a different request is refused (422); a retry while the first is still running
gets 409 ``idempotency.in_progress``, which the client retries. Answers that
say "try again" (401, 429, 5xx) are not stored. Keys live 24 hours.

Stored answers can hold secrets (a login's tokens), and tokens are never kept
readable on the server. So the record is filed under a hash of the key, and the
answer is encrypted (AES-GCM) with another hash of the key: only a caller that
holds the key itself can have the answer replayed, and a copy of the database
yields nothing usable.
"""

from __future__ import annotations

import hashlib
import os

import anyio
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.problems import problem
from server.i18n import pick_language
from server.services.idempotency import IdempotencyStore, StoredAnswer

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY = 5 * 1024 * 1024


def _replayable(status: int) -> bool:
    return status < 500 and status not in (401, 409, 429)


def _cipher(key: str) -> AESGCM:
    return AESGCM(hashlib.sha256(f"buhta-idempotency-body:{key}".encode()).digest())


def seal(key: str, body: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + _cipher(key).encrypt(nonce, body, None)


def unseal(key: str, sealed: bytes) -> bytes | None:
    try:
        return _cipher(key).decrypt(sealed[:12], sealed[12:], None)
    except (InvalidTag, ValueError):
        return None


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, sessions: sessionmaker[Session]) -> None:
        self.app = app
        self.store = IdempotencyStore(sessions)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        key = headers.get("idempotency-key", "").strip()
        if not key:
            await self.app(scope, receive, send)
            return
        lang = pick_language(headers.get("accept-language"))
        if len(key) > 200:
            await problem(422, "validation.failed", lang, fields="Idempotency-Key")(
                scope, receive, send
            )
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await problem(413, "http.error", lang)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        record_key = hashlib.sha256(f"{scope['method']} {scope['path']} {key}".encode()).hexdigest()
        request_hash = hashlib.sha256(body).hexdigest()

        verdict = await anyio.to_thread.run_sync(self.store.claim, record_key, request_hash)
        if verdict == "mismatch":
            await problem(422, "idempotency.key_reused", lang)(scope, receive, send)
            return
        if verdict == "busy":
            await problem(409, "idempotency.in_progress", lang)(scope, receive, send)
            return
        if isinstance(verdict, StoredAnswer):
            body_out = unseal(key, verdict.body)
            if body_out is not None:
                await self._replay(verdict, body_out, send)
                return
            await problem(422, "idempotency.key_reused", lang)(scope, receive, send)
            return

        sent_body = False

        async def replay_receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        status = 500
        content_type: str | None = None
        out: list[bytes] = []

        stored = False

        async def capture(message: Message) -> None:
            nonlocal status, content_type, stored
            if message["type"] == "http.response.start":
                status = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"content-type":
                        content_type = v.decode("latin-1")
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
                if not message.get("more_body", False) and _replayable(status):
                    # Record the answer before its last byte leaves: a client that
                    # has seen the answer and retries must get the replay, not 409.
                    with anyio.CancelScope(shield=True):
                        await anyio.to_thread.run_sync(
                            self.store.store, record_key, status, content_type,
                            seal(key, b"".join(out)),
                        )
                    stored = True
            await send(message)

        finished = False
        try:
            await self.app(scope, replay_receive, capture)
            finished = True
        finally:
            with anyio.CancelScope(shield=True):
                if stored:
                    pass
                elif finished and _replayable(status):
                    await anyio.to_thread.run_sync(
                        self.store.store, record_key, status, content_type, seal(key, b"".join(out))
                    )
                else:
                    await anyio.to_thread.run_sync(self.store.release, record_key)

    async def _replay(self, record: StoredAnswer, body: bytes, send: Send) -> None:
        headers = [(b"idempotent-replayed", b"true")]
        if record.content_type:
            headers.append((b"content-type", record.content_type.encode("latin-1")))
        headers.append((b"content-length", str(len(body)).encode()))
        await send(
            {"type": "http.response.start", "status": record.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": body})


__all__ = ["IdempotencyMiddleware"]
