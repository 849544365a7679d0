"""Provides the pure rules of a customer's advance (аванс полученный) for a VAT payer, of
a person returning an accountable sum, and of a bank line's warnings.

Advance. A payment received before the shipment is an advance: Дт 51 Кт 62.02, and a VAT
payer charges VAT on it at the calculated rate (НК РФ ст. 154 п. 1, ст. 164 п. 4, ст. 167
п. 1 пп. 2): Дт 76.АВ Кт 68.02 (the 1С accounts, team reference §1). On the shipment the
advance is offset, Дт 62.02 Кт 62.01, and its VAT is deducted, Дт 68.02 Кт 76.АВ (ст. 171
п. 8, ст. 172 п. 6). The calculated rate is 22/122 from 01.01.2026 (425-ФЗ: the general
rate is 22 %, reference «VAT on УСН»), 20/120 before; a payer on the УСН reduced rates
charges 5/105 or 7/107 (ст. 164 п. 8 as amended by 176-ФЗ; the reduced rates' calculated
form is UNCONFIRMED in the reference). Kopecks throughout, rounded half up.

The part of a payment that settles the counterparty's unpaid sales (its debit balance on
62.01) is no advance: only the rest goes to 62.02 (``split_receipt``).

Advance paid (аванс выданный), the mirror for suppliers, as 1С books it: a payment to a
supplier on 60.01 that its unpaid поступления (its credit balance on 60.01 on the
payment's date) do not cover is an advance paid: the covered part Дт 60.01 Кт 51, the rest
Дт 60.02 Кт 51 (``split_receipt`` again). A later поступление from a supplier holding an
advance (60.02 debit balance) offsets it, Дт 60.01 Кт 60.02, for the smaller of the
advance and the поступление's total (``offset_on_shipment`` with no VAT). No VAT on an
advance paid: the buyer's deduction of the VAT on an advance (НК ст. 171 п. 12, ст. 172
п. 9) is a right, not a duty, and is left out here (no Дт 68.02 Кт 76.ВА).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from core import identifiers as ids
from core.validation import InvalidInput

GENERAL_RATE_2026 = date(2026, 1, 1)
"""The general VAT rate is 22 % from this day (20 % before)."""

ADVANCE_ACCOUNT = "62.02"
SALES_ACCOUNT = "62.01"
ADVANCE_VAT_ACCOUNT = "76.АВ"
VAT_ACCOUNT = "68.02"
ACCOUNTABLE_ACCOUNT = "71.01"
ADVANCE_PAID_ACCOUNT = "60.02"
SUPPLIER_ACCOUNT = "60.01"


def advance_rate(vat_mode: str, day: date) -> int | None:
    """The VAT rate in per cent charged on an advance, or None for a payer of no VAT."""
    if vat_mode == "general":
        return 22 if day >= GENERAL_RATE_2026 else 20
    if vat_mode == "usn_5":
        return 5
    if vat_mode == "usn_7":
        return 7
    return None


def calculated_vat(amount: int, rate: int) -> int:
    """VAT inside ``amount`` kopecks at the calculated rate rate/(100+rate), half up:
    12 200,00 ₽ at 22/122 → 2 200,00 ₽; 100,00 ₽ at 22/122 → 18,03 ₽ (18,032…)."""
    base = 100 + rate
    return (2 * amount * rate + base) // (2 * base)


def split_receipt(amount: int, debt: int) -> tuple[int, int]:
    """(settles the sales, advance) of a receipt of ``amount`` from a customer whose
    unpaid sales are ``debt`` kopecks (its 62.01 debit balance; none when ≤ 0). The same
    for a payment to a supplier whose unpaid поступления are ``debt`` (its 60.01 credit
    balance): (settles the поступления on 60.01, advance paid on 60.02); 25 000,00 paid
    to a supplier owed 10 000,00 → (10 000,00, 15 000,00)."""
    settled = min(amount, max(debt, 0))
    return settled, amount - settled


def offset_on_shipment(total: int, advance: int, advance_vat: int) -> tuple[int, int]:
    """(offset of the advance, VAT deducted back) when a sale of ``total`` kopecks is
    shipped to a customer holding ``advance`` kopecks of advances (62.02 credit balance)
    with ``advance_vat`` kopecks of VAT on them (76.АВ debit balance). The VAT comes back
    in the offset's share of the VAT booked (exact for a whole offset, whatever the rate
    the advance was charged at): advance 12 200,00, VAT 2 200,00, sale 6 100,00 → offset
    6 100,00, VAT back 1 100,00. A поступление from a supplier holding an advance paid
    offsets it alike, with no VAT: ``offset_on_shipment(total, advance_paid, 0)``."""
    if advance <= 0 or total <= 0:
        return 0, 0
    offset = min(total, advance)
    vat = max(advance_vat, 0)
    if offset < advance:
        vat = (2 * vat * offset + advance) // (2 * advance)
    return offset, vat


# --- the account's control key (a warning, never a refusal) ---------------------------


def account_warnings(account: str | None, bik: str | None) -> list[str]:
    """``_account_warnings`` remembered per (account, БИК): a statement names the same
    counterparties again and again, and a 10 000-line preview would spend 0.1 s on keys."""
    return list(_account_warnings(account, bik))


@lru_cache(maxsize=8192)
def _account_warnings(account: str | None, bik: str | None) -> tuple[str, ...]:
    """``["account_key"]`` when the counterparty's account fails the ЦБ control key
    against its БИК (``core.identifiers.check_account``), else ``[]``. The bank's data
    is authoritative: the line is accepted as it is, only shown with the warning. An
    account or БИК missing or malformed (not 20 / 9 digits) gives no warning: there is
    nothing to check it against."""
    if not account or not bik or len(account) != 20 or len(bik) != 9 \
            or not account.isdigit() or not bik.isdigit():
        return ()
    try:
        ids.check_account(account, bik)
    except InvalidInput as exc:
        if exc.key == "validation.account_checksum":
            return ("account_key",)
    return ()
