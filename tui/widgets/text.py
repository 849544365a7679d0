"""Provides short texts for narrow cells: ``clip`` with an ellipsis, ``fold`` for matching
what people type, and the journal's description-with-counterparty cell."""

from __future__ import annotations


def fold(text: str) -> str:
    """For matching what people type: case-insensitive, ``ё`` = ``е``."""
    return text.casefold().replace("ё", "е")


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, an ellipsis marking the cut."""
    if len(text) <= width:
        return text
    return text[: max(0, width - 1)] + "…" if width > 0 else ""


def with_counterparty(description: str, counterparty: str | None, width: int) -> str:
    """The journal's description cell: the description and the posting's counterparty.

    Both share ``width``; the counterparty keeps up to half of it, more when the
    description is short. Worked example, width 26: «Оплата от покупателя» (20) and
    «Ромашка» (7): room 26 − 3 = 23, the counterparty keeps its 7, the description
    gets 16 → «Оплата от покуп… · Ромашка» (26 characters).
    """
    if not counterparty:
        return clip(description, width)
    if not description:
        return clip(f"· {counterparty}", width)
    room = width - 3
    keep = min(len(counterparty), max(room // 2, room - len(description)))
    return f"{clip(description, room - keep)} · {clip(counterparty, keep)}"
