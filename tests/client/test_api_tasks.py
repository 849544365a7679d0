"""TasksApi against the real server app (httpx.ASGITransport): create, change only what is
sent, comment, history, the lists with their filters, «Мои задачи», typed refusals."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from client.api import ApiClient
from client.areas.tasks import TasksApi
from client.errors import NotFound, ValidationFailed
from core import contract as m
from tests.conftest import PASSWORD, register
from tests.org_helpers import next_phone, ooo


@pytest.fixture
async def api(server_app, http):
    await register(http, email="owner@example.ru", phone=next_phone())
    client = ApiClient(base_url="http://test", server_key="test",
                       transport=httpx.ASGITransport(app=server_app), store=None,
                       backoff_s=(0,))
    await client.auth.login("owner@example.ru", PASSWORD, remember=False)
    yield client
    await client.aclose()


def tasks_of(api: ApiClient) -> TasksApi:
    # ``api.tasks`` once client/api.py attaches the area; built here until then.
    return api.tasks


async def test_tasks_through_the_client(api):
    tasks = tasks_of(api)
    org = await api.orgs.create(m.OrgIn(**ooo()))
    first = await tasks.create(org.id, m.TaskIn(title="Сдать 6-НДФЛ", due=date(2027, 4, 27),
                                                priority="high", repeat="quarterly",
                                                period="2027-Q1"))
    assert isinstance(first, m.TaskOut)
    assert (first.status, first.org_short_name, first.overdue) == ("new", "ООО «Ромашка»",
                                                                   False)
    second = await tasks.create(org.id, m.TaskIn(title="Без срока",
                                                 description="Позвонить в банк"))
    # Only what is set is sent: the due date and the description stay.
    changed = await tasks.change(org.id, first.id, m.TaskPatch(priority="low"))
    assert (changed.priority, changed.due, changed.period) == ("low", date(2027, 4, 27),
                                                               "2027-Q1")
    cleared = await tasks.change(org.id, second.id, m.TaskPatch(description=None))
    assert cleared.description is None
    started = await tasks.set_status(org.id, first.id, "in_progress")
    assert started.status == "in_progress"
    comment = await tasks.comment(org.id, first.id, "Жду данные по зарплате")
    assert comment.text == "Жду данные по зарплате"
    history = await tasks.history(org.id, first.id)
    assert [h.kind for h in history.items] == ["created", "priority", "status", "comment"]

    page = await tasks.list(org.id, limit=1)
    assert [t.title for t in page.items] == ["Сдать 6-НДФЛ"] and page.next_cursor
    rest = await tasks.list(org.id, cursor=page.next_cursor)
    assert [t.title for t in rest.items] == ["Без срока"]
    only_new = await tasks.list(org.id, statuses=["new", "waiting"])
    assert [t.title for t in only_new.items] == ["Без срока"]
    assert (await tasks.list(org.id, due_after=date(2027, 4, 27))).items[0].id == first.id
    assert (await tasks.list(org.id, overdue=True)).items == []
    mine = await tasks.mine(statuses=["in_progress"])
    assert [(t.title, t.org_id) for t in mine.items] == [("Сдать 6-НДФЛ", org.id)]
    done = await tasks.set_status(org.id, first.id, "done")
    following = await tasks.get(org.id, done.next_id)
    assert (following.due, following.period) == (date(2027, 7, 27), "2027-Q2")

    with pytest.raises(NotFound):
        await tasks.get(org.id, "00000000-0000-4000-8000-000000000000")
    with pytest.raises(ValidationFailed):
        await tasks.create(org.id, m.TaskIn(title="Каждый месяц", repeat="monthly"))
