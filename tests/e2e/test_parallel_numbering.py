"""Numbering under concurrency: 8 parallel posters against a real ``buhta-server``, on SQLite
and on PostgreSQL. Every request is answered without a 5xx, and the entries, documents and
payment orders it made are numbered 1…N without a gap or a double.

Before the counters (``server.services.numbering``) the next number was ``max(number) + 1``
read by each writer: on PostgreSQL parallel writers read the same maximum and collided on
``uq_entries_org_number`` (answers of 500). Bounded: ``POSTERS`` × ``ENTRIES`` posts (and
smaller runs for documents and payment orders), a deadline for each run. Set
``BUHTA_PARALLEL_REPORT=1`` to print the figures (requests, 5xx, seconds).
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import Counter
from collections.abc import Callable

import httpx

from tests.conftest import bearer, login, register
from tests.e2e.test_server_process import database_url, server  # noqa: F401 (fixtures)

POSTERS = int(os.environ.get("BUHTA_PARALLEL_POSTERS", "8"))
ENTRIES = int(os.environ.get("BUHTA_PARALLEL_ENTRIES", "200"))
OTHERS = int(os.environ.get("BUHTA_PARALLEL_OTHERS", "25"))
DEADLINE_S = float(os.environ.get("BUHTA_PARALLEL_DEADLINE_S", "240"))
OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
    "bank_accounts": [{"bik": "044525225", "account": "40817810899910004312",
                       "bank_name": "ПАО Сбербанк", "corr_account": "30101810400000000225"}],
}
BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7728168971", "kpp": "772801001"}


async def _books(base: str) -> tuple[dict[str, str], str, str]:
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as http:
        await register(http)
        h = bearer(await login(http))
        resp = await http.post("/orgs", json=OOO, headers=h)
        assert resp.status_code == 201, resp.text
        org = f"/api/v1/orgs/{resp.json()['id']}"
        resp = await http.post(f"{org.removeprefix('/api/v1')}/counterparties", json=BUYER,
                               headers=h)
        assert resp.status_code == 201, resp.text
        return h, org, resp.json()["id"]


def _run(base: str, count: int, request: Callable[[httpx.Client, int, int], httpx.Response]
         ) -> tuple[Counter[int], list[int], float]:
    """``POSTERS`` threads, each making ``count`` requests one after another.

    Returns the statuses seen, the numbers the 201 answers carry, the seconds taken.
    """
    statuses: Counter[int] = Counter()
    numbers: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_S

    def poster(n: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            for i in range(count):
                if time.monotonic() > deadline:
                    return
                try:
                    resp = request(http, n, i)
                except httpx.HTTPError:  # no answer at all: counted as status 0
                    with lock:
                        statuses[0] += 1
                    continue
                with lock:
                    statuses[resp.status_code] += 1
                    if resp.status_code == 201:
                        numbers.append(resp.json()["number"])

    started = time.monotonic()
    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(DEADLINE_S + 30)
    return statuses, numbers, time.monotonic() - started


def _check(what: str, count: int, statuses: Counter[int], numbers: list[int],
           seconds: float) -> None:
    requests = sum(statuses.values())
    errors = sum(v for k, v in statuses.items() if k >= 500)
    if os.environ.get("BUHTA_PARALLEL_REPORT"):
        print(f"\n{what}: posters={POSTERS} requests={requests} 5xx={errors} "
              f"statuses={dict(statuses)} seconds={seconds:.1f}")
    assert requests == POSTERS * count, f"{what}: the deadline stopped the run ({requests})"
    assert errors == 0, f"{what}: {dict(statuses)}"
    assert statuses == {201: POSTERS * count}, dict(statuses)
    # No double, no gap: exactly 1…N.
    assert sorted(numbers) == list(range(1, POSTERS * count + 1)), what


def test_parallel_posters_never_collide_on_numbers(server):
    h, org, buyer = asyncio.run(_books(server))

    def entry(http: httpx.Client, n: int, i: int) -> httpx.Response:
        return http.post(f"{org}/entries", headers=h, json={
            "date": "2026-03-05", "description": f"Поставщик {n}, платёж {i}",
            "postings": [{"debit": "60.01", "credit": "51", "amount": f"{n + 1}.{i % 100:02d}"}],
        })

    def act(http: httpx.Client, n: int, i: int) -> httpx.Response:
        return http.post(f"{org}/documents", headers=h, json={
            "type": "act", "date": "2026-03-05", "counterparty_id": buyer,
            "lines": [{"name": f"Услуга {n}.{i}", "quantity": "1", "unit": "шт",
                       "price": "100.00", "vat_rate": "20"}]})

    def order(http: httpx.Client, n: int, i: int) -> httpx.Response:
        return http.post(f"{org}/payment-orders", headers=h, json={
            "kind": "tax", "date": "2026-04-28", "amount": f"{n + 1}00.00",
            "purpose": "Единый налоговый платёж", "oktmo": "45383000"})

    _check("entries", ENTRIES, *_run(server, ENTRIES, entry))
    _check("documents", OTHERS, *_run(server, OTHERS, act))
    _check("payment orders", OTHERS, *_run(server, OTHERS, order))
    # The posted acts made entries too, numbered after the manual ones without a clash.
    with httpx.Client(base_url=server, timeout=30) as http:
        resp = http.get(f"{org}/entries", headers=h, params={"limit": 1})
        assert resp.status_code == 200, resp.text
        assert resp.json()["items"][0]["number"] == POSTERS * (ENTRIES + OTHERS)
