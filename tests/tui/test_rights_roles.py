"""Roles before work: what the role may not do is dimmed, with the role that may; a
refused key says who may; payroll tells a primary accountant why instead of loading
forever (issue 12, point 8)."""

from __future__ import annotations

from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from client.i18n import t
from screens.ledger.journal import LedgerScreen
from screens.payroll.runs import PayrollScreen
from server.domain.roles import ROLE_PERMS
from tests.org_helpers import create_org, join, sign_up
from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_keys_overlay import overlay_text
from tests.tui.test_org_screens import sign_in
from tests.tui.test_palette_commands import search
from tui import rights
from tui.keys import KeysOverlay

SIZE = (80, 24)


def test_the_clients_role_names_match_the_servers_table():
    for perm, roles in rights.ROLES_WITH.items():
        holders = {role.value for role, perms in ROLE_PERMS.items() if perm in perms}
        assert set(roles) == holders, perm
    assert set(rights.ROLES_WITH) == {p.value for perms in ROLE_PERMS.values() for p in perms}
    known = set(rights.ROLES_WITH)
    assert set(rights.RIGHTS.values()) <= known and set(rights.SCREEN_RIGHTS.values()) <= known


def test_the_reason_names_who_may():
    assert rights.reason("ledger.write") == "Это делает Бухгалтер"
    assert rights.reason("payroll.write") == "Это делают Бухгалтер и Кадровик"
    assert rights.reason("payroll.read") == "Это делают Бухгалтер, Директор и Кадровик"


async def primary(http) -> None:
    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ORG)
    await join(http, owner, org["id"], "ivan@example.ru", "primary")


def footer_key(app, description: str) -> FooterKey | None:
    for key in app.screen.query_one(Footer).query(FooterKey):
        if key.description == description:
            return key
    return None


async def test_a_primary_accountant_sees_what_is_not_theirs_dimmed(app, http):
    await primary(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        assert app.org is not None and app.org.role == "primary"
        assert "ledger.write" not in app.org.permissions  # from the server
        await pilot.press("2")
        await settle(pilot)
        journal = app.screen
        assert isinstance(journal, LedgerScreen)
        assert journal.check_action("new_entry", ()) is None
        assert journal.check_action("reverse", ()) is None
        assert journal.check_action("find", ()) is True
        new = footer_key(app, t("ledger.new"))
        assert new is not None and new._disabled  # dimmed in the Footer
        # A refused key does nothing and says who may.
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is journal
        assert "Это делает Бухгалтер" in [n.message for n in app._notifications]
        # The key overlay says why for each.
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysOverlay)
        text = overlay_text(app.screen)
        assert "n  Операция — Это делает Бухгалтер" in text
        assert "c  Закрыть / открыть месяц — Это делает Бухгалтер" in text
        assert "j  Журнал — Это делают Бухгалтер и Директор" in text
        assert "/  Запрос —" not in text  # free for all
        await pilot.press("escape")
        await settle(pilot)
        # The palette: the command is there, with the reason; running it refuses.
        found = await search(pilot, "сторно")
        assert any("Сторно (s)" in line and "Это делает Бухгалтер" in line for line in found)
        await pilot.press("escape")
        await settle(pilot)


async def test_payroll_tells_a_primary_accountant_why_instead_of_loading(app, http):
    await primary(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("3")
        await settle(pilot)
        payroll = app.screen
        assert isinstance(payroll, PayrollScreen)
        empty = str(payroll.query_one("#payroll-empty", Static).render())
        assert "Загрузка" not in empty
        assert empty == ("Вашей роли (Бухгалтер по первичке) этот раздел недоступен. "
                         "Это делают Бухгалтер, Директор и Кадровик.")
        assert "Загрузка" not in screen_text(app)
        assert payroll.check_action("compute", ()) is None
        await pilot.press("c")
        await settle(pilot)
        assert "Это делают Бухгалтер и Кадровик" in [n.message for n in app._notifications]


async def test_a_refused_load_replaces_loading_with_the_servers_refusal(app, http):
    """Without the permissions list (an older server), the server's refusal shows."""
    await primary(http)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        app.org = app.org.model_copy(update={"permissions": []})
        await pilot.press("3")
        await pilot.pause()
        payroll = app.screen
        assert isinstance(payroll, PayrollScreen)
        def empty() -> str:
            return str(payroll.query_one("#payroll-empty", Static).render())

        payroll.action_reload()
        assert empty() == t("pscreen.loading")
        for _ in range(100):  # (settle would re-raise the refused worker's error)
            await pilot.pause(0.05)
            if empty() != t("pscreen.loading"):
                break
        assert empty() == "Вашей роли это действие не разрешено"  # the server's 403
