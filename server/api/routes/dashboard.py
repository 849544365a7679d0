"""Provides the dashboard routes: «Сводка» of one organisation in one request, and the
short line per organisation of the caller's.

Both answer with the ETag of the data's version (``server.services.dashboard``): a repeat
visit with ``If-None-Match`` is a 304 before anything is computed.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request, Response

from core import contract as m
from server.api.access import require
from server.api.deps import CallerDep, DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.dashboard import Dashboards

router = APIRouter(tags=["dashboard"])
CACHE = "private, no-cache"
"""Kept by the caller only, and asked again each time (a 304 when nothing changed)."""


def dashboards(request: Request) -> Dashboards:
    return request.app.state.dashboard


def _answer(request: Request, tag: str, build: Callable[[], m.WireModel]) -> Response:
    headers = {"ETag": tag, "Cache-Control": CACHE}
    wanted = request.headers.get("if-none-match", "")
    if tag in [t.strip() for t in wanted.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(content=build().model_dump_json(), media_type="application/json",
                    headers=headers)


@router.get("/orgs/{org_id}/dashboard", response_model=m.Dashboard,
            responses={304: {"description": "Not changed since the ETag sent"}})
def org_dashboard(request: Request, db: DbDep,
                  oc: OrgCtx = require(Perm.ORG_READ)) -> Response:
    """«Сводка»: bank and cash balances, settlements with the top debtors and creditors,
    the next deadlines, my overdue and due-soon tasks, drafts, statement lines not posted
    and the failed checks on the books, each with a link to what fails — as the caller's
    role may see them (the books need ``ledger.read``; payroll figures ``payroll.read``)."""
    service = dashboards(request)
    return _answer(request, service.version(db, oc), lambda: service.dashboard(db, oc))


@router.get("/me/dashboard", response_model=m.MyDashboard,
            responses={304: {"description": "Not changed since the ETag sent"}})
def my_dashboard(request: Request, caller: CallerDep, db: DbDep) -> Response:
    """One line per organisation of the caller: bank and cash, overdue tasks, failed checks
    and the next deadline."""
    service = dashboards(request)
    return _answer(request, service.mine_version(db, caller.ctx),
                   lambda: service.mine(db, caller.ctx))
