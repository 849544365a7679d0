"""Organisation screens at 80x24: the first organisation, switching, team, activity log."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList

from screens.identity.login import LoginScreen
from screens.orgs.audit_log import AuditScreen
from screens.orgs.org_form import OrgFormScreen
from screens.orgs.switcher import OrgSwitcher
from screens.orgs.team import TeamScreen
from screens.shell import DashboardScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, make_api, screen_text, settle, type_text
from tui.app import BuhtaApp
from tui.widgets.form import ErrorLine

SIZE = (80, 24)
ROMASHKA = ORG
LUTIK = {**ROMASHKA, "kind": "ip", "full_name": "ИП Лютиков Пётр", "short_name": "ИП Лютиков",
         "inn": "500100732259", "kpp": None, "ogrn": "304500116000157",
         "tax_regime": "usn_income_expense"}


async def sign_in(pilot, email="ivan@example.ru", remember=False):
    from tests.conftest import PASSWORD

    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    screen.query_one("#email", Input).value = email
    screen.query_one("#password", Input).value = PASSWORD
    if remember:
        screen.query_one("#remember").value = True
    screen.submit()
    await settle(pilot)


async def test_first_organisation_with_a_mistyped_inn(app, http):
    await register(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        form = app.screen
        assert isinstance(form, OrgFormScreen) and form.first
        values = {"full_name": ROMASHKA["full_name"], "short_name": "Ромашка",
                  "kpp": "773601001", "ogrn": "1027700132195",
                  "address": ROMASHKA["address"], "director": "Иванов И. И."}
        for field, value in values.items():
            form.query_one(f"#{field}", Input).value = value
        inn = form.query_one("#inn", Input)
        inn.focus()
        await type_text(pilot, "7707083894")  # last digit mistyped: the check digit is 3
        assert inn.has_class("-invalid")
        assert "ИНН с ошибкой" in str(form.query_one(ErrorLine).render())
        # Saving is refused in the client, with the cursor on the ИНН.
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, OrgFormScreen)
        assert app.focused is inn
        await pilot.press("backspace")
        await type_text(pilot, "3")
        assert not inn.has_class("-invalid")
        # The bank block takes room on the form (it used to collapse to no height, so the
        # fields could be typed into but not seen).
        assert form.query_one("#banks").size.height >= 4
        form.query_one("#bik-0", Input).value = "044525225"
        form.query_one("#account-0", Input).value = "40817810899910004312"
        form.query_one("#corr_account-0", Input).value = "30101810400000000225"
        form.query_one("#bank_name-0", Input).value = "ПАО Сбербанк"
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.org is not None and app.org.short_name == "Ромашка"
        text = screen_text(app)
        assert "Ромашка · Сводка" in text
        assert "ИНН 7707083893 · Бухгалтер" in text


async def test_switching_organisations_and_the_device_remembers(server_app, http):
    await register(http)
    pair = await login(http)
    for org in (ROMASHKA, LUTIK):
        assert (await http.post("/orgs", json=org, headers=bearer(pair))).status_code == 201
    api = make_api(server_app)
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, remember=True)
        assert isinstance(app.screen, DashboardScreen)
        first = app.org.short_name
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, OrgSwitcher)
        text = screen_text(app)
        assert "Ромашка" in text and "ИП Лютиков" in text
        options = app.screen.query_one(OptionList)
        other = "Ромашка" if first == "ИП Лютиков" else "ИП Лютиков"
        index = next(i for i, o in enumerate(app.screen.orgs) if o.short_name == other)
        options.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.org.short_name == other
        assert f"{other} · Сводка" in screen_text(app)
    await api.aclose()
    # The next start on this device opens the organisation used last.
    again = make_api(server_app)
    second = BuhtaApp(api=again)
    async with second.run_test(size=SIZE) as pilot:
        await settle(pilot, until=lambda: second.org is not None)
        assert second.org.short_name == other
    await again.aclose()


async def test_team_invite_by_keys_and_a_refused_role(server_app, app, api, http):
    await register(http)
    pair = await login(http)
    org = (await http.post("/orgs", json=ROMASHKA, headers=bearer(pair))).json()
    await register(http, email="olga@example.ru", phone="+79161234567")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TeamScreen)
        await pilot.press("i")
        await settle(pilot)
        await type_text(pilot, "olga@example.ru")
        await pilot.press("enter")  # the role offered by default: Бухгалтер по первичке
        await settle(pilot)
        invitations = app.screen.query_one("#invitations", DataTable)
        assert invitations.row_count == 1
        assert "Бухгалтер по первичке" in screen_text(app)
    # Olga accepts and signs in: the team is visible, inviting is refused.
    olga = await login(http, email="olga@example.ru")
    from tests.conftest import last_mail_token

    token = await last_mail_token(http, "olga@example.ru")
    resp = await http.post("/invitations/accept", json={"token": token}, headers=bearer(olga))
    assert resp.status_code == 200, resp.text
    olga_api = make_api(server_app)
    olga_app = BuhtaApp(api=olga_api)
    async with olga_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, email="olga@example.ru")
        assert olga_app.org.id == org["id"] and olga_app.org.role == "primary"
        await pilot.press("o")
        await settle(pilot)
        card = olga_app.screen
        assert isinstance(card, OrgFormScreen)
        assert card.query_one("#inn", Input).disabled  # read-only for this role
        assert card.query_one("#inn", Input).value == "7707083893"
        await pilot.press("escape", "t")
        await settle(pilot)
        # Inviting is not this role's: the key is refused before any form opens, and the
        # refusal names the role that may (tui/rights.py).
        await pilot.press("i")
        await settle(pilot)
        said = " ".join(str(n.message) for n in olga_app._notifications)
        assert "Это дела" in said, said
    await olga_api.aclose()


async def test_activity_log_pages_and_filters(app, http):
    await register(http)
    pair = await login(http)
    org = (await http.post("/orgs", json=ROMASHKA, headers=bearer(pair))).json()
    for n in range(60):  # 60 edits + 1 creation = 61 entries, more than one page of 50
        body = {**ROMASHKA, "director": f"Директор {n}"}
        assert (await http.put(f"/orgs/{org['id']}", json=body,
                               headers=bearer(pair))).status_code == 200
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("j")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == 50  # one page, not the whole log
        assert "изменены реквизиты" in screen_text(app)
        table.move_cursor(row=45)
        await settle(pilot)
        assert table.row_count == 61  # the next page came as the cursor neared the end
        # The newest edit is first and its before/after summary is shown under the table.
        table.move_cursor(row=0)
        await settle(pilot)
        assert "Директор 59" in screen_text(app)
        # A period with no activity shows nothing; an impossible date is refused.
        screen.query_one("#f-from", Input).value = "01.01.2020"
        screen.query_one("#f-to", Input).value = "31.12.2020"
        screen.action_reload()
        await settle(pilot)
        assert table.row_count == 0
        screen.query_one("#f-from", Input).value = "31.02.2026"
        screen.action_reload()
        await settle(pilot)
        assert "ДД.ММ.ГГГГ" in str(screen.query_one(ErrorLine).render())


async def test_removed_member_falls_back_to_another_organisation(server_app, http):
    await register(http)
    owner = await login(http)
    org = (await http.post("/orgs", json=ROMASHKA, headers=bearer(owner))).json()
    await register(http, email="olga@example.ru", phone="+79161234567")
    olga = await login(http, email="olga@example.ru")
    own = (await http.post("/orgs", json=LUTIK, headers=bearer(olga))).json()
    resp = await http.post(f"/orgs/{org['id']}/invitations",
                           json={"email": "olga@example.ru", "role": "observer"},
                           headers=bearer(owner))
    assert resp.status_code == 201
    from tests.conftest import last_mail_token

    token = await last_mail_token(http, "olga@example.ru")
    assert (await http.post("/invitations/accept", json={"token": token},
                            headers=bearer(olga))).status_code == 200
    api = make_api(server_app)
    app = BuhtaApp(api=api)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, email="olga@example.ru")
        app.switch_to(org["id"])
        await settle(pilot, until=lambda: app.org is not None and app.org.id == org["id"])
        assert app.org.id == org["id"]
        # The owner removes Olga; her very next request there is refused ...
        olga_id = (await http.get("/me", headers=bearer(olga))).json()["id"]
        assert (await http.delete(f"/orgs/{org['id']}/members/{olga_id}",
                                  headers=bearer(owner))).status_code == 204
        await pilot.press("o")
        await settle(pilot, until=lambda: app.org is not None and app.org.id == own["id"])
        # ... and the app moves her to the organisation she still has.
        assert isinstance(app.screen, DashboardScreen)
        assert app.org.id == own["id"]
    await api.aclose()


async def test_invited_newcomer_accepts_from_the_first_organisation_form(app, http):
    await register(http)
    owner = await login(http)
    org = (await http.post("/orgs", json=ROMASHKA, headers=bearer(owner))).json()
    await register(http, email="olga@example.ru", phone="+79161234567")
    assert (await http.post(f"/orgs/{org['id']}/invitations",
                            json={"email": "olga@example.ru", "role": "hr"},
                            headers=bearer(owner))).status_code == 201
    from tests.conftest import last_mail_token

    token = await last_mail_token(http, "olga@example.ru")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, email="olga@example.ru")
        assert isinstance(app.screen, OrgFormScreen) and app.screen.first
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, token)
        await pilot.press("enter")
        await settle(pilot, until=lambda: app.org is not None)
        assert isinstance(app.screen, DashboardScreen)
        assert app.org.id == org["id"] and app.org.role == "hr"
        # The switcher offers "new" and "accept" too, by key.
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, OrgFormScreen) and app.screen.new


async def test_organisation_form_in_english(app, http):
    from client.i18n import set_locale

    await register(http)
    set_locale("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        form = app.screen
        assert isinstance(form, OrgFormScreen)
        text = screen_text(app)
        assert "New organisation" in text and "Full name" in text
        assert "f2 Save" in text
        inn = form.query_one("#inn", Input)
        inn.focus()
        await type_text(pilot, "7707083894")
        assert "wrong check digit" in str(form.query_one(ErrorLine).render())
