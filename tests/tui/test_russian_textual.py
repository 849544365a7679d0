"""Textual's own words in Russian: an open dropdown's Footer, the palette (issue 12, point 5)."""

from __future__ import annotations

from textual.widgets import Select

from screens.orgs.org_form import OrgFormScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_keys_footer import with_org
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)


async def test_an_open_dropdown_says_close_in_russian(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("o")
        await settle(pilot)
        card = app.screen
        assert isinstance(card, OrgFormScreen)
        select = card.query(Select).first()
        select.focus()
        await settle(pilot)
        await pilot.press("enter")  # opens the list
        await settle(pilot)
        assert select.expanded
        footer = screen_text(app).splitlines()[-1]
        assert "esc Закрыть список" in footer, footer  # was «esc Dismiss menu»
        assert "Dismiss" not in footer
        await pilot.press("escape")
        await settle(pilot)
        assert not select.expanded
