"""The pure rules of tasks: the Moscow day, overdue and due soon, the next due date of a
repeating task (worked examples), the period that moves with it, who sees and changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from server.domain import tasks as rules
from server.domain.roles import Role


@pytest.mark.parametrize(("due", "repeat", "anchor", "expected"), [
    # Monthly from the 31st: February has no 31st, so its last day; March has it again.
    (date(2026, 1, 31), "monthly", 31, date(2026, 2, 28)),
    (date(2026, 2, 28), "monthly", 31, date(2026, 3, 31)),
    (date(2026, 3, 31), "monthly", 31, date(2026, 4, 30)),
    (date(2028, 1, 31), "monthly", 31, date(2028, 2, 29)),  # a leap year
    (date(2026, 12, 15), "monthly", 15, date(2027, 1, 15)),  # over the new year
    # Quarterly: three months on.
    (date(2026, 1, 31), "quarterly", 31, date(2026, 4, 30)),
    (date(2026, 4, 30), "quarterly", 31, date(2026, 7, 31)),
    (date(2026, 11, 30), "quarterly", 30, date(2027, 2, 28)),
    (date(2027, 2, 28), "quarterly", 30, date(2027, 5, 30)),
])
def test_next_due_keeps_the_day_of_the_series(due, repeat, anchor, expected):
    assert rules.next_due(due, repeat, anchor) == expected


def test_periods_move_with_the_task():
    assert rules.shift_period("2026-12", 1) == "2027-01"
    assert rules.shift_period("2026-Q4", 3) == "2027-Q1"
    assert rules.shift_period("2026-Q2", 1) == "2026-Q2"
    assert rules.shift_period("2026", 3) == "2026"
    assert rules.shift_period(None, 1) is None


def test_the_day_is_moscows():
    # 21:30 UTC on 31.12 is already 01.01 in Moscow.
    assert rules.today(datetime(2026, 12, 31, 21, 30, tzinfo=UTC)) == date(2027, 1, 1)
    assert rules.today(datetime(2026, 12, 31, 20, 59, tzinfo=UTC)) == date(2026, 12, 31)


def test_overdue_and_due_soon():
    day = date(2026, 3, 9)
    assert rules.is_overdue("new", date(2026, 3, 8), day)
    assert not rules.is_overdue("done", date(2026, 3, 8), day)
    assert not rules.is_overdue("waiting", date(2026, 3, 9), day)
    assert not rules.is_overdue("new", None, day)
    assert [rules.is_due_soon("in_progress", date(2026, 3, d), day) for d in (8, 9, 10, 11)] \
        == [False, True, True, False]
    assert not rules.is_due_soon("cancelled", day, day)


def test_who_sees_and_changes():
    me, other = "u1", "u2"
    for role in (Role.ACCOUNTANT, Role.DIRECTOR):
        assert rules.may_see(role, me, other, other, employee_linked=True)
        assert rules.may_edit(role, me, other)
    for role in (Role.PRIMARY, Role.HR, Role.OBSERVER):
        assert not rules.may_see(role, me, other, other, employee_linked=False)
        assert rules.may_see(role, me, other, me, employee_linked=False) is True
        assert rules.may_change_status(role, me, other, me)
        assert not rules.may_edit(role, me, other)
        assert rules.may_edit(role, me, me)
    # Pay is private: the author or assignee without payroll rights does not see it.
    assert not rules.may_see(Role.PRIMARY, me, me, me, employee_linked=True)
    assert rules.may_see(Role.HR, me, other, me, employee_linked=True)
