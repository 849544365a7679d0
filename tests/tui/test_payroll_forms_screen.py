"""6-НДФЛ and РСВ at 80x24 against the real server app, and the card's personal data.

Worked example (as tests/server/test_payroll_forms.py; 2026, ООО not МСП): Кузнецова
Мария Олеговна, 50 000 ₽ a month, the advance on the 20th (no НДФЛ: the income arises on
the month's last day, НК ст. 223 п. 2), the final payment on the 5th (3 April for March).
- 6-НДФЛ Q1: section 1 — 6 500 withheld 05.02 due 02.03.2026 (28.02 is a Saturday),
  6 500 withheld 05.03 due 30.03.2026; line 020 13 000. Section 2 (13 %): 110 = 150 000,
  140 = 150 000 × 13 % = 19 500, 160 = 13 000 (March's tax is withheld in April).
- РСВ Q1: 50 000 × 30 % = 15 000 a month, 45 000 from 1 January; section 3 lists her.
"""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from screens.payroll.employee_form import EmployeeFormScreen
from screens.payroll.employees import EmployeesScreen
from screens.payroll.forms import PayrollFormsScreen
from screens.payroll.runs import PayrollScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tests.tui.test_payroll_screens import focus_field
from tui.dialogs.export import ExportDialog

SIZE = (80, 24)
KUZNETSOVA = {"full_name": "Кузнецова Мария Олеговна", "position": "Бухгалтер",
              "cost_account": "26", "hired_on": "2025-06-02", "salary": "50000.00",
              "inn": "500100732259", "snils": "112-233-445 95", "birth_date": "1990-05-17",
              "sex": "Ж", "pay_method": "card", "bank_bik": "044525225",
              "bank_account": "40817810899910004312"}
PAYS = {1: ("2026-01-20", "2026-02-05"), 2: ("2026-02-20", "2026-03-05"),
        3: ("2026-03-20", "2026-04-03")}


async def quarter_paid(http) -> str:
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    base = f"/orgs/{org['id']}"
    assert (await http.post(f"{base}/employees", json=KUZNETSOVA, headers=h)).status_code == 201
    for month, (advance, final) in PAYS.items():
        run = (await http.post(f"{base}/payroll/runs", headers=h,
                               json={"year": 2026, "month": month})).json()
        assert (await http.post(f"{base}/payroll/runs/{run['id']}/approve",
                                headers=h)).status_code == 200
        for day, part in ((advance, "advance"), (final, "final")):
            paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=h,
                                   json={"date": day, "part": part})
            assert paid.status_code == 200, paid.text
    return org["id"]


async def test_forms_of_the_first_quarter_by_keys(app, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    await quarter_paid(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PayrollScreen)
        await pilot.press("f")
        await settle(pilot, until=lambda: isinstance(app.screen, PayrollFormsScreen)
                     and app.screen.ndfl is not None)
        forms = app.screen
        assert isinstance(forms, PayrollFormsScreen)
        # From the period of today's month back to the first quarter.
        while forms.period != "Q1" or forms.year != 2026:
            await pilot.press("left_square_bracket")
            await settle(pilot, until=lambda: forms.ndfl is not None)
        text = screen_text(app)
        assert "6-НДФЛ · 1 квартал 2026" in text
        assert "Раздел 1" in text and "18210102010011000110" in text
        assert "02.03.2026" in text and "30.03.2026" in text and "13 000,00" in text
        assert "6 500,00" in text
        # Section 2 is below the first screen: scroll to it.
        for _ in range(22):
            await pilot.press("down")
        text = screen_text(app)
        assert "150 000,00" in text and "19 500,00" in text, text
        # Amounts are right-aligned with non-breaking thousands separators.
        assert any(line.rstrip().endswith("19\u00a0500,00") or
                   line.rstrip().endswith("19 500,00") for line in text.splitlines())
        assert forms.ndfl.section2[0].computed == 19500

        await pilot.press("f")
        await settle(pilot)
        text = screen_text(app)
        assert "РСВ · 1 квартал 2026" in text
        assert "18210201000011000160" in text and "45 000,00" in text
        assert "15 000,00" in text
        for _ in range(30):
            await pilot.press("down")
        text = screen_text(app)
        # Section 3: the name shortened in the narrow column, the months' figures.
        assert "Кузнецова М. О." in text and "50 000,00" in text, text

        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#path", Input).value = str(tmp_path / "rsv.csv")
        await pilot.press("enter")
        await settle(pilot)
        exported = (tmp_path / "rsv.csv").read_text(encoding="utf-8-sig")
        assert "45000,00" in exported and "Кузнецова Мария Олеговна" in exported
        await pilot.press("j")
        await settle(pilot)
        [saved] = list(tmp_path.glob("*.json"))
        data = json.loads(saved.read_text(encoding="utf-8"))
        assert data["kbk"] == "18210201000011000160" and data["due"]["quarter"] == "45000.00"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PayrollScreen)


async def test_the_card_takes_birth_date_sex_citizenship(app, api, http):
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EmployeeFormScreen)
        assert form.query_one("#citizenship", Input).value == "643"
        values = {"full_name": "Кузнецова Мария Олеговна", "position": "Бухгалтер",
                  "hired_on": "02.06.2025", "salary": "50000", "birth_date": "17.05.1990",
                  "bank_bik": "044525225", "bank_account": "40817810899910004312"}
        for field, text in values.items():
            await focus_field(pilot, field)
            app.focused.value = ""
            await type_text(pilot, text)
        await focus_field(pilot, "sex")
        form.query_one("#sex", Select).value = "Ж"
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, EmployeesScreen))
        assert isinstance(app.screen, EmployeesScreen), screen_text(app)
        [stored] = (await api.payroll.employees(org["id"])).items
        assert (stored.birth_date.isoformat(), stored.sex, stored.citizenship) == (
            "1990-05-17", "Ж", "643")
