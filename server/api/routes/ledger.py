"""Provides the ledger routes: chart of accounts, entries, reversal, closed periods."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status

from core import contract as m
from core.validation import DATE_MAX, DATE_MIN
from server import i18n
from server.api.access import require
from server.api.deps import DbDep
from server.api.problems import request_lang
from server.domain.query import QueryError
from server.domain.roles import Perm
from server.services.closing import Closing
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import Ledger

router = APIRouter(tags=["ledger"])
Month = Annotated[str, Path(pattern=r"^\d{4}-\d{2}$")]


def ledger(request: Request) -> Ledger:
    return request.app.state.ledger


def _month(value: str) -> date:
    year, month = (int(x) for x in re.split("-", value))
    if not 1 <= month <= 12 or not DATE_MIN.year <= year <= DATE_MAX.year:
        # 0000-01 is no month of the books (and no date at all).
        raise ServiceError(422, "validation.month", params={"field": "month"})
    return date(year, month, 1)


@router.get("/orgs/{org_id}/accounts")
def accounts(
    request: Request, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)
) -> m.LedgerAccountList:
    return ledger(request).accounts(db, oc)


@router.post("/orgs/{org_id}/accounts", status_code=status.HTTP_201_CREATED)
def add_sub_account(
    body: m.SubAccountIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_WRITE)
) -> m.LedgerAccountOut:
    return ledger(request).add_sub_account(db, oc, body)


@router.get("/orgs/{org_id}/entries")
def entries(
    request: Request,
    db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
    date_from: date | None = None,
    date_to: date | None = None,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    q: Annotated[str | None, Query(max_length=300)] = None,
) -> m.EntryPage:
    """Newest first; ``cursor`` continues where the previous page ended; ``q`` is a
    journal query (``acct:51 date:2025-Q1 amt:>10000 desc:аренда cp:7707083893``)."""
    try:
        return ledger(request).entries(db, oc, date_from=date_from, date_to=date_to,
                                       cursor=cursor, limit=limit, q=q)
    except QueryError as exc:
        reason = i18n.text(exc.key, request_lang(request))
        raise ServiceError(422, "query.invalid",
                           params={"term": exc.term, "reason": reason}) from None


@router.get("/orgs/{org_id}/entries/{entry_id}")
def entry(
    entry_id: uuid.UUID, request: Request, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)
) -> m.EntryOut:
    """One entry (for a drill-down from a report or a document)."""
    return ledger(request).entry(db, oc, str(entry_id))


@router.post("/orgs/{org_id}/entries", status_code=status.HTTP_201_CREATED)
def post_entry(
    body: m.EntryIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_WRITE)
) -> m.EntryOut:
    return ledger(request).post(db, oc, body)


@router.post("/orgs/{org_id}/entries/{entry_id}/reverse", status_code=status.HTTP_201_CREATED)
def reverse_entry(
    entry_id: uuid.UUID, body: m.ReverseIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_WRITE),
) -> m.EntryOut:
    return ledger(request).reverse(db, oc, str(entry_id), body)


@router.get("/orgs/{org_id}/periods")
def periods(request: Request, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.PeriodList:
    return ledger(request).periods(db, oc)


@router.post("/orgs/{org_id}/periods/{month}/close")
def close_period(
    month: Month, request: Request, db: DbDep, oc: OrgCtx = require(Perm.PERIODS_CLOSE)
) -> m.PeriodList:
    return ledger(request).close(db, oc, _month(month))


@router.post("/orgs/{org_id}/periods/{month}/reopen")
def reopen_period(
    month: Month, body: m.ReopenIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.PERIODS_CLOSE),
) -> m.PeriodList:
    """Reopen a closed month the way ``POST …/closing/{month}/reopen`` does: its closing
    entries (if it was closed by the month-end closing) are reversed, and a month under a
    later closed one is refused (409 ``closing.later_closed``)."""
    return m.PeriodList(closed=Closing().reopen(db, oc, _month(month), body.reason).closed)
