"""Provides the outgoing payment orders (платёжные поручения) and their export to the bank.

Rules kept here, whatever the client sends:
- orders are numbered per organisation and calendar year: an empty number takes the next
  one (the largest + 1), a typed one must be free (409 ``pay.number_taken``);
- the payer is one of the organisation's bank accounts (its first one when none is chosen);
  the payee is filled from the counterparty's card where the payee fields are empty, and
  its requisites are checked (ИНН, КПП, БИК, account and к/с against the БИК, Treasury
  requisites included) — 422 ``pay.payee_invalid`` / ``pay.payee_missing``;
- a tax order ("tax") gets the ЕНП defaults where its fields are empty (Казначейство России
  (ФНС России), КБК 18201061201010000510, status 01 for an ООО / 13 for an ИП, 106–109
  ``0``) and needs a 20-digit КБК, an 8- or 11-digit ОКТМО and a status;
- every text must be writable in cp1251 (the exchange file's encoding);
- an exported order is never deleted (409 ``pay.exported``);
- every write lands in the audit log.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from core import identifiers as ids
from core.money import amount_in_words, format_amount, from_kopecks, to_kopecks
from core.validation import InvalidInput
from server.db.models import BankAccount, Counterparty, Employee, Organisation, PaymentOrder
from server.domain import bank_exchange as bx
from server.domain.roles import Perm, allows
from server.services import audit, numbering
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.paging import decode_cursor_value, encode_cursor_value

T = TypeVar("T")
_AUTO_NUMBER_TRIES = 3

# The ЕНП (единый налоговый платёж) payee: Казначейство России (ФНС России), reference §7
# and §8; the bank is the ТОФК holding the single treasury account.
ENP_PAYEE = {
    "payee_name": "Казначейство России (ФНС России)",
    "payee_inn": "7727406020",
    "payee_kpp": "770801001",
    "payee_account": "03100643000000018500",
    "payee_bik": "017003983",
    "payee_corr_account": "40102810445370000059",
    "payee_bank": "ОКЦ № 7 ГУ Банка России по ЦФО//УФК по Тульской области, г. Тула",
}
ENP_KBK = "18201061201010000510"
# Field 101 (статус составителя): 01 for a legal entity, 13 for an ИП. UNCONFIRMED (the
# reference marks the codes as not checked against приказ Минфина 107н).
ENP_STATUS = {"ooo": "01", "ip": "13"}
ENP_ZERO = "0"  # fields 106–109 of an ЕНП order

# The injury contributions (НС и ПЗ, 125-ФЗ ст. 22) are not part of the ЕНП: they go to
# СФР, to the treasury account of the region's ОСФР branch (payee typed: the branch's name,
# ИНН/КПП and account differ by region). UNCONFIRMED (not in the team reference, from the
# СФР pages as remembered): the КБК 797 1 02 12000 06 1000 160 and status 08 («плательщик
# страховых взносов в СФР»); fields 106–109 «0».
SFR_INJURY_KBK = "79710212000061000160"
SFR_INJURY_STATUS = "08"
TREASURY_ACCOUNT_PREFIX = "03100643"
"""A казначейский счёт (payee of a budget payment) starts 03100 + ОКВ 643."""
TREASURY_CORR_PREFIX = "40102"
"""The единый казначейский счёт (field «Сч. №» of the payee's bank) starts 40102."""

INCOME_TYPE_CODES = {"salary": "1"}
"""Field 20 «Наз. пл.» of a payment to a person's account: the code of the income type,
«1» for wages and other income whose recovery is limited by ст. 99 229-ФЗ (ст. 70 ч. 5.1
229-ФЗ; Положение Банка России № 762-П, приложение 1, field 20) [law]."""
INCOME_TYPE_KEY = "КодНазПлатежа"
"""The exchange file's key of field 20 — UNCONFIRMED: the key is in the readers of the
format (reference §7) but its meaning was not read in the format's own specification."""

PAYEE_FIELDS = ("payee_name", "payee_inn", "payee_kpp", "payee_account", "payee_bik",
                "payee_corr_account", "payee_bank")
_TEXT_FIELDS = (*PAYEE_FIELDS, "purpose", "payer_status", "kbk", "oktmo", "basis",
                "tax_period", "doc_number", "doc_date", "uin")
_FIELD_NAMES = {
    "payee_name": "получатель", "payee_inn": "ИНН", "payee_kpp": "КПП",
    "payee_account": "счёт", "payee_bik": "БИК", "payee_corr_account": "корр. счёт",
    "payee_bank": "банк", "purpose": "назначение платежа",
}
_KBK_RE = re.compile(r"^[0-9]{20}$")
_OKTMO_RE = re.compile(r"^(?:0|[0-9]{8}|[0-9]{11})$")  # "0" on an ЕНП order
_STATUS_RE = re.compile(r"^[0-9]{2}$")
_SPACES_RE = re.compile(r"\s+")

FILE_NAME = "1c_to_kl.txt"


def _clean(value: str | None) -> str | None:
    """One line, single spaces; ``""`` → None."""
    if value is None:
        return None
    text = _SPACES_RE.sub(" ", value).strip()
    return text or None


def _number_clash(exc: IntegrityError) -> bool:
    text = str(exc.orig)
    return "uq_payment_orders_org_year_number" in text or "payment_orders.number" in text


@dataclass
class _Order:
    """The typed order after defaults and checks: what is stored."""

    values: dict[str, str | None]
    counterparty: Counterparty | None


@dataclass
class Payments:
    # --- reads -------------------------------------------------------------------

    def page(
        self, db: Session, oc: OrgCtx, *, date_from: date | None, date_to: date | None,
        cursor: str | None, limit: int,
    ) -> m.PaymentOrderPage:
        """Newest first by (date, number, id), keyset-paged."""
        query = select(PaymentOrder).where(PaymentOrder.org_id == oc.org_id)
        if not allows(oc.role, Perm.PAYROLL_READ):  # salary orders name employees
            query = query.where(PaymentOrder.kind != "salary")
        if date_from:
            query = query.where(PaymentOrder.date >= date_from)
        if date_to:
            query = query.where(PaymentOrder.date <= date_to)
        if cursor:
            day_s, num_s, last_id = [*decode_cursor_value(cursor, "p").split("/", 2), "", ""][:3]
            try:
                day, num = date.fromisoformat(day_s), int(num_s)
                uuid.UUID(last_id)
            except ValueError:
                raise ServiceError(422, "validation.cursor") from None
            query = query.where(
                (PaymentOrder.date < day)
                | ((PaymentOrder.date == day) & (PaymentOrder.number < num))
                | ((PaymentOrder.date == day) & (PaymentOrder.number == num)
                   & (PaymentOrder.id < last_id))
            )
        with db.begin():
            rows = db.scalars(
                query.order_by(PaymentOrder.date.desc(), PaymentOrder.number.desc(),
                               PaymentOrder.id.desc()).limit(limit + 1)
            ).all()
            more = len(rows) > limit
            rows = rows[:limit]
            items = [self._out(row) for row in rows]
        last = rows[-1] if rows else None
        return m.PaymentOrderPage(
            items=items,
            next_cursor=encode_cursor_value(f"{last.date.isoformat()}/{last.number}/{last.id}",
                                            "p") if more and last else None,
        )

    # --- writes ------------------------------------------------------------------

    def create(self, db: Session, oc: OrgCtx, data: m.PaymentOrderIn) -> m.PaymentOrderOut:
        """One order in its own transaction (a clash on an automatic number is retried)."""
        def run() -> m.PaymentOrderOut:
            with db.begin():
                return self._create(db, oc, data)

        return self._retrying(run, data)

    def create_many(
        self, db: Session, oc: OrgCtx, orders: Sequence[m.PaymentOrderIn]
    ) -> list[m.PaymentOrderOut]:
        """Several orders at once, all or none (payroll makes its salary and ЕНП orders so).

        Transaction: when ``db`` is already in a transaction (the caller opened
        ``db.begin()``), the orders are made INSIDE it — nothing is committed here, and a
        refusal (ServiceError) or a number clash (IntegrityError) propagates for the caller's
        transaction to roll back. Otherwise the orders are made in a transaction of their own,
        committed here, with a clash on an automatic number retried.
        """
        if db.in_transaction():
            return [self._create(db, oc, data) for data in orders]

        def run() -> list[m.PaymentOrderOut]:
            with db.begin():
                return [self._create(db, oc, data) for data in orders]

        return self._retrying(run, None)

    def delete(self, db: Session, oc: OrgCtx, order_id: str) -> None:
        with db.begin():
            order = self._find(db, oc, order_id, lock=True)
            if order.exported_at is not None:
                raise ServiceError(409, "pay.exported", params={"number": order.number})
            audit.record(db, oc.ctx, "payments.delete", org_id=oc.org_id,
                         object_type="payment_order", object_id=order.id,
                         summary=self._summary(order))
            db.delete(order)

    def export(self, db: Session, oc: OrgCtx, order_ids: Sequence[str]) -> bytes:
        """The chosen orders as a 1CClientBankExchange file (cp1251, CRLF), oldest first;
        marks them exported (an order exported again keeps its first export time)."""
        with db.begin():
            wanted = list(dict.fromkeys(order_ids))
            orders = [self._find(db, oc, order_id, lock=True) for order_id in wanted]
            orders.sort(key=lambda o: (o.date, o.number))
            data = self.exchange_file(orders, oc)
            for order in orders:
                if order.exported_at is None:
                    order.exported_at = oc.ctx.now
            numbers = ", ".join(str(o.number) for o in orders)
            audit.record(db, oc.ctx, "payments.export", org_id=oc.org_id,
                         object_type="payment_order",
                         object_id=orders[0].id if len(orders) == 1 else None,
                         summary=f"Платёжные поручения № {numbers}: {len(orders)} шт.")
        return data

    # --- the exchange file ---------------------------------------------------------

    @staticmethod
    def exchange_file(orders: Sequence[PaymentOrder], oc: OrgCtx) -> bytes:
        local = oc.ctx.now.astimezone()
        header: dict[str, str] = {
            "ВерсияФормата": "1.03",
            "Кодировка": "Windows",
            "Отправитель": "Бухта",
            "ДатаСоздания": bx.format_date(local.date()),
            "ВремяСоздания": local.strftime("%H:%M:%S"),
            "ДатаНачала": bx.format_date(min(o.date for o in orders)),
            "ДатаКонца": bx.format_date(max(o.date for o in orders)),
            "РасчСчет": "\n".join(dict.fromkeys(o.payer_account for o in orders)),
            "Документ": bx.PAYMENT_ORDER,
        }
        return bx.write(header, [order_document(o) for o in orders])

    # --- the steps ---------------------------------------------------------------

    def _retrying(self, run: Callable[[], T], data: m.PaymentOrderIn | None) -> T:
        for attempt in range(_AUTO_NUMBER_TRIES):
            try:
                return run()
            except IntegrityError as exc:
                clash = _number_clash(exc)
                if clash and data is not None and data.number is not None:
                    raise self._taken(data.number, data.date.year) from None
                if attempt == _AUTO_NUMBER_TRIES - 1 or not clash:
                    if clash:
                        raise self._taken(None, data.date.year if data else 0) from None
                    raise
        raise AssertionError("unreachable")

    def _create(self, db: Session, oc: OrgCtx, data: m.PaymentOrderIn) -> m.PaymentOrderOut:
        org = db.get(Organisation, oc.org_id)
        assert org is not None
        bank = self._bank_account(db, oc, data.bank_account_id)
        typed = self._complete(db, oc, org, data)
        year = data.date.year
        # The year's series is locked until commit: a parallel writer waits, then sees
        # this number taken (``server.services.numbering``).
        numbering.lock(db, oc.org_id, numbering.PAYMENT_ORDERS, year)
        if data.number is None:
            with db.no_autoflush:
                number = (db.scalar(select(func.max(PaymentOrder.number)).where(
                    PaymentOrder.org_id == oc.org_id, PaymentOrder.year == year)) or 0) + 1
            numbering.remember(db, oc.org_id, numbering.PAYMENT_ORDERS, year, number)
        else:
            number = data.number
            with db.no_autoflush:
                taken = db.scalar(select(PaymentOrder.id).where(
                    PaymentOrder.org_id == oc.org_id, PaymentOrder.year == year,
                    PaymentOrder.number == number))
            if taken is not None:
                raise self._taken(number, year)
        v = typed.values
        order = PaymentOrder(
            org_id=oc.org_id, kind=data.kind, year=year, number=number, date=data.date,
            amount_kopecks=to_kopecks(data.amount), bank_account_id=bank.id,
            payer_name=org.short_name, payer_inn=org.inn, payer_kpp=org.kpp,
            payer_account=bank.account, payer_bik=bank.bik,
            payer_corr_account=bank.corr_account or None, payer_bank=bank.bank_name,
            counterparty_id=typed.counterparty.id if typed.counterparty else None,
            employee_id=data.employee_id,
            payee_name=v["payee_name"], payee_inn=v["payee_inn"], payee_kpp=v["payee_kpp"],
            payee_account=v["payee_account"], payee_bik=v["payee_bik"],
            payee_corr_account=v["payee_corr_account"], payee_bank=v["payee_bank"],
            purpose=v["purpose"], priority=data.priority,
            payer_status=v["payer_status"], kbk=v["kbk"], oktmo=v["oktmo"], basis=v["basis"],
            tax_period=v["tax_period"], doc_number=v["doc_number"], doc_date=v["doc_date"],
            uin=v["uin"], created_at=oc.ctx.now, created_by=oc.user_id,
        )
        db.add(order)
        db.flush()
        audit.record(db, oc.ctx, "payments.create", org_id=oc.org_id,
                     object_type="payment_order", object_id=order.id,
                     summary=self._summary(order))
        return self._out(order)

    def _complete(
        self, db: Session, oc: OrgCtx, org: Organisation, data: m.PaymentOrderIn
    ) -> _Order:
        """Defaults (counterparty card, ЕНП) and every check of the typed fields."""
        if data.amount <= 0 or data.amount != data.amount.quantize(from_kopecks(1)):
            raise ServiceError(422, "pay.amount")
        v: dict[str, str | None] = {name: _clean(getattr(data, name)) for name in _TEXT_FIELDS}
        cp: Counterparty | None = None
        if data.counterparty_id:
            cp = db.get(Counterparty, data.counterparty_id)
            if cp is None or cp.org_id != oc.org_id:
                raise ServiceError(422, "ledger.unknown_counterparty")
            card = {"payee_name": cp.full_name or cp.name, "payee_inn": cp.inn,
                    "payee_kpp": cp.kpp, "payee_account": cp.account, "payee_bik": cp.bik,
                    "payee_corr_account": cp.corr_account, "payee_bank": cp.bank_name}
            for name, value in card.items():
                v[name] = v[name] or _clean(value)
        if data.employee_id:
            for name, value in self._employee_card(db, oc, data.employee_id).items():
                v[name] = v[name] or _clean(value)
        injury = data.kind == "tax" and data.budget == "sfr_injury"
        if injury:
            v["kbk"] = v["kbk"] or SFR_INJURY_KBK
            v["payer_status"] = v["payer_status"] or SFR_INJURY_STATUS
            if not (v["payee_account"] or "").startswith(TREASURY_ACCOUNT_PREFIX):
                raise ServiceError(422, "pay.sfr_payee", params={"field": "payee_account"})
            if not (v["payee_corr_account"] or "").startswith(TREASURY_CORR_PREFIX):
                raise ServiceError(422, "pay.sfr_payee",
                                   params={"field": "payee_corr_account"})
            if not _OKTMO_RE.fullmatch(v["oktmo"] or "") or v["oktmo"] == ENP_ZERO:
                raise ServiceError(422, "pay.oktmo", params={"field": "oktmo"})
        if data.kind == "tax":
            if not injury:
                for name, value in ENP_PAYEE.items():
                    v[name] = v[name] or value
            v["kbk"] = v["kbk"] or ENP_KBK
            v["payer_status"] = v["payer_status"] or ENP_STATUS.get(org.kind, "01")
            for name in ("basis", "tax_period", "doc_number", "doc_date"):
                v[name] = v[name] or ENP_ZERO
            v["uin"] = v["uin"] or ENP_ZERO
            if not _KBK_RE.fullmatch(v["kbk"] or ""):
                raise ServiceError(422, "pay.kbk")
            if not _OKTMO_RE.fullmatch(v["oktmo"] or ""):
                raise ServiceError(422, "pay.oktmo")
            if not _STATUS_RE.fullmatch(v["payer_status"] or ""):
                raise ServiceError(422, "pay.payer_status")
        for name in ("payee_name", "payee_account", "payee_bik", "payee_bank"):
            if not v[name]:
                raise ServiceError(422, "pay.payee_missing",
                                   params={"field": _FIELD_NAMES[name]})
        self._check_payee(v)
        for name in _TEXT_FIELDS:
            value = v[name]
            if value is not None:
                try:
                    value.encode("cp1251")
                except UnicodeEncodeError:
                    raise ServiceError(422, "pay.not_cp1251",
                                       params={"field": _FIELD_NAMES.get(name, name)}) from None
        return _Order(values=v, counterparty=cp)

    def _check_payee(self, v: dict[str, str | None]) -> None:
        def check(name: str, fn: Callable[[], str]) -> None:
            try:
                v[name] = fn()
            except InvalidInput as exc:
                raise ServiceError(422, "pay.payee_invalid",
                                   params={"field": _FIELD_NAMES[name], "check": exc.key}) from None

        bik = v["payee_bik"] or ""
        check("payee_bik", lambda: ids.check_bik(bik))
        check("payee_account", lambda: ids.check_account(v["payee_account"] or "", bik))
        if v["payee_corr_account"]:
            check("payee_corr_account",
                  lambda: ids.check_corr_account(v["payee_corr_account"] or "", bik))
        if v["payee_inn"]:
            check("payee_inn", lambda: ids.check_inn(v["payee_inn"] or ""))
        if v["payee_kpp"]:
            check("payee_kpp", lambda: ids.check_kpp(v["payee_kpp"] or ""))

    # --- helpers -----------------------------------------------------------------

    def _employee_card(self, db: Session, oc: OrgCtx, employee_id: str) -> dict[str, str | None]:
        """The payee fields from an employee of this organisation: 404 naming the field
        ``employee_id`` for anything else (another organisation's employee included); 403
        for a role that may not read payroll (the card is personal data)."""
        if not allows(oc.role, Perm.PAYROLL_READ):
            raise ServiceError(403, "orgs.forbidden")
        try:
            uuid.UUID(employee_id)
        except ValueError:
            raise ServiceError(404, "pay.unknown_employee",
                               params={"field": "employee_id"}) from None
        e = db.get(Employee, employee_id)
        if e is None or e.org_id != oc.org_id:
            raise ServiceError(404, "pay.unknown_employee", params={"field": "employee_id"})
        return {"payee_name": e.full_name, "payee_inn": e.inn,
                "payee_account": e.bank_account, "payee_bik": e.bank_bik,
                "payee_corr_account": e.bank_corr_account,
                "payee_bank": e.bank_name or (f"БИК {e.bank_bik}" if e.bank_bik else None)}

    def _bank_account(self, db: Session, oc: OrgCtx, account_id: str | None) -> BankAccount:
        if account_id:
            bank = db.get(BankAccount, account_id)
            if bank is None or bank.org_id != oc.org_id:
                raise ServiceError(422, "pay.unknown_bank_account")
            return bank
        bank = db.scalar(select(BankAccount).where(BankAccount.org_id == oc.org_id)
                         .order_by(BankAccount.position, BankAccount.id).limit(1))
        if bank is None:
            raise ServiceError(422, "pay.no_bank_account")
        return bank

    def _find(self, db: Session, oc: OrgCtx, order_id: str, *, lock: bool = False
              ) -> PaymentOrder:
        try:
            uuid.UUID(order_id)
        except ValueError:
            raise ServiceError(404, "pay.not_found") from None
        order = db.get(PaymentOrder, order_id, with_for_update=lock)
        if order is None or order.org_id != oc.org_id:
            raise ServiceError(404, "pay.not_found")
        return order

    def _taken(self, number: int | None, year: int) -> ServiceError:
        return ServiceError(409, "pay.number_taken",
                            params={"number": number if number is not None else "—",
                                    "year": year})

    def _summary(self, order: PaymentOrder) -> str:
        return (f"Платёжное поручение № {order.number} от {bx.format_date(order.date)}, "
                f"{order.payee_name}: {format_amount(from_kopecks(order.amount_kopecks))}")

    def _out(self, o: PaymentOrder) -> m.PaymentOrderOut:
        amount = from_kopecks(o.amount_kopecks)
        return m.PaymentOrderOut(
            id=o.id, kind=o.kind, number=o.number, date=o.date,  # type: ignore[arg-type]
            amount=amount, amount_in_words=amount_in_words(amount),
            bank_account_id=o.bank_account_id, payer_account=o.payer_account,
            counterparty_id=o.counterparty_id, employee_id=o.employee_id,
            payee_name=o.payee_name, payee_inn=o.payee_inn, payee_kpp=o.payee_kpp,
            payee_account=o.payee_account, payee_bik=o.payee_bik,
            payee_corr_account=o.payee_corr_account, payee_bank=o.payee_bank,
            purpose=o.purpose, priority=o.priority, payer_status=o.payer_status, kbk=o.kbk,
            oktmo=o.oktmo, basis=o.basis, tax_period=o.tax_period, doc_number=o.doc_number,
            doc_date=o.doc_date, uin=o.uin, exported_at=o.exported_at,
            created_at=o.created_at, posted_entry_id=o.posted_entry_id,
            income_type_code=INCOME_TYPE_CODES.get(o.kind),
        )


def _side(prefix: str, name: str, inn: str | None, kpp: str | None, account: str,
          bank: str, bik: str, corr: str | None) -> dict[str, str]:
    return {
        f"{prefix}Счет": account,
        prefix: f"ИНН {inn} {name}" if inn else name,
        f"{prefix}ИНН": inn or "",
        f"{prefix}КПП": kpp or "",
        f"{prefix}1": name,
        f"{prefix}РасчСчет": account,
        f"{prefix}Банк1": bank,
        f"{prefix}БИК": bik,
        f"{prefix}Корсчет": corr or "",
    }


def order_document(o: PaymentOrder) -> bx.BankDocument:
    """A stored order as the «Платежное поручение» section of the exchange file."""
    fields: dict[str, str] = {
        "Номер": str(o.number),
        "Дата": bx.format_date(o.date),
        "Сумма": bx.format_amount(from_kopecks(o.amount_kopecks)),
        **_side("Плательщик", o.payer_name, o.payer_inn, o.payer_kpp, o.payer_account,
                o.payer_bank, o.payer_bik, o.payer_corr_account),
        **_side("Получатель", o.payee_name, o.payee_inn, o.payee_kpp, o.payee_account,
                o.payee_bank, o.payee_bik, o.payee_corr_account),
        "ВидОплаты": "01",
        "Очередность": str(o.priority),
        "НазначениеПлатежа": o.purpose,
        INCOME_TYPE_KEY: INCOME_TYPE_CODES.get(o.kind, ""),
    }
    if o.kind == "tax":
        fields.update({
            "СтатусСоставителя": o.payer_status or "",
            "ПоказательКБК": o.kbk or "",
            "ОКАТО": o.oktmo or "",
            "ПоказательОснования": o.basis or ENP_ZERO,
            "ПоказательПериода": o.tax_period or ENP_ZERO,
            "ПоказательНомера": o.doc_number or ENP_ZERO,
            "ПоказательДаты": o.doc_date or ENP_ZERO,
            "Код": o.uin or ENP_ZERO,
        })
    return bx.BankDocument(kind=bx.PAYMENT_ORDER, fields={k: v for k, v in fields.items() if v})
