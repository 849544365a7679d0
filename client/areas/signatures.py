"""Provides SignaturesApi: a document's canonical bytes, signatures and their status, a
received pair's verification and the export zip. Only signatures travel, never a key."""

from __future__ import annotations

import base64

from client.areas.base import Area, path_id
from core.contract import signatures as sm


class SignaturesApi(Area):
    """``api.signatures``."""

    def _doc(self, org_id: str, document_id: str) -> str:
        return f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}"

    async def canonical(self, org_id: str, document_id: str) -> sm.CanonicalOut:
        return await self._call("GET", self._doc(org_id, document_id) + "/canonical",
                                sm.CanonicalOut)

    async def upload(self, org_id: str, document_id: str, signature: bytes, sha256: str,
                     capacity: str = "signer") -> sm.SignatureOut:
        """Upload a detached CMS (DER) of the canonical bytes whose hash is ``sha256``."""
        body = sm.SignatureIn(capacity=capacity,  # type: ignore[arg-type]
                              sha256=sha256,
                              signature_b64=base64.b64encode(signature).decode())
        return await self._call("POST", self._doc(org_id, document_id) + "/signatures",
                                sm.SignatureOut, body)

    async def status(self, org_id: str, document_id: str) -> sm.SignatureStatus:
        return await self._call("GET", self._doc(org_id, document_id) + "/signatures",
                                sm.SignatureStatus)

    async def verify(self, org_id: str, content: bytes, signature: bytes) -> sm.VerifyOut:
        body = sm.VerifyIn(content_b64=base64.b64encode(content).decode(),
                           signature_b64=base64.b64encode(signature).decode())
        return await self._call("POST", f"/orgs/{path_id(org_id)}/signatures/verify",
                                sm.VerifyOut, body)

    async def export_zip(self, org_id: str, document_id: str) -> bytes:
        return (await self._send("GET", self._doc(org_id, document_id) + "/signed.zip")).content

    async def rules(self, org_id: str) -> sm.SignatureRules:
        return await self._call("GET", f"/orgs/{path_id(org_id)}/signature-rules",
                                sm.SignatureRules)
