"""server/domain/bank_exchange.py: the reader's bounds (issue 19, points 6 and 8).

A hostile file must cost time and memory in proportion to its size, never more: a key
repeated many times is gathered in a list and joined once (linear), not rebuilt string
by string (quadratic); and a line, the number of lines and the repeats of a key have
caps, each refusal naming the line.
"""

from __future__ import annotations

import time

import pytest

from server.domain import bank_exchange
from server.domain.bank_exchange import (
    MAX_KEY_REPEATS,
    MAX_LINE_CHARS,
    MAX_LINES,
    ExchangeError,
    parse,
)

HEAD = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows"]


def file_of(lines: list[str]) -> bytes:
    return "\r\n".join([*lines, "КонецФайла"]).encode("cp1251")


def test_repeats_are_gathered_linearly_not_rebuilt(monkeypatch):
    # 100 000 repeats of one key (the cap lifted for the test), 30 characters each: a
    # reader that rebuilds the value on each repeat copies 30·n²/2 = 1.5·10¹¹ characters
    # (about 15 s here; 1.2 s at 30 000 repeats); gathering them in a list and joining
    # once copies 2·30·n = 6·10⁶ (about 0.1 s). The bound of 3 s is generous for the
    # linear reader and far below the quadratic one.
    monkeypatch.setattr(bank_exchange, "MAX_KEY_REPEATS", 10**9)
    n = 100_000
    data = file_of([*HEAD, *(f"Документ=вид документа {i:06d}" for i in range(n))])
    started = time.perf_counter()
    ef = parse(data)
    assert time.perf_counter() - started < 3
    values = ef.header["Документ"].split("\n")
    assert len(values) == n and values[0] == "вид документа 000000"
    assert values[-1] == f"вид документа {n - 1:06d}"


def test_repeats_up_to_the_cap_are_kept_in_order():
    n = MAX_KEY_REPEATS
    data = file_of([*HEAD, *(f"Документ=вид {i}" for i in range(n))])
    ef = parse(data)
    assert ef.header["Документ"].split("\n") == [f"вид {i}" for i in range(n)]


def test_too_many_repeats_are_refused_naming_the_line():
    # HEAD is lines 1-3; the repeats start on line 4, so repeat number MAX + 1 is on
    # line 3 + MAX + 1.
    n = MAX_KEY_REPEATS + 1
    data = file_of([*HEAD, *(f"Документ=вид {i}" for i in range(n))])
    with pytest.raises(ExchangeError) as e:
        parse(data)
    assert e.value.reason == "too_many_repeats"
    assert e.value.line == 3 + MAX_KEY_REPEATS + 1
    assert e.value.params["field"] == "Документ"


def test_repeats_are_counted_per_block():
    # The same key in each of many documents is no repeat: a statement of many documents
    # with one «Сумма» each is fine.
    docs = []
    for i in range(MAX_KEY_REPEATS + 5):
        docs += ["СекцияДокумент=Платежное поручение", f"Номер={i}", "Сумма=1.00",
                 "КонецДокумента"]
    ef = parse(file_of([*HEAD, *docs]))
    assert len(ef.documents) == MAX_KEY_REPEATS + 5


def test_a_line_too_long_is_refused_naming_the_line():
    long_value = "х" * (MAX_LINE_CHARS + 1)
    data = file_of([*HEAD, "Отправитель=Банк", f"НазначениеПлатежа={long_value}"])
    with pytest.raises(ExchangeError) as e:
        parse(data)
    assert (e.value.reason, e.value.line) == ("line_too_long", 5)
    assert e.value.params["limit"] == MAX_LINE_CHARS


def test_a_line_at_the_limit_is_read():
    value = "х" * (MAX_LINE_CHARS - len("Отправитель="))
    ef = parse(file_of([*HEAD, f"Отправитель={value}"]))
    assert ef.header["Отправитель"] == value


def test_too_many_lines_are_refused(monkeypatch):
    # The cap is patched down to 10 to keep the test small: 3 head lines, 7 more are
    # allowed, the 11th line is refused.
    monkeypatch.setattr(bank_exchange, "MAX_LINES", 10)
    data = file_of([*HEAD, *(f"Ключ{i}=значение" for i in range(20))])
    with pytest.raises(ExchangeError) as e:
        parse(data)
    assert (e.value.reason, e.value.line) == ("too_many_lines", 11)
    assert MAX_LINES >= 1_000_000  # the real cap: far beyond any bank's statement


def test_key_value_noise_of_megabytes_is_linear():
    # 2 MiB of «k=v» noise, one key repeated: refused at the repeat cap, quickly.
    noise = ["k=v"] * (2 * 1024 * 1024 // 5)
    started = time.perf_counter()
    with pytest.raises(ExchangeError) as e:
        parse(file_of([*HEAD, *noise]))
    assert e.value.reason == "too_many_repeats"
    assert time.perf_counter() - started < 5
