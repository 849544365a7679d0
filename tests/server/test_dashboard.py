"""The dashboard («Сводка»): balances and top debtors on a hand-made ledger, each check
triggered by a ledger built here (and gone once the books are put right), pay is private
per role, the version ETag (304 on a repeat, a new tag after a posting), /me/dashboard
across two organisations, and the size of the answer for a year of a small company.

The checks run with a fixed «today», 16.11.2026 (Moscow), through the service the route
calls (``app.state.dashboard``); the HTTP tests use the real day.
"""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bench.generate import Ledger, bulk_insert, counterparty_bodies, inn10
from core.money import format_amount
from server.domain.roles import Role
from server.services import turnovers
from server.services.context import Ctx, OrgCtx
from tests.helpers import db
from tests.org_helpers import accept, create_org, invite, ip, join, ooo, sign_up
from tests.server.test_bank_import import MARCH, SBER, SECTIONS, exchange, upload
from tests.server.test_payroll import IVANOV

NOW = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, 16.11.2026


def D(text: str) -> Decimal:
    return Decimal(text)


def rub(text: str, lang: str = "ru") -> str:
    return format_amount(Decimal(text), lang)


class Books:
    def __init__(self, http, app, owner, org):
        self.http, self.app, self.owner, self.org = http, app, owner, org
        self.base = f"/orgs/{org['id']}"
        self.cp: dict[str, str] = {}

    async def counterparty(self, name: str, n: int) -> str:
        resp = await self.http.post(f"{self.base}/counterparties", headers=self.owner.h, json={
            "kind": "org", "name": f"ООО «{name}»", "inn": inn10(5000 + n),
            "kpp": "770101001"})
        assert resp.status_code == 201, resp.text
        self.cp[name] = resp.json()["id"]
        return self.cp[name]

    async def post(self, day: str, debit: str, credit: str, amount: str,
                   cp: str | None = None) -> None:
        posting = {"debit": debit, "credit": credit, "amount": amount}
        if cp:
            posting["counterparty_id"] = self.cp[cp]
        resp = await self.http.post(f"{self.base}/entries", headers=self.owner.h, json={
            "date": day, "description": f"Дт {debit} Кт {credit}", "postings": [posting]})
        assert resp.status_code == 201, resp.text

    async def document(self, body: dict) -> dict:
        resp = await self.http.post(f"{self.base}/documents", headers=self.owner.h, json=body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def run(self, role: Role = Role.ACCOUNTANT, who=None, now: datetime = NOW, lang="ru"):
        """The aggregate as the service computes it for ``who`` on ``now``."""
        user_id = (who or self.owner).id
        oc = OrgCtx(ctx=Ctx(ip="test", lang=lang, user_id=user_id, now=now),
                    org_id=self.org["id"], user_id=user_id, role=role)
        with db(self.app) as s:
            return self.app.state.dashboard.dashboard(s, oc)


def check(dash, code: str):
    found = [c for c in dash.checks if c.code == code]
    return found[0] if found else None


@pytest.fixture
async def books(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    return Books(http, server_app, owner, org)


# --- balances and settlements -----------------------------------------------------------


async def test_balances_and_top_debtors_on_a_clean_ledger(books):
    for n, name in enumerate(("Альфа", "Бета", "Гамма", "Дельта", "Эпсилон", "Сигма",
                              "Тау")):
        await books.counterparty(name, n)
    day = "2026-11-10"
    await books.post(day, "51", "80", "500000.00")           # capital
    await books.post(day, "50.01", "51", "20000.00")         # cash from the bank
    for name, amount in (("Альфа", "100000.00"), ("Бета", "50000.00"),
                         ("Гамма", "30000.00"), ("Дельта", "10000.00")):
        await books.post(day, "62.01", "90.01", amount, name)  # sales
    await books.post(day, "51", "62.01", "25000.00", "Бета")   # Бета pays half
    await books.post(day, "51", "62.01", "5000.00", "Эпсилон")  # an advance, nothing sold
    await books.post(day, "41.01", "60.01", "70000.00", "Сигма")
    await books.post(day, "41.01", "60.01", "40000.00", "Тау")
    await books.post(day, "60.01", "51", "40000.00", "Тау")    # Тау paid in full
    await books.post(day, "68.90", "51", "50000.00")           # ЕНП paid ahead
    dash = books.run()
    # Bank: 500 000 − 20 000 + 25 000 + 5 000 − 40 000 − 50 000 = 420 000; cash 20 000.
    assert [(b.account, b.balance) for b in dash.bank] == [("51", D("420000.00"))]
    assert (dash.bank_total, dash.cash) == (D("420000.00"), D("20000.00"))
    # Receivables: Альфа 100 000 + Бета 25 000 + Гамма 30 000 + Дельта 10 000 = 165 000;
    # payables: Сигма 70 000 + Эпсилон's advance 5 000 = 75 000.
    s = dash.settlements
    assert (s.receivables, s.payables) == (D("165000.00"), D("75000.00"))
    assert [(p.name, p.amount) for p in s.debtors] == [
        ("ООО «Альфа»", D("100000.00")), ("ООО «Гамма»", D("30000.00")),
        ("ООО «Бета»", D("25000.00"))]
    assert [(p.name, p.amount) for p in s.creditors] == [
        ("ООО «Сигма»", D("70000.00")), ("ООО «Эпсилон»", D("5000.00"))]
    # A clean ledger of this month: no check fails (the ЕНС holds 50 000 against the
    # УСН tax of 2026, 6 % of 30 000 received = 1 800).
    assert dash.checks == [] and dash.checks_run == 9
    assert (dash.drafts.count, dash.unposted_lines) == (0, 0)
    assert dash.as_of == date(2026, 11, 16)
    assert 1 <= len(dash.deadlines) <= 5 and all(d.due_date >= dash.as_of
                                                 for d in dash.deadlines)


# --- each check -----------------------------------------------------------------------


async def test_a_negative_cash_day(books):
    await books.post("2026-11-03", "51", "80", "5000.00")
    await books.post("2026-11-03", "71", "50.01", "1000.00")  # paid out before cash came in
    await books.post("2026-11-04", "50.01", "51", "2000.00")
    dash = books.run()
    found = check(dash, "cash.negative")
    # 50.01 closes 03.11 at −1 000 (and 04.11 at +1 000, as it is today); 51 never.
    assert found is not None and found.severity == "error" and found.count == 1
    assert (found.link.kind, found.link.id, found.link.day) == (
        "account", "50.01", date(2026, 11, 3))
    assert found.text == f"Счёт 50.01 ушёл в минус 03.11.2026: {rub('-1000.00')}"
    assert dash.cash == D("1000.00")
    english = books.run(lang="en")
    assert check(english, "cash.negative").text == (
        f"Account 50.01 went negative on 03.11.2026: {rub('-1000.00', 'en')}")


async def test_a_debt_and_an_advance_of_one_customer(books):
    await books.counterparty("Альфа", 1)
    await books.post("2026-11-05", "62.01", "90.01", "10000.00", "Альфа")
    await books.post("2026-11-06", "51", "62.02", "3000.00", "Альфа")
    found = check(books.run(), "settlements.debt_and_advance")
    assert found is not None and found.count == 1
    assert (found.link.kind, found.link.id) == ("counterparty", books.cp["Альфа"])
    # Set off (Дт 62.02 Кт 62.01 3 000): the advance is gone, 7 000 of debt is left.
    await books.post("2026-11-07", "62.02", "62.01", "3000.00", "Альфа")
    dash = books.run()
    assert check(dash, "settlements.debt_and_advance") is None
    assert dash.settlements.receivables == D("7000.00")


async def test_drafts_not_posted(books):
    await books.counterparty("Альфа", 1)

    def act(day: str) -> dict:
        return {"type": "act", "date": day, "counterparty_id": books.cp["Альфа"], "post": False,
                "lines": [{"name": "Услуга", "quantity": "1", "price": "1500.00"}]}

    old = await books.document(act("2026-11-01"))
    await books.document(act("2026-11-14"))
    dash = books.run()
    found = check(dash, "documents.draft")
    # The oldest is 15 days old (more than 5): a warning.
    assert (found.severity, found.count, found.link.kind, found.link.id) == (
        "warning", 2, "document", old["id"])
    assert found.text == "Документы не проведены: 2, самый старый от 01.11.2026"
    assert dash.drafts.count == 2
    oldest = dash.drafts.oldest[0]
    assert (oldest.id, oldest.total, oldest.counterparty) == (
        old["id"], D("1500.00"), "ООО «Альфа»")
    resp = await books.http.post(f"{books.base}/documents/{old['id']}/post",
                                 headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    found = check(books.run(), "documents.draft")
    assert (found.severity, found.count) == ("info", 1)  # two days old


async def test_statement_lines_not_posted(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(bank_accounts=[SBER]))
    b = Books(http, server_app, owner, org)
    resp = await upload(http, owner.h, b.base, exchange(SECTIONS[:1], MARCH))
    assert resp.status_code in (200, 201), resp.text
    preview = resp.json()
    waiting = sum(1 for ln in preview["lines"] if ln["status"] in ("new", "unknown_account"))
    assert waiting >= 5
    dash = b.run()
    found = check(dash, "bank.unposted_lines")
    assert dash.unposted_lines == waiting == found.count
    assert (found.link.kind, found.link.id) == ("bank_import", preview["id"])
    resp = await http.post(f"{b.base}/bank/imports/{preview['id']}/post",
                           headers=owner.h)
    assert resp.status_code == 200, resp.text
    # Posted: only what the import skipped is left.
    assert b.run().unposted_lines == resp.json()["skipped"]


async def test_an_invoice_unpaid_past_its_term(books):
    await books.counterparty("Альфа", 1)
    invoice = await books.document({
        "type": "invoice", "date": "2026-10-20", "counterparty_id": books.cp["Альфа"],
        "post": True, "lines": [{"name": "Услуга", "quantity": "1", "price": "10000.00"}]})
    assert invoice["state"] == "posted"
    await books.post("2026-10-25", "51", "62.01", "4000.00", "Альфа")
    # Due 30.10 (10 days), 6 000 unpaid on 16.11.
    found = check(books.run(), "invoices.overdue")
    assert (found.count, found.link.kind, found.link.id) == (1, "document", invoice["id"])
    assert found.text == f"Счета не оплачены в срок: 1 на {rub('6000.00')}, первый от 20.10.2026"
    await books.post("2026-11-02", "51", "62.01", "6000.00", "Альфа")
    assert check(books.run(), "invoices.overdue") is None
    # Before its term it is not overdue yet: on 25.10 the same счёт is fine.
    assert check(books.run(now=datetime(2026, 10, 25, 9, tzinfo=UTC)),
                 "invoices.overdue") is None


async def test_a_month_with_entries_not_closed(books):
    await books.post("2026-10-10", "51", "80", "1000.00")
    found = check(books.run(), "periods.not_closed")
    assert (found.count, found.link.kind, found.link.period) == (1, "period", "2026-10")
    assert found.text == "Месяцы с проводками не закрыты: 1, первый — Октябрь 2026"
    resp = await books.http.post(f"{books.base}/periods/2026-10/close", headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    assert check(books.run(), "periods.not_closed") is None


async def test_the_ens_will_not_cover_the_next_payment(books):
    await books.counterparty("Альфа", 1)
    await books.post("2026-11-10", "51", "62.01", "1000000.00", "Альфа")
    # УСН «доходы» 6 % of 1 000 000 = 60 000, the tax of 2026 due 28.03.2027 (a Sunday →
    # 29.03); the ЕНС (68.90) holds nothing.
    found = check(books.run(), "ens.short")
    assert (found.link.kind, found.link.id, found.link.day) == (
        "deadline", "usn_tax:2026", date(2027, 3, 29))
    assert found.text == (f"ЕНС не покроет платёж 29.03.2027: к уплате {rub('60000.00')}, "
                          f"на счёте {rub('0.00')}, не хватает {rub('60000.00')}")
    await books.post("2026-11-12", "68.90", "51", "45000.00")
    assert "не хватает " + rub("15000.00") in check(books.run(), "ens.short").text
    await books.post("2026-11-13", "68.90", "51", "15000.00")
    assert check(books.run(), "ens.short") is None


async def payroll_books(http, server_app, month: tuple[int, int]) -> tuple[Books, dict]:
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    b = Books(http, server_app, owner, org)
    resp = await http.post(f"{b.base}/employees", json=IVANOV, headers=owner.h)
    assert resp.status_code == 201, resp.text
    resp = await http.post(f"{b.base}/payroll/runs", headers=owner.h,
                           json={"year": month[0], "month": month[1]})
    assert resp.status_code == 200, resp.text
    run = resp.json()
    resp = await http.post(f"{b.base}/payroll/runs/{run['id']}/approve", headers=owner.h)
    assert resp.status_code == 200, resp.text
    return b, run


async def test_payroll_not_paid_and_ndfl_not_on_an_enp_order(http, server_app):
    b, run = await payroll_books(http, server_app, (2026, 9))
    dash = b.run()
    found = check(dash, "payroll.unpaid")  # the final pay day (in October) has passed
    assert (found.severity, found.link.kind, found.link.period) == ("error", "payroll", "2026-09")
    assert found.text == "Зарплата утверждена, но не выплачена: Сентябрь 2026 (ведомостей: 1)"
    assert check(dash, "ndfl.no_enp_order") is None  # nothing withheld yet
    orders = []
    for day, part in (("2026-09-20", "advance"), ("2026-10-05", "final")):
        resp = await http.post(f"{b.base}/payroll/runs/{run['id']}/pay", headers=b.owner.h,
                               json={"date": day, "part": part})
        assert resp.status_code == 200, resp.text
        orders += [o["id"] for o in resp.json()["orders"] if o["kind"] == "tax"]
    dash = b.run()
    assert check(dash, "payroll.unpaid") is None
    found = check(dash, "ndfl.no_enp_order")
    # Nothing is withheld from the advance of 20.09 (the income arises on 30.09, НК
    # ст. 223 п. 2); the whole September tax is withheld 05.10 (23.09–22.10, due 28.10):
    # past, no ЕНП order exported.
    assert (found.severity, found.count, found.link.id, found.link.day) == (
        "error", 1, "ndfl_payment:2026-10", date(2026, 10, 28))
    resp = await http.post(f"{b.base}/payment-orders/export", headers=b.owner.h,
                           json={"ids": orders})
    assert resp.status_code == 200, resp.text
    assert check(b.run(), "ndfl.no_enp_order") is None


# --- pay is private ----------------------------------------------------------------------


async def test_what_each_role_sees(http, server_app):
    b, _run = await payroll_books(http, server_app, (2026, 9))
    members = {role: await join(http, b.owner, b.org["id"], f"{role.value}@example.ru", role)
               for role in (Role.PRIMARY, Role.HR, Role.DIRECTOR, Role.OBSERVER)}
    members[Role.ACCOUNTANT] = b.owner
    for role, who in members.items():
        dash = b.run(role, who)
        codes = {c.code for c in dash.checks}
        body = dash.model_dump_json()
        payroll = role in (Role.ACCOUNTANT, Role.HR, Role.DIRECTOR)
        assert ("payroll.unpaid" in codes) is payroll, role
        assert "Иванов" not in body, role  # no employee is ever named here
        books = role is not Role.HR
        assert (dash.bank is not None, dash.settlements is not None,
                dash.drafts is not None) == (books, books, books), role
        ndfl = [d for d in dash.deadlines if d.id.startswith(("ndfl", "contributions"))]
        if not payroll:
            assert all(d.amount is None for d in ndfl), role
    # Over HTTP too: the observer's answer names no payroll check.
    resp = await http.get(f"{b.base}/dashboard", headers=members[Role.OBSERVER].h)
    assert resp.status_code == 200, resp.text
    assert not any(c["code"].startswith(("payroll", "ndfl")) for c in resp.json()["checks"])


async def test_my_tasks_overdue_and_due_soon(books, http):
    async def task(title: str, due: str, assignee=None) -> None:
        body = {"title": title, "due": due}
        if assignee:
            body["assignee_id"] = assignee
        resp = await http.post(f"{books.base}/tasks", headers=books.owner.h, json=body)
        assert resp.status_code == 201, resp.text

    other = await join(http, books.owner, books.org["id"], "primary@example.ru", Role.PRIMARY)
    await task("Сдать отчёт", "2026-11-13")       # overdue on 16.11
    await task("Оплатить аренду", "2026-11-17")   # due soon (within a day)
    await task("Когда-нибудь", "2026-12-20")      # neither
    await task("Не моя", "2026-11-01", other.id)  # someone else's
    dash = books.run()
    assert (dash.tasks.overdue, dash.tasks.due_soon) == (1, 1)
    assert [(t.title, t.overdue) for t in dash.tasks.items] == [
        ("Сдать отчёт", True), ("Оплатить аренду", False)]
    mine = books.run(Role.PRIMARY, other)
    assert (mine.tasks.overdue, [t.title for t in mine.tasks.items]) == (1, ["Не моя"])


# --- the ETag, /me/dashboard, the size --------------------------------------------------


async def test_a_repeat_visit_is_a_304_until_the_books_change(books, http):
    url, h = f"{books.base}/dashboard", books.owner.h
    first = await http.get(url, headers=h)
    assert first.status_code == 200, first.text
    tag = first.headers["etag"]
    assert tag.startswith('W/"dash-')
    again = await http.get(url, headers={**h, "If-None-Match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    await books.post(date.today().isoformat(), "51", "80", "1000.00")
    changed = await http.get(url, headers={**h, "If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert changed.json()["bank_total"] == "1000.00"
    assert (await http.get(url, headers={**h, "If-None-Match": changed.headers["etag"]})
            ).status_code == 304
    # A task is a change too; so is another language (the texts differ).
    resp = await http.post(f"{books.base}/tasks", headers=h, json={"title": "Проверить"})
    assert resp.status_code == 201, resp.text
    assert (await http.get(url, headers={**h, "If-None-Match": changed.headers["etag"]})
            ).status_code == 200
    ru = (await http.get(url, headers=h)).headers["etag"]
    en = (await http.get(url, headers={**h, "Accept-Language": "en"})).headers["etag"]
    assert ru != en
    # Tomorrow is another aggregate (the tag holds the day).
    oc_day = datetime.now(UTC)
    v = books.app.state.dashboard
    with db(books.app) as s:
        today = OrgCtx(Ctx(ip="t", user_id=books.owner.id, now=oc_day), books.org["id"],
                       books.owner.id, Role.ACCOUNTANT)
        tomorrow = OrgCtx(Ctx(ip="t", user_id=books.owner.id, now=oc_day + timedelta(days=1)),
                          books.org["id"], books.owner.id, Role.ACCOUNTANT)
        assert v.version(s, today) != v.version(s, tomorrow)


async def test_my_dashboard_across_two_organisations(http, server_app):
    owner = await sign_up(http, "owner@example.ru")
    a = Books(http, server_app, owner, await create_org(http, owner, ooo()))
    stranger = await sign_up(http, "stranger@example.ru")
    b = Books(http, server_app, stranger, await create_org(http, stranger, ip()))
    # The owner is the ИП's кадровик: no money figures there.
    _, token = await invite(http, stranger, b.org["id"], "owner@example.ru", "hr")
    assert (await accept(http, owner, token)).status_code == 200
    today = date.today().isoformat()
    await a.post(today, "51", "80", "7000.00")
    await a.post(today, "50.01", "51", "2000.00")
    await b.post(today, "51", "80", "99000.00")
    resp = await http.get("/me/dashboard", headers=owner.h)
    assert resp.status_code == 200, resp.text
    lines = {x["short_name"]: x for x in resp.json()["items"]}
    assert set(lines) == {"ООО «Ромашка»", "ИП Петров"}
    assert [x["short_name"] for x in resp.json()["items"]] == ["ИП Петров", "ООО «Ромашка»"]
    assert (lines["ООО «Ромашка»"]["money"], lines["ООО «Ромашка»"]["role"]) == (
        "7000.00", "accountant")
    assert (lines["ИП Петров"]["money"], lines["ИП Петров"]["role"]) == (None, "hr")
    for line in lines.values():
        assert line["next_deadline"]["due_date"] >= today
        assert line["failed_checks"] >= line["errors"] >= 0
    tag = resp.headers["etag"]
    assert (await http.get("/me/dashboard", headers={**owner.h, "If-None-Match": tag})
            ).status_code == 304
    await b.post(today, "50.01", "51", "1000.00")  # the other organisation's books change
    assert (await http.get("/me/dashboard", headers={**owner.h, "If-None-Match": tag})
            ).status_code == 200
    # The stranger sees only the ИП.
    theirs = (await http.get("/me/dashboard", headers=stranger.h)).json()["items"]
    assert [x["short_name"] for x in theirs] == ["ИП Петров"]
    assert theirs[0]["money"] == "99000.00"  # bank 98 000 + cash 1 000


async def test_the_size_of_a_year_of_a_small_company(books, http, server_app, capsys):
    ids = []
    for body in counterparty_bodies(30):
        resp = await http.post(f"{books.base}/counterparties", headers=books.owner.h,
                               json=body.model_dump(mode="json"))
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()["id"])
    # The twelve months before this one, as bench/generate.py draws them (~1 000 entries).
    start = date.today().replace(day=1)
    ledger = Ledger(ids)
    months = [((start.year * 12 + start.month - 1 - k) // 12,
               (start.year * 12 + start.month - 1 - k) % 12 + 1) for k in range(12, 0, -1)]
    ops = (op for y, mth in months for op in ledger.month(y, mth))
    who = SimpleNamespace(org_id=books.org["id"], user_id=books.owner.id)
    entries, postings = bulk_insert(server_app.state.engine, who, ops)  # type: ignore[arg-type]
    with db(server_app) as s:
        turnovers.rebuild(s, books.org["id"])
    # Drafts and tasks as a busy month leaves them.
    for n in range(5):
        await books.document({
            "type": "act", "date": start.isoformat(), "counterparty_id": ids[1 + n],
            "post": False, "lines": [{"name": "Услуга", "quantity": "1", "price": "12345.67"}]})
    for n in range(4):
        resp = await http.post(f"{books.base}/tasks", headers=books.owner.h, json={
            "title": f"Задача номер {n} по закрытию месяца", "due": start.isoformat()})
        assert resp.status_code == 201, resp.text
    resp = await http.get(f"{books.base}/dashboard",
                          headers={**books.owner.h, "Accept-Encoding": "gzip"})
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("content-encoding") == "gzip"
    wire = resp.num_bytes_downloaded
    raw = len(resp.content)
    assert abs(len(gzip.compress(resp.content, 6)) - wire) < 64  # what went on the wire
    with capsys.disabled():
        print(f"\ndashboard: {entries} entries, {postings} postings; {raw} bytes raw, "
              f"{wire} bytes gzip; {len(resp.json()['checks'])} checks failed")
    assert entries > 900 and wire <= 4096
