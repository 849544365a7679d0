"""SessionStore: remembered credentials on disk, written atomically, private, forgiving."""

from __future__ import annotations

import json
import os
import stat

import httpx
import pytest

from client.api import ApiClient
from client.errors import SessionRevoked
from client.session import RememberedDevice, SessionStore

DEVICE = RememberedDevice("dev-1", "refresh-token-1234567890", "ivan@example.ru")


@pytest.fixture
def store(tmp_path) -> SessionStore:
    return SessionStore(tmp_path / "data" / "credentials" / "credentials.v1.json")


def test_round_trip_and_permissions(store):
    assert store.load("srv") is None
    store.save("srv", DEVICE)
    assert store.load("srv") == DEVICE
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["version"] == 1


def test_an_existing_loose_folder_is_tightened(store):
    store.path.parent.mkdir(parents=True, mode=0o755)
    os.chmod(store.path.parent, 0o755)
    store.save("srv", DEVICE)
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_servers_are_kept_apart(store):
    other = RememberedDevice("dev-2", "refresh-token-abcdefghij", "maria@example.ru")
    store.save("https://a.example", DEVICE)
    store.save("embedded:/x.sqlite3", other)
    assert store.load("https://a.example") == DEVICE
    assert store.load("embedded:/x.sqlite3") == other
    store.clear("https://a.example")
    assert store.load("https://a.example") is None
    assert store.load("embedded:/x.sqlite3") == other
    store.clear("embedded:/x.sqlite3")
    assert not store.path.exists()


def test_clear_removes_the_file_and_is_idempotent(store):
    store.save("srv", DEVICE)
    store.clear("srv")
    assert not store.path.exists()
    store.clear("srv")  # nothing to clear: no error
    store.clear("never-saved")


def test_write_is_atomic(store, monkeypatch):
    store.save("srv", DEVICE)
    original = store.path.read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save("srv", RememberedDevice("dev-1", "refresh-token-NEW-NEW-NEW", "i@e.ru"))
    monkeypatch.undo()
    # The old file is whole and no temporary file is left behind.
    assert store.path.read_bytes() == original
    assert sorted(p.name for p in store.path.parent.iterdir()) == [store.path.name]
    assert store.load("srv") == DEVICE


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"version": 99, "servers": {"srv": {"device_id": "d", "refresh_token": "r"}}}',
        b'{"version": 1, "servers": []}',
        b'{"version": 1, "servers": {"srv": "nonsense"}}',
        b'{"version": 1, "servers": {"srv": {"device_id": "d"}}}',
    ],
)
def test_corrupt_file_reads_as_nothing_remembered(store, content):
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    assert store.load("srv") is None
    # And a new login can still be remembered over it.
    store.save("srv", DEVICE)
    assert store.load("srv") == DEVICE


def test_unreadable_file_reads_as_nothing(store):
    store.path.mkdir(parents=True)  # a folder where the file should be: reading fails
    assert store.load("srv") is None


def test_disabled_store_neither_reads_nor_writes(store):
    store.save("srv", DEVICE)
    disabled = SessionStore(store.path, enabled=False)
    assert disabled.load("srv") is None
    disabled.save("other", DEVICE)
    assert SessionStore(store.path).load("other") is None


async def test_a_malformed_remembered_token_is_dropped_not_a_crash(store):
    """A hand-edited or truncated token must end as "signed out", not as an exception
    the screens do not know."""
    store.save("srv", RememberedDevice("dev-1", "short", "ivan@example.ru"))
    calls: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(401, json={"code": "auth.unauthorized", "detail": "нет"})

    api = ApiClient(base_url="http://buhta.test", server_key="srv", store=store,
                    transport=httpx.MockTransport(server), backoff_s=(0,))
    try:
        with pytest.raises(SessionRevoked):
            await api.auth.resume()
    finally:
        await api.aclose()
    assert store.load("srv") is None
    assert not api.signed_in
