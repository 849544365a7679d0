"""Provides ``describe``: one of pydantic's validation errors said through a text
catalogue, by the error's type and ``ctx`` (``string_too_long`` with ``max_length`` 500 →
the catalogue's ``pyd.string_too_long`` plural for 500: «не длиннее 500 символов»), never
pydantic's own English ``msg``. The client and the server each pass their catalogue's
``text``/``plural``; both catalogues carry the ``pyd.*`` keys."""

from __future__ import annotations

from collections.abc import Callable

# pydantic error type → catalogue key; a plural key takes the count from ``ctx``.
_PYDANTIC = {
    "missing": "validation.required",
    "string_type": "pyd.text", "string_pattern_mismatch": "pyd.pattern",
    "string_unicode": "pyd.text",
    "int_type": "pyd.integer", "int_parsing": "pyd.integer", "int_from_float": "pyd.integer",
    "float_type": "pyd.number", "float_parsing": "pyd.number",
    "decimal_type": "pyd.number", "decimal_parsing": "pyd.number",
    "decimal_max_places": "pyd.max_places", "decimal_max_digits": "pyd.max_digits",
    "decimal_whole_digits": "pyd.whole_digits", "finite_number": "pyd.number",
    "greater_than": "pyd.gt", "greater_than_equal": "pyd.ge",
    "less_than": "pyd.lt", "less_than_equal": "pyd.le",
    "bool_type": "pyd.bool", "bool_parsing": "pyd.bool",
    "date_type": "pyd.date", "date_parsing": "pyd.date", "date_from_datetime_parsing":
    "pyd.date", "date_from_datetime_inexact": "pyd.date",
    "datetime_type": "pyd.datetime", "datetime_parsing": "pyd.datetime",
    "datetime_from_date_parsing": "pyd.datetime",
    "literal_error": "pyd.one_of", "enum": "pyd.one_of",
    "uuid_type": "pyd.uuid", "uuid_parsing": "pyd.uuid",
    "extra_forbidden": "pyd.extra", "list_type": "pyd.list", "dict_type": "pyd.object",
    "model_type": "pyd.object", "model_attributes_type": "pyd.object",
    "json_invalid": "pyd.json", "url_parsing": "pyd.url", "url_type": "pyd.url",
}
_PYDANTIC_PLURAL = {
    "string_too_long": ("pyd.string_too_long", "max_length"),
    "string_too_short": ("pyd.string_too_short", "min_length"),
    "too_long": ("pyd.too_long", "max_length"),
    "too_short": ("pyd.too_short", "min_length"),
}
_BOUND = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
          "less_than_equal": "le", "decimal_max_places": "decimal_places",
          "decimal_max_digits": "max_digits", "decimal_whole_digits": "whole_digits"}


def describe(error: dict[str, object], text: Callable[..., str],
             plural: Callable[..., str]) -> str:
    """``error`` (one of ``ValidationError.errors()``) as ``text(key, **params)`` /
    ``plural(key, n)`` of a catalogue say it."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx")
    ctx = ctx if isinstance(ctx, dict) else {}
    if kind in _PYDANTIC_PLURAL:
        key, bound = _PYDANTIC_PLURAL[kind]
        count = ctx.get(bound)
        if isinstance(count, int):
            if kind == "string_too_short" and count == 1:
                return text("validation.required")
            return plural(key, count)
    if kind == "value_error":
        # A check of our own: its text (already in the interface's language), or ours.
        cause = ctx.get("error")
        said = str(cause) if cause is not None else ""
        return said if said and not said.isascii() else text("pyd.invalid")
    key = _PYDANTIC.get(kind)
    if key is None:
        return text("pyd.invalid")
    if kind in _BOUND:
        return text(key, limit=ctx.get(_BOUND[kind], ""))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", f" {text('pyd.or')} ")
        return text(key, expected=expected)
    return text(key)
