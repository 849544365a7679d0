"""Provides an issue of the newsletter: the file it is written in (Markdown or plain text)
made into a subject, a plain-text body and a simple HTML body, and the run that queues it
for every subscriber of its topic.

A run is resumable and never sends twice: each subscriber gets one delivery row per issue
(unique (issue, subscriber)), written with its mail job in one transaction; a run that
stops half-way (a crash, ``--limit``) is started again with the same file (or ``--issue``)
and queues only those who have no row yet.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from core.contract import newsletter as nl
from server.db.models import User
from server.db.models.newsletter import (
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterSubscriber,
)
from server.db.types import utcnow

BATCH = 200
MARKDOWN_SUFFIXES = (".md", ".markdown")
MAX_FILE_BYTES = 1024 * 1024


class IssueError(Exception):
    """A refusal of ``newsletter send``, said in Russian (the operator reads it)."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sha256: str


def render(path: Path, subject: str | None = None) -> Rendered:
    """The file as an issue. Markdown (``.md``): the first ``# Heading`` is the subject,
    the rest is the body (raw HTML in it is shown as text, never passed on); any other
    file is plain text, its first line the subject."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IssueError(f"Не удалось прочитать файл {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise IssueError(f"Файл {path} больше 1 МБ: выпуск рассылки должен быть короче")
    try:
        source = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise IssueError(f"Файл {path} не в кодировке UTF-8") from None
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise IssueError(f"Файл {path} пуст")
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    head = lines[first].strip()
    if markdown and head.startswith("# "):
        head = head[2:].strip()
    elif markdown:
        head = ""
    if head and not subject:
        lines = lines[first + 1:]
    subject = (subject or head).strip()
    if not subject:
        raise IssueError("У выпуска нет темы письма: начните файл строкой «# Тема» "
                         "или задайте --subject")
    if len(subject) > 200:
        raise IssueError("Тема письма длиннее 200 знаков")
    body = "\n".join(lines).strip("\n")
    if markdown:
        from markdown_it import MarkdownIt

        body_html = MarkdownIt("commonmark", {"html": False}).render(body)
    else:
        body_html = "".join(
            f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>\n"
            for p in re.split(r"\n\s*\n", body) if p.strip())
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()
    return Rendered(subject, body + "\n", body_html, digest)


def default_issue_id(topic: str, rendered: Rendered) -> str:
    """The same topic and file give the same id: running the command again resumes."""
    return hashlib.sha256(f"{topic}\n{rendered.sha256}".encode()).hexdigest()[:16]


@dataclass
class RunResult:
    issue_id: str
    audience: int
    """Active subscribers of the topic with a confirmed address."""
    queued: int = 0
    """Queued by this run."""
    before: int = 0
    """Already queued (or sent) by an earlier run."""
    complete: bool = False


Enqueue = Callable[[Session, NewsletterDelivery], None]
"""Puts a delivery's mail job into the job table, in the caller's transaction."""


def open_issue(db: Session, issue_id: str, topic: nl.Topic, rendered: Rendered
               ) -> NewsletterIssue:
    with db.begin():
        issue = db.get(NewsletterIssue, issue_id)
        if issue is None:
            issue = NewsletterIssue(id=issue_id, topic=topic, subject=rendered.subject,
                                    body_text=rendered.text, body_html=rendered.html,
                                    content_sha256=rendered.sha256, created_at=utcnow())
            db.add(issue)
        elif issue.topic != topic:
            raise IssueError(f"Выпуск {issue_id} уже отправлялся по теме {issue.topic}, "
                             f"а не {topic}")
        elif issue.content_sha256 != rendered.sha256:
            raise IssueError(f"Выпуск {issue_id} уже отправлялся с другим текстом: "
                             "для нового текста нужен новый выпуск (--issue)")
        db.flush()
        db.expunge(issue)
        return issue


def _audience(topic: str):
    return (select(NewsletterSubscriber.id, User.email)
            .join(User, User.id == NewsletterSubscriber.user_id)
            .where(NewsletterSubscriber.topic == topic, NewsletterSubscriber.active.is_(True),
                   User.email_confirmed_at.is_not(None)))


def queue_issue(
    sessions: sessionmaker[Session],
    issue: NewsletterIssue,
    enqueue: Enqueue,
    *,
    limit: int | None = None,
    batch: int = BATCH,
    progress: Callable[[RunResult], None] | None = None,
) -> RunResult:
    """Queue ``issue`` for every subscriber who has no delivery of it yet, ``batch`` at a
    time (one transaction each); at most ``limit`` this run. ``progress`` is told after
    each batch."""
    with sessions() as db, db.begin():
        audience = db.scalar(select(func.count()).select_from(
            _audience(issue.topic).subquery())) or 0
        before = db.scalar(select(func.count()).select_from(NewsletterDelivery)
                           .where(NewsletterDelivery.issue_id == issue.id)) or 0
    result = RunResult(issue.id, audience, before=before)
    if progress:
        progress(result)
    after = ""
    while limit is None or result.queued < limit:
        size = batch if limit is None else min(batch, limit - result.queued)
        try:
            with sessions() as db, db.begin():
                rows = db.execute(
                    _audience(issue.topic)
                    .where(NewsletterSubscriber.id > after, ~select(NewsletterDelivery.id)
                           .where(NewsletterDelivery.issue_id == issue.id,
                                  NewsletterDelivery.subscriber_id == NewsletterSubscriber.id)
                           .exists())
                    .order_by(NewsletterSubscriber.id).limit(size)).all()
                for subscriber_id, email in rows:
                    delivery = NewsletterDelivery(issue_id=issue.id,
                                                  subscriber_id=subscriber_id, email=email)
                    db.add(delivery)
                    db.flush()
                    enqueue(db, delivery)
        except IntegrityError:
            continue  # another run queued some of these meanwhile: look again
        if not rows:
            break
        after = rows[-1][0]
        result.queued += len(rows)
        if progress:
            progress(result)
    with sessions() as db, db.begin():
        left = db.scalar(select(func.count()).select_from(
            _audience(issue.topic).where(~select(NewsletterDelivery.id).where(
                NewsletterDelivery.issue_id == issue.id,
                NewsletterDelivery.subscriber_id == NewsletterSubscriber.id).exists())
            .subquery())) or 0
        result.complete = left == 0
        if result.complete:
            row = db.get(NewsletterIssue, issue.id)
            if row is not None:
                row.completed_at = utcnow()
    return result
