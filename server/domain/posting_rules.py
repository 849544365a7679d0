"""Provides the posting rules of primary documents: which Дт/Кт a posted document makes.

Pure: amounts in whole kopecks (int), no I/O. The accounts are those of the built-in
chart (``data/chart_94n.csv``, 94н with the 1С sub-accounts).

VAT. ``vat_mode`` is the organisation's (``core.contract.VatMode``):
- ``none``: not a VAT payer (УСН with the exemption): no VAT postings at all; a
  purchase's VAT stays in the cost of what was bought;
- ``usn_5`` / ``usn_7``: pays VAT on sales at the reduced rate, but without the right to
  deduct input VAT (НК РФ ст. 164 п. 8, ст. 171 п. 2 as amended by 176-ФЗ; the team
  reference, «VAT on УСН»): sales charge VAT (Дт 90.03 Кт 68.02), purchases go to cost
  in full, VAT included;
- ``general``: pays VAT and deducts input VAT: a purchase's VAT is booked on 19 and
  deducted at once (Дт 68.02 Кт 19). A simplification: strictly the deduction waits for
  the supplier's счёт-фактура and may be spread over three years.

The rules, by document type (``total`` is what the counterparty pays, VAT included):
- ``invoice`` (счёт на оплату): no postings, it is an offer to pay;
- ``act`` (sale of services), ``sale_goods`` (sale of goods): Дт 62.01 Кт 90.01 total;
  a VAT payer also Дт 90.03 Кт 68.02 VAT;
- ``purchase_goods``: Дт 41.01 Кт 60.01; ``purchase_services``: Дт 26 (or the chosen 44)
  Кт 60.01. With deduction (``general``) the cost is net of VAT and the VAT goes
  Дт 19.03 (goods) / 19.04 (services) Кт 60.01, then Дт 68.02 Кт 19.0x;
- ``bank_in``: Дт 51 Кт the chosen account (62.01 by default);
- ``bank_out``: Дт the chosen account (60.01 by default) Кт 51;
- ``cash_in``: Дт 50.01 Кт the chosen account (62.01 by default);
- ``cash_out``: Дт the chosen account (60.01 by default) Кт 50.01.
A payment's VAT is only words in its purpose. VAT on advances is booked beside these
rules (``server.services.documents_links``, ``server.domain.bank_advances``): a receipt on
62.02 charges it (Дт 76.АВ Кт 68.02), a sale offsets the advance and deducts it. The
mirror for suppliers is booked beside them too, with no VAT: a bank_out / cash_out on 60.01
beyond the supplier's unpaid поступления is split, the rest Дт 60.02 (advance paid), and a
purchase from a supplier holding an advance paid offsets it, Дт 60.01 Кт 60.02.

Counterparty analytics (субконто) go on every posting that touches an account whose
chart analytics include ``counterparty`` (60, 62, 19, 76…), when the document has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from server.domain import chart

SALES = ("act", "sale_goods")
PURCHASES = ("purchase_goods", "purchase_services")
DEDUCTING_VAT_MODES = ("general",)
"""VAT modes with the right to deduct input VAT."""
PAYING_VAT_MODES = ("usn_5", "usn_7", "general")

DEFAULT_ACCOUNT = {
    "purchase_services": "26",
    "bank_in": "62.01",
    "bank_out": "60.01",
    "cash_in": "62.01",
    "cash_out": "60.01",
}
"""The correspondent account of the types where the user may choose one."""
MONEY_ACCOUNT = {"bank_in": "51", "bank_out": "51", "cash_in": "50.01", "cash_out": "50.01"}
EXPENSE_ACCOUNTS = ("26", "44")
"""Where a purchase of services may go: общехозяйственные (26) or расходы на продажу (44),
or a sub-account of either."""

ACCOUNTS_USED = frozenset({
    "62.01", "90.01", "90.03", "68.02", "41.01", "60.01", "19.03", "19.04", "26", "44",
    "51", "50.01", "90.02",
})
"""Every fixed account a rule may name (tests check the chart has them all)."""


@dataclass(frozen=True)
class DocumentFacts:
    """What the rules need to know about a document."""

    type: str
    total: int
    """Kopecks the counterparty pays, VAT included."""
    vat: int
    """Kopecks of VAT inside ``total``."""
    account: str | None = None
    """The chosen correspondent account, where the type allows a choice."""
    counterparty_id: str | None = None


@dataclass(frozen=True)
class PlannedPosting:
    debit: str
    credit: str
    amount: int
    """Kopecks, positive."""
    memo: str
    counterparty_id: str | None


@lru_cache(maxsize=1)
def _settlement_roots() -> frozenset[str]:
    """Synthetic accounts that carry counterparty analytics (19, 58, 60, 62, 76…)."""
    return frozenset(a.code.split(".")[0] for a in chart.load_chart()
                     if "counterparty" in a.analytics)


def carries_counterparty(code: str) -> bool:
    return code.split(".")[0] in _settlement_roots()


def pays_vat(vat_mode: str) -> bool:
    return vat_mode in PAYING_VAT_MODES


def deducts_vat(vat_mode: str) -> bool:
    return vat_mode in DEDUCTING_VAT_MODES


def account_for(doc_type: str, account: str | None) -> str | None:
    """The correspondent account a document posts to: the chosen one or the default."""
    if doc_type not in DEFAULT_ACCOUNT:
        return None
    return account or DEFAULT_ACCOUNT[doc_type]


def postings_for(doc: DocumentFacts, vat_mode: str) -> list[PlannedPosting]:
    """The postings a posted document makes; empty for an invoice (and for zero amounts)."""
    if doc.total < 0 or doc.vat < 0 or doc.vat > doc.total:
        raise ValueError(f"inconsistent amounts: total {doc.total}, VAT {doc.vat}")
    planned: list[tuple[str, str, int, str]] = []
    kind = doc.type
    if kind == "invoice":
        return []
    if kind in SALES:
        what = "услуг" if kind == "act" else "товаров"
        planned.append(("62.01", "90.01", doc.total, f"Выручка от реализации {what}"))
        if pays_vat(vat_mode):
            planned.append(("90.03", "68.02", doc.vat, "НДС с выручки"))
        # The cost of goods sold (Дт 90.02 Кт 41.01) of lines with an item is added by
        # ``cost_of_sales`` from the stock (server.domain.stock), in the same entry.
    elif kind in PURCHASES:
        if kind == "purchase_goods":
            cost, vat_account, what = "41.01", "19.03", "товаров"
        else:
            cost, vat_account, what = account_for(kind, doc.account) or "26", "19.04", "услуг"
        if deducts_vat(vat_mode):
            planned.append((cost, "60.01", doc.total - doc.vat, f"Поступление {what}"))
            planned.append((vat_account, "60.01", doc.vat, "НДС предъявлен поставщиком"))
            planned.append(("68.02", vat_account, doc.vat, "НДС к вычету"))
        else:
            planned.append((cost, "60.01", doc.total, f"Поступление {what}"))
    elif kind in MONEY_ACCOUNT:
        money = MONEY_ACCOUNT[kind]
        other = account_for(kind, doc.account)
        assert other is not None
        if other == money:
            raise ValueError(f"{kind}: the correspondent account cannot be {money} itself")
        memo = {
            "bank_in": "Поступление на расчётный счёт",
            "bank_out": "Списание с расчётного счёта",
            "cash_in": "Приход в кассу",
            "cash_out": "Выдача из кассы",
        }[kind]
        if kind in ("bank_in", "cash_in"):
            planned.append((money, other, doc.total, memo))
        else:
            planned.append((other, money, doc.total, memo))
    else:
        raise ValueError(f"unknown document type: {kind!r}")
    return [
        PlannedPosting(
            debit=debit, credit=credit, amount=amount, memo=memo,
            counterparty_id=doc.counterparty_id
            if carries_counterparty(debit) or carries_counterparty(credit) else None,
        )
        for debit, credit, amount, memo in planned
        if amount > 0  # a zero VAT (0 %, «без НДС») or a zero net makes no posting
    ]


def cost_of_sales(cost: int) -> list[PlannedPosting]:
    """The write-off of the cost of goods sold at their average cost (ФСБУ 5/2019 п. 36,
    ``server.domain.stock``): Дт 90.02 Кт 41.01; nothing for a zero cost."""
    if cost < 0:
        raise ValueError(f"a negative cost of sales: {cost}")
    if cost == 0:
        return []
    return [PlannedPosting(debit="90.02", credit="41.01", amount=cost,
                           memo="Себестоимость проданных товаров", counterparty_id=None)]
