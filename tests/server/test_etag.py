"""ETag and If-None-Match: an unchanged GET answer costs a 304 with no body."""

from __future__ import annotations

import httpx

from client.api import ApiClient
from tests.conftest import bearer, login, register


async def test_unchanged_list_answers_304_and_a_change_gives_a_new_tag(http):
    await register(http)
    pair = await login(http)
    first = await http.get("/devices", headers=bearer(pair))
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    again = await http.get("/devices", headers={**bearer(pair), "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    await login(http)  # a second device: the list changed
    changed = await http.get("/devices", headers={**bearer(pair), "If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
    assert len(changed.json()["items"]) == 2


async def test_errors_carry_no_etag(http):
    resp = await http.get("/devices", headers={"Authorization": "Bearer nope"})
    assert resp.status_code == 401
    assert "etag" not in resp.headers


async def test_client_reuses_its_copy_on_304(server_app, http):
    await register(http)
    seen: list[tuple[str | None, int]] = []

    async def spy(response: httpx.Response) -> None:
        if response.request.url.path.endswith("/devices"):
            seen.append((response.request.headers.get("if-none-match"), response.status_code))

    api = ApiClient(base_url="http://test", server_key="t",
                    transport=httpx.ASGITransport(app=server_app), backoff_s=(0,))
    api._http.event_hooks["response"].append(spy)
    try:
        await api.auth.login("ivan@example.ru", "Белый кит плывёт на север 42", remember=False)
        first = await api.auth.devices()
        second = await api.auth.devices()
        assert [d.id for d in second] == [d.id for d in first]
        assert seen[0] == (None, 200)
        assert seen[1][0] is not None and seen[1][1] == 304  # the body did not travel again
    finally:
        await api.aclose()
