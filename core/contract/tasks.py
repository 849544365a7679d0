"""Provides the wire contract for tasks (задачи): the task, its changes, comments and history.

A task belongs to one organisation. It has an author, an assignee (an active member of
that organisation), an optional due date, a priority, a status
(``new`` «новая», ``in_progress`` «в работе», ``waiting`` «ждёт», ``done`` «сделана»,
``cancelled`` «отменена»), optional links (a document, an entry, an employee, a report
period, a tax-calendar deadline) and a repetition: a ``monthly`` or ``quarterly`` task,
once done, is followed by a new one due a period later.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from core.contract.common import BookDate, WireModel
from core.validation import InvalidInput

TaskStatus = Literal["new", "in_progress", "waiting", "done", "cancelled"]
TaskPriority = Literal["low", "normal", "high"]
TaskRepeat = Literal["none", "monthly", "quarterly"]
TaskChangeKind = Literal[
    "created", "comment", "status", "assignee", "due", "priority", "title", "description",
    "repeat", "links",
]

OPEN_STATUSES: tuple[TaskStatus, ...] = ("new", "in_progress", "waiting")
"""The statuses of a task still to be done (its due date can pass)."""

TASK_LINKS = ("document_id", "entry_id", "employee_id", "period", "deadline_id")

PERIOD_TEXT = re.compile(r"^(20[0-9]{2})(-(0[1-9]|1[0-2])|-Q[1-4])?$")
"""A report period: a year ``2026``, a quarter ``2026-Q1`` or a month ``2026-03``."""

DEADLINE_TEXT = re.compile(r"^[a-z][a-z0-9_]{0,39}:[0-9A-Za-z._-]{1,40}$")
"""A tax-calendar deadline id, e.g. ``ndfl_notice:2026-01-1`` or ``usn_advance:2026-Q1``."""


def _uuid_text(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput("validation.uuid") from None


def _period(value: str) -> str:
    if not PERIOD_TEXT.fullmatch(value):
        raise InvalidInput("validation.task_period")
    return value


def _deadline(value: str) -> str:
    if not DEADLINE_TEXT.fullmatch(value):
        raise InvalidInput("validation.task_deadline")
    return value


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:  # min_length counted the spaces
        raise InvalidInput("validation.required")
    return value


def _optional_text(value: str | None) -> str | None:
    return (value or "").strip() or None


Id = Annotated[str, Field(max_length=40), AfterValidator(_uuid_text)]
"""An object's id (a UUID), written back in its canonical form."""

Title = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_required_text)]
Description = Annotated[str | None, Field(max_length=4000), AfterValidator(_optional_text)]
Period = Annotated[str, Field(max_length=7), AfterValidator(_period)]
DeadlineId = Annotated[str, Field(max_length=81), AfterValidator(_deadline)]
CommentText = Annotated[str, Field(min_length=1, max_length=4000),
                        AfterValidator(_required_text)]


class TaskIn(WireModel):
    """A new task. Without ``assignee_id`` the task is the author's own; ``repeat`` needs a
    ``due`` date (the server says ``tasks.repeat_needs_due`` otherwise)."""

    title: Title
    description: Description = None
    assignee_id: Id | None = None
    due: BookDate | None = None
    priority: TaskPriority = "normal"
    repeat: TaskRepeat = "none"
    document_id: Id | None = None
    entry_id: Id | None = None
    employee_id: Id | None = None
    period: Period | None = None
    deadline_id: DeadlineId | None = None


class TaskPatch(WireModel):
    """What changes: only the fields sent. ``null`` clears an optional field (the due date,
    the description, a link); ``title``, ``status``, ``priority``, ``repeat`` and
    ``assignee_id`` cannot be cleared."""

    title: Title | None = None
    description: Description = None
    status: TaskStatus | None = None
    assignee_id: Id | None = None
    due: BookDate | None = None
    priority: TaskPriority | None = None
    repeat: TaskRepeat | None = None
    document_id: Id | None = None
    entry_id: Id | None = None
    employee_id: Id | None = None
    period: Period | None = None
    deadline_id: DeadlineId | None = None

    @model_validator(mode="after")
    def _not_cleared(self) -> TaskPatch:
        for name in ("title", "status", "assignee_id", "priority", "repeat"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise InvalidInput("validation.required", field=name)
        return self

    def changes(self) -> dict[str, object]:
        """The fields sent, with their values (``None`` for a cleared one)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


class TaskOut(WireModel):
    id: str
    org_id: str
    org_short_name: str
    """The organisation's short name («ООО «Ромашка»»), for «Мои задачи» across them."""
    title: str
    description: str | None
    status: TaskStatus
    priority: TaskPriority
    due: date | None
    overdue: bool
    """Still open and the due date has passed (the day in Moscow time)."""
    repeat: TaskRepeat
    author_id: str
    author_email: str
    assignee_id: str
    assignee_email: str
    document_id: str | None
    entry_id: str | None
    employee_id: str | None
    period: str | None
    deadline_id: str | None
    previous_id: str | None
    """The task this one repeats (the one done before it), if any."""
    next_id: str | None
    """The task created when this repeating one was done, if any."""
    comments: int
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    """When it became done or cancelled; None while open."""


class TaskPage(WireModel):
    """Sorted by due date (those without one last), then by id."""

    items: list[TaskOut]
    next_cursor: str | None
    """Hand it back for the next page; None on the last one."""


class CommentIn(WireModel):
    text: CommentText


class CommentOut(WireModel):
    id: int
    task_id: str
    author_id: str
    author_email: str
    created_at: datetime
    text: str


class TaskChange(WireModel):
    """One line of a task's history: its creation, a comment or a change of one field.

    ``old`` and ``new`` are display values: an e-mail for the assignee, an ISO date for
    the due date, the code for status, priority and repetition."""

    id: int
    kind: TaskChangeKind
    user_id: str | None
    user_email: str | None
    created_at: datetime
    old: str | None
    new: str | None
    text: str | None
    """The comment's text (``kind == "comment"``)."""


class TaskHistory(WireModel):
    """Oldest first."""

    items: list[TaskChange]
    next_cursor: str | None
