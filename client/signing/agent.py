"""Provides the signing agent: ``buhta-sign-agent`` holds the key on the user's own machine
and signs for a Buhta app running elsewhere (over SSH), after the user confirms.

It listens on a Unix socket (0600, in a 0700 folder of the runtime dir); the user
forwards it to the remote host with ``ssh -R /remote/sock:/local/sock`` and starts the
app there with ``BUHTA_SIGN_AGENT=/remote/sock``. The protocol is one JSON object per
line each way:

    → {"op": "sign", "sha256": "<64 hex>", "summary": {document type, title, number,
       date, counterparty, amount, organisation}}
    ← {"ok": true, "signature_b64": "<detached CMS, DER>", "thumbprint": "…"}
    ← {"ok": false, "error": "signing.agent_declined", "message": "…"}
    → {"op": "info"}  ← {"ok": true, "owner": …, "thumbprint": …, "not_after": …}

The agent never signs a bare hash: a request without a complete summary is refused
before the user is asked. It shows the summary on its own terminal and signs only after
«да» (and the PKCS#12 password when the key needs one; the key is opened for that one
signature and dropped). The CMS is built around the hash (``cms.sign_digest``): the
signed attributes carry it as messageDigest, and the server verifies the result against
the document's bytes as for any signature. The key never crosses the socket.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from client.i18n import t
from client.signing.certinfo import CertInfo
from client.signing.cms import sign_digest
from client.signing.errors import SigningError
from client.signing.store import CertificateStore

ENV = "BUHTA_SIGN_AGENT"
MAX_LINE = 64 * 1024
SUMMARY_FIELDS = ("doc_type", "title", "number", "date", "amount", "organisation")

Confirm = Callable[[dict, CertInfo], tuple[bool, str | None]]
"""Show the summary; answer (confirmed, the password typed or None)."""


def default_socket() -> Path:
    from platformdirs import user_runtime_dir

    return Path(user_runtime_dir("buhta", appauthor=False, ensure_exists=False)) / "sign-agent.sock"


def summary_text(summary: dict, info: CertInfo) -> str:
    return t("agent.summary", title=summary.get("title", ""),
             counterparty=summary.get("counterparty") or "—", amount=summary.get("amount", ""),
             organisation=summary.get("organisation", ""), owner=info.owner,
             serial=info.serial)


def terminal_confirm(needs_password: Callable[[], bool]) -> Confirm:
    """Ask on the agent's own terminal (its tty, or stdin when it has none)."""

    def confirm(summary: dict, info: CertInfo) -> tuple[bool, str | None]:
        print("\n" + summary_text(summary, info), flush=True)
        print(t("agent.ask"), end=" ", flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in {"да", "д", "y", "yes"}:
            return False, None
        if not needs_password():
            return True, None
        prompt = t("agent.password") + " "
        if sys.stdin.isatty():
            return True, getpass.getpass(prompt)
        print(prompt, end="", flush=True)
        return True, sys.stdin.readline().rstrip("\n")

    return confirm


class SignAgent:
    def __init__(self, store: CertificateStore, thumbprint: str, confirm: Confirm) -> None:
        self.store = store
        self.stored = store.find(thumbprint)
        self.confirm = confirm
        self._one_at_a_time = asyncio.Lock()

    def needs_password(self) -> bool:
        try:
            self.store.load(self.stored.info.thumbprint, None)
        except SigningError:
            return True
        return False

    def _sign(self, request: dict) -> dict:
        sha = request.get("sha256")
        summary = request.get("summary")
        if not isinstance(summary, dict) or any(
                not str(summary.get(k) or "").strip() for k in SUMMARY_FIELDS):
            raise SigningError("signing.agent_no_summary")
        if not isinstance(sha, str) or len(sha) != 64:
            raise SigningError("signing.bad_hash")
        try:
            digest = bytes.fromhex(sha)
        except ValueError:
            raise SigningError("signing.bad_hash") from None
        info = self.stored.info
        if not info.may_sign:
            raise SigningError("signing.cannot_sign")
        if info.expired():
            raise SigningError("signing.expired", day=f"{info.not_after:%d.%m.%Y}")
        confirmed, password = self.confirm(summary, info)
        if not confirmed:
            raise SigningError("signing.agent_declined")
        loaded = self.store.load(info.thumbprint, password)
        signature = sign_digest(digest, loaded.key, loaded.cert, loaded.extra)
        return {"ok": True, "signature_b64": base64.b64encode(signature).decode(),
                "thumbprint": info.thumbprint}

    async def answer(self, request: dict) -> dict:
        op = request.get("op")
        if op == "info":
            i = self.stored.info
            return {"ok": True, "owner": i.owner, "issuer": i.issuer, "serial": i.serial,
                    "thumbprint": i.thumbprint, "not_after": i.not_after.isoformat()}
        if op != "sign":
            return {"ok": False, "error": "signing.agent_bad_request",
                    "message": t("signing.agent_bad_request")}
        async with self._one_at_a_time:  # one question on the terminal at a time
            try:
                return await asyncio.to_thread(self._sign, request)
            except SigningError as exc:
                return {"ok": False, "error": exc.key, "message": exc.text}

    async def _client(self, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readline():
                try:
                    request = json.loads(line)
                    if not isinstance(request, dict):
                        raise ValueError
                except ValueError:
                    reply = {"ok": False, "error": "signing.agent_bad_request",
                             "message": t("signing.agent_bad_request")}
                else:
                    reply = await self.answer(request)
                writer.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
                await writer.drain()
        except (ConnectionError, asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def serve(self, path: Path) -> asyncio.AbstractServer:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)
        path.unlink(missing_ok=True)
        old = os.umask(0o177)  # the socket is born 0600: no window for another user
        try:
            server = await asyncio.start_unix_server(self._client, path=str(path),
                                                     limit=MAX_LINE)
        finally:
            os.umask(old)
        os.chmod(path, 0o600)
        return server


class AgentClient:
    """What the app uses to reach the agent (``BUHTA_SIGN_AGENT``)."""

    def __init__(self, path: Path | str | None = None) -> None:
        found = path or os.environ.get(ENV)
        if not found:
            raise SigningError("signing.agent_absent")
        self.path = Path(found)

    async def request(self, body: dict, timeout_s: float = 600) -> dict:
        try:
            reader, writer = await asyncio.open_unix_connection(str(self.path), limit=MAX_LINE)
        except OSError:
            raise SigningError("signing.agent_unreachable", path=str(self.path)) from None
        try:
            writer.write(json.dumps(body, ensure_ascii=False).encode() + b"\n")
            await writer.drain()
            line = await asyncio.wait_for(reader.readline(), timeout_s)
        except (OSError, TimeoutError):
            raise SigningError("signing.agent_unreachable", path=str(self.path)) from None
        finally:
            writer.close()
        try:
            reply = json.loads(line)
        except ValueError:
            raise SigningError("signing.agent_bad_request") from None
        if not reply.get("ok"):
            raise SigningError(str(reply.get("error") or "signing.agent_bad_request"))
        return reply

    async def sign(self, sha256: str, summary: dict) -> bytes:
        reply = await self.request({"op": "sign", "sha256": sha256, "summary": summary})
        return base64.b64decode(reply["signature_b64"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="buhta-sign-agent", description=t("agent.description"))
    parser.add_argument("--socket", help=t("agent.flag.socket"))
    parser.add_argument("--cert", help=t("agent.flag.cert"))
    parser.add_argument("--data-dir", help=t("cli.flag.data_dir"))
    args = parser.parse_args(argv)
    store = CertificateStore(args.data_dir)
    stored = store.list()
    if not stored:
        print(t("agent.no_certificates"), file=sys.stderr)
        return 2
    thumb = args.cert or stored[0].info.thumbprint
    try:
        agent = SignAgent(store, thumb, lambda s, i: (False, None))
    except SigningError as exc:
        print(exc.text, file=sys.stderr)
        return 2
    agent.confirm = terminal_confirm(agent.needs_password)
    path = Path(args.socket) if args.socket else default_socket()

    async def run() -> None:
        server = await agent.serve(path)
        print(t("agent.listening", path=str(path), owner=agent.stored.info.owner), flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass
    finally:
        path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
