"""Provides the task use cases: create, the organisation's list, «Мои задачи», the card,
change (status, reassign, edit), comment, history.

Rules kept here, whatever the client sends (``server.domain.tasks``):
- who sees what: the director and the accountant see every task of the organisation,
  the others those they are the author or the assignee of; a task linked to an employee
  only a role with payroll rights sees. A task one may not see is «not found» (404);
- who may: any member creates a task, for an active member of the organisation; the
  author, the assignee, the director and the accountant change its status and comment
  on it; only the author, the director and the accountant reassign or edit it (403);
- every change of status, assignee, due date, priority (and of the other fields) is a
  line of the task's history with who and when; every write is in the activity log;
- the assignee hears of an assignment, the author and the assignee of a comment
  (``server.services.task_events``), in the same transaction;
- a repeating task, once done, is followed by a new one due a period later
  (``server.domain.tasks.next_due``), once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import Document, Employee, Entry, Membership, Organisation, Task, User
from server.db.models import TaskChange as ChangeRow
from server.db.models.tasks import NO_DUE
from server.domain import tasks as rules
from server.domain.roles import Role, sees_payroll, sees_team_contacts
from server.services import audit, task_events
from server.services.context import Ctx, OrgCtx
from server.services.errors import ServiceError
from server.services.orgs import mask_email
from server.services.paging import (
    decode_cursor,
    decode_cursor_value,
    encode_cursor,
    encode_cursor_value,
)

STATUS_NAMES = {"new": "новая", "in_progress": "в работе", "waiting": "ждёт",
                "done": "сделана", "cancelled": "отменена"}
PRIORITY_NAMES = {"low": "низкий", "normal": "обычный", "high": "высокий"}
REPEAT_NAMES = {"none": "нет", "monthly": "ежемесячно", "quarterly": "ежеквартально"}
LINK_MODELS = {"document_id": (Document, "tasks.document_not_found"),
               "entry_id": (Entry, "tasks.entry_not_found"),
               "employee_id": (Employee, "tasks.employee_not_found")}
PAYROLL_ROLES = tuple(r.value for r in Role if sees_payroll(r))
# The history kind of each field of TaskPatch (the links share one).
FIELD_KINDS = {"title": "title", "description": "description", "status": "status",
               "assignee_id": "assignee", "due": "due", "priority": "priority",
               "repeat": "repeat", **{name: "links" for name in m.TASK_LINKS}}


@dataclass(frozen=True)
class TaskFilter:
    """The list's filters: ``due_before``/``due_after`` are inclusive; ``overdue`` keeps the
    open tasks whose due date has passed."""

    assignee_id: str | None = None
    statuses: tuple[str, ...] = ()
    due_before: date | None = None
    due_after: date | None = None
    overdue: bool = False


def _text(value: object) -> str | None:
    """A field's value as history stores it."""
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _fields(task: Task, emails: dict[str, str]) -> dict[str, str]:
    """The task as the activity log compares it (before and after a change)."""
    links = ", ".join(f"{name}={getattr(task, name)}" for name in m.TASK_LINKS
                      if getattr(task, name))
    return {
        "название": task.title or "",
        "статус": STATUS_NAMES.get(task.status, task.status or ""),
        "исполнитель": emails.get(task.assignee_id, task.assignee_id or ""),
        "срок": f"{task.due:%d.%m.%Y}" if task.due else "",
        "приоритет": PRIORITY_NAMES.get(task.priority, task.priority or ""),
        "повтор": REPEAT_NAMES.get(task.repeat, task.repeat or ""),
        "описание": f"{len(task.description)} знаков" if task.description else "",
        "связи": links,
    }


class _View:
    """Renders tasks for one reader: e-mails (masked for a role that does not see the
    team's contacts) and the organisations' short names, looked up once per page."""

    def __init__(self, db: Session, reader: str, day: date) -> None:
        self.db, self.reader, self.day = db, reader, day
        self.emails: dict[str, str] = {}
        self.org_names: dict[str, str] = {}
        self.masked_in: set[str] = set()

    def load(self, tasks: list[Task], roles: dict[str, str], extra_users: set[str] = frozenset()
             ) -> None:
        users = {u for t in tasks for u in (t.author_id, t.assignee_id)} | set(extra_users)
        users -= self.emails.keys()
        if users:
            self.emails.update(self.db.execute(
                select(User.id, User.email).where(User.id.in_(users))).all())
        orgs = {t.org_id for t in tasks} - self.org_names.keys()
        if orgs:
            self.org_names.update(self.db.execute(
                select(Organisation.id, Organisation.short_name)
                .where(Organisation.id.in_(orgs))).all())
        self.masked_in |= {org for org, role in roles.items() if not sees_team_contacts(role)}

    def email(self, org_id: str, user_id: str | None) -> str | None:
        if user_id is None:
            return None
        email = self.emails.get(user_id, "—")
        if org_id in self.masked_in and user_id != self.reader:
            return mask_email(email)
        return email

    def task(self, t: Task) -> m.TaskOut:
        return m.TaskOut(
            id=t.id, org_id=t.org_id, org_short_name=self.org_names.get(t.org_id, ""),
            title=t.title, description=t.description, status=t.status,  # type: ignore[arg-type]
            priority=t.priority, due=t.due,  # type: ignore[arg-type]
            overdue=rules.is_overdue(t.status, t.due, self.day), repeat=t.repeat,  # type: ignore[arg-type]
            author_id=t.author_id, author_email=self.email(t.org_id, t.author_id) or "",
            assignee_id=t.assignee_id, assignee_email=self.email(t.org_id, t.assignee_id) or "",
            document_id=t.document_id, entry_id=t.entry_id, employee_id=t.employee_id,
            period=t.period, deadline_id=t.deadline_id, previous_id=t.previous_id,
            next_id=t.next_id, comments=t.comments, created_at=t.created_at,
            updated_at=t.updated_at, closed_at=t.closed_at,
        )


def _filtered(query: Select, f: TaskFilter, day: date) -> Select:
    if f.assignee_id:
        query = query.where(Task.assignee_id == f.assignee_id)
    if f.statuses:
        query = query.where(Task.status.in_(f.statuses))
    if f.due_before:
        query = query.where(Task.due <= f.due_before)
    if f.due_after:
        query = query.where(Task.due >= f.due_after)
    if f.overdue:
        query = query.where(Task.status.in_(rules.OPEN), Task.due_key < day)
    return query


def _after(query: Select, cursor: str | None) -> Select:
    """The page after the cursor, by (due_key, id)."""
    if not cursor:
        return query
    due_text, _, task_id = decode_cursor_value(cursor, "t").partition("|")
    try:
        due_key = date.fromisoformat(due_text)
    except ValueError:
        raise ServiceError(422, "validation.cursor") from None
    if not task_id:
        raise ServiceError(422, "validation.cursor")
    return query.where((Task.due_key > due_key)
                       | ((Task.due_key == due_key) & (Task.id > task_id)))


def _page(db: Session, query: Select, limit: int) -> tuple[list, str | None]:
    rows = db.execute(query.order_by(Task.due_key, Task.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][0] if rows else None
    cursor = (encode_cursor_value(f"{last.due_key.isoformat()}|{last.id}", "t")
              if more and last else None)
    return rows, cursor


@dataclass
class Tasks:
    # --- reading -----------------------------------------------------------------

    def page(self, db: Session, oc: OrgCtx, f: TaskFilter, *, cursor: str | None,
             limit: int) -> m.TaskPage:
        """The organisation's tasks the caller may see, by due date."""
        day = rules.today(oc.ctx.now)
        query = select(Task).where(Task.org_id == oc.org_id)
        if not rules.sees_all(oc.role):
            query = query.where((Task.author_id == oc.user_id)
                                | (Task.assignee_id == oc.user_id))
        if not sees_payroll(oc.role):
            query = query.where(Task.employee_id.is_(None))
        with db.begin():
            rows, next_cursor = _page(db, _after(_filtered(query, f, day), cursor), limit)
            tasks = [r[0] for r in rows]
            view = _View(db, oc.user_id, day)
            view.load(tasks, {oc.org_id: oc.role})
            return m.TaskPage(items=[view.task(t) for t in tasks], next_cursor=next_cursor)

    def mine(self, db: Session, ctx: Ctx, f: TaskFilter, *, cursor: str | None,
             limit: int) -> m.TaskPage:
        """«Мои задачи»: the tasks assigned to the caller in every organisation where the
        caller is an active member (and may see them), by due date."""
        assert ctx.user_id is not None
        day = rules.today(ctx.now)
        query = (
            select(Task, Membership.role)
            .join(Membership, (Membership.org_id == Task.org_id)
                  & (Membership.user_id == ctx.user_id))
            .where(Task.assignee_id == ctx.user_id, Membership.status == "active",
                   Task.employee_id.is_(None) | Membership.role.in_(PAYROLL_ROLES))
        )
        with db.begin():
            rows, next_cursor = _page(db, _after(_filtered(query, f, day), cursor), limit)
            tasks = [r[0] for r in rows]
            view = _View(db, ctx.user_id, day)
            view.load(tasks, {t.org_id: role for t, role in rows})
            return m.TaskPage(items=[view.task(t) for t in tasks], next_cursor=next_cursor)

    def get(self, db: Session, oc: OrgCtx, task_id: str) -> m.TaskOut:
        with db.begin():
            task = self._find(db, oc, task_id)
            return self._out(db, oc, task)

    def history(self, db: Session, oc: OrgCtx, task_id: str, *, cursor: str | None,
                limit: int) -> m.TaskHistory:
        """The task's history, oldest first: creation, comments, every change."""
        query = select(ChangeRow).where(ChangeRow.task_id == task_id)
        if cursor:
            query = query.where(ChangeRow.id > decode_cursor(cursor))
        with db.begin():
            task = self._find(db, oc, task_id)
            rows = db.scalars(query.order_by(ChangeRow.id).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            view = _View(db, oc.user_id, rules.today(oc.ctx.now))
            people = {r.user_id for r in rows if r.user_id}
            people |= {v for r in rows if r.kind == "assignee" for v in (r.old, r.new) if v}
            view.load([task], {oc.org_id: oc.role}, people)

            def shown(row: ChangeRow, value: str | None) -> str | None:
                return view.email(task.org_id, value) if row.kind == "assignee" else value

            return m.TaskHistory(
                items=[m.TaskChange(
                    id=r.id, kind=r.kind, user_id=r.user_id,  # type: ignore[arg-type]
                    user_email=view.email(task.org_id, r.user_id), created_at=r.created_at,
                    old=shown(r, r.old), new=shown(r, r.new), text=r.text) for r in rows],
                next_cursor=encode_cursor(rows[-1].id) if more and rows else None,
            )

    # --- writing -----------------------------------------------------------------

    def create(self, db: Session, oc: OrgCtx, data: m.TaskIn) -> m.TaskOut:
        now = oc.ctx.now
        denied: str | None = None
        with db.begin():
            task = Task(org_id=oc.org_id, title=data.title, description=data.description,
                        status="new", priority=data.priority, repeat=data.repeat,
                        author_id=oc.user_id, assignee_id=data.assignee_id or oc.user_id,
                        comments=0, created_at=now, updated_at=now)
            self._set_due(task, data.due)
            for name in m.TASK_LINKS:
                setattr(task, name, getattr(data, name))
            if data.employee_id and not sees_payroll(oc.role):
                denied = "tasks.employee_forbidden"
                self._deny(db, oc, "create", None, denied)
            else:
                self._check(db, oc, task, links=m.TASK_LINKS, assignee=True)
                db.add(task)
                db.flush()
                self._log_change(db, task, oc, "created", None, task.title)
                task_events.record(db, task, "task.assigned", [task.assignee_id], now,
                                   by=oc.user_id)
                emails = self._emails(db, [task.assignee_id])
                audit.record(db, oc.ctx, "tasks.create", org_id=oc.org_id, object_type="task",
                             object_id=task.id,
                             summary=audit.changes({}, _fields(task, emails)))
                return self._out(db, oc, task)
        raise ServiceError(403, denied)

    def update(self, db: Session, oc: OrgCtx, task_id: str, patch: m.TaskPatch
               ) -> m.TaskOut:
        denied: str | None = None
        with db.begin():
            task = self._find(db, oc, task_id, lock=True)
            changes = {k: v for k, v in patch.changes().items() if getattr(task, k) != v}
            denied = self._may_update(oc, task, changes)
            if denied:
                self._deny(db, oc, "update", task.id, denied)
            else:
                if changes:
                    self._apply(db, oc, task, changes)
                return self._out(db, oc, task)
        assert denied is not None
        raise ServiceError(403, denied)

    def comment(self, db: Session, oc: OrgCtx, task_id: str, data: m.CommentIn
                ) -> m.CommentOut:
        now = oc.ctx.now
        with db.begin():
            task = self._find(db, oc, task_id, lock=True)
            allowed = rules.may_change_status(oc.role, oc.user_id, task.author_id,
                                              task.assignee_id)
            if not allowed:
                self._deny(db, oc, "comment", task.id, "tasks.forbidden")
            else:
                row = self._log_change(db, task, oc, "comment", None, None, text=data.text)
                task.comments += 1
                task.updated_at = now
                db.flush()
                task_events.record(db, task, "task.comment", [task.author_id, task.assignee_id],
                                   now, by=oc.user_id, comment_id=row.id)
                audit.record(db, oc.ctx, "tasks.comment", org_id=oc.org_id, object_type="task",
                             object_id=task.id, summary=f"{task.title}: {data.text[:200]}")
                return m.CommentOut(id=row.id, task_id=task.id, author_id=oc.user_id,
                                    author_email=self._emails(db, [oc.user_id])[oc.user_id],
                                    created_at=now, text=data.text)
        raise ServiceError(403, "tasks.forbidden")

    # --- the parts ---------------------------------------------------------------

    def _may_update(self, oc: OrgCtx, task: Task, changes: dict[str, object]) -> str | None:
        """The refusal code for this change by this caller, or None."""
        if "status" in changes and not rules.may_change_status(
                oc.role, oc.user_id, task.author_id, task.assignee_id):
            return "tasks.forbidden"
        if "assignee_id" in changes and not rules.may_edit(oc.role, oc.user_id, task.author_id):
            return "tasks.reassign_forbidden"
        if set(changes) - {"status", "assignee_id"} and not rules.may_edit(
                oc.role, oc.user_id, task.author_id):
            return "tasks.edit_forbidden"
        if changes.get("employee_id") and not sees_payroll(oc.role):
            return "tasks.employee_forbidden"
        return None

    def _apply(self, db: Session, oc: OrgCtx, task: Task, changes: dict[str, object]) -> None:
        now = oc.ctx.now
        emails = self._emails(db, [task.assignee_id, changes.get("assignee_id")])
        before = _fields(task, emails)
        old = {name: getattr(task, name) for name in changes}
        for name, value in changes.items():
            if name == "due":
                self._set_due(task, value)  # type: ignore[arg-type]
            else:
                setattr(task, name, value)
        self._check(db, oc, task, links=[n for n in changes if n in m.TASK_LINKS],
                    assignee="assignee_id" in changes or bool(changes.get("employee_id")))
        if "status" in changes:
            task.closed_at = now if task.status in rules.CLOSED else None
        task.updated_at = now
        for name in changes:
            self._log_change(db, task, oc, FIELD_KINDS[name], _text(old[name]),
                             _text(getattr(task, name)),
                             text=name if FIELD_KINDS[name] == "links" else None)
        if "assignee_id" in changes:
            task_events.record(db, task, "task.assigned", [task.assignee_id], now,
                               by=oc.user_id)
        summary = f"{task.title}: {audit.changes(before, _fields(task, emails))}"
        audit.record(db, oc.ctx, "tasks.update", org_id=oc.org_id, object_type="task",
                     object_id=task.id, summary=summary)
        if task.status == "done" and task.repeat != "none" and task.next_id is None:
            self._repeat(db, oc, task)

    def _repeat(self, db: Session, oc: OrgCtx, done: Task) -> None:
        """The next task of a repeating series: due a period later (the series' day of the
        month kept), the same author, assignee (or the one who closed it, if the assignee
        has left), text, priority and employee; a month or quarter period moves on with
        it; the document, entry and deadline links stay with the done one."""
        assert done.due is not None
        now = oc.ctx.now
        anchor = done.anchor_day or done.due.day
        nxt = Task(org_id=done.org_id, title=done.title, description=done.description,
                   status="new", priority=done.priority, repeat=done.repeat,
                   author_id=done.author_id, assignee_id=done.assignee_id,
                   employee_id=done.employee_id,
                   period=rules.shift_period(done.period, rules.STEP_MONTHS[done.repeat]),
                   previous_id=done.id, comments=0, created_at=now, updated_at=now)
        nxt.due = rules.next_due(done.due, done.repeat, anchor)
        nxt.due_key = nxt.due
        nxt.anchor_day = anchor
        if not task_events.audience(db, nxt, [nxt.assignee_id]):
            nxt.assignee_id = oc.user_id
        db.add(nxt)
        db.flush()
        done.next_id = nxt.id
        self._log_change(db, nxt, oc, "created", None, nxt.title)
        task_events.record(db, nxt, "task.assigned", [nxt.assignee_id], now, by=oc.user_id)
        audit.record(db, oc.ctx, "tasks.repeat", org_id=oc.org_id, object_type="task",
                     object_id=nxt.id,
                     summary=f"{nxt.title}: повтор задачи {done.id}, срок {nxt.due:%d.%m.%Y}")

    def _set_due(self, task: Task, due: date | None) -> None:
        task.due = due
        task.due_key = due or NO_DUE
        task.anchor_day = due.day if due else None

    def _check(self, db: Session, oc: OrgCtx, task: Task, *, links, assignee: bool) -> None:
        """A new assignee is an active member; each new link exists in the organisation; a
        task about an employee is for an assignee with payroll rights; a repeating task
        has a due date. (An assignee who has left since does not stop the others from
        closing or reassigning the task.)"""
        if assignee:
            role = db.scalar(select(Membership.role).where(
                Membership.org_id == oc.org_id, Membership.user_id == task.assignee_id,
                Membership.status == "active"))
            if role is None:
                raise ServiceError(422, "tasks.assignee_not_member")
            if task.employee_id and not sees_payroll(role):
                raise ServiceError(422, "tasks.assignee_no_payroll")
        for name in links:
            value = getattr(task, name)
            if name in LINK_MODELS and value is not None:
                model, code = LINK_MODELS[name]
                found = db.get(model, value)
                if found is None or found.org_id != oc.org_id:
                    raise ServiceError(422, code)
        if task.repeat != "none" and task.due is None:
            raise ServiceError(422, "tasks.repeat_needs_due")

    def _log_change(self, db: Session, task: Task, oc: OrgCtx, kind: str, old: str | None,
                    new: str | None, *, text: str | None = None) -> ChangeRow:
        row = ChangeRow(task_id=task.id, created_at=oc.ctx.now, user_id=oc.user_id, kind=kind,
                        old=old, new=new, text=text)
        db.add(row)
        db.flush()
        return row

    def _deny(self, db: Session, oc: OrgCtx, what: str, task_id: str | None, code: str) -> None:
        audit.record(db, oc.ctx, f"denied.tasks.{what}", org_id=oc.org_id, object_type="task",
                     object_id=task_id, outcome="denied", summary=audit.refusal(code, oc.role))

    def _emails(self, db: Session, user_ids) -> dict[str, str]:
        wanted = {u for u in user_ids if u}
        return dict(db.execute(select(User.id, User.email).where(User.id.in_(wanted))).all())

    def _find(self, db: Session, oc: OrgCtx, task_id: str, *, lock: bool = False) -> Task:
        task = db.get(Task, task_id, with_for_update=lock)
        if task is None or task.org_id != oc.org_id or not rules.may_see(
                oc.role, oc.user_id, task.author_id, task.assignee_id,
                task.employee_id is not None):
            raise ServiceError(404, "tasks.not_found")
        return task

    def _out(self, db: Session, oc: OrgCtx, task: Task) -> m.TaskOut:
        view = _View(db, oc.user_id, rules.today(oc.ctx.now))
        view.load([task], {oc.org_id: oc.role})
        return view.task(task)
