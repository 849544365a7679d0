"""Provides the pure rules of tasks: the working day, overdue and due-soon, the next due date
of a repeating task, and who may do what with a task.

The next due date keeps the day of the month the series started on where the month has it,
else takes the month's last day: 31.01 → 28.02 → 31.03 → 30.04 (monthly), 31.01 → 30.04 →
31.07 (quarterly); 30.11.2026 → 28.02.2027 → 30.05.2027 (quarterly).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta, timezone

from server.domain.roles import Perm, Role, allows

MOSCOW = timezone(timedelta(hours=3), "MSK")
"""The day a due date is compared with (Moscow keeps UTC+3 all year since 2014)."""

OPEN = ("new", "in_progress", "waiting")
CLOSED = ("done", "cancelled")
STEP_MONTHS = {"monthly": 1, "quarterly": 3}
DUE_SOON_DAYS = 1
"""A task is due soon on its due date and on the day before."""


def today(now: datetime) -> date:
    """The calendar day in Moscow at ``now`` (an aware datetime)."""
    return now.astimezone(MOSCOW).date()


def is_overdue(status: str, due: date | None, day: date) -> bool:
    return status in OPEN and due is not None and due < day


def is_due_soon(status: str, due: date | None, day: date) -> bool:
    return status in OPEN and due is not None and day <= due <= day + timedelta(DUE_SOON_DAYS)


def add_months(due: date, months: int, anchor_day: int) -> date:
    """``due`` moved by ``months``, on ``anchor_day`` or the month's last day if shorter."""
    index = due.year * 12 + due.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(anchor_day, calendar.monthrange(year, month)[1]))


def next_due(due: date, repeat: str, anchor_day: int) -> date:
    """The due date of the task that follows a done repeating one."""
    return add_months(due, STEP_MONTHS[repeat], anchor_day)


def shift_period(period: str | None, months: int) -> str | None:
    """A report period moved with its repeating task: a month by ``months`` (``2026-12`` +1
    → ``2027-01``), a quarter by whole quarters (``2026-Q4`` +3 → ``2027-Q1``); a year, or a
    quarter moved by less than one, stays as it is."""
    if not period or len(period) == 4:
        return period
    year, _, part = period.partition("-")
    if part.startswith("Q"):
        if months % 3:
            return period
        index = int(year) * 4 + int(part[1:]) - 1 + months // 3
        return f"{index // 4}-Q{index % 4 + 1}"
    index = int(year) * 12 + int(part) - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


def sees_all(role: Role | str) -> bool:
    """The director and the accountant see (and manage) every task of the organisation."""
    return allows(role, Perm.TASKS_READ_ALL)


def may_see(role: Role | str, user_id: str, author_id: str, assignee_id: str,
            employee_linked: bool) -> bool:
    """A task linked to an employee is for roles with payroll rights only; otherwise the
    director and the accountant see every task, the others their own (author or assignee)."""
    if employee_linked and not allows(role, Perm.PAYROLL_READ):
        return False
    return sees_all(role) or user_id in (author_id, assignee_id)


def may_change_status(role: Role | str, user_id: str, author_id: str, assignee_id: str) -> bool:
    """Status and comments: the author, the assignee, the director, the accountant."""
    return sees_all(role) or user_id in (author_id, assignee_id)


def may_edit(role: Role | str, user_id: str, author_id: str) -> bool:
    """Reassigning and editing the task itself: the author, the director, the accountant."""
    return sees_all(role) or user_id == author_id

