"""Provides DocumentsApi: primary documents (счёт, акт, накладная, bank and cash)."""

from __future__ import annotations

from typing import Any

from client.areas.base import Area, path_id, present
from core import contract as m


class DocumentsApi(Area):
    """``api.documents``: drafts, posting, cancelling and the printable forms."""

    async def search(
        self,
        org_id: str,
        *,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        q: str | None = None,
        cursor: str | None = None,
        limit: int = 100,
    ) -> m.DocumentPage:
        """Newest first (date, then number); ``q``: a fragment of the counterparty's name,
        its ИНН, or the document's number."""
        params: dict[str, Any] = {"limit": limit, **present(
            type=type, date_from=date_from, date_to=date_to, q=(q or "").strip(),
            cursor=cursor)}
        return await self._call("GET", f"/orgs/{path_id(org_id)}/documents", m.DocumentPage,
                                params=params)

    async def get(self, org_id: str, document_id: str) -> m.DocumentOut:
        path = f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}"
        return await self._call("GET", path, m.DocumentOut)

    async def create(self, org_id: str, data: m.DocumentIn) -> m.DocumentOut:
        path = f"/orgs/{path_id(org_id)}/documents"
        return await self._call("POST", path, m.DocumentOut, data)

    async def update(self, org_id: str, document_id: str, data: m.DocumentIn) -> m.DocumentOut:
        """Only a draft may change; ``data.post`` posts it in the same request."""
        path = f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}"
        return await self._call("PUT", path, m.DocumentOut, data)

    async def post(self, org_id: str, document_id: str) -> m.DocumentOut:
        path = f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}/post"
        return await self._call("POST", path, m.DocumentOut)

    async def cancel(self, org_id: str, document_id: str, reason: str) -> m.DocumentOut:
        """A posted document's entry is reversed (сторно); the document stays, cancelled."""
        path = f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}/cancel"
        return await self._call("POST", path, m.DocumentOut, m.CancelIn(reason=reason))

    async def pdf(self, org_id: str, document_id: str) -> bytes:
        """The printable form (счёт, акт) as PDF bytes."""
        path = f"/orgs/{path_id(org_id)}/documents/{path_id(document_id)}/pdf"
        return (await self._send("GET", path)).content
