"""The opening balances screen at 80x24 (issue 13 point 6): `i` in the journal opens it, a
whole set is typed in one burst of keys, the 000 check follows the totals, F2 posts, and
the ОСВ shows the balances.

The set (start 01.01 of this year, so the entry is dated 31.12 of the last one; roubles):
    Дт 51                100 000
    Дт 62.01  buyer A     30 000      (the counterparty typed as its ИНН)
    Кт 60.01  supplier S  40 000
    Кт 80                 90 000
After the first three lines: Дт 130 000, Кт 40 000; 000 is credited 130 000 and debited
40 000: balance 90 000 К — «расходится на 90 000,00». With 80: Кт 130 000 — «сходится».
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from screens.ledger.journal import LedgerScreen
from screens.ledger.opening import OpeningScreen, resolve
from screens.reports.trial_balance import TrialBalanceScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_ledger_screens import add_counterparty, books, open_journal
from tui.widgets.form import ErrorLine

SIZE = (80, 24)
A_INN, S_INN = "7728168971", "7736050003"


def keys(text: str) -> list[str]:
    names = {".": "full_stop", ",": "comma", " ": "space"}
    return [names.get(ch, ch) for ch in text]


def line(account: str, cp: str | None, debit: str, credit: str) -> list[str]:
    """One editor line: account, Tab, counterparty, Tab, debit, Tab, credit, Enter.

    ``cp`` None: an account without counterparties (51, 80), whose counterparty box is
    off, so the Tab after the account goes straight to the debit."""
    with_cp = [] if cp is None else [*keys(cp), "tab"]
    return [*keys(account), "tab", *with_cp, *keys(debit), "tab", *keys(credit), "enter"]


async def test_typing_a_set_checks_000_posts_and_the_trial_balance_shows_it(app, http):
    h, org = await books(http)
    await add_counterparty(http, h, org, "ООО «Покупатель А»", A_INN)
    await add_counterparty(http, h, org, "ООО «Поставщик»", S_INN)
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("i")
        await settle(pilot, until=lambda: isinstance(app.screen, OpeningScreen)
                     and app.screen.ready)
        screen = app.screen
        assert isinstance(screen, OpeningScreen)
        assert f"01.01.{date.today().year}" in screen_text(app)
        # 51 keeps no counterparties: its counterparty box is off, the Tab after the
        # code lands in the debit (80 keeps founders, so its box is on).
        await pilot.press(*keys("51"))
        await settle(pilot)
        assert screen.query_one("#counterparty").disabled
        await pilot.press(*["backspace"] * 2)
        await pilot.press(*line("51", None, "100000", ""),
                          *line("62.01", A_INN, "30000", ""),
                          *line("60.01", S_INN, "", "40000"))
        await settle(pilot)
        assert [(x.account, x.debit, x.credit) for x in screen.lines] == [
            ("51", Decimal(100000), 0), ("62.01", Decimal(30000), 0),
            ("60.01", 0, Decimal(40000))]
        text = screen_text(app).replace("\u00a0", " ")
        assert "000 сальдо 90 000,00 ₽ К — расходится на 90 000,00 ₽" in text
        await pilot.press(*line("80", "", "", "90000"))
        await settle(pilot)
        text = screen_text(app).replace("\u00a0", " ")
        assert "Дт 130 000,00 ₽ · Кт 130 000,00 ₽" in text
        assert "000 сальдо 0,00 ₽ — сходится" in text
        # A line with both sides is refused, and says why; the table keeps four lines.
        await pilot.press(*line("51", None, "5", "5"))
        await settle(pilot)
        assert "по дебету или по кредиту" in str(screen.query_one(ErrorLine).render())
        assert len(screen.lines) == 4
        # F2 posts the table (the counterparties typed as ИНН are looked up).
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, LedgerScreen))
        posted = (await http.get(f"{org}/ledger/opening-balances", headers=h)).json()
        assert posted["balanced"] is True
        assert posted["start_date"] == f"{date.today().year}-01-01"
        assert {(x["account"], x["counterparty"], x["debit"], x["credit"])
                for x in posted["lines"]} == {
            ("51", None, "100000.00", "0.00"),
            ("62.01", "ООО «Покупатель А»", "30000.00", "0.00"),
            ("60.01", "ООО «Поставщик»", "0.00", "40000.00"),
            ("80", None, "0.00", "90000.00")}
        # The ОСВ of this quarter opens with them.
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot, until=lambda: getattr(app.screen, "report", None) is not None)
        tb = app.screen
        assert isinstance(tb, TrialBalanceScreen)
        rows = {r.account: r for r in tb.report.rows if r.level == 0}
        assert rows["51"].opening_debit == 100000 and rows["62"].opening_debit == 30000
        assert rows["60"].opening_credit == 40000 and rows["80"].opening_credit == 90000
        assert "000" not in rows  # nets to zero: no balance, no turnover in the period


async def test_opening_the_screen_again_shows_the_set_and_delete_removes_a_line(app, http):
    h, org = await books(http)
    resp = await http.post(f"{org}/ledger/opening-balances", headers=h, json={
        "start_date": "2026-02-01", "lines": [{"account": "51", "debit": "500.00"},
                                              {"account": "80", "credit": "500.00"}]})
    assert resp.status_code == 200, resp.text
    async with app.run_test(size=SIZE) as pilot:
        await open_journal(pilot)
        await pilot.press("i")
        await settle(pilot, until=lambda: isinstance(app.screen, OpeningScreen)
                     and app.screen.ready)
        screen = app.screen
        text = screen_text(app).replace("\u00a0", " ")
        assert "01.02.2026" in text and "000 сальдо 0,00 ₽ — сходится" in text
        # Into the table, the second line, Delete: 500,00 К of 000 left (Дт 51 only).
        screen.query_one("#opening-lines").focus()
        await pilot.press("down", "delete")
        await settle(pilot)
        assert [x.account for x in screen.lines] == ["51"]
        assert "расходится на 500,00 ₽" in screen_text(app).replace("\u00a0", " ")


def test_a_typed_counterparty_is_resolved_by_inn_or_a_unique_name():
    from core import contract as m

    def cp(name: str, inn: str) -> m.CounterpartyOut:
        return m.CounterpartyOut.model_construct(id=inn, name=name, inn=inn)

    one, two = cp("ООО «Альфа»", A_INN), cp("ООО «Альфа-2»", S_INN)
    assert resolve(S_INN, [one, two]) is two
    assert resolve("ооо «альфа»", [one, two]) is one
    assert resolve("Альф", [one, two]) is None  # two could be meant
    assert resolve("Альф", [one]) is one
    assert resolve("Бета", []) is None
