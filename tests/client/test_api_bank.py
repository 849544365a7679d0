"""BankApi (client/areas/bank.py) against the real server app: the upload answers the
preview's first page (``PREVIEW_PAGE`` lines, counts over all), ``preview`` pages the rest,
``lines=None`` asks for every line."""

from __future__ import annotations

import httpx

from client.api import ApiClient
from client.areas.bank import PREVIEW_PAGE
from core import contract as m
from tests.conftest import PASSWORD, register
from tests.org_helpers import next_phone, ooo
from tests.server.test_bank_import import BANK_B, MARCH, SBER, SECTIONS, exchange


async def test_upload_pages_the_preview(server_app, http):
    await register(http, email="owner@example.ru", phone=next_phone())
    api = ApiClient(base_url="http://test", server_key="test",
                    transport=httpx.ASGITransport(app=server_app), store=None,
                    backoff_s=(0,), device_name="terminal")
    try:
        await api.auth.login("owner@example.ru", PASSWORD, remember=False)
        org = await api.orgs.create(m.OrgIn.model_validate(ooo(bank_accounts=[SBER, BANK_B])))
        data = exchange(SECTIONS, MARCH)
        assert PREVIEW_PAGE >= 8
        first = await api.bank.upload_statement(org.id, data, "kl.txt", lines=2)
        assert [x.no for x in first.lines] == [1, 2] and first.counts.total == 8
        rest = await api.bank.preview(org.id, first.id, offset=2, limit=100)
        assert [x.no for x in rest.lines] == [3, 4, 5, 6, 7, 8]
        assert rest.counts == first.counts
        whole = await api.bank.preview(org.id, first.id)
        assert whole.lines == first.lines + rest.lines
        again = await api.bank.upload_statement(org.id, data, "again.txt", lines=None)
        assert len(again.lines) == 8 and again.counts.duplicate == 0
        default = await api.bank.upload_statement(org.id, data, "third.txt")
        assert len(default.lines) == 8  # fewer than a page: all of them
    finally:
        await api.aclose()
