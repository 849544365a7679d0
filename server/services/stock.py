"""Provides stock by item: the номенклатура, warehouses, the stock setting, the moves that
posted documents make, and the stock report on any date.

Rules kept here (``server.domain.stock`` has the arithmetic):
- an item and a warehouse belong to one organisation (422 ``stock.unknown_item`` /
  ``stock.unknown_warehouse`` for a line naming another's); a line without a warehouse
  goes to the default one, «Основной склад», made on first use;
- posting a поступление товаров adds each item line's quantity and its cost on 41.01;
  posting a реализация takes each item line out at the moving average of the stock on
  the sale's day (ФСБУ 5/2019 п. 36) and adds Дт 90.02 Кт 41.01 for the cost to the
  sale's own entry, so the books and the stock move in one transaction;
- a sale of more than is held is refused (409 ``stock.short`` with the item and the
  quantities) or, when the organisation's setting says ``warn``, posted with a warning;
- cancelling a document removes its moves (its entry, the cost included, is reversed by
  the documents service).
Lines without an item (every document made before items existed) never touch the stock.
A receipt dated before a sale already posted does not re-cost that sale (as a sale is
costed when posted); a re-post after cancelling does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core import contract as m
from core import documents as d
from core.money import from_kopecks
from server import i18n
from server.db.models import (
    Document,
    DocumentLine,
    Organisation,
    StockItem,
    StockMove,
    StockSettingsRow,
    Warehouse,
)
from server.domain import posting_rules as rules
from server.domain import stock as rules_stock
from server.domain.query import fold
from server.services import audit
from server.services.context import OrgCtx
from server.services.errors import ServiceError
from server.services.ledger import check_book_dates

DEFAULT_WAREHOUSE = "Основной склад"
STOCK_TYPES = ("purchase_goods", "sale_goods")
"""The documents that move stock (their item lines)."""


def quantity_text(milli: int) -> str:
    """Thousandths as people write them: ``5``, ``1,5``."""
    return d.quantity_text(_qty(milli))


def _qty(milli: int) -> Decimal:
    return (Decimal(milli) / 1000).quantize(d.MILLI)


@dataclass
class StockPlan:
    """What posting a document does to the stock: extra postings and the moves."""

    postings: list[rules.PlannedPosting]
    moves: list[StockMove]
    warnings: list[str]


class Stock:
    # --- items ------------------------------------------------------------------------

    def items(self, db: Session, oc: OrgCtx, *, archived: bool = False) -> m.ItemList:
        with db.begin():
            rows = db.scalars(select(StockItem).where(StockItem.org_id == oc.org_id,
                                                      StockItem.archived.is_(archived))
                              .order_by(StockItem.name_folded)).all()
            return m.ItemList(items=[self._item_out(x) for x in rows])

    def create_item(self, db: Session, oc: OrgCtx, data: m.ItemIn) -> m.ItemOut:
        try:
            with db.begin():
                item = StockItem(org_id=oc.org_id, created_at=oc.ctx.now)
                self._fill(item, data)
                db.add(item)
                db.flush()
                audit.record(db, oc.ctx, "stock.item_create", org_id=oc.org_id,
                             object_type="stock_item", object_id=item.id,
                             summary=f"{item.name} ({item.unit})")
                return self._item_out(item)
        except IntegrityError:
            raise ServiceError(409, "stock.item_taken", params={"name": data.name}) from None

    def update_item(self, db: Session, oc: OrgCtx, item_id: str, data: m.ItemIn) -> m.ItemOut:
        try:
            with db.begin():
                item = db.get(StockItem, item_id)
                if item is None or item.org_id != oc.org_id:
                    raise ServiceError(404, "stock.item_not_found")
                before = f"{item.name} ({item.unit})"
                self._fill(item, data)
                db.flush()
                audit.record(db, oc.ctx, "stock.item_update", org_id=oc.org_id,
                             object_type="stock_item", object_id=item.id,
                             summary=f"{before} → {item.name} ({item.unit})")
                return self._item_out(item)
        except IntegrityError:
            raise ServiceError(409, "stock.item_taken", params={"name": data.name}) from None

    def _fill(self, item: StockItem, data: m.ItemIn) -> None:
        item.name = data.name
        item.name_folded = fold(data.name)
        item.unit = data.unit
        item.kind = data.kind
        item.archived = data.archived

    def _item_out(self, item: StockItem) -> m.ItemOut:
        return m.ItemOut(id=item.id, name=item.name, unit=item.unit,
                         kind=item.kind, archived=item.archived)  # type: ignore[arg-type]

    # --- warehouses and the setting -----------------------------------------------------

    def warehouses(self, db: Session, oc: OrgCtx) -> m.WarehouseList:
        with db.begin():
            self.default_warehouse(db, oc.org_id)
            rows = db.scalars(select(Warehouse).where(Warehouse.org_id == oc.org_id)
                              .order_by(Warehouse.is_default.desc(), Warehouse.name)).all()
            return m.WarehouseList(items=[m.WarehouseOut(id=w.id, name=w.name,
                                                         is_default=w.is_default)
                                          for w in rows])

    def create_warehouse(self, db: Session, oc: OrgCtx, data: m.WarehouseIn) -> m.WarehouseOut:
        try:
            with db.begin():
                self.default_warehouse(db, oc.org_id)
                w = Warehouse(org_id=oc.org_id, name=data.name, is_default=False,
                              created_at=oc.ctx.now)
                db.add(w)
                db.flush()
                audit.record(db, oc.ctx, "stock.warehouse_create", org_id=oc.org_id,
                             object_type="warehouse", object_id=w.id, summary=w.name)
                return m.WarehouseOut(id=w.id, name=w.name, is_default=False)
        except IntegrityError:
            raise ServiceError(409, "stock.warehouse_taken", params={"name": data.name}) from None

    def default_warehouse(self, db: Session, org_id: str) -> Warehouse:
        """The organisation's default warehouse, made («Основной склад») when missing."""
        found = db.scalar(select(Warehouse).where(Warehouse.org_id == org_id,
                                                  Warehouse.is_default.is_(True)))
        if found is None:
            found = Warehouse(org_id=org_id, name=DEFAULT_WAREHOUSE, is_default=True)
            db.add(found)
            db.flush()
        return found

    def settings(self, db: Session, oc: OrgCtx) -> m.StockSettings:
        with db.begin():
            return m.StockSettings(oversell=self._oversell(db, oc.org_id))  # type: ignore[arg-type]

    def put_settings(self, db: Session, oc: OrgCtx, data: m.StockSettings) -> m.StockSettings:
        with db.begin():
            row = db.get(StockSettingsRow, oc.org_id)
            if row is None:
                row = StockSettingsRow(org_id=oc.org_id)
                db.add(row)
            row.oversell = data.oversell
            db.flush()
            audit.record(db, oc.ctx, "stock.settings", org_id=oc.org_id,
                         object_type="organisation", object_id=oc.org_id,
                         summary=f"oversell: {data.oversell}")
            return m.StockSettings(oversell=data.oversell)

    def _oversell(self, db: Session, org_id: str) -> str:
        row = db.get(StockSettingsRow, org_id)
        return row.oversell if row is not None else "refuse"

    # --- the documents' hooks -----------------------------------------------------------

    def check_lines(self, db: Session, org_id: str, lines: list[m.DocumentLineIn]) -> None:
        """Every item and warehouse a document's lines name is the organisation's."""
        items = {x.item_id for x in lines if x.item_id}
        stores = {x.warehouse_id for x in lines if x.warehouse_id}
        if items:
            known = set(db.scalars(select(StockItem.id).where(StockItem.org_id == org_id,
                                                              StockItem.id.in_(items))))
            if items - known:
                raise ServiceError(422, "stock.unknown_item")
        if stores:
            known = set(db.scalars(select(Warehouse.id).where(Warehouse.org_id == org_id,
                                                              Warehouse.id.in_(stores))))
            if stores - known:
                raise ServiceError(422, "stock.unknown_warehouse")

    def line_items(self, db: Session, oc: OrgCtx, doc_type: str,
                   lines: list[m.DocumentLineIn]) -> list[str | None]:
        """The item each line of a goods document moves: the one it names by id, else the
        item of that name (as typed in the line's name cell, case and spaces aside).

        A поступление of a name the nomenclature lacks adds it («Стол офисный», шт), so
        the sale that follows finds it and writes off its cost (Дт 90.02 Кт 41.01, ФСБУ
        5/2019 п. 36). A sale of a name no поступление brought stays out of stock, as a
        line without an item always has (goods from before the books moved here)."""
        ids = [x.item_id for x in lines]
        if doc_type not in STOCK_TYPES:
            return ids
        wanted = {fold(" ".join(x.name.split())) for x in lines if not x.item_id}
        if not wanted:
            return ids
        known: dict[str, str] = {
            folded: item_id for folded, item_id in db.execute(
                select(StockItem.name_folded, StockItem.id)
                .where(StockItem.org_id == oc.org_id, StockItem.name_folded.in_(wanted)))}
        for i, line in enumerate(lines):
            if line.item_id:
                continue
            name = " ".join(line.name.split())
            key = fold(name)
            if key not in known:
                if doc_type != "purchase_goods":
                    continue
                item = StockItem(org_id=oc.org_id, created_at=oc.ctx.now, name=name,
                                 name_folded=key, unit=line.unit or "шт", kind="goods",
                                 archived=False)
                db.add(item)
                db.flush()
                audit.record(db, oc.ctx, "stock.item_create", org_id=oc.org_id,
                             object_type="stock_item", object_id=item.id,
                             summary=f"{item.name} ({item.unit})")
                known[key] = item.id
            ids[i] = known[key]
        return ids

    def holding(self, db: Session, org_id: str, item_id: str, warehouse_id: str,
                day: date) -> rules_stock.Holding:
        qty, cost = db.execute(
            select(func.coalesce(func.sum(StockMove.quantity_milli), 0),
                   func.coalesce(func.sum(StockMove.cost_kopecks), 0))
            .where(StockMove.org_id == org_id, StockMove.item_id == item_id,
                   StockMove.warehouse_id == warehouse_id, StockMove.date <= day)
        ).one()
        return rules_stock.Holding(int(qty), int(cost))

    def plan(self, db: Session, oc: OrgCtx, doc: Document, vat_mode: str) -> StockPlan:
        """What posting ``doc`` does to the stock (nothing for a type that moves none)."""
        plan = StockPlan([], [], [])
        if doc.type not in STOCK_TYPES:
            return plan
        lines = [x for x in db.scalars(select(DocumentLine)
                                       .where(DocumentLine.document_id == doc.id)
                                       .order_by(DocumentLine.line)) if x.item_id]
        if not lines:
            return plan
        default: Warehouse | None = None
        held: dict[tuple[str, str], rules_stock.Holding] = {}
        cost_total = 0
        for line in lines:
            assert line.item_id is not None
            if line.warehouse_id is None:
                default = default or self.default_warehouse(db, oc.org_id)
                line.warehouse_id = default.id
            key = (line.item_id, line.warehouse_id)
            if key not in held:
                # The item's row lock serialises two postings of the same item.
                db.get(StockItem, line.item_id, with_for_update=True)
                held[key] = self.holding(db, oc.org_id, *key, doc.date)
            now = held[key]
            if doc.type == "purchase_goods":
                total = line.amount_kopecks + (0 if doc.vat_included else line.vat_kopecks)
                cost = total - line.vat_kopecks if rules.deducts_vat(vat_mode) else total
                held[key] = rules_stock.receive(now, line.quantity_milli, cost)
                sign = 1
            else:
                short = rules_stock.check_issue(now, line.quantity_milli)
                if short is not None:
                    self._short(db, oc, line, short, plan)
                cost = rules_stock.issue_cost(now, line.quantity_milli)
                held[key] = rules_stock.Holding(now.quantity - line.quantity_milli,
                                                now.cost - cost)
                cost_total += cost
                sign = -1
            plan.moves.append(StockMove(
                org_id=oc.org_id, document_id=doc.id, line=line.line, item_id=line.item_id,
                warehouse_id=line.warehouse_id, date=doc.date,
                quantity_milli=sign * line.quantity_milli, cost_kopecks=sign * cost))
        if doc.type == "sale_goods":
            plan.postings = rules.cost_of_sales(cost_total)
        return plan

    def _short(self, db: Session, oc: OrgCtx, line: DocumentLine, short: rules_stock.Short,
               plan: StockPlan) -> None:
        item = db.get(StockItem, line.item_id)
        store = db.get(Warehouse, line.warehouse_id)
        params = {"item": item.name if item else "—", "unit": item.unit if item else "",
                  "wanted": quantity_text(short.wanted), "held": quantity_text(short.held),
                  "warehouse": store.name if store else "—"}
        if self._oversell(db, oc.org_id) != "warn":
            raise ServiceError(409, "stock.short", params=params)
        plan.warnings.append(i18n.text("error.stock.short", oc.ctx.lang, **params))

    def apply(self, db: Session, plan: StockPlan) -> None:
        for move in plan.moves:
            db.add(move)
        db.flush()

    def on_cancel(self, db: Session, doc: Document) -> None:
        for move in db.scalars(select(StockMove).where(StockMove.document_id == doc.id)):
            db.delete(move)
        db.flush()

    # --- the report -------------------------------------------------------------------

    def report(self, db: Session, oc: OrgCtx, day: date,
               warehouse_id: str | None = None) -> m.StockReport:
        """Остатки товаров на конец ``day``: every item and warehouse with a quantity or a
        cost, by item name."""
        check_book_dates(date_from=day, date_to=day)
        with db.begin():
            org = db.get(Organisation, oc.org_id)
            if org is None:
                raise ServiceError(404, "orgs.not_found")
            query = (select(StockMove.item_id, StockMove.warehouse_id,
                            func.sum(StockMove.quantity_milli), func.sum(StockMove.cost_kopecks))
                     .where(StockMove.org_id == oc.org_id, StockMove.date <= day)
                     .group_by(StockMove.item_id, StockMove.warehouse_id))
            if warehouse_id:
                query = query.where(StockMove.warehouse_id == warehouse_id)
            sums = db.execute(query).all()
            items = {x.id: x for x in db.scalars(select(StockItem)
                                                 .where(StockItem.org_id == oc.org_id))}
            stores = {x.id: x for x in db.scalars(select(Warehouse)
                                                  .where(Warehouse.org_id == oc.org_id))}
            rows = []
            for item_id, store_id, qty, cost in sums:
                qty, cost = int(qty or 0), int(cost or 0)
                if qty == 0 and cost == 0:
                    continue
                item, store = items[item_id], stores[store_id]
                rows.append(m.StockRow(
                    item_id=item_id, item=item.name, unit=item.unit, warehouse_id=store_id,
                    warehouse=store.name, quantity=_qty(qty), cost=from_kopecks(cost),
                    average=from_kopecks(rules_stock.Holding(qty, cost).average())))
            rows.sort(key=lambda r: (fold(r.item), r.warehouse))
            head = m.ReportHead(org_name=org.short_name, org_inn=org.inn, date_from=day,
                                date_to=day, computed_at=oc.ctx.now)
            return m.StockReport(head=head, date=day, rows=rows,
                                 total_cost=from_kopecks(sum(int(s[3] or 0) for s in sums)))

