"""A payment order's amount that can never be paid (issue #12 pt 2): ``-500`` or
``1000000000000000`` typed into «Сумма» used to exit the app with a traceback
(``amount_in_words`` raised in the form's change handler). Now the field says why and the
form stays with everything typed."""

from __future__ import annotations

from textual.widgets import Input

from screens.payments.form import PaymentFormScreen, amount_hint
from screens.payments.list import PaymentsScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_org_screens import sign_in
from tests.tui.test_payment_screens import books, into, new_form

SIZE = (80, 24)


def test_amount_hint_never_raises():
    assert amount_hint("")[1] is None
    assert amount_hint("12 35") == ("", None)  # on its way to 12 354
    assert amount_hint("-500") == ("", "Сумма — число больше нуля")
    words, problem = amount_hint("1000000000000000")
    assert words == "" and problem is not None and problem.startswith("Сумма — не больше")
    assert amount_hint("999 999 999 999,99")[0].startswith("Девятьсот девяносто девять")
    assert amount_hint("12 354,50") == (
        "Двенадцать тысяч триста пятьдесят четыре рубля 50 копеек", None)


async def test_an_impossible_amount_is_refused_in_the_field(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.app.push_screen(PaymentsScreen())
        await settle(pilot)
        form = await new_form(pilot)
        await into(pilot, form.query_one("#counterparty", Input), "лют")
        await settle(pilot, until=lambda: bool(form.matches))
        await pilot.press("enter")
        await settle(pilot)
        assert form.counterparty_name == "ООО Лютик"
        await into(pilot, form.query_one("#purpose", Input), "Оплата по счёту № 7")
        amount = form.query_one("#amount", Input)
        for typed, said in (("-500", "Сумма — число больше нуля"),
                            ("1000000000000000", "Сумма — не больше 999 999 999 999,99 ₽")):
            await into(pilot, amount, typed)
            await settle(pilot)
            assert app.is_running and app.return_code is None
            assert app.screen is form and isinstance(form, PaymentFormScreen)
            assert amount.value == typed and amount.has_class("-invalid")
            assert said in screen_text(app)
            await pilot.press("f2")  # saving says the same and keeps the form
            await settle(pilot)
            assert app.screen is form and app.focused is amount
            assert said in screen_text(app)
            assert form.query_one("#purpose", Input).value == "Оплата по счёту № 7"
        # Fixed: the refusal goes and the words come.
        await into(pilot, amount, "500")
        await settle(pilot)
        text = screen_text(app)
        assert "Пятьсот рублей 00 копеек" in text and "не больше" not in text
        assert not amount.has_class("-invalid")
        await pilot.press("f2")  # and the order is made
        await settle(pilot, until=lambda: isinstance(app.screen, PaymentsScreen))
        assert isinstance(app.screen, PaymentsScreen) and len(app.screen.rows) == 1
