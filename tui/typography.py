"""Provides ``keep_no_break_spaces``: a no-break space never breaks a wrapped line.

Amounts are written with U+00A0 between the thousands and before «₽» («61 000,00 ₽»,
``core.money.format_amount``) so that they stay whole. But the word splitters Textual and
Rich wrap text with take any Unicode space for a break (``\\s`` matches U+00A0), so a status
line read «поступило 61» / «000,00 ₽» over two lines. ``keep_no_break_spaces`` makes the
two splitters treat U+00A0 (and U+202F, U+2007) as part of the word, once at start-up.

The splitters are module attributes of ``textual._wrap`` and ``rich._wrap`` (not public
API; textual 8, rich 13–14): ``tests/tui/test_typography.py`` fails if they change.
"""

from __future__ import annotations

import re

NO_BREAK = "\u00a0\u202f\u2007"
_WORD = rf"(?:[^\s]|[{NO_BREAK}])+"
_SPACE = rf"[^\S{NO_BREAK}]"


def keep_no_break_spaces() -> None:
    import rich._wrap
    import textual._wrap

    textual._wrap.re_chunk = re.compile(rf"{_WORD}{_SPACE}*|{_SPACE}+")
    rich._wrap.re_word = re.compile(rf"{_SPACE}*{_WORD}{_SPACE}*")
