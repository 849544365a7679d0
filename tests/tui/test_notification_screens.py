"""«Уведомления» at 80x24 against the real server app in-process: the centre lists the
notifications (an unread one marked ``●``, not by colour alone), Enter marks one read and
opens its task, ``a`` marks all read; the unread count in the shell's header, updated by
the poll (a 304 while nothing changed); the poll interval kept on the device; the matrix
toggled with space and saved (read back from the server); a webhook added (its secret
shown once) and a test delivery that reaches a real HTTPS receiver, listed with its
status; the newsletter's consent text shown before subscribing and recorded."""

from __future__ import annotations

import json

import pytest

from core.contract import newsletter as nl
from screens.notifications import poll
from screens.notifications.centre import NotificationsScreen
from screens.notifications.channels import ChannelsScreen
from screens.notifications.matrix import MatrixScreen
from screens.notifications.newsletter import ConsentDialog, NewsletterScreen
from screens.notifications.webhooks import UrlDialog, WebhooksScreen
from server.db.models.notifications import NotificationUserPref
from server.services.notifications import notify
from tests.conftest import make_settings
from tests.helpers import rows
from tests.org_helpers import create_org, ooo, sign_up
from tests.server.test_webhooks import Receiver, make_cert
from tests.tui.conftest import screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import InfoLine

SIZE = (80, 24)


@pytest.fixture
def receiver(tmp_path):
    cert, key = make_cert(tmp_path, ["hooks.example.test"])
    r = Receiver(cert, key)
    r.cert = cert
    yield r
    r.close()


@pytest.fixture
def settings(tmp_path, receiver):
    # The receiver listens on 127.0.0.1: allowed here only, through the test setting.
    # Telegram: a bot named, its API never reached here (no chat sends /start).
    return make_settings(tmp_path, webhook_allow_loopback=True, webhook_ca_file=receiver.cert,
                         telegram_bot_token="123:test", telegram_bot_username="buhta_test_bot",
                         telegram_api_base="http://127.0.0.1:9", telegram_poll_s=3600)


def said(screen) -> str:
    """The screen's line of what went right (the text, whatever the layout above it)."""
    return str(screen.query_one(InfoLine).render())


async def world(http):
    ivan = await sign_up(http, "ivan@example.ru")
    org = await create_org(http, ivan, ooo())
    return ivan, org["id"]


def fire(server_app, org_id, user_id, event="task_assigned", obj=("task", "t-1"), **params):
    with server_app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [user_id], event, obj, params)


async def into_shell(pilot):
    app = pilot.app
    await settle(pilot)
    await sign_in(pilot)
    await settle(pilot, until=lambda: app.org is not None)


async def test_the_centre_opens_a_task_and_marks_read(app, api, http, server_app):
    ivan, org_id = await world(http)
    resp = await http.post(f"/orgs/{org_id}/tasks", json={"title": "Сдать 6-НДФЛ"},
                           headers=ivan.h)
    assert resp.status_code == 201, resp.text
    task = resp.json()
    fire(server_app, org_id, ivan.id, "task_assigned", ("task", task["id"]),
         title="Сдать 6-НДФЛ")
    fire(server_app, org_id, ivan.id, "task_commented", ("task", task["id"]),
         title="Сдать 6-НДФЛ", author="Мария")
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        # The count is in the shell's header, from the first poll (this sign-in from a
        # new device is one more).
        await settle(pilot, until=lambda: app.unread == 3)
        assert "Уведомления: 3" in screen_text(app)

        await pilot.press("u")
        await settle(pilot, until=lambda: isinstance(app.screen, NotificationsScreen)
                     and app.screen.items)
        centre = app.screen
        text = screen_text(app)
        assert "Не прочитано: 3" in text and "проверка: каждую минуту" in text
        assert text.count("●") >= 4, text  # three rows and the legend
        assert "Вам назначена задача «Сдать 6-НДФЛ»" in text
        # Newest first: the sign-in, the comment, the assignment.
        assert [n.event for n in centre.items] == ["login_new_device", "task_commented",
                                                   "task_assigned"]
        await pilot.press("down", "down")
        await pilot.press("enter")
        await settle(pilot, until=lambda: type(app.screen).__name__ == "TaskViewScreen")
        assert type(app.screen).__name__ == "TaskViewScreen"
        assert app.screen.shown_task.id == task["id"]
        assert "Сдать 6-НДФЛ" in screen_text(app)

        await pilot.press("escape")
        await settle(pilot, until=lambda: app.screen is centre and app.unread == 2)
        assert [n.read for n in centre.items] == [False, False, True]
        assert "Не прочитано: 2" in screen_text(app)

        await pilot.press("a")
        await settle(pilot, until=lambda: app.unread == 0)
        assert all(n.read for n in centre.items)
        assert "Все уведомления прочитаны" in said(centre)
        unread = (await http.get("/notifications/unread", headers=ivan.h)).json()
        assert unread["unread"] == 0

        # Space marks one unread again; back in the shell the header says so.
        await pilot.press("space")
        await settle(pilot, until=lambda: app.unread == 1)
        await pilot.press("escape")
        await settle(pilot)
        assert "Уведомления: 1" in screen_text(app)


async def test_the_poll_is_a_304_while_nothing_changes_and_its_interval_is_kept(
        app, api, http, server_app):
    ivan, org_id = await world(http)
    seen: list[tuple[str, int]] = []

    async def answered(response) -> None:
        if response.request.url.path.endswith("/notifications/unread"):
            seen.append((response.request.headers.get("if-none-match") or "",
                         response.status_code))

    api._http.event_hooks["response"].append(answered)
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        await settle(pilot, until=lambda: app.unread is not None)
        await api.notifications.mark_all_read()
        keeper = poll.poller(app)
        assert keeper.interval == 60 and keeper.timer is not None
        keeper.fetch_now()
        await settle(pilot, until=lambda: app.unread == 0)
        seen.clear()
        keeper.fetch_now()
        await settle(pilot)
        assert [s for _, s in seen] == [304] and seen[0][0]
        fire(server_app, org_id, ivan.id)
        keeper.fetch_now()
        await settle(pilot, until=lambda: app.unread == 1)
        assert seen[-1][1] == 200 and "Уведомления: 1" in screen_text(app)

        await pilot.press("u")
        await settle(pilot, until=lambda: isinstance(app.screen, NotificationsScreen))
        await pilot.press("i")
        await settle(pilot)
        assert keeper.interval == 300
        assert "Проверка уведомлений: каждые 5 минут" in said(app.screen)
        await pilot.press("i")
        await settle(pilot)
        assert keeper.interval == 0 and keeper.timer is None
        assert "проверка: выключена" in screen_text(app)
        saved = json.loads(poll.settings_path(app.options.data_dir).read_text())
        assert saved == {"poll_s": 0}
        assert poll.load_interval(app.options.data_dir) == 0


async def test_the_matrix_toggle_is_saved(app, api, http, server_app):
    ivan, org_id = await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        await pilot.press("u")
        await settle(pilot, until=lambda: isinstance(app.screen, NotificationsScreen))
        await pilot.press("s")
        await settle(pilot, until=lambda: isinstance(app.screen, MatrixScreen)
                     and app.screen.matrix is not None)
        screen = app.screen
        mx = screen.matrix
        assert mx.scope == "user" and mx.channels == ["in_app", "email", "telegram"]
        text = screen_text(app)
        assert "Мои уведомления в ООО «Ромашка»" in text and "[x]" in text
        first = mx.events[0].event
        before = next(c for c in mx.cells if c.event == first and c.channel == "in_app")
        # The cursor starts on the first event's «В приложении».
        await pilot.press("space")
        await settle(pilot)
        again = (await http.get(f"/orgs/{org_id}/notifications/matrix/me",
                                headers=ivan.h)).json()
        cell = next(c for c in again["cells"] if c["event"] == first
                    and c["channel"] == "in_app")
        assert cell == {"event": first, "channel": "in_app",
                        "enabled": not before.enabled, "source": "user"}
        (pref,) = rows(server_app, NotificationUserPref)
        assert pref.event == first and pref.enabled is (not before.enabled)
        assert "*" in screen_text(app)
        # r: back to what applies above; v: the organisation's matrix (the creator may).
        await pilot.press("r")
        await settle(pilot)
        assert rows(server_app, NotificationUserPref) == []
        await pilot.press("v")
        await settle(pilot, until=lambda: screen.matrix is not None
                     and screen.matrix.scope == "org")
        assert "webhook" in screen.matrix.channels and screen.matrix.editable
        assert "По умолчанию для всех" in screen_text(app)


async def test_a_webhook_added_and_a_test_delivered(app, api, http, server_app, receiver):
    await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        await pilot.press("u")
        await settle(pilot, until=lambda: isinstance(app.screen, NotificationsScreen))
        await pilot.press("c")
        await settle(pilot, until=lambda: isinstance(app.screen, ChannelsScreen)
                     and app.screen.settings is not None)
        assert "ivan@example.ru: письмо на каждое событие" in screen_text(app)
        await pilot.press("l")
        await settle(pilot)
        text = screen_text(app)
        assert "Отправьте боту @buhta_test_bot сообщение:" in text
        assert "/start " in text and "Код одноразовый" in text
        await pilot.press("w")
        await settle(pilot, until=lambda: isinstance(app.screen, WebhooksScreen))
        hooks = app.screen
        assert "Веб-хуков нет" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, until=lambda: isinstance(app.screen, UrlDialog))
        await type_text(pilot, "http://example.test/in")
        await pilot.press("enter")
        await settle(pilot)
        assert "https://" in screen_text(app) and isinstance(app.screen, UrlDialog)
        field = app.screen.query_one("#hook-url")
        field.value = f"https://127.0.0.1:{receiver.port}/in"
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.screen is hooks and hooks.hooks)
        text = screen_text(app)
        assert "показан один раз" in text and "whsec_" in text
        assert f"127.0.0.1:{receiver.port}" in text and "работает" in text

        await pilot.press("t")
        await settle(pilot, until=lambda: receiver.requests
                     and hooks.current is not None and hooks.current.last_deliveries)
        headers, body, _path = receiver.requests[0]
        assert headers["webhook-signature"].startswith("v1,")
        assert json.loads(body)["type"] == "buhta.test"
        assert "Тестовое: доставлено · HTTP 200" in said(hooks)
        text = screen_text(app)
        assert "тестовое" in text and "доставлено · HTTP 200" in text


async def test_subscribing_shows_the_consent_and_records_it(app, api, http, server_app):
    ivan, _org_id = await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        await pilot.press("u")
        await settle(pilot, until=lambda: isinstance(app.screen, NotificationsScreen))
        await pilot.press("l")
        await settle(pilot, until=lambda: isinstance(app.screen, NewsletterScreen)
                     and app.screen.topics is not None)
        screen = app.screen
        text = screen_text(app)
        for title in ("Новости сервиса", "Изменения в законах", "Советы"):
            assert title in text
        assert "не подписаны" in text and "ivan@example.ru" in text
        await pilot.press("down")  # изменения в законах
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, ConsentDialog))
        shown = app.screen.topic
        assert shown.topic == "law_changes"
        first_line = shown.consent_text.splitlines()[0][:60]
        assert first_line in screen_text(app)
        await pilot.press("n")  # not now: nothing recorded
        await settle(pilot)
        assert (await http.get("/newsletter/consents", headers=ivan.h)).json()["items"] == []
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, ConsentDialog))
        await pilot.press("y")
        await settle(pilot, until=lambda: app.screen is screen and screen.topics is not None
                     and screen.topics.items[1].subscribed)
        assert "Вы подписаны на «Изменения в законах»" in said(screen)
        assert "подписаны с " in screen_text(app)
        history = nl.ConsentHistory.model_validate(
            (await http.get("/newsletter/consents", headers=ivan.h)).json())
        (consent,) = history.items
        assert consent.topic == "law_changes" and consent.action == "subscribe"
        assert consent.source == "app" and consent.consent_text == shown.consent_text
        assert consent.consent_text_sha256 == shown.consent_text_sha256

        await pilot.press("enter")  # subscribed: unsubscribe, asked first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, until=lambda: not screen.topics.items[1].subscribed)
        history = (await http.get("/newsletter/consents", headers=ivan.h)).json()
        assert [c["action"] for c in history["items"]] == ["subscribe", "unsubscribe"]


async def test_the_palette_and_the_overlay_list_the_notification_screens(app, http):
    await world(http)
    async with app.run_test(size=SIZE) as pilot:
        await into_shell(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert "Уведомления" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await app.run_action("notifications('newsletter')")
        await settle(pilot, until=lambda: isinstance(app.screen, NewsletterScreen))
        assert isinstance(app.screen, NewsletterScreen)
