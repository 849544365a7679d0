"""Provides ``Dashboards``: the «Сводка» aggregate of one organisation in one answer, the
short line per organisation for an accountant with several, and the version tag that lets
a repeat visit cost a 304.

The aggregate (``core.contract.Dashboard``), as the caller's role may see it:
- bank (each 51 account as posted) and cash (50 with its sub-accounts) balances today,
  settlements on 60/62/76 by counterparty (totals, the three largest debtors and
  creditors), unposted drafts (count, the oldest three), statement lines not posted —
  all with ``ledger.read``, ``null`` without;
- the next ``DEADLINES`` deadlines of the tax calendar (``server.services.tax_calendar``:
  its amounts, ``estimate``, ``prepared``, ``amount_hidden`` as it gives them);
- the caller's own open tasks here, overdue and due within a day
  (``server.services.tasks``: its visibility rules; counts and the first ``TASKS``);
- the checks on the books (``server.services.checks``), failed ones only, the worst first.

Pay is private: a role without ``payroll.read`` gets no payroll check and no payroll
amount (the calendar hides them), and no task linked to an employee.

The version (``version``): the organisation's last audit-log line (every write to the
books, documents, bank, payroll, tasks, the team lands there in the writing transaction)
and the sum of its number counters (entries, documents, orders), with the day (the
aggregate changes at midnight in Moscow), the caller, the role, the language and
``SCHEMA``. Equal versions mean equal answers; computing it is two indexed aggregates.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import contract as m
from core.money import from_kopecks
from server.db.models import (
    AuditEvent,
    Counterparty,
    Document,
    LedgerAccount,
    Membership,
    NumberCounter,
    Organisation,
    Task,
)
from server.domain import checks as rules
from server.domain import tasks as task_rules
from server.domain.roles import Perm, Role, allows, sees_payroll
from server.services import checks, turnovers
from server.services.access import org_access
from server.services.context import Ctx, OrgCtx
from server.services.tasks import TaskFilter, Tasks
from server.services.tax_calendar import TaxCalendars

SCHEMA = "1"
"""Bumped when the aggregate's shape or rules change: old tags stop matching."""
DEADLINES = 5
TASKS = 3
DRAFTS = 3
BOOK_ACCOUNTS = ("50", "51", "60", "62", "76", "68.90")
CALENDAR_AHEAD_DAYS = 366


def today_of(ctx: Ctx) -> date:
    """The caller's day: Moscow's (as the tasks count it)."""
    return task_rules.today(ctx.now)


class Dashboards:
    def __init__(self, calendars: TaxCalendars, tasks: Tasks) -> None:
        self.calendars = calendars
        self.tasks = tasks

    # --- versions ---------------------------------------------------------------------

    def version(self, db: Session, oc: OrgCtx) -> str:
        """The ETag of ``dashboard(oc)`` as it would be now."""
        with db.begin():
            books = self._books_version(db, oc.org_id)
        return _tag("org", oc.org_id, oc.user_id, oc.role.value, oc.ctx.lang,
                    today_of(oc.ctx).isoformat(), books)

    def mine_version(self, db: Session, ctx: Ctx) -> str:
        """The ETag of ``mine(ctx)``: every organisation's version and the memberships."""
        assert ctx.user_id is not None
        with db.begin():
            parts = [f"{org}:{role}:{status}:{self._books_version(db, org)}"
                     for org, role, status in self._memberships(db, ctx.user_id)]
        return _tag("me", ctx.user_id, ctx.lang, today_of(ctx).isoformat(), *parts)

    @staticmethod
    def _books_version(db: Session, org_id: str) -> str:
        audit = db.scalar(select(func.max(AuditEvent.id)).where(AuditEvent.org_id == org_id))
        numbers = db.scalar(select(func.coalesce(func.sum(NumberCounter.value), 0))
                            .where(NumberCounter.org_id == org_id))
        return f"{audit or 0}.{numbers or 0}"

    @staticmethod
    def _memberships(db: Session, user_id: str) -> list[tuple[str, str, str]]:
        return [(r.org_id, r.role, r.status) for r in db.execute(
            select(Membership.org_id, Membership.role, Membership.status)
            .where(Membership.user_id == user_id).order_by(Membership.org_id))]

    # --- one organisation ----------------------------------------------------------------

    def dashboard(self, db: Session, oc: OrgCtx) -> m.Dashboard:
        today = today_of(oc.ctx)
        books = allows(oc.role, Perm.LEDGER_READ)
        calendar = self.calendars.calendar(
            db, oc, date_from=today - timedelta(days=checks.NDFL_BACK_DAYS),
            date_to=today + timedelta(days=CALENDAR_AHEAD_DAYS))
        coming = [d for d in calendar.items if d.due_date >= today][:DEADLINES]
        tasks = self._tasks(db, oc, today)
        out = m.Dashboard(org_id=oc.org_id, short_name="", as_of=today,
                          deadlines=[_deadline(d) for d in coming], tasks=tasks,
                          checks=[], checks_run=len(checks.ledger_checks(oc.role)))
        closing: checks.Closing = {}
        drafts, oldest, unposted, unposted_import = 0, None, 0, None
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            assert org is not None
            out.short_name = org.short_name
            if books:
                closing = {key: b.closing for key, b in turnovers.balances(
                    db, oc.org_id, today, today, by_counterparty=True,
                    accounts=BOOK_ACCOUNTS).items()}
                self._money(db, oc.org_id, closing, out)
                out.settlements = self._settlements(db, closing)
                out.drafts = self._drafts(db, oc.org_id)
                drafts = out.drafts.count
                if out.drafts.oldest:
                    oldest = (out.drafts.oldest[0].id, out.drafts.oldest[0].date)
                unposted, unposted_import = checks.unposted_lines(db, oc.org_id)
                out.unposted_lines = unposted
        snap = checks.Snapshot(today=today, closing=closing, deadlines=calendar.items,
                               drafts=drafts, oldest_draft=oldest, unposted=unposted,
                               unposted_import=unposted_import)
        found = rules.ordered(checks.run_checks(db, oc, snap))
        out.checks = [checks.check_out(f, oc.ctx.lang) for f in found]
        return out

    def _money(self, db: Session, org_id: str, closing: checks.Closing,
               out: m.Dashboard) -> None:
        bank: dict[str, int] = {}
        cash = 0
        for (code, _cp), amount in closing.items():
            head = rules.synthetic(code)
            if head == "51":
                bank[code] = bank.get(code, 0) + amount
            elif head == "50":
                cash += amount
        bank.setdefault("51", 0)  # the account is always shown, at zero too
        names = dict(db.execute(select(LedgerAccount.code, LedgerAccount.name).where(
            LedgerAccount.org_id == org_id, LedgerAccount.code.in_(bank))).all())
        out.bank = [m.MoneyBalance(account=code, name=names.get(code, code),
                                   balance=from_kopecks(bank[code]))
                    for code in sorted(bank) if bank[code] or code == "51"]
        out.bank_total = from_kopecks(sum(bank.values()))
        out.cash = from_kopecks(cash)

    @staticmethod
    def _settlements(db: Session, closing: checks.Closing) -> m.Settlements:
        found = rules.parties(closing)
        debtors = rules.top(found, debtors=True)
        creditors = rules.top(found, debtors=False)
        ids = {p.counterparty_id for p in debtors + creditors}
        names = dict(db.execute(select(Counterparty.id, Counterparty.name)
                                .where(Counterparty.id.in_(ids))).all()) if ids else {}

        def line(p: rules.Party, amount: int) -> m.PartyBalance:
            assert p.counterparty_id is not None
            return m.PartyBalance(counterparty_id=p.counterparty_id,
                                  name=names.get(p.counterparty_id, "—"),
                                  amount=from_kopecks(amount))

        return m.Settlements(
            receivables=from_kopecks(sum(p.owes_us for p in found)),
            payables=from_kopecks(sum(p.we_owe for p in found)),
            debtors=[line(p, p.owes_us) for p in debtors],
            creditors=[line(p, p.we_owe) for p in creditors])

    @staticmethod
    def _drafts(db: Session, org_id: str) -> m.DashboardDrafts:
        count = db.scalar(select(func.count()).select_from(Document).where(
            Document.org_id == org_id, Document.state == "draft")) or 0
        rows = db.execute(
            select(Document.id, Document.type, Document.number, Document.date,
                   Document.total_kopecks, Counterparty.name)
            .outerjoin(Counterparty, Counterparty.id == Document.counterparty_id)
            .where(Document.org_id == org_id, Document.state == "draft")
            .order_by(Document.date, Document.number, Document.id).limit(DRAFTS)).all()
        return m.DashboardDrafts(count=int(count), oldest=[
            m.DashboardDraft(id=r.id, type=r.type, number=r.number, date=r.date,
                             total=from_kopecks(r.total_kopecks), counterparty=r.name)
            for r in rows])

    def _tasks(self, db: Session, oc: OrgCtx, today: date) -> m.DashboardTasks:
        soon = today + timedelta(days=task_rules.DUE_SOON_DAYS)
        mine = [Task.org_id == oc.org_id, Task.assignee_id == oc.user_id,
                Task.status.in_(task_rules.OPEN), Task.due.is_not(None)]
        if not sees_payroll(oc.role):
            mine.append(Task.employee_id.is_(None))
        with db.begin():
            overdue = db.scalar(select(func.count()).select_from(Task)
                                .where(*mine, Task.due < today)) or 0
            due_soon = db.scalar(select(func.count()).select_from(Task)
                                 .where(*mine, Task.due >= today, Task.due <= soon)) or 0
        items: list[m.DashboardTask] = []
        if overdue or due_soon:
            page = self.tasks.page(db, oc, TaskFilter(
                assignee_id=oc.user_id, statuses=task_rules.OPEN, due_before=soon),
                cursor=None, limit=TASKS)
            items = [m.DashboardTask(id=t.id, title=t.title, due=t.due, overdue=t.overdue,
                                     priority=t.priority) for t in page.items]
        return m.DashboardTasks(overdue=int(overdue), due_soon=int(due_soon), items=items)

    # --- every organisation of the caller --------------------------------------------------

    def mine(self, db: Session, ctx: Ctx) -> m.MyDashboard:
        """One line per organisation the caller is an active member of, by name."""
        assert ctx.user_id is not None
        with db.begin():
            orgs = [org for org, _role, status in self._memberships(db, ctx.user_id)
                    if status == "active"]
        lines: list[m.OrgDashboardLine] = []
        for org_id in orgs:
            oc = org_access(db, ctx, org_id, ctx.user_id, Perm.ORG_READ, "GET",
                            "/me/dashboard")
            full = self.dashboard(db, oc)
            money = None
            if full.bank_total is not None and full.cash is not None:
                money = full.bank_total + full.cash
            lines.append(m.OrgDashboardLine(
                org_id=org_id, short_name=full.short_name, role=Role(oc.role).value,
                money=money, overdue_tasks=full.tasks.overdue,
                failed_checks=len(full.checks),
                errors=sum(1 for c in full.checks if c.severity == "error"),
                next_deadline=full.deadlines[0] if full.deadlines else None))
        lines.sort(key=lambda line: (line.short_name.casefold(), line.org_id))
        return m.MyDashboard(as_of=today_of(ctx), items=lines)


def _deadline(d: m.CalendarDeadline) -> m.DashboardDeadline:
    return m.DashboardDeadline(id=d.id, title=d.title, due_date=d.due_date, amount=d.amount,
                               estimate=d.estimate, amount_hidden=d.amount_hidden,
                               prepared=d.prepared)


def _tag(*parts: str) -> str:
    digest = hashlib.sha256("|".join((SCHEMA, *parts)).encode()).hexdigest()[:32]
    return f'W/"dash-{digest}"'
