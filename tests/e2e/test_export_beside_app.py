"""``buhta export`` beside the open app, on one data dir (issue #12 pt 3).

The app runs as a user starts it: embedded mode, its API in-process over the SQLite file
in the data dir, signed in from the remembered device. ``buhta export`` runs as a second,
real process on the same data dir while the app is open and busy. Afterwards the app
keeps working: its next API call succeeds, the credentials file still holds the device,
and the device list has no extra device.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from client.paths import credentials_path, embedded_database_path
from client.session import SessionStore, server_key
from screens.identity.login import LoginScreen
from tests.tui.conftest import settle
from tests.tui.test_export_command import _prepare
from tui.app import BuhtaApp
from tui.shell import ShellScreen

ROOT = Path(__file__).resolve().parents[2]
SIZE = (80, 24)


async def run_export(data_dir: Path, out: Path) -> tuple[int, str]:
    """``buhta export`` as a second process; the app's event loop keeps running meanwhile."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUHTA_DATA_DIR": str(data_dir)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tui", "export", "--format", "ledger", "-o", str(out),
        env=env, cwd=str(data_dir), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return proc.returncode or 0, err.decode()


async def keep_calling(api, done: asyncio.Event) -> int:
    calls = 0
    while not done.is_set():
        await api.orgs.mine()
        calls += 1
        await asyncio.sleep(0.05)
    return calls


def stored(data_dir: Path):
    return SessionStore(credentials_path(data_dir)).load(
        server_key(None, embedded_database_path(data_dir)))


async def test_export_runs_beside_the_open_app(tmp_path):
    data_dir = Path(os.environ["BUHTA_DATA_DIR"])  # tests/conftest.py: tmp_path / "home"
    await _prepare(remember=True)  # registered, «Ромашка» with two entries, remembered
    before = stored(data_dir)
    assert before is not None
    app = BuhtaApp()  # embedded, from the data dir, as `buhta` starts
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, until=lambda: isinstance(app.screen, ShellScreen), timeout_s=60)
        assert isinstance(app.screen, ShellScreen), type(app.screen)
        api = await app.api()
        devices = await api.auth.devices()
        assert len(devices) == 1

        for attempt in range(3):  # it failed 3 times of 3
            # The app keeps calling while the export renews the device's session.
            done = asyncio.Event()
            caller = asyncio.create_task(keep_calling(api, done))
            out = tmp_path / f"books-{attempt}.journal"
            code, err = await run_export(data_dir, out)
            done.set()
            assert await caller > 0  # the app's calls went on, and none was refused
            assert code == 0, err
            assert "Аренда за март" in out.read_text(encoding="utf-8")

            # The app's next call succeeds, on the same remembered device.
            assert (await api.auth.me()).email == "ivan@example.ru"
            after = stored(data_dir)
            assert after is not None, "the remembered credentials were deleted"
            assert after.device_id == before.device_id
            assert len(await api.auth.devices()) == 1  # no orphan device
            await settle(pilot)
            assert not isinstance(app.screen, LoginScreen)
            assert "Сеанс на этом устройстве завершён" not in str(app._notifications)
