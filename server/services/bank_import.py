"""Provides the bank statement import: preview, proposals, rules, posting, reconciliation.

A 1CClientBankExchange statement (``server.domain.bank_exchange``) is uploaded and staged
(``BankImport`` with one ``BankImportLine`` per document touching the organisation's
accounts), so the preview survives and posting is one transaction. Rules kept here:
- a broken file is refused whole (422 ``bank.file`` naming the line and the reason);
- a document is ours when its payer's or payee's account is one of the organisation's bank
  accounts: money out or in; a transfer between two of our accounts is two lines (out via
  57, in via 57); a document of someone else's account is shown, never posted;
- counterparties are matched by ИНН in one query; the ones missing are created on posting
  (name, КПП and bank details from the file) for lines on 60/62/76, which carry the
  counterparty as analytics;
- accounts are proposed by the user's rules first (lowest priority first), then by what a
  Russian accountant would do (``propose``);
- posting is all or nothing: a line dated in a closed month refuses the whole import
  (409 ``bank.period_closed`` naming the month and the line); each posted line gets a
  dedupe key (account, date, number, amount, direction, counterparty ИНН), unique per
  organisation, so the same payment is never posted twice: importing the same file again
  reports duplicates and posts nothing new;
- a line whose money movement is already booked by another path is «in the books»
  (``in_books``), shown and never posted: an outgoing payment order of ours (same payer
  account, number, date and amount) whose entry payroll made (``posted_entry_id``), or a
  posted bank_in/bank_out document of the same date, amount, direction and counterparty
  ИНН (any counterparty when the document has none), one document for one line;
- everything goes in with a few batched statements (10 000 lines in well under a second),
  and the turnover aggregates are updated for the inserted postings in the same
  transaction (``turnovers.apply``).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from core.documents import document_title
from core.money import from_kopecks, to_kopecks
from server import i18n
from server.db.models import (
    BankAccount,
    BankImport,
    BankImportLine,
    BankRule,
    ClosedPeriod,
    Counterparty,
    Document,
    Entry,
    Organisation,
    PaymentOrder,
    Posting,
    new_id,
)
from server.domain.query import fold
from server.services import audit, turnovers
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_accounts, ensure_chart, month_of

TREASURY_INN = "7727406020"
MAX_FILE = 64 * 1024 * 1024
"""The largest statement accepted, uncompressed."""
CHUNK = 500
"""Values per ``IN (…)`` list (SQLite allows a few thousand bound parameters)."""
ANALYTICS = frozenset({"60", "62", "76"})
"""Accounts whose postings carry the counterparty (субконто)."""
PERSON_ACCOUNTS = ("40817", "40820", "423")

L = BankImportLine.__table__


def needs_counterparty(*codes: str) -> bool:
    return any(code.split(".")[0] in ANALYTICS for code in codes)


def read_upload(body: bytes, encoding: str | None) -> bytes:
    """The file as uploaded: gzip-compressed when ``Content-Encoding: gzip`` (the client
    always compresses: a statement shrinks tenfold), never more than ``MAX_FILE``."""
    if (encoding or "").strip().lower() != "gzip":
        if len(body) > MAX_FILE:
            raise ServiceError(413, "bank.too_large")
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(body, MAX_FILE + 1)
    except (zlib.error, gzip.BadGzipFile):
        raise ServiceError(422, "bank.file", params={"line": 0, "reason": "gzip"}) from None
    if len(data) > MAX_FILE or inflater.unconsumed_tail:
        raise ServiceError(413, "bank.too_large")
    return data


# --- proposals (pure) ----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    direction: str
    inn: str | None
    purpose_folded: str | None
    account: str
    label: str


@dataclass
class Draft:
    """One line before it is stored: what the file says and what is proposed."""

    no: int
    line: int
    kind: str
    date: date
    number: str | None
    direction: str
    kopecks: int
    bank_account: str
    cp_name: str
    cp_inn: str | None
    cp_kpp: str | None
    cp_account: str | None
    cp_bik: str | None
    cp_corr_account: str | None
    cp_bank: str | None
    purpose: str
    kbk: str | None
    own_transfer: bool
    ours: bool
    debit: str = ""
    credit: str = ""
    reason: str = ""

    @property
    def dedupe_key(self) -> str:
        return "|".join((self.bank_account, self.date.isoformat(), self.number or "",
                         str(self.kopecks), self.direction, self.cp_inn or ""))


def _pair(direction: str, account: str) -> tuple[str, str]:
    """Дт/Кт for a line whose other side is 51: money in is Дт 51, money out Кт 51."""
    return ("51", account) if direction == "in" else (account, "51")


def propose(d: Draft, rules: Sequence[Rule], own_inn: str, lang: str) -> tuple[str, str, str]:
    """(Дт, Кт, reason) for a statement line: the first matching rule, else the usual
    accounting of a bank line (rules of thumb an accountant applies by hand)."""
    purpose = fold(d.purpose)
    for rule in rules:
        if rule.direction not in ("any", d.direction):
            continue
        if rule.inn and rule.inn != d.cp_inn:
            continue
        if rule.purpose_folded and rule.purpose_folded not in purpose:
            continue
        return (*_pair(d.direction, rule.account),
                i18n.text("bank.reason.rule", lang, rule=rule.label))

    def say(key: str) -> str:
        return _reason(key, lang)

    if d.own_transfer:
        return (*_pair(d.direction, "57"), say("own_transfer"))
    if d.direction == "in":
        if "взнос наличн" in purpose or "инкасс" in purpose:
            return (*_pair("in", "50.01"), say("cash_in"))
        if d.cp_inn == TREASURY_INN or (d.cp_account or "").startswith("031"):
            return (*_pair("in", "68.90"), say("tax_refund"))
        if d.kind.casefold().startswith("банковский ордер") or "процент" in purpose:
            return (*_pair("in", "91.01"), say("bank_income"))
        return (*_pair("in", "62.01"), say("customer"))
    if d.kind.casefold().startswith("банковский ордер") or "комисс" in purpose:
        return (*_pair("out", "91.02"), say("bank_fee"))
    kbk = d.kbk or ""
    if (d.cp_inn == TREASURY_INN or (d.cp_account or "").startswith("031")
            or kbk.startswith("182") or kbk.startswith("797")):
        if kbk.startswith("797"):
            return (*_pair("out", "69.11"), say("contributions_injury"))
        if kbk.startswith("18210202"):
            return (*_pair("out", "69.09"), say("contributions"))
        return (*_pair("out", "68.90"), say("enp"))
    person = (d.cp_inn is None or len(d.cp_inn) == 12) and \
        (d.cp_account or "").startswith(PERSON_ACCOUNTS)
    if ("заработн" in purpose or "зарплат" in purpose) and (
            person or (d.cp_account or "").startswith("30232")):
        return (*_pair("out", "70"), say("salary"))
    if ("на выдачу" in purpose or "снятие наличн" in purpose or "выдача наличн" in purpose
            or (own_inn and d.cp_inn == own_inn)):
        return (*_pair("out", "50.01"), say("cash_out"))
    return (*_pair("out", "60.01"), say("supplier"))


@lru_cache(maxsize=64)
def _reason(key: str, lang: str) -> str:
    return i18n.text(f"bank.reason.{key}", lang)


def _day(value: str | None) -> date | None:
    """``dd.mm.yyyy`` (already checked by the parser) without ``strptime``'s cost."""
    if not value:
        return None
    return date(int(value[6:10]), int(value[3:5]), int(value[0:2]))


_INN_PREFIX = re.compile(r"^\s*ИНН\s*\d{10,12}\s*", re.IGNORECASE)


def _name(value: str | None) -> str:
    """«ИНН 7707083893 ПАО Сбербанк» → «ПАО Сбербанк» (the one-line form of the file)."""
    return _INN_PREFIX.sub("", value or "").strip()[:300] or "—"


def _opt(value: Any, length: int) -> str | None:
    text = (value or "").strip() if isinstance(value, str) else value
    return str(text)[:length] if text else None


def drafts(ef: Any, ours: set[str], lang: str) -> list[Draft]:
    """The statement's documents as lines (a transfer between our accounts is two)."""
    in_file = {a.account for a in ef.accounts}
    out: list[Draft] = []
    for doc in ef.documents:
        payer_ours = doc.payer_account in ours
        payee_ours = doc.payee_account in ours
        sides: list[tuple[str, bool]] = []
        if payer_ours:
            sides.append(("out", True))
        if payee_ours:
            sides.append(("in", True))
        if not sides:
            sides.append(("out" if doc.payer_account in in_file else "in", False))
        amount = doc.amount
        if amount is None or amount <= 0:
            raise ServiceError(422, "bank.file", params={
                "line": doc.line, "reason": i18n.text("bank.reason.bad_amount", lang)})
        for direction, is_ours in sides:
            day = _day(doc.get("ДатаСписано" if direction == "out" else "ДатаПоступило")
                       or doc.get("Дата"))
            if day is None:
                raise ServiceError(422, "bank.file", params={
                    "line": doc.line, "reason": i18n.text("bank.reason.no_date", lang)})
            p = "payee" if direction == "out" else "payer"
            cp = {k: getattr(doc, f"{p}_{k}") for k in
                  ("name", "inn", "kpp", "account", "bik", "bank", "corr_account")}
            out.append(Draft(
                no=len(out) + 1, line=doc.line, kind=(doc.kind or "")[:60], date=day,
                number=_opt(doc.number, 20), direction=direction, kopecks=to_kopecks(amount),
                bank_account=(doc.payer_account if direction == "out"
                              else doc.payee_account) or "",
                cp_name=_name(cp["name"]), cp_inn=_opt(cp["inn"], 12),
                cp_kpp=_opt(cp["kpp"], 9), cp_account=_opt(cp["account"], 20),
                cp_bik=_opt(cp["bik"], 9), cp_corr_account=_opt(cp["corr_account"], 20),
                cp_bank=_opt(cp["bank"], 300), purpose=(doc.purpose or "").strip(),
                kbk=_opt(doc.kbk, 20), own_transfer=payer_ours and payee_ours, ours=is_ours,
            ))
    return out


# --- wire shapes ------------------------------------------------------------------------


def _rub(k: int) -> Decimal:
    """``from_kopecks`` without its checks, for thousands of stored (valid) amounts."""
    return Decimal(k).scaleb(-2)


def _line_out(r: Mapping[str, Any]) -> m.StatementLineOut:
    return m.StatementLineOut(
        no=r["no"], line=r["line"], kind=r["kind"], date=r["date"], number=r["number"],
        direction=r["direction"], amount=_rub(r["amount_kopecks"]),
        bank_account=r["bank_account"], counterparty_name=r["cp_name"],
        counterparty_inn=r["cp_inn"], counterparty_kpp=r["cp_kpp"],
        counterparty_account=r["cp_account"], counterparty_id=r["counterparty_id"],
        new_counterparty=r["status"] == "new" and r["counterparty_id"] is None
        and needs_counterparty(r["debit"], r["credit"]),
        purpose=r["purpose"], debit=r["debit"], credit=r["credit"], reason=r["reason"],
        status=r["status"], entry_id=r["entry_id"],
    )


def _money(k: int | None) -> Decimal | None:
    return None if k is None else from_kopecks(k)


def _preview(imp: BankImport, rows: Sequence[Mapping[str, Any]],
             ours: set[str]) -> m.StatementPreview:
    lines = [_line_out(r) for r in rows]
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
        opening=_money(a["opening"]), credited=_money(a["credited"]),
        debited=_money(a["debited"]), closing=_money(a["closing"]),
        known=a["account"] in ours) for a in json.loads(imp.accounts_json)]
    return m.StatementPreview(
        id=imp.id, file_name=imp.file_name, encoding=imp.encoding,
        state=imp.state,  # type: ignore[arg-type]
        uploaded_at=imp.uploaded_at, accounts=accounts, lines=lines,
        counts=m.StatementCounts(total=len(rows), **by_status, incoming=from_kopecks(incoming),
                                 outgoing=from_kopecks(outgoing)),
    )


def _rule_out(r: BankRule) -> m.BankRuleOut:
    return m.BankRuleOut(id=r.id, direction=r.direction,  # type: ignore[arg-type]
                         inn=r.inn, purpose=r.purpose, account=r.account, priority=r.priority,
                         created_at=r.created_at)


def _rule_label(inn: str | None, purpose: str | None) -> str:
    return ", ".join(x for x in (f"ИНН {inn}" if inn else "",
                                 f"«{purpose}»" if purpose else "") if x)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(set(values))
    for i in range(0, len(items), CHUNK):
        yield items[i:i + CHUNK]


def _posted_keys(db: Session, org_id: str, keys: Iterable[str]) -> dict[str, str | None]:
    """Dedupe keys already posted in the organisation → the entry of each."""
    found: dict[str, str | None] = {}
    for part in _chunks(keys):
        for row in db.execute(select(L.c.dedupe_key, L.c.entry_id)
                              .where(L.c.org_id == org_id, L.c.dedupe_key.in_(part))):
            found[row.dedupe_key] = row.entry_id
    return found


def _counterparties_by_inn(db: Session, org_id: str,
                           inns: Iterable[str]) -> dict[str, str]:
    """ИНН → counterparty id (the active one first, then the oldest), in one query per
    ``CHUNK`` ИНН."""
    found: dict[str, str] = {}
    for part in _chunks(inns):
        rows = db.execute(
            select(Counterparty.id, Counterparty.inn)
            .where(Counterparty.org_id == org_id, Counterparty.inn.in_(part))
            .order_by(Counterparty.archived, Counterparty.created_at, Counterparty.id))
        for row in rows:
            found.setdefault(row.inn, row.id)
    return found


@dataclass
class InBooks:
    """What of the statement is already in the books by another path, loaded in two
    queries over the statement's dates: payment orders whose entry is made
    (``posted_entry_id``: payroll's card pay), and posted bank documents with their entry.
    ``match`` gives a line's (entry id, reason) and uses a document up (one for one line)."""

    orders: dict[tuple[str, str, date, int], tuple[str, str]]
    docs: dict[tuple[str, date, int], list[tuple[str | None, str, str]]]
    used: set[str]

    @classmethod
    def load(cls, db: Session, org_id: str, lines: Sequence[Draft], lang: str) -> InBooks:
        orders: dict[tuple[str, str, date, int], tuple[str, str]] = {}
        docs: dict[tuple[str, date, int], list[tuple[str | None, str, str]]] = {}
        days = [d.date for d in lines]
        out_days = [d.date for d in lines if d.direction == "out"]
        if out_days:
            rows = db.execute(
                select(PaymentOrder.payer_account, PaymentOrder.number, PaymentOrder.date,
                       PaymentOrder.amount_kopecks, PaymentOrder.kind,
                       PaymentOrder.posted_entry_id)
                .where(PaymentOrder.org_id == org_id, PaymentOrder.posted_entry_id.is_not(None),
                       PaymentOrder.date >= min(out_days), PaymentOrder.date <= max(out_days)))
            for o in rows:
                kind = i18n.text(f"bank.in_books.kind.{o.kind}", lang)
                orders[(o.payer_account, str(o.number), o.date, o.amount_kopecks)] = (
                    o.posted_entry_id, i18n.text("bank.reason.in_books_order", lang,
                                                 number=o.number, date=f"{o.date:%d.%m.%Y}",
                                                 kind=kind))
        if days:
            rows = db.execute(
                select(Document.type, Document.number, Document.date, Document.total_kopecks,
                       Counterparty.inn, Entry.id.label("entry_id"))
                .join(Entry, (Entry.document_id == Document.id) & Entry.reverses_id.is_(None))
                .outerjoin(Counterparty, Counterparty.id == Document.counterparty_id)
                .where(Document.org_id == org_id, Document.state == "posted",
                       Document.type.in_(("bank_in", "bank_out")),
                       Document.date >= min(days), Document.date <= max(days))
                .order_by(Document.date, Document.number))
            for doc in rows:
                direction = "in" if doc.type == "bank_in" else "out"
                title = document_title(doc.type, doc.number, doc.date)
                docs.setdefault((direction, doc.date, doc.total_kopecks), []).append(
                    (doc.inn, doc.entry_id,
                     i18n.text("bank.reason.in_books_doc", lang, document=title)))
        return cls(orders, docs, set())

    def match(self, d: Draft) -> tuple[str, str] | None:
        if d.direction == "out" and d.number and self.orders:
            found = self.orders.get((d.bank_account, d.number.lstrip("0") or "0", d.date,
                                     d.kopecks))
            if found is not None:
                return found
        candidates = self.docs.get((d.direction, d.date, d.kopecks)) if self.docs else None
        if not candidates:
            return None
        # The document of this counterparty first, else one without a counterparty.
        for want in ((lambda inn: inn is not None and inn == d.cp_inn),
                     (lambda inn: inn is None)):
            for inn, entry_id, reason in candidates:
                if entry_id not in self.used and want(inn):
                    self.used.add(entry_id)
                    return entry_id, reason
        return None


# --- use cases ----------------------------------------------------------------------


@dataclass
class BankImports:
    def upload(self, db: Session, oc: OrgCtx, data: bytes, file_name: str) -> m.StatementPreview:
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
            matched = _counterparties_by_inn(db, oc.org_id, {d.cp_inn for d in ds if d.cp_inn})
            posted = _posted_keys(db, oc.org_id, {d.dedupe_key for d in ds if d.ours})
            in_books = InBooks.load(db, oc.org_id, [d for d in ds if d.ours], lang)
            imp = BankImport(org_id=oc.org_id, file_name=(file_name or "statement.txt")[:300],
                             encoding=ef.encoding[:16], state="staged",
                             accounts_json=json.dumps([_section(a) for a in ef.accounts]),
                             uploaded_at=oc.ctx.now, uploaded_by=oc.user_id)
            db.add(imp)
            db.flush()
            seen: set[str] = set()
            rows: list[dict[str, Any]] = []
            for d in ds:
                d.debit, d.credit, d.reason = propose(d, rules, own_inn, lang)
                key = d.dedupe_key
                entry_id = None
                if not d.ours:
                    status = "unknown_account"
                elif key in posted or key in seen:
                    status, entry_id = "duplicate", posted.get(key)
                elif (found := in_books.match(d)) is not None:
                    status = "in_books"
                    entry_id, d.reason = found
                else:
                    status = "new"
                seen.add(key)
                rows.append({
                    "import_id": imp.id, "org_id": oc.org_id, "no": d.no, "line": d.line,
                    "kind": d.kind or "—", "date": d.date, "number": d.number,
                    "direction": d.direction, "amount_kopecks": d.kopecks,
                    "bank_account": d.bank_account[:20], "cp_name": d.cp_name,
                    "cp_inn": d.cp_inn, "cp_kpp": d.cp_kpp, "cp_account": d.cp_account,
                    "cp_bik": d.cp_bik, "cp_corr_account": d.cp_corr_account,
                    "cp_bank": d.cp_bank, "counterparty_id": matched.get(d.cp_inn or ""),
                    "purpose": d.purpose, "debit": d.debit, "credit": d.credit,
                    "reason": d.reason[:200], "status": status, "dedupe_key": None,
                    "entry_id": entry_id,
                })
            if rows:
                db.connection().execute(insert(L), rows)
            counts = {s: sum(1 for r in rows if r["status"] == s)
                      for s in ("new", "duplicate", "unknown_account", "in_books")}
            audit.record(db, oc.ctx, "bank.upload", org_id=oc.org_id, object_type="bank_import",
                         object_id=imp.id,
                         summary=f"{imp.file_name}: строк {len(rows)}, новых {counts['new']}, "
                                 f"повторов {counts['duplicate']}, уже в учёте "
                                 f"{counts['in_books']}, чужих счетов "
                                 f"{counts['unknown_account']}")
            return _preview(imp, rows, ours)

    def preview(self, db: Session, oc: OrgCtx, import_id: str) -> m.StatementPreview:
        with db.begin():
            imp = self._find(db, oc, import_id)
            rows = db.execute(select(L).where(L.c.import_id == imp.id)
                              .order_by(L.c.no)).mappings().all()
            return _preview(imp, rows, self._our_accounts(db, oc.org_id))

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
            check_accounts(db, oc.org_id, {data.debit, data.credit})
            reason = i18n.text("bank.reason.manual", oc.ctx.lang)
            db.execute(update(L).where(L.c.id == row["id"])
                       .values(debit=data.debit, credit=data.credit, reason=reason))
            audit.record(db, oc.ctx, "bank.change_line", org_id=oc.org_id,
                         object_type="bank_import", object_id=imp.id,
                         summary=f"строка {no}: Дт {row['debit']} Кт {row['credit']} → "
                                 f"Дт {data.debit} Кт {data.credit}")
            return _line_out({**row, "debit": data.debit, "credit": data.credit,
                              "reason": reason})

    def post(self, db: Session, oc: OrgCtx, import_id: str) -> m.BankPostResult:
        try:
            with db.begin():
                return self._post(db, oc, import_id)
        except IntegrityError:
            # Another import posted the same payment between our check and our insert.
            raise ServiceError(409, "bank.conflict") from None

    def _post(self, db: Session, oc: OrgCtx, import_id: str) -> m.BankPostResult:
        imp = self._find(db, oc, import_id, lock=True)
        if imp.state != "staged":
            raise ServiceError(409, "bank.already_posted")
        ensure_chart(db, oc.org_id)
        rows = db.execute(select(L).where(L.c.import_id == imp.id)
                          .order_by(L.c.no)).mappings().all()
        candidates = [r for r in rows if r["status"] in ("new", "duplicate")]
        posted = _posted_keys(db, oc.org_id, {_key(r) for r in candidates})
        todo: list[Mapping[str, Any]] = []
        dups: list[tuple[int, str]] = []
        seen: set[str] = set()
        for r in candidates:
            key = _key(r)
            if key in posted or key in seen:
                dups.append((r["id"], key))
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
        if todo:
            check_accounts(db, oc.org_id, {c for r in todo for c in (r["debit"], r["credit"])})
        cp_of, created = self._counterparties_for(db, oc, todo)
        entry_rows: list[dict[str, Any]] = []
        posting_rows: list[dict[str, Any]] = []
        line_rows: list[dict[str, Any]] = []
        number = (db.scalar(select(func.max(Entry.number)).where(Entry.org_id == oc.org_id))
                  or 0)
        first_number = number + 1 if todo else None
        for r in todo:
            number += 1
            entry_id = new_id()
            description = _description(r)
            entry_rows.append({
                "id": entry_id, "org_id": oc.org_id, "number": number, "date": r["date"],
                "description": description, "description_folded": fold(description),
                "reverses_id": None, "created_at": oc.ctx.now, "created_by": oc.user_id,
                "document_id": None,
            })
            cp = cp_of(r) if needs_counterparty(r["debit"], r["credit"]) else None
            posting_rows.append({
                "entry_id": entry_id, "org_id": oc.org_id, "line": 0, "date": r["date"],
                "debit": r["debit"], "credit": r["credit"],
                "amount_kopecks": r["amount_kopecks"], "memo": None, "counterparty_id": cp,
            })
            posted[_key(r)] = entry_id  # a later copy of it in this file is a duplicate
            line_rows.append({"_id": r["id"], "_entry": entry_id, "_key": _key(r),
                              "_status": "posted", "_cp": cp or r["counterparty_id"]})
        if entry_rows:
            conn = db.connection()  # Core: no ORM bulk bookkeeping for 10 000 rows
            conn.execute(insert(Entry.__table__), entry_rows)
            conn.execute(insert(Posting.__table__), posting_rows)
            # Core inserts bypass the ORM flush listener: keep the aggregates right here.
            _apply_turnovers(db, turnovers.deltas(SimpleNamespace(**p) for p in posting_rows))
        conn = db.connection()
        if line_rows:
            conn.execute(update(L).where(L.c.id == bindparam("_id")).values(
                entry_id=bindparam("_entry"), dedupe_key=bindparam("_key"),
                status=bindparam("_status"), counterparty_id=bindparam("_cp")), line_rows)
        if dups:
            conn.execute(update(L).where(L.c.id == bindparam("_id")).values(
                status="duplicate", entry_id=bindparam("_entry")),
                [{"_id": i, "_entry": posted.get(key)} for i, key in dups])
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

    def _counterparties_for(self, db: Session, oc: OrgCtx, todo: Sequence[Mapping[str, Any]]
                            ) -> tuple[Any, int]:
        """A function giving each line's counterparty id (creating the missing ones in one
        insert), and how many were created."""
        wanted = [r for r in todo if needs_counterparty(r["debit"], r["credit"])]
        by_inn = _counterparties_by_inn(db, oc.org_id, {r["cp_inn"] for r in wanted
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

    # --- reconciliation ------------------------------------------------------------

    def reconciliation(self, db: Session, oc: OrgCtx, import_id: str) -> m.ReconciliationOut:
        with db.begin():
            imp = self._find(db, oc, import_id)
            rows = db.execute(select(L).where(L.c.import_id == imp.id)
                              .order_by(L.c.no)).mappings().all()
            sections = json.loads(imp.accounts_json)
            ours = self._our_accounts(db, oc.org_id)
            sums: dict[str, list[int]] = {}
            seen: set[str] = set()
            for r in rows:
                key = _key(r)
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
                figures = turnovers.balances(db, oc.org_id, date_from, date_to, accounts=["51"])
                books_open = sum(b.opening for b in figures.values())
                books_close = sum(b.closing for b in figures.values())
                total.books_opening = from_kopecks(books_open)
                total.books_closing = from_kopecks(books_close)
                if total.statement_opening is not None:
                    total.difference_opening = total.statement_opening - total.books_opening
                if total.statement_closing is not None:
                    total.difference_closing = total.statement_closing - total.books_closing
            # A line in the books by another path (a document, payroll) is matched too.
            unmatched = [_line_out(r) for r in rows
                         if r["entry_id"] is None and r["status"] != "in_books"]
            return m.ReconciliationOut(import_id=imp.id, rows=out_rows, total=total,
                                       unmatched=unmatched)

    # --- rules ------------------------------------------------------------------------

    def rules(self, db: Session, oc: OrgCtx) -> m.BankRuleList:
        with db.begin():
            rows = db.scalars(select(BankRule).where(BankRule.org_id == oc.org_id)
                              .order_by(BankRule.priority, BankRule.created_at,
                                        BankRule.id)).all()
            return m.BankRuleList(items=[_rule_out(r) for r in rows])

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
                         summary=f"{_rule_label(rule.inn, rule.purpose)} → {rule.account}")
            return _rule_out(rule)

    def delete_rule(self, db: Session, oc: OrgCtx, rule_id: str) -> None:
        with db.begin():
            rule = db.get(BankRule, rule_id)
            if rule is None or rule.org_id != oc.org_id:
                raise ServiceError(404, "bank.rule_not_found")
            audit.record(db, oc.ctx, "bank.rule_delete", org_id=oc.org_id,
                         object_type="bank_rule", object_id=rule.id,
                         summary=f"{_rule_label(rule.inn, rule.purpose)} → {rule.account}")
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
                     _rule_label(r.inn, r.purpose)) for r in rows]


def _apply_turnovers(db: Session, changes: dict[Any, list[int]]) -> None:
    """``turnovers.apply`` for thousands of keys: the same upsert, one row per execution
    of one compiled statement (executemany) instead of one huge multi-row VALUES, whose
    compilation alone costs a second at 10 000 keys. Keys in order (no deadlock)."""
    conn = db.connection()
    dialect = conn.dialect.name
    if dialect not in ("sqlite", "postgresql") or len(changes) < 100:
        turnovers.apply(conn, changes)
        return
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    table = turnovers.T
    stmt = (sqlite_insert if dialect == "sqlite" else pg_insert)(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(turnovers.KEY),
        set_={"debit_kopecks": table.c.debit_kopecks + stmt.excluded.debit_kopecks,
              "credit_kopecks": table.c.credit_kopecks + stmt.excluded.credit_kopecks})
    rows = [dict(zip(turnovers.KEY, key, strict=True), debit_kopecks=d, credit_kopecks=c)
            for key, (d, c) in sorted(changes.items())]
    conn.execute(stmt, rows)


def _key(r: Mapping[str, Any]) -> str:
    return "|".join((r["bank_account"], r["date"].isoformat(), r["number"] or "",
                     str(r["amount_kopecks"]), r["direction"], r["cp_inn"] or ""))


def _description(r: Mapping[str, Any]) -> str:
    head = "Поступление" if r["direction"] == "in" else "Списание"
    number = f" №{r['number']}" if r["number"] else ""
    text = f"{head} по выписке{number}: {r['cp_name']}"
    if r["purpose"]:
        text += f" — {r['purpose']}"
    return text[:500]


def _section(a: Any) -> dict[str, Any]:
    def k(v: Decimal | None) -> int | None:
        return None if v is None else to_kopecks(v)

    return {"account": a.account, "line": a.line,
            "date_from": a.date_from.isoformat() if a.date_from else None,
            "date_to": a.date_to.isoformat() if a.date_to else None,
            "opening": k(a.opening), "credited": k(a.credited), "debited": k(a.debited),
            "closing": k(a.closing)}


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
        statement_opening=_money(opening), statement_closing=_money(closing),
        statement_credited=_money(credited), statement_debited=_money(debited),
        lines_in=from_kopecks(lines_in), lines_out=from_kopecks(lines_out),
        books_opening=None, books_closing=None, difference_opening=None,
        difference_closing=None, consistent=consistent,
    )
