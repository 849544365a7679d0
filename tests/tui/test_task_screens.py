"""The «Задачи» mode at 80x24, against the real server app in-process: a task made through
the form by a burst of keys, its status changed, a comment and the history in its view,
reassigned to a second member; «!» on an overdue task; «Мои задачи» across two
organisations; the filters; a refusal of the server on the error line."""

from __future__ import annotations

from datetime import date, timedelta

from textual import events
from textual.keys import _character_to_key

from screens.tasks.common import ChoiceDialog, CommentDialog
from screens.tasks.form import TaskFormScreen
from screens.tasks.list import TasksScreen
from screens.tasks.view import TaskViewScreen
from tests.conftest import bearer, last_mail_token, login, register
from tests.tui.conftest import ORG, make_api, screen_text, settle
from tests.tui.test_org_screens import LUTIK, sign_in
from tui.app import BuhtaApp
from tui.widgets.form import ErrorLine

SIZE = (80, 24)
IVAN, OLGA = "ivan@example.ru", "olga@example.ru"
KEYS = ("right", "left", "up", "down")
NAMED = {"tab": "\t", "enter": "\r", "escape": "\x1b", "space": " "}


async def burst(pilot, *parts: str) -> None:
    """Keys as a fast typist (or a paste) sends them, no pause between: a part of one
    character or of several words is typed text; ``tab``, ``enter``, ``right``, ``f2``…
    are keys."""
    app = pilot.app
    for part in parts:
        if part in NAMED or part in KEYS or (part[0] == "f" and part[1:].isdigit()):
            keys = [(part, NAMED.get(part))]
        else:
            keys = [(ch if ch.isalnum() else _character_to_key(ch), ch) for ch in part]
        for key, char in keys:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


async def world(http) -> dict:
    """Ivan: the Бухгалтер of «Ромашка» and of «ИП Лютиков»; Olga joins «Ромашка» as the
    Бухгалтер по первичке."""
    await register(http)
    ivan = bearer(await login(http))
    romashka = (await http.post("/orgs", json=ORG, headers=ivan)).json()
    lutik = (await http.post("/orgs", json=LUTIK, headers=ivan)).json()
    await register(http, email=OLGA, phone="+79161234567")
    resp = await http.post(f"/orgs/{romashka['id']}/invitations",
                           json={"email": OLGA, "role": "primary"}, headers=ivan)
    assert resp.status_code == 201, resp.text
    olga = bearer(await login(http, email=OLGA))
    token = await last_mail_token(http, OLGA)
    resp = await http.post("/invitations/accept", json={"token": token}, headers=olga)
    assert resp.status_code == 200, resp.text
    team = (await http.get(f"/orgs/{romashka['id']}/team", headers=ivan)).json()
    ids = {p["email"]: p["user_id"] for p in team["members"]}
    return {"ivan": ivan, "olga": olga, "romashka": romashka["id"], "lutik": lutik["id"],
            "ivan_id": ids[IVAN], "olga_id": ids[OLGA]}


async def task(http, w: dict, org: str, **body) -> dict:
    resp = await http.post(f"/orgs/{w[org]}/tasks", json=body, headers=w["ivan"])
    assert resp.status_code == 201, resp.text
    return resp.json()


async def open_tasks(pilot, w: dict, email: str = IVAN) -> TasksScreen:
    """Sign in, work in «Ромашка», press 4 (the «Задачи» mode)."""
    app = pilot.app
    await settle(pilot)
    await sign_in(pilot, email=email)
    if app.org is None or app.org.id != w["romashka"]:
        app.switch_to(w["romashka"])
        await settle(pilot, until=lambda: app.org is not None and app.org.id == w["romashka"])
    await pilot.press("4")
    await settle(pilot, until=lambda: isinstance(app.screen, TasksScreen)
                 and app.screen.table.pending is not None
                 and not app.screen.table.loading_more)
    screen = app.screen
    assert isinstance(screen, TasksScreen)
    return screen


def row_of(app, title: str) -> str:
    return next((line for line in screen_text(app).splitlines() if title in line), "")


async def test_new_task_status_comment_history_and_reassign(app, http):
    w = await world(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tasks(pilot, w)
        assert "Мои задачи" in screen_text(app) and "Задач нет" in screen_text(app)
        await pilot.press("m")
        await settle(pilot)
        assert "Задачи организации Ромашка" in screen_text(app)

        # n: the form; then a burst of keys: title, description, (the assignee: me), the due
        # date, priority → высокий, repetition → каждый месяц, F2.
        due = date.today() + timedelta(days=20)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TaskFormScreen)
        await burst(pilot, "Сдать 6-НДФЛ", "enter", "За квартал, проверить суммы",
                    "tab", "tab", due.strftime("%d.%m.%Y"), "enter", "right", "tab",
                    "right", "f2")
        await settle(pilot, until=lambda: app.screen is screen and len(screen.rows) == 1)
        assert app.screen is screen
        made = screen.rows[0]
        assert (made.title, made.description) == ("Сдать 6-НДФЛ", "За квартал, проверить суммы")
        assert (made.priority, made.repeat, made.due) == ("high", "monthly", due)
        assert made.assignee_email == IVAN
        row = row_of(app, "Сдать 6-НДФЛ")
        assert "новая" in row and "высокий" in row and due.strftime("%d.%m.%y") in row
        assert "!" not in row

        # s: the status dialog, 2 = в работе.
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        assert "сделана" in screen_text(app) and "отменена" in screen_text(app)
        await pilot.press("2")
        await settle(pilot, until=lambda: screen.rows[0].status == "in_progress")
        assert "в работе" in row_of(app, "Сдать 6-НДФЛ")

        # c: a comment typed in a burst.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CommentDialog)
        await burst(pilot, "Жду выписку банка", "enter")
        await settle(pilot, until=lambda: app.screen is screen and screen.rows[0].comments == 1)

        # Enter: the view with the comment among the history.
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, TaskViewScreen)
                     and len(app.screen.history) == 3)
        view = app.screen
        assert isinstance(view, TaskViewScreen)
        text = screen_text(app)
        assert "Сдать 6-НДФЛ" in text and "За квартал, проверить суммы" in text
        assert "Статус: в работе · Важность: высокий" in text
        assert "создана" in text
        assert "статус: новая → в работе" in text
        assert "комментарий: Жду выписку банка" in text

        # r: reassign to Olga, from the team.
        await pilot.press("r")
        await settle(pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert OLGA in screen_text(app)
        index = [key for key, _ in dialog.choices].index(w["olga_id"])
        await pilot.press(str(index + 1))
        await settle(pilot, until=lambda: app.screen is view and len(view.history) == 4)
        text = screen_text(app)
        assert f"Исполнитель: {OLGA}" in text
        assert f"исполнитель: {IVAN} → {OLGA}" in text

        # Back in the list: the row shows the new assignee.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert "olga" in row_of(app, "Сдать 6-НДФЛ")


async def test_overdue_mine_across_two_organisations_and_filters(app, http):
    w = await world(http)
    today = date.today()
    await task(http, w, "romashka", title="Просроченный акт", due=str(today - timedelta(days=3)))
    await task(http, w, "romashka", title="Годовой отчёт", due=str(today + timedelta(days=60)))
    await task(http, w, "romashka", title="Первичка Ольге", assignee_id=w["olga_id"])
    done = await task(http, w, "lutik", title="Декларация ИП", due=str(today + timedelta(days=40)))
    resp = await http.patch(f"/orgs/{w['lutik']}/tasks/{done['id']}", json={"status": "done"},
                            headers=w["ivan"])
    assert resp.status_code == 200, resp.text
    await task(http, w, "lutik", title="Книга доходов", due=str(today + timedelta(days=50)))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tasks(pilot, w)
        await settle(pilot, until=lambda: len(screen.rows) == 3)
        # «Мои задачи»: Ivan's open tasks in both organisations, the overdue one marked.
        titles = {t.title for t in screen.rows}
        assert titles == {"Просроченный акт", "Годовой отчёт", "Книга доходов"}
        assert "Ромашка" in row_of(app, "Годовой отчёт")
        assert "ИП Лютиков" in row_of(app, "Книга доходов")
        assert "!" + (today - timedelta(days=3)).strftime("%d.%m.%y") in row_of(
            app, "Просроченный акт")
        assert "!" not in row_of(app, "Годовой отчёт")
        assert "f Статус: открытые · a Исполнитель: я · w Срок: любой" in screen_text(app)

        # w: overdue only, then this week, then any.
        await pilot.press("w")
        await settle(pilot, until=lambda: len(screen.rows) == 1)
        assert [t.title for t in screen.rows] == ["Просроченный акт"]
        assert "Срок: просрочены (!)" in screen_text(app)
        await pilot.press("w")
        await settle(pilot)
        assert "Срок: на этой неделе" in screen_text(app)
        assert all(t.due is not None and t.due >= today - timedelta(days=6) for t in screen.rows)
        await pilot.press("w")
        await settle(pilot, until=lambda: len(screen.rows) == 3)

        # f: status open → all: the done one appears, marked «сделана».
        await pilot.press("f")
        await settle(pilot, until=lambda: len(screen.rows) == 4)
        assert "Статус: все" in screen_text(app)
        assert "сделана" in row_of(app, "Декларация ИП")

        # m: the organisation's list, all assignees; a: only Olga's.
        await pilot.press("m")
        await settle(pilot, until=lambda: len(screen.rows) == 3)
        assert {t.title for t in screen.rows} == {"Просроченный акт", "Годовой отчёт",
                                                 "Первичка Ольге"}
        await pilot.press("a")
        await settle(pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        index = [key for key, _ in dialog.choices].index(w["olga_id"])
        await pilot.press(str(index + 1))
        await settle(pilot, until=lambda: app.screen is screen and len(screen.rows) == 1)
        assert screen.rows[0].title == "Первичка Ольге"
        assert "Исполнитель: olga" in screen_text(app)
        await pilot.press("a")
        await settle(pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("1")  # «все»
        await settle(pilot, until=lambda: app.screen is screen and len(screen.rows) == 3)


async def test_a_refusal_of_the_server_shows_on_the_error_line(server_app, http):
    w = await world(http)
    await task(http, w, "romashka", title="Первичка Ольге", assignee_id=w["olga_id"])
    olga_api = make_api(server_app)
    app = BuhtaApp(api=olga_api)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_tasks(pilot, w, email=OLGA)
        await settle(pilot, until=lambda: len(screen.rows) == 1)
        assert "ivan" not in row_of(app, "Первичка Ольге")
        # The Бухгалтер по первичке may not reassign a task Ivan wrote.
        await pilot.press("r")
        await settle(pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        dialog = app.screen
        index = [key for key, _ in dialog.choices].index(w["ivan_id"])
        await pilot.press(str(index + 1))
        await settle(pilot, until=lambda: app.screen is screen
                     and screen.query_one(ErrorLine).has_class("-shown"))
        error = str(screen.query_one(ErrorLine).render())
        assert "Передать задачу другому исполнителю могут автор, директор и бухгалтер" in error
        assert screen.rows[0].assignee_email == OLGA
        # She may change its status (she is its assignee).
        await pilot.press("s")
        await settle(pilot, until=lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.press("4")  # сделана
        await settle(pilot, until=lambda: screen.rows[0].status == "done")
        assert not screen.query_one(ErrorLine).has_class("-shown")
    await olga_api.aclose()
