"""The app through a slow link: the real TUI (headless) against ``buhta-server`` behind a
throttling TCP proxy on 127.0.0.1 — 150 ms each way, 64 kbit/s each direction.

It starts ``buhta-server`` on a temp SQLite database, signs up a user with an organisation
and a few hundred entries in this month and the last (directly, not through the proxy),
then drives the app as a person does, with a pause between steps longer than a default
keep-alive (``--pause``, 8 s):

    login → dashboard → journal → a month back → the trial balance → back to the journal
    → the same again (dashboard, the journal as left, a month forward, the trial balance,
      back to the journal)

The client is built as ``buhta --server URL`` builds it (``client.connect``), the login
typed after ``--typing`` seconds on the login screen. It prints per step the requests,
new TCP connections, bytes each way and the time, then ``login_to_dashboard_s=…``,
``repeat_visit_bytes=…`` (the largest step that revisits a screen, both ways),
``connections_per_step=…`` and ``journal_page_bytes=…`` (the journal's first page sent
again without If-None-Match, as it travels uncached).

Goals: login → dashboard ≤ 2 s; a repeat visit of any screen ≤ 1 KB and no new
connection within a minute of the last request; a journal page ≤ 3 KB on the wire.

    python bench/slow_link.py [--entries 300] [--pause 8] [--latency-ms 150] [--kbit 64]
                              [--typing 3] [--max-connections N]

Run from another checkout's root (``git archive <commit> | tar -x``) it measures that
commit: the server is ``python -m server.cli`` of the tree the bench file is in.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from client.api import ApiClient  # noqa: E402
from core import contract as m  # noqa: E402

EMAIL, PHONE, PASSWORD = "bench@example.ru", "+79123450000", "Белый кит плывёт на север 42"
FAST_HASH = {"BUHTA_ARGON2_TIME_COST": "1", "BUHTA_ARGON2_MEMORY_KIB": "1024",
             "BUHTA_ARGON2_PARALLELISM": "1"}
SIZE = (80, 24)


# --- the throttling proxy -------------------------------------------------------------


@dataclass
class Counters:
    connections: int = 0
    up: int = 0
    down: int = 0

    def snapshot(self) -> tuple[int, int, int]:
        return self.connections, self.up, self.down


class SlowLink:
    """A TCP proxy that delays each direction by ``latency_s`` and limits it to
    ``rate`` bytes a second (the bytes queue behind each other as on a modem)."""

    def __init__(self, upstream: tuple[str, int], latency_s: float, rate: float) -> None:
        self.upstream = upstream
        self.latency_s = latency_s
        self.rate = rate
        self.counters = Counters()
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]

    async def aclose(self) -> None:
        if self.server is not None:
            self.server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.counters.connections += 1
        # TCP's handshake crosses the link once each way before the client may send: the
        # local accept was instant, so nothing it sends is read before a round trip.
        await asyncio.sleep(2 * self.latency_s)
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer, "up"),
                             self._pipe(up_reader, writer, "down"),
                             return_exceptions=True)

    async def _pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter,
                    direction: str) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()

        async def read() -> None:
            try:
                while data := await src.read(65536):
                    setattr(self.counters, direction, getattr(self.counters, direction)
                            + len(data))
                    queue.put_nowait((loop.time(), data))
            except (ConnectionError, OSError):
                pass
            queue.put_nowait(None)

        async def write() -> None:
            free_at = 0.0
            while (item := await queue.get()) is not None:
                arrived, data = item
                start = max(arrived, free_at)
                free_at = start + len(data) / self.rate
                await asyncio.sleep(max(0.0, free_at + self.latency_s - loop.time()))
                try:
                    dst.write(data)
                    await dst.drain()
                except (ConnectionError, OSError):
                    return
            await asyncio.sleep(max(0.0, free_at + self.latency_s - loop.time()))
            dst.close()

        await asyncio.gather(read(), write())


# --- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def start_server(workdir: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, **FAST_HASH, "BUHTA_DEV_OUTBOX": "1", "BUHTA_MAIL_BACKEND": "local",
           "BUHTA_SMS_BACKEND": "local", "BUHTA_OUTBOX_POLL_S": "0.05"}
    # ``buhta-server`` of this tree (python -m server.cli from its root, so that the same
    # bench measures a checkout of an older commit too).
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning", "--database-url", f"sqlite:///{workdir / 'bench.sqlite3'}"],
        env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"http://127.0.0.1:{port}/api/v1/health")).status_code == 200:
                    return proc, port
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    proc.terminate()
    raise SystemExit("buhta-server did not start")


async def delivered(api: ApiClient, channel: str, pattern: str) -> str:
    """The code in the first message of ``channel`` the outbox worker has delivered."""
    for _ in range(200):
        for message in await api.auth.local_mailbox():
            found = re.search(pattern, message.body)
            if message.channel == channel and found:
                return found[1]
        await asyncio.sleep(0.1)
    raise SystemExit(f"no {channel} message delivered")


async def seed(port: int, entries: int) -> None:
    """A user, an organisation and ``entries`` entries over this month and the last."""
    api = ApiClient(base_url=f"http://127.0.0.1:{port}", server_key="bench-seed",
                    store=None, backoff_s=(0,), timeout_s=120, device_name="seed",
                    embedded=True)  # embedded: the dev mailbox is read
    try:
        await api.auth.send_sms_code(PHONE)
        sms = await delivered(api, "sms", r"\b(\d{6})\b")
        await api.auth.register(EMAIL, PHONE, PASSWORD, sms)
        await api.auth.confirm_email(
            await delivered(api, "email", r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b"))
        await api.auth.login(EMAIL, PASSWORD, remember=False)
        org = await api.orgs.create(m.OrgIn(
            kind="ooo", full_name="Общество с ограниченной ответственностью «Бухта»",
            short_name="ООО «Бухта»", inn="7707083893", kpp="773601001",
            ogrn="1027700132195", address="г. Москва, ул. Вавилова, д. 19",
            director="Иванов Иван Иванович", tax_regime="osno", vat_mode="general"))
        today = date.today()
        last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        kinds = [("51", "62.01", "Оплата от покупателя по счёту"),
                 ("60.01", "51", "Оплата поставщику за материалы"),
                 ("44", "60.01", "Аренда офиса за месяц"),
                 ("50", "51", "Получены наличные в кассу")]
        for i in range(entries):
            month = last_month if i % 2 else today.replace(day=1)
            last_day = today.day if month.month == today.month else 28
            day = month.replace(day=1 + i % last_day)
            debit, credit, text = kinds[i % len(kinds)]
            await api.ledger.post_entry(org.id, m.EntryIn(
                date=day, description=f"{text} №{i + 1}",
                postings=[m.PostingIn(debit=debit, credit=credit,
                                      amount=Decimal(1000 + 37 * i) / 100)]))
    finally:
        await api.aclose()


# --- the steps ------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    requests: int = 0
    connections: int = 0
    up: int = 0
    down: int = 0
    seconds: float = 0.0
    paths: list[str] = field(default_factory=list)


async def drive(proxy_port: int, link: SlowLink, args: argparse.Namespace,
                data_dir: Path) -> list[Step]:
    from client.connect import connect
    from client.settings import ClientSettings
    from screens.ledger.journal import LedgerScreen
    from screens.reports.trial_balance import TrialBalanceScreen
    from tests.tui.conftest import settle
    from tui.app import BuhtaApp

    pause_s = args.pause
    # As ``buhta --server URL`` builds it.
    connection = connect(ClientSettings(server=f"http://127.0.0.1:{proxy_port}",
                                        data_dir=data_dir, remember_allowed=False))
    api = connection.api
    if args.max_connections:
        api._http._transport._pool._max_connections = args.max_connections
    requests: list[str] = []
    journal_asks: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        requests.append(f"{request.method} {request.url.path.removeprefix('/api/v1')}")
        if request.method == "GET" and request.url.path.endswith("/entries"):
            journal_asks.append(request)

    api._http.event_hooks["request"].append(count)
    app = BuhtaApp(api=api)
    steps: list[Step] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await asyncio.sleep(args.typing)  # the e-mail and the password being typed

        async def step(name: str, action, until) -> None:  # type: ignore[no-untyped-def]
            before = link.counters.snapshot()
            seen = len(requests)
            started = time.perf_counter()
            await action()
            await settle(pilot, until=until, timeout_s=120)
            # A little longer: a late second load would count here too.
            await asyncio.sleep(0.5)
            await settle(pilot, until=until, timeout_s=120)
            after = link.counters.snapshot()
            steps.append(Step(name, len(requests) - seen, after[0] - before[0],
                              after[1] - before[1], after[2] - before[2],
                              time.perf_counter() - started - 0.5, requests[seen:]))
            await asyncio.sleep(pause_s)

        async def login() -> None:
            from textual.widgets import Input

            screen = app.screen
            screen.query_one("#email", Input).value = EMAIL
            screen.query_one("#password", Input).value = PASSWORD
            screen.submit()

        def on_dashboard() -> bool:
            return app.org is not None and app.current_mode == "dashboard"

        async def keys(*names: str) -> None:
            for key in names:
                await pilot.press(key)
                await settle(pilot)

        def journal() -> bool:
            return isinstance(app.screen, LedgerScreen) and bool(app.screen.entries)

        def trial() -> bool:
            return isinstance(app.screen, TrialBalanceScreen)

        await step("login → dashboard", login, on_dashboard)
        await step("journal", lambda: keys("2"), journal)
        await step("a month back", lambda: keys("left_square_bracket"), journal)
        await step("trial balance", lambda: keys("r", "1"), trial)
        await step("back to the journal", lambda: keys("escape", "escape"), journal)
        await step("dashboard again", lambda: keys("1"), on_dashboard)
        await step("journal again", lambda: keys("2"), journal)
        await step("a month forward again", lambda: keys("right_square_bracket"), journal)
        await step("trial balance again", lambda: keys("r", "1"), trial)
        await step("back to the journal again", lambda: keys("escape", "escape"), journal)
    # The journal's page as it travels when not cached: its first request sent again
    # without If-None-Match, through the same link.
    ask = journal_asks[0]
    headers = {k: v for k, v in ask.headers.items() if k.lower() != "if-none-match"}
    before = link.counters.snapshot()
    async with httpx.AsyncClient() as http:
        page = await http.get(ask.url, headers=headers)
    after = link.counters.snapshot()
    page_bytes = after[2] - before[2]
    print(f"journal page: {ask.url.query.decode()} → {page.status_code}, "
          f"{len(page.content)} B of JSON, {page_bytes} B on the wire")
    steps.append(Step("journal page (uncached)", 1, after[0] - before[0],
                      after[1] - before[1], page_bytes))
    await connection.aclose()
    return steps


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="buhta-slow-") as tmp:
        workdir = Path(tmp)
        proc, port = await start_server(workdir)
        try:
            await seed(port, args.entries)
            link = SlowLink(("127.0.0.1", port), args.latency_ms / 1000, args.kbit * 1000 / 8)
            proxy_port = await link.start()
            steps = await drive(proxy_port, link, args, workdir / "client")
            await link.aclose()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"{'step':<27}{'req':>4}{'conn':>5}{'up B':>7}{'down B':>8}{'time s':>7}")
    for s in steps:
        paths = ", ".join(re.sub(r"/orgs/[0-9a-f-]{36}", "/orgs/…", p) for p in s.paths)
        print(f"{s.name:<27}{s.requests:>4}{s.connections:>5}{s.up:>7}{s.down:>8}"
              f"{s.seconds:>7.2f}  {paths}")
    page = steps.pop()
    repeat = [s for s in steps if s.name.endswith("again") or s.name.startswith("back")]
    print(f"login_to_dashboard_s={steps[0].seconds:.2f} (goal ≤ 2)")
    print(f"repeat_visit_bytes={max(s.up + s.down for s in repeat)} (goal ≤ 1024 a screen)")
    print(f"connections_per_step={','.join(str(s.connections) for s in steps)} "
          f"(goal: 0 after the first within a minute)")
    print(f"journal_page_bytes={page.down} (goal ≤ 3072)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--pause", type=float, default=8.0,
                        help="seconds between steps (a person's pause)")
    parser.add_argument("--latency-ms", type=float, default=150)
    parser.add_argument("--kbit", type=float, default=64)
    parser.add_argument("--typing", type=float, default=3.0,
                        help="seconds spent typing the e-mail and password")
    parser.add_argument("--max-connections", type=int, default=0,
                        help="limit the client's pool (1: a screen's GETs queue on one)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
