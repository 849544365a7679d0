"""CalendarApi (client/areas/calendar.py) against the real server app.

``client/api.py`` attaches it as ``api.calendar``; until it does, the test attaches it
itself. An ИП on УСН «доходы» without staff: its 2026 calendar has ten deadlines
(tests/domain/test_tax_calendar.py, ``test_ip_usn_alone_2026``).
"""

from __future__ import annotations

import httpx

from client.api import ApiClient
from core import contract as m
from tests.conftest import PASSWORD, register
from tests.org_helpers import ip, next_phone


async def test_calendar_api(server_app, http):
    await register(http, email="ip@example.ru", phone=next_phone())
    api = ApiClient(base_url="http://test", server_key="test",
                    transport=httpx.ASGITransport(app=server_app), store=None,
                    backoff_s=(0,), device_name="terminal")
    try:
        await api.auth.login("ip@example.ru", PASSWORD, remember=False)
        calendar = api.calendar
        org = await api.orgs.create(m.OrgIn.model_validate(ip(tax_regime="usn_income")))
        year = await calendar.year(org.id, 2026)
        assert isinstance(year, m.TaxCalendar) and len(year.items) == 10
        assert year.items[0].id == "usn_notice:2026-Q1"
        again = await calendar.year(org.id, 2026)  # a 304 read from the ETag cache
        assert again == year
        spring = await calendar.between(org.id, "2026-04-01", "2026-04-30", limit=2)
        assert [i.id for i in spring.items] == ["usn_notice:2026-Q1", "usn_declaration:2025"]
        upcoming = await calendar.upcoming(org.id, limit=1)
        assert len(upcoming.items) <= 1
    finally:
        await api.aclose()
