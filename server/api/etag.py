"""Provides the ETag middleware: a GET whose answer has not changed costs a 304 and no body.

Useful on slow links: the client keeps the last answer of each GET and asks with
``If-None-Match``.

- An organisation's GET (``/orgs/{org_id}/…``) is tagged from the organisation's data
  version (``server.services.versions``: the version, the path and query, the caller's
  role, the language, the day), known before the route runs: a matching
  ``If-None-Match`` is a 304 before any work, reports and PDFs included (their bodies
  carry the time they were made). Only a caller the route would let in gets one: a
  stranger, a blocked member or a role without the route's permission is left to the
  route, which refuses (and records the refusal).
- Any other GET (the caller's own lists) is tagged with a hash of its answer: the server
  still does the work, the wire carries nothing.

A route that knows its data's version sets its own ``ETag`` (the dashboard): that tag is
kept. A streamed answer marked ``no-store`` is never buffered.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import anyio
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.deps import client_ip
from server.domain.roles import Perm
from server.i18n import pick_language
from server.services import versions
from server.services.context import Ctx
from server.services.errors import ServiceError

ORG_PATH = re.compile(r"^/api/v1/orgs/([0-9a-fA-F-]{36})(?:/|$)")
CACHE = b"private, no-cache"
"""Kept by the caller only, and asked again each time (a 304 when nothing changed)."""


def _matches(tag: str, wanted: str | None) -> bool:
    return bool(wanted) and tag in [t.strip() for t in (wanted or "").split(",")]


def _perm_of(dependant: Any) -> Perm | None:
    for dep in dependant.dependencies:
        perm = getattr(dep.call, "perm", None)
        if isinstance(perm, Perm):
            return perm
        found = _perm_of(dep)
        if found is not None:
            return found
    return None


def _get_routes(routes: list[Any], prefix: str = "") -> list[tuple[re.Pattern[str], Perm | None]]:
    """(path pattern, permission) of every GET route under an organisation."""
    from fastapi.routing import APIRoute

    out: list[tuple[re.Pattern[str], Perm | None]] = []
    for route in routes:
        found: list[tuple[str, Any]] = []
        if isinstance(route, APIRoute):
            found = [(prefix + route.path, route)]
        elif hasattr(route, "effective_route_contexts"):  # an included router
            found = [(prefix + ctx.path, ctx.original_route)
                     for ctx in route.effective_route_contexts()
                     if isinstance(ctx.original_route, APIRoute)]
        elif hasattr(route, "routes"):
            out.extend(_get_routes(route.routes, prefix + getattr(route, "path", "")))
        for path, api_route in found:
            if "GET" in api_route.methods and "{org_id}" in path:
                out.append((compile_path(path)[0], _perm_of(api_route.dependant)))
    return out


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Tags from versions need every write counted (the app factory installs it too;
        # twice is harmless). Built before the lifespan starts the delivery worker.
        versions.install()
        self._org_routes: list[tuple[re.Pattern[str], Perm | None]] | None = None

    def _route_perm(self, scope: Scope) -> tuple[bool, Perm | None]:
        """Whether the path is an organisation's GET route, and its permission."""
        if self._org_routes is None:
            self._org_routes = _get_routes(scope["app"].router.routes)
        for pattern, perm in self._org_routes:
            if pattern.match(scope["path"]):
                return True, perm
        return False, None

    def _org_tag(self, scope: Scope, org_id: str) -> str | None:
        """The version tag of this organisation's GET for this caller (blocking)."""
        known, perm = self._route_perm(scope)
        if not known:
            return None
        request = Request(scope)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        state = scope["app"].state
        lang = pick_language(request.headers.get("accept-language"))
        ctx = Ctx(ip=client_ip(request, state.settings), lang=lang)
        db = state.sessionmaker()
        try:
            user, _device = state.auth.authenticate(db, ctx, token.strip())
            return versions.org_tag(
                db, user_id=user.id, org_id=org_id.lower(), perm=perm, now=ctx.now,
                lang=lang, path=scope["path"],
                query=scope.get("query_string", b"").decode("latin-1"))
        except ServiceError:
            return None  # the route says why
        finally:
            db.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        wanted = None
        for key, value in scope["headers"]:
            if key == b"if-none-match":
                wanted = value.decode("latin-1")
        org = ORG_PATH.match(scope["path"])
        if org is not None:
            tag = await anyio.to_thread.run_sync(self._org_tag, scope, org.group(1))
            if tag is not None:
                await self._versioned(scope, receive, send, tag, wanted)
                return
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

    async def _versioned(self, scope: Scope, receive: Receive, send: Send, tag: str,
                         wanted: str | None) -> None:
        """An organisation's GET with its version tag: 304 at once when it matches, else
        the route's answer passed through as it comes, with the tag on a 200."""
        etag = (b"etag", tag.encode("latin-1"))
        if _matches(tag, wanted):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [etag, (b"cache-control", CACHE)]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                if b"etag" not in names:  # a route's own tag is kept
                    headers.append(etag)
                    if b"cache-control" not in names:
                        headers.append((b"cache-control", CACHE))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, tagged)
