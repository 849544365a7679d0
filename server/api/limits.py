"""Provides ``BodyLimitMiddleware``: every request body bounded by its route before it is read.

The outermost middleware (in front of the Idempotency-Key one, which buffers bodies):
- a route's limit: a statement upload (``POST /orgs/{id}/bank/imports``) may carry up to
  ``Settings.statement_max_bytes`` on the wire (the file gzip-compressed; its inflated size
  is bounded by the upload itself, ``statement_max_inflated_bytes``), every other request
  ``Settings.json_max_bytes`` (JSON bodies are small);
- a declared ``Content-Length`` over the limit is refused with 413 at once, before a byte
  of the body is read (a client that sent ``Expect: 100-continue`` never sends it); a
  body that arrives in chunks is counted as it comes, and refused with 413 as soon as it
  passes the limit — never read whole;
- a statement upload must come from a signed-in caller: its bearer token is checked
  before the body is read (401 otherwise), so a stranger cannot make the server take in
  megabytes;
- a refusal is ``application/problem+json`` (``request.too_large`` naming the limit, or
  ``bank.too_large`` for a statement) with ``Connection: close``: the rest of a body that
  was never read is not waited for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import anyio
from fastapi import HTTPException
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.problems import problem
from server.config import Settings
from server.i18n import pick_language
from server.services.context import Ctx
from server.services.errors import ServiceError

STATEMENT_UPLOAD = re.compile(r"^/api/v1/orgs/[^/]+/bank/imports/?$")


@dataclass(frozen=True)
class Rule:
    limit: int
    code: str
    signed_in: bool
    """The bearer token is checked before the body is read."""


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a body passes its limit. An ``HTTPException``, so
    FastAPI's body reading passes it on as is; the middleware answers for it."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


def _empty_receive() -> Receive:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings,
                 sessions: sessionmaker[Session]) -> None:
        self.app = app
        self.sessions = sessions
        self.json = Rule(settings.json_max_bytes, "request.too_large", signed_in=False)
        self.statement = Rule(settings.statement_max_bytes, "bank.too_large", signed_in=True)

    def rule(self, scope: Scope) -> Rule:
        if scope["method"] == "POST" and STATEMENT_UPLOAD.match(scope["path"]):
            return self.statement
        return self.json

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        lang = pick_language(headers.get("accept-language"))
        rule = self.rule(scope)

        async def refuse(status: int, code: str, **params: object) -> None:
            response = problem(status, code, lang, **params)
            response.headers["Connection"] = "close"
            await response(scope, _empty_receive(), send)

        if rule.signed_in:  # first: a stranger learns nothing, not even the limit
            refusal = await anyio.to_thread.run_sync(self._signed_in, scope, headers, lang)
            if refusal is not None:
                await refuse(refusal.status, refusal.code, **refusal.params)
                return
        declared = headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > rule.limit:
            await refuse(413, rule.code, limit=rule.limit)
            return

        size = 0
        exceeded = False
        answered = False  # the app's answer has started (passed on to the client)

        async def counted() -> Message:
            nonlocal size, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > rule.limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal answered
            if exceeded and not answered:
                return  # the app's own answer to the refusal: ours goes instead
            if message["type"] == "http.response.start":
                answered = True
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except BodyTooLarge:
            pass
        if exceeded and not answered:
            await refuse(413, rule.code, limit=rule.limit)

    def _signed_in(self, scope: Scope, headers: dict[str, str],
                   lang: str) -> ServiceError | None:
        """None when the bearer token is valid, else the refusal (401)."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return ServiceError(401, "auth.unauthorized")
        app = scope.get("app")
        auth = getattr(getattr(app, "state", None), "auth", None)
        if auth is None:  # before start-up: the route's own check answers
            return None
        client = scope.get("client")
        ctx = Ctx(ip=(client[0] if client else "unknown")[:64], lang=lang)
        db = self.sessions()
        try:
            auth.authenticate(db, ctx, token.strip())
        except ServiceError as exc:
            return exc
        finally:
            db.close()
        return None


__all__ = ["BodyLimitMiddleware", "BodyTooLarge"]
