"""Provides the export routes: the books as a plain-text ledger-cli / hledger journal."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from server.api.access import require
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.export import JournalExport

router = APIRouter(tags=["export"])


@router.get(
    "/orgs/{org_id}/export/journal",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                     "description": "The journal (UTF-8)"}},
)
def export_journal(
    request: Request,
    oc: OrgCtx = require(Perm.LEDGER_READ),
    fmt: Annotated[Literal["ledger", "hledger"], Query(alias="format")] = "ledger",
) -> StreamingResponse:
    """The whole books in (date, number) order, streamed as they are read: ``ledger -f``
    and ``hledger -f`` read the file as is (``bal 60`` rolls up 60.01, 60.02…)."""
    chunks = JournalExport(request.app.state.sessionmaker).start(oc, fmt)
    return StreamingResponse(
        chunks,
        media_type="text/plain; charset=utf-8",
        headers={
            # Never buffered for an ETag (server/api/etag.py) nor kept by a cache.
            "Cache-Control": "no-store",
            "Content-Disposition": f'attachment; filename="buhta.{fmt}.journal"',
        },
    )
