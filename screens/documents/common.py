"""Provides what the document screens share: the document types and states as text,
the typed values (rate, quantity, price, number), the PDF file, the totals line, the
cancel dialog and the messages of the list and the card."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from client.errors import ApiError, os_error_text
from client.export import default_export_dir as export_dir
from client.i18n import t
from core import contract as m
from core import documents as calc
from core.money import MONEY_MAX_TEXT, parse_amount, within_money_max
from core.validation import InvalidInput
from tui.dialogs.reason import ReasonDialog
from tui.widgets.money import money
from tui.workers import Done

if TYPE_CHECKING:
    from client.api import ApiClient

PAGE = 50
PREFETCH = 10
TYPES: tuple[str, ...] = calc.DOC_TYPES
PRINTABLE = ("invoice", "act")
MONEY_IN = ("bank_in", "cash_in")
DEFAULT_ACCOUNT = {"bank_in": "62.01", "cash_in": "62.01", "bank_out": "60.01",
                   "cash_out": "60.01", "purchase_services": "26"}
"""The correspondent account a new document starts with (the user may type another)."""
DEFAULT_UNIT = "шт"
"""A line's unit when none is typed (a word of the document, not of the interface)."""
CODE_FIELDS = {"doc.number_taken": "number", "ledger.period_closed": "day",
               "ledger.unknown_account": "account", "ledger.unknown_counterparty": "counterparty",
               "doc.zero_total": "lines"}
"""The field a server refusal is about: the cursor goes there, the reason beside it."""
VAT_BY_MODE = {"none": "none", "usn_5": "5", "usn_7": "7"}
VAT_WORDS = {"без": "none", "без ндс": "none", "нет": "none", "none": "none", "no": "none",
             "-": "none", "—": "none"}


# --- small helpers --------------------------------------------------------------------


def type_short(doc_type: str) -> str:
    return t(f"docs.short.{doc_type}")


def type_name(doc_type: str) -> str:
    return t(f"docs.type.{doc_type}")


def state_name(state: str, doc_type: str = "", payment_state: str | None = None, *,
               short: bool = False) -> str:
    """An invoice makes no postings: once saved for good it is «выставлен», not «проведён»;
    once payments naming it arrive, «оплачен частично» or «оплачен»."""
    if doc_type == "invoice" and state == "posted":
        if payment_state in ("partial", "paid"):
            return t(f"docs.state.{payment_state}" + ("_short" if short else ""))
        return t("docs.state.issued")
    return t(f"docs.state.{state}")


def is_line_doc(doc_type: str) -> bool:
    return doc_type in m.LINE_DOC_TYPES


def title_of(doc: m.DocumentOut) -> str:
    return calc.document_title(doc.type, doc.number, doc.date)


def rate_text(rate: str) -> str:
    """What the VAT box shows: ``без`` or the per cent figure."""
    return t("docs.vat_none") if rate == "none" else rate


def parse_rate(text: str) -> str:
    """``без``, ``22``, ``22 %`` → a VatRate; anything else raises InvalidInput."""
    value = text.strip().lower().rstrip("%").strip()
    if value in ("", *VAT_WORDS):
        return "none"
    if value in calc.VAT_RATES:
        return value
    raise InvalidInput("docs.bad_vat")


def next_rate(text: str) -> str:
    """The rate after the one typed, in the order of VAT_RATES (wrapping round)."""
    try:
        index = calc.VAT_RATES.index(parse_rate(text))
    except InvalidInput:
        index = -1
    return calc.VAT_RATES[(index + 1) % len(calc.VAT_RATES)]


def default_rate(vat_mode: str, day: date) -> str:
    """A new line's VAT rate for the organisation's VAT mode (22 % from 2026, 20 % before)."""
    if vat_mode == "general":
        return "22" if day.year >= 2026 else "20"
    return VAT_BY_MODE.get(vat_mode, "none")


def parse_quantity(text: str) -> Decimal:
    """``2``, ``1,5``, ``0.125``: positive, up to 3 decimals; else InvalidInput."""
    value = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        quantity = Decimal(value)
    except InvalidOperation:
        raise InvalidInput("doc.quantity") from None
    if not quantity.is_finite() or quantity <= 0 or quantity != quantity.quantize(calc.MILLI):
        raise InvalidInput("doc.quantity")
    return quantity


def parse_price(text: str) -> Decimal:
    """A line's price: blank is 0; negative, or over the money limit, is refused, each in
    its own words (a too-big price is «слишком большая», not «не меньше нуля»)."""
    price = parse_amount(text) if text.strip() else Decimal("0.00")
    if price < 0:
        raise InvalidInput("doc.price")
    if not within_money_max(price):
        raise InvalidInput("doc.price_max", max=MONEY_MAX_TEXT)
    return price


def parse_number(text: str) -> int | None:
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 999_999:
        raise InvalidInput("docs.bad_number")
    return int(value)


def pdf_name(doc: m.DocumentOut) -> str:
    """«Счёт_12_2026-03-05.pdf»."""
    short = type_short(doc.type).replace(" ", "_").replace("/", "_")
    return f"{short}_{doc.number}_{doc.date.isoformat()}.pdf"


async def save_pdf(api: ApiClient, org_id: str, doc: m.DocumentOut) -> Path:
    """Fetch the printable form and write it to the export folder; the file's path."""
    content = await api.documents.pdf(org_id, doc.id)
    path = export_dir() / pdf_name(doc)

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise ApiError(0, "docs.export_failed",
                       t("docs.export_failed", path=str(path), error=os_error_text(exc))) \
            from exc
    return path



# --- cancel dialog --------------------------------------------------------------------


def cancel_dialog(doc: m.DocumentOut) -> ReasonDialog:
    """Why the document is cancelled (its postings are reversed by the server)."""
    hint = t("docs.cancel_hint") if doc.state == "posted" and doc.entry_id else None
    return ReasonDialog(t("docs.cancel_title", title=title_of(doc), amount=money(doc.total)),
                        t("docs.cancel"), hint)



def totals_text(total: Decimal, vat: Decimal, vat_included: bool, no_vat: bool = False) -> str:
    """``Итого: 2 500,00 ₽ · в т.ч. НДС: 450,82 ₽`` («НДС сверху» when added on top,
    «без НДС» when no line has a rate)."""
    if no_vat:
        return f"{t('docs.total')}: {money(total)} · {t('docs.no_vat')}"
    key = "docs.vat_in" if vat_included else "docs.vat_on_top"
    return f"{t('docs.total')}: {money(total)} · {t(key)}: {money(vat)}"


class DocumentPosted(Done[m.DocumentOut]):
    """A draft was posted."""


class DocumentCancelled(Done[m.DocumentOut]):
    """A document was cancelled (its postings reversed)."""


class PdfSaved(Done[Path]):
    """The document's PDF was saved there."""
