"""Provides ``run_checks``: the checks on the books of one organisation the dashboard shows,
the queries behind ``server.domain.checks`` (the rules) — each a few indexed queries.

What each role is shown (pay is private, ``server.domain.roles``):
- the checks on the books (balances, settlements, documents, statement lines, periods,
  счета, the ЕНС) need ``ledger.read``;
- the payroll checks (a payroll not paid, НДФЛ not on an ЕНП order) need
  ``payroll.read``: another role learns nothing of the payroll from the dashboard.

Windows: a negative balance is looked for from the first day of the month a year before
today's (``NEGATIVE_WINDOW_MONTHS``) onwards, postings dated later than today included (a
planned payment that would overdraw the account); НДФЛ deadlines due from
``NDFL_BACK_DAYS`` ago to ``NDFL_AHEAD_DAYS`` ahead are checked (an older one is history:
the ЕНП may have been paid outside the app).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core import contract as m
from core.dates import month_title
from core.money import format_amount, from_kopecks
from server import i18n
from server.db.models import (
    AccountTurnover,
    BankImportLine,
    ClosedPeriod,
    Document,
    PayrollLine,
    PayrollRun,
    Posting,
)
from server.domain import checks as rules
from server.domain.roles import Perm, allows, sees_payroll
from server.services import turnovers
from server.services.context import OrgCtx

NEGATIVE_WINDOW_MONTHS = 12
NDFL_BACK_DAYS = 92
NDFL_AHEAD_DAYS = 45
MONEY_ACCOUNTS = ("50", "51")
RECEIVED_FROM = ("50", "51", "52", "55")
"""A customer's payment is Кт 62 against one of these (cash, bank, currency, special)."""
UNPOSTED_STATUSES = ("new", "unknown_account")
ENP_PAYMENT_KINDS_EXCLUDED = ("injury_payment",)
"""НС и ПЗ go to СФР, not to the ЕНС."""

MONEY_PARAMS = ("amount", "balance", "short")

Closing = dict[tuple[str, str | None], int]


def ledger_checks(role: str) -> tuple[str, ...]:
    """The codes of the checks this role is shown."""
    codes = []
    if allows(role, Perm.LEDGER_READ):
        codes += ["cash.negative", "ens.short", "invoices.overdue",
                  "settlements.debt_and_advance", "periods.not_closed",
                  "bank.unposted_lines", "documents.draft"]
    if sees_payroll(role):
        codes += ["ndfl.no_enp_order", "payroll.unpaid"]
    return tuple(codes)


@dataclass
class Snapshot:
    """What the dashboard read already and the checks reuse."""

    today: date
    closing: Closing
    """(account, counterparty) → closing balance today, debit positive (50, 51, 60, 62,
    76, 68.90)."""
    deadlines: list[m.CalendarDeadline]
    """The tax calendar from ``NDFL_BACK_DAYS`` ago to a year on."""
    drafts: int
    oldest_draft: tuple[str, date] | None
    unposted: int
    unposted_import: str | None


def run_checks(db: Session, oc: OrgCtx, snap: Snapshot) -> list[rules.Finding]:
    """The failed checks the caller's role is shown, unordered (``rules.ordered``)."""
    wanted = set(ledger_checks(oc.role))
    found: list[rules.Finding] = []
    today = snap.today
    with db.begin():
        if "cash.negative" in wanted:
            found += _negative(db, oc.org_id, today)
        if "settlements.debt_and_advance" in wanted:
            pairs = rules.debt_and_advance(snap.closing)
            if pairs:
                found.append(rules.Finding(
                    "settlements.debt_and_advance", "warning", len(pairs), "counterparty",
                    pairs[0][0], params=(("account", pairs[0][1]),)))
        if "documents.draft" in wanted and snap.drafts and snap.oldest_draft:
            doc_id, day = snap.oldest_draft
            stale = day < today - timedelta(days=rules.DRAFT_STALE_DAYS)
            found.append(rules.Finding("documents.draft", "warning" if stale else "info",
                                       snap.drafts, "document", doc_id, day=day))
        if "bank.unposted_lines" in wanted and snap.unposted:
            found.append(rules.Finding("bank.unposted_lines", "warning", snap.unposted,
                                       "bank_import", snap.unposted_import))
        if "periods.not_closed" in wanted:
            found += _not_closed(db, oc.org_id, today)
        if "invoices.overdue" in wanted:
            found += _invoices(db, oc.org_id, today)
        if "ens.short" in wanted:
            found += _ens(snap)
        if "payroll.unpaid" in wanted:
            found += _payroll_unpaid(db, oc.org_id, today)
        if "ndfl.no_enp_order" in wanted:
            found += _ndfl(db, oc.org_id, snap)
    return found


def check_out(f: rules.Finding, lang: str) -> m.DashboardCheck:
    """The wire form of a finding, its text in ``lang``."""
    params: dict[str, object] = {"count": f.count}
    for key, value in f.params:
        params[key] = format_amount(from_kopecks(value), lang) if key in MONEY_PARAMS \
            and isinstance(value, int) else value
    if f.day is not None:
        params["day"] = f"{f.day:%d.%m.%Y}"
    if f.period is not None:
        year, month = f.period.split("-")
        params["period"] = month_title(date(int(year), int(month), 1), lang)
    link = None
    if f.link_kind is not None:
        link = m.DashboardLink(kind=f.link_kind, id=f.link_id,  # type: ignore[arg-type]
                               period=f.period, day=f.day)
    return m.DashboardCheck(code=f.code, severity=f.severity,  # type: ignore[arg-type]
                            text=i18n.text(f"dashboard.check.{f.code}", lang, **params),
                            count=f.count, link=link)


# --- the queries ------------------------------------------------------------------------


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _negative(db: Session, org_id: str, today: date) -> list[rules.Finding]:
    start = _months_back(today, NEGATIVE_WINDOW_MONTHS)
    opening: dict[str, int] = defaultdict(int)
    for (code, _cp), b in turnovers.balances(db, org_id, start, start,
                                             accounts=MONEY_ACCOUNTS).items():
        opening[code] += b.opening
    movements: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for sign, column in ((1, Posting.debit), (-1, Posting.credit)):
        under = or_(column.in_(MONEY_ACCOUNTS),
                    *[column.startswith(a + ".") for a in MONEY_ACCOUNTS])
        for code, day, total in db.execute(
                select(column, Posting.date, func.sum(Posting.amount_kopecks))
                .where(Posting.org_id == org_id, under, Posting.date >= start)
                .group_by(column, Posting.date)):
            movements[code].append((day, sign * int(total)))
    hits = []
    for code in sorted(set(opening) | set(movements)):
        got = rules.first_negative_day(opening.get(code, 0), movements.get(code, []))
        if got is not None:
            hits.append((got[0], code, got[1]))
    if not hits:
        return []
    hits.sort()
    day, code, balance = hits[0]
    return [rules.Finding("cash.negative", "error", len(hits), "account", code, day=day,
                          params=(("account", code), ("balance", balance)))]


def _not_closed(db: Session, org_id: str, today: date) -> list[rules.Finding]:
    months = db.scalars(select(AccountTurnover.month).distinct().where(
        AccountTurnover.org_id == org_id, AccountTurnover.month < today.replace(day=1))).all()
    closed = db.scalars(select(ClosedPeriod.month).where(ClosedPeriod.org_id == org_id)).all()
    left = rules.months_not_closed(months, closed, today)
    if not left:
        return []
    period = f"{left[0]:%Y-%m}"
    return [rules.Finding("periods.not_closed", "warning", len(left), "period", period=period)]


def _invoices(db: Session, org_id: str, today: date) -> list[rules.Finding]:
    invoices = [rules.Invoice(r.id, r.counterparty_id, r.date, r.total_kopecks)
                for r in db.execute(
                    select(Document.id, Document.counterparty_id, Document.date,
                           Document.total_kopecks)
                    .where(Document.org_id == org_id, Document.type == "invoice",
                           Document.state == "posted", Document.counterparty_id.is_not(None),
                           Document.date < today - timedelta(days=rules.INVOICE_TERM_DAYS)))]
    if not invoices:
        return []
    first = min(i.day for i in invoices)
    customers = {i.counterparty_id for i in invoices}
    money = or_(Posting.debit.in_(RECEIVED_FROM),
                *[Posting.debit.startswith(a + ".") for a in RECEIVED_FROM])
    payments = [(cp, day, int(total)) for cp, day, total in db.execute(
        select(Posting.counterparty_id, Posting.date, func.sum(Posting.amount_kopecks))
        .where(Posting.org_id == org_id, Posting.date >= first,
               or_(Posting.credit == "62", Posting.credit.startswith("62.")), money,
               Posting.counterparty_id.in_(customers))
        .group_by(Posting.counterparty_id, Posting.date))]
    unpaid = rules.unpaid_invoices(invoices, payments, today)
    if not unpaid:
        return []
    inv, _rest = unpaid[0]
    total = sum(rest for _inv, rest in unpaid)
    return [rules.Finding("invoices.overdue", "warning", len(unpaid), "document", inv.id,
                          day=inv.day, params=(("amount", total),))]


def _ens(snap: Snapshot) -> list[rules.Finding]:
    payments = [d for d in snap.deadlines if d.family == "payment"
                and d.kind not in ENP_PAYMENT_KINDS_EXCLUDED and d.due_date >= snap.today]
    if not payments:
        return []
    due = min(d.due_date for d in payments)
    on_day = [d for d in payments if d.due_date == due]
    if any(d.amount_hidden for d in on_day) or all(d.prepared for d in on_day):
        return []
    amount = sum(int((d.amount or 0) * 100) for d in on_day)
    balance = sum(v for (code, _cp), v in snap.closing.items() if code == "68.90")
    short = rules.ens_shortfall(balance, amount)
    if short <= 0:
        return []
    return [rules.Finding("ens.short", "warning", 1, "deadline", on_day[0].id, day=due,
                          params=(("amount", amount), ("balance", max(balance, 0)),
                                  ("short", short)))]


def _payroll_unpaid(db: Session, org_id: str, today: date) -> list[rules.Finding]:
    runs = db.execute(select(PayrollRun.year, PayrollRun.month).where(
        PayrollRun.org_id == org_id, PayrollRun.state == "approved",
        PayrollRun.final_date < today).order_by(PayrollRun.year, PayrollRun.month)).all()
    if not runs:
        return []
    period = f"{runs[0].year:04d}-{runs[0].month:02d}"
    return [rules.Finding("payroll.unpaid", "error", len(runs), "payroll", period=period)]


def _ndfl(db: Session, org_id: str, snap: Snapshot) -> list[rules.Finding]:
    lo = snap.today - timedelta(days=NDFL_BACK_DAYS)
    hi = snap.today + timedelta(days=NDFL_AHEAD_DAYS)
    due = [d for d in snap.deadlines if d.kind == "ndfl_payment" and not d.prepared
           and lo <= d.due_date <= hi]
    if not due:
        return []
    first = min(d.period_from for d in due)
    withheld: list[tuple[date, int]] = []
    for r in db.execute(
            select(PayrollRun.advance_paid_on, PayrollRun.final_paid_on,
                   func.sum(PayrollLine.ndfl_advance_kopecks),
                   func.sum(PayrollLine.ndfl_final_kopecks))
            .join(PayrollLine, PayrollLine.run_id == PayrollRun.id)
            .where(PayrollRun.org_id == org_id, PayrollRun.year >= first.year - 1)
            .group_by(PayrollRun.id, PayrollRun.advance_paid_on, PayrollRun.final_paid_on)):
        if r[0] is not None:
            withheld.append((r[0], int(r[2] or 0)))
        if r[1] is not None:
            withheld.append((r[1], int(r[3] or 0)))
    missing = []
    for d in sorted(due, key=lambda d: d.due_date):
        amount = sum(k for day, k in withheld if d.period_from <= day <= d.period_to)
        if amount > 0:
            missing.append((d, amount))
    if not missing:
        return []
    d, amount = missing[0]
    severity = "error" if d.due_date < snap.today else "warning"
    return [rules.Finding("ndfl.no_enp_order", severity, len(missing), "deadline", d.id,
                          day=d.due_date, params=(("amount", amount),))]


def unposted_lines(db: Session, org_id: str) -> tuple[int, str | None]:
    """Statement lines not posted (staged, or on an account not the organisation's) and
    the import of the oldest; in the caller's transaction."""
    count = db.scalar(select(func.count()).select_from(BankImportLine).where(
        BankImportLine.org_id == org_id, BankImportLine.entry_id.is_(None),
        BankImportLine.status.in_(UNPOSTED_STATUSES))) or 0
    first = db.scalar(select(BankImportLine.import_id).where(
        BankImportLine.org_id == org_id, BankImportLine.entry_id.is_(None),
        BankImportLine.status.in_(UNPOSTED_STATUSES))
        .order_by(BankImportLine.date, BankImportLine.id).limit(1)) if count else None
    return int(count), first
