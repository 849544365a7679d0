"""Refusals of files and wire models in Russian, on the screen (issue 12, point 5)."""

from __future__ import annotations

from textual.widgets import Input

from screens.bank.statement import BankScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_keys_footer import with_org
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)


async def test_a_missing_statement_file_is_said_in_russian(app, http, tmp_path):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2", "b")
        await settle(pilot)
        bank = app.screen
        assert isinstance(bank, BankScreen)
        await pilot.press("i")
        box = bank.query_one("#bank-path", Input)
        box.value = str(tmp_path / "нет" / "выписка.txt")
        await pilot.press("enter")
        await settle(pilot, until=lambda: "нет такого файла" in screen_text(app))
        text = screen_text(app)
        assert "нет такого файла или папки" in text
        assert "No such file" not in text
