"""Provides the staging of a statement: the upload as read, the file's documents as draft
lines (a transfer between two of our accounts is two), their dedupe keys, and the look-ups
of what the organisation already holds (posted keys, counterparties by ИНН)."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from core.money import MONEY_MAX, to_kopecks, within_money_max
from core.validation import DATE_MAX, DATE_MIN
from server import i18n
from server.db.models import (
    BankImportLine,
    Counterparty,
)
from server.services.errors import ServiceError

MAX_FILE = 16 * 1024 * 1024
"""The largest statement accepted, uncompressed (``Settings.statement_max_inflated_bytes``
is what the server passes)."""


CHUNK = 500
"""Values per ``IN (…)`` list on a database other than SQLite and PostgreSQL."""

PG_CHUNK = 10_000
"""Values per look-up on PostgreSQL and SQLite, in one parameter (``_among``): each look-up
is a scan of the organisation's lines, so a 10 000-line statement is one query, not 20
(2.7 s → 0.2 s to find a re-uploaded statement's duplicates)."""


L = BankImportLine.__table__


def read_upload(body: bytes, encoding: str | None, limit: int = MAX_FILE) -> bytes:
    """The file as uploaded: gzip-compressed when ``Content-Encoding: gzip`` (the client
    always compresses: a statement shrinks tenfold), never more than ``limit`` bytes once
    inflated: the inflating stops at ``limit + 1`` bytes (a gzip bomb is refused without
    being inflated whole)."""
    if (encoding or "").strip().lower() != "gzip":
        if len(body) > limit:
            raise ServiceError(413, "bank.too_large", params={"limit": limit})
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        data = inflater.decompress(body, limit + 1)
    except (zlib.error, gzip.BadGzipFile):
        raise ServiceError(422, "bank.file", params={"line": 0, "reason": "gzip"}) from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise ServiceError(413, "bank.too_large", params={"limit": limit})
    return data


class Draft(TypedDict):
    """One line before it is stored: what the file says (the staged columns' names and
    values, the proposal not yet made) and three facts for the proposal. A plain dict of
    plain values: the cyclic collector never tracks it, so 10 000 of them cost no
    collector passes (an object per line did)."""

    no: int
    line: int
    kind: str
    date: date
    number: str | None
    direction: str
    amount_kopecks: int
    bank_account: str
    cp_name: str
    cp_inn: str | None
    cp_kpp: str | None
    cp_account: str | None
    cp_bik: str | None
    cp_corr_account: str | None
    cp_bank: str | None
    purpose: str
    kbk: str | None
    own_transfer: bool
    ours: bool


def _day(value: str | None) -> date | None:
    """``dd.mm.yyyy`` (already checked by the parser) without ``strptime``'s cost."""
    if not value:
        return None
    return date(int(value[6:10]), int(value[3:5]), int(value[0:2]))


_INN_PREFIX = re.compile(r"^\s*ИНН\s*\d{10,12}\s*", re.IGNORECASE)


def _name(value: str | None) -> str:
    """«ИНН 7707083893 ПАО Сбербанк» → «ПАО Сбербанк» (the one-line form of the file)."""
    return _INN_PREFIX.sub("", value or "").strip()[:300] or "—"


def _opt(value: Any, length: int) -> str | None:
    text = (value or "").strip() if isinstance(value, str) else value
    return str(text)[:length] if text else None


def _cut(value: str | None, length: int) -> str | None:
    """``_opt`` for a value as the parser keeps it (stripped, never empty)."""
    return value[:length] if value else None


_MAX_KOPECKS = to_kopecks(MONEY_MAX)


def _plain_kopecks(text: str | None) -> int | None:
    """``"1234.5"`` → 123450 for the plain form a statement's amounts have (ASCII digits,
    at most two decimals, at most 15 digits before the dot: 10^15 kopecks is past any
    limit anyway); None for anything else, left to ``_kopecks``."""
    if not text or not text.isascii():
        return None
    whole, dot, frac = text.partition(".")
    if not whole.isdigit() or len(whole) > 15:
        return None
    if not dot:
        return int(whole) * 100
    if not frac.isdigit() or len(frac) > 2:
        return None
    return int(whole) * 100 + int(frac) * (10 if len(frac) == 1 else 1)


def _kopecks(amount: Decimal | None, line: int, lang: str) -> int:
    """A document's amount in kopecks, or 422 ``bank.file``: past the API's one money
    limit (a 10^22 ₽ line is a broken file, not a 500 from the kopeck conversion), or not
    a positive amount of whole kopecks."""
    if amount is not None and amount.is_finite() and not within_money_max(amount):
        raise ServiceError(422, "bank.file", params={
            "line": line, "reason": i18n.text("bank.reason.amount_limit", lang)})
    if (amount is None or not amount.is_finite() or amount <= 0
            or amount != amount.quantize(Decimal("0.01"))):
        raise ServiceError(422, "bank.file", params={
            "line": line, "reason": i18n.text("bank.reason.bad_amount", lang)})
    return to_kopecks(amount)


_SIDE_KEYS = {side: tuple(side + k for k in ("ИНН", "КПП", "Счет", "РасчСчет", "БИК",
                                              "Корсчет", "Банк1"))
              for side in ("Плательщик", "Получатель")}
"""A side's keys, made once (not one string concatenation and hash per line and key)."""


def drafts(ef: Any, ours: set[str], lang: str) -> list[Draft]:
    """The statement's documents as lines (a transfer between our accounts is two)."""
    in_file = {a.account for a in ef.accounts}
    out: list[Draft] = []
    # Names and dates repeat across a statement's lines (a few hundred counterparties and
    # days for 10 000 lines): each distinct one made once.
    names: dict[str | None, str] = {}
    days: dict[str | None, date | None] = {}
    for doc in ef.documents:
        payer_account, payee_account = doc.payer_account, doc.payee_account
        payer_ours = payer_account in ours
        payee_ours = payee_account in ours
        sides: list[tuple[str, bool]] = []
        if payer_ours:
            sides.append(("out", True))
        if payee_ours:
            sides.append(("in", True))
        if not sides:
            sides.append(("out" if payer_account in in_file else "in", False))
        kopecks = _plain_kopecks(doc.fields.get("Сумма"))
        if kopecks is None:  # not plain digits: the Decimal checks say what is wrong
            kopecks = _kopecks(doc.amount, doc.line, lang)
        elif kopecks > _MAX_KOPECKS:
            raise ServiceError(422, "bank.file", params={
                "line": doc.line, "reason": i18n.text("bank.reason.amount_limit", lang)})
        elif kopecks <= 0:
            raise ServiceError(422, "bank.file", params={
                "line": doc.line, "reason": i18n.text("bank.reason.bad_amount", lang)})
        purpose = (doc.purpose or "").strip()
        for direction, is_ours in sides:
            when = doc.get("ДатаСписано" if direction == "out" else "ДатаПоступило") \
                or doc.get("Дата")
            try:
                day = days[when]
            except KeyError:
                day = days[when] = _day(when)
            if day is None:
                raise ServiceError(422, "bank.file", params={
                    "line": doc.line, "reason": i18n.text("bank.reason.no_date", lang)})
            if not DATE_MIN <= day <= DATE_MAX:  # the books' one range of dates
                raise ServiceError(422, "bank.file", params={
                    "line": doc.line, "reason": i18n.text("bank.reason.date_range", lang)})
            # The other side's keys read straight from the document's fields (the
            # parser keeps values stripped and leaves empty ones out): the same values
            # as BankDocument's payer_*/payee_* properties, without their calls.
            side = "Получатель" if direction == "out" else "Плательщик"
            inn_k, kpp_k, acc_k, rs_k, bik_k, corr_k, bank_k = _SIDE_KEYS[side]
            f = doc.fields
            raw_name = doc._side_name(side)
            try:
                name = names[raw_name]
            except KeyError:
                name = names[raw_name] = _name(raw_name)
            out.append({
                "no": len(out) + 1, "line": doc.line, "kind": (doc.kind or "")[:60],
                "date": day, "number": _opt(doc.number, 20), "direction": direction,
                "amount_kopecks": kopecks,
                "bank_account": (payer_account if direction == "out" else payee_account)
                or "",
                "cp_name": name, "cp_inn": _cut(f.get(inn_k), 12),
                "cp_kpp": _cut(f.get(kpp_k), 9),
                "cp_account": _cut(f.get(acc_k) or f.get(rs_k), 20),
                "cp_bik": _cut(f.get(bik_k), 9),
                "cp_corr_account": _cut(f.get(corr_k), 20),
                "cp_bank": _cut(f.get(bank_k), 300), "purpose": purpose,
                "kbk": _cut(f.get("ПоказательКБК"), 20),
                "own_transfer": payer_ours and payee_ours, "ours": is_ours,
            })
    return out


def section_of(a: Any) -> dict[str, Any]:
    def k(v: Decimal | None) -> int | None:
        return None if v is None else to_kopecks(v)

    return {"account": a.account, "line": a.line,
            "date_from": a.date_from.isoformat() if a.date_from else None,
            "date_to": a.date_to.isoformat() if a.date_to else None,
            "opening": k(a.opening), "credited": k(a.credited), "debited": k(a.debited),
            "closing": k(a.closing)}


def line_key(r: Mapping[str, Any]) -> str:
    """A line's dedupe key: account, date, number, amount, direction, counterparty ИНН."""
    return "|".join((r["bank_account"], r["date"].isoformat(), r["number"] or "",
                     str(r["amount_kopecks"]), r["direction"], r["cp_inn"] or ""))


def _chunks(db: Session, values: Iterable[Any]) -> Iterable[list[Any]]:
    size = PG_CHUNK if db.get_bind().dialect.name in ("postgresql", "sqlite") else CHUNK
    items = sorted(set(values))
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _among(db: Session, column: Any, part: list[str]) -> Any:
    """``column`` is one of ``part``, with one bound parameter, not thousands of values
    to render, bind and plan: ``= ANY(%s::VARCHAR[])`` on PostgreSQL, ``IN (SELECT value
    FROM json_each(?))`` on SQLite (a JSON array), ``IN (…)`` elsewhere."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(bindparam("among", part, type_=ARRAY(String), unique=True))
    if dialect == "sqlite":
        values = func.json_each(bindparam("among", json.dumps(part), unique=True))
        return column.in_(select(values.table_valued("value").c.value))
    return column.in_(part)


def posted_keys(db: Session, org_id: str, keys: Iterable[str]) -> dict[str, str | None]:
    """Dedupe keys already posted in the organisation → the entry of each."""
    found: dict[str, str | None] = {}
    for part in _chunks(db, keys):
        for row in db.execute(select(L.c.dedupe_key, L.c.entry_id)
                              .where(L.c.org_id == org_id,
                                     _among(db, L.c.dedupe_key, part))):
            found[row.dedupe_key] = row.entry_id
    return found


def counterparties_by_inn(db: Session, org_id: str,
                           inns: Iterable[str]) -> dict[str, str]:
    """ИНН → counterparty id (the active one first, then the oldest), in one query per
    ``CHUNK`` ИНН."""
    found: dict[str, str] = {}
    for part in _chunks(db, inns):
        rows = db.execute(
            select(Counterparty.id, Counterparty.inn)
            .where(Counterparty.org_id == org_id, _among(db, Counterparty.inn, part))
            .order_by(Counterparty.archived, Counterparty.created_at, Counterparty.id))
        for row in rows:
            found.setdefault(row.inn, row.id)
    return found
