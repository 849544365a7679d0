"""The job table: retries on the fixed schedule (a fixed clock), giving up, and two workers
racing for the same jobs on SQLite and PostgreSQL (nothing twice, nothing lost)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.db.models.notifications import Job
from server.db.session import make_engine, make_sessionmaker, migrate
from server.services import jobs
from tests.both_databases import database_url, settings  # noqa: F401


@pytest.fixture
def sessions(settings):
    engine = make_engine(settings.database_url)
    migrate(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def add_jobs(sessions, n: int, kind: str = "probe", now: datetime | None = None) -> list[int]:
    with sessions() as db, db.begin():
        made = [jobs.enqueue(db, kind, {"n": i}, now=now) for i in range(n)]
        db.flush()
        return [j.id for j in made]


def job(sessions, job_id: int) -> Job:
    with sessions() as db:
        return db.get(Job, job_id)


def test_retries_follow_the_schedule_then_give_up(sessions):
    clock = Clock()
    calls: list[datetime] = []

    def failing(j: Job) -> jobs.Outcome:
        calls.append(clock.now)
        return jobs.Outcome(error="http:500", status_code=500)

    given_up: list[int] = []
    runner = jobs.JobRunner(sessions, {"probe": failing},
                            on_give_up={"probe": lambda db, j, now: given_up.append(j.id)},
                            clock=clock)
    (job_id,) = add_jobs(sessions, 1, now=clock.now)
    start = clock.now
    # Attempt 1 runs at once; then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h after each failure.
    waits = [timedelta(0), timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30),
             timedelta(hours=2), timedelta(hours=5), timedelta(hours=10)]
    for attempt, wait in enumerate(waits, start=1):
        clock.now += wait - timedelta(milliseconds=1)
        if wait:
            assert runner.run_due() == 0, f"attempt {attempt} ran early"
        clock.now += timedelta(milliseconds=1)
        assert runner.run_due() == 1, f"attempt {attempt} did not run when due"
        row = job(sessions, job_id)
        assert row.attempts == attempt and row.last_status_code == 500
    assert row.status == "failed" and given_up == [job_id]
    # 0 + 5 s + 5 min + 30 min + 2 h + 5 h + 10 h = 17 h 35 min 5 s after the event.
    assert calls[-1] - start == timedelta(hours=17, minutes=35, seconds=5)
    clock.now += timedelta(days=1)
    assert runner.run_due() == 0 and len(calls) == 7


def test_a_success_after_failures_is_done_and_not_run_again(sessions):
    clock = Clock()
    outcomes = iter([jobs.Outcome(error="timeout"), jobs.Outcome(status_code=204)])
    runner = jobs.JobRunner(sessions, {"probe": lambda j: next(outcomes)}, clock=clock)
    (job_id,) = add_jobs(sessions, 1, now=clock.now)
    assert runner.run_due() == 1
    assert job(sessions, job_id).run_at == clock.now + timedelta(seconds=5)
    clock.now += timedelta(seconds=5)
    assert runner.run_due() == 1
    row = job(sessions, job_id)
    assert (row.status, row.attempts, row.last_error, row.done_at) == ("done", 2, None, clock.now)
    clock.now += timedelta(hours=1)
    assert runner.run_due() == 0


def test_a_final_failure_gives_up_at_once(sessions):
    runner = jobs.JobRunner(sessions, {"probe": lambda j: jobs.Outcome(
        error="refused:private:10.0.0.1", final=True)})
    (job_id,) = add_jobs(sessions, 1)
    assert runner.run_due() == 1
    assert (job(sessions, job_id).status, job(sessions, job_id).attempts) == ("failed", 1)


def test_a_handler_that_raises_is_a_failed_attempt(sessions):
    def broken(j: Job) -> jobs.Outcome:
        raise RuntimeError("boom")

    runner = jobs.JobRunner(sessions, {"probe": broken})
    (job_id,) = add_jobs(sessions, 1)
    assert runner.run_due() == 1
    row = job(sessions, job_id)
    assert row.status == "pending" and row.attempts == 1 and "boom" in row.last_error


def test_a_claimed_job_is_leased(sessions):
    clock = Clock()
    (job_id,) = add_jobs(sessions, 1, now=clock.now)
    with sessions() as db, db.begin():
        assert jobs.claim(db, Job.id, Job.run_at, [Job.status == "pending"], clock.now) \
            == [job_id]
    with sessions() as db, db.begin():  # a second worker finds nothing due ...
        assert jobs.claim(db, Job.id, Job.run_at, [Job.status == "pending"], clock.now) == []
    later = clock.now + jobs.LEASE  # ... until the lease of a dead worker runs out
    with sessions() as db, db.begin():
        assert jobs.claim(db, Job.id, Job.run_at, [Job.status == "pending"], later) == [job_id]


def test_two_workers_racing_deliver_each_job_once(sessions):
    total = 120
    ids = add_jobs(sessions, total)
    delivered: list[int] = []
    lock = threading.Lock()

    def handler(j: Job) -> jobs.Outcome:
        time.sleep(0.002)  # a send takes a moment: the other worker claims meanwhile
        with lock:
            delivered.append(j.id)
        return jobs.Outcome(status_code=200)

    per_worker: dict[str, int] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        runner = jobs.JobRunner(sessions, {"probe": handler})
        try:
            while (n := runner.run_due(batch=7)):
                per_worker[name] = per_worker.get(name, 0) + n
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(delivered) == sorted(ids)  # nothing lost, nothing twice
    assert len(delivered) == len(set(delivered)) == total
    with sessions() as db:
        assert set(db.scalars(select(Job.status)).all()) == {"done"}
        assert all(a == 1 for a in db.scalars(select(Job.attempts)).all())
    if "postgresql" in str(sessions.kw["bind"].url):
        # Both took part (SKIP LOCKED let them work side by side).
        assert len(per_worker) == 2 and sum(per_worker.values()) == total
