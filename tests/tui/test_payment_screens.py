"""Payment-order screens at 80x24, against the real server app in-process: two orders made
by keys (to a supplier, the ЕНП), both marked and exported, the file read back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from textual.widgets import DataTable, Input, OptionList

from screens.payments.form import PaymentFormScreen
from screens.payments.list import PaymentsScreen, file_name
from server.domain.bank_exchange import parse
from tests.conftest import bearer, login, register
from tests.tui.conftest import ORG, screen_text, settle, type_text
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
SUPPLIER = {"kind": "org", "name": "ООО Лютик", "inn": "7719617469", "kpp": "771901001",
            "bik": "049805746", "account": "40602810700000000025",
            "corr_account": "30101810800000000746", "bank_name": "Банк из письма ЦБ № 515"}


async def books(http) -> tuple[dict, str]:
    await register(http)
    h = bearer(await login(http))
    made = (await http.post("/orgs", json=ORG, headers=h)).json()
    path = f"/orgs/{made['id']}"
    resp = await http.post(f"{path}/counterparties", json=SUPPLIER, headers=h)
    assert resp.status_code == 201, resp.text
    return h, path


async def into(pilot, box: Input, text: str) -> None:
    box.focus()
    await pilot.pause()
    box.value = ""
    await type_text(pilot, text)


async def new_form(pilot) -> PaymentFormScreen:
    await pilot.press("n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, PaymentFormScreen)
    return form


async def test_two_orders_by_keys_then_export_both(app, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    h, org = await books(http)
    today = date.today()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        # (app.org_screen('payments') opens the same screen; pushed directly so that this
        # test does not depend on the other screens that action imports.)
        await pilot.app.push_screen(PaymentsScreen())
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PaymentsScreen)
        assert "Платёжных поручений за месяц нет" in screen_text(app)

        # 1. To the supplier: the payee chosen by part of its name, Enter takes it.
        form = await new_form(pilot)
        await into(pilot, form.query_one("#counterparty", Input), "лют")
        await settle(pilot, until=lambda: bool(form.matches))
        assert form.query_one("#cp-matches", OptionList).display
        await pilot.press("enter")
        await settle(pilot)
        assert form.counterparty_name == "ООО Лютик"
        assert app.focused is form.query_one("#amount", Input)
        await type_text(pilot, "12 354,50")
        assert "Двенадцать тысяч триста пятьдесят четыре рубля 50 копеек" in screen_text(app)
        await into(pilot, form.query_one("#purpose", Input), "Оплата по счёту № 7")
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is screen and len(screen.rows) == 1)
        assert app.screen is screen

        # 2. The ЕНП: F3 switches the kind to tax, КБК and status come prefilled.
        form = await new_form(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert form.kind == "tax"
        assert form.query_one("#kbk", Input).value == "18201061201010000510"
        assert form.query_one("#status", Input).value == "01"
        await into(pilot, form.query_one("#oktmo", Input), "45383000")
        await into(pilot, form.query_one("#amount", Input), "25000")
        await into(pilot, form.query_one("#purpose", Input), "Единый налоговый платёж")
        await pilot.press("f2")
        await settle(pilot, until=lambda: app.screen is screen and len(screen.rows) == 2)
        text = screen_text(app)
        for shown in ("ООО Лютик", "Казначейство России", "12 354,50 ₽", "25 000,00 ₽"):
            assert shown in text, (shown, text)

        # Mark both (space moves down), export with e.
        table = screen.query_one(DataTable)
        table.move_cursor(row=0)
        await pilot.press("space")
        await pilot.press("space")
        await settle(pilot)
        assert len(screen.marked) == 2
        await pilot.press("e")
        await settle(pilot, until=lambda: all(o.exported_at for o in screen.rows))
        assert "выгружено" in screen_text(app)
        # An exported order is not deleted: Del is dimmed and does nothing.
        await pilot.press("delete")
        await settle(pilot)
        assert len(screen.rows) == 2

    path = Path(tmp_path) / file_name(today)
    assert path.exists()
    f = parse(path.read_bytes())
    assert len(f.documents) == 2
    by_payee = {d.payee_name: d for d in f.documents}
    assert by_payee["ООО Лютик"].amount == Decimal("12354.50")
    assert by_payee["ООО Лютик"].payee_account == "40602810700000000025"
    enp = by_payee["Казначейство России (ФНС России)"]
    assert (enp.amount, enp.kbk, enp.oktmo, enp.payer_status) == (
        Decimal("25000.00"), "18201061201010000510", "45383000", "01")
    items = (await http.get(f"{org}/payment-orders", headers=h)).json()["items"]
    assert len(items) == 2
    assert all(x["exported_at"] for x in items)


def test_an_upload_file_never_overwrites_the_days_earlier_one(tmp_path):
    day = date(2026, 11, 28)
    assert file_name(day, tmp_path) == "1c_to_kl_2026-11-28.txt"
    (tmp_path / "1c_to_kl_2026-11-28.txt").write_bytes(b"first")
    assert file_name(day, tmp_path) == "1c_to_kl_2026-11-28_2.txt"
    (tmp_path / "1c_to_kl_2026-11-28_2.txt").write_bytes(b"second")
    assert file_name(day, tmp_path) == "1c_to_kl_2026-11-28_3.txt"
