"""The books are immutable below the API (migration 0011's triggers), on SQLite and PostgreSQL.

A bug or a script talking straight to the database cannot rewrite history: an UPDATE or a
DELETE of a posting fails, an entry cannot be deleted nor its number, date, description or
links changed. What the code does still works: posting, reversing, posting a document and
cancelling it (its reversal is linked in the INSERT, never by a later UPDATE).
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from server.db.models import Entry, Posting
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import db

OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}
BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7728168971", "kpp": "772801001"}


@pytest.fixture
async def books(http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=OOO, headers=h)).json()
    return http, h, f"/orgs/{org['id']}"


def _refused(server_app, statement) -> None:
    with db(server_app) as s, pytest.raises(DBAPIError) as caught:
        with s.begin():
            s.execute(statement)
    assert "immutable" in str(caught.value)


async def test_postings_and_entries_cannot_be_rewritten_in_the_database(books, server_app):
    http, h, org = books
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": "2026-03-05", "description": "Аренда за март",
        "postings": [{"debit": "26", "credit": "60.01", "amount": "5000.00"}]})
    assert resp.status_code == 201, resp.text
    made = resp.json()
    refused = [
        update(Posting).values(amount_kopecks=1),
        update(Posting).values(debit="20"),
        update(Posting).values(memo="исправлено"),
        delete(Posting),
        update(Entry).values(date=date(2026, 4, 1)),
        update(Entry).values(number=7),
        update(Entry).values(description="Другая операция"),
        update(Entry).values(reverses_id=made["id"]),
        delete(Entry),
    ]
    for statement in refused:
        _refused(server_app, statement)
    if server_app.state.engine.dialect.name == "postgresql":
        _refused(server_app, text("TRUNCATE postings"))
    # Nothing changed.
    again = (await http.get(f"{org}/entries/{made['id']}", headers=h)).json()
    assert again == made
    # The derived search column may be refreshed (no history in it).
    with db(server_app) as s, s.begin():
        changed = s.execute(update(Entry).values(description_folded="аренда за март"))
        assert changed.rowcount == 1


async def test_what_the_code_does_still_works(books):
    http, h, org = books
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": "2026-03-05", "description": "Аренда за март",
        "postings": [{"debit": "26", "credit": "60.01", "amount": "5000.00"}]})
    assert resp.status_code == 201, resp.text
    storno = await http.post(f"{org}/entries/{resp.json()['id']}/reverse", headers=h,
                             json={"reason": "счёт не тот"})
    assert storno.status_code == 201, storno.text
    assert storno.json()["reverses"] == resp.json()["id"]
    buyer = (await http.post(f"{org}/counterparties", json=BUYER, headers=h)).json()
    doc = await http.post(f"{org}/documents", headers=h, json={
        "type": "act", "date": "2026-03-05", "counterparty_id": buyer["id"],
        "lines": [{"name": "Консультация", "quantity": "1", "unit": "час",
                   "price": "100.00", "vat_rate": "20"}]})
    assert doc.status_code == 201, doc.text
    cancelled = await http.post(f"{org}/documents/{doc.json()['id']}/cancel", headers=h,
                                json={"reason": "ошибка"})
    assert cancelled.status_code == 200, cancelled.text
    journal = (await http.get(f"{org}/entries", headers=h)).json()["items"]
    # 1 the rent, 2 its reversal, 3 the act, 4 the act's reversal (linked to the act).
    assert [e["number"] for e in journal] == [4, 3, 2, 1]
    assert journal[0]["reverses"] == journal[1]["id"]
    assert journal[0]["document_id"] == journal[1]["document_id"] == doc.json()["id"]
