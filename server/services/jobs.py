"""Provides the job mechanism every delivery runs on: claim due rows of a queue table so
two workers never take the same one, run them outside the claiming transaction, settle
each with a backoff.

Two queue tables use it: ``jobs`` (webhook posts, Telegram messages) and the mail/SMS
``outbox`` (whose rows are also the embedded app's local mailbox). ``claim`` selects due
rows with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (another node's locked rows are
skipped, not waited for) and then moves each one's due time a lease ahead with an
``UPDATE … WHERE <still due>``, keeping only the rows that update changed. On SQLite the
``FOR UPDATE`` is dropped by SQLAlchemy; the one embedded process's transactions start
as ``BEGIN IMMEDIATE`` (one writer at a time) and the conditional ``UPDATE`` is the claim.

A claimed row is sent after the claim commits: a slow receiver never holds a lock, and a
node that dies mid-send leaves the row to be claimed again once the lease runs out.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from server.db.models.notifications import Job
from server.db.types import utcnow

log = logging.getLogger("buhta.jobs")

LEASE = timedelta(minutes=5)
"""A claimed job is not claimed again for this long (its worker died mid-send)."""
BATCH = 20

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(0), timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
    timedelta(hours=2), timedelta(hours=5), timedelta(hours=10),
)
"""When attempt 1, 2, … 7 runs, counted from the previous failure (the first at once):
immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h; after the seventh failure the job is
given up on (and a webhook endpoint marked failing)."""
MAX_ATTEMPTS = len(RETRY_DELAYS)

Clock = Callable[[], datetime]


def next_delay(failed_attempts: int) -> timedelta:
    """The pause after the ``failed_attempts``-th failure (1 → 5 s, 2 → 5 min …)."""
    return RETRY_DELAYS[min(failed_attempts, MAX_ATTEMPTS - 1)]


def claim(
    db: Session, id_col: InstrumentedAttribute[Any], due_col: InstrumentedAttribute[Any],
    where: Sequence[ColumnElement[bool]], now: datetime, *, lease: timedelta = LEASE,
    batch: int = BATCH,
) -> list[Any]:
    """Claim up to ``batch`` rows whose ``due_col`` has come (and ``where`` holds): their
    ids, oldest first. Run inside the caller's transaction; commit it before sending."""
    model = id_col.class_
    ids = db.scalars(
        select(id_col).where(*where, due_col <= now).order_by(id_col).limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for row_id in ids:
        done = db.execute(
            update(model).where(id_col == row_id, *where, due_col <= now)
            .values({due_col.key: now + lease})
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(row_id)
    return claimed


def enqueue(db: Session, kind: str, payload: dict[str, Any], *, now: datetime | None = None,
            org_id: str | None = None, ref_id: str | None = None, event: str | None = None,
            event_id: str | None = None, dedupe_key: str | None = None,
            max_attempts: int = MAX_ATTEMPTS) -> Job:
    """A job written in the caller's transaction, due at once."""
    now = now or utcnow()
    job = Job(kind=kind, payload=json.dumps(payload, ensure_ascii=False), run_at=now,
              created_at=now, org_id=org_id, ref_id=ref_id, event=event, event_id=event_id,
              dedupe_key=dedupe_key, max_attempts=max_attempts, attempts=0, status="pending")
    db.add(job)
    return job


@dataclass
class Outcome:
    """What a handler reports: ``error`` None for a delivery; ``status_code`` the
    receiver's answer, if any; ``final`` gives up at once (a refused address)."""

    error: str | None = None
    status_code: int | None = None
    final: bool = False


Handler = Callable[[Job], Outcome]
GiveUp = Callable[[Session, Job, datetime], None]


class JobRunner:
    """Runs due jobs of the ``jobs`` table with the handler of their kind."""

    def __init__(self, sessions: sessionmaker[Session], handlers: dict[str, Handler],
                 on_give_up: dict[str, GiveUp] | None = None,
                 on_success: dict[str, GiveUp] | None = None,
                 clock: Clock = utcnow) -> None:
        self.sessions = sessions
        self.handlers = handlers
        self.on_give_up = on_give_up or {}
        self.on_success = on_success or {}
        self.clock = clock

    def run_due(self, batch: int = BATCH) -> int:
        """Claim and run one batch; returns how many were run."""
        now = self.clock()
        with self.sessions() as db, db.begin():
            ids = claim(db, Job.id, Job.run_at, [Job.status == "pending",
                                                 Job.kind.in_(tuple(self.handlers))],
                        now, batch=batch)
            jobs = db.scalars(select(Job).where(Job.id.in_(ids)).order_by(Job.id)).all() \
                if ids else []
            db.expunge_all()
        for job in jobs:
            self.run_one(job)
        return len(jobs)

    def run_one(self, job: Job) -> Outcome:
        """Send ``job`` (already claimed, or created to be sent at once) and settle it."""
        try:
            outcome = self.handlers[job.kind](job)
        except Exception as exc:  # a handler's bug is a failed attempt, never a crash
            log.exception("job %s (%s) raised", job.id, job.kind)
            outcome = Outcome(error=f"{type(exc).__name__}: {exc}"[:2000])
        self.settle(job.id, outcome)
        return outcome

    def settle(self, job_id: int, outcome: Outcome) -> None:
        now = self.clock()
        with self.sessions() as db, db.begin():
            row = db.get(Job, job_id)
            if row is None:
                return
            row.attempts += 1
            row.last_attempt_at = now
            row.last_status_code = outcome.status_code
            if outcome.error is None:
                row.status, row.done_at, row.last_error = "done", now, None
                if hook := self.on_success.get(row.kind):
                    hook(db, row, now)
                return
            row.last_error = outcome.error[:2000]
            if outcome.final or row.attempts >= row.max_attempts:
                row.status, row.done_at = "failed", now
                log.warning("job %s (%s) given up: %s", row.id, row.kind, outcome.error)
                if hook := self.on_give_up.get(row.kind):
                    hook(db, row, now)
            else:
                row.run_at = now + next_delay(row.attempts)


__all__ = ["BATCH", "LEASE", "MAX_ATTEMPTS", "RETRY_DELAYS", "JobRunner", "Outcome", "claim",
           "enqueue", "next_delay"]
