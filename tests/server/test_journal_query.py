"""The journal query (``GET …/entries?q=``) through the HTTP API, on SQLite and PostgreSQL.

One small ledger, numbered in posting order (№8 is the reversal of №6):

    №  date        description                  postings (Дт / Кт amount, counterparty)
    1  2024-12-28  Аренда офиса за декабрь       26 / 60.01     50 000,00  Ёлка
    2  2025-01-15  Оплата аренды                 60.01 / 51     50 000,00  Ёлка
    3  2025-02-10  Реализация услуг Ромашке      62.01 / 90.01 120 000,00  Ромашка
                                                 90.03 / 68.02  20 000,00
    4  2025-03-31  Поступление от Ромашки        51 / 62.01    120 000,00  Ромашка
    5  2025-04-01  Выдача из кассы подотчёт      71 / 50         5 000,00
    6  2025-03-05  АРЕНДА склада                 26 / 60.02      9 999,99  Петров
    7  2025-06-30  Комиссия банка и продажа      91.02 / 51        150,00
                                                 62.01 / 90.01  30 000,00  Петров
    8  2025-03-05  Сторно №6: ошибка             26 / 60.02     −9 999,99  Петров

Newest first by (date, number): 7, 5, 4, 8, 6, 3, 2, 1.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from server.services import ledger as ledger_service
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem
from tests.org_helpers import create_org, ooo, sign_up

ROMASHKA = {"kind": "org", "name": "ООО «Ромашка»", "inn": "7707083893", "kpp": "773601001"}
YOLKA = {"kind": "org", "name": "ООО «Ёлка»", "inn": "7728168971", "kpp": "772801001"}
PETROV = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}
ALL = [7, 5, 4, 8, 6, 3, 2, 1]




def entry(day: str, text: str, *postings: tuple) -> dict:
    return {"date": day, "description": text, "postings": [
        {"debit": p[0], "credit": p[1], "amount": p[2],
         **({"counterparty_id": p[3]} if len(p) > 3 else {})}
        for p in postings]}


@pytest.fixture
async def journal(http):
    owner = await sign_up(http, "owner@example.ru")
    made = await create_org(http, owner, ooo())
    h, org = owner.h, f"/orgs/{made['id']}"

    async def counterparty(body: dict) -> str:
        resp = await http.post(f"{org}/counterparties", json=body, headers=h)
        assert resp.status_code == 201, resp.text
        return resp.json()["id"]

    romashka, yolka, petrov = (await counterparty(ROMASHKA), await counterparty(YOLKA),
                               await counterparty(PETROV))
    bodies = [
        entry("2024-12-28", "Аренда офиса за декабрь", ("26", "60.01", "50000.00", yolka)),
        entry("2025-01-15", "Оплата аренды", ("60.01", "51", "50000.00", yolka)),
        entry("2025-02-10", "Реализация услуг Ромашке",
              ("62.01", "90.01", "120000.00", romashka), ("90.03", "68.02", "20000.00")),
        entry("2025-03-31", "Поступление от Ромашки", ("51", "62.01", "120000.00", romashka)),
        entry("2025-04-01", "Выдача из кассы подотчёт", ("71", "50", "5000.00")),
        entry("2025-03-05", "АРЕНДА склада", ("26", "60.02", "9999.99", petrov)),
        entry("2025-06-30", "Комиссия банка и продажа", ("91.02", "51", "150.00"),
              ("62.01", "90.01", "30000.00", petrov)),
    ]
    ids = []
    for number, body in enumerate(bodies, start=1):
        resp = await http.post(f"{org}/entries", json=body, headers=h)
        assert resp.status_code == 201, resp.text
        assert resp.json()["number"] == number
        ids.append(resp.json()["id"])
    storno = await http.post(f"{org}/entries/{ids[5]}/reverse", headers=h,
                             json={"reason": "ошибка"})
    assert storno.status_code == 201 and storno.json()["number"] == 8

    # Another organisation of the same user, with an «аренда» entry on 51: never shown.
    other = await create_org(http, owner, ooo(inn="7736207543", kpp="773601001",
                                              short_name="ООО «Другая»"))
    resp = await http.post(f"/orgs/{other['id']}/entries", headers=h, json=entry(
        "2025-02-01", "Аренда чужая", ("51", "62.01", "70000.00")))
    assert resp.status_code == 201, resp.text
    return http, h, org


async def numbers(http, h, org: str, q: str, **params) -> list[int]:
    resp = await http.get(f"{org}/entries", headers=h, params={"q": q, "limit": 500, **params})
    assert resp.status_code == 200, (q, resp.text)
    return [e["number"] for e in resp.json()["items"]]


# (query, expected entry numbers newest first) — worked out from the table above.
CASES = [
    ("", ALL),
    ("   ", ALL),
    # acct: either side, the account and everything below it, segment by segment.
    ("acct:51", [7, 4, 2]),
    ("acct:60", [8, 6, 2, 1]),  # 60.01 and 60.02
    ("acct:60.01", [2, 1]),
    ("acct:6", []),  # not 60, 62, 68: a prefix of whole segments only
    ("acct:62", [7, 4, 3]),
    ("acct:90", [7, 3]),  # 90.01 (№3, №7) and 90.03 (№3)
    ("acct:50 acct:71", [5]),  # one posting 71/50: OR within a field
    ("acct:51 acct:50", [7, 5, 4, 2]),
    ("счёт:68.02", [3]),
    ("счет:91", [7]),
    # date: periods, quarters, ranges (the end's whole period), Russian dates.
    ("date:2025-Q1", [4, 8, 6, 3, 2]),
    ("date:2025", [7, 5, 4, 8, 6, 3, 2]),
    ("date:2025-03", [4, 8, 6]),
    ("date:03.2025", [4, 8, 6]),
    ("date:2025-03-05", [8, 6]),
    ("дата:05.03.2025", [8, 6]),
    ("date:2025-01..2025-02", [3, 2]),  # 2025-01-01 … 2025-02-28
    ("date:2025-03-31..", [7, 5, 4]),
    ("date:..2025-01", [2, 1]),  # up to 2025-01-31
    ("date:2024 date:2025-Q2", [7, 5, 1]),  # OR: 2024, or April…June 2025
    ("дата:2025-К2", [7, 5]),
    # amt: absolute amounts unless a sign (or zero) is written.
    ("amt:>10000", [7, 4, 3, 2, 1]),  # 9 999,99 and −9 999,99 are not over 10 000
    ("amt:>=9999.99", [7, 4, 8, 6, 3, 2, 1]),  # |−9 999,99| = 9 999,99 counts
    ("amt:9999,99", [8, 6]),
    ("amt:<0", [8]),  # signed: the reversal only
    ("amt:-9999.99", [8]),
    ("amt:<200", [7]),  # the 150,00 commission
    ('сумма:"120 000,00"', [4, 3]),
    ("amt:<=5000 amt:>100000", [7, 5, 4, 3]),  # 150 / 5 000, or 120 000
    # desc: case-insensitive, ё = е; a bare word is desc.
    ("desc:аренд", [6, 2, 1]),  # «Аренда», «аренды», «АРЕНДА»
    ("аренд", [6, 2, 1]),
    ('desc:"аренда офиса"', [1]),
    ('"аренда офиса"', [1]),
    ("текст:подотчет", [5]),  # «подотчёт»
    ("desc:СТОРНО", [8]),
    ("desc:а%д", []),  # % and _ are characters, not wildcards («Аренда», «Оплата»)
    ("desc:о_л", []),
    # cp: ИНН exactly, or a fragment of the name.
    ("cp:7707083893", [4, 3]),
    ("cp:ромашк", [4, 3]),
    ("cp:елка", [2, 1]),  # «Ёлка»
    ("контрагент:ПЕТРОВ", [7, 8, 6]),
    ("cp:500100732259", [7, 8, 6]),
    ("cp:7736207543", []),  # the other organisation's ИНН, no such counterparty here
    ("cp:ромашк cp:петров", [7, 4, 8, 6, 3]),
    # not: excludes.
    ("not:acct:51", [5, 8, 6, 3, 1]),
    ("not:desc:аренд", [7, 5, 4, 8, 3]),
    ("не:дата:2025", [1]),
    ("not:cp:петров not:cp:елка", [5, 4, 3]),
    # Posting terms hold together on one posting: №7 has a 51 line of 150,00 and a
    # 30 000,00 line elsewhere, so it is not «a bank line over 10 000».
    ("acct:51 amt:>10000", [4, 2]),
    ("acct:62 cp:петров", [7]),
    ("acct:26 cp:ромашка", []),  # Ромашка's postings are on 62.01/90.01 and 51/62.01
    ("acct:60 date:2025-Q1 not:amt:<0", [6, 2]),  # №8 has a negative posting
    ("desc:аренда date:2025-Q1", [6]),  # №1 is in 2024, №2 says «аренды»
    ("acct:51 amt:>10000 date:2025-Q1", [4, 2]),
]


@pytest.mark.parametrize("plan", ["by_id", "walk"])
async def test_each_query_returns_exactly_its_entries(journal, plan, monkeypatch):
    """Both plans of the service give the same rows: entries looked up by the ids their
    few matching postings name, and the journal walked with each entry tested."""
    if plan == "walk":
        monkeypatch.setattr(ledger_service, "CANDIDATES_MAX", 0)
    http, h, org = journal
    wrong = {}
    for q, expected in CASES:
        got = await numbers(http, h, org, q)
        if got != expected:
            wrong[q] = (got, expected)
    assert wrong == {}


@pytest.mark.parametrize("plan", ["by_id", "walk"])
async def test_a_query_combines_with_the_date_parameters(journal, plan, monkeypatch):
    if plan == "walk":
        monkeypatch.setattr(ledger_service, "CANDIDATES_MAX", 0)
    http, h, org = journal
    # acct:51 is №7, №4, №2; from 1 February: №7 (30.06) and №4 (31.03).
    assert await numbers(http, h, org, "acct:51", date_from="2025-02-01") == [7, 4]
    # …and up to 31 March: №4 only; cp:ромашка there too (№4; №3 is in February).
    assert await numbers(http, h, org, "acct:51", date_from="2025-02-01",
                         date_to="2025-03-31") == [4]
    assert await numbers(http, h, org, "cp:ромашка", date_to="2025-02-28") == [3]


async def test_a_sub_account_of_the_organisation_is_found_under_its_parent(journal):
    http, h, org = journal
    made = await http.post(f"{org}/accounts", headers=h,
                           json={"parent": "51", "code": "51.01", "name": "Сбербанк"})
    assert made.status_code == 201, made.text
    resp = await http.post(f"{org}/entries", headers=h, json=entry(
        "2025-07-01", "Перевод между счетами", ("51.01", "51", "1000.00")))
    assert resp.json()["number"] == 9
    assert await numbers(http, h, org, "acct:51.01") == [9]
    assert await numbers(http, h, org, "acct:51") == [9, 7, 4, 2]


@pytest.mark.parametrize("plan", ["by_id", "walk"])
async def test_paging_through_a_query(journal, plan, monkeypatch):
    if plan == "walk":
        monkeypatch.setattr(ledger_service, "CANDIDATES_MAX", 0)
    http, h, org = journal
    # acct:60 acct:62 — every entry but №5 (71/50): 7, 4, 8, 6, 3, 2, 1, three a page.
    pages, cursor = [], None
    while True:
        params = {"q": "acct:60 acct:62", "limit": 3, **({"cursor": cursor} if cursor else {})}
        resp = await http.get(f"{org}/entries", headers=h, params=params)
        assert resp.status_code == 200, resp.text
        body = resp.json()
        pages.append([e["number"] for e in body["items"]])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == [[7, 4, 8], [6, 3, 2], [1]]


async def test_a_page_carries_postings_reversals_and_counterparty_names(journal):
    http, h, org = journal
    items = (await http.get(f"{org}/entries", headers=h, params={"q": "date:2025-03-05"})
             ).json()["items"]
    storno, original = items
    assert (storno["number"], original["number"]) == (8, 6)
    assert storno["reverses"] == original["id"] and original["reversed_by"] == storno["id"]
    assert storno["reversed_by"] is None and original["reverses"] is None
    assert original["postings"] == [{
        "debit": "26", "credit": "60.02", "amount": "9999.99", "memo": None,
        "counterparty_id": original["postings"][0]["counterparty_id"],
        "counterparty": "ИП Петров Пётр Петрович"}]
    assert storno["total"] == "-9999.99"
    sale = (await http.get(f"{org}/entries", headers=h, params={"q": "date:2025-02-10"})
            ).json()["items"][0]
    # 120 000,00 + 20 000,00 = 140 000,00, lines in their order, a name only where given.
    assert sale["total"] == "140000.00"
    assert [(p["debit"], p["counterparty"]) for p in sale["postings"]] == [
        ("62.01", "ООО «Ромашка»"), ("90.03", None)]


@pytest.mark.parametrize(("q", "term"), [
    ("foo:1", "foo:1"),
    ("acct:51 date:2025-13", "date:2025-13"),
    ("date:2025-02-30", "date:2025-02-30"),
    ("date:2025-03..2025-01", "date:2025-03..2025-01"),
    ("amt:>abc", "amt:>abc"),
    ("amt:>1,234", "amt:>1,234"),
    ('desc:"не закрыта', 'desc:"не закрыта'),
    ("acct:", "acct:"),
    ("not:счёт:5%1", "not:счёт:5%1"),
])
async def test_a_bad_query_is_refused_naming_the_term(journal, q, term):
    http, h, org = journal
    resp = await http.get(f"{org}/entries", headers=h, params={"q": q})
    body = assert_problem(resp, 422, "query.invalid")
    assert f"«{term}»" in body["detail"], body["detail"]
    english = await http.get(f"{org}/entries", params={"q": q},
                             headers={**h, "Accept-Language": "en"})
    assert f"“{term}”" in assert_problem(english, 422, "query.invalid")["detail"]


async def test_reasons_are_told_apart(journal):
    http, h, org = journal
    unknown = (await http.get(f"{org}/entries", headers=h, params={"q": "foo:1"})).json()
    assert "неизвестное поле" in unknown["detail"]
    bad_date = (await http.get(f"{org}/entries", headers=h, params={"q": "date:32.01.2025"})
                ).json()
    assert "2025-Q1" in bad_date["detail"]  # the reason shows the forms a date takes
    too_long = await http.get(f"{org}/entries", headers=h, params={"q": "x" * 301})
    assert_problem(too_long, 422, "validation.failed")


def test_the_migration_folds_the_descriptions_of_existing_entries(database_url):
    """Entries written before 0005 get their searchable copy when it runs."""
    from alembic import command
    from alembic.config import Config

    from server.db.session import MIGRATIONS, make_engine, migrate

    engine = make_engine(database_url)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0004")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO organisations (id, kind, full_name, short_name, inn, ogrn, address,"
                " director, tax_regime, vat_mode, created_at, updated_at) VALUES ('o1', 'ooo',"
                " 'ООО', 'ООО', '7707083893', '1027700132195', 'М', 'И', 'osno', 'none',"
                " '2025-01-01', '2025-01-01')"))
            for n, description in enumerate(["АРЕНДА Ёлки", "", "Straße"], start=1):
                conn.execute(text(
                    "INSERT INTO entries (id, org_id, number, date, description, created_at,"
                    " created_by) VALUES (:id, 'o1', :n, '2025-01-01', :d, '2025-01-01', 'u')"),
                    {"id": f"e{n}", "n": n, "d": description})
        migrate(engine)
        with engine.connect() as conn:
            folded = dict(conn.execute(text(
                "SELECT id, description_folded FROM entries ORDER BY id")).all())
        assert folded == {"e1": "аренда елки", "e2": "", "e3": "strasse"}
    finally:
        engine.dispose()
