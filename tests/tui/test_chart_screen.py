"""The chart of accounts screen at 80x24: kinds, analytics, the filter, a new sub-account."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from core import contract as m
from core.validation import InvalidInput
from screens.ledger.chart import (
    ChartScreen,
    SubAccountDialog,
    check_sub_account,
    next_free_code,
    tree_order,
)
from screens.ledger.journal import LedgerScreen
from tests.conftest import bearer, login
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_ledger_screens import books
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine

SIZE = (80, 24)


def account(code: str, parent: str | None = None, builtin: bool = True,
            kind: str = "active_passive") -> m.LedgerAccountOut:
    return m.LedgerAccountOut(code=code, name=f"Счёт {code}", kind=kind, analytics=[],
                              parent=parent, builtin=builtin)


def test_sub_account_rules_as_the_server_has_them():
    s60 = account("60")
    taken = ["60", "60.01", "60.02"]
    # Spaces go, the name's inner spaces are squeezed.
    assert check_sub_account(s60, " 60.21 ", "Аренда   офиса", taken) == ("60.21", "Аренда офиса")
    # Latin lookalikes are read as Cyrillic, as the server does: 76.ab → 76.АВ.
    assert check_sub_account(account("76.АВ", "76"), "76.ab.01", "x", []) == ("76.АВ.01", "x")
    for code, reason in (("60.1", "code"), ("60.001", "code"), ("60.00", "code"),
                         ("62.05", "code"), ("60.2a", "code"), ("60.１２", "code"),
                         ("60.01", "taken")):
        with pytest.raises(InvalidInput) as refused:
            check_sub_account(s60, code, "Имя", taken)
        assert refused.value.params["reason"] == reason, code
    for name in ("", "   ", "x" * 201, "tab\x07bell"):
        with pytest.raises(InvalidInput) as refused:
            check_sub_account(s60, "60.21", name, taken)
        assert refused.value.params["reason"] == "name"
    assert check_sub_account(s60, "60.21", "x" * 200, taken)[1] == "x" * 200
    with pytest.raises(InvalidInput) as refused:
        check_sub_account(account("60.21", "60", builtin=False), "60.21.01", "Имя", taken)
    assert refused.value.params["reason"] == "parent"


def test_next_free_code_and_the_tree():
    s60 = account("60")
    assert next_free_code(s60, ["60", "60.01", "60.02"]) == "60.03"
    assert next_free_code(s60, ["60", "60.02"]) == "60.01"
    accounts = [account("62"), account("60.21", "60", builtin=False), account("60.01", "60"),
                account("60"), account("62.01", "62")]
    assert [(a.code, depth) for a, depth in tree_order(accounts)] == [
        ("60", 0), ("60.01", 1), ("60.21", 1), ("62", 0), ("62.01", 1)]


async def open_chart(pilot) -> ChartScreen:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LedgerScreen)
    await pilot.press("p")  # план счетов
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ChartScreen)
    return screen


def codes(screen: ChartScreen) -> list[str]:
    return [a.code for a in screen.shown]


def row_of(screen: ChartScreen, code: str) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(cell) for cell in table.get_row(code)]


async def test_chart_shows_kinds_analytics_and_filters(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        text = screen_text(app)
        assert "План счетов" in text and "Основные средства" in text
        assert row_of(chart, "01") == ["01", "Основные средства", "А", ""]
        assert row_of(chart, "02")[2] == "П"
        assert row_of(chart, "60") == ["60", "Расчеты с поставщиками и подрядчиками", "А-П",
                                       "контрагенты, договоры"]
        # A sub-account is indented right under its parent.
        order = codes(chart)
        assert order.index("60.01") == order.index("60") + 1
        assert row_of(chart, "60.01")[0] == "  60.01"
        await pilot.press("slash")
        assert chart.query_one("#filter", Input).has_focus
        await type_text(pilot, "касс")
        await settle(pilot)
        assert codes(chart) == ["50", "50.01"]
        assert "План счетов: 2 из" in screen_text(app)
        chart.query_one("#filter", Input).value = ""
        await type_text(pilot, "расчёты с поставщ")  # ё = е, words anywhere in the name
        await settle(pilot)
        assert codes(chart) == ["60", "60.01"]
        chart.query_one("#filter", Input).value = ""
        await type_text(pilot, "68.")  # by the beginning of the code
        await settle(pilot)
        assert codes(chart) == ["68.01", "68.02", "68.04", "68.12", "68.90"]
        chart.query_one("#filter", Input).value = ""
        await type_text(pilot, "ёжик")
        await settle(pilot)
        assert codes(chart) == [] and "Нет счетов по этому фильтру" in screen_text(app)
        await pilot.press("escape")  # Esc in the filter empties it
        await settle(pilot)
        assert len(codes(chart)) > 60 and chart.query_one(DataTable).has_focus
        await pilot.press("escape")  # and then leaves
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)


async def test_adding_a_sub_account(app, http):
    h, org = await books(http)
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        await pilot.press("slash")
        await type_text(pilot, "60")
        await pilot.press("enter")  # back to the list, on account 60
        await settle(pilot)
        assert chart.query_one(DataTable).has_focus
        assert chart._selected().code == "60"
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SubAccountDialog)
        code = dialog.query_one("#code", Input)
        assert code.value == "60.03"  # 60.01 and 60.02 are taken
        # Refused here, before the server is asked.
        code.value = "60.1"
        dialog.query_one("#name", Input).value = "Аренда офиса"
        await pilot.press("enter")
        await settle(pilot)
        assert "Код субсчёта — 60.NN" in str(dialog.query_one(ErrorLine).render())
        assert code.has_focus
        code.value = "60.02"
        await pilot.press("enter")
        await settle(pilot)
        assert "Код 60.02 уже есть" in str(dialog.query_one(ErrorLine).render())
        code.value = "60.21"
        dialog.query_one("#name", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is chart
        # In the list, under 60, marked as the organisation's own, and highlighted.
        assert "60.21" in codes(chart)
        assert chart._selected().code == "60.21"
        assert row_of(chart, "60.21")[:3] == ["  60.21", "Аренда офиса (свой)", "А-П"]
        assert "субсчёт организации" in screen_text(app)
        accounts = (await http.get(f"{org}/accounts", headers=h)).json()["items"]
        added = next(a for a in accounts if a["code"] == "60.21")
        assert added["parent"] == "60" and not added["builtin"]
        # The server has the last word: taken meanwhile from another device.
        h2 = bearer(await login(http))
        resp = await http.post(f"{org}/accounts", headers=h2,
                               json={"parent": "60", "code": "60.22", "name": "Связь"})
        assert resp.status_code == 201
        await pilot.press("n")  # on 60.21, an own sub-account: the new one goes under 60
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SubAccountDialog)
        assert dialog.parent_account.code == "60"
        dialog.query_one("#code", Input).value = "60.22"
        dialog.query_one("#name", Input).value = "Интернет"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SubAccountDialog)
        assert "Субсчёт не добавлен" in str(dialog.query_one(ErrorLine).render())
