"""Provides BankApi: statement import (preview, changes, posting, reconciliation), rules."""

from __future__ import annotations

import gzip

from client.areas.base import Area, path_id
from client.transport import parse
from core import contract as m

PREVIEW_PAGE = 200
"""Lines of the preview an upload answers by default (``counts`` cover them all)."""


class BankApi(Area):
    """``api.bank``: 1CClientBankExchange statements into the books."""

    async def upload_statement(
        self, org_id: str, data: bytes, filename: str = "statement.txt", *,
        lines: int | None = PREVIEW_PAGE,
    ) -> m.StatementPreview:
        """Stage a 1CClientBankExchange statement (sent gzip-compressed); the preview with
        proposed entries, or 422 ``bank.file`` naming the broken line (nothing staged).
        The preview's ``lines`` are its first ``lines`` (all of them with None);
        ``counts.total`` says how many there are, ``preview`` pages the rest."""
        params: dict[str, str | int] = {"filename": filename[:300]}
        if lines is not None:
            params["lines"] = max(0, int(lines))
        response = await self._send(
            "POST", f"/orgs/{path_id(org_id)}/bank/imports", params=params,
            raw=(gzip.compress(data, compresslevel=5),
                 {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip"}),
        )
        return parse(m.StatementPreview, response)

    async def preview(self, org_id: str, import_id: str, *, offset: int = 0,
                      limit: int | None = None) -> m.StatementPreview:
        """The import with its lines from the ``offset``-th (0-based), at most ``limit``
        of them (all with None); ``counts`` always cover the whole import."""
        path = f"/orgs/{path_id(org_id)}/bank/imports/{path_id(import_id)}"
        params: dict[str, int] = {}
        if offset:
            params["offset"] = max(0, int(offset))
        if limit is not None:
            params["limit"] = max(0, int(limit))
        return await self._call("GET", path, m.StatementPreview, params=params or None)

    async def change_line(
        self, org_id: str, import_id: str, no: int, debit: str, credit: str
    ) -> m.StatementLineOut:
        path = f"/orgs/{path_id(org_id)}/bank/imports/{path_id(import_id)}/lines/{int(no)}"
        return await self._call("PUT", path, m.StatementLineOut,
                                m.ImportLineChange(debit=debit, credit=credit))

    async def post_import(self, org_id: str, import_id: str) -> m.BankPostResult:
        """All or nothing (409 ``bank.period_closed`` naming the month and line)."""
        path = f"/orgs/{path_id(org_id)}/bank/imports/{path_id(import_id)}/post"
        return await self._call("POST", path, m.BankPostResult)

    async def reconciliation(self, org_id: str, import_id: str) -> m.ReconciliationOut:
        path = f"/orgs/{path_id(org_id)}/bank/imports/{path_id(import_id)}/reconciliation"
        return await self._call("GET", path, m.ReconciliationOut)

    async def rules(self, org_id: str) -> list[m.BankRuleOut]:
        path = f"/orgs/{path_id(org_id)}/bank/rules"
        return (await self._call("GET", path, m.BankRuleList)).items

    async def create_rule(self, org_id: str, data: m.BankRuleIn) -> m.BankRuleOut:
        path = f"/orgs/{path_id(org_id)}/bank/rules"
        return await self._call("POST", path, m.BankRuleOut, data)

    async def delete_rule(self, org_id: str, rule_id: str) -> None:
        await self._send("DELETE", f"/orgs/{path_id(org_id)}/bank/rules/{path_id(rule_id)}")
