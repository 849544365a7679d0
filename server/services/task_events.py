"""Provides the events of tasks a user is to hear about, and ``sweep_due``.

- ``task.assigned``, ``task.comment``: written by the tasks use cases in the transaction
  of the change (``record``), for the people concerned but not the one who acted;
- ``task.due_soon`` (on the due date and the day before) and ``task.overdue`` (the day
  after): produced by ``sweep_due(db, now)``, which a worker calls now and then. It is
  idempotent: each task carries the due date its events were recorded for
  (``Task.due_soon_for``, ``Task.overdue_for``), and each such event has a unique
  ``dedupe_key``, so a repeated or concurrent sweep never records one twice; a task whose
  due date moves is told about again.

An event goes only to an active member who may still see the task.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.db.models import Membership, Task, UserEvent
from server.domain import tasks as rules
from server.services.notifications import notify
from server.services.notifications.events import TASK_EVENTS

log = logging.getLogger("buhta.tasks")
SWEEP_BATCH = 200


def audience(db: Session, task: Task, user_ids: Iterable[str]) -> list[str]:
    """Those of ``user_ids`` who are active members of the task's organisation and may see
    it, in the order given, each once."""
    wanted = list(dict.fromkeys(u for u in user_ids if u))
    if not wanted:
        return []
    roles = dict(db.execute(
        select(Membership.user_id, Membership.role).where(
            Membership.org_id == task.org_id, Membership.user_id.in_(wanted),
            Membership.status == "active")
    ).all())
    return [u for u in wanted if u in roles and rules.may_see(
        roles[u], u, task.author_id, task.assignee_id, task.employee_id is not None)]


def record(
    db: Session, task: Task, kind: str, user_ids: Iterable[str], now: datetime, *,
    by: str | None, dedupe: bool = False, **extra: object,
) -> int:
    """One ``kind`` event per user of ``user_ids`` who may see ``task`` (but not ``by``,
    the one who acted); returns how many were written."""
    written = 0
    people = audience(db, task, (u for u in user_ids if u != by))
    for user_id in people:
        payload = {"task_id": task.id, "title": task.title,
                   "due": task.due.isoformat() if task.due else None, "by": by, **extra}
        key = f"{kind}:{task.id}:{task.due}:{user_id}" if dedupe else None
        db.add(UserEvent(org_id=task.org_id, user_id=user_id, kind=kind, object_type="task",
                         object_id=task.id, payload=json.dumps(payload, ensure_ascii=False),
                         created_at=now, dedupe_key=key))
        written += 1
    if people and kind in TASK_EVENTS:  # the notification channels (issue 15)
        notify(db, task.org_id, people, TASK_EVENTS[kind], ("task", task.id),  # type: ignore[arg-type]
               {"title": task.title, "due": f"{task.due:%d.%m.%Y}" if task.due else None},
               now=now, dedupe=f"{kind}:{task.id}:{task.due}" if dedupe else None)
    return written


def sweep_due(db: Session, now: datetime) -> int:
    """Record the due-soon and overdue events not yet recorded; returns how many were.

    Each batch is its own transaction; on PostgreSQL the tasks are claimed with
    ``FOR UPDATE SKIP LOCKED``, so workers on several nodes share the work."""
    day = rules.today(now)
    total = 0
    for kind in ("task.due_soon", "task.overdue"):
        while True:
            try:
                written, seen = _sweep_batch(db, kind, day, now)
            except IntegrityError:
                # Another node recorded the same event between our read and write: the
                # next sweep finds its marker and moves on.
                log.info("task sweep met a concurrent one; left to the next pass")
                break
            total += written
            if seen < SWEEP_BATCH:
                break
    return total


def _sweep_batch(db: Session, kind: str, day, now: datetime) -> tuple[int, int]:
    if kind == "task.due_soon":
        marker = Task.due_soon_for
        due = (Task.due_key >= day, Task.due_key <= day + timedelta(rules.DUE_SOON_DAYS))
    else:
        marker = Task.overdue_for
        due = (Task.due_key < day,)
    query = (
        select(Task)
        .where(Task.status.in_(rules.OPEN), *due, Task.due.is_not(None),
               or_(marker.is_(None), marker != Task.due))
        .order_by(Task.due_key, Task.id)
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    written = 0
    with db.begin():
        tasks = db.scalars(query).all()
        for task in tasks:
            if kind == "task.due_soon":
                task.due_soon_for = task.due
                people = [task.assignee_id]
            else:
                task.overdue_for = task.due
                people = [task.assignee_id, task.author_id]
            written += record(db, task, kind, people, now, by=None, dedupe=True)
        db.flush()
    return written, len(tasks)
