"""Provides the OpenAPI document with the problem answers every operation can give.

FastAPI declares an operation's success and a 422 of its own shape; the server answers
every refusal as ``application/problem+json`` (``core.contract.Problem``). ``install``
makes the document say so: each operation lists the problems it can answer — 400, 401
and 403 where a token is needed, 404, 409 and 413 where they can happen, 422 and 429 —
each with the Problem schema, and the bearer token is declared as the security scheme of
the operations that need it (``get_caller`` among their dependencies).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from core.contract import Problem
from server.api.deps import get_caller
from server.api.problems import PROBLEM

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
WRITES = {"post", "put", "patch", "delete"}
BODIES = {"post", "put", "patch"}


def api_routes(routes: list[Any], prefix: str = "") -> list[tuple[str, APIRoute]]:
    """Every operation's route with its full path template. FastAPI ≥ 0.16x keeps an
    included router as one ``_IncludedRouter`` (its prefix in ``include_context``);
    earlier ones copied its routes into the app."""
    out: list[tuple[str, APIRoute]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            out.append((prefix + route.path_format, route))
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            out += api_routes(route.original_router.routes,
                              prefix + (getattr(context, "prefix", "") or ""))
    return out


def _needs_token(dependant: Dependant) -> bool:
    return any(d.call is get_caller or _needs_token(d) for d in dependant.dependencies)


def problem_codes(method: str, path: str, authenticated: bool) -> list[int]:
    """The problem statuses an operation can answer, besides its success.

    ``POST /orgs/{org_id}/entries`` (a write with a token and a body): 400, 401, 403,
    404, 409, 413, 422, 429. ``GET /health``: 400, 404, 422, 429 (a malformed request
    and the rate limits concern every route; 404 for an unknown path).
    """
    codes = {400, 404, 422, 429}
    if authenticated:
        # 409 on reads too: the УСН book of an organisation on another regime.
        codes |= {401, 403, 409}
    if "/auth/" in path:
        codes |= {401, 409}  # a wrong password or refresh token; an e-mail taken
    if method in WRITES:
        codes.add(409)  # a conflict of state, an idempotency key in progress
    if method in BODIES:
        codes.add(413)
    return sorted(codes)


def _problem_response(status: int) -> dict[str, Any]:
    return {"description": HTTPStatus(status).phrase,
            "content": {PROBLEM: {"schema": PROBLEM_REF}}}


def build(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                         description=app.description)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    # FastAPI's own 422 shape is never sent: the Problem is.
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    components.setdefault("securitySchemes", {})["bearer"] = {
        "type": "http", "scheme": "bearer",
        "description": "The access token of POST /auth/login (Authorization: Bearer …)"}
    routes = {(m.lower(), path): r for path, r in api_routes(app.routes) for m in r.methods}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            route = routes.get((method, path))
            authenticated = route is not None and _needs_token(route.dependant)
            if authenticated:
                operation["security"] = [{"bearer": []}]
            responses = operation.setdefault("responses", {})
            for status in problem_codes(method, path, authenticated):
                responses[str(status)] = _problem_response(status)
    return schema


def install(app: FastAPI) -> None:
    """Serve ``build``'s document at the app's openapi_url (built once, on first call)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
