"""``buhta web`` in a real browser (issue #18 pt 7): headless chromium signs in and opens
the journal.

A real ``buhta-server`` (dev outbox) and ``buhta web`` run on free ports of 127.0.0.1;
the user and «Ромашка» with two entries are made over the API first. Chromium is driven
through the Chrome DevTools Protocol over its websocket (aiohttp): real key events
(Input.dispatchKeyEvent, Input.insertText) into textual-serve's page, and the screen
read from xterm.js's own buffer (the page draws on a canvas, so there is no text in the
DOM): a script added before the page's own catches the Terminal object as textual-serve
stores it (``this.terminal = new Terminal(…)``) and the test reads its rows with
Runtime.evaluate. Every wait is bounded; without chromium the test is skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from client.api import ApiClient
from client.paths import credentials_path
from core import contract as m
from tests.conftest import PASSWORD
from tests.e2e.test_server_process import Mailbox
from tests.helpers import free_port
from tests.tui.conftest import ORG
from tui.__main__ import parse
from tui.web import WEB_ENV, child_command, is_loopback

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "olga@example.ru"
PHONE = "+79123450077"
CHROMIUM = os.environ.get("BUHTA_CHROMIUM") or next(
    (found for name in ("chromium", "chromium-browser", "google-chrome")
     if (found := shutil.which(name))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium not installed (apt-get install chromium): the browser test is skipped")

STEP_S = 20  # the longest any one step may take
HOOK = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal",
                          {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && !window.__buhtaTerminal) window.__buhtaTerminal = value;
  },
});
"""
SCREEN = """(() => {
  const term = window.__buhtaTerminal;
  if (!term) return "";
  const buffer = term.buffer.active, rows = [];
  for (let i = 0; i < term.rows; i++) {
    const line = buffer.getLine(buffer.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()"""
KEYS = {"Enter": ("Enter", 13, "\r"), "Tab": ("Tab", 9, "\t"), " ": ("Space", 32, " "),
        "2": ("Digit2", 50, "2")}


def quiet_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUHTA_")}
    env.update({"PYTHONUNBUFFERED": "1", **extra})
    return env


def wait_http(url: str, proc: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer {url} within 60 s:\n"
                        + log.read_text(errors="replace"))
        time.sleep(0.1)


@contextlib.contextmanager
def process(argv: list[str], log: Path, **kwargs: Any) -> Iterator[subprocess.Popen]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, **kwargs)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def stack(tmp_path) -> Iterator[tuple[str, str, Path]]:
    """A real ``buhta-server`` and ``buhta web`` against it, started side by side: the
    server's URL, the page's URL and the web mode's data dir (where nothing may be
    remembered)."""
    server_port, web_port = free_port(), free_port()
    server = f"http://127.0.0.1:{server_port}"
    env = quiet_env(BUHTA_DEV_OUTBOX="1", BUHTA_MAIL_BACKEND="local", BUHTA_SMS_BACKEND="local",
                    BUHTA_ARGON2_TIME_COST="1", BUHTA_ARGON2_MEMORY_KIB="1024",
                    BUHTA_ARGON2_PARALLELISM="1", BUHTA_OUTBOX_POLL_S="0.1")
    data_dir = tmp_path / "web-home"
    server_log, web_log = tmp_path / "server.log", tmp_path / "web.log"
    with process([sys.executable, "-m", "server.cli", "--host", "127.0.0.1",
                  "--port", str(server_port),
                  "--database-url", f"sqlite:///{tmp_path / 'server.sqlite3'}",
                  "--log-level", "warning"], server_log, cwd=ROOT, env=env) as server_proc, \
            process([sys.executable, "-m", "tui", "--server", server, "--data-dir", str(data_dir),
                     "web", "--port", str(web_port)], web_log, cwd=ROOT,
                    env=quiet_env(PYTHONPATH=str(ROOT))) as web_proc:
        url = f"http://127.0.0.1:{web_port}/"
        wait_http(f"{server}/api/v1/health", server_proc, server_log, "buhta-server")
        wait_http(url, web_proc, web_log, "buhta web")
        yield server, url, data_dir


async def prepare(server: str) -> None:
    """The user and «Ромашка» with two entries of this month, over the real API."""
    api = ApiClient(base_url=server, server_key=server, store=None, device_name="setup",
                    backoff_s=(0.1,), timeout_s=15)
    async with httpx.AsyncClient(base_url=server, timeout=10) as raw:
        mail = Mailbox(raw)
        try:
            await api.auth.send_sms_code(PHONE)
            await api.auth.register(EMAIL, PHONE, PASSWORD, await mail.sms_code(PHONE))
            await api.auth.confirm_email(await mail.mail_token(EMAIL))
            await api.auth.login(EMAIL, PASSWORD, remember=False)
            org = await api.orgs.create(m.OrgIn.model_validate(ORG))
            day = date.today().replace(day=1).isoformat()
            for text, debit, credit, amount in (("Оплата от «Василька»", "51", "62.01", "12000.00"),
                                                ("Аренда помещения", "26", "51", "2500.50")):
                await api.ledger.post_entry(org.id, m.EntryIn.model_validate({
                    "date": day, "description": text,
                    "postings": [{"debit": debit, "credit": credit, "amount": amount}]}))
        finally:
            await api.aclose()


class Browser:
    """One chromium page over the DevTools Protocol; every call bounded by STEP_S."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        await self.ws.send_json({"id": number, "method": method, "params": params})
        async with asyncio.timeout(STEP_S):
            while True:
                message = await self.ws.receive()
                if message.type != aiohttp.WSMsgType.TEXT:
                    raise AssertionError(f"the DevTools socket closed: {message!r}")
                answer = json.loads(message.data)
                if answer.get("id") == number:  # events (no id) are not asked for
                    if "error" in answer:
                        raise AssertionError(f"{method}: {answer['error']}")
                    return answer["result"]

    async def screen(self) -> str:
        found = await self.call("Runtime.evaluate", expression=SCREEN, returnByValue=True)
        return found["result"].get("value") or ""

    async def wait_for(self, text: str, timeout: float = STEP_S) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = await self.screen()
            if text in shown:
                return shown
            await asyncio.sleep(0.2)
        raise AssertionError(f"{text!r} not on the page within {timeout} s; it shows:\n{shown}")

    async def type(self, text: str) -> None:
        await self.call("Input.insertText", text=text)

    async def press(self, key: str) -> None:
        code, number, text = KEYS[key]
        common = {"key": key, "code": code, "windowsVirtualKeyCode": number,
                  "nativeVirtualKeyCode": number}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text=text, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)


@contextlib.asynccontextmanager
async def chromium(profile: Path) -> AsyncIterator[Browser]:
    """Headless chromium on a port of its choosing (read from DevToolsActivePort)."""
    profile.mkdir()
    proc = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1000,700",
         "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + STEP_S
        while not (port_file.exists() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not open its DevTools port (exit {proc.poll()})")
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        timeout = aiohttp.ClientTimeout(total=STEP_S)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            pages: list[dict[str, Any]] = []
            while not pages:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                        pages = [p for p in await resp.json() if p["type"] == "page"]
                if time.monotonic() > deadline:
                    pytest.fail("chromium listed no page")
                await asyncio.sleep(0.1)
            async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0,
                                       timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                yield Browser(ws)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_web_listens_on_loopback_and_its_processes_never_remember():
    args = parse(["--server", "http://127.0.0.1:9", "--lang", "en", "web"])
    assert (args.command, args.host, args.port, args.public_url) == ("web", "127.0.0.1", 8000,
                                                                     None)
    words = shlex.split(child_command(args))
    assert words[:4] == [sys.executable, "-m", "tui", "--no-remember"]
    assert words[4:] == ["--server", "http://127.0.0.1:9", "--lang", "en"]
    assert WEB_ENV["BUHTA_REMEMBER_ALLOWED"] == "false"
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("buhta.example.ru")


@needs_chromium
async def test_sign_in_and_open_the_journal_in_a_browser(stack, tmp_path):
    server, url, data_dir = stack
    async with asyncio.timeout(90), chromium(tmp_path / "chromium") as browser:
        async def open_page() -> None:
            await browser.call("Page.enable")
            await browser.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
            await browser.call("Page.navigate", url=url)
            await browser.wait_for("Вход в Бухту", timeout=40)  # a fresh `buhta` per tab

        await asyncio.gather(prepare(server), open_page())  # the user is made meanwhile
        await browser.call("Runtime.evaluate", expression="window.__buhtaTerminal.focus()")
        await browser.type(EMAIL)
        await browser.press("Enter")  # on to the password
        await browser.type(PASSWORD)
        await browser.press("Tab")  # «Запомнить меня», ticked: web mode must not remember
        await browser.press(" ")
        await browser.press("Enter")
        await browser.wait_for("Ромашка")
        await browser.press("2")  # the shell's «Учёт»: the journal
        shown = await browser.wait_for("Аренда помещения")
        assert "Оплата от «Василька»" in shown
    # Tokens in memory only: the served process wrote no credentials file.
    assert not credentials_path(data_dir).exists()
