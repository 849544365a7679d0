"""Provides TasksApi: an organisation's tasks and «Мои задачи» across organisations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from client.areas.base import Area, path_id
from client.transport import parse
from core import contract as m


def _filters(
    *,
    assignee_id: str | None,
    statuses: Iterable[str],
    due_before: date | None,
    due_after: date | None,
    overdue: bool,
    cursor: str | None,
    limit: int,
) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if assignee_id:
        params["assignee"] = path_id(assignee_id)
    wanted = list(dict.fromkeys(statuses))
    if wanted:
        params["status"] = wanted  # repeated: ?status=new&status=waiting
    if due_before:
        params["due_before"] = due_before.isoformat()
    if due_after:
        params["due_after"] = due_after.isoformat()
    if overdue:
        params["overdue"] = "true"
    if cursor:
        params["cursor"] = cursor
    return params


class TasksApi(Area):
    """``api.tasks``: list, create, change (status, reassign, edit), comment, history."""

    async def list(
        self,
        org_id: str,
        *,
        assignee_id: str | None = None,
        statuses: Iterable[str] = (),
        due_before: date | None = None,
        due_after: date | None = None,
        overdue: bool = False,
        cursor: str | None = None,
        limit: int = 50,
    ) -> m.TaskPage:
        """The organisation's tasks the caller may see, by due date (none last);
        ``due_before``/``due_after`` include the day; ``overdue`` keeps the open tasks
        past their due date."""
        params = _filters(assignee_id=assignee_id, statuses=statuses, due_before=due_before,
                          due_after=due_after, overdue=overdue, cursor=cursor, limit=limit)
        return await self._call("GET", f"/orgs/{path_id(org_id)}/tasks", m.TaskPage,
                                params=params)

    async def mine(
        self,
        *,
        statuses: Iterable[str] = (),
        due_before: date | None = None,
        due_after: date | None = None,
        overdue: bool = False,
        cursor: str | None = None,
        limit: int = 50,
    ) -> m.TaskPage:
        """«Мои задачи»: assigned to the caller in every organisation of theirs (each with
        ``org_id`` and ``org_short_name``), by due date."""
        params = _filters(assignee_id=None, statuses=statuses, due_before=due_before,
                          due_after=due_after, overdue=overdue, cursor=cursor, limit=limit)
        return await self._call("GET", "/me/tasks", m.TaskPage, params=params)

    async def get(self, org_id: str, task_id: str) -> m.TaskOut:
        path = f"/orgs/{path_id(org_id)}/tasks/{path_id(task_id)}"
        return await self._call("GET", path, m.TaskOut)

    async def create(self, org_id: str, data: m.TaskIn) -> m.TaskOut:
        return await self._call("POST", f"/orgs/{path_id(org_id)}/tasks", m.TaskOut, data)

    async def change(self, org_id: str, task_id: str, data: m.TaskPatch) -> m.TaskOut:
        """Only the fields set on ``data`` are sent (``None`` set on purpose clears one)."""
        path = f"/orgs/{path_id(org_id)}/tasks/{path_id(task_id)}"
        body = data.model_dump_json(exclude_unset=True).encode()
        response = await self._send("PATCH", path,
                                    raw=(body, {"Content-Type": "application/json"}))
        return parse(m.TaskOut, response)

    async def set_status(self, org_id: str, task_id: str, status: m.TaskStatus) -> m.TaskOut:
        return await self.change(org_id, task_id, m.TaskPatch(status=status))

    async def reassign(self, org_id: str, task_id: str, assignee_id: str) -> m.TaskOut:
        return await self.change(org_id, task_id, m.TaskPatch(assignee_id=assignee_id))

    async def comment(self, org_id: str, task_id: str, text: str) -> m.CommentOut:
        path = f"/orgs/{path_id(org_id)}/tasks/{path_id(task_id)}/comments"
        return await self._call("POST", path, m.CommentOut, m.CommentIn(text=text))

    async def history(
        self, org_id: str, task_id: str, cursor: str | None = None, limit: int = 100
    ) -> m.TaskHistory:
        """Creation, comments and every change, oldest first."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        path = f"/orgs/{path_id(org_id)}/tasks/{path_id(task_id)}/history"
        return await self._call("GET", path, m.TaskHistory, params=params)
