"""Provides the routes of opening balances and month-end closing (issue 13 points 6, 7).

Who may: reading is ``ledger.read``; setting opening balances is ``ledger.write`` and the
closing's actions and policy ``periods.close`` — both the accountant's only
(``server.domain.roles``).
"""

from __future__ import annotations

from fastapi import APIRouter

from core.contract import closing as cm
from core.contract import ledger as lm
from server.api.access import require
from server.api.deps import DbDep
from server.api.routes.ledger import Month, _month
from server.domain.roles import Perm
from server.services.closing import Closing
from server.services.context import OrgCtx
from server.services.opening import Opening

router = APIRouter(tags=["closing"])
opening = Opening()
closing = Closing()


@router.get("/orgs/{org_id}/ledger/opening-balances")
def opening_balances(db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)) -> cm.OpeningBalances:
    """The opening balances as entered, and whether 000 nets to zero."""
    return opening.current(db, oc)


@router.post("/orgs/{org_id}/ledger/opening-balances")
def set_opening_balances(
    body: cm.OpeningBalancesIn, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_WRITE)
) -> cm.OpeningBalances:
    """Replace the opening balances: the old entry is reversed, the new one posted."""
    return opening.set(db, oc, body)


@router.get("/orgs/{org_id}/closing/settings")
def closing_settings(db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)) -> cm.ClosingSettingsOut:
    return closing.settings(db, oc)


@router.put("/orgs/{org_id}/closing/settings")
def set_closing_settings(
    body: cm.ClosingSettingsIn, db: DbDep, oc: OrgCtx = require(Perm.PERIODS_CLOSE)
) -> cm.ClosingSettingsOut:
    return closing.set_settings(db, oc, body)


@router.get("/orgs/{org_id}/closing/{month}/preview")
def closing_preview(
    month: Month, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)
) -> cm.ClosingPreview:
    """The entries closing the month would post now; nothing is written."""
    return closing.preview(db, oc, _month(month))


@router.post("/orgs/{org_id}/closing/{month}")
def close_month(
    month: Month, db: DbDep, oc: OrgCtx = require(Perm.PERIODS_CLOSE)
) -> cm.ClosingDone:
    """Post the closing entries on the month's last day and close the month."""
    return closing.close(db, oc, _month(month))


@router.post("/orgs/{org_id}/closing/{month}/reopen")
def reopen_month(
    month: Month, body: lm.ReopenIn, db: DbDep, oc: OrgCtx = require(Perm.PERIODS_CLOSE)
) -> cm.ReopenDone:
    """Reverse the month's closing entries and reopen it (later months must be open)."""
    return closing.reopen(db, oc, _month(month), body.reason)
