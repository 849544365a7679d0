"""Counterparty screens at 80x24: a card by keys, live checks, search, paging, the archive."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Select

from screens.ledger.counterparties import CounterpartiesScreen, CounterpartyFormScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine

SIZE = (80, 24)
SBER = {"bik": "044525225", "account": "40817810899910004312",
        "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк"}


async def _org(http) -> tuple[dict, dict]:
    await register(http)
    pair = await login(http)
    org = (await http.post("/orgs", json=ORG, headers=bearer(pair))).json()
    return pair, org


async def _add(http, pair, org, **fields) -> None:
    body = {"kind": "org", **fields}
    response = await http.post(f"/orgs/{org['id']}/counterparties", json=body,
                               headers=bearer(pair))
    assert response.status_code == 201, response.text


async def _open_list(pilot) -> CounterpartiesScreen:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("k")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CounterpartiesScreen)
    return screen


async def _type_into(pilot, field: Input, text: str) -> None:
    field.focus()
    await pilot.pause()
    await type_text(pilot, text)


async def test_new_counterparty_by_keys_with_a_mistyped_inn(app, http):
    await _org(http)
    async with app.run_test(size=SIZE) as pilot:
        await _open_list(pilot)
        text = screen_text(app)
        assert "Контрагенты" in text and "Контрагентов нет" in text
        footer = text.splitlines()[-1]
        for key in ("Назад", "Поиск", "Новый", "Открыть", "Архив"):
            assert key in footer, footer
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CounterpartyFormScreen)
        assert app.focused is form.query_one("#name", Input)
        assert form.query_one("#kind", Select).value == "org"
        assert not form.query_one("#kpp", Input).disabled
        await type_text(pilot, "ООО Лютик")
        inn = form.query_one("#inn", Input)
        await _type_into(pilot, inn, "7707083894")  # the check digit is 3
        assert inn.has_class("-invalid")
        assert "ИНН с ошибкой" in str(form.query_one(ErrorLine).render())
        # Saving is refused in the client, with the cursor on the ИНН.
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CounterpartyFormScreen)
        assert app.focused is inn
        assert "ИНН" in str(form.query_one(ErrorLine).render())
        await pilot.press("backspace")
        await type_text(pilot, "3")
        assert not inn.has_class("-invalid")
        for field, value in (("kpp", "773601001"), ("full_name", "ООО «Лютик»"),
                             ("phone", "+7 495 123-45-67"), ("email", "buh@lutik.ru"),
                             ("contract", "Договор № 15 от 01.02.2026"), *SBER.items()):
            await _type_into(pilot, form.query_one(f"#{field}", Input), value)
            assert not form.query_one(f"#{field}", Input).has_class("-invalid"), field
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CounterpartiesScreen)
        assert "ООО Лютик" in screen_text(app)
        assert "7707083893/773601001" in screen_text(app)
        # Enter opens the card; a second one with the same ИНН/КПП is refused by the server.
        await pilot.press("enter")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, CounterpartyFormScreen)
        assert card.query_one("#account", Input).value == SBER["account"]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await type_text(pilot, "ООО Лютик-2")
        await _type_into(pilot, form.query_one("#inn", Input), "7707083893")
        await _type_into(pilot, form.query_one("#kpp", Input), "773601001")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, CounterpartyFormScreen)
        assert "уже есть: ООО Лютик" in str(form.query_one(ErrorLine).render())
        assert app.focused is form.query_one("#inn", Input)
        # A person has no КПП: the field is disabled.
        form.query_one("#kind", Select).value = "person"
        await settle(pilot)
        assert form.query_one("#kpp", Input).disabled


async def test_search_by_name_and_by_inn_prefix(app, http):
    pair, org = await _org(http)
    await _add(http, pair, org, name="ООО Ромашка", inn="7707083893", kpp="773601001")
    await _add(http, pair, org, name="ИП Лютиков", kind="ip", inn="500100732259")
    await _add(http, pair, org, name="Петров Пётр", kind="person")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_list(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 3
        await pilot.press("slash")
        assert app.focused is screen.query_one("#search", Input)
        await type_text(pilot, "лют")
        await settle(pilot, until=lambda: table.row_count == 1)
        assert table.row_count == 1
        assert "ИП Лютиков" in screen_text(app)
        await pilot.press(*["backspace"] * 3)
        await type_text(pilot, "7707")
        await settle(pilot, until=lambda: table.row_count == 1 and "Ромашка" in screen_text(app))
        assert table.row_count == 1
        assert "ООО Ромашка" in screen_text(app)
        await pilot.press(*["backspace"] * 4)
        await settle(pilot, until=lambda: table.row_count == 3)
        assert table.row_count == 3


async def test_paging_archive_and_restore(app, http):
    pair, org = await _org(http)
    for n in range(70):
        await _add(http, pair, org, name=f"Контрагент {n:02d}", kind="person")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_list(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 50  # one page, not the whole list
        table.move_cursor(row=45)
        await settle(pilot, until=lambda: table.row_count == 70)
        assert table.row_count == 70  # the next page came as the cursor neared the end
        # Archive the first one: it leaves the list and shows up under `h`.
        table.move_cursor(row=0)
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot, until=lambda: table.row_count == 50)
        assert "Контрагент 00" not in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        assert table.row_count == 1
        text = screen_text(app)
        assert "архив" in text and "Контрагент 00" in text
        # `a` in the archive brings it back.
        await pilot.press("a")
        await settle(pilot)
        assert table.row_count == 0
        await pilot.press("h")
        await settle(pilot)
        assert "Контрагент 00" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CounterpartiesScreen)
