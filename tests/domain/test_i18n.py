"""client/i18n.py: one catalogue, Russian and English, and the language choice."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from client import i18n
from client.i18n import CATALOGUE, detect_locale, nt, t

ROOT = Path(__file__).resolve().parents[2]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_entry_has_russian_and_english_with_the_same_placeholders(key):
    entry = CATALOGUE[key]
    assert len(entry) == 2
    ru, en = entry
    assert isinstance(ru, str) and ru.strip(), f"{key}: empty Russian"
    assert isinstance(en, str) and en.strip(), f"{key}: empty English"
    assert fields(ru) == fields(en), key


def test_russian_entries_are_in_russian():
    # Entries that are the same in both languages are brand names or formats.
    same = {k for k, (ru, en) in CATALOGUE.items() if ru == en}
    assert same <= {"register.phone_placeholder", "channel.sms", "error.auth.password_policy",
                    "sig.sign.hash", "traffic.bytes",  # a hash and arrows: no words
                    "pforms.export_json", "notif.channel.telegram", "notif.ch.telegram"}


def server_error_codes() -> set[str]:
    """Every stable error code the server can answer with (scanned from its source)."""
    codes: set[str] = set()
    patterns = [
        re.compile(r"ServiceError\(\s*\d{3},\s*\"([a-z_.]+)\""),
        re.compile(r"problem\(\s*\d{3},\s*\"([a-z_.]+)\""),
        re.compile(r"code: str = \"([a-z_.]+)\""),
    ]
    for path in (ROOT / "server").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in patterns:
            codes.update(pattern.findall(source))
    return codes


def test_every_server_error_code_has_a_catalogue_text():
    codes = server_error_codes()
    assert {"auth.invalid_credentials", "auth.rate_limited", "server.internal",
            "idempotency.key_reused", "devices.not_found"} <= codes
    missing = sorted(c for c in codes if f"error.{c}" not in CATALOGUE)
    # http.error is the generic fallback for unusual statuses.
    assert missing in ([], ["http.error"]), missing


def test_client_error_codes_have_texts():
    for code in ("network.unavailable", "client.bad_response", "auth.unauthorized"):
        assert f"error.{code}" in CATALOGUE


def test_t_fills_parameters_and_picks_the_language():
    assert t("error.auth.rate_limited", lang="ru", retry_after=30) == \
        "Слишком много попыток. Повторите через 30 с."
    assert t("error.auth.rate_limited", lang="en", retry_after=30) == \
        "Too many attempts. Try again in 30 s."
    assert t("no.such.key") == "no.such.key"
    # A missing parameter leaves the template rather than crashing the screen.
    assert "{retry_after}" in t("error.auth.rate_limited", lang="en")


@pytest.mark.parametrize(
    ("key", "params", "ru", "en"),
    [
        ("export.written.n", {"org": "Ромашка", "path": "j.ledger"},
         ["Журнал «Ромашка» записан в j.ledger: {} запись",
          "Журнал «Ромашка» записан в j.ledger: {} записи",
          "Журнал «Ромашка» записан в j.ledger: {} записей"],
         ["The journal of «Ромашка» is written to j.ledger: {} entry",
          "The journal of «Ромашка» is written to j.ledger: {} entries"]),
        ("pay.exported_to.n", {"path": "out.txt"},
         ["Выгружено {} платёжное поручение: out.txt",
          "Выгружено {} платёжных поручения: out.txt",
          "Выгружено {} платёжных поручений: out.txt"],
         ["Exported {} payment order: out.txt", "Exported {} payment orders: out.txt"]),
        ("pscreen.paid.n", {},
         ["Выплата проведена, {} платёжное поручение",
          "Выплата проведена, {} платёжных поручения",
          "Выплата проведена, {} платёжных поручений"],
         ["Payment posted, {} payment order made", "Payment posted, {} payment orders made"]),
        ("pscreen.working_days.n", {},
         ["{} рабочий день", "{} рабочих дня", "{} рабочих дней"],
         ["{} working day", "{} working days"]),
    ],
)
def test_nt_words_a_count_in_each_language(key, params, ru, en):
    one, few, many = ru
    # Russian: 1, 21, 101 (not 11) → one; 2–4, 22–24 (not 12–14) → few; else many.
    for n, form in [(1, one), (21, one), (101, one), (2, few), (4, few), (22, few),
                    (5, many), (0, many), (11, many), (12, many), (14, many), (25, many),
                    (111, many)]:
        assert nt(key, n, lang="ru", **params) == form.format(n), (key, n)
    for n, form in [(1, en[0]), (0, en[1]), (2, en[1]), (21, en[1])]:
        assert nt(key, n, lang="en", **params) == form.format(n), (key, n)


def test_nt_keeps_the_singular_keys_and_the_t_rules():
    # The keys the plural entries stand beside still work through t() until their
    # call sites move to nt().
    assert t("pscreen.working_days", lang="ru", days=21) == "21 раб. дн."
    assert t("pay.exported_to", lang="en", count=3, path="p") == "Exported 3: p"
    assert nt("no.such.key", 3) == "no.such.key"
    # A missing parameter leaves the form unfilled instead of raising.
    assert "{path}" in nt("pay.exported_to.n", 2, lang="en")
    assert t("") == "" and nt("", 1) == ""


def test_set_locale_switches_the_default(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "ru")
    assert t("app.quit") == "Выход"
    i18n.set_locale("en_US")
    assert i18n.get_locale() == "en" and t("app.quit") == "Quit"
    i18n.set_locale("RU")
    assert i18n.get_locale() == "ru"
    i18n.set_locale("de")
    assert i18n.get_locale() == "ru"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "ru"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "de_DE.UTF-8"}, "ru"),
        ({"LANG": "C.UTF-8"}, "ru"),
        ({"LANG": "C"}, "ru"),
        ({"LANG": "POSIX", "LC_ALL": ""}, "ru"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LC_MESSAGES": "en_US", "LANG": "ru_RU"}, "en"),
        ({"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "en"),
        ({"BUHTA_LANG": "ru", "LC_ALL": "en_US.UTF-8"}, "ru"),
        ({"BUHTA_LANG": "en", "LANG": "ru_RU.UTF-8"}, "en"),
    ],
)
def test_detect_locale(env, expected):
    assert detect_locale(env) == expected
