"""Provides ``NulGuard``: a request whose path or query carries a NUL character gets a 422
naming the parameter, before any route reads it.

Why: PostgreSQL text cannot hold NUL (``\\x00``); a query parameter with one (``?q=a%00b``)
reached the database and failed there with a 500. The bodies are guarded by the wire
models (``core.contract.common.WireModel``); this guards what no model reads.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.problems import problem, request_lang
from server.i18n import text


class NulGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            field = _nul_field(scope)
            if field is not None:
                from starlette.requests import Request

                lang = request_lang(Request(scope))
                message = text("validation.nul", lang)
                response = problem(422, "validation.failed", lang,
                                   errors=[{"field": field, "message": message}],
                                   fields=f"{field}: {message}")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _nul_field(scope: Scope) -> str | None:
    """``"path"`` or the name of the first query parameter holding a NUL; None if none."""
    if "\x00" in scope.get("path", "") or "\x00" in unquote(scope.get("raw_path", b"")
                                                            .decode("latin-1")):
        return "path"
    query = scope.get("query_string", b"")
    if b"%00" not in query.lower() and b"\x00" not in query:
        return None
    for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if "\x00" in name or "\x00" in value:
            return name.replace("\x00", "\\0") or "query"
    return "query"
