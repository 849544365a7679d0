"""Provides the signature routes: a document's canonical bytes, signing (a detached CMS,
never a key), its signatures and status, verifying a received pair, the export zip, and
the organisation's signature rules and trust anchors.

Reading and signing need the ledger right (who signs in which capacity is the service's
rule: an observer reads but never signs); rules and trust need the requisites right.
"""

from __future__ import annotations

import base64
import uuid
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, Request, Response, status

from core.contract import signatures as sm
from server.api.access import require
from server.api.deps import DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.signatures import Signatures

router = APIRouter(tags=["signatures"])
DOC = "/orgs/{org_id}/documents/{document_id}"
DER_TYPES = ("application/pkcs7-signature", "application/octet-stream",
             "application/pkcs7-mime")


def signatures(request: Request) -> Signatures:
    return request.app.state.signatures


@router.get(DOC + "/canonical")
def canonical(document_id: uuid.UUID, request: Request, db: DbDep,
              oc: OrgCtx = require(Perm.LEDGER_READ)) -> sm.CanonicalOut:
    """The exact bytes a signature is made over (base64), their SHA-256 and the summary a
    signer is shown."""
    return signatures(request).canonical(db, oc, str(document_id))


@router.post(DOC + "/signatures", status_code=status.HTTP_201_CREATED)
def sign(document_id: uuid.UUID, body: sm.SignatureIn, request: Request, db: DbDep,
         oc: OrgCtx = require(Perm.LEDGER_READ)) -> sm.SignatureOut:
    """Record a detached CMS signature (DER, base64) of the canonical bytes with
    ``sha256``, after verifying it (422 with the reason otherwise)."""
    return signatures(request).sign(db, oc, str(document_id), body)


@router.post(
    DOC + "/signatures/der", status_code=status.HTTP_201_CREATED,
    openapi_extra={"requestBody": {"required": True, "content": {
        t: {"schema": {"type": "string", "format": "binary"}} for t in DER_TYPES}}},
)
async def sign_der(
    document_id: uuid.UUID, request: Request, db: DbDep,
    sha256: Annotated[str, Query(pattern=r"^[0-9a-f]{64}$")],
    capacity: sm.Capacity = "signer",
    oc: OrgCtx = require(Perm.LEDGER_READ),
) -> sm.SignatureOut:
    """The same with the raw ``.sig`` (DER) as the body, as signing tools write it."""
    raw = await request.body()
    if not raw or len(raw) > sm.MAX_SIGNATURE_BYTES:
        raise ServiceError(422, "signature.size")
    try:
        body = sm.SignatureIn(capacity=capacity, sha256=sha256,
                              signature_b64=base64.b64encode(raw).decode())
    except ValueError:
        raise ServiceError(422, "signature.malformed") from None
    return await anyio.to_thread.run_sync(
        lambda: signatures(request).sign(db, oc, str(document_id), body))


@router.get(DOC + "/signatures")
def document_signatures(document_id: uuid.UUID, request: Request, db: DbDep,
                        oc: OrgCtx = require(Perm.LEDGER_READ)) -> sm.SignatureStatus:
    """Every signature with its state (valid over the current version, or outdated),
    what the document type needs and whether the document counts as signed."""
    return signatures(request).status(db, oc, str(document_id))


@router.get(DOC + "/signed.zip", response_class=Response,
            responses={200: {"content": {"application/zip": {}}}})
def export_signed(document_id: uuid.UUID, request: Request, db: DbDep,
                  oc: OrgCtx = require(Perm.LEDGER_READ)) -> Response:
    """The document's canonical bytes, its signatures and a manifest, for sending."""
    name, data = signatures(request).export_zip(db, oc, str(document_id))
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/orgs/{org_id}/signatures/verify")
def verify_pair(body: sm.VerifyIn, request: Request, db: DbDep,
                oc: OrgCtx = require(Perm.LEDGER_READ)) -> sm.VerifyOut:
    """Verify a received document and its ``.sig`` against this organisation's trust;
    nothing is stored. A bad signature is an answer (``valid: false``), not an error."""
    return signatures(request).verify_pair(db, oc, body)


@router.get("/orgs/{org_id}/signature-rules")
def get_rules(request: Request, db: DbDep,
              oc: OrgCtx = require(Perm.ORG_READ)) -> sm.SignatureRules:
    return signatures(request).rules(db, oc)


@router.put("/orgs/{org_id}/signature-rules")
def put_rules(body: sm.SignatureRules, request: Request, db: DbDep,
              oc: OrgCtx = require(Perm.ORG_EDIT)) -> sm.SignatureRules:
    """Set the capacities the listed document types need (other types keep theirs)."""
    return signatures(request).set_rules(db, oc, body)


@router.get("/orgs/{org_id}/signature-trust")
def list_trust(request: Request, db: DbDep,
               oc: OrgCtx = require(Perm.ORG_READ)) -> sm.TrustList:
    return signatures(request).trust_list(db, oc)


@router.post("/orgs/{org_id}/signature-trust", status_code=status.HTTP_201_CREATED)
def add_trust(body: sm.TrustIn, request: Request, db: DbDep,
              oc: OrgCtx = require(Perm.ORG_EDIT)) -> sm.TrustOut:
    """A CA certificate the organisation trusts, or a CRL it supplies."""
    return signatures(request).add_trust(db, oc, body)
