"""Provides the dependencies every route uses: database session, context, current user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from server.api.idempotency import UNIT_SCOPE_KEY
from server.api.problems import request_lang
from server.config import Settings
from server.services.auth import Auth, Caller
from server.services.context import Ctx
from server.services.errors import ServiceError


def client_ip(request: Request, settings: Settings) -> str:
    if settings.trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return (request.client.host if request.client else "unknown")[:64]


def get_db(request: Request) -> Iterator[Session]:
    """The request's session; a keyed write's joins its unit of work (one transaction with
    the answer kept for the key, see ``server.api.idempotency``)."""
    unit = request.scope.get(UNIT_SCOPE_KEY)
    db = unit.session() if unit is not None else request.app.state.sessionmaker()
    try:
        yield db
    finally:
        db.close()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_auth(request: Request) -> Auth:
    return request.app.state.auth


def get_ctx(request: Request) -> Ctx:
    return Ctx(ip=client_ip(request, request.app.state.settings), lang=request_lang(request))


DbDep = Annotated[Session, Depends(get_db)]
CtxDep = Annotated[Ctx, Depends(get_ctx)]
AuthDep = Annotated[Auth, Depends(get_auth)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_caller(request: Request, db: DbDep, ctx: CtxDep, auth: AuthDep) -> Caller:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ServiceError(401, "auth.unauthorized")
    return auth.caller(db, ctx, token.strip())


CallerDep = Annotated[Caller, Depends(get_caller)]
