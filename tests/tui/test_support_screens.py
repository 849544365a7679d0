"""The «Поддержка» mode at 80x24 against the real server app in-process: the contacts and
the help line for the screen the user came from; the request form showing, before
sending, the context it attaches (screen, period, the last refusal's code and request
id), with the toggle; the callback form with the account's phone; my requests with the
conversation, a reply and read access granted; the help pages searched; F1 → h."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from textual.widgets import Input, OptionList, TextArea

from client.errors import NotFound
from core.contract import support as sp
from screens.support.callback import CallbackFormScreen
from screens.support.centre import SupportScreen
from screens.support.form import RequestFormScreen
from screens.support.help_view import HelpScreen
from screens.support.requests import ConversationScreen, MyRequestsScreen
from server.db.models.support import SupportGrant, SupportTicket
from server.services.context import Ctx
from server.services.support import service_of
from tests.conftest import bearer, login, register
from tests.helpers import rows
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine, InfoLine, TickBox

SIZE = (80, 24)


async def world(http) -> tuple[dict, str]:
    await register(http)
    ivan = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=ivan)).json()
    return ivan, org["id"]


async def into_support(pilot, via: str = "2") -> SupportScreen:
    app = pilot.app
    await settle(pilot)
    await sign_in(pilot)
    await settle(pilot, until=lambda: app.org is not None)
    if via:
        await pilot.press(via)
        await settle(pilot)
    await pilot.press("5")
    await settle(pilot, until=lambda: isinstance(app.screen, SupportScreen)
                 and "8 800" in screen_text(app))
    assert isinstance(app.screen, SupportScreen)
    return app.screen


async def test_the_request_form_shows_the_context_before_sending(app, api, http, server_app):
    _, org_id = await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await settle(pilot, until=lambda: app.org is not None)
        # A refusal the user may ask about: a write with its Idempotency-Key.
        try:
            await api.orgs.use(str(uuid.uuid4()))
        except NotFound:
            pass
        last = api.support.last_error
        assert last is not None and last.code == "orgs.not_found" and last.request_id
        await pilot.press("2")
        await settle(pilot)
        month = app.screen.month
        await pilot.press("5")
        await settle(pilot, until=lambda: "8 800" in screen_text(app))
        text = screen_text(app)
        assert "Телефон 8 800 000-00-00 · 24/7 · support@buhta.local" in text
        assert "Открытых обращений нет" in text
        assert "Журнал и проводки (h)" in text  # help for the journal, where we came from

        await pilot.press("w")
        await settle(pilot, until=lambda: isinstance(app.screen, RequestFormScreen))
        form = app.screen
        text = screen_text(app)
        for line in ("Будет отправлено:", "Экран: ledger.journal", f"Период: {month:%Y-%m}",
                     "Код ошибки: orgs.not_found", f"Номер запроса: {last.request_id}"):
            assert line in text, (line, text)
        # The text has the focus first: words typed at once land there, spaces included.
        await type_text(pilot, "Не загружается выписка")
        assert form.query_one("#text", TextArea).text == "Не загружается выписка"
        assert form.query_one("#topic").value == "accounting"  # the spaces did not turn it
        await pilot.press("shift+tab", "right", "right")  # topic: учёт → документы → банк
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, SupportScreen))
        (ticket,) = rows(server_app, SupportTicket)
        assert ticket.topic == "bank" and ticket.org_id == org_id
        attached = sp.Context.model_validate_json(ticket.context)
        assert attached.screen == "ledger.journal" and attached.error_code == "orgs.not_found"
        assert attached.request_id == last.request_id
        assert f"№ {ticket.id} · новое · Не загружается выписка" in screen_text(app)

        # The toggle leaves the context out, and says so before sending.
        await pilot.press("w")
        await settle(pilot, until=lambda: isinstance(app.screen, RequestFormScreen))
        app.screen.query_one("#attach", TickBox).focus()
        await pilot.press("space")
        await settle(pilot)
        assert "Контекст не будет отправлен" in screen_text(app)
        assert "Экран: ledger.journal" not in screen_text(app)
        app.screen.query_one("#text", TextArea).text = "Без контекста"
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, SupportScreen))
        newest = max(rows(server_app, SupportTicket), key=lambda t: t.id)
        assert newest.context is None

        # An empty text is refused on the form, naming the field.
        await pilot.press("w")
        await settle(pilot, until=lambda: isinstance(app.screen, RequestFormScreen))
        await pilot.press("f2")
        await settle(pilot)
        assert "Текст:" in str(app.screen.query_one(ErrorLine).render())
        assert len(rows(server_app, SupportTicket)) == 2


async def test_the_callback_form(app, http, server_app):
    await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_support(pilot)
        await pilot.press("c")
        await settle(pilot, until=lambda: isinstance(app.screen, CallbackFormScreen))
        form = app.screen
        assert form.query_one("#phone", Input).value == "+7 912 345-67-89"  # the account's
        assert "Заказ звонка" in screen_text(app) and "Часовой пояс" in screen_text(app)
        form.query_one("#timezone", Input).value = "Europe/Moscow"
        form.query_one("#day", Input).value = f"{date.today() + timedelta(days=1):%d.%m.%Y}"
        form.query_one("#start", Input).value = "25:00"
        await pilot.press("f2")
        await settle(pilot)
        assert "время вида 10:00" in str(form.query_one(ErrorLine).render())
        assert form.focused is form.query_one("#start", Input)
        form.query_one("#start", Input).value = "14:00"
        form.query_one("#end", Input).value = "15:30"
        await pilot.press("f2")
        await settle(pilot, until=lambda: form.query_one(InfoLine).has_class("-shown"))
        tomorrow = date.today() + timedelta(days=1)
        assert (f"Поддержка позвонит: {tomorrow:%d.%m.%Y} 14:00–15:30 (Europe/Moscow)"
                in screen_text(app))
        (row,) = rows(server_app, sp_callback())
        assert row.phone == "+79123456789" and row.timezone == "Europe/Moscow"
        assert row.window_start.hour == 11  # 14:00 Moscow is 11:00 UTC


def sp_callback():
    from server.db.models.support import SupportCallback

    return SupportCallback


async def test_my_requests_the_conversation_a_reply_and_access(app, http, server_app):
    ivan, org_id = await world(http)
    created = (await http.post("/support/requests", json={
        "topic": "accounting", "text": "Не сходится ОСВ", "org_id": org_id},
        headers=ivan)).json()
    support = service_of(server_app.state)
    with server_app.state.sessionmaker() as db:
        agent_id = support.make_agent(db, "ivan@example.ru", "test")
    with server_app.state.sessionmaker() as db:
        support.answer(db, Ctx(ip="test", user_id=agent_id), agent_id, created["id"],
                       sp.MessageIn(text="Какой месяц?"))
    async with app.run_test(size=SIZE) as pilot:
        await into_support(pilot, via="")
        assert "есть ответ поддержки" in screen_text(app)  # the user's words for it
        await pilot.press("r")
        await settle(pilot, until=lambda: isinstance(app.screen, MyRequestsScreen)
                     and app.screen.items)
        assert f"№ {created['id']}" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, ConversationScreen)
                     and app.screen.request is not None)
        text = screen_text(app)
        assert "Не сходится ОСВ" in text and "Поддержка" in text and "Какой месяц?" in text
        assert "Доступа к учёту у поддержки нет" in text
        await type_text(pilot, "Март 2026")
        await pilot.press("enter")
        await settle(pilot, until=lambda: "Март 2026" in screen_text(app))
        assert "в работе" in screen_text(app)
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, until=lambda: "может читать" in screen_text(app))
        (grant,) = rows(server_app, SupportGrant)
        assert grant.org_id == org_id and grant.revoked_at is None
        await pilot.press("ctrl+r")
        await settle(pilot, until=lambda: "Доступа к учёту у поддержки нет" in screen_text(app))
        assert rows(server_app, SupportGrant)[0].revoked_at is not None


async def test_help_pages_searched(app, http):
    await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_support(pilot)
        await pilot.press("h")
        await settle(pilot, until=lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert help_screen.page == "journal"
        assert "Журнал и проводки" in screen_text(app)
        await pilot.press("slash")
        await type_text(pilot, "pfx")
        await pilot.press("enter")
        await settle(pilot)
        hits = help_screen.query_one("#help-hits", OptionList)
        assert [h.page for h in help_screen.hits] == ["signatures"]
        assert hits.display and "Подписи" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, until=lambda: help_screen.page == "signatures")
        assert "КриптоПро" in screen_text(app)
        help_screen.query_one("#help-search", Input).value = "абракадабра"
        help_screen.query_one("#help-search", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Ничего не найдено по «абракадабра»" in screen_text(app)


async def test_the_key_overlay_leads_to_support(app, http):
    await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await settle(pilot, until=lambda: app.org is not None)
        await pilot.press("3")  # «Зарплата»
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert "h — справка и поддержка" in screen_text(app)
        await pilot.press("h")
        await settle(pilot, until=lambda: isinstance(app.screen, SupportScreen))
        assert "Зарплата (h)" in screen_text(app)
