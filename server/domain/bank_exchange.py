"""Reads and writes the «1CClientBankExchange» bank exchange format (reference §7).

Pure functions, no I/O. :func:`parse` reads a bank statement or a payment file
(``kl_to_1c.txt`` / ``1c_to_kl.txt``) into an :class:`ExchangeFile`, refusing a broken file
whole with an :class:`ExchangeError` that names the 1-based line and the reason (a catalogue
key ``error.bank_file.<reason>``). :func:`write` builds a file for the bank: cp1251, CRLF.

Lexical rules: one ``Key=Value`` per line, split on the first ``=``; the markers
``1CClientBankExchange``, ``СекцияРасчСчет``, ``КонецРасчСчет``, ``КонецДокумента`` and
``КонецФайла`` have no ``=``; ``СекцияДокумент=<type>`` opens a document. Empty values are
read as absent. Unknown keys and document types are kept. A key repeated inside the same
block (``РасчСчет`` and ``Документ`` in the header) keeps every value, joined by ``"\\n"``;
:func:`write` writes such a value back as one line per value.

Bounds (a hostile file costs time and memory in proportion to its size, never more): a
line holds at most ``MAX_LINE_CHARS`` characters, a file at most ``MAX_LINES`` lines, and a
key repeats at most ``MAX_KEY_REPEATS`` times in one block; the repeats are gathered in a
list and joined once when the block ends (linear), never rebuilt string by string. The
file's size itself is bounded by the caller (the upload's limits, ``server.config``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

MAGIC = "1CClientBankExchange"
ACCOUNT_START = "СекцияРасчСчет"
ACCOUNT_END = "КонецРасчСчет"
DOCUMENT_START = "СекцияДокумент"
DOCUMENT_END = "КонецДокумента"
FILE_END = "КонецФайла"
MARKERS = frozenset({MAGIC, ACCOUNT_START, ACCOUNT_END, DOCUMENT_START, DOCUMENT_END, FILE_END})

PAYMENT_ORDER = "Платежное поручение"
BANK_ORDER = "Банковский ордер"

# The value of «Кодировка» → the Python codec.
_ENCODINGS = {"windows": "cp1251", "dos": "cp866", "unicode": "utf-8", "utf-8": "utf-8",
              "utf8": "utf-8"}
_ENCODING_KEY = "Кодировка="
_UTF8_BOM = b"\xef\xbb\xbf"

MAX_LINE_CHARS = 4096
"""The longest line read: the longest field of the format (НазначениеПлатежа) is 210."""
MAX_LINES = 1_000_000
"""Lines in one file: a 10 000-document statement has about 170 000."""
MAX_KEY_REPEATS = 1000
"""Values of one key in one block (the header lists each account and document kind)."""

_AMOUNT_RE = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")
_DATE_RE = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$")
_TIME_RE = re.compile(r"^[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")
_ACCOUNT_RE = re.compile(r"^[0-9]{20}$")
_INN_PREFIX_RE = re.compile(r"^ИНН\s*[0-9]*\s*(КПП\s*[0-9A-Z]*\s*)?")

# Keys checked while reading (a broken value refuses the file).
_DATE_KEYS = frozenset({"ДатаСоздания", "ДатаНачала", "ДатаКонца", "Дата", "ДатаСписано",
                        "ДатаПоступило", "КвитанцияДата"})
_TIME_KEYS = frozenset({"ВремяСоздания"})
_AMOUNT_KEYS = frozenset({"Сумма", "НачальныйОстаток", "ВсегоПоступило", "ВсегоСписано",
                          "КонечныйОстаток"})
_ACCOUNT_KEYS = frozenset({"РасчСчет", "ПлательщикСчет", "ПлательщикРасчСчет",
                           "ПлательщикКорсчет", "ПолучательСчет", "ПолучательРасчСчет",
                           "ПолучательКорсчет"})


class ExchangeError(ValueError):
    """A file that cannot be read (or written): ``line`` (1-based), ``key`` (the catalogue key
    ``error.bank_file.<reason>``), ``params`` (for the message; always holds ``line``)."""

    def __init__(self, line: int, reason: str, **params: Any) -> None:
        self.line = line
        self.reason = reason
        self.key = f"error.bank_file.{reason}"
        self.params: dict[str, Any] = {"line": line, **params}
        super().__init__(f"line {line}: {reason} {params}" if params else f"line {line}: {reason}")


def parse_date(value: str | None) -> date | None:
    """``dd.MM.yyyy`` → date; None or ``""`` → None. Raises ValueError on anything else."""
    if not value:
        return None
    if not _DATE_RE.fullmatch(value):
        raise ValueError(value)
    # Slicing, not strptime: a 10 000-line statement has tens of thousands of dates.
    return date(int(value[6:10]), int(value[3:5]), int(value[0:2]))


def format_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def format_amount(value: Decimal) -> str:
    """``Decimal("12354")`` → ``"12354.00"`` (dot, two decimals, no separators)."""
    return f"{value.quantize(Decimal('0.01')):f}"


def _amount(value: str | None) -> Decimal | None:
    return Decimal(value) if value else None


@dataclass
class BankDocument:
    """One document section: its type and every key as read (empty values left out)."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def get(self, key: str) -> str | None:
        return self.fields.get(key) or None

    # --- identity -------------------------------------------------------------------------
    @property
    def number(self) -> str | None:
        """Kept as text: bank numbers can be alphanumeric."""
        return self.get("Номер")

    @property
    def date(self) -> date | None:
        return parse_date(self.get("Дата"))

    @property
    def amount(self) -> Decimal:
        return Decimal(self.get("Сумма") or "0")

    @property
    def debited_on(self) -> date | None:
        return parse_date(self.get("ДатаСписано"))

    @property
    def credited_on(self) -> date | None:
        return parse_date(self.get("ДатаПоступило"))

    # --- sides ----------------------------------------------------------------------------
    def _side_name(self, side: str) -> str | None:
        if name := self.get(f"{side}1"):
            return name
        whole = self.get(side)
        if not whole:
            return None
        return _INN_PREFIX_RE.sub("", whole).strip() or None

    @property
    def payer_account(self) -> str | None:
        return self.get("ПлательщикСчет") or self.get("ПлательщикРасчСчет")

    @property
    def payer_inn(self) -> str | None:
        return self.get("ПлательщикИНН")

    @property
    def payer_kpp(self) -> str | None:
        return self.get("ПлательщикКПП")

    @property
    def payer_name(self) -> str | None:
        return self._side_name("Плательщик")

    @property
    def payer_bik(self) -> str | None:
        return self.get("ПлательщикБИК")

    @property
    def payer_bank(self) -> str | None:
        return self.get("ПлательщикБанк1")

    @property
    def payer_corr_account(self) -> str | None:
        return self.get("ПлательщикКорсчет")

    @property
    def payee_account(self) -> str | None:
        return self.get("ПолучательСчет") or self.get("ПолучательРасчСчет")

    @property
    def payee_inn(self) -> str | None:
        return self.get("ПолучательИНН")

    @property
    def payee_kpp(self) -> str | None:
        return self.get("ПолучательКПП")

    @property
    def payee_name(self) -> str | None:
        return self._side_name("Получатель")

    @property
    def payee_bik(self) -> str | None:
        return self.get("ПолучательБИК")

    @property
    def payee_bank(self) -> str | None:
        return self.get("ПолучательБанк1")

    @property
    def payee_corr_account(self) -> str | None:
        return self.get("ПолучательКорсчет")

    # --- payment ----------------------------------------------------------------------------
    @property
    def purpose(self) -> str | None:
        """``НазначениеПлатежа``, or its split lines ``НазначениеПлатежа1..6`` joined by a space."""
        if whole := self.get("НазначениеПлатежа"):
            return whole
        parts = [self.get(f"НазначениеПлатежа{i}") for i in range(1, 7)]
        return " ".join(p for p in parts if p) or None

    @property
    def kbk(self) -> str | None:
        return self.get("ПоказательКБК")

    @property
    def oktmo(self) -> str | None:
        """Field 105 is called ``ОКАТО`` in the format but holds the ОКТМО."""
        return self.get("ОКАТО")

    @property
    def payer_status(self) -> str | None:
        return self.get("СтатусСоставителя")


@dataclass
class AccountSection:
    """A ``СекцияРасчСчет``: the balances of one account over the statement's period."""

    account: str
    date_from: date | None
    date_to: date | None
    opening: Decimal | None
    credited: Decimal | None
    """``ВсегоПоступило``: money in."""
    debited: Decimal | None
    """``ВсегоСписано``: money out."""
    closing: Decimal | None
    line: int


@dataclass
class ExchangeFile:
    header: dict[str, str]
    accounts: list[AccountSection]
    documents: list[BankDocument]
    encoding: str
    """``cp1251``, ``cp866`` or ``utf-8``."""


# --- reading ----------------------------------------------------------------------------------


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _detect_encoding(data: bytes) -> str:
    """The codec named by «Кодировка=»; the key itself is looked for in each candidate codec
    (in a DOS file it is written in cp866). No key: cp1251, the format's default."""
    if data.startswith(_UTF8_BOM):
        return "utf-8"
    for codec in ("cp1251", "cp866", "utf-8"):
        at = data.find(_ENCODING_KEY.encode(codec))
        if at < 0:
            continue
        start = at + len(_ENCODING_KEY.encode(codec))
        end = data.find(b"\n", start)
        raw = data[start:] if end < 0 else data[start:end]
        value = raw.decode("ascii", errors="replace").strip().lower()
        if not value:
            return codec
        if value not in _ENCODINGS:
            raise ExchangeError(_line_of(data, at), "encoding", value=value)
        return _ENCODINGS[value]
    return "cp1251"


def _decode(data: bytes) -> tuple[str, str]:
    encoding = _detect_encoding(data)
    body = data[len(_UTF8_BOM):] if data.startswith(_UTF8_BOM) else data
    try:
        return body.decode(encoding), encoding
    except UnicodeDecodeError as e:
        raise ExchangeError(_line_of(body, e.start), "encoding", value=encoding) from None


_CHECKED_KEYS = _DATE_KEYS | _TIME_KEYS | _AMOUNT_KEYS | _ACCOUNT_KEYS


def _check_value(key: str, value: str, line: int) -> None:
    """Refuses a malformed date, time, amount or account."""
    if key in _DATE_KEYS:
        try:
            parse_date(value)
        except ValueError:
            raise ExchangeError(line, "date", field=key, value=value) from None
    elif key in _TIME_KEYS:
        if not _TIME_RE.fullmatch(value):
            raise ExchangeError(line, "time", field=key, value=value)
    elif key in _AMOUNT_KEYS:
        if not _AMOUNT_RE.fullmatch(value):
            raise ExchangeError(line, "amount", field=key, value=value)
    elif key in _ACCOUNT_KEYS and not _ACCOUNT_RE.fullmatch(value):
        raise ExchangeError(line, "account", field=key, value=value)


class _Block:
    """The keys of one block as read; a repeated key's values are gathered in a list and
    joined once by :meth:`fields` (linear in the values, whatever their number)."""

    __slots__ = ("more", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.more: dict[str, list[str]] = {}

    def put(self, key: str, value: str, line: int) -> None:
        if key not in self.values:
            self.values[key] = value
            return
        extra = self.more.get(key)
        if extra is None:
            extra = self.more[key] = [self.values[key]]
        if len(extra) >= MAX_KEY_REPEATS:
            raise ExchangeError(line, "too_many_repeats", field=key, limit=MAX_KEY_REPEATS)
        extra.append(value)

    def fields(self) -> dict[str, str]:
        for key, values in self.more.items():
            self.values[key] = "\n".join(values)
        self.more = {}
        return self.values


def _lines(text: str) -> list[str]:
    """The lines of ``text``, at most ``MAX_LINES`` of them: counted before the list is
    built, so the list stays bounded whatever the text."""
    if text.count("\n") >= MAX_LINES:
        raise ExchangeError(MAX_LINES + 1, "too_many_lines", limit=MAX_LINES)
    return text.split("\n")


def _account_section(values: dict[str, str], line: int) -> AccountSection:
    account = values.get("РасчСчет")
    if not account:
        raise ExchangeError(line, "account_missing")
    return AccountSection(
        account=account,
        date_from=parse_date(values.get("ДатаНачала")),
        date_to=parse_date(values.get("ДатаКонца")),
        opening=_amount(values.get("НачальныйОстаток")),
        credited=_amount(values.get("ВсегоПоступило")),
        debited=_amount(values.get("ВсегоСписано")),
        closing=_amount(values.get("КонечныйОстаток")),
        line=line,
    )


def parse(data: bytes) -> ExchangeFile:
    """Read a whole exchange file; refuse it whole on the first broken line.

    Accepts CRLF or LF, a UTF-8 BOM, blank lines and blanks around a line.

    Raises:
        ExchangeError: reasons ``not_exchange`` (no «1CClientBankExchange» first line),
            ``encoding``, ``bad_line`` (no ``=`` and not a marker), ``unexpected_marker``
            (a closing marker with nothing open, or the wrong one), ``section_not_closed``
            (at the line that opened it), ``no_end`` (no «КонецФайла»), ``after_end`` (text
            after it), ``date``, ``time``, ``amount``, ``account`` (not 20 digits),
            ``account_missing`` (a СекцияРасчСчет without РасчСчет), ``line_too_long``
            (over ``MAX_LINE_CHARS``), ``too_many_lines`` (over ``MAX_LINES``),
            ``too_many_repeats`` (a key over ``MAX_KEY_REPEATS`` times in one block).
    """
    text, encoding = _decode(data)
    header = _Block()
    accounts: list[AccountSection] = []
    documents: list[BankDocument] = []
    # The block being read: None (the header), ("account", values, line) or a BankDocument.
    section: str | None = None
    values = _Block()
    opened_at = 0
    document: BankDocument | None = None
    fields = _Block()
    started = False
    ended_at = 0
    last = 1  # the last line with text: where a missing КонецФайла is reported
    known: tuple[set[str], set[str]] = (set(), set())  # accounts, dates already checked

    block = header  # where the next key goes: the header, an account or a document
    for number, raw in enumerate(_lines(text), start=1):
        if len(raw) > MAX_LINE_CHARS and len(raw.rstrip("\r")) > MAX_LINE_CHARS:
            raise ExchangeError(number, "line_too_long", limit=MAX_LINE_CHARS)
        line = raw.strip()
        if not line:
            continue
        last = number
        if ended_at:
            raise ExchangeError(number, "after_end")
        if not started:
            if line != MAGIC:
                raise ExchangeError(number, "not_exchange")
            started = True
            continue
        key, sep, value = line.partition("=")
        key = key.strip()
        value = value.strip()
        if not sep:
            if key == ACCOUNT_START or key == DOCUMENT_START:
                if section is not None:
                    raise ExchangeError(opened_at, "section_not_closed", section=section)
                if key == ACCOUNT_START:
                    section, values, opened_at = ACCOUNT_START, _Block(), number
                    block = values
                else:
                    section, opened_at = DOCUMENT_START, number
                    document, fields = BankDocument(kind="", fields={}, line=number), _Block()
                    block = fields
            elif key == ACCOUNT_END:
                if section != ACCOUNT_START:
                    raise ExchangeError(number, "unexpected_marker", marker=key)
                accounts.append(_account_section(values.fields(), opened_at))
                section, block = None, header
            elif key == DOCUMENT_END:
                if section != DOCUMENT_START or document is None:
                    raise ExchangeError(number, "unexpected_marker", marker=key)
                document.fields = fields.fields()
                documents.append(document)
                section, document, block = None, None, header
            elif key == FILE_END:
                if section is not None:
                    raise ExchangeError(opened_at, "section_not_closed", section=section)
                ended_at = number
            else:
                raise ExchangeError(number, "bad_line")
            continue
        if not key or key in MARKERS:
            if key == DOCUMENT_START:
                if section is not None:
                    raise ExchangeError(opened_at, "section_not_closed", section=section)
                section, opened_at = DOCUMENT_START, number
                document, fields = BankDocument(kind=value, fields={}, line=number), _Block()
                block = fields
                continue
            raise ExchangeError(number, "bad_line")
        if not value:
            continue
        if key in _CHECKED_KEYS:
            # A date or an account repeats across documents (a statement has a few
            # hundred of each): checked once, then known good.
            if key in _DATE_KEYS or key in _ACCOUNT_KEYS:
                if value not in known[key in _DATE_KEYS]:
                    _check_value(key, value, number)
                    known[key in _DATE_KEYS].add(value)
            else:
                _check_value(key, value, number)
        if key in block.values:
            block.put(key, value, number)  # a repeat
        else:
            block.values[key] = value

    if not started:
        raise ExchangeError(1, "not_exchange")
    if section is not None:
        raise ExchangeError(opened_at, "section_not_closed", section=section)
    if not ended_at:
        raise ExchangeError(last, "no_end")
    return ExchangeFile(header=header.fields(), accounts=accounts, documents=documents,
                        encoding=encoding)


# --- writing ----------------------------------------------------------------------------------


def _pairs(block: dict[str, str]) -> Iterable[tuple[str, str]]:
    for key, value in block.items():
        for part in str(value).split("\n"):
            if part.strip():
                yield key, part.strip()


def write(header: dict[str, str], documents: Sequence[BankDocument]) -> bytes:
    """Build the file for the bank: cp1251, CRLF, ``Key=Value`` lines, empty values left out.

    The header is written in the given order (``Кодировка=Windows`` is added after the first
    key when missing); each document between ``СекцияДокумент=<kind>`` and
    ``КонецДокумента``; then ``КонецФайла``. ``parse(write(h, docs))`` gives back ``h`` and
    the documents' fields unchanged.

    Raises:
        ExchangeError: ``encoding`` when a value cannot be written in cp1251, ``bad_key`` for
            an empty key, a key with ``=`` or a marker used as a key; ``line`` is the line of
            the file being written.
    """
    encoding = header.get("Кодировка")
    if encoding is not None and encoding.lower() != "windows":
        raise ExchangeError(1, "encoding", value=encoding)
    out: list[str] = [MAGIC]
    head = dict(header)
    if "Кодировка" not in head:
        items = list(head.items())
        items.insert(min(1, len(items)), ("Кодировка", "Windows"))
        head = dict(items)

    def emit(key: str, value: str) -> None:
        if not key or "=" in key or key in MARKERS or "\r" in value:
            raise ExchangeError(len(out) + 1, "bad_key", field=key)
        out.append(f"{key}={value}")

    for key, value in _pairs(head):
        emit(key, value)
    for document in documents:
        out.append(f"{DOCUMENT_START}={document.kind}")
        for key, value in _pairs(document.fields):
            emit(key, value)
        out.append(DOCUMENT_END)
    out.append(FILE_END)
    text = "\r\n".join(out) + "\r\n"
    try:
        return text.encode("cp1251")
    except UnicodeEncodeError as e:
        raise ExchangeError(text.count("\n", 0, e.start) + 1, "encoding", value="cp1251") from None
