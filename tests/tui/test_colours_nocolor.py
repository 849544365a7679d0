"""Without colour (issue #12 pt 12): under NO_COLOR the focused field, the active tab and
the highlighted dropdown item still show — by reverse video or bold+underline, not by a
tint that a monochrome or 16-colour terminal loses; an unfocused field keeps a line under
it (a compact field has no border), and a placeholder is dim and italic, never like a
value."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Select

from screens.identity.login import LoginScreen
from screens.orgs.audit_log import AuditScreen
from tests.tui.conftest import settle
from tests.tui.test_org_screens import sign_in
from tests.tui.test_payment_screens import books
from tui.app import BuhtaApp

SIZE = (80, 24)


def styles_of(widget, y: int = 0) -> list:
    """The text and the rich style of each segment of one rendered line of ``widget``."""
    return [(seg.text, seg.style) for seg in widget.render_line(y) if seg.style]


def reversed_text(widget, y: int = 0) -> str:
    return "".join(text for text, style in styles_of(widget, y) if style.reverse)


async def test_states_show_without_colour(api, http, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    await books(http)  # registered, «Ромашка»
    app = BuhtaApp(api=api)  # NO_COLOR is read when the app is made
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        email = login.query_one("#email", Input)
        password = login.query_one("#password", Input)
        email.focus()
        await settle(pilot)
        # The focused field: the whole line in reverse video.
        assert all(style.reverse for _, style in styles_of(email)), styles_of(email)
        # An unfocused one: not reversed, but underlined across its width (its frame).
        assert not any(style.reverse for _, style in styles_of(password))
        assert all(style.underline for _, style in styles_of(password))
        width = sum(len(text) for text, _ in styles_of(password))
        assert width >= password.content_region.width
        # A placeholder is dim and italic, a typed value is not.
        placeholder = login.query_one("#password", Input)
        placeholder.placeholder = "пароль"
        placeholder.value = ""
        await settle(pilot)
        first = styles_of(placeholder)[0][1]
        assert first.dim and first.italic
        email.value = "ivan@example.ru"
        await settle(pilot)
        assert not any(style.dim or style.italic for _, style in styles_of(email))

        email.value = ""
        await sign_in(pilot)
        await settle(pilot)
        # The active tab of the modes line is reversed: «1 Сводка».
        tabs = app.screen.query_one("#mode-tabs")
        assert reversed_text(tabs).strip().startswith("1 ")

        # The highlighted item of an open dropdown is bold and underlined, the others not.
        await app.push_screen(AuditScreen())
        await settle(pilot)
        select = app.screen.query_one("#f-type", Select)
        select.focus()
        await pilot.press("enter")
        await settle(pilot)
        options = select.query_one(OptionList)
        assert options.display and options.highlighted is not None
        line = options.highlighted
        assert all(style.bold and style.underline for _, style in styles_of(options, line))
        assert "".join(text for text, _ in styles_of(options, line)).strip()
        other = line + 1
        assert not any(style.underline for _, style in styles_of(options, other))
