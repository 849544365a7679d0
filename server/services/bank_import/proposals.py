"""Provides the proposals for a statement line: the accounts (the user's rules first, then
what a Russian accountant would do), and what of the statement is already in the books by
another path (``InBooks``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from core.documents import document_title
from server import i18n
from server.db.models import (
    Counterparty,
    Document,
    Employee,
    Entry,
    PaymentOrder,
    Posting,
)
from server.domain import bank_advances as adv
from server.domain.query import fold
from server.services.bank_import.staging import Draft, _among, _chunks

TREASURY_INN = "7727406020"


ANALYTICS = frozenset({"60", "62", "76"})
"""Accounts whose postings carry the counterparty (субконто)."""


PERSON_ACCOUNTS = ("40817", "40820", "423")


def needs_counterparty(*codes: str) -> bool:
    return any(code.split(".")[0] in ANALYTICS for code in codes)


@dataclass(frozen=True)
class Rule:
    direction: str
    inn: str | None
    purpose_folded: str | None
    account: str
    label: str


def _pair(direction: str, account: str) -> tuple[str, str]:
    """Дт/Кт for a line whose other side is 51: money in is Дт 51, money out Кт 51."""
    return ("51", account) if direction == "in" else (account, "51")


def propose(d: Draft, rules: Sequence[Rule], own_inn: str, lang: str, *,
            staff: Staff | None = None, advances: Advances | None = None,
            paid_advances: PaidAdvances | None = None) -> tuple[str, str, str]:
    """(Дт, Кт, reason) for a statement line: the first matching rule, else the usual
    accounting of a bank line (rules of thumb an accountant applies by hand). With
    ``staff``, money in from an employee (``Staff.match``) is a return of an accountable
    sum (Дт 51 Кт 71.01); with ``advances`` (a VAT payer), a customer's payment its unpaid
    sales do not cover is an advance (Дт 51 Кт 62.02, ``Advances.is_advance``); with
    ``paid_advances``, a payment to a supplier its unpaid поступления do not cover is an
    advance paid (Дт 60.02 Кт 51, ``PaidAdvances.is_advance_paid``)."""
    purpose = fold(d["purpose"])
    kind = d["kind"].casefold()
    for rule in rules:
        if rule.direction not in ("any", d["direction"]):
            continue
        if rule.inn and rule.inn != d["cp_inn"]:
            continue
        if rule.purpose_folded and rule.purpose_folded not in purpose:
            continue
        return (*_pair(d["direction"], rule.account),
                i18n.text("bank.reason.rule", lang, rule=rule.label))

    def say(key: str) -> str:
        return _reason(key, lang)

    if d["own_transfer"]:
        return (*_pair(d["direction"], "57"), say("own_transfer"))
    if d["direction"] == "in":
        if "взнос наличн" in purpose or "инкасс" in purpose:
            return (*_pair("in", "50.01"), say("cash_in"))
        if d["cp_inn"] == TREASURY_INN or (d["cp_account"] or "").startswith("031"):
            return (*_pair("in", "68.90"), say("tax_refund"))
        if kind.startswith("банковский ордер") or "процент" in purpose:
            return (*_pair("in", "91.01"), say("bank_income"))
        if staff is not None and (who := staff.match(d, purpose)) is not None:
            return (*_pair("in", adv.ACCOUNTABLE_ACCOUNT),
                    i18n.text("bank.reason.accountable", lang, name=who[1] or "—"))
        if advances is not None and advances.is_advance(d):
            return (*_pair("in", adv.ADVANCE_ACCOUNT), say("advance"))
        return (*_pair("in", "62.01"), say("customer"))
    if kind.startswith("банковский ордер") or "комисс" in purpose:
        return (*_pair("out", "91.02"), say("bank_fee"))
    kbk = d["kbk"] or ""
    if (d["cp_inn"] == TREASURY_INN or (d["cp_account"] or "").startswith("031")
            or kbk.startswith("182") or kbk.startswith("797")):
        if kbk.startswith("797"):
            return (*_pair("out", "69.11"), say("contributions_injury"))
        if kbk.startswith("18210202"):
            return (*_pair("out", "69.09"), say("contributions"))
        return (*_pair("out", "68.90"), say("enp"))
    person = (d["cp_inn"] is None or len(d["cp_inn"]) == 12) and \
        (d["cp_account"] or "").startswith(PERSON_ACCOUNTS)
    if ("заработн" in purpose or "зарплат" in purpose) and (
            person or (d["cp_account"] or "").startswith("30232")):
        return (*_pair("out", "70"), say("salary"))
    if ("на выдачу" in purpose or "снятие наличн" in purpose or "выдача наличн" in purpose
            or (own_inn and d["cp_inn"] == own_inn)):
        return (*_pair("out", "50.01"), say("cash_out"))
    if paid_advances is not None and paid_advances.is_advance_paid(d):
        return (*_pair("out", adv.ADVANCE_PAID_ACCOUNT), say("advance_paid"))
    return (*_pair("out", adv.SUPPLIER_ACCOUNT), say("supplier"))


@lru_cache(maxsize=64)
def _reason(key: str, lang: str) -> str:
    return i18n.text(f"bank.reason.{key}", lang)


ACCOUNTABLE_PURPOSE = ("возврат подотчет", "возврат неиспользованного подотчет",
                      "возврат остатка подотчет")
"""Purposes (folded) of a person returning an accountable sum (подотчётные деньги)."""


@dataclass
class Staff:
    """The organisation's employees, to tell a person returning an accountable sum from a
    customer. A line in is an employee's when the payer's ИНН is an employee's, or the
    payer's account is an employee's card account, or the account is a person's (40817…)
    and the payer's name is an employee's, or the purpose says «возврат подотчетн…»
    (then the employee is the one the ИНН, account or name finds, or none)."""

    by_inn: dict[str, tuple[str, str]]
    by_account: dict[str, tuple[str, str]]
    by_name: dict[str, tuple[str, str]]

    @classmethod
    def load(cls, db: Session, org_id: str) -> Staff:
        by_inn: dict[str, tuple[str, str]] = {}
        by_account: dict[str, tuple[str, str]] = {}
        by_name: dict[str, tuple[str, str]] = {}
        for e in db.execute(select(Employee.id, Employee.full_name, Employee.inn,
                                   Employee.bank_account)
                            .where(Employee.org_id == org_id)
                            .order_by(Employee.hired_on, Employee.id)):
            who = (e.id, e.full_name)
            if e.inn:
                by_inn.setdefault(e.inn, who)
            if e.bank_account:
                by_account.setdefault(e.bank_account, who)
            by_name.setdefault(_person_name(e.full_name), who)
        return cls(by_inn, by_account, by_name)

    def find(self, r: Mapping[str, Any]) -> tuple[str, str] | None:
        """The employee a line names (ИНН, card account, or a person's account and the
        name), or None."""
        inn, account = r["cp_inn"], r["cp_account"] or ""
        if inn and inn in self.by_inn:
            return self.by_inn[inn]
        if account and account in self.by_account:
            return self.by_account[account]
        if account.startswith(PERSON_ACCOUNTS):
            return self.by_name.get(_person_name(r["cp_name"]))
        return None

    def match(self, r: Mapping[str, Any], purpose: str | None = None
              ) -> tuple[str, str] | None:
        """(employee id, name) of a line in that is an accountable sum returned, ("", "")
        when the purpose says so but no employee is found, None for anyone else."""
        if r["direction"] != "in":
            return None
        who = self.find(r)
        if who is not None:
            return who
        folded = fold(r["purpose"]) if purpose is None else purpose
        if any(p in folded for p in ACCOUNTABLE_PURPOSE):
            return "", ""
        return None


def _person_name(name: str) -> str:
    """«ИВАНОВ Иван Иванович» and «Иванов Иван Иванович» alike (folded, one space)."""
    return " ".join(fold(name).split())


@dataclass
class Advances:
    """A VAT payer's customers' unpaid sales (62.01 debit balance by counterparty), to
    tell an advance from a payment for a shipment. ``is_advance`` is asked line by line in
    the file's order and uses the debt up, so two payments of one invoice settle it once."""

    debts: dict[str, int]
    """Counterparty id → kopecks still unpaid."""
    cp_of: Mapping[str, str]
    """ИНН → counterparty id."""

    @classmethod
    def load(cls, db: Session, org_id: str, cp_of: Mapping[str, str]) -> Advances:
        return cls(sales_debts(db, org_id, set(cp_of.values())), cp_of)

    def is_advance(self, d: Mapping[str, Any]) -> bool:
        cp = self.cp_of.get(d["cp_inn"] or "")
        debt = self.debts.get(cp, 0) if cp else 0
        settled, advance = adv.split_receipt(d["amount_kopecks"], debt)
        if cp:
            self.debts[cp] = debt - settled
        return advance > 0


def sales_debts(db: Session, org_id: str, cp_ids: set[str]) -> dict[str, int]:
    """Counterparty id → its debit balance on 62.01 (unpaid sales), all postings."""
    return {cp: total for cp, _, total in
            _balances(db, org_id, cp_ids, adv.SALES_ACCOUNT, None)}


@dataclass
class PaidAdvances:
    """Suppliers' unpaid поступления (60.01 credit balance by counterparty on the line's
    date, ``SupplierDebts``), to tell an advance paid from a payment for a поступление:
    ``Advances`` for the money going out. ``is_advance_paid`` is asked line by line in the
    file's order and uses the debt up, so two payments of one поступление settle it once."""

    debts: SupplierDebts
    cp_of: Mapping[str, str]
    """ИНН → counterparty id."""

    @classmethod
    def load(cls, db: Session, org_id: str, cp_of: Mapping[str, str], until: date
             ) -> PaidAdvances:
        return cls(supplier_debts(db, org_id, set(cp_of.values()), until), cp_of)

    def is_advance_paid(self, d: Mapping[str, Any]) -> bool:
        cp = self.cp_of.get(d["cp_inn"] or "")
        return self.debts.take(cp, d["date"], d["amount_kopecks"])[1] > 0


@dataclass
class SupplierDebts:
    """Counterparty id → its unpaid поступления (60.01 credit balance) day by day, used up
    by the payments of a statement in the file's order (``take``)."""

    days: dict[str, list[tuple[date, int]]]
    """Counterparty id → (day, that day's change of its 60.01 credit balance)."""
    used: dict[str, int] = field(default_factory=dict)
    """Counterparty id → kopecks of it the statement's payments already settled."""

    def take(self, cp: str | None, day: date, amount: int) -> tuple[int, int]:
        """(settles the поступления, advance paid) of a payment of ``amount`` on ``day``
        (``bank_advances.split_receipt`` against the balance on that day less what the
        earlier payments of the file took)."""
        owed = 0
        if cp:
            owed = sum(k for d, k in self.days.get(cp, ()) if d <= day) - self.used.get(cp, 0)
        settled, advance = adv.split_receipt(amount, owed)
        if cp and settled:
            self.used[cp] = self.used.get(cp, 0) + settled
        return settled, advance


def supplier_debts(db: Session, org_id: str, cp_ids: set[str], until: date
                   ) -> SupplierDebts:
    """The suppliers' credit balances on 60.01 (unpaid поступления) day by day, postings up
    to ``until``."""
    days: dict[str, list[tuple[date, int]]] = {}
    for cp, day, total in _balances(db, org_id, cp_ids, adv.SUPPLIER_ACCOUNT, until):
        if day is not None:  # always, with ``until``
            days.setdefault(cp, []).append((day, -total))
    return SupplierDebts(days)


def _balances(db: Session, org_id: str, cp_ids: set[str], account: str, until: date | None
              ) -> list[tuple[str, date | None, int]]:
    """(counterparty id, day, debit − credit on ``account``) of the counterparties: one
    row per counterparty over all postings (``until`` None), else per day up to
    ``until``."""
    if not cp_ids:
        return []
    signed = case((Posting.debit == account, Posting.amount_kopecks),
                  else_=-Posting.amount_kopecks)
    out: list[tuple[str, date | None, int]] = []
    for part in _chunks(db, cp_ids):
        where = [Posting.org_id == org_id, _among(db, Posting.counterparty_id, part),
                 (Posting.debit == account) | (Posting.credit == account)]
        if until is None:
            rows = db.execute(select(Posting.counterparty_id, func.sum(signed))
                              .where(*where).group_by(Posting.counterparty_id))
            out.extend((cp, None, int(total or 0)) for cp, total in rows)
        else:
            rows = db.execute(select(Posting.counterparty_id, Posting.date, func.sum(signed))
                              .where(*where, Posting.date <= until)
                              .group_by(Posting.counterparty_id, Posting.date))
            out.extend((cp, day, int(total or 0)) for cp, day, total in rows)
    return out


def rule_label(inn: str | None, purpose: str | None) -> str:
    return ", ".join(x for x in (f"ИНН {inn}" if inn else "",
                                 f"«{purpose}»" if purpose else "") if x)


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
        days = [d["date"] for d in lines]
        out_days = [d["date"] for d in lines if d["direction"] == "out"]
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
        number = d["number"]
        if d["direction"] == "out" and number and self.orders:
            found = self.orders.get((d["bank_account"], number.lstrip("0") or "0", d["date"],
                                     d["amount_kopecks"]))
            if found is not None:
                return found
        candidates = self.docs.get((d["direction"], d["date"], d["amount_kopecks"])) \
            if self.docs else None
        if not candidates:
            return None
        # The document of this counterparty first, else one without a counterparty.
        for want in ((lambda inn: inn is not None and inn == d["cp_inn"]),
                     (lambda inn: inn is None)):
            for inn, entry_id, reason in candidates:
                if entry_id not in self.used and want(inn):
                    self.used.add(entry_id)
                    return entry_id, reason
        return None
