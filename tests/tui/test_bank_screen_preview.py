"""The statement preview at 80x24 (issue #12 pt 11): it fits 80 columns (the status as a
symbol, the rest on the detail line), the statement's own totals are checked at preview,
before F2, and a refused file clears the old table and messages, its error said once."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Static

from screens.bank.statement import BankScreen
from server.db.models import Entry
from tests.helpers import count
from tests.tui.conftest import screen_text, settle
from tests.tui.test_bank_screens import statement
from tests.tui.test_ledger_screens import books
from tests.tui.test_org_screens import sign_in
from tui.widgets.form import ErrorLine

SIZE = (80, 24)


async def import_file(pilot, bank: BankScreen, path: str) -> None:
    await pilot.press("i")
    bank.query_one("#bank-path").value = path
    await pilot.press("enter")
    await settle(pilot, until=lambda: bank.preview is not None)


async def open_bank(pilot) -> BankScreen:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.app.push_screen(BankScreen())
    await settle(pilot)
    bank = pilot.app.screen
    assert isinstance(bank, BankScreen)
    return bank


async def test_the_preview_fits_80_columns_and_checks_the_totals(app, http, server_app,
                                                                 tmp_path):
    await books(http)
    good = tmp_path / "good.txt"
    good.write_bytes(statement())
    # The same file whose head says 5 100,00 came in while its lines bring 5 000,00:
    # 0,00 + 5 100,00 − 1 200,00 = 3 900,00, not the 3 800,00 it says at the end either.
    bad = tmp_path / "bad_totals.txt"
    bad.write_bytes(statement().replace("ВсегоПоступило=5000.00".encode("cp1251"),
                                        "ВсегоПоступило=5100.00".encode("cp1251")))
    async with app.run_test(size=SIZE) as pilot:
        bank = await open_bank(pilot)
        await import_file(pilot, bank, str(good))
        table = bank.query_one(DataTable)
        assert table.row_count == 2
        # No column hides past the right edge: the whole row is on the screen.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        first = [c.plain for c in table.get_row_at(0)]
        assert first[0] == "○" and first[5:7] == ["51", "62.01"]
        detail = str(bank.query_one("#bank-detail", Static).render())
        assert "новая" in detail and "Оплата по счету № 1" in detail
        assert not bank.query_one("#bank-totals", Static).has_class("-warning")

        await import_file(pilot, bank, str(bad))
        text = screen_text(app)
        assert "ВсегоПоступило" in text and "5 100,00" in text and "5 000,00" in text, text
        assert bank.query_one("#bank-totals", Static).has_class("-warning")
        assert count(server_app, Entry) == 0  # said before F2, nothing posted


async def test_a_refused_file_clears_the_old_preview(app, http, tmp_path):
    await books(http)
    good = tmp_path / "good.txt"
    good.write_bytes(statement())
    broken = tmp_path / "broken.txt"
    lines = statement().decode("cp1251").split("\r\n")
    lines.insert(5, "это не поле")  # line 6: no «=» and not a section
    broken.write_bytes("\r\n".join(lines).encode("cp1251"))
    async with app.run_test(size=SIZE) as pilot:
        bank = await open_bank(pilot)
        await import_file(pilot, bank, str(good))
        assert bank.query_one(DataTable).row_count == 2
        await pilot.press("i")
        bank.query_one("#bank-path").value = str(broken)
        await pilot.press("enter")
        await settle(pilot, until=lambda: bank.query_one(ErrorLine).has_class("-shown"))
        await settle(pilot)
        assert bank.preview is None and bank.query_one(DataTable).row_count == 0
        text = screen_text(app)
        assert "good.txt" not in text and "новых 2" not in text  # the old summary went
        error = str(bank.query_one(ErrorLine).render())
        assert "строка 6" in error and "нет знака «=»" in error, error
        assert len(re.findall(r"строка", error, re.IGNORECASE)) == 1, error  # not doubled
