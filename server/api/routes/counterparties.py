"""Provides the counterparty routes: the searchable list, the card, archive and restore."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.counterparties import Counterparties

router = APIRouter(tags=["counterparties"])


def counterparties(request: Request) -> Counterparties:
    return request.app.state.counterparties


@router.get("/orgs/{org_id}/counterparties")
def list_counterparties(
    request: Request,
    db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
    q: Annotated[str | None, Query(max_length=200)] = None,
    archived: bool = False,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> m.CounterpartyPage:
    """Sorted by name. ``q``: a fragment of the name (any case), or the first digits of the
    ИНН; ``archived=true`` lists the archive instead of the active ones."""
    return counterparties(request).page(db, oc, q=q, archived=archived, cursor=cursor,
                                        limit=limit)


@router.post("/orgs/{org_id}/counterparties", status_code=status.HTTP_201_CREATED)
def create_counterparty(
    body: m.CounterpartyIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.COUNTERPARTIES_WRITE),
) -> m.CounterpartyOut:
    return counterparties(request).create(db, oc, body)


@router.get("/orgs/{org_id}/counterparties/{counterparty_id}")
def get_counterparty(
    counterparty_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.CounterpartyOut:
    return counterparties(request).get(db, oc, str(counterparty_id))


@router.put("/orgs/{org_id}/counterparties/{counterparty_id}")
def update_counterparty(
    counterparty_id: uuid.UUID, body: m.CounterpartyIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.COUNTERPARTIES_WRITE),
) -> m.CounterpartyOut:
    return counterparties(request).update(db, oc, str(counterparty_id), body)


@router.post("/orgs/{org_id}/counterparties/{counterparty_id}/archive")
def archive_counterparty(
    counterparty_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.COUNTERPARTIES_WRITE),
) -> m.CounterpartyOut:
    return counterparties(request).archive(db, oc, str(counterparty_id))


@router.post("/orgs/{org_id}/counterparties/{counterparty_id}/restore")
def restore_counterparty(
    counterparty_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.COUNTERPARTIES_WRITE),
) -> m.CounterpartyOut:
    return counterparties(request).restore(db, oc, str(counterparty_id))
