"""server/domain/bank_exchange.py: the 1CClientBankExchange reader and writer (reference §7).

Every file is built here, line by line, so that the line numbers in the refusals can be
counted by eye: ``STATEMENT[i]`` is line ``i + 1`` of the file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from server.domain.bank_exchange import (
    BankDocument,
    ExchangeError,
    parse,
    write,
)

STATEMENT = [
    "1CClientBankExchange",  # 1
    "ВерсияФормата=1.03",  # 2
    "Кодировка=Windows",  # 3
    "Отправитель=Сбербанк Бизнес Онлайн",  # 4
    "Получатель=",  # 5: empty, read as absent
    "ДатаСоздания=30.11.2026",  # 6
    "ВремяСоздания=10:33:20",  # 7
    "ДатаНачала=01.11.2026",  # 8
    "ДатаКонца=30.11.2026",  # 9
    "РасчСчет=40702810300180001774",  # 10
    "РасчСчет=40702810123111111114",  # 11: repeated header key
    "СекцияРасчСчет",  # 12
    "ДатаНачала=01.11.2026",  # 13
    "ДатаКонца=30.11.2026",  # 14
    "РасчСчет=40702810300180001774",  # 15
    "НачальныйОстаток=1000.00",  # 16
    "ВсегоПоступило=12354.5",  # 17
    "ВсегоСписано=150",  # 18
    "КонечныйОстаток=13204.50",  # 19
    "КонецРасчСчет",  # 20
    "СекцияРасчСчет",  # 21
    "РасчСчет=40702810123111111114",  # 22
    "НачальныйОстаток=0.00",  # 23
    "КонечныйОстаток=0.00",  # 24
    "КонецРасчСчет",  # 25
    "СекцияДокумент=Платежное поручение",  # 26
    "Номер=А-15",  # 27: alphanumeric, kept as text
    "Дата=05.11.2026",  # 28
    "Сумма=12354.50",  # 29
    "ПлательщикСчет=40702810123111111114",  # 30
    "ДатаСписано=05.11.2026",  # 31
    "Плательщик=ИНН 7707083893 ПАО Сбербанк",  # 32
    "ПлательщикИНН=7707083893",  # 33
    "ПлательщикКПП=",  # 34
    "ПлательщикБИК=044525352",  # 35
    "ПолучательСчет=40702810300180001774",  # 36
    "ДатаПоступило=06.11.2026",  # 37
    "Получатель1=ООО Ромашка",  # 38
    "ПолучательИНН=7719617469",  # 39
    "ПолучательБИК=044525311",  # 40
    "ПолучательБанк1=ПАО Банк = Тест",  # 41: «=» inside a value
    "ВидОплаты=01",  # 42
    "НазначениеПлатежа1=Оплата по счёту № 7",  # 43
    "НазначениеПлатежа2=Без налога (НДС)",  # 44
    "НовыйКлючБанка=что-то",  # 45: unknown key, kept
    "КонецДокумента",  # 46
    "СекцияДокумент=Банковский ордер",  # 47
    "Номер=9",  # 48
    "Дата=30.11.2026",  # 49
    "Сумма=150.00",  # 50
    "ПлательщикСчет=40702810300180001774",  # 51
    "ДатаСписано=30.11.2026",  # 52
    "НазначениеПлатежа=Комиссия за ведение счёта",  # 53
    "ВидОплаты=17",  # 54
    "КонецДокумента",  # 55
    "КонецФайла",  # 56
]


def build(lines: list[str], codec: str = "cp1251", eol: str = "\r\n") -> bytes:
    return (eol.join(lines) + eol).encode(codec)


def with_line(lines: list[str], number: int, text: str | None) -> list[str]:
    """A copy of ``lines`` with line ``number`` (1-based) replaced, or removed if None."""
    copy = list(lines)
    if text is None:
        del copy[number - 1]
    else:
        copy[number - 1] = text
    return copy


def refusal(data: bytes) -> ExchangeError:
    with pytest.raises(ExchangeError) as caught:
        parse(data)
    return caught.value


# --- reading ----------------------------------------------------------------------------------


def check_statement(f) -> None:
    assert f.header["ВерсияФормата"] == "1.03"
    assert "Получатель" not in f.header
    assert f.header["РасчСчет"] == "40702810300180001774\n40702810123111111114"
    assert len(f.accounts) == 2
    first, second = f.accounts
    assert first.account == "40702810300180001774"
    assert (first.date_from, first.date_to) == (date(2026, 11, 1), date(2026, 11, 30))
    # 1000.00 + 12354.50 − 150.00 = 13204.50
    assert first.opening == Decimal("1000.00")
    assert first.credited == Decimal("12354.5")
    assert first.debited == Decimal("150")
    assert first.closing == Decimal("13204.50")
    assert first.opening + first.credited - first.debited == first.closing
    assert first.line == 12
    assert second.account == "40702810123111111114"
    assert second.credited is None and second.date_from is None
    assert second.line == 21

    assert [d.kind for d in f.documents] == ["Платежное поручение", "Банковский ордер"]
    pp, fee = f.documents
    assert pp.line == 26 and fee.line == 47
    assert pp.number == "А-15"
    assert pp.date == date(2026, 11, 5)
    assert pp.amount == Decimal("12354.50")
    assert pp.payer_account == "40702810123111111114"
    assert pp.payer_inn == "7707083893"
    assert pp.payer_kpp is None and "ПлательщикКПП" not in pp.fields
    assert pp.payer_name == "ПАО Сбербанк"  # from «Плательщик» without «ИНН …»
    assert pp.payer_bik == "044525352"
    assert pp.payee_account == "40702810300180001774"
    assert pp.payee_name == "ООО Ромашка"  # from «Получатель1»
    assert pp.payee_inn == "7719617469"
    assert pp.payee_bank == "ПАО Банк = Тест"
    assert pp.debited_on == date(2026, 11, 5)
    assert pp.credited_on == date(2026, 11, 6)
    assert pp.purpose == "Оплата по счёту № 7 Без налога (НДС)"
    assert pp.fields["НовыйКлючБанка"] == "что-то"
    assert pp.kbk is None and pp.oktmo is None and pp.payer_status is None

    assert fee.number == "9"
    assert fee.amount == Decimal("150.00")
    assert fee.purpose == "Комиссия за ведение счёта"
    assert fee.payee_account is None
    assert fee.credited_on is None


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_windows_statement(eol):
    f = parse(build(STATEMENT, "cp1251", eol))
    assert f.encoding == "cp1251"
    check_statement(f)


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_dos_statement(eol):
    lines = with_line(STATEMENT, 3, "Кодировка=DOS")
    f = parse(build(lines, "cp866", eol))
    assert f.encoding == "cp866"
    assert f.header["Кодировка"] == "DOS"
    check_statement(f)
    # The same bytes read as cp1251 would garble the names: the codec did matter.
    assert build(lines, "cp866") != build(lines, "cp1251")


def test_utf8_with_bom_and_trailing_blanks():
    lines = with_line(STATEMENT, 3, "Кодировка=Unicode")
    lines = [line + "  " for line in lines] + ["", "   "]
    f = parse(b"\xef\xbb\xbf" + build(lines, "utf-8"))
    assert f.encoding == "utf-8"
    check_statement(f)


def test_no_encoding_key_means_cp1251():
    f = parse(build(with_line(STATEMENT, 3, None), "cp1251"))
    assert f.encoding == "cp1251"
    assert f.documents[0].payee_name == "ООО Ромашка"


def test_budget_fields_and_empty_file():
    lines = [
        "1CClientBankExchange",
        "СекцияДокумент=Платежное поручение",
        "Сумма=1",
        "Плательщик=ИНН 7707083893 КПП 773601001 ПАО Сбербанк",
        "СтатусСоставителя=01",
        "ПоказательКБК=18201061201010000510",
        "ОКАТО=45383000",
        "КонецДокумента",
        "КонецФайла",
    ]
    (doc,) = parse(build(lines)).documents
    assert doc.payer_name == "ПАО Сбербанк"
    assert doc.number is None and doc.date is None
    assert (doc.payer_status, doc.kbk, doc.oktmo) == ("01", "18201061201010000510", "45383000")
    empty = parse(build(["1CClientBankExchange", "КонецФайла"]))
    assert (empty.header, empty.accounts, empty.documents) == ({}, [], [])


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text", "reason", "line"),
    [
        (1, "1CClientBankExchang", "not_exchange", 1),
        (4, "Отправитель Сбербанк", "bad_line", 4),  # no «=» and not a marker
        (20, None, "section_not_closed", 12),  # КонецРасчСчет missing: reported where it opened
        (46, None, "section_not_closed", 26),  # КонецДокумента missing
        (56, None, "no_end", 55),  # КонецФайла missing: the last line
        (29, "Сумма=12354,50", "amount", 29),
        (29, "Сумма=12354.505", "amount", 29),
        (29, "Сумма=двести", "amount", 29),
        (16, "НачальныйОстаток=1 000.00", "amount", 16),
        (28, "Дата=2026-11-05", "date", 28),
        (28, "Дата=31.11.2026", "date", 28),  # no 31 November
        (52, "ДатаСписано=5.11.2026", "date", 52),
        (30, "ПлательщикСчет=4070281012311111111", "account", 30),  # 19 digits
        (15, "РасчСчет=4070281030018000177X", "account", 15),
        (20, "КонецДокумента", "unexpected_marker", 20),  # closes the wrong section
        (7, "ВремяСоздания=10.33", "time", 7),
        (22, "ДатаНачала=01.11.2026", "account_missing", 21),
    ],
)
def test_broken_file_is_refused_at_the_line(number, text, reason, line):
    error = refusal(build(with_line(STATEMENT, number, text)))
    assert (error.key, error.line) == (f"error.bank_file.{reason}", line)
    assert error.params["line"] == line


def test_alphanumeric_number_is_not_refused():
    f = parse(build(with_line(STATEMENT, 48, "Номер=ОРД/9")))
    assert f.documents[1].number == "ОРД/9"


def test_more_refusals():
    assert refusal(b"").key == "error.bank_file.not_exchange"
    # A document opened inside another: the first one is reported.
    lines = [*STATEMENT[:30], "СекцияДокумент=Банковский ордер", *STATEMENT[30:]]
    assert (refusal(build(lines)).reason, refusal(build(lines)).line) == (
        "section_not_closed", 26)
    # Text after КонецФайла (line 57).
    assert refusal(build([*STATEMENT, "Номер=1"])).line == 57
    # A stray КонецРасчСчет in the header (line 5).
    assert refusal(build(with_line(STATEMENT, 5, "КонецРасчСчет"))).reason == (
        "unexpected_marker")
    # An unknown Кодировка.
    error = refusal(build(with_line(STATEMENT, 3, "Кодировка=KOI8")))
    assert (error.reason, error.line, error.params["value"]) == ("encoding", 3, "koi8")
    # Bytes that are not cp1251 (0x98 is unassigned) on line 4.
    data = build(STATEMENT).replace("Сбербанк".encode("cp1251"), b"\x98", 1)
    assert (refusal(data).reason, refusal(data).line) == ("encoding", 4)


# --- writing ----------------------------------------------------------------------------------


def test_write_then_parse_gives_the_same_file():
    original = parse(build(STATEMENT))
    header = {k: v for k, v in original.header.items()}
    data = write(header, original.documents)
    assert data.startswith(b"1CClientBankExchange\r\n")
    assert data.endswith("КонецФайла\r\n".encode("cp1251"))
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends in CRLF
    text = data.decode("cp1251")
    assert "СекцияДокумент=Банковский ордер\r\n" in text
    assert "РасчСчет=40702810300180001774\r\nРасчСчет=40702810123111111114\r\n" in text
    again = parse(data)
    assert again.header == original.header
    assert [(d.kind, d.fields) for d in again.documents] == [
        (d.kind, d.fields) for d in original.documents
    ]
    assert again.accounts == []  # write() emits documents only
    # And a second round gives the same bytes.
    assert write(again.header, again.documents) == data


def test_write_adds_the_encoding_and_leaves_out_empty_values():
    doc = BankDocument(kind="Платежное поручение",
                       fields={"Номер": "1", "Сумма": "10.00", "ПлательщикКПП": ""})
    data = write({"ВерсияФормата": "1.03"}, [doc])
    assert data.decode("cp1251").split("\r\n") == [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        "СекцияДокумент=Платежное поручение",
        "Номер=1",
        "Сумма=10.00",
        "КонецДокумента",
        "КонецФайла",
        "",
    ]


def test_write_refuses_what_cannot_be_read_back():
    doc = BankDocument(kind="Платежное поручение", fields={"НазначениеПлатежа": "Оплата 🙂"})
    with pytest.raises(ExchangeError) as caught:
        write({"ВерсияФормата": "1.03"}, [doc])
    assert (caught.value.reason, caught.value.line) == ("encoding", 5)
    bad_key = BankDocument(kind="Платежное поручение", fields={"КонецФайла": "x"})
    with pytest.raises(ExchangeError) as caught:
        write({}, [bad_key])
    assert caught.value.reason == "bad_key"
    with pytest.raises(ExchangeError):
        write({"Кодировка": "DOS"}, [])
