"""Every GET answers 304 to its own ETag while nothing changed — reports and PDFs included,
whose bodies carry the time they were made — and 200 again once a write changed the data.

The organisation's GETs are tagged from its data version (``server.services.versions``),
so the tag is known before the route runs; the caller's own lists by their body.
"""

from __future__ import annotations

import re
import uuid

from server.api.etag import _get_routes
from server.db.models import NumberCounter
from tests.helpers import rows
from tests.org_helpers import create_org, join, ooo, sign_up
from tests.server.test_bank_import import BANK_B, MARCH, SBER, SECTIONS, exchange, upload
from tests.server.test_payroll import IVANOV

PREFIX = "/api/v1"
NOT_REACHED = {
    # Each needs a world of its own (a signed document, a webhook endpoint, a payslip of
    # a posted run); their answers are tagged like every other organisation GET.
    "/orgs/{org_id}/documents/{document_id}/signed.zip",
    "/orgs/{org_id}/webhooks/{webhook_id}",
    "/orgs/{org_id}/webhooks/{webhook_id}/deliveries",
    "/orgs/{org_id}/payroll/runs/{run_id}/payslips/{employee_id}",
    "/orgs/{org_id}/payroll/runs/{run_id}/payslips/{employee_id}/pdf",
    "/orgs/{org_id}/payroll/runs/{run_id}/t53",
    "/orgs/{org_id}/payroll/runs/{run_id}/register",
    "/orgs/{org_id}/bank/imports/{import_id}/reconciliation",
    # The support agents' side: the owner is no agent (403); tagged by body like the
    # caller's own lists.
    "/support/agent/requests",
    "/support/agent/requests/{ticket_id}",
    "/support/agent/callbacks",
}
AUDITED_READS = {
    # Each call is a line of the audit log, which the audit GET shows: the data changed.
    "/orgs/{org_id}/export/journal",
}


def get_paths(app) -> list[str]:
    return sorted(p for p, ops in app.openapi()["paths"].items() if "get" in ops)


async def world(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general",
                                            bank_accounts=[SBER, BANK_B]))
    org_id = org["id"]
    base = f"/orgs/{org_id}"
    h = owner.h

    async def made(path: str, body: dict, code: int = 201) -> dict:
        resp = await http.post(f"{base}{path}", json=body, headers=h)
        assert resp.status_code == code, (path, resp.text)
        return resp.json()

    entry = await made("/entries", {"date": "2026-02-28", "description": "Уставный капитал",
                                    "postings": [{"debit": "51", "credit": "80",
                                                  "amount": "200000.00"}]})
    cp = await made("/counterparties", {"kind": "org", "name": "ООО «Покупатель»",
                                        "inn": "7728168971", "kpp": "772801001"})
    doc = await made("/documents", {
        "type": "act", "date": "2026-03-05", "counterparty_id": cp["id"], "post": False,
        "lines": [{"name": "Консультация", "quantity": "3", "unit": "час",
                   "price": "1234.50", "vat_rate": "20"}]})
    employee = await made("/employees", IVANOV)
    await made("/payroll/runs", {"year": 2026, "month": 1}, code=200)
    task = await made("/tasks", {"title": "Сдать отчёт"})
    ticket = await http.post("/support/requests", headers=h, json={
        "topic": "accounting", "text": "Не сходится ОСВ", "org_id": org_id})
    assert ticket.status_code == 201, ticket.text
    imported = await upload(http, h, base, exchange(SECTIONS, MARCH))
    assert imported.status_code == 201, imported.text
    usn = await create_org(http, owner, ooo(inn="7728168971", kpp="772801001",
                                            ogrn="1027739244741", tax_regime="usn_income"))
    ids = {"org_id": org_id, "usn_org_id": usn["id"], "entry_id": entry["id"],
           "counterparty_id": cp["id"], "document_id": doc["id"],
           "employee_id": employee["id"], "task_id": task["id"],
           "ticket_id": str(ticket.json()["id"]),
           "import_id": imported.json()["id"], "period": "2026-01", "quarter": "2026-Q1",
           "month": "2026-03",
           "run_id": str(uuid.uuid4()), "webhook_id": str(uuid.uuid4())}
    return owner, ids


def fill(path: str, ids: dict[str, str]) -> str:
    if "/payroll/forms/" in path:  # 6-НДФЛ and РСВ: a reporting period
        path = path.replace("{period}", ids["quarter"])
    if path.endswith("/quarters/{period}"):
        path = path.replace("{period}", ids["quarter"])
    if path.endswith("/reports/usn"):  # a report of the simplified system only
        path = path.replace("{org_id}", ids["usn_org_id"])
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path.removeprefix(PREFIX))


PARAMS = {
    "/orgs/{org_id}/reports/trial-balance": {"date_from": "2026-01-01",
                                             "date_to": "2026-03-31"},
    "/orgs/{org_id}/reports/account-card": {"account": "51", "date_from": "2026-01-01",
                                            "date_to": "2026-03-31"},
    "/orgs/{org_id}/reports/account-analysis": {"account": "51", "date_from": "2026-01-01",
                                                "date_to": "2026-03-31"},
    "/orgs/{org_id}/reports/balance-sheet": {"date_from": "2026-01-01",
                                             "date_to": "2026-03-31"},
    "/orgs/{org_id}/reports/financial-results": {"date_from": "2026-01-01",
                                                 "date_to": "2026-03-31"},
    "/orgs/{org_id}/reports/usn": {"year": "2026"},
    "/orgs/{org_id}/reports/stock": {"date": "2026-03-31"},
    "/orgs/{org_id}/reports/vat/purchase-book": {"year": "2026", "quarter": "1"},
    "/orgs/{org_id}/reports/vat/sales-book": {"year": "2026", "quarter": "1"},
    "/orgs/{org_id}/reports/vat/declaration": {"year": "2026", "quarter": "1"},
    "/orgs/{org_id}/calendar": {"date_from": "2026-01-01", "date_to": "2026-12-31"},
}


async def walk(http, app, owner, ids) -> None:
    """Every GET once: a first read may complete the chart (000, 84.01), a change."""
    for path in get_paths(app):
        short = path.removeprefix(PREFIX)
        if short not in AUDITED_READS:
            await http.get(fill(path, ids), headers=owner.h, params=PARAMS.get(short, {}))


async def test_every_get_route_answers_304_to_its_own_tag(http, server_app):
    owner, ids = await world(http)
    await walk(http, server_app, owner, ids)
    reached, missed, bad = [], [], []
    for path in get_paths(server_app):
        short = path.removeprefix(PREFIX)
        url = fill(path, ids)
        params = PARAMS.get(short, {})
        first = await http.get(url, headers=owner.h, params=params)
        if first.status_code != 200:
            missed.append((short, first.status_code, first.text[:120]))
            continue
        tag = first.headers.get("etag")
        assert tag, f"{short}: no ETag"
        again = await http.get(url, headers={**owner.h, "If-None-Match": tag}, params=params)
        if short in AUDITED_READS:
            assert again.status_code == 200 and again.headers["etag"] != tag, short
            reached.append(short)
            continue
        if again.status_code != 304:
            bad.append((short, again.status_code, again.text[:100]))
            continue
        assert again.content == b"" and again.headers["etag"] == tag, short
        reached.append(short)
    assert not bad, bad
    assert {p for p, *_ in missed} <= NOT_REACHED, missed
    assert len(reached) >= 45, reached  # every GET but the few above


async def test_a_report_is_304_until_a_write_changes_the_books(http, server_app):
    owner, ids = await world(http)
    base = f"/orgs/{ids['org_id']}"
    report = f"{base}/reports/trial-balance"
    params = PARAMS["/orgs/{org_id}/reports/trial-balance"]
    first = await http.get(report, headers=owner.h, params=params)
    assert first.status_code == 200 and "computed_at" in first.text
    tag = first.headers["etag"]
    entries = await http.get(f"{base}/entries", headers=owner.h)
    assert (await http.get(report, params=params, headers={**owner.h, "If-None-Match": tag})
            ).status_code == 304
    # Another question of the same data has its own tag.
    other = await http.get(report, headers={**owner.h, "If-None-Match": tag},
                           params={**params, "date_to": "2026-02-28"})
    assert other.status_code == 200 and other.headers["etag"] != tag

    resp = await http.post(f"{base}/entries", headers=owner.h, json={
        "date": "2026-03-10", "description": "Оплата от покупателя",
        "postings": [{"debit": "51", "credit": "62.01", "amount": "1000.00"}]})
    assert resp.status_code == 201, resp.text
    after = await http.get(report, headers={**owner.h, "If-None-Match": tag}, params=params)
    assert after.status_code == 200 and after.headers["etag"] != tag
    assert "62.01" in after.text
    journal = await http.get(f"{base}/entries",
                             headers={**owner.h, "If-None-Match": entries.headers["etag"]})
    assert journal.status_code == 200 and "Оплата от покупателя" in journal.text
    # The version is a row of number_counters, bumped once by that one transaction.
    (version,) = rows(server_app, NumberCounter, NumberCounter.org_id == ids["org_id"],
                      NumberCounter.sequence == "version")
    assert version.value >= 2


async def test_changes_through_lines_and_bulk_statements_count(http, server_app):
    """A document's lines (no org_id of their own) and a bulk DELETE through the session
    (the notification matrix) change the version too."""
    owner, ids = await world(http)
    base = f"/orgs/{ids['org_id']}"
    doc_url = f"{base}/documents/{ids['document_id']}"
    first = await http.get(doc_url, headers=owner.h)
    body = first.json()
    edit = {"type": "act", "date": body["date"], "counterparty_id": ids["counterparty_id"],
            "post": False,
            "lines": [{"name": "Консультация", "quantity": "4", "unit": "час",
                       "price": "1234.50", "vat_rate": "20"}]}
    resp = await http.put(doc_url, json=edit, headers=owner.h)
    assert resp.status_code == 200, resp.text
    again = await http.get(doc_url, headers={**owner.h, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 200 and '"4' in again.text


async def test_a_tag_is_the_callers_own(http, server_app):
    """Another member (another role) never gets a 304 for the owner's tag, and a role
    without the route's right is refused by the route, tag or not."""
    owner, ids = await world(http)
    base = f"/orgs/{ids['org_id']}"
    viewer = await join(http, owner, ids["org_id"], "viewer@example.ru", "observer")
    first = await http.get(f"{base}/entries", headers=owner.h)
    tag = first.headers["etag"]
    theirs = await http.get(f"{base}/entries", headers={**viewer.h, "If-None-Match": tag})
    assert theirs.status_code == 200 and theirs.headers["etag"] != tag
    pay = await http.get(f"{base}/employees", headers=owner.h)
    refused = await http.get(f"{base}/employees",
                             headers={**viewer.h, "If-None-Match": pay.headers["etag"]})
    assert refused.status_code == 403


async def test_reading_changes_nothing(http, server_app):
    """A second walk over every GET leaves the version as it was: no read counts as a
    write (but the export, which the audit log records)."""
    owner, ids = await world(http)

    def version() -> int:
        found = rows(server_app, NumberCounter, NumberCounter.org_id == ids["org_id"],
                     NumberCounter.sequence == "version")
        return found[0].value if found else 0

    await walk(http, server_app, owner, ids)
    before = version()
    await walk(http, server_app, owner, ids)
    assert version() == before


def test_the_route_table_knows_every_org_get(server_app):
    routes = _get_routes(server_app.router.routes)
    org_gets = [p for p in get_paths(server_app) if "{org_id}" in p]
    assert len(routes) == len(org_gets)
    assert all(perm is not None for _, perm in routes)
