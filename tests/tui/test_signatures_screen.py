"""The signing screens at 80x24 against the real server app in-process: the certificates
on this device (import, a wrong password refused, the expiry warning, a file pointed at,
removal), signing a posted счёт in two capacities through the card's g, a draft акт
signed and then outdated by a change, the export zip, a received pair checked, and the
signing agent over a real Unix socket.

Keys are sent in bursts (all at once, as a terminal delivers a paste or tmux
``send-keys``): a dialog opened by one key gets the keys typed behind it.
The test CA (tests.signing_pki) is the operator's trust folder of the server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import tempfile
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from client.signing.agent import SignAgent
from client.signing.store import CertificateStore
from core import contract as m
from screens.documents.view import DocumentViewScreen
from screens.signatures.certificates import CertificatesScreen
from screens.signatures.dialogs import ImportDialog, InputDialog, VerifyDialog
from screens.signatures.sign import SignScreen
from tests.conftest import bearer, login, make_settings, register
from tests.signing_pki import Issued, _cert, pki
from tests.tui.conftest import ORG, screen_text, settle
from tests.tui.test_org_screens import sign_in

SIZE = (80, 24)
NAMED = {"enter", "escape", "tab", "f2", "f5", "delete", "question_mark"}
BUYER = {"kind": "org", "name": "ООО «Покупатель»", "inn": "7707083893", "kpp": "773601001"}
WRONG = "Неверный пароль к файлу сертификата (.p12/.pfx)"


@pytest.fixture
def settings(tmp_path):
    pki().trust_dir(tmp_path / "trust")
    return make_settings(tmp_path, signature_trust_dir=str(tmp_path / "trust"))


@pytest.fixture(autouse=True)
def _export_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BUHTA_EXPORT_DIR", str(tmp_path / "out"))
    monkeypatch.delenv("BUHTA_SIGN_AGENT", raising=False)


async def burst(pilot, *parts: str) -> None:
    """Send ``parts`` (key names from NAMED, or text typed key by key) in one go."""
    app = pilot.app
    for part in parts:
        keys = ([(part, None)] if part in NAMED else
                [(ch if ch.isalnum() else _character_to_key(ch), ch) for ch in part])
        for key, char in keys:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
    await settle(pilot)


def pfx(tmp_path: Path, issued: Issued, name: str, password: bytes = b"secret") -> Path:
    path = tmp_path / f"{name}.p12"
    path.write_bytes(issued.pfx(password))
    return path


def ending_soon() -> Issued:
    """A certificate of the test CA that ends 10 days from now (the real clock)."""
    return _cert("Скоро Истекает", ec.generate_private_key(ec.SECP256R1()), pki().intermediate,
                 ca=False, start=datetime(2025, 1, 1, tzinfo=UTC),
                 end=datetime.now(UTC) + timedelta(days=10, hours=12))


async def books(http) -> tuple[dict, str, str]:
    """A user, an ООО and a buyer: (headers, org path, buyer id)."""
    await register(http)
    h = bearer(await login(http))
    org = (await http.post("/orgs", json=ORG, headers=h)).json()
    path = f"/orgs/{org['id']}"
    resp = await http.post(f"{path}/counterparties", json=BUYER, headers=h)
    assert resp.status_code == 201, resp.text
    return h, path, resp.json()["id"]


def doc_body(doc_type: str, buyer: str, *, post: bool, quantity: str = "3") -> dict:
    return {"type": doc_type, "date": "2026-03-05", "counterparty_id": buyer, "post": post,
            "lines": [{"name": "Консультация", "quantity": quantity, "unit": "час",
                       "price": "1234.50", "vat_rate": "none"}]}


async def new_doc(http, h, path, buyer, doc_type, *, post: bool) -> dict:
    resp = await http.post(f"{path}/documents", json=doc_body(doc_type, buyer, post=post),
                           headers=h)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def signed_in(pilot) -> None:
    await settle(pilot)
    await sign_in(pilot)
    await settle(pilot, until=lambda: pilot.app.org is not None)


async def sign_screen(pilot, doc_id: str) -> SignScreen:
    await pilot.app.run_action(f"sign_document({doc_id!r})")
    return await loaded(pilot)


async def loaded(pilot) -> SignScreen:
    await settle(pilot, until=lambda: getattr(pilot.app.screen, "state", None) is not None)
    screen = pilot.app.screen
    assert isinstance(screen, SignScreen) and screen.state is not None
    return screen


# --- the certificates on this device ----------------------------------------------------


async def test_certificates_import_wrong_password_warning_and_removal(app, http, tmp_path):
    await books(http)
    good = pfx(tmp_path, pki().good, "ivanov")
    soon = pfx(tmp_path, ending_soon(), "soon")
    expired = pfx(tmp_path, pki().expired, "old", b"")
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot)
        await burst(pilot, "z")  # from the shell
        screen = app.screen
        assert isinstance(screen, CertificatesScreen)
        text = screen_text(app)
        assert "На устройстве нет сертификатов" in text
        assert "усиленную неквалифицированную" in text and "КриптоПро" in text

        # i, the path, Enter, a wrong password, Enter: refused in plain words, the password
        # field emptied with the cursor in it, the path kept.
        await burst(pilot, "i", str(good), "enter", "wrong", "enter")
        dialog = app.screen
        assert isinstance(dialog, ImportDialog)
        assert WRONG in screen_text(app)
        assert dialog.query_one("#path", Input).value == str(good)
        assert dialog.query_one("#password", Input).value == ""
        assert app.focused is dialog.query_one("#password", Input)
        await burst(pilot, "secret", "enter")
        assert app.screen is screen
        assert "Сертификат импортирован: Иванов Иван Иванович" in screen_text(app)
        store = CertificateStore()
        [stored] = store.list()
        assert stored.copied and stored.source.parent == store.dir
        assert all(b"secret" not in f.read_bytes() for f in store.dir.iterdir())
        text = screen_text(app)
        assert "Иванов Иван Иванович" in text and "31.12.2027" in text
        assert f"Серийный номер: {pki().good.cert.serial_number:X}" in text
        assert "Назначение ключа: цифровая подпись, неотрекаемость" in text

        # Pointed at, not copied: ends in 10 days, warned in the list and the detail line.
        await burst(pilot, "f", str(soon), "enter", "secret", "enter")
        assert app.screen is screen
        assert len(screen.certs) == 2
        highlighted = screen.current()
        assert highlighted is not None and highlighted.info.owner == "Скоро Истекает"
        assert not highlighted.copied and highlighted.source == soon.resolve()
        assert not (store.dir / f"{highlighted.info.thumbprint}.p12").exists()
        text = screen_text(app)
        assert "Сертификат истекает" in text and "осталось дней — 10" in text
        assert "⚠ 10 дн." in text
        # A file without a password: Enter on an empty password.
        await burst(pilot, "i", str(expired), "enter", "enter")
        assert app.screen is screen and len(screen.certs) == 3
        assert "Срок действия сертификата истёк 01.01.2021" in screen_text(app)

        # Remove the pointed-at one: asked first, the user's own file stays.
        screen.show_certs(screen.certs, select=highlighted.info.thumbprint)
        await burst(pilot, "delete")
        assert "останется на месте" in screen_text(app)
        await burst(pilot, "y")
        assert [s.info.owner for s in screen.certs] == ["Иванов Иван Иванович", "Просроченный"]
        assert soon.exists()
        assert "Сертификат удалён с устройства: Скоро Истекает" in screen_text(app)


async def test_a_file_that_is_not_pkcs12_names_the_problem(app, http, tmp_path):
    await books(http)
    junk = tmp_path / "notes.p12"
    junk.write_text("not a certificate")
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot)
        await app.run_action("certificates")
        await settle(pilot)
        await burst(pilot, "i", str(tmp_path / "missing.p12"), "enter", "x", "enter")
        assert "Файл не читается" in screen_text(app)
        assert app.focused is app.screen.query_one("#path", Input)
        app.screen.query_one("#path", Input).value = str(junk)
        await burst(pilot, "tab", "x", "enter")
        assert "Это не файл PKCS#12" in screen_text(app)
        assert CertificateStore().list() == []


# --- signing a document -----------------------------------------------------------------


async def test_a_posted_invoice_needs_the_director_and_the_chief_accountant(app, http,
                                                                          tmp_path):
    h, path, buyer = await books(http)
    doc = await new_doc(http, h, path, buyer, "invoice", post=True)
    CertificateStore().import_file(pfx(tmp_path, pki().good, "ivanov"), "secret")
    canonical = (await http.get(f"{path}/documents/{doc['id']}/canonical", headers=h)).json()
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot)
        await app.push_screen(DocumentViewScreen(m.DocumentOut.model_validate(doc)))
        await settle(pilot)
        await burst(pilot, "question_mark")  # the key overlay lists it, in Russian
        overlay = screen_text(app)
        assert "g  Подписи" in overlay or "g Подписи" in overlay
        await burst(pilot, "escape")
        assert isinstance(app.screen, DocumentViewScreen)
        await burst(pilot, "g")  # the card's key
        screen = await loaded(pilot)
        text = screen_text(app)
        assert "Подписание документа — Ромашка" in text
        assert "Счёт на оплату № 1 от 05.03.2026" in text
        assert "ООО «Покупатель»" in text and "3 703,50 ₽" in text  # 3 × 1 234,50
        assert canonical["sha256"] in text
        assert "Не подписан — нужна подпись: руководитель, главный бухгалтер" in text
        assert "В качестве: руководитель" in text
        assert "Чем: Иванов Иван Иванович, действует до 31.12.2027" in text
        assert "усиленная неквалифицированная" in text

        # s opens the password question; a wrong one is refused with the text, nothing sent.
        await burst(pilot, "s", "oops", "enter")
        assert app.screen is screen
        assert WRONG in screen_text(app)
        assert screen.state.status.signatures == []

        await burst(pilot, "s", "secret", "enter")
        screen = await loaded(pilot)
        await settle(pilot, until=lambda: len(screen.state.status.signatures) == 1)
        text = screen_text(app)
        assert "Подписано: руководитель, Иванов Иван Иванович" in text
        assert "Не подписан — нужна подпись: главный бухгалтер" in text
        assert "В качестве: главный бухгалтер" in text  # what is still needed comes first
        assert "действительна" in text

        await burst(pilot, "s", "secret", "enter")
        await settle(pilot, until=lambda: screen.state.status.signed)
        text = screen_text(app)
        assert "Документ подписан" in text
        assert [(s.capacity, s.state) for s in screen.state.status.signatures] == [
            ("director", "valid"), ("chief_accountant", "valid")]

        # e, Enter on the suggested path: the zip is written and its path shown.
        await burst(pilot, "e")
        assert isinstance(app.screen, InputDialog)
        await burst(pilot, "enter")
        saved = tmp_path / "out" / "invoice-1-2026-03-05-signed.zip"
        assert saved.is_file()
        assert "Документ с подписями сохранён" in screen_text(app)
        assert screen.query_one("InfoLine").render().plain.endswith(saved.name)
        with zipfile.ZipFile(saved) as z:
            manifest = json.loads(z.read("manifest.json"))
            assert manifest["signed"] is True
            assert [s["capacity"] for s in manifest["signatures"]] == [
                "director", "chief_accountant"]
            content = z.read("document.json")
            assert hashlib.sha256(content).hexdigest() == canonical["sha256"]
            sig = z.read("signatures/1-director.sig")
        assert sig[:1] == b"\x30"  # DER

        # The pair from the zip, checked as a received one; then with a changed byte.
        (tmp_path / "got.json").write_bytes(content)
        (tmp_path / "got.json.sig").write_bytes(sig)
        await burst(pilot, "v", str(tmp_path / "got.json"), "enter", "enter")
        assert isinstance(app.screen, VerifyDialog)
        assert "Подпись верна: Иванов Иван Иванович" in screen_text(app)
        (tmp_path / "bad.json").write_bytes(content.replace(b"3703.50", b"3703.51"))
        dialog = app.screen
        dialog.query_one("#document", Input).value = str(tmp_path / "bad.json")
        dialog.query_one("#document", Input).focus()
        await burst(pilot, "enter", "enter")
        assert dialog.answer is not None and not dialog.answer.valid
        assert "Подпись не верна" in screen_text(app)
        await burst(pilot, "escape")
        assert app.screen is screen


async def test_a_draft_signed_then_changed_is_outdated(app, http, tmp_path):
    h, path, buyer = await books(http)
    doc = await new_doc(http, h, path, buyer, "act", post=False)
    CertificateStore().import_file(pfx(tmp_path, pki().rsa, "petrova"), "secret")
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot)
        screen = await sign_screen(pilot, doc["id"])
        text = screen_text(app)
        assert "Акт № 1 от 05.03.2026" in text
        assert "Не подписан — нужна подпись: подписант" in text  # an акт needs one, any
        await burst(pilot, "s", "secret", "enter")
        await settle(pilot, until=lambda: screen.state.status.signed)
        assert "Документ подписан" in screen_text(app)

        # The draft changes (4 hours, not 3): the signature stays, outdated.
        resp = await http.put(f"{path}/documents/{doc['id']}",
                              json=doc_body("act", buyer, post=False, quantity="4"), headers=h)
        assert resp.status_code == 200, resp.text
        await burst(pilot, "f5")
        await settle(pilot, until=lambda: not screen.state.status.signed)
        text = screen_text(app)
        assert "устарела" in text and "до изменения документа и не считается" in text
        assert "Не подписан — нужна подпись: подписант" in text
        assert "4 938,00 ₽" in text  # 4 × 1 234,50

        # The capacity cycles with c; a second signature over the new version counts.
        await burst(pilot, "c")
        assert "В качестве: руководитель" in screen_text(app)
        await burst(pilot, "s", "secret", "enter")
        await settle(pilot, until=lambda: screen.state.status.signed)
        assert [(s.capacity, s.state) for s in screen.state.status.signatures] == [
            ("signer", "outdated"), ("director", "valid")]


async def test_the_signing_agent_signs_after_its_own_confirmation(app, http, tmp_path,
                                                                  monkeypatch):
    h, path, buyer = await books(http)
    doc = await new_doc(http, h, path, buyer, "act", post=True)
    # The agent's machine has its own store; this device has none.
    agent_store = CertificateStore(tmp_path / "laptop")
    stored = agent_store.import_file(pfx(tmp_path, pki().good, "ivanov"), "secret")
    shown: list[dict] = []

    def confirm(summary, info):
        shown.append(summary)
        return True, "secret"

    agent = SignAgent(agent_store, stored.info.thumbprint, confirm)
    sock = Path(tempfile.mkdtemp(prefix="sg-", dir="/tmp")) / "agent.sock"
    server = await agent.serve(sock)
    monkeypatch.setenv("BUHTA_SIGN_AGENT", str(sock))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await signed_in(pilot)
            screen = await sign_screen(pilot, doc["id"])
            assert "агент подписи на вашем компьютере" in screen_text(app)
            assert CertificateStore().list() == []
            await burst(pilot, "s")  # no password asked here: the agent asks on its side
            await settle(pilot, until=lambda: screen.state.status.signed)
            assert "Документ подписан" in screen_text(app)
            [summary] = shown
            assert summary["title"] == "Акт № 1 от 05.03.2026"
            assert summary["counterparty"] == "ООО «Покупатель»"
            assert summary["amount"] == "3703.50"
    finally:
        server.close()
        await server.wait_closed()
        sock.unlink(missing_ok=True)
        sock.parent.rmdir()


async def test_the_signature_is_made_over_the_servers_bytes(app, http, tmp_path):
    """What the screen uploads verifies against the canonical bytes it was shown."""
    h, path, buyer = await books(http)
    doc = await new_doc(http, h, path, buyer, "act", post=True)
    CertificateStore().import_file(pfx(tmp_path, pki().good, "ivanov"), "secret")
    async with app.run_test(size=SIZE) as pilot:
        await signed_in(pilot)
        screen = await sign_screen(pilot, doc["id"])
        await burst(pilot, "s", "secret", "enter")
        await settle(pilot, until=lambda: screen.state.status.signed)
    c = (await http.get(f"{path}/documents/{doc['id']}/canonical", headers=h)).json()
    resp = await http.get(f"{path}/documents/{doc['id']}/signed.zip", headers=h)
    with zipfile.ZipFile(__import__("io").BytesIO(resp.content)) as z:
        sig = z.read("signatures/1-signer.sig")
    resp = await http.post(f"{path}/signatures/verify", headers=h, json={
        "content_b64": c["content_b64"], "signature_b64": base64.b64encode(sig).decode()})
    assert resp.json()["valid"] is True
