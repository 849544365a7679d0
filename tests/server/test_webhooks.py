"""Webhooks end to end: a real HTTPS receiver on 127.0.0.1 (its own test CA) checks every
delivery's Standard Webhooks signature with the ``standardwebhooks`` package; retries keep
the event id; a redirect is not followed; a DNS answer that changes after saving cannot
move the request; the last deliveries carry their status."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from server.db.models.notifications import Job, WebhookEndpoint
from server.db.types import utcnow
from server.services.notifications import notify, ssrf
from tests.helpers import rows, running_app, set_columns, wait_for
from tests.org_helpers import create_org, ooo, sign_up


def make_cert(tmp_path, names: list[str]) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 and ``names``: (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "buhta test receiver")])
    now = dt.datetime.now(dt.UTC)
    san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))] + [x509.DNSName(n) for n in names]
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "receiver.pem", tmp_path / "receiver.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


class Receiver:
    """An HTTPS server answering each POST with the next status of ``answers``."""

    def __init__(self, cert: str, key: str) -> None:
        self.requests: list[tuple[dict[str, str], bytes, str]] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()},
                                          body, self.path))
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                if code in (301, 302, 307, 308):
                    self.send_header("Location", f"https://127.0.0.1:{receiver.port}/other")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(tmp_path):
    cert, key = make_cert(tmp_path, ["hooks.example.test"])
    r = Receiver(cert, key)
    r.cert = cert
    yield r
    r.close()


@pytest.fixture
async def hooked(tmp_path, receiver):
    async with running_app(tmp_path, webhook_allow_loopback=True,
                           webhook_ca_file=receiver.cert) as (app, http):
        owner = await sign_up(http, "owner@example.ru")
        org = await create_org(http, owner, ooo())
        yield app, http, owner, org["id"]


def verify(secret: str, headers: dict[str, str], body: bytes) -> dict:
    return Webhook(secret).verify(body, {k: headers[k] for k in (
        "webhook-id", "webhook-timestamp", "webhook-signature")})


async def add_hook(http, owner, org_id, url) -> dict:
    resp = await http.post(f"/orgs/{org_id}/webhooks", json={"url": url}, headers=owner.h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def test_a_test_send_arrives_signed(hooked, receiver):
    _app, http, owner, org_id = hooked
    hook = await add_hook(http, owner, org_id, f"https://127.0.0.1:{receiver.port}/in")
    assert hook["secret"].startswith("whsec_") and hook["status"] == "active"
    resp = await http.post(f"/orgs/{org_id}/webhooks/{hook['id']}/test", headers=owner.h)
    assert resp.status_code == 200, resp.text
    delivery = resp.json()
    assert (delivery["status"], delivery["attempts"], delivery["last_status_code"]) == \
        ("delivered", 1, 200)
    ((headers, body, path),) = receiver.requests
    payload = verify(hook["secret"], headers, body)
    assert payload["type"] == "buhta.test" and payload["id"] == headers["webhook-id"]
    assert delivery["event_id"] == headers["webhook-id"] and path == "/in"
    # A wrong secret does not verify: the signature is real.
    with pytest.raises(WebhookVerificationError):
        verify("whsec_" + "A" * 32, headers, body)
    listed = (await http.get(f"/orgs/{org_id}/webhooks/{hook['id']}", headers=owner.h)).json()
    assert [d["status"] for d in listed["last_deliveries"]] == ["delivered"]
    assert "secret" not in listed


async def test_an_event_is_retried_under_the_same_id_until_delivered(hooked, receiver):
    app, http, owner, org_id = hooked
    hook = await add_hook(http, owner, org_id, f"https://127.0.0.1:{receiver.port}/in")
    receiver.answers = [500]
    with app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [], "statement_imported", ("statement", "s-1"),
               {"file": "kl_to_1c.txt", "posted": 12})
    app.state.outbox.wake()
    await wait_for(lambda: len(receiver.requests) == 1)
    (job,) = await wait_for(lambda: rows(app, Job, Job.kind == "webhook", Job.attempts == 1))
    assert job.status == "pending" and job.last_status_code == 500
    assert timedelta(seconds=3) < job.run_at - utcnow() <= timedelta(seconds=5)
    deliveries = (await http.get(f"/orgs/{org_id}/webhooks/{hook['id']}/deliveries",
                                 headers=owner.h)).json()["items"]
    assert deliveries[0]["status"] == "retrying" and "500" in deliveries[0]["last_error"]
    set_columns(app, Job, Job.id == job.id, run_at=utcnow() - timedelta(seconds=1))
    app.state.outbox.wake()
    await wait_for(lambda: len(receiver.requests) == 2)
    await wait_for(lambda: rows(app, Job, Job.id == job.id, Job.status == "done"))
    (first, _, _), (second, body, _) = receiver.requests
    assert first["webhook-id"] == second["webhook-id"] == job.event_id  # de-duplicable
    payload = verify(hook["secret"], second, body)
    assert payload["type"] == "buhta.statement_imported"
    assert payload["data"]["object"] == {"kind": "statement", "id": "s-1"}
    assert payload["data"]["posted"] == 12


async def test_giving_up_marks_the_endpoint_failing(hooked, receiver):
    app, http, owner, org_id = hooked
    hook = await add_hook(http, owner, org_id, f"https://127.0.0.1:{receiver.port}/in")
    receiver.answers = [503] * 10
    with app.state.sessionmaker() as db, db.begin():
        notify(db, org_id, [], "payroll_approved", ("payroll_run", "r-1"), {"period": "март"})
    for attempt in range(1, 8):
        app.state.outbox.wake()
        await wait_for(lambda n=attempt: len(receiver.requests) == n)
        await wait_for(lambda n=attempt: rows(app, Job, Job.kind == "webhook",
                                              Job.attempts == n))
        set_columns(app, Job, Job.kind == "webhook", run_at=utcnow() - timedelta(seconds=1))
    await wait_for(lambda: rows(app, Job, Job.status == "failed"))
    await wait_for(lambda: rows(app, WebhookEndpoint, WebhookEndpoint.status == "failing"))
    got = (await http.get(f"/orgs/{org_id}/webhooks/{hook['id']}", headers=owner.h)).json()
    assert got["status"] == "failing" and got["failing_since"]
    assert got["last_deliveries"][0]["status"] == "failed"
    assert len(receiver.requests) == 7


async def test_a_redirect_is_not_followed(hooked, receiver):
    _app, http, owner, org_id = hooked
    hook = await add_hook(http, owner, org_id, f"https://127.0.0.1:{receiver.port}/in")
    receiver.answers = [302]
    resp = await http.post(f"/orgs/{org_id}/webhooks/{hook['id']}/test", headers=owner.h)
    delivery = resp.json()
    assert delivery["status"] == "failed" and delivery["last_status_code"] == 302
    assert "перенаправ" in delivery["last_error"]
    assert [p for _, _, p in receiver.requests] == ["/in"]  # /other never asked for


async def test_a_private_address_is_refused_when_saved(hooked):
    _app, http, owner, org_id = hooked
    for url in ("https://10.0.0.7/in", "https://169.254.169.254/latest/meta-data",
                "https://[::ffff:192.168.0.1]/in", "https://100.64.1.1/"):
        resp = await http.post(f"/orgs/{org_id}/webhooks", json={"url": url}, headers=owner.h)
        assert resp.status_code == 422, (url, resp.text)
        assert resp.json()["code"] == "webhooks.address_forbidden"
    resp = await http.post(f"/orgs/{org_id}/webhooks", json={"url": "http://example.ru/in"},
                           headers=owner.h)
    assert resp.status_code == 422


async def test_dns_that_changes_after_saving_cannot_reach_a_private_address(
        hooked, receiver, monkeypatch):
    _app, http, owner, org_id = hooked
    answers = {"hooks.example.test": ["93.184.216.34"]}
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: answers[host])
    hook = await add_hook(http, owner, org_id, f"https://hooks.example.test:{receiver.port}/in")
    answers["hooks.example.test"] = ["10.20.30.40"]  # rebinding after the check at saving
    delivery = (await http.post(f"/orgs/{org_id}/webhooks/{hook['id']}/test",
                                headers=owner.h)).json()
    assert delivery["status"] == "failed" and "10.20.30.40" in delivery["last_error"]
    assert receiver.requests == []


async def test_the_connection_goes_to_the_checked_address_under_the_name(
        hooked, receiver, monkeypatch):
    """The name resolves (when sending) to 127.0.0.1; the request reaches it with the
    name as Host and TLS name (the certificate is checked against the name)."""
    _app, http, owner, org_id = hooked
    monkeypatch.setattr(ssrf, "resolve", lambda host, port: ["127.0.0.1"])
    hook = await add_hook(http, owner, org_id, f"https://hooks.example.test:{receiver.port}/in")
    delivery = (await http.post(f"/orgs/{org_id}/webhooks/{hook['id']}/test",
                                headers=owner.h)).json()
    assert delivery["status"] == "delivered", delivery
    ((headers, body, _),) = receiver.requests
    assert headers["host"] == f"hooks.example.test:{receiver.port}"
    verify(hook["secret"], headers, body)


async def test_only_the_accountant_and_the_director_manage_webhooks(hooked, receiver):
    from tests.org_helpers import join

    _app, http, owner, org_id = hooked
    clerk = await join(http, owner, org_id, "clerk@example.ru", "primary")
    resp = await http.post(f"/orgs/{org_id}/webhooks",
                           json={"url": f"https://127.0.0.1:{receiver.port}/in"},
                           headers=clerk.h)
    assert resp.status_code == 403
    assert (await http.get(f"/orgs/{org_id}/webhooks", headers=clerk.h)).status_code == 403
    assert json.loads((await http.get(f"/orgs/{org_id}/webhooks",
                                      headers=owner.h)).text)["items"] == []
