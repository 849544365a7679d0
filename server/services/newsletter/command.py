"""Provides ``buhta-server newsletter send --topic … --file …``: an issue to every
subscriber of a topic, through the job table, with a progress bar and a count at the end.

Resumable: the issue's id is the SHA-256 of the topic and the file (or ``--issue``), and
each subscriber gets one delivery row per issue, so running the command again after an
interruption (or after ``--limit``) queues only those not queued yet — never twice.
``--wait`` then delivers the queued mail in this process and shows how many went.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.contract import newsletter as nl
from server.config import Settings
from server.db.models.newsletter import NewsletterDelivery
from server.services.newsletter import issues, mail


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="buhta-server newsletter",
                                description="Рассылка: отправка выпуска подписчикам темы.")
    sub = p.add_subparsers(dest="command", required=True)
    send = sub.add_parser("send", help="отправить выпуск подписчикам темы")
    send.add_argument("--topic", required=True, choices=nl.TOPICS, help="тема рассылки")
    send.add_argument("--file", required=True, type=Path,
                      help="файл выпуска: Markdown (.md, тема — первая строка «# …») или текст")
    send.add_argument("--subject", help="тема письма (иначе — из первой строки файла)")
    send.add_argument("--issue", help="id выпуска, чтобы продолжить прерванную отправку "
                      "(по умолчанию — по теме и тексту файла)")
    send.add_argument("--limit", type=int, help="поставить в очередь не больше стольких писем")
    send.add_argument("--wait", action="store_true",
                      help="дождаться отправки писем (доставить их в этом процессе)")
    send.add_argument("--database-url", help="вместо BUHTA_DATABASE_URL")
    return p


def send(
    sessions: sessionmaker[Session],
    settings: Settings,
    topic: nl.Topic,
    path: Path,
    *,
    issue_id: str | None = None,
    subject: str | None = None,
    limit: int | None = None,
    batch: int = issues.BATCH,
    progress: Callable[[issues.RunResult], None] | None = None,
) -> issues.RunResult:
    rendered = issues.render(path, subject)
    issue_id = issue_id or issues.default_issue_id(topic, rendered)
    if not 0 < len(issue_id) <= 64:
        raise issues.IssueError("id выпуска — от 1 до 64 знаков")
    with sessions() as db:
        issue = issues.open_issue(db, issue_id, topic, rendered)
    return issues.queue_issue(sessions, issue, mail.enqueue, limit=limit, batch=batch,
                              progress=progress)


def sent_count(sessions: sessionmaker[Session], issue_id: str) -> tuple[int, int]:
    """(sent, queued) of an issue."""
    with sessions() as db:
        queued = db.scalar(select(func.count()).select_from(NewsletterDelivery)
                           .where(NewsletterDelivery.issue_id == issue_id)) or 0
        sent = db.scalar(select(func.count()).select_from(NewsletterDelivery)
                         .where(NewsletterDelivery.issue_id == issue_id,
                                NewsletterDelivery.sent_at.is_not(None))) or 0
    return sent, queued


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    import os

    if args.database_url:
        os.environ["BUHTA_DATABASE_URL"] = args.database_url
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from server.db.session import make_engine, make_sessionmaker, migrate

    console = Console(stderr=True)
    settings = Settings()
    engine = make_engine(settings.database_url)
    if settings.migrate_on_start:
        migrate(engine)
    sessions = make_sessionmaker(engine)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("В очередь", total=None)

            def shown(r: issues.RunResult) -> None:
                bar.update(task, total=r.audience, completed=r.before + r.queued)

            result = send(sessions, settings, args.topic, args.file, issue_id=args.issue,
                          subject=args.subject, limit=args.limit, progress=shown)
        console.print(f"Выпуск {result.issue_id}: подписчиков {result.audience}, "
                      f"поставлено в очередь сейчас {result.queued}, "
                      f"раньше {result.before}"
                      + ("" if result.complete else " — не все: запустите команду ещё раз"))
        if args.wait:
            _deliver(sessions, settings, result.issue_id, console)
    except issues.IssueError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    finally:
        engine.dispose()
    return 0


def _deliver(sessions: sessionmaker[Session], settings: Settings, issue_id: str,
             console) -> None:  # type: ignore[no-untyped-def]
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from server.services import jobs

    runner = jobs.JobRunner(sessions, {mail.KIND: mail.handler(sessions, settings)},
                            on_success={mail.KIND: mail.mark_sent})
    sent, queued = sent_count(sessions, issue_id)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("Отправлено", total=queued, completed=sent)
        while True:
            ran = runner.run_due()
            sent, queued = sent_count(sessions, issue_id)
            bar.update(task, completed=sent, total=queued)
            if not ran:
                if not _pending_soon(sessions):
                    break
                time.sleep(1)  # a retry 5 s later is waited for
    console.print(f"Отправлено {sent} из {queued}"
                  + ("" if sent == queued else ": остальные отправит worker после повтора"))


def _pending_soon(sessions: sessionmaker[Session]) -> bool:
    """A newsletter job due within a minute (later retries are left to the workers)."""
    from datetime import timedelta

    from server.db.models.notifications import Job
    from server.db.types import utcnow

    with sessions() as db:
        return bool(db.scalar(select(func.count()).select_from(Job).where(
            Job.kind == mail.KIND, Job.status == "pending",
            Job.run_at <= utcnow() + timedelta(minutes=1))))
