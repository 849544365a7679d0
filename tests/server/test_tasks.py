"""Tasks through the API: create, list, change, comment, history; filters and paging;
repetition; who sees and who may change what; the activity log; the events for the
notifications (and the due-date sweep, with a fixed clock); «Мои задачи» across
organisations; 304 on a repeated GET. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from server.db.models import AuditEvent, Task, TaskChange, UserEvent
from server.db.types import utcnow
from server.domain import tasks as rules
from server.domain.roles import Role
from server.services.task_events import sweep_due
from tests.both_databases import database_url, settings  # noqa: F401  (SQLite and PostgreSQL)
from tests.helpers import assert_problem, count, db, rows
from tests.org_helpers import Person, World, create_org, ip, join, two_orgs

TODAY = rules.today(utcnow())
EMPLOYEE = {"full_name": "Иванов Иван Иванович", "position": "Менеджер", "cost_account": "26",
            "hired_on": "2025-03-01", "salary": "100000.00", "pay_method": "cash"}
DOCUMENT = {"type": "cash_in", "date": "2026-03-05", "amount": "1000.00", "purpose": "Выручка"}


async def new_task(http: httpx.AsyncClient, who: Person, org_id: str, **body: Any) -> dict:
    resp = await http.post(f"/orgs/{org_id}/tasks", json={"title": "Задача", **body},
                           headers=who.h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def patch(http, who: Person, org_id: str, task_id: str, **body: Any) -> httpx.Response:
    return await http.patch(f"/orgs/{org_id}/tasks/{task_id}", json=body, headers=who.h)


async def listed(http, who: Person, path: str, **params: Any) -> list[dict]:
    resp = await http.get(path, params=params, headers=who.h)
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def titles(items: list[dict]) -> list[str]:
    return [t["title"] for t in items]


def events(app, user_id: str, kind: str | None = None) -> list[UserEvent]:
    where = [UserEvent.user_id == user_id]
    if kind:
        where.append(UserEvent.kind == kind)
    return sorted(rows(app, UserEvent, *where), key=lambda e: e.id)


@pytest.fixture
async def world(http) -> World:
    return await two_orgs(http)


# --- the life of a task ---------------------------------------------------------------


async def test_create_change_comment_and_history(http, server_app, world):
    org, boss, primary = world.org_id, world.owner, world.members[Role.PRIMARY]
    task = await new_task(http, boss, org, title="  Сверить выписку  ", assignee_id=primary.id,
                          due="2027-03-10", priority="high", description="Банк «Сбер»",
                          period="2027-02", deadline_id="ndfl_notice:2027-03-1")
    assert task["title"] == "Сверить выписку"
    assert (task["status"], task["priority"], task["due"]) == ("new", "high", "2027-03-10")
    assert (task["author_email"], task["assignee_email"]) == (boss.email, primary.email)
    assert task["org_short_name"] == world.org["short_name"]
    assert (task["overdue"], task["comments"], task["closed_at"]) == (False, 0, None)
    assert (task["period"], task["deadline_id"]) == ("2027-02", "ndfl_notice:2027-03-1")
    base = f"/orgs/{org}/tasks/{task['id']}"
    assert (await http.get(base, headers=primary.h)).json() == task

    resp = await patch(http, primary, org, task["id"], status="in_progress")
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "in_progress"
    resp = await http.post(f"{base}/comments", json={"text": "Жду выписку из банка"},
                           headers=primary.h)
    assert resp.status_code == 201, resp.text
    comment = resp.json()
    assert (comment["author_email"], comment["text"]) == (primary.email, "Жду выписку из банка")
    resp = await patch(http, boss, org, task["id"], status="done", due="2027-03-12",
                       priority="normal")
    done = resp.json()
    assert (done["status"], done["due"], done["comments"]) == ("done", "2027-03-12", 1)
    assert done["closed_at"] is not None

    history = (await http.get(f"{base}/history", headers=primary.h)).json()
    lines = [(h["kind"], h["user_email"], h["old"], h["new"]) for h in history["items"]]
    assert lines[0] == ("created", boss.email, None, "Сверить выписку")
    assert lines[1] == ("status", primary.email, "new", "in_progress")
    assert history["items"][2]["kind"] == "comment"
    assert history["items"][2]["text"] == "Жду выписку из банка"
    assert sorted(lines[3:]) == sorted([("status", boss.email, "in_progress", "done"),
                                        ("due", boss.email, "2027-03-10", "2027-03-12"),
                                        ("priority", boss.email, "high", "normal")])
    assert history["next_cursor"] is None
    page = (await http.get(f"{base}/history", params={"limit": 2}, headers=boss.h)).json()
    rest = (await http.get(f"{base}/history", params={"cursor": page["next_cursor"]},
                           headers=boss.h)).json()
    assert [h["id"] for h in page["items"] + rest["items"]] == \
        [h["id"] for h in history["items"]]

    # The activity log holds each change, with who did it.
    log = rows(server_app, AuditEvent, AuditEvent.org_id == org,
               AuditEvent.object_type == "task")
    actions = [(e.action, e.user_id) for e in sorted(log, key=lambda e: e.id)]
    assert actions == [("tasks.create", boss.id), ("tasks.update", primary.id),
                       ("tasks.comment", primary.id), ("tasks.update", boss.id)]
    summaries = [e.summary for e in sorted(log, key=lambda e: e.id)]
    assert f"исполнитель: — → {primary.email}" in summaries[0]
    assert "статус: новая → в работе" in summaries[1]
    assert "срок: 10.03.2027 → 12.03.2027" in summaries[3]

    # The events: the assignee hears of the assignment, the author of the comment; nobody
    # hears of what they did themselves.
    assigned = events(server_app, primary.id, "task.assigned")
    assert [json.loads(e.payload)["title"] for e in assigned] == ["Сверить выписку"]
    assert json.loads(assigned[0].payload)["by"] == boss.id
    assert [e.kind for e in events(server_app, boss.id)] == ["task.comment"]
    assert events(server_app, primary.id, "task.comment") == []
    own = await new_task(http, boss, org, title="Своя")
    assert own["assignee_id"] == boss.id
    assert [e.kind for e in events(server_app, boss.id)] == ["task.comment"]


async def test_refusals_of_a_new_task(http, server_app, world):
    org, boss = world.org_id, world.owner
    hr = world.members[Role.HR]

    async def refused(status: int, code: str, **body: Any) -> None:
        resp = await http.post(f"/orgs/{org}/tasks", json={"title": "Задача", **body},
                               headers=boss.h)
        assert_problem(resp, status, code)

    await refused(422, "validation.failed", title="   ")
    await refused(422, "validation.failed", period="2026-13")
    await refused(422, "validation.failed", deadline_id="ndfl notice")
    await refused(422, "validation.failed", priority="urgent")
    await refused(422, "tasks.assignee_not_member", assignee_id=world.stranger.id)
    await refused(422, "tasks.repeat_needs_due", repeat="monthly")
    # A blocked member gets no new tasks.
    resp = await http.patch(f"/orgs/{org}/members/{hr.id}", json={"status": "blocked"},
                            headers=boss.h)
    assert resp.status_code == 200, resp.text
    await refused(422, "tasks.assignee_not_member", assignee_id=hr.id)
    # Links: the object must be in this organisation.
    resp = await http.post(f"/orgs/{world.other_org['id']}/documents", json=DOCUMENT,
                           headers=world.stranger.h)
    assert resp.status_code == 201, resp.text
    await refused(422, "tasks.document_not_found", document_id=resp.json()["id"])
    resp = await http.post(f"/orgs/{org}/documents", json=DOCUMENT, headers=boss.h)
    linked = await new_task(http, boss, org, document_id=resp.json()["id"])
    assert linked["document_id"] == resp.json()["id"]
    await refused(422, "tasks.entry_not_found", entry_id="00000000-0000-4000-8000-000000000000")
    assert count(server_app, Task) == 1


# --- who sees what, who may change what ------------------------------------------------


async def test_visibility_per_role(http, server_app, world):
    org, boss = world.org_id, world.owner
    m = world.members
    await new_task(http, boss, org, title="Первичке", assignee_id=m[Role.PRIMARY].id)
    await new_task(http, boss, org, title="Кадровику", assignee_id=m[Role.HR].id)
    own = await new_task(http, m[Role.PRIMARY], org, title="Сама себе")
    resp = await http.post(f"/orgs/{org}/employees", json=EMPLOYEE, headers=boss.h)
    employee_id = resp.json()["id"]
    about = await new_task(http, boss, org, title="Отпуск Иванова", assignee_id=m[Role.HR].id,
                           employee_id=employee_id)
    path = f"/orgs/{org}/tasks"
    everything = ["Первичке", "Кадровику", "Сама себе", "Отпуск Иванова"]
    assert sorted(titles(await listed(http, m[Role.DIRECTOR], path))) == sorted(everything)
    assert sorted(titles(await listed(http, boss, path))) == sorted(everything)
    assert sorted(titles(await listed(http, m[Role.PRIMARY], path))) == ["Первичке",
                                                                         "Сама себе"]
    assert sorted(titles(await listed(http, m[Role.HR], path))) == ["Кадровику",
                                                                    "Отпуск Иванова"]
    assert await listed(http, m[Role.OBSERVER], path) == []
    # What is not yours is «not found», for the card, its history and a change alike.
    for who in (m[Role.HR], m[Role.OBSERVER]):
        for method, suffix, body in (("GET", "", None), ("GET", "/history", None),
                                     ("PATCH", "", {"status": "done"}),
                                     ("POST", "/comments", {"text": "?"})):
            resp = await http.request(method, f"{path}/{own['id']}{suffix}", json=body,
                                      headers=who.h)
            assert_problem(resp, 404, "tasks.not_found")
    assert (await http.get(f"{path}/{own['id']}", headers=m[Role.DIRECTOR].h)).status_code == 200

    # Pay is private: a task about an employee is for roles with payroll rights only.
    boss_primary = await new_task(http, boss, org, title="Про первичку",
                                  assignee_id=m[Role.PRIMARY].id)
    resp = await patch(http, boss, org, boss_primary["id"], employee_id=employee_id)
    assert_problem(resp, 422, "tasks.assignee_no_payroll")
    resp = await http.post(path, json={"title": "Премия", "employee_id": employee_id,
                                       "assignee_id": m[Role.PRIMARY].id}, headers=boss.h)
    assert_problem(resp, 422, "tasks.assignee_no_payroll")
    resp = await http.post(path, json={"title": "Премия", "employee_id": employee_id},
                           headers=m[Role.PRIMARY].h)
    assert_problem(resp, 403, "tasks.employee_forbidden")
    assert count(server_app, AuditEvent, AuditEvent.action == "denied.tasks.create") == 1
    # The author without payroll rights does not see it either, even as its author: an
    # accountant who becomes a primary loses the tasks about employees.
    accountant2 = await join(http, boss, org, "second@example.ru", "accountant")
    theirs = await new_task(http, accountant2, org, title="Справка для Иванова",
                            assignee_id=m[Role.HR].id, employee_id=employee_id)
    resp = await http.patch(f"/orgs/{org}/members/{accountant2.id}", json={"role": "primary"},
                            headers=boss.h)
    assert resp.status_code == 200, resp.text
    assert_problem(await http.get(f"{path}/{theirs['id']}", headers=accountant2.h), 404,
                   "tasks.not_found")
    assert "Справка для Иванова" not in titles(await listed(http, accountant2, path))
    assert about["id"] in [t["id"] for t in await listed(http, m[Role.HR], path)]


async def test_who_may_change_what(http, server_app, world):
    org, boss = world.org_id, world.owner
    m = world.members
    primary, hr, director = m[Role.PRIMARY], m[Role.HR], m[Role.DIRECTOR]
    task = await new_task(http, boss, org, title="Акт сверки", assignee_id=primary.id)
    tid = task["id"]
    # The assignee moves the status, never the task itself.
    assert (await patch(http, primary, org, tid, status="waiting")).status_code == 200
    assert_problem(await patch(http, primary, org, tid, assignee_id=hr.id), 403,
                   "tasks.reassign_forbidden")
    assert_problem(await patch(http, primary, org, tid, title="Другое"), 403,
                   "tasks.edit_forbidden")
    assert_problem(await patch(http, primary, org, tid, status="done", due="2027-01-01"), 403,
                   "tasks.edit_forbidden")
    denied = rows(server_app, AuditEvent, AuditEvent.action == "denied.tasks.update")
    # In words (issue #12 pt 9), not the codes «tasks.edit_forbidden».
    edit = "Изменить задачу могут автор, директор и бухгалтер; исполнитель меняет только статус"
    reassign = "Передать задачу другому исполнителю могут автор, директор и бухгалтер"
    assert sorted(e.summary for e in denied) == [edit, edit, reassign]
    assert all(e.user_id == primary.id and e.outcome == "denied" for e in denied)
    card = (await http.get(f"/orgs/{org}/tasks/{tid}", headers=boss.h)).json()
    assert (card["status"], card["title"], card["due"]) == ("waiting", "Акт сверки", None)
    # The director reassigns; the new assignee hears of it, the old one loses sight of it.
    resp = await patch(http, director, org, tid, assignee_id=hr.id)
    assert resp.status_code == 200, resp.text
    assert resp.json()["assignee_email"] == hr.email
    assert [e.object_id for e in events(server_app, hr.id, "task.assigned")] == [tid]
    assert_problem(await http.get(f"/orgs/{org}/tasks/{tid}", headers=primary.h), 404,
                   "tasks.not_found")
    history = (await http.get(f"/orgs/{org}/tasks/{tid}/history", headers=boss.h)).json()
    assert ("assignee", director.email, primary.email, hr.email) in [
        (h["kind"], h["user_email"], h["old"], h["new"]) for h in history["items"]]
    # A task set by the primary: its author reassigns it; the assignee (hr) may not.
    theirs = await new_task(http, primary, org, title="Платёжки", assignee_id=hr.id)
    assert_problem(await patch(http, hr, org, theirs["id"], assignee_id=primary.id), 403,
                   "tasks.reassign_forbidden")
    resp = await patch(http, primary, org, theirs["id"], assignee_id=director.id,
                       title="Подписать платёжки")
    assert resp.status_code == 200, resp.text
    # The same value again changes (and logs) nothing.
    before = count(server_app, AuditEvent, AuditEvent.action == "tasks.update")
    assert (await patch(http, primary, org, theirs["id"], assignee_id=director.id)).status_code \
        == 200
    assert count(server_app, AuditEvent, AuditEvent.action == "tasks.update") == before
    # Reassigning to somebody outside is refused and changes nothing.
    assert_problem(await patch(http, boss, org, tid, assignee_id=world.stranger.id), 422,
                   "tasks.assignee_not_member")
    assert count(server_app, TaskChange, TaskChange.task_id == tid,
                 TaskChange.kind == "assignee") == 1
    # Clearing what cannot be cleared is a validation error.
    resp = await patch(http, boss, org, tid, status=None)
    assert_problem(resp, 422, "validation.failed")


# --- filters, paging, «Мои задачи», ETag --------------------------------------------------


async def test_filters_and_paging(http, world):
    org, boss = world.org_id, world.owner
    primary = world.members[Role.PRIMARY]
    past, soon = TODAY - timedelta(days=3), TODAY + timedelta(days=10)
    specs = [("Просрочена", past, boss, "new"), ("Сделана в срок", past, boss, "done"),
             ("Скоро", soon, primary, "in_progress"), ("Потом", soon + timedelta(days=30),
                                                       primary, "new"),
             ("Без срока", None, boss, "waiting"), ("Тоже скоро", soon, boss, "new")]
    for title, due, who, status in specs:
        task = await new_task(http, boss, org, title=title, assignee_id=who.id,
                              due=due.isoformat() if due else None)
        if status != "new":
            assert (await patch(http, boss, org, task["id"], status=status)).status_code == 200
    path = f"/orgs/{org}/tasks"
    # By due date, those without one last (same due: by id).
    everything = await listed(http, boss, path)
    assert titles(everything)[:2] in (["Просрочена", "Сделана в срок"],
                                      ["Сделана в срок", "Просрочена"])
    assert titles(everything)[-2:] == ["Потом", "Без срока"]
    overdue = {t["title"]: t["overdue"] for t in everything}
    assert overdue == {title: title == "Просрочена" for title, *_ in specs}
    assert titles(await listed(http, boss, path, overdue="true")) == ["Просрочена"]
    assert sorted(titles(await listed(http, boss, path, status=["new", "waiting"]))) == \
        ["Без срока", "Потом", "Просрочена", "Тоже скоро"]
    assert sorted(titles(await listed(http, boss, path, assignee=primary.id))) == \
        ["Потом", "Скоро"]
    assert sorted(titles(await listed(http, boss, path, due_after=soon.isoformat(),
                                      due_before=soon.isoformat()))) == ["Скоро", "Тоже скоро"]
    assert titles(await listed(http, boss, path, due_before=past.isoformat(),
                               status="done")) == ["Сделана в срок"]
    resp = await http.get(path, params={"status": "lost"}, headers=boss.h)
    assert_problem(resp, 422, "validation.failed")
    # Paging: every task once, in the same order, two at a time.
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await http.get(path, params=params, headers=boss.h)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [t["id"] for t in seen] == [t["id"] for t in everything]
    assert_problem(await http.get(path, params={"cursor": "bm9wZQ"}, headers=boss.h), 422,
                   "validation.cursor")


async def test_my_tasks_across_two_organisations(http, server_app, world):
    org, boss = world.org_id, world.owner
    primary = world.members[Role.PRIMARY]
    # The primary accountant of «Ромашка» keeps the books of their own ИП too.
    own_org = await create_org(http, primary, ip(short_name="ИП Сидоров"))
    due = (TODAY + timedelta(days=5)).isoformat()
    await new_task(http, boss, org, title="В Ромашке", assignee_id=primary.id, due=due)
    await new_task(http, boss, org, title="Не мне", assignee_id=world.members[Role.HR].id)
    await new_task(http, primary, own_org["id"], title="У себя")
    await new_task(http, primary, own_org["id"], title="Давно пора",
                   due=(TODAY - timedelta(days=1)).isoformat())
    mine = await listed(http, primary, "/me/tasks")
    assert titles(mine) == ["Давно пора", "В Ромашке", "У себя"]
    assert [t["org_short_name"] for t in mine] == ["ИП Сидоров", world.org["short_name"],
                                                   "ИП Сидоров"]
    assert [t["org_id"] for t in mine] == [own_org["id"], org, own_org["id"]]
    assert titles(await listed(http, primary, "/me/tasks", overdue="true")) == ["Давно пора"]
    assert titles(await listed(http, primary, "/me/tasks", due_after=due)) == ["В Ромашке"]
    page = (await http.get("/me/tasks", params={"limit": 2}, headers=primary.h)).json()
    rest = await listed(http, primary, "/me/tasks", cursor=page["next_cursor"])
    assert titles(page["items"] + rest) == titles(mine)
    assert titles(await listed(http, boss, "/me/tasks")) == []
    # A blocked membership hides that organisation's tasks.
    resp = await http.patch(f"/orgs/{org}/members/{primary.id}", json={"status": "blocked"},
                            headers=boss.h)
    assert resp.status_code == 200, resp.text
    assert titles(await listed(http, primary, "/me/tasks")) == ["Давно пора", "У себя"]
    assert_problem(await http.get("/me/tasks"), 401, "auth.unauthorized")


async def test_a_repeated_get_is_a_304(http, world):
    org, boss = world.org_id, world.owner
    task = await new_task(http, boss, org, title="Проверить кассу")
    tags = {}
    for path in (f"/orgs/{org}/tasks", "/me/tasks", f"/orgs/{org}/tasks/{task['id']}",
                 f"/orgs/{org}/tasks/{task['id']}/history"):
        first = await http.get(path, headers=boss.h)
        assert first.status_code == 200 and first.headers["etag"]
        again = await http.get(path, headers={**boss.h, "If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        tags[path] = first.headers["etag"]
    await http.post(f"/orgs/{org}/tasks/{task['id']}/comments", json={"text": "Сделано"},
                    headers=boss.h)
    for path in (f"/orgs/{org}/tasks", "/me/tasks"):
        changed = await http.get(path, headers={**boss.h, "If-None-Match": tags[path]})
        assert changed.status_code == 200, path  # the comment count changed


# --- repetition (the date rules with worked examples: tests/domain/test_task_rules.py) -----


async def test_a_done_repeating_task_is_followed_by_the_next(http, server_app, world):
    org, boss = world.org_id, world.owner
    hr = world.members[Role.HR]
    first = await new_task(http, boss, org, title="Отчёт за месяц", assignee_id=hr.id,
                           due="2027-01-31", repeat="monthly", period="2027-01",
                           deadline_id="report:2027-01-31")
    # 31.01.2027 → 28.02.2027 → 31.03.2027: the series keeps the 31st where it can.
    dues, task, next_ids = [], first, []
    for _ in range(2):
        resp = await patch(http, hr, org, task["id"], status="done")
        assert resp.status_code == 200, resp.text
        done = resp.json()
        assert done["next_id"]
        next_ids.append(done["next_id"])
        task = (await http.get(f"/orgs/{org}/tasks/{done['next_id']}", headers=hr.h)).json()
        assert (task["status"], task["repeat"], task["previous_id"]) == ("new", "monthly",
                                                                        done["id"])
        assert (task["author_id"], task["assignee_id"]) == (boss.id, hr.id)
        assert task["deadline_id"] is None
        dues.append((task["due"], task["period"]))
    assert dues == [("2027-02-28", "2027-02"), ("2027-03-31", "2027-03")]
    # Reopened and done again, it is not repeated twice.
    assert (await patch(http, hr, org, first["id"], status="in_progress")).json()[
        "closed_at"] is None
    again = (await patch(http, hr, org, first["id"], status="done")).json()
    assert again["next_id"] == next_ids[0]
    assert count(server_app, Task, Task.org_id == org) == 3
    assert count(server_app, AuditEvent, AuditEvent.action == "tasks.repeat") == 2
    # The assignee does not hear of the next one they caused themselves; a quarterly one
    # closed by the director is announced to its assignee.
    assert [e.object_id for e in events(server_app, hr.id, "task.assigned")] == [first["id"]]
    quarterly = await new_task(http, boss, org, title="РСВ", assignee_id=hr.id,
                               due="2026-11-30", repeat="quarterly")
    resp = await patch(http, world.members[Role.DIRECTOR], org, quarterly["id"], status="done")
    nxt = (await http.get(f"/orgs/{org}/tasks/{resp.json()['next_id']}", headers=hr.h)).json()
    assert nxt["due"] == "2027-02-28"
    assert len(events(server_app, hr.id, "task.assigned")) == 3
    # Cancelled, a repeating task is not repeated.
    cancelled = (await patch(http, boss, org, nxt["id"], status="cancelled")).json()
    assert cancelled["next_id"] is None and cancelled["closed_at"]


# --- the due-date sweep -----------------------------------------------------------------------


def msk(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=rules.MOSCOW).astimezone(UTC)


async def test_sweep_records_due_soon_and_overdue_once(http, server_app, world):
    org, boss = world.org_id, world.owner
    primary = world.members[Role.PRIMARY]
    day = date(2027, 3, 9)
    tomorrow = await new_task(http, boss, org, title="Завтра", assignee_id=primary.id,
                              due="2027-03-10")
    late = await new_task(http, boss, org, title="Вчера", assignee_id=primary.id,
                          due="2027-03-08")
    await new_task(http, boss, org, title="Через неделю", assignee_id=primary.id,
                   due="2027-03-16")
    closed = await new_task(http, boss, org, title="Сделана", assignee_id=primary.id,
                            due="2027-03-01")
    await patch(http, boss, org, closed["id"], status="done")
    own = await new_task(http, primary, org, title="Своя просрочка", due="2027-03-01")

    def kinds(user: Person) -> list[tuple[str, str]]:
        return [(e.kind, json.loads(e.payload)["title"]) for e in events(server_app, user.id)
                if e.kind.startswith(("task.due", "task.over"))]

    # 00:30 in Moscow on 09.03 is still 08.03 in UTC: the day is Moscow's.
    with db(server_app) as s:
        assert sweep_due(s, msk(day, 0) + timedelta(minutes=30)) == 4
    assert sorted(kinds(primary)) == [("task.due_soon", "Завтра"), ("task.overdue", "Вчера"),
                                      ("task.overdue", "Своя просрочка")]
    assert kinds(boss) == [("task.overdue", "Вчера")]
    # Idempotent: the same clock, or a later one on the same due dates, records nothing.
    with db(server_app) as s:
        assert sweep_due(s, msk(day, 18)) == 0
        assert sweep_due(s, msk(day, 23)) == 0
    # The next day «Завтра» is due today: still due soon, already told; then overdue.
    with db(server_app) as s:
        assert sweep_due(s, msk(day + timedelta(days=1), 9)) == 0
        assert sweep_due(s, msk(day + timedelta(days=2), 9)) == 2  # assignee and author
    # A new due date is told about again.
    await patch(http, boss, org, late["id"], due="2027-03-12")
    with db(server_app) as s:
        assert sweep_due(s, msk(date(2027, 3, 11), 9)) == 1
        assert sweep_due(s, msk(date(2027, 3, 11), 10)) == 0
    assert ("task.due_soon", "Вчера") in kinds(primary)
    dedupe = [e.dedupe_key for e in rows(server_app, UserEvent) if e.dedupe_key]
    assert len(dedupe) == len(set(dedupe)) == 7
    assert {e.object_id for e in rows(server_app, UserEvent, UserEvent.kind == "task.overdue")
            } == {late["id"], own["id"], tomorrow["id"]}


async def test_the_delivery_worker_sweeps(http, server_app, world):
    org, boss = world.org_id, world.owner
    primary = world.members[Role.PRIMARY]
    late = await new_task(http, boss, org, title="Просрочена", assignee_id=primary.id,
                          due=(TODAY - timedelta(days=2)).isoformat())
    server_app.state.outbox.housekeeping()
    server_app.state.outbox.housekeeping()
    assert [(e.kind, e.object_id) for e in events(server_app, primary.id, "task.overdue")] == \
        [("task.overdue", late["id"])]


async def test_an_assignee_who_left_and_the_observers_view(http, server_app, world):
    org, boss = world.org_id, world.owner
    hr, observer = world.members[Role.HR], world.members[Role.OBSERVER]
    task = await new_task(http, boss, org, title="Табель", assignee_id=hr.id)
    resp = await http.delete(f"/orgs/{org}/members/{hr.id}", headers=boss.h)
    assert resp.status_code == 204, resp.text
    # The one who left does not stop the others: the task is closed or handed on.
    assert (await patch(http, boss, org, task["id"], status="waiting")).status_code == 200
    resp = await patch(http, boss, org, task["id"], assignee_id=observer.id)
    assert resp.status_code == 200, resp.text
    # The observer sees its own address, and the others' masked (as in the team list).
    card = (await http.get(f"/orgs/{org}/tasks/{task['id']}", headers=observer.h)).json()
    assert card["assignee_email"] == observer.email
    assert card["author_email"] == "o…@example.ru" != boss.email
    history = (await http.get(f"/orgs/{org}/tasks/{task['id']}/history",
                              headers=observer.h)).json()
    assert ("assignee", "h…@example.ru", observer.email) in [
        (h["kind"], h["old"], h["new"]) for h in history["items"]]
    assert boss.email not in json.dumps(history) and hr.email not in json.dumps(history)


async def test_a_retried_create_makes_one_task(http, server_app, world):
    org, boss = world.org_id, world.owner
    headers = {**boss.h, "Idempotency-Key": "5b0c4a1e-7d1e-4f5a-9c1d-2b3e4f5a6b7c"}
    body = {"title": "Один раз"}
    first = await http.post(f"/orgs/{org}/tasks", json=body, headers=headers)
    again = await http.post(f"/orgs/{org}/tasks", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert count(server_app, Task, Task.org_id == org) == 1
    assert count(server_app, AuditEvent, AuditEvent.action == "tasks.create") == 1
