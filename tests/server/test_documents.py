"""Primary documents: numbering per type and year, drafts, posting into the journal, cancel
(сторно), closed periods, the counterparty's organisation, rights, search and paging."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from client.api import ApiClient
from client.errors import Conflict
from core import contract as m
from server.db.models import AuditEvent, Document, DocumentLine, Entry, Posting
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from tests.helpers import assert_problem, count, db, rows
from tests.org_helpers import create_org, ip, join, ooo, sign_up

BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}
SUPPLIER = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}


@pytest.fixture
async def books(http):
    """A VAT payer (ОСНО) with one customer and one supplier."""
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base = f"/orgs/{org['id']}"
    buyer = (await http.post(f"{base}/counterparties", json=BUYER, headers=owner.h)).json()
    supplier = (await http.post(f"{base}/counterparties", json=SUPPLIER,
                                headers=owner.h)).json()
    return Books(http, owner, org, base, buyer["id"], supplier["id"])


class Books:
    def __init__(self, http, owner, org, base, buyer, supplier):
        self.http, self.owner, self.org, self.base = http, owner, org, base
        self.buyer, self.supplier = buyer, supplier

    async def create(self, body: dict, who=None) -> httpx.Response:
        return await self.http.post(f"{self.base}/documents", json=body,
                                    headers=(who or self.owner).h)

    async def made(self, body: dict) -> dict:
        resp = await self.create(body)
        assert resp.status_code == 201, resp.text
        return resp.json()

    async def journal(self) -> list[dict]:
        resp = await self.http.get(f"{self.base}/entries", headers=self.owner.h)
        assert resp.status_code == 200, resp.text
        return resp.json()["items"]

    def act(self, day: str = "2026-03-05", **over) -> dict:
        return {"type": "act", "date": day, "counterparty_id": self.buyer,
                "lines": [{"name": "Консультация", "quantity": "3", "unit": "час",
                           "price": "1234.50", "vat_rate": "20"}], **over}


async def test_an_act_is_posted_with_its_vat_and_the_journal_shows_it(books, server_app):
    doc = await books.made(books.act(contract="Договор № 15 от 01.02.2026"))
    # 3 × 1 234,50 = 3 703,50 ₽ with 20 % inside: 3 703,50 × 20 / 120 = 617,25 ₽.
    assert (doc["number"], doc["state"], doc["total"], doc["vat_total"]) == (
        1, "posted", "3703.50", "617.25")
    assert doc["total_in_words"] == "Три тысячи семьсот три рубля 50 копеек"
    assert doc["counterparty"] == "ООО «Покупатель»"
    assert doc["lines"] == [{"name": "Консультация", "quantity": "3", "unit": "час",
                             "price": "1234.50", "vat_rate": "20", "amount": "3703.50",
                             "vat": "617.25", "item_id": None, "warehouse_id": None}]
    (entry,) = await books.journal()
    assert entry["id"] == doc["entry_id"]
    assert entry["document_id"] == doc["id"]
    assert entry["document"] == "Акт № 1 от 05.03.2026"
    assert entry["description"] == "Акт № 1 от 05.03.2026, ООО «Покупатель»"
    assert entry["date"] == "2026-03-05"
    assert [(p["debit"], p["credit"], p["amount"], p["counterparty"])
            for p in entry["postings"]] == [
        ("62.01", "90.01", "3703.50", "ООО «Покупатель»"),
        ("90.03", "68.02", "617.25", None),
    ]
    with db(server_app) as s:
        stored = s.get(Document, doc["id"])
        assert (stored.total_kopecks, stored.vat_kopecks) == (370_350, 61_725)
        line = s.scalars(select(DocumentLine)).one()
        assert (line.quantity_milli, line.price_kopecks) == (3000, 123_450)
    # The card reads back the same.
    card = await books.http.get(f"{books.base}/documents/{doc['id']}", headers=books.owner.h)
    assert card.json() == doc


async def test_numbering_is_per_type_and_year(books):
    first = await books.made(books.act())
    second = await books.made(books.act(day="2026-01-10"))
    invoice = await books.made({**books.act(), "type": "invoice"})
    next_year = await books.made(books.act(day="2027-01-09"))
    assert [first["number"], second["number"], invoice["number"], next_year["number"]] == [
        1, 2, 1, 1]
    # An invoice posts nothing.
    assert invoice["state"] == "posted" and invoice["entry_id"] is None
    taken = await books.create(books.act(number=2))
    problem = assert_problem(taken, 409, "doc.number_taken")
    assert "2" in problem["detail"] and "2026" in problem["detail"]
    assert (await books.made(books.act(number=2, day="2027-02-01")))["number"] == 2
    assert (await books.made(books.act(number=10)))["number"] == 10
    assert (await books.made(books.act()))["number"] == 11  # the largest + 1
    assert len(await books.journal()) == 6  # the acts; not the invoice, not the refusal


async def test_the_database_refuses_a_number_taken_meanwhile(books, monkeypatch):
    # As if another request took the number between the check and the insert.
    from server.services.documents import Documents

    await books.made(books.act(number=1))
    monkeypatch.setattr(Documents, "_check_free", lambda *args: None)
    assert_problem(await books.create(books.act(number=1)), 409, "doc.number_taken")
    draft = await books.made(books.act(number=2, post=False))
    resp = await books.http.put(f"{books.base}/documents/{draft['id']}",
                                json=books.act(number=1), headers=books.owner.h)
    assert_problem(resp, 409, "doc.number_taken")
    # An automatic number is taken again; when it keeps clashing, the answer is a 409 too.
    tries = []

    def stale(self, *args):
        tries.append(1)
        return 1

    monkeypatch.setattr(Documents, "_next_number", stale)
    assert_problem(await books.create(books.act()), 409, "doc.number_taken")
    assert len(tries) == 3
    assert len(await books.journal()) == 1


async def test_a_draft_is_editable_a_posted_document_is_not(books, server_app):
    draft = await books.made(books.act(post=False))
    assert (draft["state"], draft["entry_id"]) == ("draft", None)
    assert count(server_app, Entry) == 0
    # Two lines now, VAT on top: 2 × 500,00 = 1 000,00 + 22 % = 220,00;
    # 1 × 99,99 + 10 % = 9,999 → 10,00. Total 1 329,99, VAT 230,00.
    edit = books.act(vat_included=False, post=False, lines=[
        {"name": "Аренда", "quantity": "2", "price": "500.00", "vat_rate": "22"},
        {"name": "Уборка", "quantity": "1", "price": "99.99", "vat_rate": "10"}])
    url = f"{books.base}/documents/{draft['id']}"
    resp = await books.http.put(url, json=edit, headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["number"], body["state"], body["total"], body["vat_total"]) == (
        1, "draft", "1329.99", "230.00")
    assert [x["amount"] for x in body["lines"]] == ["1000.00", "99.99"]
    assert count(server_app, DocumentLine) == 2
    # Posting it by hand.
    posted = await books.http.post(f"{url}/post", headers=books.owner.h)
    assert posted.status_code == 200, posted.text
    assert posted.json()["state"] == "posted"
    (entry,) = await books.journal()
    assert [(p["debit"], p["credit"], p["amount"]) for p in entry["postings"]] == [
        ("62.01", "90.01", "1329.99"), ("90.03", "68.02", "230.00")]
    # Now it is frozen.
    again = await books.http.put(url, json=edit, headers=books.owner.h)
    assert_problem(again, 409, "doc.not_draft")
    twice = await books.http.post(f"{url}/post", headers=books.owner.h)
    assert_problem(twice, 409, "doc.not_draft")
    assert count(server_app, Entry) == 1


async def test_saving_a_draft_with_post_posts_it(books):
    draft = await books.made(books.act(post=False))
    resp = await books.http.put(f"{books.base}/documents/{draft['id']}",
                                json=books.act(number=7), headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["state"], resp.json()["number"]) == ("posted", 7)
    (entry,) = await books.journal()
    assert entry["document"] == "Акт № 7 от 05.03.2026"


async def test_cancel_reverses_the_entry(books, server_app):
    doc = await books.made(books.act())
    resp = await books.http.post(f"{books.base}/documents/{doc['id']}/cancel",
                                 json={"reason": "выставлен по ошибке"}, headers=books.owner.h)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["state"], resp.json()["entry_id"]) == ("cancelled", None)
    reversal, original = await books.journal()
    assert original["id"] == doc["entry_id"]
    assert reversal["reverses"] == original["id"] and original["reversed_by"] == reversal["id"]
    assert reversal["document_id"] == doc["id"]
    assert reversal["description"] == "Сторно №1: Акт № 1 от 05.03.2026: выставлен по ошибке"
    assert [p["amount"] for p in reversal["postings"]] == ["-3703.50", "-617.25"]
    with db(server_app) as s:  # the balances come back to zero
        assert sum(s.scalars(select(Posting.amount_kopecks))) == 0
    again = await books.http.post(f"{books.base}/documents/{doc['id']}/cancel",
                                  json={"reason": "ещё раз"}, headers=books.owner.h)
    assert_problem(again, 409, "doc.already_cancelled")
    frozen = await books.http.put(f"{books.base}/documents/{doc['id']}", json=books.act(),
                                  headers=books.owner.h)
    assert_problem(frozen, 409, "doc.not_draft")
    # A draft and an invoice are just cancelled: nothing to reverse.
    draft = await books.made(books.act(post=False))
    invoice = await books.made({**books.act(), "type": "invoice"})
    for made in (draft, invoice):
        resp = await books.http.post(f"{books.base}/documents/{made['id']}/cancel",
                                     json={"reason": "не нужен"}, headers=books.owner.h)
        assert resp.json()["state"] == "cancelled", resp.text
    assert count(server_app, Entry) == 2
    actions = _audit(server_app)
    assert actions.count("documents.cancel") == 3 and actions.count("documents.post") == 2


def _audit(app) -> list[str]:
    with db(app) as s:
        return list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("documents.%")).order_by(AuditEvent.id)))


async def test_a_closed_period_refuses_posting_and_cancelling(books, server_app):
    h = books.owner.h
    posted = await books.made(books.act(day="2026-02-10"))
    draft = await books.made(books.act(day="2026-02-11", post=False))
    resp = await books.http.post(f"{books.base}/periods/2026-02/close", headers=h)
    assert resp.status_code == 200, resp.text
    # Posting at once or later, and cancelling a posted one: all refused.
    refused = await books.create(books.act(day="2026-02-12"))
    problem = assert_problem(refused, 409, "ledger.period_closed")
    assert "02.2026" in problem["detail"]
    late = await books.http.post(f"{books.base}/documents/{draft['id']}/post", headers=h)
    assert_problem(late, 409, "ledger.period_closed")
    cancel = await books.http.post(f"{books.base}/documents/{posted['id']}/cancel",
                                   json={"reason": "ошибка"}, headers=h)
    assert_problem(cancel, 409, "ledger.period_closed")
    assert count(server_app, Document) == 2 and count(server_app, Entry) == 1
    states = {d.id: d.state for d in rows(server_app, Document)}
    assert states == {posted["id"]: "posted", draft["id"]: "draft"}
    # A draft may still be saved in the closed month; March is open.
    assert (await books.made(books.act(day="2026-02-13", post=False)))["state"] == "draft"
    assert (await books.made(books.act(day="2026-03-01")))["state"] == "posted"


async def test_the_counterparty_must_be_the_organisations_own(books, http, server_app):
    stranger = await sign_up(http, "stranger@example.ru")
    other = await create_org(http, stranger, ip())
    theirs = (await http.post(f"/orgs/{other['id']}/counterparties", json=BUYER,
                              headers=stranger.h)).json()
    refused = await books.create(books.act(counterparty_id=theirs["id"]))
    assert_problem(refused, 422, "ledger.unknown_counterparty")
    # ... and a document of one organisation is not found from another.
    mine = await books.made(books.act())
    peek = await http.get(f"/orgs/{other['id']}/documents/{mine['id']}", headers=stranger.h)
    assert_problem(peek, 404, "doc.not_found")
    assert count(server_app, Document) == 1
    # Only a cash order may go without a counterparty.
    missing = await books.create({"type": "bank_in", "date": "2026-03-05", "amount": "10.00"})
    assert_problem(missing, 422, "validation.failed")


async def test_payments_and_purchases_post_by_their_rules(books):
    await books.made({"type": "bank_in", "date": "2026-03-06", "counterparty_id": books.buyer,
                      "amount": "3703.50", "vat_rate": "20",
                      "purpose": "Оплата по акту № 1"})
    await books.made({"type": "purchase_goods", "date": "2026-03-07",
                      "counterparty_id": books.supplier,
                      "lines": [{"name": "Бумага", "quantity": "10", "unit": "пач",
                                 "price": "366.00", "vat_rate": "22"}]})
    await books.made({"type": "cash_out", "date": "2026-03-08", "amount": "500.00",
                      "account": "71", "purpose": "Под отчёт"})
    cash, goods, bank = await books.journal()
    assert [(p["debit"], p["credit"], p["amount"]) for p in bank["postings"]] == [
        ("51", "62.01", "3703.50")]
    # 10 × 366,00 = 3 660,00 with 22 % inside: 3 660 × 22 / 122 = 660,00; goods 3 000,00.
    assert [(p["debit"], p["credit"], p["amount"], p["counterparty"])
            for p in goods["postings"]] == [
        ("41.01", "60.01", "3000.00", "ИП Петров Пётр Петрович"),
        ("19.03", "60.01", "660.00", "ИП Петров Пётр Петрович"),
        ("68.02", "19.03", "660.00", "ИП Петров Пётр Петрович"),
    ]
    assert cash["document"] == "РКО № 1 от 08.03.2026"
    assert [(p["debit"], p["credit"], p["amount"]) for p in cash["postings"]] == [
        ("71", "50.01", "500.00")]
    # An account the chart does not have is refused before anything is stored, draft or not.
    for post in (True, False):
        unknown = await books.create({"type": "bank_out", "date": "2026-03-09",
                                      "counterparty_id": books.supplier, "amount": "1.00",
                                      "account": "60.77", "post": post})
        assert_problem(unknown, 422, "ledger.unknown_account")
    # The card names the account the posting used, the default one when none was chosen.
    listed = await books.http.get(f"{books.base}/documents", headers=books.owner.h)
    assert [(x["type"], x["account"]) for x in listed.json()["items"]] == [
        ("cash_out", "71"), ("purchase_goods", None), ("bank_in", "62.01")]


async def test_a_non_payer_books_no_vat(http):
    owner = await sign_up(http, "usn@example.ru")
    org = await create_org(http, owner, ooo())  # УСН «доходы», vat_mode none
    base = f"/orgs/{org['id']}"
    supplier = (await http.post(f"{base}/counterparties", json=SUPPLIER,
                                headers=owner.h)).json()
    resp = await http.post(f"{base}/documents", headers=owner.h, json={
        "type": "purchase_services", "date": "2026-03-07", "counterparty_id": supplier["id"],
        "account": "44", "lines": [{"name": "Реклама", "quantity": "1", "price": "1200.00",
                                    "vat_rate": "20"}]})
    assert resp.status_code == 201, resp.text
    (entry,) = (await http.get(f"{base}/entries", headers=owner.h)).json()["items"]
    # The supplier's 200,00 ₽ VAT stays in the cost: one posting of 1 200,00 ₽.
    assert [(p["debit"], p["credit"], p["amount"]) for p in entry["postings"]] == [
        ("44", "60.01", "1200.00")]


async def test_who_may_write(books, http, server_app):
    primary = await join(http, books.owner, books.org["id"], "primary@example.ru", "primary")
    observer = await join(http, books.owner, books.org["id"], "observer@example.ru", "observer")
    made = await books.create(books.act(), who=primary)
    assert made.status_code == 201, made.text
    bank = await books.create({"type": "bank_in", "date": "2026-03-06", "amount": "1.00",
                               "counterparty_id": books.buyer}, who=primary)
    assert bank.status_code == 201, bank.text
    refused = await books.create(books.act(), who=observer)
    assert_problem(refused, 403, "orgs.forbidden")
    cancel = await http.post(f"{books.base}/documents/{made.json()['id']}/cancel",
                             json={"reason": "x"}, headers=observer.h)
    assert_problem(cancel, 403, "orgs.forbidden")
    listed = await http.get(f"{books.base}/documents", headers=observer.h)
    assert [x["type"] for x in listed.json()["items"]] == ["bank_in", "act"]
    assert count(server_app, Document) == 2
    with db(server_app) as s:
        created_by = set(s.scalars(select(Document.created_by)))
        denied = s.scalars(select(AuditEvent.action).where(
            AuditEvent.outcome == "denied", AuditEvent.user_id == observer.id)).all()
    assert created_by == {primary.id}
    assert denied == ["denied.documents.write", "denied.documents.write"]


async def test_a_bank_document_needs_the_bank_right(books, http, server_app, monkeypatch):
    # No role has the documents right without the bank one today; take it from «primary».
    from server.domain.roles import Perm
    from server.services import documents as service

    primary = await join(http, books.owner, books.org["id"], "primary@example.ru", "primary")
    monkeypatch.setattr(service, "allows",
                        lambda role, perm: not (role == "primary" and perm is Perm.BANK_WRITE))
    pay = {"type": "bank_out", "date": "2026-03-06", "amount": "1.00",
           "counterparty_id": books.supplier}
    assert_problem(await books.create(pay, who=primary), 403, "orgs.forbidden")
    # The other documents are still theirs to write, and the accountant pays.
    assert (await books.create(books.act(), who=primary)).status_code == 201
    paid = await books.made(pay)
    refused = await http.post(f"{books.base}/documents/{paid['id']}/cancel",
                              json={"reason": "x"}, headers=primary.h)
    assert_problem(refused, 403, "orgs.forbidden")
    with db(server_app) as s:
        denied = s.scalars(select(AuditEvent.summary).where(
            AuditEvent.action == "denied.bank.write", AuditEvent.user_id == primary.id)).all()
    # In words (issue #12 pt 9), not «documents.create: orgs.forbidden».
    refused = "Роли «Бухгалтер по первичке» это не разрешено"
    assert denied == [f"Новый банковский документ: {refused}",
                      f"Отмена банковского документа: {refused}"]
    assert {d.type for d in rows(server_app, Document)} == {"act", "bank_out"}
    assert rows(server_app, Document, Document.type == "bank_out")[0].state == "posted"


async def test_search_and_paging(books):
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        await books.made(books.act(day=day))
    await books.made({"type": "purchase_goods", "date": "2026-03-02",
                      "counterparty_id": books.supplier,
                      "lines": [{"name": "Стол", "quantity": "1", "price": "100.00"}]})
    await books.made({"type": "cash_in", "date": "2026-03-04", "amount": "5.00"})

    async def listed(**params) -> list[str]:
        resp = await books.http.get(f"{books.base}/documents", headers=books.owner.h,
                                    params=params)
        assert resp.status_code == 200, resp.text
        return [f"{x['type']} {x['number']} {x['date'][-2:]}" for x in resp.json()["items"]]

    everything = ["cash_in 1 04", "act 3 03", "act 2 02", "purchase_goods 1 02", "act 1 01"]
    assert await listed() == everything
    assert await listed(type="act") == ["act 3 03", "act 2 02", "act 1 01"]
    assert await listed(date_from="2026-03-02", date_to="2026-03-03") == everything[1:4]
    assert await listed(q="петров") == ["purchase_goods 1 02"]
    assert await listed(q="ПОКУП") == ["act 3 03", "act 2 02", "act 1 01"]
    assert await listed(q="500100") == ["purchase_goods 1 02"]  # the first digits of an ИНН
    assert await listed(q="№ 2") == ["act 2 02"]
    # Pages of two, newest first, without gaps or repeats.
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        resp = await books.http.get(f"{books.base}/documents", headers=books.owner.h,
                                    params=params)
        page = resp.json()
        seen += [f"{x['type']} {x['number']} {x['date'][-2:]}" for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything
    bad = await books.http.get(f"{books.base}/documents", headers=books.owner.h,
                               params={"cursor": "bm9wZQ"})
    assert_problem(bad, 422, "validation.cursor")


async def test_the_client_layer_end_to_end(books, server_app):
    api = ApiClient(base_url="http://test", server_key="test",
                    transport=httpx.ASGITransport(app=server_app), store=None, backoff_s=(0,))
    try:
        await api.auth.login("owner@example.ru", PASSWORD, remember=False)
        org_id = books.org["id"]
        data = m.DocumentIn.model_validate(books.act(post=False))
        draft = await api.documents.create(org_id, data)
        assert draft.state == "draft" and draft.total == Decimal("3703.50")
        updated = await api.documents.update(
            org_id, draft.id, data.model_copy(update={"basis": "Договор № 12"}))
        assert updated.basis == "Договор № 12" and updated.state == "draft"
        posted = await api.documents.post(org_id, draft.id)
        assert posted.entry_id is not None
        page = await api.documents.search(org_id, type="act", q="покупатель")
        assert [x.id for x in page.items] == [draft.id]
        assert (await api.documents.get(org_id, draft.id)).state == "posted"
        entries = await api.ledger.entries(org_id)
        assert entries.items[0].document == "Акт № 1 от 05.03.2026"
        with pytest.raises(Conflict) as caught:
            await api.documents.update(org_id, draft.id, data)
        assert caught.value.code == "doc.not_draft"
        cancelled = await api.documents.cancel(org_id, draft.id, "ошибка")
        assert cancelled.state == "cancelled" and cancelled.entry_id is None
    finally:
        await api.aclose()


async def test_the_printable_form_of_an_act_and_an_invoice(books):
    from io import BytesIO

    from pypdf import PdfReader

    act = await books.made(books.act())
    invoice = await books.made({**books.act(), "type": "invoice"})
    for doc, title in ((act, "Акт № 1 от 5 марта 2026 г."),
                       (invoice, "Счёт на оплату № 1 от 5 марта 2026 г.")):
        resp = await books.http.get(f"{books.base}/documents/{doc['id']}/pdf",
                                    headers=books.owner.h)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(BytesIO(resp.content)).pages)
        text = " ".join(text.split())
        assert title in text
        assert "ООО «Покупатель»" in text
        # 3 × 1 234,50 = 3 703,50 ₽, of it VAT 20/120 = 617,25 ₽ (no-break spaces in print).
        assert "617,25" in text.replace("\xa0", " ")
        assert "Три тысячи семьсот три рубля 50 копеек" in text
    # A payment has no printable form; another organisation's user gets no PDF at all.
    pay = await books.made({"type": "bank_in", "date": "2026-03-06",
                            "counterparty_id": books.buyer, "amount": "3703.50"})
    resp = await books.http.get(f"{books.base}/documents/{pay['id']}/pdf",
                                headers=books.owner.h)
    assert_problem(resp, 422, "doc.not_printable")
    stranger = await sign_up(books.http, "stranger@example.ru")
    resp = await books.http.get(f"{books.base}/documents/{act['id']}/pdf", headers=stranger.h)
    assert resp.status_code in (403, 404)
