"""Provides the simplified small-business statements: the balance sheet and the financial
results statement, computed from account balances and turnovers.

Pure: kopecks (int), no I/O. The forms are those of приказ Минфина от 02.07.2010 № 66н,
Приложение 5 (упрощённые формы для субъектов малого предпринимательства): Бухгалтерский
баланс (ОКУД 0710001) and Отчёт о финансовых результатах (ОКУД 0710002). The line names
are the forms' own words, so they are Russian constants here, not catalogue entries. The
form lines of non-profit organisations (1350 «Целевые средства», 1360) are left out.

Balance sheet (``balance_sheet``): each account code goes to a line by the longest prefix
in ``BALANCE_RULES`` (``60`` matches 60, 60.01, 60.02…):
- ``asset`` lines add the signed balance (debit positive): a contra-account (02, 05, 14,
  42, 59, 63) lowers its line;
- ``liability`` lines add the credit balance (the signed balance negated);
- ``split`` accounts (settlements: 60, 62, 66–71, 73, 75, 76) are shown expanded
  (развёрнутое сальдо): every (sub-account, counterparty) balance goes to the asset line
  when it is on the debit side and to the liability line when it is on the credit side,
  as the real form is filled;
- ``RESULT_ACCOUNTS`` (the not yet closed result of the year: 90, 91, 99, and the cost
  accounts below) go to 1300 «Капитал и резервы» with the capital accounts, as
  нераспределённая прибыль (непокрытый убыток);
- the settlements with the budget on the single tax account (ЕНС: 68 and 69 but the
  injury contributions 69.11, paid to the СФР, not through the ЕНС) are netted into one
  figure: their sum goes to 1230 when it is a debit (an overpayment) and to 1520 when it
  is a credit — not 68.02 on 1520 and an overpaid 68.90 on 1230. Netting is forbidden
  unless a standard provides for it (ПБУ 4/99 п. 34); since 2023 the taxes administered
  by the ФНС are one settlement with the budget (НК ст. 11.3: the ЕНС balance is the
  difference between the money on it and all the obligations), and the Минфин's
  information message on the ЕНС in accounting (ИС-учет-44 of 2023, UNCONFIRMED number
  and date) accepts showing the settlements on it netted. Which sub-accounts are on the
  ЕНС is data: ``ENS_ACCOUNTS`` less ``ENS_EXCLUDED``;
- the auxiliary account 000 (the opening balances' counterpart, not a 94н account) goes
  to no line: it nets to zero once the opening balances are complete. Entered by
  counterparty (Дт 62.01 Кт 000 per buyer) its balance looks split by counterparty; it
  must not land on 1230 / 1550. When the opening set does not balance, the sheet is left
  unbalanced by 000's balance (1600 − 1700 = −000's signed balance) and the service says
  so (``auxiliary``), rather than hide it on a line the form does not have;
- an account no rule names is split: debit balance to 1230, credit balance to 1550.
Every account but 000 lands on exactly one side with its own sign, and the postings
balance, so 1600 = 1700 whenever 000 is nil.

Choices (general practice, documented because the form leaves them to the accountant):
- 58 (financial investments) goes to 1170 as long-term: the chart has no term analytics;
- 97 (расходы будущих периодов) and 94 (недостачи) go to 1230 «другие оборотные активы»;
- 19 (input VAT not yet deducted) goes to 1230;
- 96 (reserves), 98 (deferred income) and 86 (target financing) go to 1550;
- 77 (deferred tax liabilities) goes to 1450; 09 (deferred tax assets) to 1170.
- **Month-end closing is not implemented** (Дт 90.02/90.07/90.08 Кт 20/23/25/26/44), so the
  cost accounts 20, 23, 25, 26 and 44 are taken as the period's expenses («директ-костинг»,
  no work in progress): the financial results statement counts their net turnover within
  2120, and the balance sheet counts their balance within the result in 1300, not as
  Запасы 1210. When closing exists, 20/23 (work in progress) and 44 (a trade's unallocated
  transport costs) belong in 1210 again: change ``COST_ACCOUNTS``.

Financial results (``financial_results``) from the turnovers of the period:
- 2110 Выручка = 90.01 credit turnover − 90.03 debit turnover (VAT charged on sales);
- 2120 Расходы по обычной деятельности = debit turnover of 90.02, 90.07, 90.08 + the net
  turnover (debit − credit) of ``COST_ACCOUNTS``. The net turnover keeps a later closing
  from counting twice: Дт 90.08 Кт 26 adds to 90.08 and takes the same off 26; Дт 43 Кт 20
  (output to the warehouse) takes the cost off the expenses, it is an asset now;
- 2330 Проценты к уплате = debit turnover of ``INTEREST_ACCOUNTS`` (none in the built-in
  chart, so zero: interest is in 91.02 with the other expenses);
- 2340 Прочие доходы = 91.01 credit turnover; 2350 Прочие расходы = 91.02 debit turnover
  minus what 2330 took;
- 2410 Налоги на прибыль (доходы) = credit turnover of 68.04 (profit tax) and 68.12 (УСН);
- 2400 Чистая прибыль (убыток) = 2110 − 2120 − 2330 + 2340 − 2350 − 2410.
Not counted (they need the correspondence, not only the turnover): a return booked as
Дт 90.01 or Дт 91.01 instead of a reversal (сторно), fines booked straight to 99.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FormLine:
    code: str
    name: str
    level: int = 0
    """0 a line, 1 a total, 2 a grand total (as ``core.contract.StatementLine``)."""


BALANCE_SHEET_FORM = (
    FormLine("1150", "Материальные внеоборотные активы"),
    FormLine("1170", "Нематериальные, финансовые и другие внеоборотные активы"),
    FormLine("1210", "Запасы"),
    FormLine("1250", "Денежные средства и денежные эквиваленты"),
    FormLine("1230", "Финансовые и другие оборотные активы"),
    FormLine("1600", "БАЛАНС", 2),
    FormLine("1300", "Капитал и резервы"),
    FormLine("1410", "Долгосрочные заемные средства"),
    FormLine("1450", "Другие долгосрочные обязательства"),
    FormLine("1510", "Краткосрочные заемные средства"),
    FormLine("1520", "Кредиторская задолженность"),
    FormLine("1550", "Другие краткосрочные обязательства"),
    FormLine("1700", "БАЛАНС", 2),
)
ASSET_LINES = ("1150", "1170", "1210", "1250", "1230")
LIABILITY_LINES = ("1300", "1410", "1450", "1510", "1520", "1550")

FINANCIAL_RESULTS_FORM = (
    FormLine("2110", "Выручка"),
    FormLine("2120", "Расходы по обычной деятельности"),
    FormLine("2330", "Проценты к уплате"),
    FormLine("2340", "Прочие доходы"),
    FormLine("2350", "Прочие расходы"),
    FormLine("2410", "Налоги на прибыль (доходы)"),
    FormLine("2400", "Чистая прибыль (убыток)", 2),
)


@dataclass(frozen=True)
class Rule:
    kind: str
    """``asset``, ``liability`` or ``split``."""
    line: str
    """The asset line (``asset``, ``split``) or the liability line (``liability``)."""
    credit_line: str | None = None
    """``split`` only: where a credit balance goes."""


def _asset(line: str) -> Rule:
    return Rule("asset", line)


def _liability(line: str) -> Rule:
    return Rule("liability", line)


def _split(credit_line: str, debit_line: str = "1230") -> Rule:
    return Rule("split", debit_line, credit_line)


COST_ACCOUNTS = ("20", "23", "25", "26", "44")
"""Cost accounts taken as the period's expense while month-end closing is not implemented
(see the module notes)."""
RESULT_ACCOUNTS = ("90", "91", "99", *COST_ACCOUNTS)
"""The year's result not yet closed to 84: shown within 1300."""

BALANCE_RULES: dict[str, Rule] = {
    # 1150 material non-current assets: fixed assets less depreciation, investments in them
    "01": _asset("1150"), "02": _asset("1150"), "03": _asset("1150"),
    "07": _asset("1150"), "08": _asset("1150"),
    # 1170 intangible, financial and other non-current assets
    "04": _asset("1170"), "05": _asset("1170"), "08.05": _asset("1170"),
    "09": _asset("1170"), "58": _asset("1170"), "59": _asset("1170"),
    # 1210 inventories (14 and 42 lower them)
    "10": _asset("1210"), "11": _asset("1210"), "14": _asset("1210"), "15": _asset("1210"),
    "16": _asset("1210"), "21": _asset("1210"), "28": _asset("1210"), "41": _asset("1210"),
    "42": _asset("1210"), "43": _asset("1210"), "45": _asset("1210"),
    # 1250 cash and cash equivalents
    "50": _asset("1250"), "51": _asset("1250"), "52": _asset("1250"), "55": _asset("1250"),
    "57": _asset("1250"),
    # 1230 financial and other current assets (63, the doubtful-debt reserve, lowers them)
    "19": _asset("1230"), "63": _asset("1230"), "94": _asset("1230"), "97": _asset("1230"),
    # settlements, expanded: debit balances to 1230, credit balances to a liability line
    "60": _split("1520"), "62": _split("1520"), "68": _split("1520"), "69": _split("1520"),
    "70": _split("1520"), "71": _split("1520"), "73": _split("1520"), "75": _split("1520"),
    "76": _split("1520"),
    "66": _split("1510"), "67": _split("1410"),
    # 1300 capital and reserves: capital, own shares (81, debit), reserves, retained
    # earnings and the year's result not yet closed
    "80": _liability("1300"), "81": _liability("1300"), "82": _liability("1300"),
    "83": _liability("1300"), "84": _liability("1300"),
    **{code: _liability("1300") for code in RESULT_ACCOUNTS},
    # other liabilities
    "77": _liability("1450"),
    "86": _liability("1550"), "96": _liability("1550"), "98": _liability("1550"),
}
"""Account (or sub-account) → how its balance goes into the balance sheet."""
UNKNOWN_RULE = _split("1550")

AUXILIARY_ACCOUNTS = ("000",)
"""Accounts no line takes (see the module notes)."""
ENS_ACCOUNTS = ("68", "69")
ENS_EXCLUDED = ("69.11",)
"""The settlements with the budget netted as one (the ЕНС), and those outside it."""
ENS_DEBIT_LINE, ENS_CREDIT_LINE = "1230", "1520"

STATEMENT_TOTALS: dict[str, dict[str, int]] = {
    "1600": dict.fromkeys(ASSET_LINES, 1),
    "1700": dict.fromkeys(LIABILITY_LINES, 1),
    "2400": {"2110": 1, "2120": -1, "2330": -1, "2340": 1, "2350": -1, "2410": -1},
}
"""The total lines of both forms: total → {line: sign} (for rounding to thousands)."""


def is_ens(code: str) -> bool:
    return _under(code, ENS_ACCOUNTS) and not _under(code, ENS_EXCLUDED)


def auxiliary(closing: Mapping[tuple[str, str | None], int]) -> int:
    """The signed balance (debit positive) of the accounts no line takes (000)."""
    return sum(v for (code, _cp), v in closing.items() if _under(code, AUXILIARY_ACCOUNTS))


def rule_for(code: str) -> Rule:
    """The rule of the longest prefix of ``code`` in ``BALANCE_RULES``."""
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        found = BALANCE_RULES.get(".".join(parts[:n]))
        if found is not None:
            return found
    return UNKNOWN_RULE


def balance_sheet(closing: Mapping[tuple[str, str | None], int]) -> dict[str, int]:
    """Line code → kopecks for balances at one date.

    ``closing``: signed balance (debit positive) by (account code as posted, counterparty
    or None). The totals: 1600 = the asset lines, 1700 = the liability lines.

    Example (kopecks in roubles for short): 68.02 credit 20 000, 68.01 credit 3 000,
    68.90 debit 30 000 (money on the ЕНС not yet applied), 69.11 credit 500 → the ЕНС nets
    to 30 000 − 20 000 − 3 000 = 7 000 debit: 1230 += 7 000; 69.11 stays on 1520 (500).
    """
    lines = dict.fromkeys([f.code for f in BALANCE_SHEET_FORM], 0)
    ens = 0
    for (code, _cp), amount in closing.items():
        if _under(code, AUXILIARY_ACCOUNTS):
            continue
        if is_ens(code):
            ens += amount
            continue
        rule = rule_for(code)
        if rule.kind == "asset":
            lines[rule.line] += amount
        elif rule.kind == "liability":
            lines[rule.line] -= amount
        elif amount > 0:
            lines[rule.line] += amount
        else:
            assert rule.credit_line is not None
            lines[rule.credit_line] -= amount
    if ens > 0:
        lines[ENS_DEBIT_LINE] += ens
    else:
        lines[ENS_CREDIT_LINE] -= ens
    lines["1600"] = sum(lines[c] for c in ASSET_LINES)
    lines["1700"] = sum(lines[c] for c in LIABILITY_LINES)
    return lines


class Turnover(Protocol):
    @property
    def debit(self) -> int: ...

    @property
    def credit(self) -> int: ...


REVENUE_ACCOUNTS = ("90.01",)
SALES_VAT_ACCOUNTS = ("90.03",)
"""VAT (and excise, if a sub-account is added) charged on sales, taken off revenue."""
SALES_EXPENSE_ACCOUNTS = ("90.02", "90.07", "90.08")
INTEREST_ACCOUNTS: tuple[str, ...] = ()
"""Interest payable: a sub-account of 91.02 if the organisation keeps one (none built in)."""
OTHER_INCOME_ACCOUNTS = ("91.01",)
OTHER_EXPENSE_ACCOUNTS = ("91.02",)
INCOME_TAX_ACCOUNTS = ("68.04", "68.12")


def _under(code: str, prefixes: Iterable[str]) -> bool:
    return any(code == p or code.startswith(p + ".") for p in prefixes)


def financial_results(turnovers: Mapping[str, Turnover]) -> dict[str, int]:
    """Line code → kopecks for the turnovers of a period, by account code as posted.

    Expenses are positive amounts (the paper form prints them in parentheses); 2400 is
    negative for a loss.
    """
    def debit(prefixes: Iterable[str]) -> int:
        return sum(t.debit for c, t in turnovers.items() if _under(c, prefixes))

    def credit(prefixes: Iterable[str]) -> int:
        return sum(t.credit for c, t in turnovers.items() if _under(c, prefixes))

    interest = debit(INTEREST_ACCOUNTS) if INTEREST_ACCOUNTS else 0
    lines = {
        "2110": credit(REVENUE_ACCOUNTS) - debit(SALES_VAT_ACCOUNTS),
        "2120": debit(SALES_EXPENSE_ACCOUNTS) + debit(COST_ACCOUNTS) - credit(COST_ACCOUNTS),
        "2330": interest,
        "2340": credit(OTHER_INCOME_ACCOUNTS),
        "2350": debit(OTHER_EXPENSE_ACCOUNTS) - interest,
        "2410": credit(INCOME_TAX_ACCOUNTS),
    }
    lines["2400"] = (lines["2110"] - lines["2120"] - lines["2330"] + lines["2340"]
                     - lines["2350"] - lines["2410"])
    return lines
