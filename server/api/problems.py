"""Provides problem+json responses and the exception handlers that produce them."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route, compile_path

from core.contract import Problem
from core.pydantic_errors import describe
from core.validation import InvalidInput
from server.i18n import pick_language, plural, text
from server.services.errors import ServiceError

log = logging.getLogger("buhta.server")

PROBLEM = "application/problem+json"


def request_lang(request: Request) -> str:
    return pick_language(request.headers.get("accept-language"))


def problem(
    status: int,
    code: str,
    lang: str,
    *,
    retry_after: int | None = None,
    errors: list[dict[str, str]] | None = None,
    **params: object,
) -> JSONResponse:
    if retry_after is not None:
        params = {**params, "retry_after": retry_after}
    # Built through the wire model, so the shape clients read cannot drift.
    body = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        code=code,
        detail=text(f"error.{code}", lang, **params),
        errors=errors,
        retry_after=retry_after,
    ).model_dump(mode="json", exclude_none=True)
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _field_problems(exc: RequestValidationError, lang: str) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, InvalidInput):
            message = text(cause.key, lang, **cause.params)
            field = cause.params.get("field")
            if field and (not loc or loc[-1] != str(field)):  # as tui.errors.field_of
                loc = [*loc, str(field)]
        elif err.get("type") == "missing":
            message = text("validation.required", lang)
        else:  # pydantic's own check, said in the caller's language, not its English msg
            message = describe(err, lambda key, **params: text(key, lang, **params),
                               lambda key, n: plural(key, n, lang))
        # A NUL in a field's name or the message would fail the Problem's own NUL check.
        out.append({"field": (".".join(loc) or "body").replace("\x00", "\\0"),
                    "message": message.replace("\x00", "\\0")})
    return out


def allowed_methods(request: Request) -> list[str]:
    """The methods of every route whose path matches the request's (RFC 9110: a 405 says
    them in ``Allow``): ``/orgs/{org_id}/entries`` → GET, HEAD, POST."""
    from server.api.openapi import api_routes

    path = request.url.path
    methods: set[str] = set()
    for template, route in api_routes(request.app.router.routes):
        if compile_path(template)[0].match(path):
            methods |= route.methods or set()
    for route in request.app.router.routes:  # plain Starlette routes (the docs)
        if isinstance(route, Route) and route.path_regex.match(path):
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        # RateLimited carries retry_after in its params too: pass it once.
        params = {k: v for k, v in exc.params.items() if k != "retry_after"}
        lang = request_lang(request)
        errors = None
        if isinstance(params.get("field"), str):
            # A refusal about one input names it, as a validation problem does.
            errors = [{"field": params["field"], "message": text(f"error.{exc.code}", lang,
                                                                 **params)}]
        return problem(
            exc.status, exc.code, lang, retry_after=exc.retry_after, errors=errors, **params
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = request_lang(request)
        errors = _field_problems(exc, lang)
        fields = ", ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "validation.failed", lang, errors=errors, fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        lang = request_lang(request)
        if exc.status_code == 404:
            return problem(404, "not_found", lang)
        if exc.status_code == 405:
            response = problem(405, "method_not_allowed", lang)
            response.headers["Allow"] = ", ".join(allowed_methods(request))
            return response
        return problem(exc.status_code, "http.error", lang)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "server.internal", request_lang(request))
