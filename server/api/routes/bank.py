"""Provides the bank statement import routes: upload and preview, line changes, posting,
reconciliation and the user's rules (under ``/orgs/{org_id}/bank``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.bank_import import BankImports, read_upload
from server.services.context import OrgCtx

router = APIRouter(tags=["bank"])
service = BankImports()


async def statement_file(request: Request) -> bytes:
    """The request body as the file's bytes (``Content-Encoding: gzip`` inflated, at most
    ``statement_max_inflated_bytes``; the body itself is bounded on the wire by
    ``server.api.limits``)."""
    limit = request.app.state.settings.statement_max_inflated_bytes
    return read_upload(await request.body(), request.headers.get("content-encoding"), limit)


@router.post("/orgs/{org_id}/bank/imports", status_code=status.HTTP_201_CREATED,
             response_model=m.StatementPreview)
def upload_statement(
    db: DbDep,
    oc: OrgCtx = require(Perm.BANK_WRITE),
    *,
    # After ``oc``: the caller's rights are checked before the body is read.
    data: Annotated[bytes, Depends(statement_file)],
    filename: Annotated[str, Query(max_length=300)] = "statement.txt",
    lines: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
) -> Response:
    """The body is the 1CClientBankExchange file itself (octet-stream, gzip allowed);
    answers the staged preview, or 422 ``bank.file`` naming the broken line; 413
    ``bank.too_large`` past the limits (``BUHTA_STATEMENT_MAX_BYTES`` on the wire,
    ``BUHTA_STATEMENT_MAX_INFLATED_BYTES`` inflated). ``lines``: at most this many of
    the preview's first lines in the answer (all of them without it; ``counts.total``
    says how many there are, ``GET`` with ``offset``/``limit`` pages the rest)."""
    return _json(service.upload(db, oc, data, filename, limit=lines), status.HTTP_201_CREATED)


@router.get("/orgs/{org_id}/bank/imports/{import_id}", response_model=m.StatementPreview)
def statement_preview(
    import_id: uuid.UUID, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ),
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int | None, Query(ge=0, le=10_000_000)] = None,
) -> Response:
    """The staged (or posted) import; ``lines`` from the ``offset``-th (0-based), at most
    ``limit`` of them (all without it); ``counts`` always cover the whole import."""
    return _json(service.preview(db, oc, str(import_id), offset=offset, limit=limit))


def _json(preview: m.StatementPreview, status_code: int = status.HTTP_200_OK) -> Response:
    """A preview of 10 000 lines serialised once, straight from the model the service
    built: FastAPI would dump it, validate the dump against the response model and
    serialise it again (three passes over every line)."""
    return Response(preview.model_dump_json(), status_code=status_code,
                    media_type="application/json")


@router.put("/orgs/{org_id}/bank/imports/{import_id}/lines/{no}")
def change_import_line(
    import_id: uuid.UUID, no: Annotated[int, Path(ge=1, le=10_000_000)],
    body: m.ImportLineChange, db: DbDep, oc: OrgCtx = require(Perm.BANK_WRITE),
) -> m.StatementLineOut:
    return service.change_line(db, oc, str(import_id), no, body)


@router.post("/orgs/{org_id}/bank/imports/{import_id}/post")
def post_import(
    import_id: uuid.UUID, db: DbDep, oc: OrgCtx = require(Perm.BANK_WRITE)
) -> m.BankPostResult:
    """All or nothing: every new line becomes an entry, duplicates are skipped."""
    return service.post(db, oc, str(import_id))


@router.get("/orgs/{org_id}/bank/imports/{import_id}/reconciliation")
def reconciliation(
    import_id: uuid.UUID, db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)
) -> m.ReconciliationOut:
    return service.reconciliation(db, oc, str(import_id))


@router.get("/orgs/{org_id}/bank/rules")
def rules(db: DbDep, oc: OrgCtx = require(Perm.LEDGER_READ)) -> m.BankRuleList:
    return service.rules(db, oc)


@router.post("/orgs/{org_id}/bank/rules", status_code=status.HTTP_201_CREATED)
def create_rule(
    body: m.BankRuleIn, db: DbDep, oc: OrgCtx = require(Perm.BANK_WRITE)
) -> m.BankRuleOut:
    return service.create_rule(db, oc, body)


@router.delete("/orgs/{org_id}/bank/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(
    rule_id: uuid.UUID, db: DbDep, oc: OrgCtx = require(Perm.BANK_WRITE)
) -> Response:
    service.delete_rule(db, oc, str(rule_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
