"""Provides ``max_length``: the server's length limit of a wire-model field, for its Input.

An Input given it refuses the extra characters as they are typed, rather than the
server refusing the whole form later (``Input(max_length=max_length(m.OrgIn, "inn"))``).
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel


@cache
def max_length(model: type[BaseModel], field: str) -> int:
    """The ``max_length`` of ``model.field`` in the contract; 0 (no limit) when it has none."""
    info = model.model_fields[field]
    limits = [getattr(meta, "max_length", None) for meta in info.metadata]
    return min((n for n in limits if isinstance(n, int)), default=0)
