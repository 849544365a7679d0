"""A link that drops connections mid-answer: the client retries a GET and a write safely
(the write under the same Idempotency-Key: the server replays its answer, nothing is
applied twice). The real server app under uvicorn, behind a proxy that cuts."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import httpx

from client.api import ApiClient
from core import contract as m
from server.app import create_app
from tests.client.test_connections import uvicorn_serving
from tests.conftest import PASSWORD, make_settings, register
from tests.tui.conftest import ORG


class CuttingProxy:
    """Forwards TCP to ``upstream``; once armed, the next answer is cut after ``keep``
    bytes (both sides closed), as a dropping link does."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.armed = 0
        self.cuts = 0
        self.keep = 40
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def aclose(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)

        async def up() -> None:
            try:
                while data := await reader.read(65536):
                    up_writer.write(data)
                    await up_writer.drain()
            except (ConnectionError, OSError):
                pass
            up_writer.close()

        async def down() -> None:
            try:
                while data := await up_reader.read(65536):
                    if self.armed:
                        self.armed -= 1
                        self.cuts += 1
                        writer.write(data[:self.keep])
                        await writer.drain()
                        break
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            writer.close()
            up_writer.close()

        await asyncio.gather(up(), down(), return_exceptions=True)


async def test_a_cut_get_and_a_cut_write_are_retried_safely(tmp_path):
    app = create_app(make_settings(tmp_path))
    async with uvicorn_serving(app) as url:
        async with httpx.AsyncClient(base_url=url + "/api/v1") as http:
            await register(http)
        proxy = CuttingProxy(url)
        api = ApiClient(base_url=await proxy.start(), server_key="cut", store=None,
                        backoff_s=(0.05,), device_name="cut")
        try:
            await api.auth.login("ivan@example.ru", PASSWORD, remember=False)
            org = await api.orgs.create(m.OrgIn.model_validate(ORG))
            entry = m.EntryIn(date="2026-03-05", description="Оплата от покупателя",
                              postings=[m.PostingIn(debit="51", credit="62.01",
                                                    amount=Decimal("1234.56"))])

            proxy.armed = 1  # the answer to the write is cut: the entry was made
            posted = await api.ledger.post_entry(org.id, entry)
            assert proxy.cuts == 1
            proxy.armed = 1  # and the journal's answer too
            page = await api.ledger.entries(org.id)
            assert proxy.cuts == 2
        finally:
            await api.aclose()
            await proxy.aclose()
    assert posted.number == 1 and posted.total == Decimal("1234.56")
    # Made once: the retry under the same key got the first answer back.
    assert [e.id for e in page.items] == [posted.id]
