"""The identity screens driven from the keyboard at 80x24 against the real server app."""

from __future__ import annotations

import stat

from textual.widgets import Button, Input

from client.i18n import set_locale
from client.paths import credentials_path
from screens.account.devices import DevicesScreen
from screens.identity.confirm import ConfirmEmailScreen
from screens.identity.login import LoginScreen
from screens.identity.recover import RecoverScreen, ResetPasswordScreen
from screens.identity.register import RegisterScreen
from screens.ledger.journal import LedgerScreen
from screens.shell import DashboardScreen
from tests.conftest import PASSWORD
from tests.tui.conftest import (
    MAIL_TOKEN,
    SMS_CODE,
    ensure_org,
    mail_code,
    make_api,
    screen_text,
    settle,
    type_text,
)
from tui.app import BuhtaApp
from tui.widgets.form import ErrorLine, InfoLine

SIZE = (80, 24)


async def register_via_keys(pilot, api, email="ivan@example.ru", phone="8 912 345-67-89"):
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RegisterScreen)
    await type_text(pilot, email)
    await pilot.press("tab")
    await type_text(pilot, phone)
    await pilot.press("enter")  # Enter in the phone field sends the code
    await settle(pilot)
    assert "Код отправлен на +7 912 345-67-89" in str(
        pilot.app.screen.query_one(InfoLine).render()
    )
    code = await mail_code(api, SMS_CODE)
    assert pilot.app.focused.id == "code"
    await type_text(pilot, code)
    await pilot.press("tab")
    await type_text(pilot, PASSWORD)
    await pilot.press("tab")
    await type_text(pilot, PASSWORD)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConfirmEmailScreen)
    token = await mail_code(api, MAIL_TOKEN)
    assert pilot.app.focused.id == "token"
    await type_text(pilot, token.lower())  # typed by hand, case does not matter
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoginScreen)


async def login_via_keys(pilot, password=PASSWORD, remember=False, api=None):
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    email = screen.query_one("#email", Input)
    if not email.value:
        email.focus()
        await type_text(pilot, "ivan@example.ru")
    screen.query_one("#password", Input).focus()
    await type_text(pilot, password)
    if remember:
        await pilot.press("tab", "space")
    await pilot.press("enter")
    await settle(pilot)
    if api is not None:
        await ensure_org(pilot, api)


async def test_login_screen_fits_80x24_with_keys_in_footer(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for label in ("Вход в Бухту", "Электронная почта", "Пароль",
                      "Запомнить меня на этом устройстве",
                      "Не отмечайте на чужом или общем компьютере",
                      "Войти", "Забыли пароль?", "Регистрация", "f2", "f3"):
            assert label in text, label
        remember = app.screen.query_one("#remember")
        assert remember.value is False  # off by default


async def test_login_screen_in_english(app):
    set_locale("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Sign in to Buhta" in text
        assert "Remember me on this device" in text
        assert "f2 Sign up" in text  # the F2 key in the Footer, translated
        assert "Вход" not in text


async def test_login_tab_order(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        order = [app.focused.id]
        for _ in range(5):
            await pilot.press("tab")
            order.append(app.focused.id)
        assert order == ["email", "password", "remember", "submit", "forgot", "register"]


async def test_login_refuses_bad_email_before_asking_the_server(app, api):
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ivan@")
        await pilot.press("tab")
        await type_text(pilot, "whatever1")
        await pilot.press("enter")
        await settle(pilot)
        assert "Введите адрес почты" in str(app.screen.query_one(ErrorLine).render())
        assert app.focused.id == "email"
        assert api.user is None


async def test_wrong_password_shows_the_servers_words(app, api, http):
    from tests.conftest import register

    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await login_via_keys(pilot, password="not the password")
        assert isinstance(app.screen, LoginScreen)
        assert "Неверный адрес почты или пароль" in str(app.screen.query_one(ErrorLine).render())
        assert app.screen.query_one("#password", Input).value == ""


async def test_register_confirm_login_remember_restart_logout(server_app, api):
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await register_via_keys(pilot, api)
        assert "Адрес подтверждён" in str(app.screen.query_one(InfoLine).render())
        assert app.screen.query_one("#email", Input).value == "ivan@example.ru"
        assert app.focused.id == "password"
        await login_via_keys(pilot, remember=True, api=api)
        assert isinstance(app.screen, DashboardScreen)
        assert "Вы вошли как ivan@example.ru" in screen_text(app)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        assert app.current_mode == "ledger"

    path = credentials_path()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert PASSWORD not in path.read_text(encoding="utf-8")

    # The next start opens straight into the app.
    second_api = make_api(server_app)
    second = BuhtaApp(api=second_api)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(second.screen, DashboardScreen)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(second.screen, LoginScreen)
        assert "Вы вышли из учётной записи" in str(second.screen.query_one(InfoLine).render())
        assert second.current_mode == "auth"
    await second_api.aclose()
    assert not path.exists()


async def test_login_without_remember_writes_nothing(app, api, http):
    from tests.conftest import register

    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot, remember=False, api=api)
        assert isinstance(app.screen, DashboardScreen)
    assert not credentials_path().exists()
    assert not credentials_path().parent.exists()


async def test_register_form_checks_fields_in_order(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "ivan@example.ru")
        await pilot.press("tab")
        await type_text(pilot, "12345")
        await pilot.press("enter")
        await settle(pilot)
        assert "мобильный номер" in str(app.screen.query_one(ErrorLine).render())
        assert app.focused.id == "phone"
        app.screen.query_one("#phone", Input).value = "+7 912 345-67-89"
        app.screen.query_one("#code", Input).value = "123456"
        app.screen.query_one("#password", Input).value = "Белый кит плывёт"
        app.screen.query_one("#password2", Input).value = "Белый кит плывёт!"
        app.screen.query_one("#submit", Button).press()
        await settle(pilot)
        assert "Пароли не совпадают" in str(app.screen.query_one(ErrorLine).render())
        assert app.focused.id == "password2"


async def test_recovery_button_disabled_until_valid_email_then_reset(app, api, http):
    from tests.conftest import register

    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, RecoverScreen)
        button = app.screen.query_one("#submit", Button)
        assert button.disabled
        await type_text(pilot, "ivan@example")
        assert button.disabled
        await type_text(pilot, ".ru")
        assert not button.disabled
        await pilot.press("backspace", "backspace", "backspace")
        assert button.disabled
        await type_text(pilot, ".ru")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResetPasswordScreen)
        token = await mail_code(api, r"смены пароля[^:]*:\s*([A-Z0-9-]{14})")
        await type_text(pilot, token)
        await pilot.press("tab")
        await type_text(pilot, "Новый пароль для бухты")
        await pilot.press("tab")
        await type_text(pilot, "Новый пароль для бухты")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Пароль изменён" in str(app.screen.query_one(InfoLine).render())
        await login_via_keys(pilot, password="Новый пароль для бухты", api=api)
        assert isinstance(app.screen, DashboardScreen)


async def test_devices_screen_lists_and_revoking_this_device_signs_out(app, api, http):
    from tests.conftest import login, register

    await register(http)
    await login(http, remember=True)  # another, remembered device
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot, remember=True, api=api)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DevicesScreen)
        text = screen_text(app)
        assert "pilot-terminal" in text
        assert "это устройство" in text
        assert len(app.screen.devices) == 2
        current = next(i for i, d in enumerate(app.screen.devices) if d.current)
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=current)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
    assert not credentials_path().exists()


async def test_revoked_elsewhere_returns_to_login_and_drops_credentials(app, api, http):
    from tests.conftest import bearer, login, register

    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot, remember=True, api=api)
        assert credentials_path().exists()
        other = await login(http)
        resp = await http.delete(f"/devices/{api.device_id}", headers=bearer(other))
        assert resp.status_code == 204
        await pilot.press("d")  # the next request of this device
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Сеанс на этом устройстве завершён" in str(
            app.screen.query_one(ErrorLine).render()
        )
    assert not credentials_path().exists()


async def test_server_bug_is_a_message_not_a_crash(server_app, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(server_app.state.auth, "login", boom)
    api = make_api(server_app, raise_errors=False)
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "Внутренняя ошибка сервера" in str(app.screen.query_one(ErrorLine).render())
        assert "Traceback" not in screen_text(app)
    await api.aclose()


async def test_unconfirmed_login_leads_to_confirmation(app, http):
    from tests.conftest import register

    await register(http, confirm=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot)
        assert isinstance(app.screen, ConfirmEmailScreen)
        assert app.screen.query_one("#email", Input).value == "ivan@example.ru"


async def test_palette_navigates_between_modes(app, api, http):
    from tests.conftest import register

    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await login_via_keys(pilot, api=api)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Зарплата")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "payroll"


async def test_mailbox_panel_shows_kept_messages(app, http):
    from tests.conftest import register

    await register(http, confirm=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        text = screen_text(app)
        assert "Почта и SMS" in text
        assert "+79123456789" in text
        assert "Подтвердите адрес почты" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


async def test_common_password_refused_by_the_server_puts_cursor_on_password(app, api):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "olga@example.ru")
        await pilot.press("tab")
        await type_text(pilot, "+7 916 123-45-67")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, await mail_code(api, SMS_CODE))
        await pilot.press("tab")
        await type_text(pilot, "qwerty123")  # long enough, but on the common list
        await pilot.press("tab")
        await type_text(pilot, "qwerty123")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert "слишком распространён" in str(screen.query_one(ErrorLine).render())
        assert app.focused.id == "password"
        assert screen.query_one("#password2", Input).value == ""
        # The SMS code was not spent on a refused password: a good one goes through.
        await type_text(pilot, "Тёплый март в Самаре")
        await pilot.press("tab")
        await type_text(pilot, "Тёплый март в Самаре")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmEmailScreen)
