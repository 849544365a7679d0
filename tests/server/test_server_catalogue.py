"""The server's own catalogue: both languages hold the same keys and placeholders, the
compiled ``.mo`` files are current, every problem code the server raises has a text, and
the language is the caller's (per request), never the process's."""

from __future__ import annotations

import ast
import importlib.util
import string
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from server.i18n import CATALOGUE, pick_language, text
from tests.org_helpers import create_org, ooo, sign_up

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "server" / "locale"
SERVER = ROOT / "server"
LANGS = ("ru", "en")


def po(lang: str) -> dict[str, str]:
    with (LOCALE / lang / "LC_MESSAGES" / "buhta-server.po").open("rb") as f:
        catalog = read_po(f)
    out = {}
    for msg in catalog:
        if not msg.id:
            continue
        if msg.pluralizable:  # (singular, plural) ids, one string per plural form
            out[str(msg.id[0])] = " | ".join(str(form) for form in msg.string)
        else:
            out[str(msg.id)] = str(msg.string)
    return out


def placeholders(value: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(value) if name}


def test_both_languages_hold_the_same_keys_and_placeholders():
    ru, en = po("ru"), po("en")
    assert ru.keys() == en.keys()
    assert len(ru) > 200
    for key in ru:
        assert ru[key] and en[key], key
        assert placeholders(ru[key]) == placeholders(en[key]), key


def test_plural_forms_are_declared():
    for lang, n in (("ru", 3), ("en", 2)):
        with (LOCALE / lang / "LC_MESSAGES" / "buhta-server.po").open("rb") as f:
            assert read_po(f).num_plurals == n


def test_compiled_catalogues_are_up_to_date():
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "tools" / "catalogues.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    sources = [p for p in tool.po_files() if p.is_relative_to(LOCALE)]
    assert {p.parent.parent.name for p in sources} == set(LANGS)
    for source in sources:
        assert tool.up_to_date(source), source.with_suffix(".mo")


def test_the_loaded_catalogue_matches_the_sources():
    for lang in LANGS:
        assert CATALOGUE.keys(lang) == set(po(lang))


# --- every code the server raises has a text ---------------------------------------------


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _const(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _arg(call: ast.Call, index: int, keyword: str) -> str | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return _const(kw.value)
    return _const(call.args[index]) if len(call.args) > index else None


def raised_keys() -> set[str]:
    """Catalogue keys of every refusal written in server/ (migrations aside)."""
    keys: set[str] = set()
    for path in SERVER.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                code = None
                if name in ("ServiceError", "problem"):
                    code = _arg(node, 1, "code")
                elif name == "RateLimited":
                    code = _arg(node, 1, "code")
                elif name == "check" and _name(getattr(node.func, "value", node.func)) == (
                        "ratelimit"):
                    code = _arg(node, 5, "code")
                elif name == "ExchangeError":
                    reason = _arg(node, 1, "reason")
                    if reason:
                        keys.add(f"error.bank_file.{reason}")
                elif name in ("InvalidInput", "QueryError"):
                    key = _arg(node, 0, "key")
                    if key:
                        keys.add(key)
                if code:
                    keys.add(f"error.{code}")
            elif isinstance(node, ast.arguments):
                # ``code: str = "auth.rate_limited"``: a default code.
                args = node.posonlyargs + node.args
                for arg, default in zip(args[len(args) - len(node.defaults):], node.defaults,
                                        strict=True):
                    if arg.arg == "code" and _const(default):
                        keys.add(f"error.{_const(default)}")
                for arg, default in zip(node.kwonlyargs, node.kw_defaults, strict=True):
                    if arg.arg == "code" and _const(default):
                        keys.add(f"error.{_const(default)}")
            elif isinstance(node, ast.Assign):
                # ``denied, status = "orgs.blocked", 403``: a code chosen before it is raised.
                for target in node.targets:
                    names = target.elts if isinstance(target, ast.Tuple) else [target]
                    values = (node.value.elts if isinstance(node.value, ast.Tuple)
                              else [node.value])
                    for t_, v in zip(names, values, strict=False):
                        if isinstance(t_, ast.Name) and t_.id in ("denied", "code"):
                            if _const(v):
                                keys.add(f"error.{_const(v)}")
    return keys


def test_the_scan_finds_the_codes():
    keys = raised_keys()
    for known in ("error.auth.invalid_credentials", "error.orgs.blocked",
                  "error.auth.rate_limited", "error.validation.failed",
                  "error.server.internal", "error.bank_file.encoding",
                  "error.payroll.not_draft", "validation.sub_account"):
        assert known in keys
    assert len(keys) > 80


def test_every_raised_code_has_a_text_in_both_languages():
    missing = {lang: sorted(raised_keys() - CATALOGUE.keys(lang)) for lang in LANGS}
    assert missing == {"ru": [], "en": []}


def test_every_core_refusal_has_a_text_in_both_languages():
    """``InvalidInput`` keys of the shared rules become problem details too."""
    keys: set[str] = set()
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _name(node.func) == "InvalidInput":
                key = _arg(node, 0, "key")
                if key:
                    keys.add(key)
            # Keys held in constants, e.g. ``raise InvalidInput(CHECKSUM)`` or a mapping.
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.value.startswith(("validation.", "doc.", "payroll.", "bank.rule_"))
                    and " " not in node.value):
                keys.add(node.value)
    assert len(keys) > 20
    for lang in LANGS:
        assert sorted(keys - CATALOGUE.keys(lang)) == []


# --- pick_language (moved from client.i18n) -------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "ru"),
        ("", "ru"),
        ("en", "en"),
        ("en-US", "en"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en-GB,en;q=0.9,ru;q=0.8", "en"),
        ("ru;q=0.5, en;q=0.9", "en"),
        ("de-DE,de;q=0.9", "ru"),
        ("de-DE,en;q=0.5", "en"),
        ("*", "ru"),
        ("en;q=bogus, ru;q=0.1", "ru"),
        ("en;q=0", "ru"),  # q=0 means "not acceptable" (RFC 9110)
        ("EN-us", "en"),
    ],
)
def test_pick_language(header, expected):
    assert pick_language(header) == expected


def test_text_needs_the_language_and_fills_parameters():
    assert "1.00" in text("payroll.slip.due", "en", amount="1.00")
    assert text("payroll.slip.due", "en", amount="1") != text("payroll.slip.due", "ru", amount="1")
    assert text("payroll.slip.salary", "ru") == "Оклад"
    assert text("payroll.slip.salary", "en") != "Оклад"
    assert text("no.such.key", "en") == "no.such.key"
    with pytest.raises(TypeError):
        text("payroll.slip.salary")  # type: ignore[call-arg]


# --- one process, the caller's language ---------------------------------------------------


async def test_one_server_answers_each_caller_in_their_language(http):
    body = {"email": "nobody@example.ru", "password": "что-нибудь 12"}
    en_h = {"Accept-Language": "en"}
    for _ in range(2):  # interleaved: nothing is remembered between requests
        ru = (await http.post("/auth/login", json=body)).json()
        en = (await http.post("/auth/login", json=body, headers=en_h)).json()
        assert ru["detail"] == text("error.auth.invalid_credentials", "ru")
        assert en["detail"] == text("error.auth.invalid_credentials", "en")
        assert ru["detail"] != en["detail"]

    owner = await sign_up(http, "owner@example.ru")
    org = await create_org(http, owner, ooo())
    base = f"/orgs/{org['id']}"
    employee = {"full_name": "Иванов Иван Иванович", "position": "Менеджер",
                "cost_account": "26", "hired_on": "2025-03-01", "salary": "100000.00",
                "pay_method": "cash"}
    resp = await http.post(f"{base}/employees", json=employee, headers=owner.h)
    assert resp.status_code == 201, resp.text
    employee_id = resp.json()["id"]
    resp = await http.post(f"{base}/payroll/runs", json={"year": 2026, "month": 1},
                           headers=owner.h)
    assert resp.status_code == 200, resp.text
    path = f"{base}/payroll/runs/{resp.json()['id']}/payslips/{employee_id}"

    for _ in range(2):
        en = (await http.get(path, headers={**owner.h, **en_h})).json()
        ru = (await http.get(path, headers=owner.h)).json()
        assert en["text"][0] == text("payroll.slip.title", "en", month="January", year=2026)
        assert ru["text"][0] == text("payroll.slip.title", "ru", month="январь", year=2026)
        assert en["lines"][0]["name"] == text("payroll.slip.salary", "en")
        assert ru["lines"][0]["name"] == text("payroll.slip.salary", "ru")

        en_pdf = await http.get(f"{path}/pdf", headers={**owner.h, **en_h})
        ru_pdf = await http.get(f"{path}/pdf", headers=owner.h)
        en_text = " ".join(p.extract_text() for p in PdfReader(BytesIO(en_pdf.content)).pages)
        ru_text = " ".join(p.extract_text() for p in PdfReader(BytesIO(ru_pdf.content)).pages)
        assert text("payroll.slip.col.amount", "en") in en_text
        assert text("payroll.slip.col.amount", "ru") in ru_text
        assert text("payroll.slip.col.amount", "ru") not in en_text
