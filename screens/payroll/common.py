"""Provides what the payroll screens share: amounts, dates and names as the screens
show them, the stored items sent back with a recompute, and saving a PDF.

The client does no payroll maths: every figure (accrual, НДФЛ, contributions, net pay,
pay days) comes from the server's run.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from client.errors import ApiError, os_error_text
from client.export import default_export_dir, safe_file_name
from client.i18n import t
from core import contract as m
from tui.widgets.money import money


def bare(amount: Decimal) -> str:
    """An amount without the currency sign, for narrow columns headed «руб.»."""
    text = money(amount)
    for sign in ("\u00a0₽", "\u00a0RUB"):
        text = text.removesuffix(sign)
    return text


def short_name(full_name: str) -> str:
    """«Иванов Иван Иванович» → «Иванов И. И.» (the table's narrow name column)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return f"{parts[0]} " + " ".join(f"{p[0]}." for p in parts[1:])


def state_text(run: m.PayrollRunOut) -> str:
    """«черновик», «утверждена», «утверждена, аванс выплачен», «выплачена»."""
    if run.state == "approved" and run.advance_paid_on is not None:
        return t("pscreen.state.advance_paid")
    return t(f"pscreen.state.{run.state}")


def contributions(line: m.PayrollLineOut | m.PayrollTotals) -> Decimal:
    """The employer's contributions shown in one column: the ЕНП part and the injury one."""
    return line.contrib_main + line.contrib_injury


def item_in(item: m.PayrollItemOut) -> m.PayrollItemIn:
    """A stored item sent back with a recompute (the draft is replaced as a whole)."""
    data: dict[str, Any] = {"employee_id": item.employee_id, "kind": item.kind,
                            "note": item.note}
    if item.kind in ("bonus", "one_off"):
        data["amount"] = item.amount
    else:
        data.update(date_from=item.date_from, date_to=item.date_to)
        if item.kind == "sick":
            data.update(avg_daily=item.avg_daily, record_years=item.record_years)
        elif item.avg_daily is not None:
            data["avg_daily"] = item.avg_daily
        else:
            data["amount"] = item.amount
    return m.PayrollItemIn.model_validate(data)


def quarter_of(month: date) -> int:
    return (month.month - 1) // 3 + 1


def export_dir() -> Path:
    return default_export_dir()


async def save_pdf(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` off the event loop; a failure is an ApiError the
    screen's error line shows (``pscreen.save_failed``)."""

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        raise ApiError(0, "pscreen.save_failed", t(
            "pscreen.save_failed", path=str(path), error=os_error_text(exc))) from exc
    return path


def pay_part(run: m.PayrollRunOut) -> str:
    """The run's last payment: the final one once paid, else the advance."""
    return "final" if run.final_paid_on is not None else "advance"


def docs_needed(run: m.PayrollRunOut, part: str) -> list[str]:
    """``t53`` when someone is paid in cash in ``part``, ``register`` when by card (the
    amounts are the server's per-line ``advance`` / ``final_payment``)."""
    out = []
    for method, kind in (("cash", "t53"), ("card", "register")):
        if any((x.advance if part == "advance" else x.final_payment) > 0
               for x in run.lines if x.pay_method == method):
            out.append(kind)
    return out


def docs_file(run: m.PayrollRunOut, part: str, kind: str) -> str:
    """«Ведомость_Т-53_2026-01_окончательный_расчёт.pdf», «Реестр_зарплаты_2026-01_аванс.pdf»."""
    title = t("pscreen.t53_file" if kind == "t53" else "pscreen.register_file")
    return safe_file_name(f"{title} {run.year:04d}-{run.month:02d} "
                          f"{t(f'pscreen.part.{part}')}") + ".pdf"
