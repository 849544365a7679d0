"""The payment-order list asks before it acts (issue #12 pt 11): ``e`` with nothing marked
asks about the highlighted order; an order already uploaded to the bank is not exported
again without a question that says so; ``Del`` asks, and says why when it cannot."""

from __future__ import annotations

from datetime import date

from screens.payments.list import PaymentsScreen
from tests.tui.conftest import screen_text, settle
from tests.tui.test_org_screens import sign_in
from tests.tui.test_payment_screens import books
from tui.dialogs.confirm import ConfirmDialog

SIZE = (80, 24)


async def order(http, h, org: str, amount: str, purpose: str) -> dict:
    body = {"kind": "tax", "date": date.today().isoformat(), "amount": amount,
            "purpose": purpose, "oktmo": "45383000"}
    resp = await http.post(f"{org}/payment-orders", json=body, headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


def exported_files(folder) -> list:
    return sorted(folder.glob("1c_to_kl_*.txt"))


async def test_export_and_delete_ask_first(app, http, tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path))
    h, org = await books(http)
    await order(http, h, org, "1000.00", "ЕНП за март")
    await order(http, h, org, "2000.00", "ЕНП за апрель")  # No. 2, the top row
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.app.push_screen(PaymentsScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen) and len(screen.rows) == 2
        assert screen.rows[0].number == 2

        # e with nothing marked: asks about the highlighted order; «n» exports nothing.
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Ничего не отмечено" in screen_text(app) and "№ 2" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and exported_files(tmp_path) == []
        # «y» exports it.
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, until=lambda: screen.rows and screen.rows[0].exported_at)
        assert len(exported_files(tmp_path)) == 1
        assert screen.rows[0].exported_at is not None

        # Again: the question says it is already uploaded; «n» keeps it so.
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Уже выгружено в банк" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert len(exported_files(tmp_path)) == 1

        # Del on the uploaded one says why it cannot; nothing is asked.
        await pilot.press("delete")
        await settle(pilot)
        assert app.screen is screen
        assert "уже выгружено в банк" in screen_text(app) and "не удалить" in screen_text(app)

        # Del on the other one asks; «n» keeps it, «y» deletes it.
        await pilot.press("down")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "Удалить п/п № 1" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert len(screen.rows) == 2
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, until=lambda: len(screen.rows) == 1)
        assert [o.number for o in screen.rows] == [2]
