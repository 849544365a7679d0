"""Provides the reconciliation of a statement with the books: each account's figures against
its lines, and the total against account 51."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks
from server.db.models import (
    BankImport,
)
from server.services import turnovers
from server.services.bank_import.shapes import line_out, money_or_none
from server.services.bank_import.staging import L, line_key


def reconcile(db: Session, org_id: str, imp: BankImport, ours: set[str]) -> m.ReconciliationOut:
    """The statement ``imp`` against the books; ``ours`` are the organisation's accounts."""
    rows = db.execute(select(L).where(L.c.import_id == imp.id)
                      .order_by(L.c.no)).mappings().all()
    sections = json.loads(imp.accounts_json)
    sums: dict[str, list[int]] = {}
    seen: set[str] = set()
    for r in rows:
        key = line_key(r)
        if key in seen:  # the same document twice in the file counts once
            continue
        seen.add(key)
        s = sums.setdefault(r["bank_account"], [0, 0])
        s[0 if r["direction"] == "in" else 1] += r["amount_kopecks"]
    out_rows = []
    for a in sections:
        lines_in, lines_out = sums.get(a["account"], [0, 0])
        out_rows.append(_recon_row(a["account"], a, lines_in, lines_out))
    # The total, against account 51 of the books (all the organisation's accounts).
    mine = [a for a in sections if a["account"] in ours]
    days = [r["date"] for r in rows]
    date_from = min([date.fromisoformat(a["date_from"]) for a in mine
                     if a["date_from"]] or days or [None])
    date_to = max([date.fromisoformat(a["date_to"]) for a in mine
                   if a["date_to"]] or days or [None])
    total_section = {"date_from": date_from and date_from.isoformat(),
                     "date_to": date_to and date_to.isoformat(),
                     **{k: _sum(a[k] for a in mine) if mine else None
                        for k in ("opening", "credited", "debited", "closing")}}
    total = _recon_row("51", total_section,
                       sum(v[0] for k, v in sums.items() if k in ours),
                       sum(v[1] for k, v in sums.items() if k in ours))
    if date_from and date_to:
        figures = turnovers.balances(db, org_id, date_from, date_to, accounts=["51"])
        books_open = sum(b.opening for b in figures.values())
        books_close = sum(b.closing for b in figures.values())
        total.books_opening = from_kopecks(books_open)
        total.books_closing = from_kopecks(books_close)
        if total.statement_opening is not None:
            total.difference_opening = total.statement_opening - total.books_opening
        if total.statement_closing is not None:
            total.difference_closing = total.statement_closing - total.books_closing
    # A line in the books by another path (a document, payroll) is matched too.
    unmatched = [line_out(r) for r in rows
                 if r["entry_id"] is None and r["status"] != "in_books"]
    return m.ReconciliationOut(import_id=imp.id, rows=out_rows, total=total,
                               unmatched=unmatched)


def _sum(values: Iterable[int | None]) -> int | None:
    items = list(values)
    return None if any(v is None for v in items) else sum(items)  # type: ignore[arg-type]


def _recon_row(account: str, a: Mapping[str, Any], lines_in: int,
               lines_out: int) -> m.ReconciliationRow:
    opening, credited, debited, closing = (a.get(k) for k in
                                           ("opening", "credited", "debited", "closing"))
    consistent = True
    if None not in (opening, credited, debited, closing):
        consistent = opening + credited - debited == closing
    if credited is not None and credited != lines_in:
        consistent = False
    if debited is not None and debited != lines_out:
        consistent = False
    return m.ReconciliationRow(
        account=account,
        date_from=date.fromisoformat(a["date_from"]) if a.get("date_from") else None,
        date_to=date.fromisoformat(a["date_to"]) if a.get("date_to") else None,
        statement_opening=money_or_none(opening), statement_closing=money_or_none(closing),
        statement_credited=money_or_none(credited), statement_debited=money_or_none(debited),
        lines_in=from_kopecks(lines_in), lines_out=from_kopecks(lines_out),
        books_opening=None, books_closing=None, difference_opening=None,
        difference_closing=None, consistent=consistent,
    )
