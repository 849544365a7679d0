"""The Footer at 80 columns: whole keys only, then «? Клавиши» and the palette (issue 12)."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)


async def with_org(http) -> None:
    await register(http)
    await http.post("/orgs", json=ORG, headers=bearer(await login(http)))


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


def assert_whole_keys(app) -> None:
    line = footer_line(app)
    assert "▏" not in line, line  # no key cut under the palette's key
    assert line.rstrip().endswith("? Клавиши ^p команды"), line
    keys = [k for k in app.screen.query_one(Footer).query(FooterKey)]
    assert len(keys) >= 3, line
    pos = 0
    for key in keys:
        item = f"{key.key_display} {key.description}".strip()
        found = line.find(item, pos)
        assert found >= 0, (item, line)  # each shown key whole, in order
        pos = found + len(item)


async def test_every_mode_and_screen_shows_whole_keys_at_80_columns(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        for mode in "12345":
            await pilot.press(mode)
            await settle(pilot)
            assert_whole_keys(app)
        await pilot.press("2")
        await settle(pilot)
        # «Банк» used to be cut: «b Бан▏^p командыы».
        assert "Бан▏" not in footer_line(app)
        for key in "kdbyrp":
            await pilot.press(key)
            await settle(pilot)
            assert type(app.screen).__name__ != "LedgerScreen", key
            assert_whole_keys(app)
            await pilot.press("escape")
            await settle(pilot)


async def test_a_narrower_terminal_drops_whole_keys(app, http):
    await with_org(http)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        wide = len(app.screen.query_one(Footer).query(FooterKey))
        assert_whole_keys(app)
        await pilot.resize_terminal(44, 24)
        await settle(pilot)
        assert len(app.screen.query_one(Footer).query(FooterKey)) < wide
        assert_whole_keys(app)
