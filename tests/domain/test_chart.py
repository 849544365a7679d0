"""server/domain/chart.py: the 94н chart of accounts and user sub-accounts (reference §1)."""

from __future__ import annotations

import dataclasses

import pytest

from core.validation import InvalidInput
from server.domain import chart
from server.domain.chart import (
    ANALYTICS,
    GENERAL_KNOWLEDGE,
    KINDS,
    SUB_ACCOUNT_NAME_MAX,
    Account,
    find,
    load_chart,
    validate_sub_account,
)

# Every account of the reference §1 table and the brief's minimum list.
REQUIRED = """
01 02 04 05 08 10 19 20 23 25 26 41 43 44 45 50 51 52 55 57 58 60 62 66 67 68 69 70 71 73 75
76 80 84 90 91 94 96 97 99
08.04 19.01 19.02 19.03 19.04 41.01 50.01 60.01 60.02 62.01 62.02 68.01 68.02 68.04 68.12
69.01 69.11 75.01 75.02 76.АВ 76.ВА 90.01 90.02 90.03 90.07 90.08 90.09 91.01 91.02 91.09
""".split()


def codes() -> list[str]:
    return [account.code for account in load_chart()]


# --- the data file ----------------------------------------------------------------------------


def test_file_header_and_encoding():
    raw = chart.CHART_FILE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM: the header's first field is "code"
    first_line = raw.decode("utf-8").splitlines()[0]
    assert first_line == "code;name;kind;analytics;parent"


def test_every_required_account_is_there():
    missing = [code for code in REQUIRED if find(code) is None]
    assert missing == []


def test_codes_are_unique():
    assert len(codes()) == len(set(codes()))


def test_every_parent_exists_and_comes_first():
    seen: set[str] = set()
    for account in load_chart():
        if account.parent is not None:
            assert account.parent in seen, account
            assert account.code.startswith(account.parent + "."), account
        seen.add(account.code)


def test_synthetic_accounts_are_two_digits_and_subs_one_level_down():
    for account in load_chart():
        if account.parent is None:
            assert len(account.code) == 2 and account.code.isascii() and account.code.isdigit()
        else:
            assert find(account.parent).parent is None, account


def test_kinds_and_analytics_are_from_the_vocabulary():
    for account in load_chart():
        assert account.kind in KINDS, account
        assert set(account.analytics) <= ANALYTICS, account
        assert len(set(account.analytics)) == len(account.analytics), account
        assert account.name and account.name == account.name.strip(), account


def test_general_knowledge_notes_point_at_real_entries():
    assert set(GENERAL_KNOWLEDGE) <= set(codes())
    # 04 is not in the reference at all; 60.01 is (its details are covered by the docstring).
    assert "04" in GENERAL_KNOWLEDGE and "60.01" not in GENERAL_KNOWLEDGE


# --- the accounts the ledger will lean on -----------------------------------------------------


# Supplier debt (60.01) sits on the credit side, an advance paid to a supplier (60.02) on the
# debit side; for customers it is the other way round: a debt owed to us (62.01) is a debit,
# an advance received (62.02) a credit. Each is kept per counterparty and contract.
@pytest.mark.parametrize(
    ("code", "name", "kind", "analytics", "parent"),
    [
        ("60", "Расчеты с поставщиками и подрядчиками", "active_passive",
         ("counterparty", "contract"), None),
        ("60.01", "Расчеты с поставщиками и подрядчиками", "passive",
         ("counterparty", "contract"), "60"),
        ("60.02", "Расчеты по авансам выданным", "active", ("counterparty", "contract"), "60"),
        ("62.01", "Расчеты с покупателями и заказчиками", "active",
         ("counterparty", "contract"), "62"),
        ("62.02", "Расчеты по авансам полученным", "passive", ("counterparty", "contract"), "62"),
        ("68", "Расчеты по налогам и сборам", "active_passive", (), None),  # [src] А-П
        ("68.01", "Налог на доходы физических лиц", "active_passive", (), "68"),
        ("68.02", "Налог на добавленную стоимость", "active_passive", (), "68"),
        ("68.12", "Налог при упрощенной системе налогообложения", "active_passive", (), "68"),
        ("69.01", "Расчеты по социальному страхованию", "active_passive", (), "69"),
        ("70", "Расчеты с персоналом по оплате труда", "passive", ("employee",), None),
        ("71", "Расчеты с подотчетными лицами", "active_passive", ("employee",), None),
        ("41.01", "Товары на складах", "active", ("item",), "41"),
        ("02", "Амортизация основных средств", "passive", (), None),  # contra-asset
        ("90.01", "Выручка", "passive", (), "90"),
        ("90.02", "Себестоимость продаж", "active", (), "90"),
        ("91.09", "Сальдо прочих доходов и расходов", "active_passive", (), "91"),
        ("99", "Прибыли и убытки", "active_passive", (), None),
    ],
)
def test_key_accounts(code, name, kind, analytics, parent):
    assert find(code) == Account(code, name, kind, analytics, parent)


def test_find():
    assert find("51").name == "Расчетные счета"
    assert find(" 51 ") is find("51")
    assert find("76.АВ").kind == "active"  # Cyrillic А, В as in the reference
    assert find("76.ab") is find("76.АВ")  # Latin lookalikes typed on an English layout
    assert find("61") is None
    assert find("60.1") is None  # 60.01, not 60.1
    assert find("") is None


def test_chart_is_cached_and_immutable():
    assert load_chart() is load_chart()
    assert isinstance(load_chart(), tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_chart()[0].name = "x"  # type: ignore[misc]


# --- the loader refuses a broken file ---------------------------------------------------------

HEADER = "code;name;kind;analytics;parent\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("60;A;active;;\n60;B;active;;\n", "duplicate"),
        ("60.01;A;active;;60\n60;B;active;;\n", "parent 60"),  # parent listed after
        ("60;A;activ;;\n", "kind"),
        ("60;A;active;supplier;\n", "analytics"),
        ("60;A;active;;\n62.01;B;active;;60\n", "not a sub-account"),
        ("60;A;active\n", "fields"),
        (";A;active;;\n", "empty"),
    ],
)
def test_loader_refuses_broken_rows(body, problem):
    with pytest.raises(ValueError, match=problem):
        chart._parse(HEADER + body)


def test_loader_refuses_a_wrong_header():
    with pytest.raises(ValueError, match="header"):
        chart._parse("code,name,kind,analytics,parent\n60,A,active,,\n")


def test_loader_reads_a_good_file():
    body = "60;A;active_passive;counterparty,contract;\n60.01;B;passive;;60\n"
    parsed = chart._parse(HEADER + body)
    assert parsed == (
        Account("60", "A", "active_passive", ("counterparty", "contract"), None),
        Account("60.01", "B", "passive", (), "60"),
    )


# --- user sub-accounts ------------------------------------------------------------------------


def test_a_valid_sub_account_inherits_kind_and_analytics():
    account = validate_sub_account("60", "60.05", "  Поставщики   услуг ")
    assert account == Account(
        "60.05", "Поставщики услуг", "active_passive", ("counterparty", "contract"), "60"
    )
    assert validate_sub_account("51", "51.01", "Сбербанк").kind == "active"
    assert validate_sub_account(" 68 ", " 68.03 ", "Налог на имущество").parent == "68"
    assert validate_sub_account("60.01", "60.01.01", "Поставщики услуг").parent == "60.01"
    assert validate_sub_account("62", "62.99", "Прочие").code == "62.99"


def refused_reason(*args, **kwargs) -> str:
    with pytest.raises(InvalidInput) as caught:
        validate_sub_account(*args, **kwargs)
    assert caught.value.key == "validation.sub_account"
    return caught.value.params["reason"]


@pytest.mark.parametrize("parent", ["61", "", "60.05", "6O"])
def test_parent_must_exist(parent):
    assert refused_reason(parent, f"{parent}.01", "Имя") == "parent"


@pytest.mark.parametrize(
    "code",
    [
        "60.5",  # one digit
        "60.005",  # three digits
        "60.ab",  # letters
        "60",  # the parent itself
        "60.",  # nothing after the dot
        "60-05",  # wrong separator
        "62.05",  # another parent's code
        "60.00",  # 00 is not a sub-account number
        "60.０５",  # full-width digits
        "60.05.01",  # two levels below the parent
    ],
)
def test_code_must_be_parent_dot_two_digits(code):
    assert refused_reason("60", code, "Имя") == "code"


def test_code_must_be_unique():
    assert refused_reason("60", "60.01", "Другое") == "taken"  # built in
    assert refused_reason("76", "76.ab", "Другое") == "code"  # not two digits, whatever it is
    assert refused_reason("60", "60.05", "Имя", taken=["60.05"]) == "taken"
    assert refused_reason("60", "60.05", "Имя", taken=[" 60.05 "]) == "taken"
    assert validate_sub_account("60", "60.06", "Имя", taken=["60.05"]).code == "60.06"


@pytest.mark.parametrize("name", ["", "   ", "\u00a0", "a\x00b", "x" * (SUB_ACCOUNT_NAME_MAX + 1)])
def test_name_must_be_sensible(name):
    assert refused_reason("60", "60.05", name) == "name"


def test_name_at_the_limit_is_accepted():
    assert len(validate_sub_account("60", "60.05", "x" * SUB_ACCOUNT_NAME_MAX).name) == 200
