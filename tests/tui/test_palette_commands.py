"""ctrl+p finds every command of the screen by its Russian name, in a Russian palette
(issue 12, points 4 and 5)."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from screens.ledger.journal import LedgerScreen
from screens.payroll.runs import PayrollScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_keys_footer import with_org
from tests.tui.test_org_screens import sign_in
from tui.keys import KeysOverlay

SIZE = (80, 24)


async def search(pilot, query: str) -> list[str]:
    app = pilot.app
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(app.screen, CommandPalette)
    app.screen.query_one(CommandInput).value = query
    await settle(pilot)
    await pilot.pause(0.7)  # «Ничего не найдено» waits half a second
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_the_palette_finds_the_journals_commands_in_russian(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = screen_text(app)
        assert "Найти команду…" in text and "Search for commands" not in text
        # Textual's own commands, in Russian.
        for english in ("Keys", "Maximize", "Quit", "Screenshot", "Theme"):
            assert f"  {english}" not in text, english
        await pilot.press("escape")
        await settle(pilot)
        found = await search(pilot, "сторно")
        assert any("Сторно (s)" in line for line in found), found
        # A command whose help would only repeat its name shows the name alone (it read
        # as two commands «Контрагенты» one under the other).
        found = await search(pilot, "контрагенты")
        assert found == ["Контрагенты"], found
        await pilot.press("escape")
        await settle(pilot)
        found = await search(pilot, "закрыть месяц")
        assert any("Закрыть / открыть месяц (c)" in line for line in found), found
        await pilot.press("escape")
        await settle(pilot)
        found = await search(pilot, "клавиши")
        assert found[0].startswith("Клавиши\nВсе клавиши этого экрана"), found
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, KeysOverlay)  # «Клавиши» opens the overlay
        await pilot.press("escape")
        await settle(pilot)
        found = await search(pilot, "щщщщ")
        assert len(found) == 1 and "No matches" not in screen_text(app)
        assert "Ничего не найдено" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        # Running a command from the palette: «Весь период / месяц» (m, off the Footer).
        journal = app.screen
        assert isinstance(journal, LedgerScreen)
        assert not journal.all_time
        await search(pilot, "весь период")
        await pilot.press("enter")
        await settle(pilot)
        assert journal.all_time


async def test_the_palette_finds_payrolls_commands(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PayrollScreen)
        for query, command in (("утвердить", "Утвердить (a)"),
                               ("больничный", "Больничный/отпуск (b)"),
                               ("рассчитать", "Рассчитать (c)")):
            found = await search(pilot, query)
            assert any(command in line for line in found), (query, found)
            await pilot.press("escape")
            await settle(pilot)
