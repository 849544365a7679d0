"""Provides the counterparty use cases: the list with search, the card, archive and restore.

Rules kept here, whatever the client sends:
- the same ИНН+КПП appears once per organisation, archived ones included
  (409 ``counterparties.duplicate``); the database refuses it too;
- nothing is deleted (documents refer to counterparties): archiving hides one
  from the everyday list, restoring brings it back;
- the list is sorted by name, case-insensitively, and searched by a fragment of the
  name or, when the query is digits, by the beginning of the ИНН.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from server.db.models import Counterparty
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.paging import decode_cursor_value, encode_cursor_value

KIND_NAMES = {"org": "организация", "ip": "ИП", "person": "физлицо"}


def fold(text: str) -> str:
    """The searchable form of a name: case-folded in Python (SQLite's lower() folds ASCII
    only) and with ё read as е, as people type it."""
    return text.casefold().replace("ё", "е")


def _digits(text: str) -> str | None:
    """The query as ИНН digits ("7707 08" → "770708"), or None when it is not digits."""
    digits = "".join(text.split())
    return digits if digits and digits.isascii() and digits.isdigit() else None


def _inn_kpp(inn: str | None, kpp: str | None) -> str | None:
    """The uniqueness key: ``ИНН/КПП`` (``ИНН/`` without a КПП); None without an ИНН."""
    return f"{inn}/{kpp or ''}" if inn else None


def _apply(cp: Counterparty, data: m.CounterpartyIn) -> None:
    cp.kind = data.kind
    cp.name = data.name
    cp.name_folded = fold(data.name)
    cp.full_name = data.full_name
    cp.inn = data.inn
    cp.kpp = data.kpp
    cp.inn_kpp = _inn_kpp(data.inn, data.kpp)
    cp.address = data.address
    cp.phone = data.phone
    cp.email = data.email
    cp.bik = data.bik
    cp.account = data.account
    cp.corr_account = data.corr_account
    cp.bank_name = data.bank_name
    cp.contract = data.contract


def _fields(cp: Counterparty) -> dict[str, str]:
    """The card as the audit log compares it (before and after a change)."""
    return {
        "вид": KIND_NAMES.get(cp.kind, cp.kind or ""),
        "наименование": cp.name or "",
        "полное наименование": cp.full_name or "",
        "ИНН": cp.inn or "",
        "КПП": cp.kpp or "",
        "адрес": cp.address or "",
        "телефон": cp.phone or "",
        "почта": cp.email or "",
        "банк": "/".join(x for x in (cp.bik, cp.account, cp.corr_account) if x)
                + (f" {cp.bank_name}" if cp.bank_name else ""),
        "договор": cp.contract or "",
        "в архиве": "да" if cp.archived else "нет",
    }


def _out(cp: Counterparty) -> m.CounterpartyOut:
    return m.CounterpartyOut(
        id=cp.id, kind=cp.kind, name=cp.name, full_name=cp.full_name,  # type: ignore[arg-type]
        inn=cp.inn, kpp=cp.kpp, address=cp.address, phone=cp.phone, email=cp.email,
        bik=cp.bik, account=cp.account, corr_account=cp.corr_account, bank_name=cp.bank_name,
        contract=cp.contract, archived=cp.archived, created_at=cp.created_at,
        updated_at=cp.updated_at,
    )


@dataclass
class Counterparties:
    def page(
        self, db: Session, oc: OrgCtx, *, q: str | None, archived: bool, cursor: str | None,
        limit: int,
    ) -> m.CounterpartyPage:
        """One page sorted by name; ``archived`` lists the archive instead of the active ones."""
        query = select(Counterparty).where(Counterparty.org_id == oc.org_id,
                                           Counterparty.archived.is_(archived))
        text = (q or "").strip()
        if text:
            digits = _digits(text)
            if digits is not None:
                query = query.where(Counterparty.inn.startswith(digits, autoescape=True))
            else:
                query = query.where(Counterparty.name_folded.contains(fold(text),
                                                                      autoescape=True))
        with db.begin():
            if cursor:
                # By (folded name, id): the cursor names the last row of the previous page.
                after = db.get(Counterparty, decode_cursor_value(cursor, "c"))
                if after is None or after.org_id != oc.org_id:
                    raise ServiceError(422, "validation.cursor")
                query = query.where(
                    (Counterparty.name_folded > after.name_folded)
                    | ((Counterparty.name_folded == after.name_folded)
                       & (Counterparty.id > after.id))
                )
            rows = db.scalars(
                query.order_by(Counterparty.name_folded, Counterparty.id).limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = [_out(cp) for cp in rows]
        return m.CounterpartyPage(
            items=items,
            next_cursor=encode_cursor_value(rows[-1].id, "c") if more and rows else None,
        )

    def get(self, db: Session, oc: OrgCtx, counterparty_id: str) -> m.CounterpartyOut:
        with db.begin():
            return _out(self._find(db, oc, counterparty_id))

    def create(self, db: Session, oc: OrgCtx, data: m.CounterpartyIn) -> m.CounterpartyOut:
        try:
            with db.begin():
                cp = Counterparty(org_id=oc.org_id, archived=False, created_at=oc.ctx.now,
                                  updated_at=oc.ctx.now)
                before = _fields(cp)
                _apply(cp, data)
                self._check_unique(db, oc, cp)
                db.add(cp)
                db.flush()
                audit.record(db, oc.ctx, "counterparties.create", org_id=oc.org_id,
                             object_type="counterparty", object_id=cp.id,
                             summary=audit.changes(before, _fields(cp)))
                return _out(cp)
        except IntegrityError:
            # Another request took the same ИНН+КПП between the check and the insert.
            raise self._duplicate(db, oc, data) from None

    def update(
        self, db: Session, oc: OrgCtx, counterparty_id: str, data: m.CounterpartyIn
    ) -> m.CounterpartyOut:
        try:
            with db.begin():
                cp = self._find(db, oc, counterparty_id, lock=True)
                before = _fields(cp)
                _apply(cp, data)
                self._check_unique(db, oc, cp)
                after = _fields(cp)
                if after != before:
                    cp.updated_at = oc.ctx.now
                db.flush()
                audit.record(db, oc.ctx, "counterparties.update", org_id=oc.org_id,
                             object_type="counterparty", object_id=cp.id,
                             summary=f"{cp.name}: {audit.changes(before, after)}")
                return _out(cp)
        except IntegrityError:
            raise self._duplicate(db, oc, data) from None

    def archive(self, db: Session, oc: OrgCtx, counterparty_id: str) -> m.CounterpartyOut:
        return self._set_archived(db, oc, counterparty_id, True)

    def restore(self, db: Session, oc: OrgCtx, counterparty_id: str) -> m.CounterpartyOut:
        return self._set_archived(db, oc, counterparty_id, False)

    def _set_archived(
        self, db: Session, oc: OrgCtx, counterparty_id: str, archived: bool
    ) -> m.CounterpartyOut:
        with db.begin():
            cp = self._find(db, oc, counterparty_id, lock=True)
            if cp.archived != archived:  # archiving twice changes (and logs) nothing
                before = _fields(cp)
                cp.archived = archived
                cp.updated_at = oc.ctx.now
                audit.record(db, oc.ctx,
                             "counterparties.archive" if archived else "counterparties.restore",
                             org_id=oc.org_id, object_type="counterparty", object_id=cp.id,
                             summary=f"{cp.name}: {audit.changes(before, _fields(cp))}")
            return _out(cp)

    def _find(
        self, db: Session, oc: OrgCtx, counterparty_id: str, *, lock: bool = False
    ) -> Counterparty:
        cp = db.get(Counterparty, counterparty_id, with_for_update=lock)
        if cp is None or cp.org_id != oc.org_id:
            raise ServiceError(404, "counterparties.not_found")
        return cp

    def _check_unique(self, db: Session, oc: OrgCtx, cp: Counterparty) -> None:
        if cp.inn_kpp is None:
            return
        query = select(Counterparty.name).where(Counterparty.org_id == oc.org_id,
                                                Counterparty.inn_kpp == cp.inn_kpp)
        if cp.id is not None:
            query = query.where(Counterparty.id != cp.id)
        with db.no_autoflush:
            taken = db.scalar(query)
        if taken is not None:
            raise ServiceError(409, "counterparties.duplicate", params={"name": taken})

    def _duplicate(self, db: Session, oc: OrgCtx, data: m.CounterpartyIn) -> ServiceError:
        """The refusal for a write the database turned down (after its transaction ended)."""
        key = _inn_kpp(data.inn, data.kpp)
        with db.begin():
            taken = db.scalar(select(Counterparty.name).where(Counterparty.org_id == oc.org_id,
                                                              Counterparty.inn_kpp == key))
        return ServiceError(409, "counterparties.duplicate", params={"name": taken or "—"})
