"""Exactly once under crashes: a real ``buhta-server`` killed with SIGKILL while 8 clients
post entries, each with its own Idempotency-Key and retrying until acknowledged.

Afterwards every acknowledged entry is in the books exactly once, nothing is in them twice,
and the trial balance's debit and credit turnovers are equal and match what was posted.
Bounded: ``KILLS`` kills, ``CLIENTS`` clients, a deadline for the whole run.
Set ``BUHTA_CRASH_REPORT=1`` to print the figures (kills, clients, acknowledged, lost,
doubled).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from tests.conftest import bearer, login, register
from tests.e2e.test_server_process import PG_SKIP, reset_postgres
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("BUHTA_CRASH_KILLS", "20"))
CLIENTS = int(os.environ.get("BUHTA_CRASH_CLIENTS", "8"))
DEADLINE_S = float(os.environ.get("BUHTA_CRASH_DEADLINE_S", "60"))
"""How long the clients have, once the kills are over, to have their last entry acknowledged."""
OOO = {
    "kind": "ooo", "full_name": "ООО «Ромашка»", "short_name": "Ромашка",
    "inn": "7707083893", "kpp": "773601001", "ogrn": "1027700132195",
    "address": "г. Москва", "director": "Иванов И. И.", "tax_regime": "osno",
    "vat_mode": "general",
}


class ServerProcess:
    """``buhta-server`` on a fixed loopback port, started again after each kill."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("BUHTA_")}
        self.env.update({
            "BUHTA_DEV_OUTBOX": "1", "BUHTA_MAIL_BACKEND": "local", "BUHTA_SMS_BACKEND": "local",
            "BUHTA_ARGON2_TIME_COST": "1", "BUHTA_ARGON2_MEMORY_KIB": "1024",
            "BUHTA_ARGON2_PARALLELISM": "1", "BUHTA_OUTBOX_POLL_S": "0.2",
            "PYTHONUNBUFFERED": "1",
        })

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "--host", "127.0.0.1",
                 "--port", str(self.port), "--database-url", self.database_url,
                 "--log-level", "warning"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                pytest.fail("buhta-server exited:\n" + self.log_path.read_text(errors="replace"))
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("buhta-server did not start within 60 s")
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=15)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    url = os.environ.get("BUHTA_TEST_DATABASE_URL")
    if not url:
        pytest.skip(PG_SKIP)
    reset_postgres(url)
    return url


async def _books(base: str) -> tuple[dict[str, str], str]:
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", timeout=30) as http:
        await register(http)
        h = bearer(await login(http))
        org = (await http.post("/orgs", json=OOO, headers=h)).json()
        return h, f"/api/v1/orgs/{org['id']}"


def _poster(n: int, base: str, h: dict[str, str], org: str, stop: threading.Event,
            deadline: list[float], acked: list[tuple[str, int]], gave_up: list[str],
            seen: Counter[str]) -> None:
    """Post entries one after another; each is retried under its key until acknowledged.
    ``deadline[0]`` is moved closer once the kills are over; ``seen`` counts the answers."""
    with httpx.Client(base_url=base, timeout=10) as http:
        i = 0
        while not stop.is_set():
            i += 1
            text = f"crash c{n} n{i}"
            kopecks = 100 * n + i  # a different amount each, to check the balance
            body = {"date": "2026-03-05", "description": text,
                    "postings": [{"debit": "51", "credit": "80",
                                  "amount": f"{kopecks // 100}.{kopecks % 100:02d}"}]}
            headers = {**h, "Idempotency-Key": str(uuid.uuid4())}
            while True:
                if time.monotonic() > deadline[0]:
                    gave_up.append(text)
                    return
                try:
                    resp = http.post(f"{org}/entries", json=body, headers=headers)
                except httpx.TransportError as exc:
                    seen[type(exc).__name__] += 1
                    time.sleep(0.2)  # the server is starting again
                    continue
                seen[str(resp.status_code)] += 1
                if resp.status_code == 201:
                    acked.append((text, kopecks))
                    break
                # 5xx, 409 in progress: the same request again under the same key.
                assert resp.status_code >= 500 or resp.status_code == 409, resp.text
                time.sleep(0.05)


def _all_entries(base: str, h: dict[str, str], org: str) -> list[dict]:
    items: list[dict] = []
    cursor = None
    with httpx.Client(base_url=base, timeout=30) as http:
        while True:
            params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
            page = http.get(f"{org}/entries", params=params, headers=h).json()
            items += page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return items


async def test_no_entry_is_lost_or_doubled_under_kill_9(database_url, tmp_path):
    server = ServerProcess(database_url, tmp_path / "server.log")
    server.start()
    try:
        h, org = await _books(server.base)
        stop = threading.Event()
        deadline = [time.monotonic() + 10 * DEADLINE_S]  # a bound for the kill phase too
        acked: list[tuple[str, int]] = []
        gave_up: list[str] = []
        answers: Counter[str] = Counter()
        threads = [
            threading.Thread(target=_poster, daemon=True, args=(
                n, server.base, h, org, stop, deadline, acked, gave_up, answers))
            for n in range(1, CLIENTS + 1)
        ]
        for t in threads:
            t.start()
        rng = random.Random(19)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.3, 0.8))  # let some postings through, then kill
            server.kill()
            server.start()
        time.sleep(0.5)
        # Each client finishes (has acknowledged) the entry it is on, then stops.
        deadline[0] = time.monotonic() + DEADLINE_S
        stop.set()
        for t in threads:
            t.join(timeout=DEADLINE_S + 15)
        assert not any(t.is_alive() for t in threads)

        entries = _all_entries(server.base, h, org)
        seen = Counter(e["description"] for e in entries)
        lost = [text for text, _ in acked if seen[text] == 0]
        doubled = [text for text, n in seen.items() if n > 1]
        if os.environ.get("BUHTA_CRASH_REPORT"):
            print(f"\n[{database_url.split(':')[0]}] kills={KILLS} clients={CLIENTS} "
                  f"acknowledged={len(acked)} lost={len(lost)} doubled={len(doubled)} "
                  f"unfinished={len(gave_up)} in_books={len(entries)} answers={dict(answers)}")
        log_tail = server.log_path.read_text(errors="replace")[-3000:]
        assert not gave_up, (f"{len(gave_up)} postings never acknowledged before the deadline; "
                             f"answers {dict(answers)}; server log:\n{log_tail}")
        assert len(acked) >= KILLS  # the loop did post through the kills
        assert lost == []
        assert doubled == []

        # Debits equal credits, and both equal what was acknowledged: each client posts
        # 51/80 for 100 × n + i kopecks, e.g. client 3's 2nd entry is 3,02 ₽.
        with httpx.Client(base_url=server.base, timeout=30) as http:
            tb = http.get(f"{org}/reports/trial-balance", headers=h,
                          params={"date_from": "2026-03-01", "date_to": "2026-03-31"}).json()
        total = Decimal(sum(k for _, k in acked)) / 100
        in_books = sum(Decimal(e["total"]) for e in entries)
        assert Decimal(tb["totals"]["debit"]) == Decimal(tb["totals"]["credit"]) == in_books
        assert in_books == total
    finally:
        server.stop()


def test_a_cut_upload_does_not_claim_its_key(database_url, tmp_path):
    """A raw socket announces 40 bytes more than it sends, then closes: the server must not
    keep the truncated request's 422 under the key, so the full retry goes through."""
    server = ServerProcess(database_url, tmp_path / "server.log")
    server.start()
    try:
        body = json.dumps({"phone": "+79123456789"}).encode()
        head = (
            "POST /api/v1/auth/sms-codes HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            "Content-Type: application/json\r\n"
            "Idempotency-Key: cut-1\r\n"
            f"Content-Length: {len(body) + 40}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
            raw.sendall(head + body[: len(body) // 2])
            time.sleep(0.3)
        time.sleep(0.5)  # the server noticed the close
        full = httpx.post(f"{server.base}/api/v1/auth/sms-codes", content=body, timeout=10,
                          headers={"Content-Type": "application/json",
                                   "Idempotency-Key": "cut-1"})
        assert full.status_code == 202, full.text
        assert "idempotent-replayed" not in full.headers
    finally:
        server.stop()
