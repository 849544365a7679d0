"""Provides the primary-document routes: the list, the card, create, edit, post and cancel.

Reading needs the ledger right; writing needs the documents right (and, for a bank
document, the bank right too, checked by the service on the document's type).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from core import contract as m
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.documents import Documents
from server.services.errors import ServiceError

router = APIRouter(tags=["documents"])


def documents(request: Request) -> Documents:
    return request.app.state.documents


@router.get("/orgs/{org_id}/documents")
def list_documents(
    request: Request,
    db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
    doc_type: Annotated[m.DocType | None, Query(alias="type")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> m.DocumentPage:
    """Newest first (date, then number). ``q``: a fragment of the counterparty's name, the
    first digits of its ИНН, or the document's number."""
    return documents(request).page(db, oc, doc_type=doc_type, date_from=date_from,
                                   date_to=date_to, q=q, cursor=cursor, limit=limit)


@router.post("/orgs/{org_id}/documents", status_code=status.HTTP_201_CREATED)
def create_document(
    body: m.DocumentIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.DOCUMENTS_WRITE),
) -> m.DocumentOut:
    """Saved as a draft, or posted at once when ``post`` is true (the default)."""
    return documents(request).create(db, oc, body)


@router.get("/orgs/{org_id}/documents/{document_id}")
def get_document(
    document_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> m.DocumentOut:
    return documents(request).get(db, oc, str(document_id))


@router.put("/orgs/{org_id}/documents/{document_id}")
def update_document(
    document_id: uuid.UUID, body: m.DocumentIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.DOCUMENTS_WRITE),
) -> m.DocumentOut:
    """Only a draft changes; ``post`` posts it in the same request."""
    return documents(request).update(db, oc, str(document_id), body)


@router.post("/orgs/{org_id}/documents/{document_id}/post")
def post_document(
    document_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.DOCUMENTS_WRITE),
) -> m.DocumentOut:
    return documents(request).post(db, oc, str(document_id))


@router.post("/orgs/{org_id}/documents/{document_id}/cancel")
def cancel_document(
    document_id: uuid.UUID, body: m.CancelIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.DOCUMENTS_WRITE),
) -> m.DocumentOut:
    """A posted document's entry is reversed (сторно); the document stays, cancelled."""
    return documents(request).cancel(db, oc, str(document_id), body)


@router.get(
    "/orgs/{org_id}/documents/{document_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def document_pdf(
    document_id: uuid.UUID, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> Response:
    """The printable form of a счёт or an акт, with the organisation's requisites."""
    from server.printing.forms import PRINTABLE_TYPES, render_document_pdf

    doc = documents(request).get(db, oc, str(document_id))
    if doc.type not in PRINTABLE_TYPES:
        raise ServiceError(422, "doc.not_printable")
    org = request.app.state.orgs.get(db, oc)
    counterparty = (request.app.state.counterparties.get(db, oc, doc.counterparty_id)
                    if doc.counterparty_id else None)
    body = render_document_pdf(org, doc, counterparty)
    name = f"{doc.type}-{doc.number}-{doc.date.isoformat()}.pdf"
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
