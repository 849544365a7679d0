"""Provides the wire shapes of the statement import: the preview, its lines and the rules."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from core import contract as m
from core.money import from_kopecks
from server.db.models import (
    BankImport,
    BankRule,
)
from server.domain.bank_advances import account_warnings
from server.services.bank_import.proposals import Staff, needs_counterparty


def _rub(k: int) -> Decimal:
    """``from_kopecks`` without its checks, for thousands of stored (valid) amounts."""
    return Decimal(k).scaleb(-2)


def line_out(r: Mapping[str, Any], staff: Staff | None = None) -> m.StatementLineOut:
    """A stored line as sent. Built without validation (``model_construct``): every
    value comes typed from the database, and a preview has 10 000 of them. Its warnings
    (``account_warnings``) and, on 71, the employee (``staff``) are worked out here from
    what the line holds: nothing more is stored."""
    employee = None
    if staff is not None and r["credit"].split(".")[0] == "71":
        who = staff.find(r)
        employee = who[1] if who else None
    return m.StatementLineOut.model_construct(
        no=r["no"], line=r["line"], kind=r["kind"], date=r["date"], number=r["number"],
        direction=r["direction"], amount=_rub(r["amount_kopecks"]),
        bank_account=r["bank_account"], counterparty_name=r["cp_name"],
        counterparty_inn=r["cp_inn"], counterparty_kpp=r["cp_kpp"],
        counterparty_account=r["cp_account"], counterparty_id=r["counterparty_id"],
        new_counterparty=r["status"] == "new" and r["counterparty_id"] is None
        and needs_counterparty(r["debit"], r["credit"]),
        purpose=r["purpose"], debit=r["debit"], credit=r["credit"], reason=r["reason"],
        status=r["status"], entry_id=r["entry_id"],
        warnings=account_warnings(r["cp_account"], r["cp_bik"]), employee=employee,
    )


def money_or_none(k: int | None) -> Decimal | None:
    return None if k is None else from_kopecks(k)


def preview_out(imp: BankImport, rows: Sequence[Mapping[str, Any]], ours: set[str], *,
                offset: int = 0, limit: int | None = None, staff: Staff | None = None
                ) -> m.StatementPreview:
    """The import with its counts over all ``rows`` and the lines ``rows[offset:][:limit]``
    (a page of them: 10 000 lines are 5 MB of JSON the caller rarely reads whole)."""
    end = None if limit is None else offset + limit
    lines = [line_out(r, staff) for r in rows[offset:end]]
    by_status = {s: 0 for s in ("new", "duplicate", "unknown_account", "posted", "in_books")}
    incoming = outgoing = 0
    for r in rows:
        by_status[r["status"]] += 1
        if r["status"] != "unknown_account":
            if r["direction"] == "in":
                incoming += r["amount_kopecks"]
            else:
                outgoing += r["amount_kopecks"]
    accounts = [m.StatementAccountOut(
        account=a["account"], date_from=a["date_from"], date_to=a["date_to"],
        opening=money_or_none(a["opening"]), credited=money_or_none(a["credited"]),
        debited=money_or_none(a["debited"]), closing=money_or_none(a["closing"]),
        known=a["account"] in ours) for a in json.loads(imp.accounts_json)]
    return m.StatementPreview(
        id=imp.id, file_name=imp.file_name, encoding=imp.encoding,
        state=imp.state,  # type: ignore[arg-type]
        uploaded_at=imp.uploaded_at, accounts=accounts, lines=lines,
        counts=m.StatementCounts(total=len(rows), **by_status, incoming=from_kopecks(incoming),
                                 outgoing=from_kopecks(outgoing)),
    )


def rule_out(r: BankRule) -> m.BankRuleOut:
    return m.BankRuleOut(id=r.id, direction=r.direction,  # type: ignore[arg-type]
                         inn=r.inn, purpose=r.purpose, account=r.account, priority=r.priority,
                         created_at=r.created_at)
