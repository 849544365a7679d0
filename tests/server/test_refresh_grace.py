"""Refresh under a race: the reuse interval of a just-rotated refresh token.

Two processes of one device (the app and ``buhta export``) refreshing with the same token
at once both stay signed in; a spent token presented later, or from another address,
still revokes the device. On SQLite and PostgreSQL (``tests.both_databases``).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from server.db.models import Device
from server.db.types import utcnow
from server.services.context import Ctx
from server.services.errors import ServiceError
from tests.both_databases import database_url, settings  # noqa: F401 (fixtures)
from tests.conftest import bearer, login, register
from tests.helpers import rows

IP = "10.0.0.1"  # the address the test client (tests.helpers.client_for) comes from


def refresh(server_app, token: str, *, ip: str = IP, now=None):
    ctx = Ctx(ip=ip, now=now or utcnow())
    with server_app.state.sessionmaker() as db:
        return server_app.state.auth.refresh(db, ctx, token)


async def test_eight_parallel_refreshes_of_one_device_all_stay_signed_in(http, server_app):
    await register(http)
    pair = await login(http, remember=True)
    barrier = threading.Barrier(8)

    def one(_: int):
        barrier.wait(timeout=30)
        return refresh(server_app, pair["refresh_token"])

    with ThreadPoolExecutor(8) as pool:
        pairs = list(pool.map(one, range(8)))
    # One rotation; the seven that came second got the very pair the first was given.
    assert len({(p.access_token, p.refresh_token) for p in pairs}) == 1
    (device,) = rows(server_app, Device)
    assert device.revoked_at is None
    current = pairs[0]
    assert (await http.get("/me", headers=bearer({"access_token": current.access_token}))
            ).status_code == 200
    # ... and the winner's refresh token goes on working.
    assert refresh(server_app, current.refresh_token).device_id == pair["device_id"]


async def test_the_reuse_interval_has_a_fixed_end(http, server_app):
    """BUHTA_REFRESH_REUSE_INTERVAL_S is 30: the spent token comes back 30 s after its
    rotation and gets the current pair; at 31 s it revokes the device (theft)."""
    await register(http)
    pair = await login(http, remember=True)
    t = utcnow()
    rotated = refresh(server_app, pair["refresh_token"], now=t)
    again = refresh(server_app, pair["refresh_token"], now=t + timedelta(seconds=30))
    assert again == rotated
    with pytest.raises(ServiceError) as caught:
        refresh(server_app, pair["refresh_token"], now=t + timedelta(seconds=31))
    assert caught.value.code == "auth.session_revoked"
    (device,) = rows(server_app, Device)
    assert device.revoked_reason == "refresh_reuse"
    # The legitimate holder is cut off too, as before.
    with pytest.raises(ServiceError):
        refresh(server_app, rotated.refresh_token, now=t + timedelta(seconds=32))


async def test_a_spent_token_from_another_address_revokes_at_once(http, server_app):
    await register(http)
    pair = await login(http, remember=True)
    t = utcnow()
    refresh(server_app, pair["refresh_token"], now=t)
    with pytest.raises(ServiceError) as caught:
        refresh(server_app, pair["refresh_token"], ip="203.0.113.7",
                now=t + timedelta(seconds=1))
    assert caught.value.code == "auth.session_revoked"
    (device,) = rows(server_app, Device)
    assert device.revoked_reason == "refresh_reuse"


async def test_a_token_spent_twice_ago_gets_no_grace(http, server_app):
    """Only the latest rotation has a grace: the token before the previous one is just
    unknown (401), and the pair kept for it is not handed out."""
    await register(http)
    pair = await login(http, remember=True)
    t = utcnow()
    first = refresh(server_app, pair["refresh_token"], now=t)
    refresh(server_app, first.refresh_token, now=t + timedelta(seconds=1))
    with pytest.raises(ServiceError) as caught:
        refresh(server_app, pair["refresh_token"], now=t + timedelta(seconds=2))
    assert caught.value.code == "auth.unauthorized"
