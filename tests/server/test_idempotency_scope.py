"""Idempotency-Key answers belong to their caller, and a keyed write commits with its answer.

On SQLite and PostgreSQL (``tests.both_databases``).
"""

from __future__ import annotations

import pytest

from server.db.models import Entry, IdempotencyRecord
from server.services.idempotency import UnitOfWork
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import assert_problem, count

OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}
ENTRY = {"date": "2026-03-05", "description": "Взнос в уставный капитал",
         "postings": [{"debit": "51", "credit": "80", "amount": "10000.00"}]}


@pytest.fixture
async def two_users(http):
    await register(http)
    a = bearer(await login(http))
    await register(http, email="petr@example.ru", phone="+79123456780")
    b = bearer(await login(http, email="petr@example.ru"))
    org = (await http.post("/orgs", json=OOO, headers=a)).json()
    return a, b, f"/orgs/{org['id']}"


async def test_another_user_replaying_a_key_does_not_get_the_answer(http, two_users):
    a, b, org = two_users
    first = await http.post(f"{org}/entries", json=ENTRY,
                            headers={**a, "Idempotency-Key": "a-key"})
    assert first.status_code == 201
    # B sends A's key with the same path and body: B is not in A's organisation.
    theft = await http.post(f"{org}/entries", json=ENTRY,
                            headers={**b, "Idempotency-Key": "a-key"})
    assert "idempotent-replayed" not in theft.headers
    assert first.json()["id"] not in theft.text
    assert theft.status_code in (403, 404)
    # ... and neither does a request with no token at all.
    anonymous = await http.post(f"{org}/entries", json=ENTRY, headers={"Idempotency-Key": "a-key"})
    assert "idempotent-replayed" not in anonymous.headers
    assert_problem(anonymous, 401, "auth.unauthorized")
    # The owner still gets the replay.
    again = await http.post(f"{org}/entries", json=ENTRY,
                            headers={**a, "Idempotency-Key": "a-key"})
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


async def test_answers_of_two_users_under_one_key_stay_apart(http, server_app):
    """Two users who happen to pick the same key each get their own answer."""
    await register(http)
    a = bearer(await login(http))
    await register(http, email="petr@example.ru", phone="+79123456780")
    b = bearer(await login(http, email="petr@example.ru"))
    made = {}
    for who, h in (("a", a), ("b", b)):
        made[who] = await http.post("/orgs", json=OOO, headers={**h, "Idempotency-Key": "same"})
        assert made[who].status_code == 201
        assert "idempotent-replayed" not in made[who].headers
    assert made["a"].json()["id"] != made["b"].json()["id"]
    assert count(server_app, IdempotencyRecord) >= 2


async def test_a_keyed_write_that_dies_before_its_answer_is_kept_writes_nothing(
    http, two_users, server_app, monkeypatch
):
    """The crash window of the old scheme: the entry committed, its answer not yet kept.

    Now the entry and the answer commit together: dying just before that commit (here: the
    process "crashes" inside ``complete``) leaves neither, and the retry posts it once.
    """
    a, _, org = two_users

    class Crash(BaseException):
        pass

    real_complete = UnitOfWork.complete

    def crash(self, *args, **kwargs):
        raise Crash

    monkeypatch.setattr(UnitOfWork, "complete", crash)
    with pytest.raises(Crash):
        await http.post(f"{org}/entries", json=ENTRY, headers={**a, "Idempotency-Key": "k-1"})
    assert count(server_app, Entry) == 0
    monkeypatch.setattr(UnitOfWork, "complete", real_complete)
    retry = await http.post(f"{org}/entries", json=ENTRY, headers={**a, "Idempotency-Key": "k-1"})
    assert retry.status_code == 201 and "idempotent-replayed" not in retry.headers
    replay = await http.post(f"{org}/entries", json=ENTRY, headers={**a, "Idempotency-Key": "k-1"})
    assert replay.headers["idempotent-replayed"] == "true"
    assert count(server_app, Entry) == 1


async def test_try_again_answers_keep_what_their_request_counted(http, two_users):
    """401 is not kept as the key's answer, but the failed try it counted stays counted:
    the sixth wrong password under fresh keys is 429 even though each carried a key."""
    for i in range(5):
        resp = await http.post("/auth/login", json={"email": "ivan@example.ru",
                                                    "password": "не тот пароль 123"},
                               headers={"Idempotency-Key": f"wrong-{i}"})
        assert_problem(resp, 401, "auth.invalid_credentials")
    resp = await http.post("/auth/login", json={"email": "ivan@example.ru",
                                                "password": "не тот пароль 123"},
                           headers={"Idempotency-Key": "wrong-6"})
    assert_problem(resp, 429, "auth.rate_limited")
