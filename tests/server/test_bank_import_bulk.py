"""The statement import's batched writes (server/services/bank_import/batch.py), on SQLite
and on PostgreSQL: a statement of a few hundred lines posted with its entries numbered
after the counter, its postings' turnover aggregates equal to a rebuild, duplicates in the
file and on a second upload skipped, the closed-month refusal naming the line, no cyclic
collector switched off while it runs; and the batched insert, update and upsert
themselves (driver errors as SQLAlchemy's, UTC datetimes, NULLs, additions)."""

from __future__ import annotations

import gc
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from bench.generate import inn10
from server.db.models import (
    AccountTurnover,
    BankImportLine,
    Counterparty,
    Entry,
    Organisation,
    Posting,
)
from server.services import turnovers
from server.services.bank_import import batch, service
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem, count, db
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_bank_import import (
    ACC_A,
    OWN,
    SBER,
    doc,
    exchange,
    section,
    upload,
)

CUSTOMERS = 60
"""Distinct payers: 60 counterparties × 2 accounts (51 and 62.01) × 2 months = 240
aggregate keys, past the 100 from which posting upserts them in one batch."""


def customer(i: int) -> tuple[str, str, str]:
    return (inn10(3000 + i), "771901001", f"ООО «Покупатель {i}»")


def big_statement() -> tuple[bytes, int]:
    """240 receipts (customer i pays 100,00 + i kopecks on 1–28 February and 1–28 March),
    one of them twice in the file, and a bank fee without ИНН. The total coming in, in
    kopecks: each customer i pays 2 × 2 × (10 000 + i), so 4 × (60 × 10 000 + 0 + … + 59)
    = 4 × (600 000 + 1 770) = 2 407 080, plus the repeated line (customer 0, 10 000) which
    is a duplicate and not counted."""
    docs = []
    n = 0
    for month in (2, 3):
        for rep in range(2):
            for i in range(CUSTOMERS):
                n += 1
                day = f"{1 + (i + rep * 7) % 28:02d}.{month:02d}.2026"
                docs.append(doc("Платежное поручение", str(n), day,
                                f"{100 + i // 100}.{i % 100:02d}", customer(i),
                                f"40702810{i:012d}", OWN, ACC_A,
                                f"Оплата по счету № {n}, без НДС", ДатаПоступило=day))
    docs.append(docs[0])  # the same payment twice in one file
    docs.append(doc("Банковский ордер", "9001", "10.03.2026", "590.00", OWN, ACC_A,
                    ("", "", "ПАО Сбербанк"), "70601810000000000001", "Комиссия за март"))
    incoming = 4 * (CUSTOMERS * 10_000 + sum(range(CUSTOMERS)))
    total = 200_000_00 + incoming - 590_00
    return exchange([section(ACC_A, "200000.00", f"{incoming // 100}.{incoming % 100:02d}",
                             "590.00", f"{total // 100}.{total % 100:02d}")], docs), incoming


@pytest.fixture
async def bank(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(bank_accounts=[SBER]))
    base = f"/orgs/{org['id']}"
    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-01-31", "description": "Уставный капитал",
        "postings": [{"debit": "51", "credit": "80", "amount": "200000.00"}]})
    assert resp.status_code == 201, resp.text
    return http, owner.h, base, org["id"]


def aggregates(s, org_id: str) -> list[tuple]:
    return sorted((t.account, t.counterparty_key, t.month, t.debit_kopecks, t.credit_kopecks)
                  for t in s.scalars(select(AccountTurnover)
                                     .where(AccountTurnover.org_id == org_id)))


async def test_a_statement_posts_in_bulk(bank, server_app):
    http, h, base, org_id = bank
    data, incoming = big_statement()
    resp = await upload(http, h, base, data)
    assert resp.status_code == 201, resp.text
    pv = resp.json()
    # 240 receipts + the repeat + the fee; the repeat is a duplicate of the first line.
    assert (pv["counts"]["total"], pv["counts"]["new"], pv["counts"]["duplicate"]) == (
        242, 241, 1)
    posted = await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
    assert posted.status_code == 200, posted.text
    result = posted.json()
    # Entry 1 is the capital; the 241 lines are entries 2–242.
    assert (result["posted"], result["duplicates"], result["counterparties_created"],
            result["first_entry"], result["last_entry"]) == (241, 1, CUSTOMERS, 2, 242)
    with db(server_app) as s:
        numbers = sorted(s.scalars(select(Entry.number).where(Entry.org_id == org_id)))
        assert numbers == list(range(1, 243))
        created = s.scalars(select(Entry.created_at).where(Entry.number == 2)).one()
        assert created.tzinfo is not None
        assert abs(created - datetime.now(UTC)) < timedelta(minutes=5)
        # Every receipt carries its payer as analytics; the fee (91.02) none.
        cps = dict(s.execute(select(Counterparty.inn, Counterparty.id)).all())
        first = s.scalars(select(Posting).join(Entry, Entry.id == Posting.entry_id)
                          .where(Entry.number == 2)).one()
        assert (first.debit, first.credit, first.counterparty_id) == (
            "51", "62.01", cps[customer(0)[0]])
        fee = s.scalars(select(Posting).where(Posting.debit == "91.02")).one()
        assert fee.counterparty_id is None and fee.amount_kopecks == 590_00
        assert s.scalar(select(func.sum(Posting.amount_kopecks))
                        .where(Posting.credit == "62.01")) == incoming
        # The staged lines: 241 posted with their entry and key, the repeat a duplicate
        # pointing at the first line's entry.
        lines = s.execute(select(BankImportLine.no, BankImportLine.status,
                                 BankImportLine.entry_id, BankImportLine.dedupe_key)
                          .where(BankImportLine.import_id == pv["id"])
                          .order_by(BankImportLine.no)).all()
        assert [ln.status for ln in lines].count("posted") == 241
        assert all(ln.entry_id and ln.dedupe_key for ln in lines if ln.status == "posted")
        repeat = next(ln for ln in lines if ln.status == "duplicate")
        assert repeat.entry_id == lines[0].entry_id and repeat.dedupe_key is None
        # The aggregates written in the batch equal a rebuild from the postings.
        before = aggregates(s, org_id)
        assert len(before) > 100
        turnovers.rebuild(s, org_id)
        s.commit()
        assert aggregates(s, org_id) == before
    # 51 in February and March: debit = the receipts, credit = the fee.
    tb = await http.get(f"{base}/reports/trial-balance", headers=h,
                        params={"date_from": "2026-02-01", "date_to": "2026-03-31"})
    row51 = next(r for r in tb.json()["rows"] if r["account"] == "51")
    assert (row51["debit"], row51["credit"]) == (f"{incoming // 100}.{incoming % 100:02d}",
                                                 "590.00")

    # The same file again: nothing new; posting it adds nothing.
    again = (await upload(http, h, base, data, name="again.txt")).json()
    assert (again["counts"]["new"], again["counts"]["duplicate"]) == (0, 242)
    result2 = (await http.post(f"{base}/bank/imports/{again['id']}/post", headers=h)).json()
    assert (result2["posted"], result2["duplicates"]) == (0, 242)
    assert count(server_app, Entry) == 242
    # The counter moved past the import: the next entry by hand is 243.
    resp = await http.post(f"{base}/entries", headers=h, json={
        "date": "2026-03-31", "description": "Проба",
        "postings": [{"debit": "51", "credit": "80", "amount": "1.00"}]})
    assert resp.status_code == 201, resp.text
    assert resp.json()["number"] == 243


async def test_a_line_in_a_closed_month_refuses_the_whole_statement(bank, server_app):
    http, h, base, _ = bank
    data, _ = big_statement()
    pv = (await upload(http, h, base, data)).json()
    assert (await http.post(f"{base}/periods/2026-03/close", headers=h)).status_code == 200
    body = assert_problem(await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h),
                          409, "bank.period_closed")
    # The first March line is document 121 (120 February receipts before it).
    first_march = next(ln for ln in pv["lines"] if ln["date"].startswith("2026-03"))
    assert first_march["no"] == 121
    assert "03.2026" in body["detail"]
    assert f"строка {first_march['line']} " in body["detail"]
    assert count(server_app, Entry) == 1 and count(server_app, Counterparty) == 0
    assert count(server_app, Posting) == 1


async def test_the_collector_stays_on_while_a_statement_is_imported(bank, monkeypatch):
    """An import used to switch the cyclic collector off for the whole process (every
    other request of a threaded server included) while it ran."""
    http, h, base, _ = bank
    seen: list[bool] = []
    propose, post_import = service.propose, service.posting.post_import

    def watching_propose(*args, **kwargs):
        seen.append(gc.isenabled())
        return propose(*args, **kwargs)

    def watching_post(*args, **kwargs):
        seen.append(gc.isenabled())
        return post_import(*args, **kwargs)

    monkeypatch.setattr(service, "propose", watching_propose)
    monkeypatch.setattr(service.posting, "post_import", watching_post)
    assert gc.isenabled()
    data, _ = big_statement()
    pv = (await upload(http, h, base, data)).json()
    assert (await http.post(f"{base}/bank/imports/{pv['id']}/post", headers=h)
            ).status_code == 200
    assert len(seen) == 243 and all(seen)


# --- the batched writes themselves ------------------------------------------------------


@pytest.fixture
def conn(server_app):
    """A connection in a transaction (rolled back) with one organisation in it."""
    engine = server_app.state.engine
    with engine.connect() as c, c.begin() as tx:
        org_id = str(uuid.uuid4())
        c.execute(insert(Organisation.__table__).values({
            "id": org_id, "kind": "ooo", "full_name": "ООО «Проба»", "short_name": "Проба",
            "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
            "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
            "vat_mode": "general"}))
        yield c, org_id
        tx.rollback()


def entry(org_id: str, number: int, **over) -> dict:
    return {"id": str(uuid.uuid4()), "org_id": org_id, "number": number,
            "date": date(2026, 3, number % 28 + 1), "description": f"Запись {number}",
            "description_folded": f"запись {number}", "reverses_id": None,
            "created_at": datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "created_by": "u",
            "document_id": None, **over}


def test_insert_rows_writes_every_value_and_refuses_a_duplicate(conn):
    c, org_id = conn
    rows = [entry(org_id, n) for n in range(1, 301)]
    batch.insert_rows(c, Entry.__table__, rows)
    E = Entry.__table__
    got = {r.number: r for r in c.execute(select(E).where(E.c.org_id == org_id))}
    assert sorted(got) == list(range(1, 301))
    assert got[27].date == date(2026, 3, 28) and got[27].description == "Запись 27"
    assert got[1].reverses_id is None and got[1].document_id is None
    created = got[1].created_at
    assert created.replace(tzinfo=created.tzinfo or UTC) == datetime(2026, 3, 1, 12, 0,
                                                                    tzinfo=UTC)
    # Number 5 again: the unique (org, number) refuses it as SQLAlchemy's IntegrityError
    # (the service turns that into 409 bank.conflict), on PostgreSQL's COPY too.
    with pytest.raises(IntegrityError):
        batch.insert_rows(c, Entry.__table__, [entry(org_id, 301), entry(org_id, 5)])


def test_update_rows_sets_the_columns_of_each_row(conn):
    c, org_id = conn
    rows = [entry(org_id, n) for n in range(1, 201)]
    batch.insert_rows(c, Entry.__table__, rows)
    E = Entry.__table__
    # Entries refuse updates (the books are immutable); counterparties do not.
    cps = [{"id": str(uuid.uuid4()), "org_id": org_id, "kind": "org", "name": f"К{n}",
            "name_folded": f"к{n}", "full_name": None, "inn": None, "kpp": None,
            "inn_kpp": None, "address": None, "phone": None, "email": None, "bik": None,
            "account": None, "corr_account": None, "bank_name": None, "contract": None,
            "archived": False, "created_at": datetime(2026, 3, 1, tzinfo=UTC),
            "updated_at": datetime(2026, 3, 1, tzinfo=UTC)} for n in range(150)]
    batch.insert_rows(c, Counterparty.__table__, cps)
    C = Counterparty.__table__
    batch.update_rows(c, C, "id", [{"id": cp["id"], "name": cp["name"] + "!",
                                    "inn": None if n % 2 else f"77{n:08d}"}
                                   for n, cp in enumerate(cps[:100])])
    got = {r.id: r for r in c.execute(select(C).where(C.c.org_id == org_id))}
    assert got[cps[0]["id"]].name == "К0!" and got[cps[0]["id"]].inn == "7700000000"
    assert got[cps[1]["id"]].name == "К1!" and got[cps[1]["id"]].inn is None
    assert got[cps[100]["id"]].name == "К100"  # not in the update
    assert c.scalar(select(func.count()).select_from(E).where(E.c.org_id == org_id)) == 200


def test_add_rows_adds_to_existing_aggregates(conn):
    c, org_id = conn
    T = turnovers.T
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    batch.add_rows(c, T, turnovers.KEY, ("debit_kopecks", "credit_kopecks"), [
        {"org_id": org_id, "account": "51", "counterparty_key": "", "month": march,
         "debit_kopecks": 100, "credit_kopecks": 0}])
    # 51/March: 100 + 250 = 350 debit, 0 + 40 = 40 credit; 62.01/April is new.
    batch.add_rows(c, T, turnovers.KEY, ("debit_kopecks", "credit_kopecks"), [
        {"org_id": org_id, "account": "51", "counterparty_key": "", "month": march,
         "debit_kopecks": 250, "credit_kopecks": 40},
        {"org_id": org_id, "account": "62.01", "counterparty_key": "", "month": april,
         "debit_kopecks": 0, "credit_kopecks": 7}])
    got = sorted(tuple(r) for r in c.execute(
        select(T.c.account, T.c.month, T.c.debit_kopecks, T.c.credit_kopecks)
        .where(T.c.org_id == org_id)))
    assert got == [("51", march, 350, 40), ("62.01", april, 0, 7)]
