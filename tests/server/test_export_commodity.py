"""The journal export declares its commodity and precision, so ledger-cli and hledger print
two decimals (issue 13, point 12).

Books by hand: Дт 51 Кт 80 10 000,00 (the capital paid in), Дт 26 Кт 51 1 500,00 (rent),
Дт 26 Кт 51 0,50 (a bank fee). Balances: 51 = 10 000 − 1 500 − 0,50 = 8 499,50;
26 = 1 500,50; 80 = −10 000,00. Without the commodity declaration ledger 3.3 printed
``-10000`` for 80 (a commodity-less sum with the fewest decimals), which is the bug.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from server.services import export
from tests.org_helpers import create_org, ooo, sign_up

ENTRIES = (("51", "80", "10000.00"), ("26", "51", "1500.00"), ("26", "51", "0.50"))


@pytest.fixture
async def journal_text(http):
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    for day, (debit, credit, amount) in enumerate(ENTRIES, start=2):
        resp = await http.post(f"{base}/entries", headers=owner.h, json={
            "date": f"2026-03-{day:02d}", "description": "Операция",
            "postings": [{"debit": debit, "credit": credit, "amount": amount}]})
        assert resp.status_code == 201, resp.text

    async def get(fmt: str) -> str:
        resp = await http.get(f"{base}/export/journal", params={"format": fmt},
                              headers=owner.h)
        assert resp.status_code == 200, resp.text
        return resp.text

    return get


async def test_each_format_declares_the_commodity_in_its_own_syntax(journal_text):
    ledger = await journal_text("ledger")
    assert "\ncommodity RUB\n    format 1000.00 RUB\n" in ledger
    assert "decimal-mark" not in ledger
    hledger = await journal_text("hledger")
    assert "\ndecimal-mark .\ncommodity 1000.00 RUB\n" in hledger
    # Every amount carries the commodity: 10 000,00 is written «10000.00 RUB».
    assert "    51" + " " * 22 + "10000.00 RUB" in ledger
    assert "-0.50 RUB" in ledger and "-0.50 RUB" in hledger


def test_the_directives_text():
    assert export.commodity_directives("ledger") == "commodity RUB\n    format 1000.00 RUB\n\n"
    assert export.commodity_directives("hledger") == "decimal-mark .\ncommodity 1000.00 RUB\n\n"


@pytest.mark.parametrize("tool", ["ledger", "hledger"])
async def test_the_tools_print_two_decimals(journal_text, tmp_path, tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (apt-get install {tool})")
    path = tmp_path / "books.journal"
    path.write_text(await journal_text(tool), encoding="utf-8")
    args = [tool, "-f", str(path), "bal", "--no-total"]
    if tool == "hledger":
        args.append("--flat")
    out = subprocess.run(args, capture_output=True, text=True, check=True,
                         env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"}).stdout
    lines = {" ".join(x.split()) for x in out.splitlines() if x.strip()}
    assert lines == {"1500.50 RUB 26", "8499.50 RUB 51", "-10000.00 RUB 80"}, out
