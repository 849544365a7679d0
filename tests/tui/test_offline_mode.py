"""The offline mode of the real TUI at 80x24 against a real ``buhta-server`` process.

Mid-session the server is stopped: the journal and «Сводка» still show what was last
received, the status line says «Нет связи — данные на ЧЧ:ММ дд.мм (… назад)», an entry
made then is kept in the queue with «запись сохранена и будет отправлена при появлении
связи», the queue screen lists it as waiting. The server is started again: the app
notices by itself, sends the queue in order, says so, and the books hold the entry once.
A second start of the app with the server down opens straight into the offline mode with
the data kept on disk and its age.
"""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest
from textual.widgets import DataTable

from client.api import ApiClient
from client.paths import credentials_path
from client.session import SessionStore
from screens.account.queue import QueueScreen
from screens.dashboard.view import DashboardScreen
from screens.ledger.entry_form import EntryFormScreen
from screens.ledger.journal import LedgerScreen
from tests.conftest import PASSWORD
from tests.e2e.test_crash_idempotency import ServerProcess, _books
from tests.tui.conftest import screen_text, settle, type_text
from tui import traffic
from tui.app import BuhtaApp
from tui.traffic import TrafficLine

SIZE = (80, 24)
EMAIL = "ivan@example.ru"
SERVER_KEY = "offline-tui-test"


@pytest.fixture
def server(tmp_path):
    proc = ServerProcess(f"sqlite:///{tmp_path / 'server.sqlite3'}", tmp_path / "server.log")
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture(autouse=True)
def _quick_sync(monkeypatch):
    monkeypatch.setattr(traffic, "SYNC_EVERY_S", 0.5)


def make_api(server: ServerProcess) -> ApiClient:
    """As ``buhta --server URL`` builds it, with short retries (the test's patience)."""
    return ApiClient(base_url=server.base, server_key=SERVER_KEY, retries=1, backoff_s=(0,),
                     timeout_s=5, store=SessionStore(credentials_path()))


async def seeded(server: ServerProcess) -> tuple[dict[str, str], str]:
    headers, org = await _books(server.base)
    async with httpx.AsyncClient(base_url=server.base, headers=headers, timeout=30) as http:
        body = {"date": date.today().replace(day=1).isoformat(), "description": "Аренда офиса",
                "postings": [{"debit": "51", "credit": "80", "amount": "15000.00"}]}
        (await http.post(f"{org}/entries", json=body,
                         headers={"Idempotency-Key": "seed-1"})).raise_for_status()
    return headers, org


async def descriptions(server: ServerProcess, headers: dict[str, str], org: str) -> list[str]:
    async with httpx.AsyncClient(base_url=server.base, headers=headers, timeout=30) as http:
        page = (await http.get(f"{org}/entries", params={"limit": 100})).json()
    return [e["description"] for e in page["items"]]


def line(app: BuhtaApp) -> str:
    found = app.screen.query(TrafficLine)
    return str(found.first().shown) if found else ""


async def signed_in_app(server: ServerProcess) -> tuple[BuhtaApp, ApiClient]:
    api = make_api(server)
    await api.auth.login(EMAIL, PASSWORD, remember=True)  # the device is remembered
    await api.aclose()
    api = make_api(server)
    return BuhtaApp(api=api), api


async def on_dashboard(pilot, app: BuhtaApp) -> None:
    await settle(pilot, timeout_s=60, until=lambda: isinstance(app.screen, DashboardScreen)
                 and app.screen.data is not None and bool(line(app)))


async def test_server_stopped_mid_session_then_back(server, tmp_path):
    headers, org = await seeded(server)
    app, api = await signed_in_app(server)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await on_dashboard(pilot, app)
            assert line(app).startswith("в сети")
            assert "↑" in line(app) and "↓" in line(app)
            await pilot.press("2")
            await settle(pilot, timeout_s=30, until=lambda: isinstance(app.screen, LedgerScreen)
                         and bool(app.screen.entries))
            await pilot.press("n")  # the form once online: the chart of accounts kept too
            await settle(pilot, timeout_s=30)
            assert isinstance(app.screen, EntryFormScreen)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("1")
            await on_dashboard(pilot, app)

            await asyncio.to_thread(server.stop)  # the link is gone

            await pilot.press("2")  # back to the journal: read from what was kept
            await settle(pilot, timeout_s=30, until=lambda: isinstance(app.screen, LedgerScreen)
                         and "Нет связи" in line(app))
            text = screen_text(app)
            assert "Аренда офиса" in text
            assert "Нет связи — данные на " in text and "(только что)" in text
            assert not api.offline.online

            # An entry made offline: kept in the queue, the user told so.
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, EntryFormScreen)
            await type_text(pilot, "1")
            await pilot.press("tab")
            await type_text(pilot, "Оплата поставщику офлайн")
            await pilot.press("tab")
            await type_text(pilot, "51")
            await pilot.press("tab")
            await type_text(pilot, "80")
            await pilot.press("tab")
            await type_text(pilot, "1 000,00")
            await settle(pilot)
            await pilot.press("f2")
            # Kept in the queue, the form is done: the user is told and back at the journal
            # (a second F2 on a form left open would queue a copy under a new key).
            await settle(pilot, timeout_s=30,
                         until=lambda: isinstance(app.screen, LedgerScreen))
            notes = [n.message for n in app._notifications]
            assert "Запись сохранена и будет отправлена при появлении связи" in notes, notes
            assert api.offline.counts() == (1, 0)
            assert isinstance(app.screen, LedgerScreen)
            await settle(pilot, timeout_s=5, until=lambda: "в очереди: 1" in line(app))
            assert "в очереди: 1" in line(app)

            # The queue screen: the entry, waiting for the link.
            await pilot.press("f9")
            await settle(pilot, until=lambda: isinstance(app.screen, QueueScreen))
            assert isinstance(app.screen, QueueScreen)
            table = app.screen.query_one(DataTable)
            assert table.row_count == 1
            text = screen_text(app)
            assert "Проводка: Оплата поставщику офлайн" in text and "ждёт связи" in text
            await pilot.press("escape")
            await settle(pilot)

            await asyncio.to_thread(server.start)  # the link is back
            await settle(pilot, timeout_s=60, until=lambda: api.offline.online
                         and api.offline.counts() == (0, 0) and line(app).startswith("в сети"))
            assert api.offline.counts() == (0, 0)
            assert line(app).startswith("в сети") and "в очереди" not in line(app)
            notes = [n.message for n in app._notifications]
            assert any("Связь восстановлена" in n for n in notes), notes
            assert any("отправлено по порядку 1" in n for n in notes), notes
    finally:
        await api.aclose()
    found = await descriptions(server, headers, org)
    assert found.count("Оплата поставщику офлайн") == 1


async def test_the_app_opens_offline_with_the_kept_data(server):
    await seeded(server)
    app, api = await signed_in_app(server)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await on_dashboard(pilot, app)
    finally:
        await api.aclose()

    await asyncio.to_thread(server.stop)
    api = make_api(server)
    app = BuhtaApp(api=api)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, timeout_s=60, until=lambda: app.org is not None
                         and isinstance(app.screen, DashboardScreen)
                         and app.screen.data is not None and "Нет связи" in line(app))
            text = screen_text(app)
            assert "Ромашка" in text
            assert "Нет связи — данные на " in text
            assert api.offline.online is False

            await asyncio.to_thread(server.start)
            await settle(pilot, timeout_s=60, until=lambda: line(app).startswith("в сети"))
            assert api.offline.online
            await pilot.press("2")  # the session goes on online (its tokens renewed if due)
            await settle(pilot, timeout_s=30, until=lambda: isinstance(app.screen, LedgerScreen)
                         and bool(app.screen.entries))
            assert "Аренда офиса" in screen_text(app)
    finally:
        await api.aclose()
