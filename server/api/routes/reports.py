"""Provides the ledger report routes: trial balance, account card, account analysis."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.reports import Reports

router = APIRouter(tags=["reports"])
Account = Annotated[str, Query(min_length=1, max_length=20)]


def reports(request: Request) -> Reports:
    return request.app.state.reports


@router.get("/orgs/{org_id}/reports/trial-balance")
def trial_balance(
    request: Request,
    db: DbDep,
    date_from: date,
    date_to: date,
    by: Literal["account", "counterparty"] = "account",
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.TrialBalance:
    """Оборотно-сальдовая ведомость for [date_from, date_to]; ``by=counterparty`` adds
    a line per counterparty under the accounts kept by counterparty (60, 62, …)."""
    return reports(request).trial_balance(db, oc, date_from, date_to, by)


@router.get("/orgs/{org_id}/reports/account-card")
def account_card(
    request: Request,
    db: DbDep,
    account: Account,
    date_from: date,
    date_to: date,
    counterparty_id: uuid.UUID | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.AccountCard:
    """Карточка счёта: the postings of the account (sub-accounts included) in date order
    with a running balance; ``cursor`` continues where the previous page ended."""
    return reports(request).account_card(
        db, oc, account, date_from, date_to,
        counterparty_id=str(counterparty_id) if counterparty_id else None,
        cursor=cursor, limit=limit)


@router.get("/orgs/{org_id}/reports/account-analysis")
def account_analysis(
    request: Request,
    db: DbDep,
    account: Account,
    date_from: date,
    date_to: date,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.AccountAnalysis:
    """Анализ счёта: the period's turnover of the account by corresponding account."""
    return reports(request).account_analysis(db, oc, account, date_from, date_to)
