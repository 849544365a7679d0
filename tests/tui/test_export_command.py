"""``buhta export``: the journal of a remembered device's organisation, end to end against
the embedded server in a temporary data dir (BUHTA_DATA_DIR, set by tests/conftest.py)."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from client.api import ApiClient
from client.embedded import EMBEDDED_BASE_URL, EmbeddedServer, EmbeddedTransport
from client.paths import credentials_path, embedded_database_path
from client.session import SessionStore, server_key
from core import contract as m
from tests.conftest import FAST_HASH, PASSWORD
from tests.tui.conftest import MAIL_TOKEN, ORG, SMS_CODE, mail_code
from tui.__main__ import main, parse

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "ivan@example.ru"
PETROV = {
    "kind": "ip", "full_name": "Индивидуальный предприниматель Петров Пётр Петрович",
    "short_name": "ИП Петров", "inn": "500100732259", "ogrn": "304500116000157",
    "address": "Московская обл., г. Химки", "director": "Петров Пётр Петрович",
    "tax_regime": "usn_income", "vat_mode": "none", "bank_accounts": [],
}


async def _prepare(*, remember: bool, second_org: bool = False) -> None:
    """What a user does in the app: registers, creates «Ромашка», books two entries and
    signs in (remembered or not) — on the same embedded database the command opens."""
    db_path = embedded_database_path()
    server = EmbeddedServer(db_path, **FAST_HASH)
    server.start()
    api = ApiClient(base_url=EMBEDDED_BASE_URL, server_key=server_key(None, db_path),
                    transport=EmbeddedTransport(server), store=SessionStore(credentials_path()),
                    embedded=True, backoff_s=(0,), device_name="pilot-terminal")
    try:
        await api.auth.send_sms_code("+79123456789")
        code = await mail_code(api, SMS_CODE)
        await api.auth.register(EMAIL, "+79123456789", PASSWORD, code)
        await api.auth.confirm_email(await mail_code(api, MAIL_TOKEN))
        await api.auth.login(EMAIL, PASSWORD, remember=remember)
        org = await api.orgs.create(m.OrgIn.model_validate(ORG))
        # 12 000,00 ₽ from a customer, then 2 500,50 ₽ of it spent on rent.
        await api.ledger.post_entry(org.id, m.EntryIn.model_validate({
            "date": "2026-03-02", "description": "Оплата от «Василька»",
            "postings": [{"debit": "51", "credit": "62.01", "amount": "12000.00"}]}))
        await api.ledger.post_entry(org.id, m.EntryIn.model_validate({
            "date": "2026-03-05", "description": "Аренда за март",
            "postings": [{"debit": "26", "credit": "51", "amount": "2500.50"}]}))
        if second_org:
            await api.orgs.create(m.OrgIn.model_validate(PETROV))
    finally:
        await api.aclose()
        await server.aclose()


def run_export(*argv: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(["export", *argv])
    return exited.value.code


def test_the_flags_go_with_the_subcommand_and_the_app_keeps_its_own():
    assert parse([]).command is None
    args = parse(["--lang", "en", "export", "--format", "hledger", "--org", "7707083893",
                  "-o", "books.journal"])
    assert (args.command, args.format, args.org, args.output, args.lang) == (
        "export", "hledger", "7707083893", "books.journal", "en")
    after = parse(["export", "--data-dir", "/tmp/x"])
    assert (after.data_dir, after.format, after.server, after.no_remember) == (
        "/tmp/x", "ledger", None, False)


def test_nothing_remembered_says_how_to_sign_in(capsys):
    assert run_export() == 1
    err = capsys.readouterr().err
    assert "Войдите в приложении с отметкой «Запомнить меня», затем повторите" in err
    assert not embedded_database_path().exists()  # no database opened for nothing


def test_a_session_not_remembered_is_not_enough(capsys):
    asyncio.run(_prepare(remember=False))
    assert run_export() == 1
    assert "«Запомнить меня»" in capsys.readouterr().err


def test_the_only_organisation_is_written_to_a_file_twice(tmp_path, capsys):
    asyncio.run(_prepare(remember=True))
    out = tmp_path / "books.journal"
    assert run_export("--format", "ledger", "-o", str(out)) == 0
    err = capsys.readouterr().err
    assert f"Журнал «Ромашка» записан в {out}: записей 2" in err
    text = out.read_text(encoding="utf-8")
    assert "; Организация: Ромашка, ИНН 7707083893/773601001" in text
    assert "account 62:01  ; " in text
    assert re.search(r"^2026-03-02 \* \(1\) Оплата от «Василька»\n"
                     r"    51 +12000\.00 RUB\n    62:01 +-12000\.00 RUB$", text, re.M)
    assert re.search(r"^2026-03-05 \* \(2\) Аренда за март\n"
                     r"    26 +2500\.50 RUB\n    51 +-2500\.50 RUB$", text, re.M)
    # The refresh token was rotated and saved: the device is still remembered.
    assert run_export("-o", str(out)) == 0
    assert "записей 2" in capsys.readouterr().err


def test_several_organisations_need_org(tmp_path, capsys):
    asyncio.run(_prepare(remember=True, second_org=True))
    assert run_export() == 1
    err = capsys.readouterr().err
    assert "Организаций несколько" in err
    assert "Ромашка (7707083893)" in err and "ИП Петров (500100732259)" in err
    assert run_export("--org", "0000000000") == 1
    assert "Организация «0000000000» не найдена" in capsys.readouterr().err

    petrov = tmp_path / "petrov.journal"
    assert run_export("--org", "500100732259", "-o", str(petrov)) == 0
    assert "записей 0" in capsys.readouterr().err
    assert "ИНН 500100732259" in petrov.read_text(encoding="utf-8")
    romashka = tmp_path / "romashka.journal"
    assert run_export("--org", "ромаш", "--format", "hledger", "-o", str(romashka)) == 0
    text = romashka.read_text(encoding="utf-8")
    assert "decimal-mark ." in text and "(2) Аренда за март" in text


def test_the_installed_command_prints_to_stdout(tmp_path):
    """A real process, as a user runs it: UTF-8 on stdout whatever the locale."""
    asyncio.run(_prepare(remember=True))
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tui", "export", "--format", "hledger"],
                          capture_output=True, env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    text = done.stdout.decode("utf-8")
    assert text.startswith("; Бухта: журнал проводок для hledger\n")
    assert "(1) Оплата от «Василька»" in text
