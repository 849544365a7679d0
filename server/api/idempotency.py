"""Provides the Idempotency-Key middleware: a retried write returns the first answer.

A write (POST, PUT, PATCH, DELETE) carrying ``Idempotency-Key`` runs in one database
transaction with the answer kept for its key (``server.services.idempotency.UnitOfWork``;
the request's session joins it, see ``server.api.deps.get_db``): the answer is kept and
the writes commit together, before the first byte of the answer leaves. So a retry after
any crash gets either the stored answer (with ``Idempotent-Replayed: true``) or a request
that never happened and now runs; never a second write. The same key with a different
request is refused (422). Answers that say "try again" (401, 409, 429) are not kept, but
what their request wrote (a counted failed try) commits; a 5xx rolls everything back.

Only a request whose body arrived whole is run under its key: a client that went away
mid-body claimed nothing, and its full retry runs normally.

A key belongs to its caller: the record is filed under a hash of the method, the path
(and so the organisation in it), the signed-in user (a live bearer token's owner; none
for an anonymous request) and the key. Another user, or a request with no token, that
replays someone's key finds nothing of theirs.

Stored answers can hold secrets (a login's tokens), and tokens are never kept readable
on the server. So the answer is encrypted (AES-GCM) with another hash of the key: only a
caller that holds the key itself can have the answer replayed, and a copy of the
database yields nothing usable.
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
from server.services.idempotency import IdempotencyStore, StoredAnswer, UnitOfWork

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY = 5 * 1024 * 1024
# Where the keyed request's unit of work travels in the ASGI scope (read by get_db).
UNIT_SCOPE_KEY = "buhta.unit_of_work"


def _record_name(scope: Scope, key: str, owner: str | None) -> str:
    """What the record's key hashes: an anonymous request's name is the method, the path
    and the key; a signed-in caller's adds the user."""
    name = f"{scope['method']} {scope['path']} {key}"
    return name if owner is None else f"{name} user:{owner}"


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
            if message["type"] == "http.disconnect":
                return  # the body never arrived whole: claim nothing, answer nobody
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                await problem(413, "http.error", lang)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > size:
            # Shorter than announced: cut off on the way, never to be run under the key.
            await problem(400, "http.error", lang)(scope, receive, send)
            return
        request_hash = hashlib.sha256(body).hexdigest()

        unit = await anyio.to_thread.run_sync(self.store.unit)
        try:
            await self._run(scope, receive, send, unit, key, body, request_hash, lang, headers)
        finally:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(unit.close)

    async def _run(
        self, scope: Scope, receive: Receive, send: Send, unit: UnitOfWork, key: str,
        body: bytes, request_hash: str, lang: str, headers: dict[str, str],
    ) -> None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        bearer = token.strip() if scheme.lower() == "bearer" else ""
        owner = await anyio.to_thread.run_sync(unit.owner, bearer or None)
        record_key = hashlib.sha256(_record_name(scope, key, owner).encode()).hexdigest()

        verdict = await anyio.to_thread.run_sync(unit.lookup, record_key, request_hash)
        if verdict is not None:
            await self._answer_stored(verdict, key, lang, scope, receive, send)
            return

        sent_body = False

        async def replay_receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        start: Message | None = None
        out: list[bytes] = []
        done = False

        async def capture(message: Message) -> None:
            # The answer is held back until its record has committed with the writes.
            nonlocal start, done
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
                done = done or not message.get("more_body", False)
            else:
                await send(message)

        await self.app({**scope, UNIT_SCOPE_KEY: unit}, replay_receive, capture)
        if start is None or not done:
            return  # the app sent nothing whole; the unit rolls back
        status: int = start["status"]
        content_type = next(
            (v.decode("latin-1") for k, v in start.get("headers", [])
             if k.lower() == b"content-type"),
            None,
        )
        whole = b"".join(out)
        with anyio.CancelScope(shield=True):
            if status >= 500:
                pass  # nothing of a failed request stays; the retry runs it again
            elif not _replayable(status):
                await anyio.to_thread.run_sync(unit.finish)
            elif not await anyio.to_thread.run_sync(
                unit.complete, record_key, request_hash, status, content_type, seal(key, whole)
            ):
                # Another attempt under this key committed first: ours rolled back.
                stored = await anyio.to_thread.run_sync(
                    self.store.stored, record_key, request_hash
                )
                if stored is None:
                    await problem(409, "idempotency.in_progress", lang)(scope, receive, send)
                else:
                    await self._answer_stored(stored, key, lang, scope, receive, send)
                return
        await send(start)
        await send({"type": "http.response.body", "body": whole})

    async def _answer_stored(
        self, verdict: StoredAnswer | str, key: str, lang: str,
        scope: Scope, receive: Receive, send: Send,
    ) -> None:
        if isinstance(verdict, StoredAnswer):
            body_out = unseal(key, verdict.body)
            if body_out is not None:
                await self._replay(verdict, body_out, send)
                return
        await problem(422, "idempotency.key_reused", lang)(scope, receive, send)

    async def _replay(self, record: StoredAnswer, body: bytes, send: Send) -> None:
        headers = [(b"idempotent-replayed", b"true")]
        if record.content_type:
            headers.append((b"content-type", record.content_type.encode("latin-1")))
        headers.append((b"content-length", str(len(body)).encode()))
        await send(
            {"type": "http.response.start", "status": record.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": body})


__all__ = ["UNIT_SCOPE_KEY", "IdempotencyMiddleware"]
