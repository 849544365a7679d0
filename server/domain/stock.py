"""Provides the rules of stock by item: the moving average cost and the cost of a sale.

Pure: quantities in thousandths (int), money in kopecks (int), no I/O.

- A receipt (поступление товаров) adds its quantity and its cost to the item's stock in
  the warehouse: the cost is what is booked on 41.01 for the line (net of VAT when the
  VAT is deducted, with it otherwise).
- A sale (реализация) writes off the cost at the moving average of the stock held on the
  sale's day (ФСБУ 5/2019 «Запасы», утв. приказом Минфина от 15.11.2019 № 180н, п. 36:
  запасы оцениваются при списании по себестоимости каждой единицы, средней
  себестоимости или ФИФО; Buhta uses the average, recomputed at each receipt). The cost
  of the line is ``stock cost × sold / stock quantity``, rounded half up to a kopeck; a
  sale of everything held takes the whole remaining cost, so no kopeck is left behind.
- Posted: Дт 90.02 Кт 41.01 (План счетов, приказ № 94н: 90.02 «Себестоимость продаж»,
  41.01 «Товары на складах»), in the sale's own entry.
- A sale of more than is held is refused (``Short``) or, by the organisation's setting,
  let through at the average of what is held (nothing held: at zero cost).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Holding:
    """An item's stock in one warehouse."""

    quantity: int
    """Thousandths."""
    cost: int
    """Kopecks."""

    def average(self) -> int:
        """The cost of one unit in kopecks (rounded half up); 0 when nothing is held."""
        if self.quantity <= 0:
            return 0
        return _div_half_up(self.cost * 1000, self.quantity)


@dataclass(frozen=True)
class Short:
    """A sale wants more than is held."""

    wanted: int
    held: int


def _div_half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (away from zero), exact integers."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    sign = -1 if numerator < 0 else 1
    q, r = divmod(abs(numerator), denominator)
    if 2 * r >= denominator:
        q += 1
    return sign * q


def receive(held: Holding, quantity: int, cost: int) -> Holding:
    """The stock after a receipt of ``quantity`` thousandths costing ``cost`` kopecks."""
    if quantity <= 0 or cost < 0:
        raise ValueError(f"a receipt needs a positive quantity: {quantity}, {cost}")
    return Holding(held.quantity + quantity, held.cost + cost)


def issue_cost(held: Holding, quantity: int) -> int:
    """The cost in kopecks of taking ``quantity`` thousandths out at the moving average.

    Worked example (the test's): 10 units at 100,00 and 10 at 130,00 hold 20 units for
    2 300,00, an average of 115,00; 5 units cost 2 300,00 × 5 / 20 = 575,00.
    """
    if quantity <= 0:
        raise ValueError(f"an issue needs a positive quantity: {quantity}")
    if held.quantity <= 0 or held.cost <= 0:
        return 0
    # All that is held gives back exactly its cost; more (an oversell let through) is
    # costed at the held average.
    return _div_half_up(held.cost * quantity, held.quantity)


def check_issue(held: Holding, quantity: int) -> Short | None:
    """``Short`` when ``quantity`` is more than is held."""
    if quantity > held.quantity:
        return Short(wanted=quantity, held=max(held.quantity, 0))
    return None
