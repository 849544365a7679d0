"""The payroll mode at 80x24 against the real server app: employees typed in by keys,
January and February 2026 computed, approved, paid; payslips and the quarter.

Worked example (2026, ООО not in the МСП register, injury rate 0.2 %; the production
calendar gives January 15 working days, the 12th–30th, and February 19):

- Иванов Иван Иванович, оклад 100 000 ₽, two children: deduction 1 400 + 2 800 = 4 200 ₽.
  January (full month): НДФЛ (100 000 − 4 200) × 13 % = 12 454 ₽;
  contributions 100 000 × 30 % = 30 000 + injury 100 000 × 0.2 % = 200 → 30 200,00 ₽;
  net 100 000 − 12 454 = 87 546,00 ₽.
- Петров Пётр Петрович, the director, оклад 20 000 ₽ (below МРОТ 27 093 ₽):
  НДФЛ 20 000 × 13 % = 2 600; contributions on the minimum base 27 093 × 30 % = 8 127,90
  + injury on the pay 20 000 × 0.2 % = 40 → 8 167,90 ₽; net 17 400,00 ₽.
- Сидорова Анна Сергеевна, оклад 60 000 ₽, hired 19 January: 10 of 15 working days →
  60 000 × 10 / 15 = 40 000 ₽; НДФЛ 5 200; contributions 12 000 + 80 = 12 080,00 ₽;
  net 34 800,00 ₽.
  January totals: accrued 100 000 + 20 000 + 40 000 = 160 000,00 ₽; НДФЛ 20 254,00 ₽.
- February, Иванов with a 10 000 ₽ bonus: accrued 110 000; income since 1 January
  210 000 < 450 000, so the deduction still applies:
  НДФЛ (110 000 − 4 200) × 13 % = 13 754 ₽; net 110 000 − 13 754 = 96 246,00 ₽.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Select

from core import contract as m
from screens.payroll.common import bare, short_name
from screens.payroll.dialogs import AbsenceDialog, ItemDialog, PayDialog
from screens.payroll.employee_form import EmployeeFormScreen, children_text, parse_children
from screens.payroll.employees import EmployeesScreen
from screens.payroll.payslip import PayslipScreen
from screens.payroll.quarter import QuarterScreen
from screens.payroll.runs import PayrollScreen
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.export import ExportDialog
from tui.widgets.form import ErrorLine, TickBox

SIZE = (80, 24)

IVANOV = {"full_name": "Иванов Иван Иванович", "position": "Менеджер",
          "hired_on": "01.03.2025", "salary": "100 000", "inn": "500100732259",
          "snils": "11223344595", "children": "2", "bank_bik": "044525225",
          "bank_account": "40817810899910004312"}
PETROV = {"full_name": "Петров Пётр Петрович", "position": "Генеральный директор",
          "hired_on": "10.01.2024", "salary": "20000", "bank_bik": "044525225",
          "bank_account": "40817810899910004312"}
SIDOROVA = {"full_name": "Сидорова Анна Сергеевна", "position": "Продавец",
            "department": "Магазин", "hired_on": "19.01.2026", "salary": "60 000,00"}


async def books(http) -> tuple[dict, str]:
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    return h, org["id"]


def test_children_as_typed():
    assert parse_children("2", "") == [{"order": 1, "disabled": False},
                                       {"order": 2, "disabled": False}]
    assert parse_children("3", "1, 3") == [{"order": 1, "disabled": True},
                                           {"order": 2, "disabled": False},
                                           {"order": 3, "disabled": True}]
    assert parse_children("", "") == []
    for count, disabled in (("два", ""), ("21", ""), ("2", "3"), ("1", "x")):
        with pytest.raises(ValueError):
            parse_children(count, disabled)
    assert children_text([m.ChildIn(order=1), m.ChildIn(order=2, disabled=True)]) == \
        "1-й, 2-й (инвалид)"


def test_short_names_and_bare_amounts():
    assert short_name("Иванов Иван Иванович") == "Иванов И. И."
    assert short_name("Cher") == "Cher"
    assert bare(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50"


async def focus_field(pilot, field: str) -> None:
    """Tab through the card until the cursor is in ``field`` (keys only)."""
    app = pilot.app
    for _ in range(40):
        if app.focused is not None and app.focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"no field {field!r} reached by Tab")


async def add_employee(pilot, values: dict[str, str], *, account: str | None = None,
                       director: bool = False, cash: bool = False) -> None:
    app = pilot.app
    await pilot.press("n")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, EmployeeFormScreen)
    for field, text in values.items():
        await focus_field(pilot, field)
        box = app.focused
        assert isinstance(box, Input)
        box.value = ""
        await type_text(pilot, text)
    if account:
        # The select opens with Enter; the accounts are listed 20, 26, 44 (26 chosen).
        await focus_field(pilot, "cost_account")
        await pilot.press("enter")
        await pilot.press(*(["down"] if account == "44" else ["up"]), "enter")
        await settle(pilot)
        assert form.query_one("#cost_account", Select).value == account
    if director:
        await focus_field(pilot, "is_director")
        await pilot.press("space")
    if cash:
        await focus_field(pilot, "pay_method")
        await pilot.press("enter", "down", "enter")
        await settle(pilot)
        assert form.query_one("#pay_method", Select).value == "cash"
    await pilot.press("f2")
    await settle(pilot, until=lambda: isinstance(app.screen, EmployeesScreen))
    assert isinstance(app.screen, EmployeesScreen), screen_text(app)


def row_text(app, key: str) -> str:
    table = app.screen.query_one(DataTable)
    return " | ".join(str(cell) for cell in table.get_row(key))


async def test_employee_card_checks_as_typed(app, http):
    await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, PayrollScreen)
        await pilot.press("e")
        await settle(pilot)
        assert "Сотрудников пока нет" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await focus_field(pilot, "inn")
        await type_text(pilot, "500100732258")  # the last check digit is 9
        assert form.query_one("#inn", Input).has_class("-invalid")
        assert "контрольн" in str(form.query_one(ErrorLine).render()).lower()
        await pilot.press("backspace")
        await type_text(pilot, "9")
        assert not form.query_one("#inn", Input).has_class("-invalid")
        await focus_field(pilot, "snils")
        await type_text(pilot, "11223344595")
        await pilot.press("tab")  # leaving the field formats it
        assert form.query_one("#snils", Input).value == "112-233-445 95"
        await focus_field(pilot, "children")
        form.query_one("#children", Input).value = ""
        await type_text(pilot, "2")
        await focus_field(pilot, "disabled_children")
        await type_text(pilot, "2")
        assert "1-й, 2-й (инвалид)" in screen_text(app)
        # Nothing else filled in: F2 names the first missing field and stays.
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, EmployeeFormScreen)
        assert app.focused is form.query_one("#full_name", Input)


async def test_payroll_months_by_keys(app, api, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    _, org_id = await books(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        run_screen = app.screen
        assert isinstance(run_screen, PayrollScreen)

        # --- three employees, by keys ---
        await pilot.press("e")
        await settle(pilot)
        await add_employee(pilot, IVANOV)
        await add_employee(pilot, PETROV, director=True)
        await add_employee(pilot, SIDOROVA, account="44", cash=True)
        text = screen_text(app)
        for name in ("Иванов Иван Иванович", "Петров Пётр Петрович ★",
                     "Сидорова Анна Сергеевна"):
            assert name in text
        assert "100 000,00 ₽" in text
        stored = {e.full_name.split()[0]: e for e in (await api.payroll.employees(org_id)).items}
        assert [c.order for c in stored["Иванов"].children] == [1, 2]
        assert stored["Иванов"].snils == "11223344595"
        assert stored["Петров"].is_director and stored["Сидорова"].cost_account == "44"
        assert stored["Сидорова"].pay_method == "cash"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is run_screen

        # --- January 2026: back month by month from today ---
        today = date.today()
        steps = today.year * 12 + today.month - (2026 * 12 + 1)
        await pilot.press(*(["left_square_bracket"] * steps))
        await settle(pilot)
        assert "январь 2026" in screen_text(app)
        assert "ещё не рассчитана" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, until=lambda: run_screen.run is not None)
        run = run_screen.run
        assert run is not None and run.state == "draft" and run.working_days == 15
        ivanov = stored["Иванов"].id
        line = row_text(app, ivanov)
        # 100 000 accrued, НДФЛ 12 454, contributions 30 200, net 87 546 (see the top).
        for figure in ("100 000,00 ₽", "12 454,00 ₽", "30 200,00 ₽", "87 546,00 ₽"):
            assert figure.replace(" ", "\u00a0") in line, line
        petrov = row_text(app, stored["Петров"].id)
        assert "8\u00a0167,90" in petrov and "17\u00a0400,00" in petrov
        sidorova = row_text(app, stored["Сидорова"].id)
        assert "40\u00a0000,00" in sidorova and "5\u00a0200,00" in sidorova
        total = row_text(app, "total")
        assert "160\u00a0000,00" in total and "20\u00a0254,00" in total
        text = screen_text(app)
        assert "черновик" in text and "Аванс 20.01.2026" in text

        # --- approve ---
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot, until=lambda: run_screen.run is not None
                     and run_screen.run.state == "approved")
        assert run_screen.run.state == "approved"
        assert "утверждена" in screen_text(app)
        assert run_screen.check_action("compute", ()) is None  # approved: no recompute
        # The approval posted the accrual by department and contributions; НДФЛ (Дт 70
        # Кт 68.01) is posted with the payment it is withheld from (НК ст. 226 п. 4).
        entries = await api.ledger.entries(org_id, date_from="2026-01-01", date_to="2026-01-31")
        pairs = {(p.debit, p.credit) for e in entries.items for p in e.postings}
        assert {("26", "70"), ("44", "70")} <= pairs, pairs
        assert not any(d == "70" and c.startswith("68") for d, c in pairs), pairs
        assert any(d in ("26", "44") and c.startswith("69") for d, c in pairs), pairs

        # --- the payslip ---
        run_screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("enter")
        await settle(pilot, until=lambda: isinstance(app.screen, PayslipScreen)
                     and app.screen.slip is not None)
        slip_screen = app.screen
        assert isinstance(slip_screen, PayslipScreen)
        text = screen_text(app)
        assert "Иванов" in text and "Расчётный листок" in text
        assert "12 454,00 ₽" in text and "К выплате" in text
        await pilot.press("s")
        await settle(pilot)
        saved = list(tmp_path.glob("*.pdf"))
        assert len(saved) == 1 and saved[0].read_bytes().startswith(b"%PDF")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is run_screen

        # --- pay the advance, then the final part ---
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PayDialog)
        assert dialog.query_one("#day", Input).value == "20.01.2026"
        await pilot.press("enter")
        await settle(pilot, until=lambda: run_screen.run is not None
                     and run_screen.run.advance_paid_on is not None)
        assert run_screen.run.advance_paid_on == date(2026, 1, 20)
        assert "аванс выплачен" in screen_text(app)
        assert "НДФЛ" in screen_text(app) and "до " in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PayDialog) and dialog.part == "final"
        assert dialog.query_one("#day", Input).value == "05.02.2026"
        await pilot.press("enter")
        await settle(pilot, until=lambda: run_screen.run is not None
                     and run_screen.run.state == "paid")
        assert run_screen.run.state == "paid"
        assert "выплачена" in screen_text(app)
        orders = await api.payments.orders(org_id, date_from="2026-01-01",
                                          date_to="2026-02-28")
        # Two card employees paid twice (advance, final) and an ЕНП order each time.
        assert len([o for o in orders.items if o.employee_id]) == 4
        assert any(o.employee_id is None for o in orders.items)

        # --- February, with a bonus for Иванов ---
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert "февраль 2026" in screen_text(app)
        await pilot.press("c")
        await settle(pilot, until=lambda: run_screen.run is not None)
        assert run_screen.run.working_days == 19
        line = row_text(app, ivanov)
        assert "12\u00a0454,00" in line
        assert "60\u00a0000,00" in row_text(app, stored["Сидорова"].id)
        run_screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(app.screen, ItemDialog)
        await type_text(pilot, "10 000")
        await pilot.press("enter")
        await settle(pilot, until=lambda: "110\u00a0000,00" in row_text(app, ivanov))
        line = row_text(app, ivanov)
        # (110 000 − 4 200) × 13 % = 13 754; net 96 246.
        assert "110\u00a0000,00" in line and "13\u00a0754,00" in line \
            and "96\u00a0246,00" in line, line
        assert [(i.kind, i.amount) for i in run_screen.run.items] == \
            [("bonus", Decimal("10000.00"))]
        await pilot.press("c")  # a recompute keeps the bonus
        await settle(pilot)
        assert "13\u00a0754,00" in row_text(app, ivanov)
        await pilot.press("a", "y")
        await settle(pilot, until=lambda: run_screen.run.state == "approved")
        assert run_screen.run.state == "approved"

        # --- the quarter ---
        await pilot.press("q")
        await settle(pilot, until=lambda: isinstance(app.screen, QuarterScreen)
                     and app.screen.summary is not None)
        quarter = app.screen
        assert isinstance(quarter, QuarterScreen)
        text = screen_text(app)
        assert "1 квартал 2026" in text
        # Income: January 160 000; February 110 000 + 20 000 + 60 000 = 190 000.
        assert "160 000,00" in text and "190 000,00" in text and "350 000,00" in text
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one("#path", Input).value = str(tmp_path / "q1.csv")
        await pilot.press("enter")
        await settle(pilot)
        exported = (tmp_path / "q1.csv").read_text(encoding="utf-8-sig")
        assert "160000,00" in exported and "350000,00" in exported
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is run_screen


async def test_editing_an_employee_and_a_server_refusal(app, api, http):
    h, org_id = await books(http)
    await http.post(f"/orgs/{org_id}/employees", headers=h, json={
        "full_name": "Иванов Иван Иванович", "position": "Менеджер",
        "hired_on": "2025-03-01", "salary": "100000.00", "pay_method": "cash"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3", "e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EmployeeFormScreen)
        assert form.query_one("#salary", Input).value == "100000,00"
        assert form.query_one("#bank_bik", Input).disabled  # cash: no bank details
        assert isinstance(form.query_one("#resident"), TickBox)
        await focus_field(pilot, "dismissed_on")
        await type_text(pilot, "01.01.2025")  # before the hiring date
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, EmployeeFormScreen)
        assert app.focused is form.query_one("#dismissed_on", Input)
        assert "раньше даты приёма" in screen_text(app)
        form.query_one("#dismissed_on", Input).value = ""
        await focus_field(pilot, "position")
        form.query_one("#position", Input).value = ""
        await type_text(pilot, "Старший менеджер")
        await pilot.press("f2")
        await settle(pilot, until=lambda: isinstance(app.screen, EmployeesScreen))
        assert "Старший менеджер" in screen_text(app)
        assert (await api.payroll.employees(org_id)).items[0].position == "Старший менеджер"


# --- payment documents and sick leave -------------------------------------------------


async def open_january(pilot) -> PayrollScreen:
    app = pilot.app
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("3")
    await settle(pilot)
    run_screen = app.screen
    assert isinstance(run_screen, PayrollScreen)
    today = date.today()
    steps = today.year * 12 + today.month - (2026 * 12 + 1)
    await pilot.press(*(["left_square_bracket"] * steps))
    await settle(pilot, until=lambda: run_screen.run is not None)
    assert "январь 2026" in screen_text(app)
    return run_screen


async def test_pay_sheet_and_register_saved_by_key(app, http, tmp_path, monkeypatch):
    """January 2026 paid in full (the scenario at the top, Иванов by card and Сидорова in
    cash): `v` saves the documents of the last payment, the final one — the Т-53 of
    Сидорова (40 000 − 5 200 = 34 800,00) and the register of Иванов (63 800,33)."""
    from tests.server.test_payroll import IVANOV as IVANOV_API
    from tests.server.test_payroll import SIDOROVA as SIDOROVA_API

    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    h, org_id = await books(http)
    base = f"/orgs/{org_id}"
    for body in (IVANOV_API, SIDOROVA_API):
        assert (await http.post(f"{base}/employees", json=body, headers=h)).status_code == 201
    run = (await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1},
                           headers=h)).json()
    assert (await http.post(f"{base}/payroll/runs/{run['id']}/approve",
                            headers=h)).status_code == 200
    for day, part in (("2026-01-20", "advance"), ("2026-02-05", "final")):
        paid = await http.post(f"{base}/payroll/runs/{run['id']}/pay", headers=h,
                               json={"date": day, "part": part})
        assert paid.status_code == 200, paid.text
    async with app.run_test(size=SIZE) as pilot:
        run_screen = await open_january(pilot)
        assert run_screen.run.state == "paid"
        assert run_screen.check_action("docs", ()) is True
        await pilot.press("v")
        await settle(pilot, until=lambda: len(list(tmp_path.glob("*.pdf"))) == 2)
        saved = sorted(p.name for p in tmp_path.glob("*.pdf"))
        assert saved == ["Ведомость_Т-53_2026-01_Окончательный_расчёт.pdf",
                         "Реестр_зарплаты_2026-01_Окончательный_расчёт.pdf"], saved
        for name in saved:
            assert (tmp_path / name).read_bytes().startswith(b"%PDF"), name


async def test_sick_leave_through_the_dialog(app, http):
    """Иванов, 100 000 ₽, sick 12–14 January 2026 (Mon–Wed, 3 working days), average daily
    pay 3 000 ₽, record 10 years (100 %): the employer pays the 3 days, 3 000 × 3 = 9 000;
    salary for 15 − 3 = 12 of 15 working days: 100 000 × 12 / 15 = 80 000; accrued 89 000."""
    from tests.server.test_payroll import IVANOV as IVANOV_API

    h, org_id = await books(http)
    base = f"/orgs/{org_id}"
    assert (await http.post(f"{base}/employees", json=IVANOV_API, headers=h)).status_code == 201
    await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1}, headers=h)
    async with app.run_test(size=SIZE) as pilot:
        run_screen = await open_january(pilot)
        assert run_screen.run.lines[0].accrued == Decimal("100000.00")
        run_screen.query_one(DataTable).move_cursor(row=0)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AbsenceDialog)
        assert "первые 3 дня" in screen_text(app)  # what the server pays, said up front
        await type_text(pilot, "12")  # the cursor starts in «С»; the run's month is read
        await pilot.press("tab")
        await type_text(pilot, "14")
        await pilot.press("tab")
        # No average typed: the dialog refuses before asking the server.
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "средний дневной" in screen_text(app).lower()
        assert app.focused is dialog.query_one("#avg_daily", Input)
        await type_text(pilot, "3000")
        await pilot.press("tab")
        await type_text(pilot, "10")
        await pilot.press("enter")
        await settle(pilot, until=lambda: run_screen.run is not None
                     and run_screen.run.lines[0].sick > 0)
        line = run_screen.run.lines[0]
        assert (line.sick, line.salary, line.days_worked, line.accrued) == (
            Decimal("9000.00"), Decimal("80000.00"), 12, Decimal("89000.00"))
        assert "89\u00a0000,00" in row_text(app, line.employee_id)
        item = run_screen.run.items[0]
        assert (item.kind, item.date_from, item.date_to) == (
            "sick", date(2026, 1, 12), date(2026, 1, 14))
