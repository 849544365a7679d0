"""The on-disk answer cache (client.cache, client.offline) against the real server app.

A restart asks again with If-None-Match from the disk and gets a 304; a corrupt file
reads as absent; signing out drops the user's answers; remembering off keeps nothing on
disk; with the server unreachable a GET is answered from the cache, marked stale.
"""

from __future__ import annotations

import sqlite3
import time

import httpx
import pytest

from client.api import ApiClient
from client.cache import FILE_NAME, AnswerCache, cache_dir
from client.errors import NetworkError
from client.offline import STALE_HEADER
from client.paths import credentials_path
from client.session import SessionStore
from tests.conftest import PASSWORD, register

EMAIL = "ivan@example.ru"
OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}


class Switch(httpx.AsyncBaseTransport):
    """The server app, or (``down``) a server that refuses connections, like a stopped one."""

    def __init__(self, app) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def make_api(server_app):
    made: list[ApiClient] = []

    def make(*, remember_allowed: bool = True) -> tuple[ApiClient, Switch]:
        link = Switch(server_app)
        api = ApiClient(base_url="http://test", server_key="test", transport=link,
                        store=SessionStore(credentials_path(), enabled=remember_allowed),
                        backoff_s=(0,), retries=1)
        made.append(api)
        return api, link

    yield make
    for api in made:
        await api.aclose()


def cache_file():
    return cache_dir() / FILE_NAME


def rows_on_disk() -> int:
    """The kept answers (not the remembered device's own record of its user)."""
    if not cache_file().exists():
        return 0
    with sqlite3.connect(cache_file()) as db:
        return db.execute("SELECT count(*) FROM answers WHERE user_id NOT LIKE 'device:%'"
                          ).fetchone()[0]


def device_rows() -> int:
    with sqlite3.connect(cache_file()) as db:
        return db.execute("SELECT count(*) FROM answers WHERE user_id LIKE 'device:%'"
                          ).fetchone()[0]


async def test_a_restart_revalidates_with_if_none_match_from_the_disk(make_api, http):
    await register(http)
    first, _ = make_api()
    await first.auth.login(EMAIL, PASSWORD, remember=True)
    me = await first.auth.me()
    assert rows_on_disk() >= 1
    await first.aclose()

    second, link = make_api()  # a new process: nothing in memory
    assert await second.auth.resume() is not None
    link.seen.clear()
    again = await second.auth.me()
    asked = [r for r in link.seen if r.url.path.endswith("/me")]
    assert asked and asked[0].headers.get("if-none-match"), "the kept ETag was not sent"
    assert again == me


async def test_the_answer_of_a_304_is_read_from_the_disk_copy(make_api, http, server_app):
    await register(http)
    first, _ = make_api()
    await first.auth.login(EMAIL, PASSWORD, remember=True)
    me = await first.auth.me()
    await first.aclose()
    second, _ = make_api()
    await second.auth.resume()
    statuses: list[int] = []

    async def record(response: httpx.Response) -> None:
        if response.request.url.path.endswith("/me"):
            statuses.append(response.status_code)

    second._http.event_hooks["response"].append(record)
    assert await second.auth.me() == me
    assert statuses == [304]


async def test_a_corrupt_cache_file_reads_as_absent(make_api, http):
    path = cache_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    assert AnswerCache(path).get("test", "u", "http://test/api/v1/me") is None
    # The app goes on: answers are kept in a fresh file, the broken one set aside.
    path.write_bytes(b"\x00garbage" * 500)
    await register(http)
    api, link = make_api()
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    link.seen.clear()
    await api.auth.me()
    assert not link.seen[0].headers.get("if-none-match")
    assert rows_on_disk() == 1
    assert path.with_name(path.name + ".corrupt").exists()


async def test_a_cache_of_another_version_is_not_read(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = AnswerCache(path)
    cache.put("s", "u", "http://x/api/v1/me", '"1"', b"{}", "application/json")
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    assert AnswerCache(path).get("s", "u", "http://x/api/v1/me") is None


async def test_signing_out_drops_the_users_answers_from_the_disk(make_api, http):
    await register(http)
    api, _ = make_api()
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    await api.auth.me()
    await api.orgs.mine()
    assert rows_on_disk() == 2 and device_rows() == 1  # the user, to open offline
    await api.auth.logout()
    assert rows_on_disk() == 0 and device_rows() == 0


async def test_without_remembering_nothing_is_kept_on_disk(make_api, http):
    await register(http)
    api, link = make_api()
    await api.auth.login(EMAIL, PASSWORD, remember=False)
    await api.auth.me()
    assert rows_on_disk() == 0
    # ...but in memory it is, for the offline mode of this session.
    link.down = True
    assert (await api.auth.me()).email == EMAIL

    other, _ = make_api(remember_allowed=False)  # the browser mode: remembering disabled
    await other.auth.login(EMAIL, PASSWORD, remember=True)
    await other.auth.me()
    assert rows_on_disk() == 0


async def test_unreachable_server_answers_from_the_cache_marked_stale(make_api, http):
    await register(http)
    api, link = make_api()
    await api.auth.login(EMAIL, PASSWORD, remember=True)
    me = await api.auth.me()
    before = time.time()
    link.down = True
    assert await api.auth.me() == me
    assert api.offline.online is False
    age = api.offline.age_seconds()
    assert age is not None and 0 <= age <= time.time() - before + 5
    response = await api.transport.send("GET", "/me", auth=api.session.auth())
    assert STALE_HEADER in response.headers
    # Nothing kept for this one: the usual NetworkError.
    with pytest.raises(NetworkError):
        await api.orgs.mine()
    link.down = False
    await api.orgs.mine()
    assert api.offline.online is True and api.offline.age_seconds() is None


async def test_one_users_answers_are_not_anothers(make_api, http):
    await register(http)
    await register(http, email="petr@example.ru", phone="+79123456780")
    ivan, _ = make_api()
    await ivan.auth.login(EMAIL, PASSWORD, remember=True)
    await ivan.auth.me()
    petr, link = make_api()  # the same device, the same cache file
    await petr.auth.login("petr@example.ru", PASSWORD, remember=True)
    link.seen.clear()
    assert (await petr.auth.me()).email == "petr@example.ru"
    assert not link.seen[0].headers.get("if-none-match")
