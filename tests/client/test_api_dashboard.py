"""DashboardApi (client/areas/dashboard.py) against the real server app.

``client/api.py`` attaches it as ``api.dashboard``; until it does, the test attaches it
itself. A repeat read is a 304 the transport answers from its ETag cache.
"""

from __future__ import annotations

import httpx

from client.api import ApiClient
from core import contract as m
from tests.conftest import PASSWORD, register
from tests.org_helpers import next_phone, ooo


async def test_dashboard_api(server_app, http):
    await register(http, email="owner@example.ru", phone=next_phone())
    seen: list[int] = []

    async def record(response: httpx.Response) -> None:
        if response.request.url.path.endswith("dashboard"):
            seen.append(response.status_code)

    api = ApiClient(base_url="http://test", server_key="test",
                    transport=httpx.ASGITransport(app=server_app), store=None,
                    backoff_s=(0,), device_name="terminal")
    api.transport.http.event_hooks["response"].append(record)
    try:
        await api.auth.login("owner@example.ru", PASSWORD, remember=False)
        dashboard = api.dashboard
        org = await api.orgs.create(m.OrgIn.model_validate(ooo()))
        first = await dashboard.org(org.id)
        assert isinstance(first, m.Dashboard) and first.short_name == "ООО «Ромашка»"
        assert first.bank_total == 0 and first.checks == []
        again = await dashboard.org(org.id)
        assert again == first and seen == [200, 304]
        mine = await dashboard.mine()
        assert [line.org_id for line in mine.items] == [org.id]
    finally:
        await api.aclose()
