"""The books as a ledger-cli / hledger journal: every entry balances, the accounts add up to
the trial balance (or, without it, to the entries), Cyrillic and quoting survive, and the
stream reads the same whatever its batch size."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from server.services import export
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.helpers import assert_problem
from tests.org_helpers import create_org, ooo, sign_up

VASILEK = {"kind": "org", "name": "ООО «Василёк»", "inn": "7719617469", "kpp": "771901001"}
QUOTED = {"kind": "ip", "name": 'ИП Петров "Пётр"; и сыновья', "inn": "500100732259"}


# --- a small reader of the journal, independent of the exporter ----------------------


@dataclass
class Side:
    account: str
    amount: Decimal
    comments: list[str] = field(default_factory=list)


@dataclass
class Txn:
    date: str
    code: int
    description: str
    comments: list[str] = field(default_factory=list)
    sides: list[Side] = field(default_factory=list)


@dataclass
class Journal:
    header: list[str]
    accounts: dict[str, str]
    txns: list[Txn]
    directives: list[str]

    def balances(self) -> dict[str, Decimal]:
        """Debit minus credit per account as written (``62:01``), zero sums kept."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for txn in self.txns:
            for side in txn.sides:
                sums[side.account] += side.amount
        return dict(sums)

    def rolled_up(self, code: str) -> Decimal:
        """``bal 60``: the account and everything under it."""
        name = code.replace(".", ":")
        return sum((v for k, v in self.balances().items()
                    if k == name or k.startswith(name + ":")), Decimal(0))


TXN = re.compile(r"^(\d{4}-\d{2}-\d{2}) \* \((\d+)\)(?: (.*))?$")
SIDE = re.compile(r"^    (\S(?:\S| (?! ))*) {2,}(-?\d+\.\d{2}) RUB(?:  ; (.*))?$")
DIRECTIVES = ("decimal-mark .", "commodity RUB", "    format 1000.00 RUB",
              "commodity 1000.00 RUB")


def read_journal(text: str) -> Journal:
    """Parse the subset of the journal format the export writes; anything else fails."""
    journal = Journal([], {}, [], [])
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if line.startswith("; "):
            assert not journal.txns, f"line {number}: a header comment after the entries"
            journal.header.append(line[2:])
        elif line.startswith("account "):
            name, _, comment = line.removeprefix("account ").partition("  ; ")
            journal.accounts[name] = comment
        elif line in DIRECTIVES:
            journal.directives.append(line)
        elif found := TXN.match(line):
            journal.txns.append(Txn(found[1], int(found[2]), found[3] or ""))
        elif line.startswith("        ; "):
            journal.txns[-1].sides[-1].comments.append(line.removeprefix("        ; "))
        elif line.startswith("    ; "):
            assert not journal.txns[-1].sides, f"line {number}: entry comment after postings"
            journal.txns[-1].comments.append(line.removeprefix("    ; "))
        elif found := SIDE.match(line):
            side = Side(found[1], Decimal(found[2]), [found[3]] if found[3] else [])
            journal.txns[-1].sides.append(side)
        else:
            raise AssertionError(f"line {number} is not journal syntax: {line!r}")
    return journal


# --- the books -------------------------------------------------------------------------


@pytest.fixture
async def books(http):
    """An ООО on ОСНО with two counterparties, an own sub-account and these entries:

    №1 02.03 Дт 51 Кт 62.01 150 000,00 (Василёк, memo «п/п № 12»)
    №2 05.03 an act to Василёк: 3 × 1 234,50 = 3 703,50 with VAT 20 % inside
             (3 703,50 × 20 / 120 = 617,25): Дт 62.01 Кт 90.01 3 703,50, Дт 90.03 Кт 68.02 617,25
    №3 10.03 Дт 26 Кт 60.01 5 000,00, reversed by
    №4 11.03 Дт 26 Кт 60.01 −5 000,00 (сторно)
    №5 05.03 Дт 76.АВ Кт 51 1 000,50 (same day as №2, later number)
    №6 01.04 Дт 76.21 (own sub-account) Кт 51 300,00 (the quoted ИП)
    """
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo(tax_regime="osno", vat_mode="general"))
    base = f"/orgs/{org['id']}"
    h = owner.h

    async def post(url: str, body: dict) -> dict:
        resp = await http.post(f"{base}{url}", json=body, headers=h)
        assert resp.status_code == 201, resp.text
        return resp.json()

    vasilek = await post("/counterparties", VASILEK)
    quoted = await post("/counterparties", QUOTED)
    await post("/accounts", {"parent": "76", "code": "76.21",
                             "name": "Расчёты с «Ландышем»; прочие"})
    e1 = await post("/entries", {
        "date": "2026-03-02", "description": "Поступление от покупателя; аванс\nпо счёту № 7",
        "postings": [{"debit": "51", "credit": "62.01", "amount": "150000.00",
                      "counterparty_id": vasilek["id"], "memo": "п/п № 12"}]})
    act = await post("/documents", {
        "type": "act", "date": "2026-03-05", "counterparty_id": vasilek["id"],
        "lines": [{"name": "Консультация", "quantity": "3", "unit": "час",
                   "price": "1234.50", "vat_rate": "20"}]})
    e3 = await post("/entries", {"date": "2026-03-10", "description": "Аренда за март",
                                 "postings": [{"debit": "26", "credit": "60.01",
                                               "amount": "5000.00"}]})
    e4 = await post(f"/entries/{e3['id']}/reverse", {"reason": "счёт не тот",
                                                       "date": "2026-03-11"})
    e5 = await post("/entries", {
        "date": "2026-03-05", "description": 'Аванс «подотчёт» "Иванов" | касса',
        "postings": [{"debit": "76.АВ", "credit": "51", "amount": "1000.50"}]})
    e6 = await post("/entries", {
        "date": "2026-04-01", "description": "Прочие расчёты",
        "postings": [{"debit": "76.21", "credit": "51", "amount": "300.00",
                      "counterparty_id": quoted["id"]}]})
    assert [e1["number"], e3["number"], e4["number"], e5["number"], e6["number"]] == \
        [1, 3, 4, 5, 6]
    assert act["state"] == "posted"
    return http, h, base, org


async def fetch(http, h, base, fmt="ledger") -> str:
    resp = await http.get(f"{base}/export/journal", params={"format": fmt}, headers=h)
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "text/plain; charset=utf-8"
    # The ETag comes from the books' version (a repeat download of unchanged books is a 304).
    assert resp.headers["etag"].startswith("W/\"v")
    return resp.text


def _has_trial_balance(server_app) -> bool:
    return "/api/v1/orgs/{org_id}/reports/trial-balance" in server_app.openapi()["paths"]


async def test_the_journal_balances_and_matches_the_figures_by_hand(books):
    http, h, base, _org = books
    text = await fetch(http, h, base)
    journal = read_journal(text)

    assert journal.header[1] == "Организация: ООО «Ромашка», ИНН 7707083893/773601001"
    assert journal.header[2].startswith("Сформирован: 20")
    # ledger-cli's commodity block (decimal-mark is for hledger only)
    assert journal.directives == ["commodity RUB", "    format 1000.00 RUB"]
    assert journal.accounts["60:01"].startswith("Расчеты с поставщиками")
    assert journal.accounts["76:АВ"] == "НДС по авансам и предоплатам"
    assert journal.accounts["76:21"] == "Расчёты с «Ландышем»; прочие"
    assert "60" in journal.accounts and "51" in journal.accounts

    # Date order, then number: №5 (05.03) comes right after №2 (05.03), before №3 (10.03).
    assert [(x.date, x.code) for x in journal.txns] == [
        ("2026-03-02", 1), ("2026-03-05", 2), ("2026-03-05", 5), ("2026-03-10", 3),
        ("2026-03-11", 4), ("2026-04-01", 6)]
    for txn in journal.txns:
        assert sum(s.amount for s in txn.sides) == 0, txn

    by_code = {x.code: x for x in journal.txns}
    first = by_code[1]
    # The ';' would start a comment and the line break a new line: neither survives.
    assert first.description == "Поступление от покупателя, аванс по счёту № 7"
    assert [(s.account, s.amount) for s in first.sides] == [
        ("51", Decimal("150000.00")), ("62:01", Decimal("-150000.00"))]
    assert first.sides[1].comments == ["cp: ООО «Василёк» (7719617469)", "п/п № 12"]
    assert by_code[2].comments == ["doc: Акт № 1 от 05.03.2026"]
    assert by_code[4].comments == ["reverses: 3"]
    assert [(s.account, s.amount) for s in by_code[4].sides] == [
        ("26", Decimal("-5000.00")), ("60:01", Decimal("5000.00"))]
    assert by_code[5].description == 'Аванс «подотчёт» "Иванов" | касса'
    assert by_code[6].sides[0].comments == ['cp: ИП Петров "Пётр"; и сыновья (500100732259)']

    # By hand (debit plus, credit minus):
    # 51: 150 000,00 − 1 000,50 − 300,00 = 148 699,50
    # 62: −150 000,00 + 3 703,50 = −146 296,50
    # 90: −3 703,50 (90.01) + 617,25 (90.03) = −3 086,25; 68.02: −617,25
    # 26 and 60.01: 5 000,00 − 5 000,00 = 0 (the reversal)
    # 76: 1 000,50 (76.АВ) + 300,00 (76.21) = 1 300,50
    assert journal.rolled_up("51") == Decimal("148699.50")
    assert journal.rolled_up("62") == Decimal("-146296.50")
    assert journal.rolled_up("90") == Decimal("-3086.25")
    assert journal.rolled_up("68.02") == Decimal("-617.25")
    assert journal.rolled_up("26") == 0 and journal.rolled_up("60") == 0
    assert journal.rolled_up("76") == Decimal("1300.50")
    assert journal.rolled_up("76.АВ") == Decimal("1000.50")
    assert sum(journal.balances().values()) == 0


async def test_the_accounts_equal_the_server_figures(books, server_app):
    http, h, base, _org = books
    journal = read_journal(await fetch(http, h, base))
    if _has_trial_balance(server_app):
        resp = await http.get(f"{base}/reports/trial-balance", headers=h,
                              params={"date_from": "2026-01-01", "date_to": "2026-12-31"})
        assert resp.status_code == 200, resp.text
        rows = resp.json()["rows"]
        assert {r["account"] for r in rows if r["level"] == 0} >= {"51", "62", "90", "76"}
        for row in rows:
            if row["level"] > 1:
                continue
            closing = Decimal(row["closing_debit"]) - Decimal(row["closing_credit"])
            assert journal.rolled_up(row["account"]) == closing, row
            turnover = Decimal(row["debit"]) - Decimal(row["credit"])
            assert turnover == closing  # nothing before 2026
    else:
        # No trial balance route (yet): the entries API, summed here, is the reference.
        expected: dict[str, Decimal] = defaultdict(Decimal)
        resp = await http.get(f"{base}/entries", params={"limit": 500}, headers=h)
        items = resp.json()["items"]
        assert len(items) == len(journal.txns) == 6
        for entry in items:
            for p in entry["postings"]:
                expected[p["debit"].replace(".", ":")] += Decimal(p["amount"])
                expected[p["credit"].replace(".", ":")] -= Decimal(p["amount"])
        assert journal.balances() == dict(expected)


async def test_hledger_format_and_any_batch_size_read_the_same(books, monkeypatch):
    http, h, base, _org = books
    whole = await fetch(http, h, base, "ledger")
    hledger = await fetch(http, h, base, "hledger")
    assert read_journal(hledger).directives == ["decimal-mark .", "commodity 1000.00 RUB"]
    assert "для hledger" in hledger.splitlines()[0]
    # Keyset paging: batches of 1 and 2 entries split the same day (05.03: №2, №5).
    for size in (1, 2):
        monkeypatch.setattr(export, "BATCH", size)
        again = await fetch(http, h, base, "ledger")
        assert _without_time(again) == _without_time(whole)


def _without_time(text: str) -> str:
    return "\n".join(x for x in text.split("\n") if not x.startswith("; Сформирован"))


async def test_english_header_and_refusals(books, http):
    _http, h, base, _org = books
    resp = await http.get(f"{base}/export/journal", headers={**h, "Accept-Language": "en"})
    assert resp.text.startswith("; Buhta: the journal of entries for ledger-cli\n")
    assert_problem(await http.get(f"{base}/export/journal", params={"format": "csv"},
                                  headers=h), 422, "validation.failed")
    assert_problem(await http.get(f"{base}/export/journal"), 401, "auth.unauthorized")
    stranger = await sign_up(http, "stranger@example.ru")
    assert_problem(await http.get(f"{base}/export/journal", headers=stranger.h),
                   404, "orgs.not_found")


async def test_an_empty_organisation_exports_its_chart_only(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    journal = read_journal(await fetch(http, owner.h, f"/orgs/{org['id']}"))
    assert journal.txns == [] and "51" in journal.accounts


@pytest.mark.parametrize("tool", ["ledger", "hledger"])
async def test_the_real_tools_read_it(books, tmp_path, tool):
    """When ledger-cli / hledger are installed: they read the file, and their balance
    per synthetic account is the one computed by hand above."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (sudo apt-get install {tool})")
    http, h, base, _org = books
    path = tmp_path / "books.journal"
    path.write_text(await fetch(http, h, base, tool), encoding="utf-8")
    args = [tool, "-f", str(path), "bal", "--depth", "1", "--no-total"]
    if tool == "hledger":
        args.append("--flat")
    out = subprocess.run(args, capture_output=True, text=True, check=True,
                         env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}).stdout
    found = {}
    for line in out.splitlines():
        amount, _, account = line.strip().partition(" RUB  ")
        if amount:
            found[account.strip()] = Decimal(amount)
    assert found == {"51": Decimal("148699.50"), "62": Decimal("-146296.50"),
                     "68": Decimal("-617.25"), "76": Decimal("1300.50"),
                     "90": Decimal("-3086.25")}


def test_the_pieces_of_text():
    assert export.account_name("60.01") == "60:01"
    assert export.account_name("76.АВ") == "76:АВ"
    # 150 000,50 ₽ = 15 000 050 коп.; −7 коп.
    assert export.amount(15_000_050) == "150000.50"
    assert export.amount(-7) == "-0.07"
    assert export.description("  а;б\r\n\tв  ") == "а,б в"
    line = export.posting_line("62:01", -15_000_000, "cp: x")
    assert line == "    62:01" + " " * 17 + "-150000.00 RUB  ; cp: x"
    long = export.posting_line("a" * 40, 100)
    assert long == "    " + "a" * 40 + "  1.00 RUB"
