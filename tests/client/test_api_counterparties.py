"""ApiClient's counterparty methods against the real server app (httpx.ASGITransport)."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from client.api import ApiClient
from client.errors import Conflict, Forbidden, NotFound, ValidationFailed
from core import contract as m
from server.db.models import Counterparty
from tests.conftest import PASSWORD, last_mail_token, register
from tests.helpers import count
from tests.org_helpers import ip, next_phone, ooo

ROMASHKA = {
    "kind": "org", "name": "ООО «Ромашка»", "inn": "7707083893", "kpp": "773601001",
    "bik": "044525225", "account": "40817810899910004312",
    "corr_account": "30101810400000000225", "bank_name": "ПАО Сбербанк",
    "contract": "Договор № 15 от 01.02.2026",
}
PETROV = {"kind": "ip", "name": "ИП Петров Пётр Петрович", "inn": "500100732259"}


@pytest.fixture
async def make_api(server_app, http):
    made: list[ApiClient] = []

    async def make(email: str) -> ApiClient:
        await register(http, email=email, phone=next_phone())
        api = ApiClient(
            base_url="http://test",
            server_key="test",
            transport=httpx.ASGITransport(app=server_app),
            store=None,
            backoff_s=(0,),
        )
        made.append(api)
        await api.auth.login(email, PASSWORD, remember=False)
        return api

    yield make
    for api in made:
        await api.aclose()


def test_the_wire_model_checks_requisites_before_anything_is_sent():
    ok = m.CounterpartyIn(**{**ROMASHKA, "inn": "7707 083 893", "email": ""})
    assert (ok.inn, ok.email, ok.full_name) == ("7707083893", None, None)
    assert m.CounterpartyIn(**{**PETROV, "kpp": "773601001"}).kpp is None
    for bad, field in (({"inn": "7707083894"}, "inn"), ({"kpp": "7736"}, "kpp"),
                       ({"account": "40817810899910004313"}, "account"),
                       ({"bank_name": None}, "bank_name")):
        with pytest.raises(ValidationError) as caught:
            m.CounterpartyIn(**{**ROMASHKA, **bad})
        (error,) = caught.value.errors()
        assert error["ctx"]["error"].params["field"] == field


async def test_counterparties_through_the_client(make_api):
    api = await make_api("owner@example.ru")
    org = await api.orgs.create(m.OrgIn(**ooo()))
    romashka = await api.counterparties.create(org.id, m.CounterpartyIn(**ROMASHKA))
    assert isinstance(romashka, m.CounterpartyOut)
    assert (romashka.inn, romashka.kpp, romashka.account) == (
        "7707083893", "773601001", "40817810899910004312")
    petrov = await api.counterparties.create(org.id, m.CounterpartyIn(**PETROV))
    for n in range(3):
        await api.counterparties.create(org.id, m.CounterpartyIn(kind="person",
                                                                name=f"Сидоров {n}"))
    assert await api.counterparties.get(org.id, petrov.id) == petrov

    page = await api.counterparties.search(org.id, limit=2)
    assert [c.name for c in page.items] == ["ИП Петров Пётр Петрович", "ООО «Ромашка»"]
    seen = [c.name for c in page.items]
    while page.next_cursor:
        page = await api.counterparties.search(org.id, cursor=page.next_cursor, limit=2)
        seen += [c.name for c in page.items]
    assert seen == ["ИП Петров Пётр Петрович", "ООО «Ромашка»", "Сидоров 0", "Сидоров 1",
                    "Сидоров 2"]
    assert [c.id for c in (await api.counterparties.search(org.id, "ромаш")).items] == [romashka.id]
    assert [c.id for c in (await api.counterparties.search(org.id, q="5001")).items] == [petrov.id]

    changed = await api.counterparties.update(
        org.id, romashka.id, m.CounterpartyIn(**{**ROMASHKA, "name": "ООО «Ромашка-2»"}))
    assert changed.name == "ООО «Ромашка-2»" and changed.id == romashka.id
    archived = await api.counterparties.archive(org.id, romashka.id)
    assert archived.archived is True
    assert romashka.id not in [c.id for c in (await api.counterparties.search(org.id)).items]
    assert [c.id for c in (await api.counterparties.search(org.id, archived=True)).items] == [
        romashka.id]
    assert (await api.counterparties.restore(org.id, romashka.id)).archived is False
    assert romashka.id in [c.id for c in (await api.counterparties.search(org.id)).items]


async def test_refusals_are_typed(make_api, http, server_app):
    owner = await make_api("owner@example.ru")
    org = await owner.orgs.create(m.OrgIn(**ooo()))
    made = await owner.counterparties.create(org.id, m.CounterpartyIn(**ROMASHKA))

    with pytest.raises(Conflict) as caught:
        await owner.counterparties.create(org.id, m.CounterpartyIn(**{**ROMASHKA, "name": "Twin"}))
    assert caught.value.code == "counterparties.duplicate"
    assert "ООО «Ромашка»" in caught.value.detail

    # Bypass the local check (a client built before a rule changed): the server refuses too.
    bad = m.CounterpartyIn.model_construct(**{**PETROV, "inn": "500100732258"})
    with pytest.raises(ValidationFailed) as caught:
        await owner.counterparties.create(org.id, bad)
    assert caught.value.code == "validation.failed"
    assert [e["field"] for e in caught.value.errors] == ["inn"]

    other = await owner.orgs.create(m.OrgIn(**ip()))
    with pytest.raises(NotFound) as caught:
        await owner.counterparties.get(other.id, made.id)
    assert caught.value.code == "counterparties.not_found"
    with pytest.raises(ValueError):
        await owner.counterparties.get(org.id, "../../orgs")  # ids only ever go in as UUIDs

    watcher = await make_api("watcher@example.ru")
    await owner.orgs.invite(org.id, "watcher@example.ru", "observer")
    await watcher.orgs.accept_invitation(await last_mail_token(http, "watcher@example.ru"))
    assert [c.id for c in (await watcher.counterparties.search(org.id)).items] == [made.id]
    with pytest.raises(Forbidden) as caught:
        await watcher.counterparties.create(org.id, m.CounterpartyIn(**PETROV))
    assert caught.value.code == "orgs.forbidden"
    with pytest.raises(Forbidden):
        await watcher.counterparties.archive(org.id, made.id)
    assert count(server_app, Counterparty) == 1
