"""Migration 0011 backfills the numbering counters from the books already there, and the
numbering goes on from them (SQLite and PostgreSQL).

The books are made through the API, then the database is taken back to 0010 (no counters,
no triggers) and upgraded again: each series' counter is its highest number, and the next
entry, document and payment order take the number after it.
"""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import select

from server.db.models import NumberCounter
from server.db.session import MIGRATIONS
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import db
from tests.org_helpers import create_org, ooo, sign_up

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7728168971", "kpp": "772801001"}


def _alembic(engine, revision: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


@pytest.fixture
async def books(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return http, owner.h, f"/orgs/{org['id']}", org["id"]


async def _entry(http, h, org) -> int:
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": "2026-03-05", "description": "Аренда",
        "postings": [{"debit": "26", "credit": "60.01", "amount": "10.00"}]})
    assert resp.status_code == 201, resp.text
    return resp.json()["number"]


async def _order(http, h, org, **over) -> int:
    resp = await http.post(f"{org}/payment-orders", headers=h, json={
        "kind": "tax", "date": "2026-04-28", "amount": "100.00",
        "purpose": "Единый налоговый платёж", "oktmo": "45383000", **over})
    assert resp.status_code == 201, resp.text
    return resp.json()["number"]


async def test_the_counters_are_backfilled_and_numbering_goes_on(books, server_app):
    http, h, org, org_id = books
    assert [await _entry(http, h, org) for _ in range(3)] == [1, 2, 3]
    assert await _order(http, h, org, number=41) == 41  # typed by hand
    buyer = (await http.post(f"{org}/counterparties", json=BUYER, headers=h)).json()
    act = {"type": "act", "date": "2026-03-05", "counterparty_id": buyer["id"],
           "lines": [{"name": "Услуга", "quantity": "1", "price": "100.00"}]}
    resp = await http.post(f"{org}/documents", headers=h, json={**act, "number": 7})
    assert resp.status_code == 201, resp.text  # its posting made entry № 4
    engine = server_app.state.engine
    _alembic(engine, "0010", down=True)
    _alembic(engine, "head")
    with db(server_app) as s:
        counters = {(c.sequence, c.year): c.value for c in s.scalars(
            select(NumberCounter).where(NumberCounter.org_id == org_id))}
    assert counters == {("entry", 0): 4, ("document:act", 2026): 7,
                        ("payment_order", 2026): 41}
    assert await _entry(http, h, org) == 5
    assert await _order(http, h, org) == 42
    resp = await http.post(f"{org}/documents", headers=h, json=act)
    assert resp.status_code == 201, resp.text
    assert resp.json()["number"] == 8
