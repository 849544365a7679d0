"""«Сводка» and the tax calendar at 80x24, against the real server app in-process: the
balances and the failed checks of books built here (a draft document, a past month with
entries not closed), Enter on a check opens its item, the line per organisation and the
switch to another, the calendar of an ООО on УСН, a deadline turned into a task."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from textual.widgets import DataTable

from core import contract as m
from screens.calendar.task import DeadlineTaskDialog
from screens.calendar.year import CalendarScreen, amount_text
from screens.dashboard.orgs import MyOrgsScreen
from screens.dashboard.view import DashboardScreen
from tests.conftest import bearer, login, register
from tests.org_helpers import ip
from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
BUYER = {"kind": "org", "name": "ООО Лютик", "inn": "7719617469", "kpp": "771901001"}


def last_month() -> date:
    return (date.today().replace(day=1) - timedelta(days=1)).replace(day=10)


async def books(http) -> tuple[dict, str]:
    """An ООО on УСН: 120 000 in the bank last month (not closed), a draft act today."""
    await register(http)
    h = bearer(await login(http))
    made = (await http.post("/orgs", json=ORG, headers=h)).json()
    org = f"/orgs/{made['id']}"
    cp = (await http.post(f"{org}/counterparties", json=BUYER, headers=h)).json()
    resp = await http.post(f"{org}/entries", headers=h, json={
        "date": last_month().isoformat(), "description": "Вклад в уставный капитал",
        "postings": [{"debit": "51", "credit": "80", "amount": "120000.00"}]})
    assert resp.status_code == 201, resp.text
    resp = await http.post(f"{org}/documents", headers=h, json={
        "type": "act", "date": date.today().isoformat(), "counterparty_id": cp["id"],
        "post": False, "lines": [{"name": "Услуги", "quantity": "1", "unit": "шт",
                                  "price": "5000.00", "vat_rate": "none"}]})
    assert resp.status_code == 201, resp.text
    return h, org


async def open_dashboard(pilot) -> DashboardScreen:
    await settle(pilot)
    await sign_in(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    await settle(pilot, until=lambda: screen.data is not None)
    return screen


def row_of(screen: DashboardScreen, code: str) -> int:
    return next(i for i, c in enumerate(screen.checks) if c.code == code)


async def test_balances_checks_and_enter_opens_the_draft(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        text = screen_text(app)
        assert "Сводка · Ромашка" in text
        assert "120 000,00" in text                      # the bank on 51
        assert "Ближайшие сроки" in text and "Мои задачи" in text
        assert "Черновиков не проведено: 1" in text
        assert "Проверки: не пройдено" in text
        assert "Документы не проведены: 1" in text      # with its symbol by severity
        assert any(mark + " Документы не проведены" in text for mark in "✖⚠•")
        assert "Месяцы с проводками не закрыты" in text
        # Enter on the draft's check opens the draft in its form.
        table = screen.query_one("#dash-checks", DataTable)
        table.move_cursor(row=row_of(screen, "documents.draft"))
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.screen is not screen)
        assert type(app.screen).__name__ == "DocumentFormScreen"
        assert "Лютик" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, until=lambda: app.screen is screen)
        assert app.screen is screen
        # Enter on the month not closed: the journal at that month.
        table.move_cursor(row=row_of(screen, "periods.not_closed"))
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.current_mode == "ledger")
        assert app.current_mode == "ledger"
        assert app.screen.month == last_month().replace(day=1)
        await settle(pilot)
        assert "Вклад в уставный капитал" in screen_text(app)


async def test_repeat_visit_asks_with_the_etag(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        first = screen.data
        await pilot.press("2")
        await settle(pilot)
        screen.data = None
        await pilot.press("1")
        await settle(pilot, until=lambda: screen.data is not None)
        assert screen.data == first


async def test_all_organisations_and_enter_switches(app, http):
    h, _ = await books(http)
    second = await http.post("/orgs", json=ip(), headers=h)
    assert second.status_code == 201, second.text
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dashboard(pilot)
        start = app.org.short_name
        await pilot.press("v")
        await settle(pilot)
        view = app.screen
        assert isinstance(view, MyOrgsScreen)
        await settle(pilot, until=lambda: len(view.lines) == 2)
        text = screen_text(app)
        names = [x.short_name for x in view.lines]
        assert all(name[:14] in text for name in names)
        assert "Ближайший срок" in text
        other = next(i for i, x in enumerate(view.lines) if x.short_name != start)
        view.query_one(DataTable).move_cursor(row=other)
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.org is not None and app.org.short_name != start)
        assert app.screen is screen
        assert app.org.short_name == view.lines[other].short_name
        await settle(pilot, until=lambda: screen.data is not None
                     and screen.data.short_name == app.org.short_name)
        assert app.org.short_name in screen_text(app)


async def test_calendar_of_an_ooo_on_usn_and_a_task_from_a_deadline(app, http, api):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        await pilot.press("c")
        await settle(pilot)
        cal = app.screen
        assert isinstance(cal, CalendarScreen)
        await settle(pilot, until=lambda: cal.calendar is not None)
        year = date.today().year
        assert f"Налоговый календарь {year}" in screen_text(app)
        assert cal.rows and all(x.due_date.year == year for x in cal.rows)
        assert any("УСН" in x.title for x in cal.rows)
        # The rows under the cursor are on screen with their dates.
        current = cal.current
        assert current is not None
        assert f"{current.due_date:%d.%m.%Y}" in screen_text(app)
        # [ ] change the year.
        await pilot.press("right_square_bracket")
        await settle(pilot, until=lambda: cal.calendar is not None
                     and cal.calendar.date_from.year == year + 1)
        assert f"Налоговый календарь {year + 1}" in screen_text(app)
        assert any(x.id == "usn_declaration:" + str(year) or "УСН" in x.title
                   for x in cal.rows)
        # u: only the ones ahead.
        await pilot.press("left_square_bracket")
        await settle(pilot, until=lambda: cal.calendar is not None
                     and cal.calendar.date_from.year == year)
        await pilot.press("u")
        await settle(pilot)
        assert "только предстоящие" in screen_text(app)
        assert all(x.due_date >= date.today() for x in cal.rows)
        await pilot.press("u")
        await settle(pilot)
        assert "только предстоящие" not in screen_text(app)
        # t: the selected deadline becomes a task, me by default, a few days before.
        deadline = cal.current
        assert deadline is not None
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DeadlineTaskDialog)
        assert "Задача по сроку" in screen_text(app)
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is cal)
        assert app.screen is cal
        assert app.screen is cal
    page = await api.tasks.list(app.org.id)
    made = [x for x in page.items if x.deadline_id == deadline.id]
    assert len(made) == 1
    assert made[0].title == deadline.title
    assert made[0].due is not None and made[0].due <= deadline.due_date
    assert isinstance(made[0], m.TaskOut)


async def test_the_palette_opens_the_calendar(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await open_dashboard(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"календарь")
        await settle(pilot, until=lambda: "Налоговый календарь" in screen_text(app))
        assert "Налоговый календарь" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, CalendarScreen))
        assert isinstance(app.screen, CalendarScreen)


def test_an_unknown_amount_is_not_shown_as_hidden():
    # The legend says «— сумма скрыта»: only a role without the right sees «—»; a payment
    # the books know nothing of (a quarter before the books moved here) shows no amount.
    base = dict(id="vat_payment:2026-Q3-3", kind="vat_payment", family="payment",
                title_key="calendar.vat_payment", title="Уплата НДС", period="2026-Q3",
                period_from=date(2026, 7, 1), period_to=date(2026, 9, 30),
                legal_date=date(2026, 12, 28), due_date=date(2026, 12, 28), basis="ст. 174")
    assert amount_text(m.CalendarDeadline(**base)) == ""
    assert amount_text(m.CalendarDeadline(**base, amount_hidden=True)) == "—"
    assert amount_text(m.CalendarDeadline(**base, amount=Decimal("1200"),
                                          estimate=True)).startswith("≈ 1")
