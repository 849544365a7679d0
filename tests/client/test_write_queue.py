"""The write queue survives a kill -9 of the client and replays without doubles.

A real ``buhta-server`` process; a client process signs in through a TCP relay, the
relay is cut (the link drops), the client makes four entries — each answered «поставлено
в очередь» once it is on disk — and a refused kind of write (closing a month) that is not
queued; then it is killed with SIGKILL. A new client process, straight to the server,
resumes the remembered device and sends the queue: the three entries in April arrive in
the order they were made, the one in March (closed meanwhile) is kept as refused with
the server's reason in Russian. The queue file as it was before that replay, put back
(as if the replaying process died after the server applied the writes but before it
crossed them off), replays again: the server answers from its Idempotency-Key records,
and the books still hold each entry once. No test doubles: real processes, real TCP.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import httpx
import pytest

from client.write_queue import FILE_NAME, WriteQueue, kind_of
from tests.conftest import PASSWORD
from tests.e2e.test_crash_idempotency import ServerProcess, _books

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "ivan@example.ru"
SERVER_KEY = "queue-test-server"


class Relay:
    """A TCP relay on 127.0.0.1 to the server; ``cut()`` drops it like a lost link."""

    def __init__(self, port: int) -> None:
        self.upstream = ("127.0.0.1", port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.alive = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.alive:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.alive:
                client.close()
                return
            server = socket.create_connection(self.upstream)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.alive = False
        # shutdown() first: a bare close() leaves the thread blocked in accept() holding
        # the socket open in the kernel, and a new connection would still be taken in
        # (the backlog) and hang unanswered instead of being refused like a lost link.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


QUEUEING_CLIENT = textwrap.dedent("""
    import asyncio, sys
    from client.api import ApiClient
    from client.errors import NetworkError
    from client.paths import credentials_path
    from client.session import SessionStore
    from client.write_queue import WriteQueued
    from core import contract as m

    async def main():
        api = ApiClient(base_url=sys.argv[1], server_key=sys.argv[2], retries=1,
                        backoff_s=(0,), store=SessionStore(credentials_path()))
        await api.auth.login(sys.argv[3], sys.argv[4], remember=True)
        org = (await api.orgs.mine())[0]
        print("ready", flush=True)
        sys.stdin.readline()  # the link is cut now
        for n, day in enumerate(["2026-04-01", "2026-04-02", "2026-03-20", "2026-04-03"]):
            entry = m.EntryIn.model_validate({
                "date": day, "description": f"queued {n}",
                "postings": [{"debit": "51", "credit": "80", "amount": f"{n + 1}.00"}]})
            try:
                await api.ledger.post_entry(org.id, entry)
            except WriteQueued as exc:
                print("queued", exc.item_id, exc.waiting, exc.detail, flush=True)
        try:
            await api.ledger.close_period(org.id, "2026-04")
        except WriteQueued:
            print("close queued", flush=True)
        except NetworkError:
            print("close not queued", flush=True)
        print("sleeping", flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
""")

REPLAYING_CLIENT = textwrap.dedent("""
    import asyncio, json, sys
    from client.api import ApiClient
    from client.paths import credentials_path
    from client.session import SessionStore

    async def main():
        api = ApiClient(base_url=sys.argv[1], server_key=sys.argv[2], backoff_s=(0,),
                        store=SessionStore(credentials_path()))
        assert await api.auth.resume() is not None
        result = await api.offline.sync()
        failed = [(i.kind, i.last_status, i.last_error)
                  for i in api.offline.queue.items(api.server_key, api.user.id)]
        print(json.dumps({"sent": result.sent, "refused": result.refused,
                          "stopped": repr(result.stopped), "left": failed}), flush=True)
        await api.aclose()

    asyncio.run(main())
""")


@pytest.fixture
def server(tmp_path):
    proc = ServerProcess(f"sqlite:///{tmp_path / 'server.sqlite3'}", tmp_path / "server.log")
    proc.start()
    yield proc
    proc.stop()


def client_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUHTA_")}
    env.update({"BUHTA_DATA_DIR": str(tmp_path / "home"), "BUHTA_LANG": "ru",
                "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "LANG": "ru_RU.UTF-8"})
    return env


def books(base: str) -> tuple[httpx.Client, str]:
    """The user (the crash test's: ivan@example.ru) and an organisation, as the office has."""
    headers, org = asyncio.run(_books(base))
    return httpx.Client(base_url=base, headers=headers, timeout=30), org


def queued_entries(http: httpx.Client, org: str) -> list[str]:
    items = http.get(f"{org}/entries", params={"limit": 100}).json()["items"]
    return [e["description"] for e in items if e["description"].startswith("queued")]


class Lines:
    """A child's stdout read on a thread: ``next()`` waits at most ``timeout`` seconds, so
    a child that says nothing fails the test with its stderr instead of hanging it."""

    def __init__(self, proc: subprocess.Popen[str], log: Path) -> None:
        self.proc = proc
        self.log = log
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")  # EOF

    def next(self, timeout: float = 60) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.proc.kill()
            pytest.fail(f"the client said nothing for {timeout} s:\n" + self._stderr())
        if not line:
            pytest.fail("the client ended early:\n" + self._stderr())
        return line.strip()

    def _stderr(self) -> str:
        self.proc.kill()
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def replay(tmp_path, base: str) -> dict:
    out = subprocess.run([sys.executable, "-c", REPLAYING_CLIENT, base, SERVER_KEY],
                         cwd=ROOT, env=client_env(tmp_path), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_queued_writes_survive_kill_9_and_replay_once_in_order(tmp_path, server):
    http, org = books(server.base)
    relay = Relay(server.port)
    log = tmp_path / "client.log"
    with open(log, "w") as err:  # a file, not a pipe: a chatty child never blocks on it
        client = subprocess.Popen(
            [sys.executable, "-c", QUEUEING_CLIENT, f"http://127.0.0.1:{relay.port}",
             SERVER_KEY, EMAIL, PASSWORD], cwd=ROOT, env=client_env(tmp_path),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True)
    try:
        assert client.stdin is not None
        lines = Lines(client, log)
        line = lines.next(timeout=90)
        assert line == "ready", line
        relay.cut()
        client.stdin.write("go\n")
        client.stdin.flush()
        said = [lines.next() for _ in range(6)]
    finally:
        client.send_signal(signal.SIGKILL)
        client.wait(timeout=15)
    assert said[:4] == [f"queued {n + 1} {n + 1} " + _queued_text(n + 1) for n in range(4)], said
    assert said[4] == "close not queued"  # closing a month never waits for the link
    assert queued_entries(http, org) == []  # nothing reached the server

    http.post(f"{org}/periods/2026-03/close").raise_for_status()  # meanwhile, at the office
    queue_file = tmp_path / "home" / FILE_NAME
    before_replay = tmp_path / "queue-before-replay.sqlite3"
    _copy_sqlite(queue_file, before_replay)

    first = replay(tmp_path, server.base)
    assert (first["sent"], first["refused"], first["stopped"]) == (3, 1, "None")
    [(kind, status, reason)] = first["left"]
    assert (kind, status) == ("entry", 409)
    assert "закрыт" in reason and "03.2026" in reason  # the server's reason, in Russian
    # Newest first in the journal: made 0, 1, 3 in that order.
    assert queued_entries(http, org) == ["queued 3", "queued 1", "queued 0"]

    # The replaying process died after the server applied the writes, before it crossed
    # them off: the same rows, the same keys, sent again.
    _copy_sqlite(before_replay, queue_file)
    second = replay(tmp_path, server.base)
    assert (second["sent"], second["refused"]) == (3, 1)
    assert queued_entries(http, org) == ["queued 3", "queued 1", "queued 0"]  # no doubles


def _queued_text(n: int) -> str:
    from client.i18n import set_locale, t

    set_locale("ru")
    return t("offline.queued", n=n)


def _copy_sqlite(src: Path, dst: Path) -> None:
    """A consistent copy of a WAL database (the backup API, not a file copy)."""
    import sqlite3

    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)


def test_which_writes_may_queue():
    org = "/orgs/0b8e8c1e-5a3c-4e2b-9d3f-1a2b3c4d5e6f"
    some = "1f0e8c1e-5a3c-4e2b-9d3f-1a2b3c4d5e6f"
    assert kind_of("POST", f"{org}/entries") == "entry"
    assert kind_of("POST", f"{org}/documents") == "document"
    assert kind_of("PUT", f"{org}/documents/{some}") == "document"
    assert kind_of("PATCH", f"{org}/tasks/{some}") == "task"
    assert kind_of("POST", "/auth/login") is None
    assert kind_of("POST", f"{org}/payments/export") is None
    assert kind_of("POST", f"{org}/payroll/runs/{some}/approve") is None
    assert kind_of("POST", f"{org}/periods/2026-03/close") is None
    assert kind_of("DELETE", f"{org}/entries") is None


def test_a_refused_write_sent_again_or_changed_gets_a_new_key(tmp_path):
    queue = WriteQueue(tmp_path / "q.sqlite3")
    item = queue.add("s", "u", "POST", "/orgs/x/entries", None, b"{}", "application/json",
                     "key-1", "entry")
    from client.errors import Conflict

    queue.refused(item, Conflict(409, "ledger.period_closed", "Период закрыт"))
    assert queue.counts("s", "u") == (0, 1)
    queue.retry(item)
    again = queue.get(item)
    assert again is not None and again.status == "pending" and again.idempotency_key != "key-1"
    queue.edit(item, b'{"a": 1}')
    edited = queue.get(item)
    assert edited is not None and edited.body == b'{"a": 1}'
    assert edited.idempotency_key != again.idempotency_key
    queue.discard(item)
    assert queue.counts("s", "u") == (0, 0)
    queue.close()
