"""Provides ``BankImports``: the use cases of the statement import (upload and preview, a
line's accounts, posting, reconciliation, the rules), each one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from server import i18n
from server.db.models import (
    BankAccount,
    BankImport,
    BankRule,
    Organisation,
)
from server.domain.posting_rules import pays_vat
from server.domain.query import fold
from server.services import audit
from server.services.bank_import import posting, reconciliation
from server.services.bank_import.batch import insert_rows
from server.services.bank_import.proposals import (
    Advances,
    InBooks,
    PaidAdvances,
    Rule,
    Staff,
    propose,
    rule_label,
)
from server.services.bank_import.shapes import line_out, preview_out, rule_out
from server.services.bank_import.staging import (
    L,
    counterparties_by_inn,
    drafts,
    line_key,
    posted_keys,
    section_of,
)
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_accounts, ensure_chart
from server.services.notifications import notify_roles


@dataclass
class BankImports:
    def upload(self, db: Session, oc: OrgCtx, data: bytes, file_name: str, *,
               limit: int | None = None) -> m.StatementPreview:
        from server.domain import bank_exchange

        lang = oc.ctx.lang
        try:
            ef = bank_exchange.parse(data)
        except bank_exchange.ExchangeError as exc:
            raise ServiceError(422, "bank.file", params={
                "line": exc.line, "reason": i18n.text(exc.key, lang, **exc.params)}) from None
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            own_inn = org.inn if org else ""
            ours = self._our_accounts(db, oc.org_id)
            ds = drafts(ef, ours, lang)
            rules = self._rules(db, oc.org_id)
            matched = counterparties_by_inn(db, oc.org_id,
                                            {d["cp_inn"] for d in ds if d["cp_inn"]})
            keys = [line_key(d) for d in ds]
            posted = posted_keys(db, oc.org_id, {k for d, k in zip(ds, keys, strict=True)
                                                 if d["ours"]})
            in_books = InBooks.load(db, oc.org_id, [d for d in ds if d["ours"]], lang)
            staff = Staff.load(db, oc.org_id)
            advances = Advances.load(db, oc.org_id, matched) \
                if org is not None and pays_vat(org.vat_mode) else None
            # Advances paid to suppliers for any organisation: no VAT on them here.
            paid_advances = PaidAdvances.load(db, oc.org_id, matched,
                                              max(d["date"] for d in ds)) if ds else None
            imp = BankImport(org_id=oc.org_id, file_name=(file_name or "statement.txt")[:300],
                             encoding=ef.encoding[:16], state="staged",
                             accounts_json=json.dumps([section_of(a) for a in ef.accounts]),
                             uploaded_at=oc.ctx.now, uploaded_by=oc.user_id)
            db.add(imp)
            db.flush()
            seen: set[str] = set()
            rows: list[dict[str, Any]] = []
            for d, key in zip(ds, keys, strict=True):
                debit, credit, reason = propose(d, rules, own_inn, lang, staff=staff,
                                                advances=advances if d["ours"] else None,
                                                paid_advances=paid_advances
                                                if d["ours"] else None)
                entry_id = None
                if not d["ours"]:
                    status = "unknown_account"
                elif key in posted or key in seen:
                    status, entry_id = "duplicate", posted.get(key)
                elif (found := in_books.match(d)) is not None:
                    status = "in_books"
                    entry_id, reason = found
                else:
                    status = "new"
                seen.add(key)
                rows.append({
                    "import_id": imp.id, "org_id": oc.org_id, "no": d["no"], "line": d["line"],
                    "kind": d["kind"] or "—", "date": d["date"], "number": d["number"],
                    "direction": d["direction"], "amount_kopecks": d["amount_kopecks"],
                    "bank_account": d["bank_account"][:20], "cp_name": d["cp_name"],
                    "cp_inn": d["cp_inn"], "cp_kpp": d["cp_kpp"], "cp_account": d["cp_account"],
                    "cp_bik": d["cp_bik"], "cp_corr_account": d["cp_corr_account"],
                    "cp_bank": d["cp_bank"], "counterparty_id": matched.get(d["cp_inn"] or ""),
                    "purpose": d["purpose"], "debit": debit, "credit": credit,
                    "reason": reason[:200], "status": status, "dedupe_key": None,
                    "entry_id": entry_id,
                })
            insert_rows(db.connection(), L, rows)
            counts = {s: sum(1 for r in rows if r["status"] == s)
                      for s in ("new", "duplicate", "unknown_account", "in_books")}
            audit.record(db, oc.ctx, "bank.upload", org_id=oc.org_id, object_type="bank_import",
                         object_id=imp.id,
                         summary=f"{imp.file_name}: строк {len(rows)}, новых {counts['new']}, "
                                 f"повторов {counts['duplicate']}, уже в учёте "
                                 f"{counts['in_books']}, чужих счетов "
                                 f"{counts['unknown_account']}")
            return preview_out(imp, rows, ours, limit=limit, staff=staff)

    def preview(self, db: Session, oc: OrgCtx, import_id: str, *, offset: int = 0,
                limit: int | None = None) -> m.StatementPreview:
        with db.begin():
            imp = self._find(db, oc, import_id)
            rows = db.execute(select(L).where(L.c.import_id == imp.id)
                              .order_by(L.c.no)).mappings().all()
            return preview_out(imp, rows, self._our_accounts(db, oc.org_id),
                               offset=offset, limit=limit, staff=Staff.load(db, oc.org_id))

    def change_line(self, db: Session, oc: OrgCtx, import_id: str, no: int,
                    data: m.ImportLineChange) -> m.StatementLineOut:
        with db.begin():
            imp = self._find(db, oc, import_id, lock=True)
            if imp.state != "staged":
                raise ServiceError(409, "bank.already_posted")
            row = db.execute(select(L).where(L.c.import_id == imp.id, L.c.no == no)
                             ).mappings().first()
            if row is None:
                raise ServiceError(404, "bank.line_not_found")
            ensure_chart(db, oc.org_id)
            posting.ensure_builtin(db, oc.org_id, {data.debit, data.credit})
            check_accounts(db, oc.org_id, {data.debit, data.credit})
            reason = i18n.text("bank.reason.manual", oc.ctx.lang)
            db.execute(update(L).where(L.c.id == row["id"])
                       .values(debit=data.debit, credit=data.credit, reason=reason))
            audit.record(db, oc.ctx, "bank.change_line", org_id=oc.org_id,
                         object_type="bank_import", object_id=imp.id,
                         summary=f"строка {no}: Дт {row['debit']} Кт {row['credit']} → "
                                 f"Дт {data.debit} Кт {data.credit}")
            return line_out({**row, "debit": data.debit, "credit": data.credit,
                              "reason": reason}, Staff.load(db, oc.org_id))

    def post(self, db: Session, oc: OrgCtx, import_id: str) -> m.BankPostResult:
        try:
            with db.begin():
                imp = self._find(db, oc, import_id, lock=True)
                result = posting.post_import(db, oc, imp)
                notify_roles(db, oc.org_id, ("accountant", "director"), "statement_imported",
                             ("statement", imp.id), {"file": imp.file_name,
                                                     "posted": result.posted},
                             now=oc.ctx.now, by=oc.user_id)
                return result
        except IntegrityError:
            # Another import posted the same payment between our check and our insert.
            raise ServiceError(409, "bank.conflict") from None

    def reconciliation(self, db: Session, oc: OrgCtx, import_id: str) -> m.ReconciliationOut:
        with db.begin():
            imp = self._find(db, oc, import_id)
            return reconciliation.reconcile(db, oc.org_id, imp,
                                            self._our_accounts(db, oc.org_id))

    # --- rules ------------------------------------------------------------------------

    def rules(self, db: Session, oc: OrgCtx) -> m.BankRuleList:
        with db.begin():
            rows = db.scalars(select(BankRule).where(BankRule.org_id == oc.org_id)
                              .order_by(BankRule.priority, BankRule.created_at,
                                        BankRule.id)).all()
            return m.BankRuleList(items=[rule_out(r) for r in rows])

    def create_rule(self, db: Session, oc: OrgCtx, data: m.BankRuleIn) -> m.BankRuleOut:
        with db.begin():
            ensure_chart(db, oc.org_id)
            check_accounts(db, oc.org_id, {data.account})
            if data.account.split(".")[0] == "51":
                raise ServiceError(422, "bank.rule_account")
            rule = BankRule(org_id=oc.org_id, direction=data.direction, inn=data.inn,
                            purpose=data.purpose,
                            purpose_folded=fold(data.purpose) if data.purpose else None,
                            account=data.account, priority=data.priority,
                            created_at=oc.ctx.now, created_by=oc.user_id)
            db.add(rule)
            db.flush()
            audit.record(db, oc.ctx, "bank.rule_create", org_id=oc.org_id,
                         object_type="bank_rule", object_id=rule.id,
                         summary=f"{rule_label(rule.inn, rule.purpose)} → {rule.account}")
            return rule_out(rule)

    def delete_rule(self, db: Session, oc: OrgCtx, rule_id: str) -> None:
        with db.begin():
            rule = db.get(BankRule, rule_id)
            if rule is None or rule.org_id != oc.org_id:
                raise ServiceError(404, "bank.rule_not_found")
            audit.record(db, oc.ctx, "bank.rule_delete", org_id=oc.org_id,
                         object_type="bank_rule", object_id=rule.id,
                         summary=f"{rule_label(rule.inn, rule.purpose)} → {rule.account}")
            db.delete(rule)

    # --- helpers ----------------------------------------------------------------------

    def _find(self, db: Session, oc: OrgCtx, import_id: str, *, lock: bool = False
              ) -> BankImport:
        imp = db.get(BankImport, import_id, with_for_update=lock)
        if imp is None or imp.org_id != oc.org_id:
            raise ServiceError(404, "bank.import_not_found")
        return imp

    def _our_accounts(self, db: Session, org_id: str) -> set[str]:
        return set(db.scalars(select(BankAccount.account)
                              .where(BankAccount.org_id == org_id)).all())

    def _rules(self, db: Session, org_id: str) -> list[Rule]:
        rows = db.scalars(select(BankRule).where(BankRule.org_id == org_id)
                          .order_by(BankRule.priority, BankRule.created_at, BankRule.id)).all()
        return [Rule(r.direction, r.inn, r.purpose_folded, r.account,
                     rule_label(r.inn, r.purpose)) for r in rows]
