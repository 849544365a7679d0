"""Forms that follow the facts, at 80x24 (issue 12, point 10; the length limits of point 5).

ОСНО makes a VAT payer and hides the УСН rate; an ИП has no КПП or chief accountant; the
«%» of a label never wraps alone; a refusal goes when its field is fixed; the lockout
says minutes; the e-mail stays after logout; notifications leave the screen.
"""

from __future__ import annotations

from textual.widgets import Input, Label, Select

from client.errors import RateLimited
from core import contract as m
from screens.identity.login import LoginScreen
from screens.orgs.org_form import OrgFormScreen
from tests.conftest import register
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine
from tui.widgets.limits import max_length

SIZE = (80, 24)


def error_text(screen) -> str:
    return str(screen.query_one(ErrorLine).render())


async def first_org_form(pilot, http) -> OrgFormScreen:
    await register(http)
    await settle(pilot)
    await sign_in(pilot)
    form = pilot.app.screen
    assert isinstance(form, OrgFormScreen) and form.first
    return form


async def test_osno_makes_a_vat_payer_and_hides_the_usn_rate(app, http):
    async with app.run_test(size=SIZE) as pilot:
        form = await first_org_form(pilot, http)
        assert form.query_one("#row-usn_rate").display
        form.query_one("#tax_regime", Select).value = "osno"
        await settle(pilot)
        assert form.query_one("#vat_mode", Select).value == "general"
        assert not form.query_one("#row-usn_rate").display
        form.query_one("#vat_mode", Select).focus()
        await settle(pilot)
        assert "Ставка УСН" not in screen_text(app)
        assert "НДС по общим ставкам" in screen_text(app)
        # Back on УСН: the rate is asked again, the VAT of ОСНО goes.
        form.query_one("#tax_regime", Select).value = "usn_income_expense"
        await settle(pilot)
        assert form.query_one("#row-usn_rate").display
        assert form.query_one("#vat_mode", Select).value == "none"


async def test_an_ip_has_no_kpp_and_no_chief_accountant(app, http):
    async with app.run_test(size=SIZE) as pilot:
        form = await first_org_form(pilot, http)
        assert "КПП" in screen_text(app) and "Главный бухгалтер" in screen_text(app)
        form.query_one("#kind", Select).value = "ip"
        await settle(pilot)
        text = screen_text(app)
        assert "КПП" not in text and "Главный бухгалтер" not in text, text
        assert form._collect()["kpp"] is None
        assert form._collect()["chief_accountant"] is None


async def test_the_percent_sign_never_wraps_alone(app, http):
    async with app.run_test(size=SIZE) as pilot:
        form = await first_org_form(pilot, http)
        form.query_one("#usn_rate", Input).focus()
        await settle(pilot)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert "Ставка УСН" in screen_text(app)
        assert "%" not in lines, screen_text(app)
        for label in form.query(Label):
            assert label.size.height <= 1 or "%" not in str(label.render()), label


async def test_a_refusal_goes_when_its_field_is_fixed(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        assert isinstance(login, LoginScreen)
        login.query_one("#email", Input).focus()
        await type_text(pilot, "ivan@example")
        await pilot.press("enter", "enter")  # to the password, then sign in
        await settle(pilot)
        assert error_text(login)  # the e-mail is refused, the cursor back in it
        assert app.focused is login.query_one("#email", Input)
        await type_text(pilot, ".ru")
        await settle(pilot)
        assert error_text(login) == ""


async def test_the_lockout_says_minutes(app, api, monkeypatch):
    async def locked_out(*_args, **_kwargs):
        raise RateLimited(429, "auth.rate_limited",
                          "Слишком много попыток. Повторите через 299 с.", retry_after=299)

    monkeypatch.setattr(api.auth, "login", locked_out)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        login = app.screen
        login.query_one("#email", Input).value = "ivan@example.ru"
        login.query_one("#password", Input).value = "не тот"
        login.submit()
        await pilot.pause()  # the refused worker ends (and leaves the app's list) first
        await settle(pilot, until=lambda: bool(error_text(login)))
        assert "Попробуйте через 5 минут" in error_text(login)
        assert "299 с" not in screen_text(app)


async def test_after_logout_the_email_stays(app, http):
    async with app.run_test(size=SIZE) as pilot:
        await first_org_form(pilot, http)
        await app.run_action("logout")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, until=lambda: isinstance(app.screen, LoginScreen))
        login = app.screen
        assert isinstance(login, LoginScreen)
        assert login.query_one("#email", Input).value == "ivan@example.ru"
        assert app.focused is login.query_one("#password", Input)


async def test_a_mail_notification_leaves_the_screen(app, http, monkeypatch):
    shown: list[float | None] = []
    notify = app.notify

    def recording(*args, **kwargs):
        shown.append(kwargs.get("timeout"))
        return notify(*args, **kwargs)

    monkeypatch.setattr(app, "notify", recording)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await register(http)  # the embedded server keeps its confirmation mail
        app.announce_mail()
        await settle(pilot)
        assert shown, "no notification of the mail"
        assert all(timeout is not None and timeout <= 10 for timeout in shown), shown
        await pilot.press("f8")  # the mailbox keeps what the notification showed
        await settle(pilot)
        assert "ivan@example.ru" in screen_text(app)


async def test_fields_refuse_more_than_the_server_takes(app, http):
    async with app.run_test(size=SIZE) as pilot:
        form = await first_org_form(pilot, http)
        inn = form.query_one("#inn", Input)
        assert inn.max_length == max_length(m.OrgIn, "inn") == 20
        assert form.query_one("#address", Input).max_length == 500
        inn.focus()
        await type_text(pilot, "1" * 25)
        assert inn.value == "1" * 20
