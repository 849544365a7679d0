"""Provides the task routes: the organisation's tasks, one task (change, comment, history)
and «Мои задачи» across the caller's organisations.

Every member reaches them (``Perm.ORG_READ``); what each may see and do inside is the
service's rule (``server.services.tasks``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from core import contract as m
from server.api.access import require
from server.api.deps import CallerDep, DbDep
from server.domain.roles import Perm
from server.services.context import OrgCtx
from server.services.tasks import TaskFilter, Tasks

router = APIRouter(tags=["tasks"])


def tasks(request: Request) -> Tasks:
    return request.app.state.tasks


def task_filter(
    assignee: uuid.UUID | None = None,
    status: Annotated[list[m.TaskStatus] | None, Query(max_length=5)] = None,
    due_before: date | None = None,
    due_after: date | None = None,
    overdue: bool = False,
) -> TaskFilter:
    """``status`` may repeat (``?status=new&status=in_progress``); ``due_before`` and
    ``due_after`` include the day; ``overdue=true`` keeps the open tasks past their due
    date."""
    return TaskFilter(assignee_id=str(assignee) if assignee else None,
                      statuses=tuple(dict.fromkeys(status or ())), due_before=due_before,
                      due_after=due_after, overdue=overdue)


FilterDep = Annotated[TaskFilter, Depends(task_filter)]
Cursor = Annotated[str | None, Query(max_length=200)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/orgs/{org_id}/tasks")
def list_tasks(
    request: Request, db: DbDep, f: FilterDep, oc: OrgCtx = require(Perm.ORG_READ),
    cursor: Cursor = None, limit: Limit = 50,
) -> m.TaskPage:
    """The tasks the caller may see, by due date (those without one last)."""
    return tasks(request).page(db, oc, f, cursor=cursor, limit=limit)


@router.post("/orgs/{org_id}/tasks", status_code=status.HTTP_201_CREATED)
def create_task(
    body: m.TaskIn, request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_READ),
) -> m.TaskOut:
    return tasks(request).create(db, oc, body)


@router.get("/orgs/{org_id}/tasks/{task_id}")
def get_task(
    task_id: uuid.UUID, request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_READ),
) -> m.TaskOut:
    return tasks(request).get(db, oc, str(task_id))


@router.patch("/orgs/{org_id}/tasks/{task_id}")
def change_task(
    task_id: uuid.UUID, body: m.TaskPatch, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.ORG_READ),
) -> m.TaskOut:
    """Status; reassignment and the other fields (the author, the director, the accountant)."""
    return tasks(request).update(db, oc, str(task_id), body)


@router.post("/orgs/{org_id}/tasks/{task_id}/comments", status_code=status.HTTP_201_CREATED)
def comment_task(
    task_id: uuid.UUID, body: m.CommentIn, request: Request, db: DbDep,
    oc: OrgCtx = require(Perm.ORG_READ),
) -> m.CommentOut:
    return tasks(request).comment(db, oc, str(task_id), body)


@router.get("/orgs/{org_id}/tasks/{task_id}/history")
def task_history(
    task_id: uuid.UUID, request: Request, db: DbDep, oc: OrgCtx = require(Perm.ORG_READ),
    cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> m.TaskHistory:
    """Creation, comments and every change, oldest first."""
    return tasks(request).history(db, oc, str(task_id), cursor=cursor, limit=limit)


@router.get("/me/tasks")
def my_tasks(
    request: Request, caller: CallerDep, db: DbDep, f: FilterDep, cursor: Cursor = None,
    limit: Limit = 50,
) -> m.TaskPage:
    """«Мои задачи»: assigned to the caller in every organisation of theirs, by due date."""
    return tasks(request).mine(db, caller.ctx, f, cursor=cursor, limit=limit)
