"""The queue screen at 80x24: writes made offline, waiting or refused with the server's
reason; r sends a refused one again, Delete discards one (asked first), s sends now.

The server app in process behind a switch that refuses connections like a stopped server.
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from textual.widgets import DataTable

from client.api import ApiClient
from client.paths import credentials_path
from client.session import SessionStore
from core import contract as m
from screens.account.queue import QueueScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_org_screens import sign_in
from tests.tui.test_palette_commands import search
from tui.app import BuhtaApp
from tui.dialogs.confirm import ConfirmDialog

SIZE = (80, 24)


class Switch(httpx.AsyncBaseTransport):
    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def link_api(server_app):
    link = Switch(server_app)
    api = ApiClient(base_url="http://test", server_key="queue-screen", transport=link,
                    store=SessionStore(credentials_path()), backoff_s=(0,), retries=1)
    yield api, link
    await api.aclose()


def entry(day: date, text: str) -> m.EntryIn:
    return m.EntryIn.model_validate({
        "date": day.isoformat(), "description": text,
        "postings": [{"debit": "51", "credit": "80", "amount": "100.00"}]})


async def test_waiting_and_refused_writes_resend_and_discard(link_api, http):
    from client.write_queue import WriteQueued

    api, link = link_api
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    last_month = (date.today().replace(day=1) - date.resolution).replace(day=5)
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await settle(pilot, until=lambda: app.org is not None)
        link.down = True
        for day, text in ((last_month, "Прошлый месяц"), (date.today(), "Этот месяц")):
            with pytest.raises(WriteQueued):
                await api.ledger.post_entry(org["id"], entry(day, text))
        assert api.offline.counts() == (2, 0)

        await pilot.press("l")  # the shell's key
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert screen.query_one(DataTable).row_count == 2
        text = screen_text(app)
        assert "Проводка: Прошлый месяц" in text and "ждёт связи" in text

        # Meanwhile the last month is closed at the office; the link comes back.
        period = f"{last_month:%Y-%m}"
        (await http.post(f"/orgs/{org['id']}/periods/{period}/close",
                         headers=h)).raise_for_status()
        link.down = False
        await pilot.press("s")
        await settle(pilot, until=lambda: api.offline.counts() == (0, 1))
        assert api.offline.counts() == (0, 1)
        assert screen.query_one(DataTable).row_count == 1
        text = screen_text(app)
        assert "отказ:" in text and "Причина:" in text and "закрыт" in text
        assert f"{last_month:%m.%Y}" in text  # the server's reason, in Russian

        await pilot.press("r")  # sent again: still closed, still refused
        await settle(pilot)
        assert api.offline.counts() == (0, 1)

        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # not now
        await settle(pilot)
        assert app.screen is screen and api.offline.counts() == (0, 1)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen and api.offline.counts() == (0, 0)
        assert "Очередь пуста" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, QueueScreen)

    items = (await http.get(f"/orgs/{org['id']}/entries", headers=h,
                            params={"limit": 100})).json()["items"]
    assert [e["description"] for e in items] == ["Этот месяц"]


async def test_the_queue_is_in_the_palette(link_api, http):
    api, _ = link_api
    await register(http)
    h = bearer(await login(http))
    await http.post("/orgs", json=ORG, headers=h)
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await settle(pilot, until=lambda: app.org is not None)
        found = await search(pilot, "очередь")
        assert any(line.startswith("Очередь") for line in found), found
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert "Очередь пуста" in screen_text(app)
