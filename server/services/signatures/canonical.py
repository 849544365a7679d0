"""Provides the canonical bytes of a document version: what a signature is made over.

Choice: an exact canonical serialisation, not the printable PDF. The PDF is rendered by
fpdf2 with embedded fonts and metadata: a library upgrade, a font fix or a different
creation date changes its bytes while the document stays the same, and every earlier
signature would stop matching. The canonical form depends on our code only:

- UTF-8 JSON with sorted keys, no spaces (``separators=(",", ":")``), no ASCII escaping;
- money and quantities as decimal strings (``"3703.50"``, ``"1.5"``), never numbers;
- ``format`` names the layout (``buhta-document/1``): a later layout gets a new name and
  old signatures keep verifying against the bytes they were made over (kept with them);
- the document's id and the organisation's ИНН are inside, so a signature moved to
  another document (even one with the same lines) does not match it;
- the state (draft / posted / cancelled) and timestamps are not: posting a signed draft
  is not a change of what was signed; any change of the fields, lines, amounts or the
  counterparty's name, ИНН or КПП is, and leaves earlier signatures ``outdated``.

The SHA-256 of these bytes is the document version's hash.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from core import contract as m
from core.contract import signatures as sm


def canonical_bytes(org: dict[str, Any], doc: m.DocumentOut,
                    counterparty: dict[str, Any] | None) -> bytes:
    body = {
        "format": sm.CANONICAL_FORMAT,
        "organisation": {"inn": org["inn"], "kpp": org.get("kpp"), "name": org["name"]},
        "document": {
            "id": doc.id,
            "type": doc.type,
            "number": doc.number,
            "date": doc.date.isoformat(),
            "counterparty": counterparty,
            "contract": doc.contract,
            "basis": doc.basis,
            "vat_included": doc.vat_included,
            "vat_rate": doc.vat_rate,
            "purpose": doc.purpose,
            "account": doc.account,
            "lines": [
                {"name": x.name, "quantity": str(x.quantity), "unit": x.unit,
                 "price": str(x.price), "vat_rate": x.vat_rate, "amount": str(x.amount),
                 "vat": str(x.vat)}
                for x in doc.lines
            ],
            "total": str(doc.total),
            "vat_total": str(doc.vat_total),
        },
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
