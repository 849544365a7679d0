"""Provides the models of tasks (задачи) and their history (changes and comments)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.db.models.base import Base, new_id
from server.db.types import UTCDateTime, utcnow

NO_DUE = date(9999, 12, 31)
"""``Task.due_key`` of a task without a due date: such tasks sort last."""


class Task(Base):
    """A task of an organisation, set by its author for its assignee (both members).

    ``due_key`` is ``due`` or ``NO_DUE``: the lists sort and page by (due_key, id) and the
    indexes hold it. ``anchor_day`` is the day of the month a repeating series started
    on (its next due dates keep it where the month has it). ``due_soon_for`` and
    ``overdue_for`` hold the due date the due-soon and overdue events were recorded for,
    so the sweep records each once (and again after the due date moves)."""

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'waiting', 'done', 'cancelled')",
                        name="ck_tasks_status"),
        CheckConstraint("priority IN ('low', 'normal', 'high')", name="ck_tasks_priority"),
        CheckConstraint("repeat IN ('none', 'monthly', 'quarterly')", name="ck_tasks_repeat"),
        Index("ix_tasks_org_status_due", "org_id", "status", "due_key", "id"),
        Index("ix_tasks_assignee_status_due", "assignee_id", "status", "due_key", "id"),
        Index("ix_tasks_org_author", "org_id", "author_id"),
        Index("ix_tasks_status_due", "status", "due_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    org_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE", name="fk_tasks_org"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="new")
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    due: Mapped[date | None] = mapped_column(Date)
    due_key: Mapped[date] = mapped_column(Date)
    repeat: Mapped[str] = mapped_column(String(12), default="none")
    anchor_day: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", name="fk_tasks_author"))
    assignee_id: Mapped[str] = mapped_column(ForeignKey("users.id", name="fk_tasks_assignee"))
    document_id: Mapped[str | None] = mapped_column(
        ForeignKey("documents.id", name="fk_tasks_document"))
    entry_id: Mapped[str | None] = mapped_column(ForeignKey("entries.id", name="fk_tasks_entry"))
    employee_id: Mapped[str | None] = mapped_column(
        ForeignKey("employees.id", name="fk_tasks_employee"))
    period: Mapped[str | None] = mapped_column(String(7))
    deadline_id: Mapped[str | None] = mapped_column(String(81))
    previous_id: Mapped[str | None] = mapped_column(String(36))
    next_id: Mapped[str | None] = mapped_column(String(36))
    comments: Mapped[int] = mapped_column(Integer, default=0)
    due_soon_for: Mapped[date | None] = mapped_column(Date)
    overdue_for: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TaskChange(Base):
    """One line of a task's history: ``created``, a ``comment`` (``text``) or the change of
    one field (``kind`` is the field: status, assignee, due, priority …) from ``old`` to
    ``new`` (stored values: a user id, an ISO date, a code). Never changed."""

    __tablename__ = "task_changes"
    __table_args__ = (Index("ix_task_changes_task", "task_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    task_id: Mapped[str] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE", name="fk_task_changes_task"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
