"""The key overlay (? and F1): every key of the screen, in Russian (issue 12, point 4)."""

from __future__ import annotations

from textual.containers import VerticalScroll

from screens.ledger.journal import LedgerScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_keys_footer import with_org
from tests.tui.test_org_screens import sign_in
from tui.keys import KeysOverlay

SIZE = (80, 24)


def overlay_text(overlay: KeysOverlay) -> str:
    """All the overlay's lines, the scrolled-away ones too."""
    return "\n".join(str(w.render()) for w in overlay.query("#keys-list Static"))


async def test_question_mark_lists_every_key_of_the_journal(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press("question_mark")
        await settle(pilot)
        overlay = app.screen
        assert isinstance(overlay, KeysOverlay)
        text = overlay_text(overlay)
        # The keys the Footer has no room for are all here, with their Russian names.
        for line in ("c  Закрыть / открыть месяц", "m  Весь период / месяц",
                     "[  Пред. месяц", "]  След. месяц", "k  Контрагенты",
                     "r  Отчёты", "y  Платёжные поручения", "s  Сторно",
                     "f6  Организация", "f1, ?  Все клавиши экрана"):
            assert line in text, line
        # The table's own keys, in Russian, not «Cursor up».
        assert "Вниз" in text and "Страница вниз" in text
        assert "Cursor" not in text and "Focus Next" not in text
        # Grouped: this screen, other screens, the list, everywhere.
        shown = screen_text(app)
        assert "Клавиши: Ромашка · Учёт" in shown and "Этот экран" in shown
        for group in ("Этот экран", "Перейти", "Поле или список", "Везде"):
            assert group in text or group in shown
        # Longer than 24 rows: it scrolls.
        scroll = overlay.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert scroll.scroll_y > 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, KeysOverlay)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)


async def test_f1_in_a_text_field_and_the_footer_says_so(app, http):
    await with_org(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2", "n")  # the manual entry form: the cursor in a field
        await settle(pilot)
        form = app.screen
        assert screen_text(app).splitlines()[-1].rstrip().endswith("F1 Клавиши ^p команды")
        await pilot.press("f1")
        await settle(pilot)
        overlay = app.screen
        assert isinstance(overlay, KeysOverlay)
        text = overlay_text(overlay)
        assert "f2  Провести — сейчас недоступно" in text  # nothing to post yet
        assert "Удалить символ слева" in text  # the field's own keys, in Russian
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form
