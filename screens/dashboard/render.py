"""Provides the text of the dashboard's blocks: money, settlements, deadlines, tasks, checks.

Pure functions of the wire models (core.contract.dashboard), so the screen only lays out.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rich.text import Text

from client.i18n import t
from core import contract as m
from tui.widgets.money import money
from tui.widgets.text import clip

LEFT = 38
"""The width of the left column (money, settlements); the right one takes the rest."""
RIGHT = 40

SEVERITY_MARK = {"error": "✖", "warning": "⚠", "info": "•"}
"""A failed check's symbol by severity: the meaning never rests on colour alone."""
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": ""}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def amount_text(amount: Decimal | None, *, estimate: bool = False, hidden: bool = False,
                prepared: bool = False) -> str:
    """A deadline's amount: «≈ 1 200,00 ₽» an estimate, «✓ …» prepared, «—» hidden; empty
    when the books know none (a report)."""
    if hidden:
        text = "—"
    elif amount is None:
        text = ""
    else:
        text = money(amount)
        if estimate:
            text = f"≈ {text}"
    return f"✓ {text}".strip() if prepared else text


def _line(label: str, value: str, width: int) -> str:
    room = max(width - len(value) - 1, 4)
    return f"{clip(label, room):<{room}} {value}"


def money_block(d: m.Dashboard) -> str:
    """Bank accounts, cash, what we are owed (the top debtors) and what we owe."""
    if d.bank is None and d.settlements is None:
        return t("dash.no_books")
    lines = [t("dash.money")]
    for account in d.bank or []:
        lines.append(_line(f" {account.account} {account.name}", money(account.balance), LEFT))
    if d.bank is not None and len(d.bank) != 1:
        lines.append(_line(f" {t('dash.bank_total')}", money(d.bank_total or Decimal(0)), LEFT))
    if d.cash is not None:
        lines.append(_line(f" 50 {t('dash.cash')}", money(d.cash), LEFT))
    s = d.settlements
    if s is not None:
        lines.append(_line(t("dash.receivables"), money(s.receivables), LEFT))
        for party in s.debtors[:3]:
            lines.append(_line(f"  {party.name}", money(party.amount), LEFT))
        lines.append(_line(t("dash.payables"), money(s.payables), LEFT))
        for party in s.creditors[:2]:
            lines.append(_line(f"  {party.name}", money(party.amount), LEFT))
    return "\n".join(lines)


def short_day(day: date, today: date) -> str:
    """«25.03» this year, «25.03.27» another."""
    return f"{day:%d.%m}" if day.year == today.year else f"{day:%d.%m.%y}"


def deadline_line(item: m.DashboardDeadline, today: date, width: int = RIGHT) -> str:
    amount = amount_text(item.amount, estimate=item.estimate, hidden=item.amount_hidden,
                         prepared=item.prepared)
    return _line(f" {short_day(item.due_date, today)} {item.title}", amount, width)


def deadlines_block(d: m.Dashboard, rows: int = 5) -> str:
    lines = [t("dash.deadlines")]
    lines += [deadline_line(item, d.as_of) for item in d.deadlines[:rows]]
    if not d.deadlines:
        lines.append(f" {t('dash.no_deadlines')}")
    return "\n".join(lines)


def tasks_block(d: m.Dashboard, rows: int = 3) -> str:
    tasks = d.tasks
    lines = [t("dash.tasks", overdue=tasks.overdue, soon=tasks.due_soon)]
    for task in tasks.items[:rows]:
        mark = "!" if task.overdue else " "
        due = short_day(task.due, d.as_of) if task.due else ""
        lines.append(f"{mark}{due:<5} {clip(task.title, RIGHT - 8)}")
    if not tasks.items:
        lines.append(f" {t('dash.no_tasks')}")
    return "\n".join(lines)


def work_line(d: m.Dashboard) -> str:
    """Drafts not posted and statement lines not posted, on one line."""
    parts = []
    if d.drafts is not None:
        parts.append(t("dash.drafts", count=d.drafts.count))
    if d.unposted_lines is not None:
        parts.append(t("dash.unposted", count=d.unposted_lines))
    return " · ".join(parts)


def checks_title(d: m.Dashboard) -> str:
    if not d.checks:
        return t("dash.checks_ok", run=d.checks_run)
    return t("dash.checks_failed", failed=len(d.checks), run=d.checks_run)


def check_row(check: m.DashboardCheck, width: int = 76) -> Text:
    mark = SEVERITY_MARK.get(check.severity, "•")
    count = f" ({check.count})" if check.count > 1 else ""
    body = clip(check.text, width - 3 - len(count))
    text = Text(f"{mark} ", style=SEVERITY_STYLE.get(check.severity, ""))
    text.append(f"{body}{count}")
    return text


def worst_first(checks: list[m.DashboardCheck]) -> list[m.DashboardCheck]:
    """The server sends them worst first; kept stable here should it not."""
    return sorted(checks, key=lambda c: SEVERITY_ORDER.get(c.severity, 3))
