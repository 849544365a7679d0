"""Provides the posting of a staged statement: all or nothing, in a few batched statements
(entries, postings, new counterparties, the turnover aggregates) in one transaction."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import (
    BankImport,
    ClosedPeriod,
    Counterparty,
    Entry,
    LedgerAccount,
    Organisation,
    Posting,
    new_id,
)
from server.domain import bank_advances as adv
from server.domain import chart
from server.domain.posting_rules import pays_vat
from server.domain.query import fold
from server.services import audit, numbering, turnovers
from server.services.bank_import.batch import add_rows, insert_rows, update_rows
from server.services.bank_import.proposals import (
    PERSON_ACCOUNTS,
    Staff,
    SupplierDebts,
    needs_counterparty,
    sales_debts,
    supplier_debts,
)
from server.services.bank_import.staging import (
    L,
    counterparties_by_inn,
    line_key,
    posted_keys,
)
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_accounts, ensure_chart, month_of


def post_import(db: Session, oc: OrgCtx, imp: BankImport) -> m.BankPostResult:
    """Post the staged statement ``imp`` (locked by the caller, in its transaction)."""
    if imp.state != "staged":
        raise ServiceError(409, "bank.already_posted")
    ensure_chart(db, oc.org_id)
    result = db.execute(select(*_COLUMNS).where(L.c.import_id == imp.id).order_by(L.c.no))
    names = list(result.keys())
    # Plain dicts of plain values (a RowMapping look-up costs a microsecond, and each
    # line has dozens), which the cyclic collector never tracks: the per-line state of
    # this function lives in them (the dedupe key under "_key"), not in tuples or objects.
    rows = [dict(zip(names, row, strict=True)) for row in result]
    candidates = [r for r in rows if r["status"] in ("new", "duplicate")]
    for r in candidates:
        r["_key"] = line_key(r)
    posted = posted_keys(db, oc.org_id, {r["_key"] for r in candidates})
    todo: list[dict[str, Any]] = []
    dups: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in candidates:
        key = r["_key"]
        if key in posted or key in seen:
            dups.append(r)
        else:
            todo.append(r)
        seen.add(key)
    skipped = sum(1 for r in rows if r["status"] == "unknown_account")
    in_books = sum(1 for r in rows if r["status"] == "in_books")  # booked elsewhere
    # All or nothing: no line may fall into a closed month.
    months = {month_of(r["date"]) for r in todo}
    closed = sorted(db.scalars(select(ClosedPeriod.month).where(
        ClosedPeriod.org_id == oc.org_id, ClosedPeriod.month.in_(months))).all()) \
        if months else []
    if closed:
        first = next(r for r in todo if month_of(r["date"]) == closed[0])
        raise ServiceError(409, "bank.period_closed", params={
            "period": closed[0].strftime("%m.%Y"), "line": first["line"]})
    vat_mode = db.scalar(select(Organisation.vat_mode).where(Organisation.id == oc.org_id))
    vat_payer = pays_vat(vat_mode or "none")
    if todo:
        codes = {c for r in todo for c in (r["debit"], r["credit"])}
        if vat_payer and adv.ADVANCE_ACCOUNT in codes:
            codes |= {adv.SALES_ACCOUNT, adv.ADVANCE_VAT_ACCOUNT, adv.VAT_ACCOUNT}
        if codes & {adv.SUPPLIER_ACCOUNT, adv.ADVANCE_PAID_ACCOUNT}:  # a payment splits
            codes |= {adv.SUPPLIER_ACCOUNT, adv.ADVANCE_PAID_ACCOUNT}
        ensure_builtin(db, oc.org_id, codes)
        check_accounts(db, oc.org_id, codes)
    cp_of, created = _counterparties_for(db, oc, todo)
    debts: dict[str, int] | None = None
    if vat_payer:
        debts = sales_debts(db, oc.org_id, {c for r in todo if _is_advance_line(r)
                                            and (c := cp_of(r))})
    # Any organisation's payments to suppliers: the part their unpaid поступления do not
    # cover is an advance paid (60.02), with no VAT (``bank_advances``).
    paying = {c for r in todo if _is_supplier_line(r) and (c := cp_of(r))}
    paid: SupplierDebts | None = supplier_debts(
        db, oc.org_id, paying, max(r["date"] for r in todo)) if paying else None
    staff = Staff.load(db, oc.org_id) if any(
        r["credit"].split(".")[0] == "71" for r in todo) else None
    entry_rows: list[dict[str, Any]] = []
    posting_rows: list[dict[str, Any]] = []
    line_rows: list[dict[str, Any]] = []
    # The organisation's entry counter, locked until commit (``numbering.allocate``).
    number = numbering.allocate(db, oc.org_id, len(todo)) - 1 if todo else 0
    first_number = number + 1 if todo else None
    org_id, now, user_id = oc.org_id, oc.ctx.now, oc.user_id
    analytics: dict[tuple[str, str], bool] = {}  # (Дт, Кт) → carries a counterparty
    debits: dict[turnovers.Key, int] = defaultdict(int)  # the aggregates' changes
    credits: dict[turnovers.Key, int] = defaultdict(int)
    for r, entry_id in zip(todo, _ids(len(todo)), strict=True):
        key = r["_key"]
        number += 1
        description = _description(r)
        entry_rows.append({
            "id": entry_id, "org_id": org_id, "number": number, "date": r["date"],
            "description": description, "description_folded": fold(description),
            "reverses_id": None, "created_at": now, "created_by": user_id,
            "document_id": None,
        })
        pair = (r["debit"], r["credit"])
        wants = analytics.get(pair)
        if wants is None:
            wants = analytics[pair] = needs_counterparty(*pair)
        cp = cp_of(r) if wants else None
        day, amount = r["date"], r["amount_kopecks"]
        parts = [(pair[0], pair[1], amount, None)]
        if debts is not None and _is_advance_line(r):
            parts = _advance_parts(r, amount, debts, cp, vat_mode or "none")
        elif debts is not None and cp in debts and pair[1] == adv.SALES_ACCOUNT:
            debts[cp] -= amount  # a payment of the sales earlier in the file
        elif paid is not None and _is_supplier_line(r):
            parts = _advance_paid_parts(r, amount, paid, cp)
        elif staff is not None and pair[1].split(".")[0] == "71":
            who = staff.find(r)  # the employee as analytics, in words (no column yet)
            parts = [(pair[0], pair[1], amount,
                      f"Подотчётное лицо: {who[1]}"[:300] if who else None)]
        month = month_of(day)  # as ``turnovers.deltas`` makes them
        for line, (debit, credit, kopecks, memo) in enumerate(parts):
            posting_rows.append({
                "entry_id": entry_id, "org_id": org_id, "line": line, "date": day,
                "debit": debit, "credit": credit, "amount_kopecks": kopecks, "memo": memo,
                "counterparty_id": cp,
            })
            debits[(org_id, debit, cp or "", month)] += kopecks
            credits[(org_id, credit, cp or "", month)] += kopecks
        posted[key] = entry_id  # a later copy of it in this file is a duplicate
        line_rows.append({"id": r["id"], "entry_id": entry_id, "dedupe_key": key,
                          "status": "posted", "counterparty_id": cp or r["counterparty_id"]})
    conn = db.connection()  # no ORM bookkeeping for 10 000 rows
    if entry_rows:
        insert_rows(conn, Entry.__table__, entry_rows)
        insert_rows(conn, Posting.__table__, posting_rows)
        # Core inserts bypass the ORM flush listener: keep the aggregates right here.
        changes = {k: (debits.get(k, 0), credits.get(k, 0))
                   for k in sorted(debits.keys() | credits.keys())}
        _apply_turnovers(conn, changes)
        turnovers.check_bounds(conn, changes)  # no account past TURNOVER_MAX
    update_rows(conn, L, "id", line_rows)
    update_rows(conn, L, "id", [{"id": r["id"], "status": "duplicate",
                                 "entry_id": posted.get(r["_key"])} for r in dups])
    imp.state = "posted"
    imp.posted_at = oc.ctx.now
    imp.posted_by = oc.user_id
    last_number = number if todo else None
    audit.record(db, oc.ctx, "bank.post", org_id=oc.org_id, object_type="bank_import",
                 object_id=imp.id,
                 summary=f"{imp.file_name}: проведено {len(todo)}"
                         + (f" (записи №{first_number}–{last_number})" if todo else "")
                         + f", повторов {len(dups)}, уже в учёте {in_books}, "
                           f"пропущено {skipped}, новых контрагентов {created}")
    return m.BankPostResult(import_id=imp.id, posted=len(todo), duplicates=len(dups),
                            skipped=skipped, counterparties_created=created,
                            first_entry=first_number, last_entry=last_number,
                            in_books=in_books)


_COLUMNS = (L.c.id, L.c.status, L.c.line, L.c.date, L.c.number, L.c.direction,
            L.c.amount_kopecks, L.c.bank_account, L.c.cp_name, L.c.cp_inn, L.c.cp_kpp,
            L.c.cp_account, L.c.cp_bik, L.c.cp_corr_account, L.c.cp_bank,
            L.c.counterparty_id, L.c.purpose, L.c.debit, L.c.credit)
"""What posting reads of a staged line."""


def _is_advance_line(r: Mapping[str, Any]) -> bool:
    return r["direction"] == "in" and r["credit"] == adv.ADVANCE_ACCOUNT \
        and r["debit"].split(".")[0] == "51"


def _advance_parts(r: Mapping[str, Any], amount: int, debts: dict[str, int],
                   cp: str | None, vat_mode: str) -> list[tuple[str, str, int, str | None]]:
    """A VAT payer's receipt on 62.02: the part the customer's unpaid sales take settles
    them (Дт 51 Кт 62.01), the rest is the advance (Дт 51 Кт 62.02) with VAT on it at the
    calculated rate (Дт 76.АВ Кт 68.02, ``bank_advances``). ``debts`` is used up line by
    line. 12 200,00 ₽ from a customer owing 2 440,00 ₽ in 2026: 2 440,00 to 62.01,
    9 760,00 to 62.02, VAT 9 760,00 × 22/122 = 1 760,00."""
    debt = debts.get(cp, 0) if cp else 0
    settled, advance = adv.split_receipt(amount, debt)
    if cp:
        debts[cp] = debt - settled
    debit = r["debit"]
    parts: list[tuple[str, str, int, str | None]] = []
    if settled:
        parts.append((debit, adv.SALES_ACCOUNT, settled, "Оплата отгрузки"))
    if advance:
        parts.append((debit, adv.ADVANCE_ACCOUNT, advance, "Аванс получен"))
        rate = adv.advance_rate(vat_mode, r["date"])
        vat = adv.calculated_vat(advance, rate) if rate else 0
        if vat:
            parts.append((adv.ADVANCE_VAT_ACCOUNT, adv.VAT_ACCOUNT, vat,
                          f"НДС с аванса {rate}/{100 + rate}"))
    return parts


def _is_supplier_line(r: Mapping[str, Any]) -> bool:
    """A payment out of 51 to a supplier on 60.01 (the rule of thumb's or the user's) or on
    60.02 (proposed as an advance paid): split by the supplier's debt on posting, as 1С
    does; a line the user pointed at any other account is left as it is."""
    return r["direction"] == "out" and r["credit"].split(".")[0] == "51" \
        and r["debit"] in (adv.SUPPLIER_ACCOUNT, adv.ADVANCE_PAID_ACCOUNT)


def _advance_paid_parts(r: Mapping[str, Any], amount: int, paid: SupplierDebts,
                        cp: str | None) -> list[tuple[str, str, int, str | None]]:
    """A payment to a supplier on 60.01 or 60.02: the part the supplier's unpaid
    поступления (its 60.01 credit balance on the line's date) take settles them (Дт 60.01
    Кт 51), the rest is the advance paid (Дт 60.02 Кт 51), with no VAT (``bank_advances``).
    ``paid`` is used up line by line. 25 000,00 to a supplier owed 10 000,00: 10 000,00 to 60.01,
    15 000,00 to 60.02."""
    settled, advance = paid.take(cp, r["date"], amount)
    credit = r["credit"]
    parts: list[tuple[str, str, int, str | None]] = []
    if settled:
        parts.append((adv.SUPPLIER_ACCOUNT, credit, settled, "Оплата поступления"))
    if advance:
        parts.append((adv.ADVANCE_PAID_ACCOUNT, credit, advance, "Аванс выдан"))
    return parts


def ensure_builtin(db: Session, org_id: str, codes: set[str]) -> None:
    """Add the built-in accounts among ``codes`` an organisation's chart lacks (a chart
    made before an account joined the built-in one: 71.01), with their parents."""
    have = set(db.scalars(select(LedgerAccount.code).where(
        LedgerAccount.org_id == org_id)).all())
    if not have:
        return  # no chart yet: ``ensure_chart`` gives the whole one
    builtin = {a.code: a for a in chart.load_chart()}
    wanted: list[str] = []
    for code in sorted(codes - have):
        account = builtin.get(code)
        while account is not None and account.code not in have:
            wanted.append(account.code)
            have.add(account.code)
            account = builtin.get(account.parent) if account.parent else None
    for code in reversed(wanted):  # parents first
        a = builtin[code]
        db.add(LedgerAccount(org_id=org_id, code=a.code, name=a.name, kind=a.kind,
                             analytics=",".join(a.analytics), parent=a.parent, builtin=True))
    if wanted:
        db.flush()


def _ids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs as strings, like ``new_id``, from one read of
    the system's random source (``uuid4`` per id costs 5 µs, 50 ms at 10 000 lines)."""
    raw = os.urandom(16 * count)
    out = []
    for i in range(0, 16 * count, 16):
        b = bytearray(raw[i:i + 16])
        b[6] = (b[6] & 0x0F) | 0x40  # version 4
        b[8] = (b[8] & 0x3F) | 0x80  # the RFC 4122 variant
        h = b.hex()
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def _counterparties_for(db: Session, oc: OrgCtx, todo: Sequence[Mapping[str, Any]]
                        ) -> tuple[Any, int]:
    """A function giving each line's counterparty id (creating the missing ones in one
    insert), and how many were created."""
    wanted = [r for r in todo if needs_counterparty(r["debit"], r["credit"])]
    by_inn = counterparties_by_inn(db, oc.org_id, {r["cp_inn"] for r in wanted
                                                    if r["cp_inn"]})
    by_name: dict[str, str] = {}
    new_rows: list[dict[str, Any]] = []
    now = oc.ctx.now
    for r in wanted:
        inn = r["cp_inn"]
        if (inn and inn in by_inn) or (not inn and r["cp_name"] in by_name):
            continue
        cp_id = new_id()
        if inn:
            by_inn[inn] = cp_id
        else:
            by_name[r["cp_name"]] = cp_id
        kind = "org" if inn and len(inn) == 10 else (
            "person" if not inn or (r["cp_account"] or "").startswith(PERSON_ACCOUNTS)
            else "ip")
        kpp = r["cp_kpp"] if kind == "org" and r["cp_kpp"] and r["cp_kpp"] != "0" else None
        new_rows.append({
            "id": cp_id, "org_id": oc.org_id, "kind": kind, "name": r["cp_name"],
            "name_folded": fold(r["cp_name"]), "full_name": None, "inn": inn, "kpp": kpp,
            "inn_kpp": f"{inn}/{kpp or ''}" if inn else None, "address": None,
            "phone": None, "email": None, "bik": r["cp_bik"], "account": r["cp_account"],
            "corr_account": r["cp_corr_account"], "bank_name": r["cp_bank"],
            "contract": None, "archived": False, "created_at": now, "updated_at": now,
        })
    if new_rows:
        db.connection().execute(insert(Counterparty.__table__), new_rows)
        for row in new_rows[:50]:
            audit.record(db, oc.ctx, "counterparties.create", org_id=oc.org_id,
                         object_type="counterparty", object_id=row["id"],
                         summary=f"{row['name']} (ИНН {row['inn'] or '—'}): из выписки")

    def cp_of(r: Mapping[str, Any]) -> str | None:
        if r["cp_inn"]:
            return by_inn.get(r["cp_inn"])
        return by_name.get(r["cp_name"])

    return cp_of, len(new_rows)


def _apply_turnovers(conn: Connection, changes: dict[turnovers.Key, tuple[int, int]]) -> None:
    """``turnovers.apply`` for thousands of keys (in key order: no deadlock): the same
    upsert as one batched statement (``batch.add_rows``) instead of one huge multi-row
    VALUES, whose compilation alone costs a second at 10 000 keys."""
    if conn.dialect.name not in ("sqlite", "postgresql") or len(changes) < 100:
        turnovers.apply(conn, changes)  # type: ignore[arg-type]
        return
    rows = [dict(zip(turnovers.KEY, key, strict=True), debit_kopecks=d, credit_kopecks=c)
            for key, (d, c) in changes.items()]
    add_rows(conn, turnovers.T, turnovers.KEY, ("debit_kopecks", "credit_kopecks"), rows)


def _description(r: Mapping[str, Any]) -> str:
    head = "Поступление" if r["direction"] == "in" else "Списание"
    number = f" №{r['number']}" if r["number"] else ""
    text = f"{head} по выписке{number}: {r['cp_name']}"
    if r["purpose"]:
        text += f" — {r['purpose']}"
    return text[:500]
