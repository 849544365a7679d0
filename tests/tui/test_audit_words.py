"""The activity log in plain words (issue #12 pt 9): no «POST /api/v1/orgs/…:
orgs.forbidden», «как primary», «НДС general»; role names, VAT modes and refusals are
said in Russian. And the invitation mail's subject never doubles the quotes of a name
that has its own («Приглашение в «ООО «Ромашка»»»)."""

from __future__ import annotations

import re

from textual.widgets import DataTable, Static

from screens.orgs.audit_log import AuditScreen, plain_summary
from tests.conftest import mailbox
from tests.org_helpers import accept, create_org, invite, ooo, sign_up
from tests.tui.conftest import settle
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
RAW = re.compile(r"/api/v1|orgs\.forbidden|\b(primary|observer|accountant|director|general"
                 r"|active|blocked|usn_income|ooo)\b")


def test_entries_written_before_are_said_in_words():
    assert plain_summary("POST /api/v1/orgs/1f2e/documents: orgs.forbidden") == \
        "Вашей роли это действие не разрешено"
    assert plain_summary("documents.create: orgs.forbidden") == \
        "Вашей роли это действие не разрешено"
    assert plain_summary("anna@example.ru как primary") == \
        "anna@example.ru: Бухгалтер по первичке"
    assert plain_summary("anna@example.ru: до observer/active, после director/blocked") == \
        "anna@example.ru: до Наблюдатель, активен, после Директор, заблокирован"
    assert "НДС по общим ставкам" in plain_summary("ООО «Ромашка»; ОСНО; НДС general; счета: —")
    assert plain_summary("Аренда за март") == "Аренда за март"  # nothing to translate


async def test_the_log_says_roles_vat_and_refusals_in_words(app, http):
    owner = await sign_up(http, "ivan@example.ru")
    org = await create_org(http, owner, ooo())  # «ООО «Ромашка»»: quotes of its own
    org_id = org["id"]
    resp = await http.put(f"/orgs/{org_id}", headers=owner.h,
                          json=ooo(tax_regime="osno", vat_mode="general"))
    assert resp.status_code == 200, resp.text
    anna = await sign_up(http, "anna@example.ru")
    _, token = await invite(http, owner, org_id, "anna@example.ru", "primary")
    assert (await accept(http, anna, token)).status_code == 200
    resp = await http.patch(f"/orgs/{org_id}/members/{anna.id}", json={"role": "observer"},
                            headers=owner.h)
    assert resp.status_code == 200
    refused = await http.put(f"/orgs/{org_id}", json=ooo(short_name="Взлом"), headers=anna.h)
    assert refused.status_code == 403

    subjects = [x["subject"] for x in await mailbox(http)
                if x["channel"] == "email" and x["recipient"] == "anna@example.ru"]
    assert "Приглашение в ООО «Ромашка»" in subjects
    assert not any("««" in s or "»»" in s for s in subjects)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.app.push_screen(AuditScreen())
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        table = screen.query_one(DataTable)
        assert table.row_count >= 5
        said = []
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await settle(pilot)
            said.append(str(screen.query_one("#audit-detail", Static).render()))
        text = "\n".join(said)
        assert not RAW.search(text), text
        assert "anna@example.ru: Бухгалтер по первичке" in text  # invited, joined
        assert "Бухгалтер по первичке, доступ открыт → Наблюдатель, доступ открыт" in text
        assert "Роли «Наблюдатель» это не разрешено" in text
        assert "НДС по общим ставкам" in text
