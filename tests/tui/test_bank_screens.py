"""The «Банк» screen at 80x24: import a statement, change a line's accounts, save a rule,
post all, import the same file again (nothing new)."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from screens.bank.rules import RulesScreen
from screens.bank.statement import BankScreen, LineDialog, RuleDialog
from screens.ledger.journal import LedgerScreen
from server.db.models import Entry
from tests.helpers import count
from tests.tui.conftest import screen_text, settle
from tests.tui.test_ledger_screens import books
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
OURS = "40817810899910004312"  # the test organisation's account (tests/tui/conftest.py ORG)


def statement() -> bytes:
    def doc(number: str, day: str, amount: str, payer: str, payer_acc: str, payer_inn: str,
            payee: str, payee_acc: str, payee_inn: str, purpose: str) -> list[str]:
        return ["СекцияДокумент=Платежное поручение", f"Номер={number}", f"Дата={day}",
                f"Сумма={amount}", f"ПлательщикСчет={payer_acc}", f"ПлательщикИНН={payer_inn}",
                f"Плательщик1={payer}", "ПлательщикБИК=044525225",
                f"ПолучательСчет={payee_acc}", f"ПолучательИНН={payee_inn}",
                f"Получатель1={payee}", "ПолучательБИК=044525225",
                f"НазначениеПлатежа={purpose}", "КонецДокумента"]

    lines = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows",
             "СекцияРасчСчет", "ДатаНачала=01.03.2026", "ДатаКонца=31.03.2026",
             f"РасчСчет={OURS}", "НачальныйОстаток=0.00", "ВсегоПоступило=5000.00",
             "ВсегоСписано=1200.00", "КонечныйОстаток=3800.00", "КонецРасчСчет",
             *doc("11", "03.03.2026", "5000.00", "ООО «Крокус»", "40702810900000000001",
                  "7719617469", "Ромашка", OURS, "7707083893", "Оплата по счету № 1"),
             *doc("12", "04.03.2026", "1200.00", "Ромашка", OURS, "7707083893",
                  "ИП Петров", "40802810100000000002", "500100732259", "Аренда офиса за март"),
             "КонецФайла"]
    return "\r\n".join(lines).encode("cp1251")


async def import_file(pilot, bank: BankScreen, path: str) -> None:
    await pilot.press("i")
    box = bank.query_one("#bank-path", Input)
    # The export folder prefilled at first; the last file's path after that.
    assert box.has_focus and (box.value.endswith("/") or box.value == path)
    box.value = path
    await pilot.press("enter")
    await settle(pilot, until=lambda: bank.preview is not None)


async def test_import_change_rule_post_and_import_again(app, http, server_app, tmp_path):
    await books(http)
    path = tmp_path / "kl_to_1c.txt"
    path.write_bytes(statement())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, LedgerScreen)
        await pilot.press("b")
        await settle(pilot)
        bank = app.screen
        assert isinstance(bank, BankScreen)
        await import_file(pilot, bank, str(path))
        text = screen_text(app)
        assert "строк 2, новых 2" in text, text
        table = bank.query_one(DataTable)
        assert table.row_count == 2
        assert [c.plain for c in table.get_row_at(0)][5:7] == ["51", "62.01"]
        # Nothing is owed to ИП Петров: the payment is proposed as an advance paid (60.02).
        assert [c.plain for c in table.get_row_at(1)][5:7] == ["60.02", "51"]

        # The rent goes to 26, by hand.
        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LineDialog)
        dialog.query_one("#bank-debit", Input).value = "26"
        dialog.query_one("#bank-debit", Input).focus()
        await pilot.press("enter")  # to the credit line
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is bank
        assert bank.preview.lines[1].debit == "26" and bank.preview.lines[1].reason == "вручную"
        assert [c.plain for c in table.get_row_at(1)][5] == "26"

        # A rule from it: the landlord's ИНН → 26.
        await pilot.press("r")
        await settle(pilot)
        rule = app.screen
        assert isinstance(rule, RuleDialog)
        assert rule.query_one("#rule-inn", Input).value == "500100732259"
        assert rule.query_one("#rule-account", Input).value == "26"
        rule.query_one("#rule-account", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is bank

        # Post all: two entries; the reconciliation under the table.
        await pilot.press("f2")
        await settle(pilot, until=lambda: bank.preview.state == "posted")
        assert count(server_app, Entry) == 2
        text = screen_text(app)
        assert "Остатки сходятся" in text, text

        # The rules list shows the new rule.
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, RulesScreen)
        assert "500100732259" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)

        # The same file again: both lines are duplicates, posting adds nothing.
        bank.preview = None
        await import_file(pilot, bank, str(path))
        assert "повторов 2" in screen_text(app)
        assert bank.preview.lines[1].debit == "26"  # the rule proposes it now
        await pilot.press("f2")
        await settle(pilot, until=lambda: bank.preview.state == "posted")
        assert count(server_app, Entry) == 2
