"""Provides the support routes: the contacts, the user's requests, conversation, read
grants and callbacks, and the agents' side. Paths in ``core.contract.support``.

No path carries ``{org_id}``: the organisation concerned travels in the body, and the
organisation-scoped routes reach a granted agent through ``server.api.access.require``.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from core.contract import support as sp
from server.api.deps import CallerDep, CtxDep, DbDep
from server.services.support import Support, service_of

router = APIRouter(tags=["support"])

Cursor = Annotated[str | None, Query(max_length=200)]
TicketId = Annotated[int, Path(ge=1, le=2**62)]
"""A request's number (bounded: no 64-bit overflow reaches the database)."""


def _support(request: Request) -> Support:
    return service_of(request.app.state)


@router.get("/support/info")
def info(request: Request, ctx: CtxDep) -> sp.SupportInfo:
    """The support phone, hours and e-mail, the topics and the limits (no sign-in)."""
    return _support(request).info(ctx.lang)


@router.post("/support/requests", status_code=status.HTTP_201_CREATED)
def create_request(body: sp.RequestIn, request: Request, db: DbDep,
                   caller: CallerDep) -> sp.RequestOut:
    return _support(request).create(db, caller.ctx, caller.user.id, body)


@router.get("/support/requests")
def my_requests(request: Request, db: DbDep, caller: CallerDep, open: bool = False,
                cursor: Cursor = None,
                limit: Annotated[int, Query(ge=1, le=100)] = 30) -> sp.RequestPage:
    return _support(request).mine(db, caller.ctx, caller.user.id, open_only=open,
                                  cursor=cursor, limit=limit)


@router.get("/support/requests/{ticket_id}")
def my_request(ticket_id: TicketId, request: Request, db: DbDep,
               caller: CallerDep) -> sp.RequestOut:
    return _support(request).get(db, caller.ctx, caller.user.id, ticket_id)


@router.post("/support/requests/{ticket_id}/messages", status_code=status.HTTP_201_CREATED)
def reply(ticket_id: TicketId, body: sp.MessageIn, request: Request, db: DbDep,
          caller: CallerDep) -> sp.RequestOut:
    return _support(request).reply(db, caller.ctx, caller.user.id, ticket_id, body)


@router.post("/support/requests/{ticket_id}/close")
def close(ticket_id: TicketId, request: Request, db: DbDep, caller: CallerDep) -> sp.RequestOut:
    return _support(request).close(db, caller.ctx, caller.user.id, ticket_id)


@router.post("/support/requests/{ticket_id}/access", status_code=status.HTTP_201_CREATED)
def grant(ticket_id: TicketId, body: sp.GrantIn, request: Request, db: DbDep,
          caller: CallerDep) -> sp.GrantOut:
    """Support may read the organisation for ``hours`` (default 24)."""
    return _support(request).grant(db, caller.ctx, caller.user.id, ticket_id, body)


@router.delete("/support/requests/{ticket_id}/access/{grant_id}")
def revoke(ticket_id: TicketId, grant_id: uuid.UUID, request: Request, db: DbDep,
           caller: CallerDep) -> sp.GrantOut:
    return _support(request).revoke(db, caller.ctx, caller.user.id, ticket_id, str(grant_id))


@router.post("/support/callbacks", status_code=status.HTTP_201_CREATED)
def order_callback(body: sp.CallbackIn, request: Request, db: DbDep,
                   caller: CallerDep) -> sp.CallbackOut:
    return _support(request).order_callback(db, caller.ctx, caller.user.id, body)


@router.get("/support/callbacks")
def my_callbacks(request: Request, db: DbDep, caller: CallerDep) -> sp.CallbackList:
    return _support(request).my_callbacks(db, caller.ctx, caller.user.id)


# --- agents ---------------------------------------------------------------------------


def _agent(request: Request, db: DbDep, caller: CallerDep) -> Support:
    support = _support(request)
    support.require_agent(db, caller.user.id)
    return support


@router.get("/support/agent/requests")
def queue(request: Request, db: DbDep, caller: CallerDep,
          status_: Annotated[list[sp.Status] | None, Query(alias="status", max_length=4)] = None,
          cursor: Cursor = None,
          limit: Annotated[int, Query(ge=1, le=200)] = 50) -> sp.RequestPage:
    return _agent(request, db, caller).queue(db, caller.ctx, status_ or (), cursor=cursor,
                                             limit=limit)


@router.get("/support/agent/requests/{ticket_id}")
def show(ticket_id: TicketId, request: Request, db: DbDep, caller: CallerDep) -> sp.RequestOut:
    return _agent(request, db, caller).show(db, caller.ctx, ticket_id)


@router.post("/support/agent/requests/{ticket_id}/messages",
             status_code=status.HTTP_201_CREATED)
def answer(ticket_id: TicketId, body: sp.MessageIn, request: Request, db: DbDep,
           caller: CallerDep) -> sp.RequestOut:
    return _agent(request, db, caller).answer(db, caller.ctx, caller.user.id, ticket_id, body)


@router.post("/support/agent/requests/{ticket_id}/close")
def agent_close(ticket_id: TicketId, request: Request, db: DbDep,
                caller: CallerDep) -> sp.RequestOut:
    return _agent(request, db, caller).agent_close(db, caller.ctx, ticket_id)


@router.get("/support/agent/callbacks")
def callbacks_due(request: Request, db: DbDep, caller: CallerDep, due: bool = False,
                  limit: Annotated[int, Query(ge=1, le=200)] = 100) -> sp.CallbackList:
    return _agent(request, db, caller).callbacks_due(db, caller.ctx, due=due, limit=limit)


@router.post("/support/agent/callbacks/{callback_id}/done")
def callback_done(callback_id: uuid.UUID, request: Request, db: DbDep,
                  caller: CallerDep) -> sp.CallbackOut:
    return _agent(request, db, caller).callback_done(db, caller.ctx, caller.user.id,
                                                     str(callback_id))
