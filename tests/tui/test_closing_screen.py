"""The month-end closing preview at 80x24: `c` in the journal shows the closing entries
before anything is posted; F2 posts them and closes the month; `c` again reopens it,
reversing them (issue 13 point 7).

The month (this month, УСН «доходы», so no profit tax): Дт 26 Кт 60.01 30 000 and
Дт 62.01 Кт 90.01 50 000 → Дт 90.08 Кт 26 30 000; 90 holds −50 000 + 30 000 = −20 000:
profit 20 000, Дт 90.09 Кт 99 20 000 (in December then Дт 99 Кт 84.01 20 000).
"""

from __future__ import annotations

from datetime import date

from screens.ledger.closing_preview import ClosingPreviewScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.dialogs.reason import ReasonDialog
from tui.widgets.dates import month_end

SIZE = (80, 24)


async def test_c_previews_the_closing_and_f2_closes_the_month(app, http):
    await register(http)
    h = bearer(await login(http))
    org = f"/orgs/{(await http.post('/orgs', json=ORG, headers=h)).json()['id']}"
    day = date.today().replace(day=1).isoformat()
    for debit, credit, amount in (("26", "60.01", "30000.00"), ("62.01", "90.01", "50000.00")):
        resp = await http.post(f"{org}/entries", headers=h, json={
            "date": day, "description": "операция",
            "postings": [{"debit": debit, "credit": credit, "amount": amount}]})
        assert resp.status_code == 201, resp.text
    month = date.today().strftime("%Y-%m")
    end = month_end(date.today()).isoformat()  # the closing entries' date
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClosingPreviewScreen)
        text = screen_text(app)
        assert "Дт 90.08  Кт 26" in text and "Дт 90.09  Кт 99" in text
        assert "30 000,00" in text and "20 000,00" in text
        # Nothing is written by the preview.
        assert (await http.get(f"{org}/periods", headers=h)).json()["closed"] == []
        await pilot.press("f2")
        await settle(pilot)
        assert not isinstance(app.screen, ClosingPreviewScreen)
        assert (await http.get(f"{org}/periods", headers=h)).json()["closed"] == [month]
        # The journal shows the closing entries at once (it kept its old page before).
        await settle(pilot, until=lambda: "Закрытие месяца" in screen_text(app))
        assert "Закрытие месяца" in screen_text(app)
        tb = (await http.get(f"{org}/reports/trial-balance", headers=h, params={
            "date_from": day, "date_to": end})).json()
        closing = {r["account"]: (r["closing_debit"], r["closing_credit"]) for r in tb["rows"]}
        assert closing.get("26", ("0.00", "0.00")) == ("0.00", "0.00")
        # December's closing also reforms the year: the profit moves on from 99 to 84.01.
        result = "84" if date.today().month == 12 else "99"
        assert closing[result] == ("0.00", "20000.00")
        # `c` on the closed month reopens it, with a reason: the closing entries reversed.
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await type_text(pilot, "забыли акт")
        await pilot.press("enter")
        await settle(pilot)
        assert (await http.get(f"{org}/periods", headers=h)).json()["closed"] == []
        tb = (await http.get(f"{org}/reports/trial-balance", headers=h, params={
            "date_from": day, "date_to": end})).json()
        closing = {r["account"]: (r["closing_debit"], r["closing_credit"]) for r in tb["rows"]}
        assert closing["26"] == ("30000.00", "0.00")
        assert closing.get(result, ("0.00", "0.00")) == ("0.00", "0.00")


async def test_esc_leaves_the_month_open(app, http):
    await register(http)
    h = bearer(await login(http))
    org = f"/orgs/{(await http.post('/orgs', json=ORG, headers=h)).json()['id']}"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ClosingPreviewScreen)
        assert "Записей закрытия нет" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ClosingPreviewScreen)
    assert (await http.get(f"{org}/periods", headers=h)).json()["closed"] == []
