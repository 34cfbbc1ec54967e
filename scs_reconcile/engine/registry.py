"""Acquirer registries read by profile: bytes of a bank's CSV or XLSX in,
:class:`~.rows.RegistryRow` out, or a :class:`RegistryError` naming the line and column.

A :class:`Profile` says how one bank writes its file (encoding, delimiter, number and
date formats, the header text of each field, the bank's words for the operation
types); a new bank is a new profile, not new code. The parser finds the header row
under any title block, reads the rows up to the end or the totals row, checks the
totals, the signs and ``amount - fee == net``, and gives each row a stable ``key``
so that importing the same registry again yields the same keys.
"""

import csv
import datetime
import hashlib
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import ClassVar

from . import rows as R
from ._shared import errors, money

CSV = "csv"
XLSX = "xlsx"

#: every field a profile may map; the first five must be mapped
REQUIRED = ("date", "terminal_id", "kind", "rrn", "amount")
FIELDS = REQUIRED + (
    "time",
    "settlement_date",
    "merchant_id",
    "card_mask",
    "auth_code",
    "fee",
    "net",
    "batch",
    "currency",
)

#: the sign a kind gives the amount (merchant's side: + the bank owes, - it takes back)
SIGNS = MappingProxyType(
    {
        R.PURCHASE: 1,
        R.CANCEL_REFUND: 1,
        R.CHARGEBACK_REVERSAL: 1,
        R.REFUND: -1,
        R.REVERSAL: -1,
        R.CHARGEBACK: -1,
        R.FEE_ONLY: 0,
    }
)

#: thousands separators that count as one another
SPACES = " \u00a0\u202f\u2009"
CURRENCIES = MappingProxyType({"643": "RUB", "810": "RUB", "RUR": "RUB"})
_RRN = re.compile(r"[0-9A-Za-z]{12}")
ZERO = Decimal("0.00")


class RegistryError(errors.CodedError):
    """A registry (or a profile) that cannot be read; ``code`` and ``params`` word it.

    Lists in ``params`` are shown comma-joined; ``params["source"]`` (the file's
    name, when given) is not part of the message.
    """

    MESSAGES = {
        "profile_type": "profile {profile}: the file type {file_type} is neither csv nor xlsx",
        "profile_field": "profile {profile}: {field} is not a field of its files",
        "profile_required": "profile {profile}: no column is named for the field {field}",
        "profile_kind": "profile {profile}: {value} is not a row kind",
        "encoding": "line {line}: the file is not {encoding} text",
        "xlsx": "the file is not a readable XLSX workbook",
        "sheet": "the workbook has no sheet {sheet}",
        "csv": "line {line}: the CSV cannot be read ({problem})",
        "header": "no header row with the columns {expected} (the file was read as {encoding});"
        " missing: {missing}",
        "column": "line {line}: the header has no column {column}",
        "truncated": "line {line}: the row has {found} of the header's {expected} cells;"
        " the file may be cut short",
        "cells": "line {line}: the row has {found} cells, the header only {expected}",
        "empty": "line {line}, {column}: the cell is empty",
        "number": 'line {line}, {column}: "{value}" is not an amount in roubles and kopecks',
        "date": 'line {line}, {column}: "{value}" is not a date or time as {format}',
        "kind": 'line {line}, {column}: unknown operation type "{value}"',
        "sign": "line {line}, {column}: {value} has the wrong sign for {kind} ({raw})",
        "rrn": 'line {line}, {column}: RRN "{value}" is not 12 letters or digits',
        "net": "line {line}, {column}: {value} is not the amount {amount} less the fee {fee}",
        "totals": "line {line}, {column}: the totals row gives {found},"
        " the rows add up to {expected}",
        "no_totals": 'the table ends at line {line} without its totals row "{marker}"',
    }

    def __init__(self, code, **params):
        shown = {
            k: ", ".join(map(str, v)) if isinstance(v, list | tuple) else v
            for k, v in params.items()
        }
        super().__init__(code, **shown)
        self.params = params


@dataclass(frozen=True)
class Profile:
    """How one bank writes its registry; see the module's docstring."""

    #: what the file is read into: a statement profile (``statement.py``) changes them
    FIELDS: ClassVar[tuple] = FIELDS
    REQUIRED: ClassVar[tuple] = REQUIRED
    KINDS: ClassVar[tuple] = R.KINDS

    name: str
    file_type: str  # "csv" or "xlsx"
    columns: Mapping[str, str]  # field -> header text (matched after strip + casefold)
    kinds: Mapping[str, str]  # the bank's operation type (casefolded) -> rows.KINDS value
    encoding: str = "utf-8"  # "utf-8" also accepts a BOM
    delimiter: str = ","
    decimal_separator: str = "."
    thousands_separator: str = ""  # any space-like one stands for all of SPACES
    date_format: str = "%d.%m.%Y"  # a date-only column (and the settlement date)
    time_format: str = "%H:%M:%S"  # a separate time column
    datetime_format: str = "%Y-%m-%d %H:%M:%S"  # a combined date-time column
    sheet: str = ""  # xlsx: the sheet's name, "" for the first
    amount_signed: bool = True  # False: amounts are positive, the kind gives the sign
    totals_marker: str = ""  # a row whose first non-empty cell starts with it ends the table

    def __post_init__(self):
        def fail(code, **params):
            raise RegistryError(code, profile=self.name, **params)

        if self.file_type not in (CSV, XLSX):
            fail("profile_type", file_type=self.file_type)
        for field in self.columns:
            if field not in self.FIELDS:
                fail("profile_field", field=field)
        for field in self.REQUIRED:
            if not (self.columns.get(field) or "").strip():
                fail("profile_required", field=field)
        for kind in self.kinds.values():
            if kind not in self.KINDS:
                fail("profile_kind", value=kind)

    def kind_of(self, literal):
        """The row kind of the bank's operation type ``literal``, or None."""
        folded = literal.strip().casefold()
        for key, kind in self.kinds.items():
            if key.strip().casefold() == folded:
                return kind
        return None


@dataclass(frozen=True)
class Registry:
    rows: tuple[R.RegistryRow, ...]  # in file order
    sha256: str  # of the whole file
    header_line: int
    totals: dict | None  # the totals row's figures: {"line": n, "amount": ..., ...}


def parse(data, profile, source=""):
    """Read ``data`` (the file's bytes) with ``profile``; ``source`` (the file's
    name) is kept in the params of a :class:`RegistryError`."""
    data = bytes(data)
    try:
        return _Parser(profile).parse(data)
    except RegistryError as err:
        if not source:
            raise
        raise RegistryError(err.code, source=source, **err.params) from None


# -- cells ----------------------------------------------------------------------


def _text(value):
    """A cell as stripped text; integral numbers without a fraction."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@lru_cache(maxsize=32)
def _number_re(decimal, thousands):
    if not thousands:
        whole = "[0-9]+"
    else:
        sep = f"[{SPACES}]" if thousands in SPACES else re.escape(thousands)
        whole = f"[0-9]{{1,3}}(?:{sep}[0-9]{{3}})+|[0-9]+"
    return re.compile(f"([-+\u2212]?)({whole})(?:{re.escape(decimal)}([0-9]+))?")


def _decimal(value, profile):
    """A cell as a Decimal, or None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(format(value, ".15g"))  # Excel keeps 15 digits: drop binary noise
    if not isinstance(value, str):
        return None
    match = _number_re(profile.decimal_separator, profile.thousands_separator).fullmatch(
        value.strip()
    )
    if not match:
        return None
    sign, whole, fraction = match.groups()
    digits = re.sub("[^0-9]", "", whole) + "." + (fraction or "0")
    return -Decimal(digits) if sign in ("-", "\u2212") else Decimal(digits)


def _strptime(text, fmt, cache=None):
    """``datetime.strptime``, or None; ``cache``: a dict of the values read so far (a
    registry repeats its few dates on every row)."""
    if cache is not None:
        found = cache.get((text, fmt), _UNREAD)
        if found is not _UNREAD:
            return found
    try:
        found = datetime.datetime.strptime(text, fmt)
    except ValueError:
        found = None
    if cache is not None:
        cache[text, fmt] = found
    return found


_UNREAD = object()


def _when(value, formats, cache=None):
    """A cell as a datetime (a date at midnight), or None."""
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, datetime.time())
    if isinstance(value, str):
        for fmt in formats:
            found = _strptime(value.strip(), fmt, cache)
            if found is not None:
                return found
    return None


def _clock(value, fmt, cache=None):
    """A cell as a time of day, or None."""
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        found = _strptime(value.strip(), fmt, cache)
        return found.time() if found is not None else None
    return None


def _ident(value, width):
    """An identifier cell; a number that lost its leading zeros in Excel gets them back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _text(value).zfill(width)
    return _text(value)


class _Row:
    """The cells of one data row, read by field name."""

    def __init__(self, line, values, columns, profile, dates=None):
        self.line = line
        self.values = values
        self.columns = columns  # field -> (index, header text)
        self.profile = profile
        self.dates = dates  # the parser's cache of the dates and times read

    def has(self, field):
        return field in self.columns

    def raw(self, field):
        if field not in self.columns:
            return None
        index = self.columns[field][0]
        return self.values[index] if index < len(self.values) else None

    def text(self, field):
        return _text(self.raw(field))

    def error(self, code, field, **params):
        return RegistryError(code, line=self.line, column=self.columns[field][1], **params)

    def number(self, field, default=None):
        """The field as Decimal kopecks; ``default`` for an empty cell (None: required)."""
        value = self.raw(field)
        if _text(value) == "":
            if default is None:
                raise self.error("number", field, value="")
            return default
        number = _decimal(value, self.profile)
        if number is None or not number.is_finite() or number != number.quantize(money.KOPECK):
            raise self.error("number", field, value=_text(value))
        return number.quantize(money.KOPECK)

    def when(self, field, formats):
        value = self.raw(field)
        found = _when(value, formats, self.dates)
        if found is None:
            raise self.error("date", field, value=_text(value), format=" or ".join(formats))
        return found

    def operation_at(self):
        profile = self.profile
        if not self.has("time"):
            return self.when("date", (profile.datetime_format, profile.date_format))
        day = self.when("date", (profile.date_format,)).date()
        clock = _clock(self.raw("time"), profile.time_format, self.dates)
        if clock is None:
            raise self.error("date", "time", value=self.text("time"), format=profile.time_format)
        return datetime.datetime.combine(day, clock)

    def settlement_date(self):
        if not self.text("settlement_date"):
            return None
        profile = self.profile
        return self.when("settlement_date", (profile.date_format, profile.datetime_format)).date()

    def kind(self):
        raw = self.text("kind")
        kind = self.profile.kind_of(raw)
        if kind is None:
            raise self.error("kind", "kind", value=raw)
        return kind, raw

    def amounts(self, kind, raw_kind):
        """(amount, fee, net) signed from the merchant's side, and as printed."""
        printed = self.number("amount")
        sign = SIGNS[kind]
        if self.profile.amount_signed:
            wrong = printed * sign < 0
            amount = printed
        else:
            wrong = printed < 0 and sign > 0
            amount = abs(printed) * sign
        if wrong:
            raise self.error("sign", "amount", value=printed, kind=kind, raw=raw_kind)
        if kind == R.FEE_ONLY:
            amount = ZERO
        printed_fee = self.number("fee", ZERO) if self.has("fee") else ZERO
        fee = abs(printed_fee)
        net = amount - fee
        if self.has("net"):
            printed_net = self.number("net")
            if printed_net != net:
                raise self.error("net", "net", value=printed_net, amount=amount, fee=fee)
        return (amount, fee, net), {"amount": printed, "fee": printed_fee, "net": net}

    def identifier(self, field, width=0, required=False):
        value = _ident(self.raw(field), width) if width else self.text(field)
        if required and not value:
            raise self.error("empty", field)
        return value


# -- the file -------------------------------------------------------------------


class _Parser:
    def __init__(self, profile):
        self.profile = profile

    def parse(self, data):
        profile = self.profile
        lines = self._csv(data) if profile.file_type == CSV else self._xlsx(data)
        header_line, columns, width = self._header(lines)
        found, totals, last = [], None, header_line
        marker = profile.totals_marker.strip().casefold()
        dates = {}
        for line, values in lines:
            texts = [_text(v) for v in values]
            if not any(texts):
                continue
            last = line
            first = next(t for t in texts if t)
            if marker and first.casefold().startswith(marker):
                totals = self._totals(_Row(line, values, columns, profile, dates), found)
                break
            if profile.file_type == CSV:
                self._check_width(line, texts, width)
            found.append(self._row(_Row(line, values, columns, profile, dates)))
        if marker and totals is None:
            raise RegistryError("no_totals", line=last, marker=profile.totals_marker)
        return Registry(
            rows=self._keyed([row for row, _printed in found]),
            sha256=hashlib.sha256(data).hexdigest(),
            header_line=header_line,
            totals=totals,
        )

    # reading

    def _decode(self, data):
        encoding = self.profile.encoding
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            encoding = "utf-8-sig"  # the same, and a BOM is dropped
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            raise RegistryError("encoding", line=line, encoding=self.profile.encoding) from None

    def _csv(self, data):
        """(line, cells) of the CSV's rows; ``line`` is the row's first file line."""
        text = self._decode(data)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.profile.delimiter)
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                raise RegistryError("csv", line=line, problem=str(err)) from None
            yield line, cells

    def _xlsx(self, data):
        """(row number, values) of the sheet's rows."""
        import openpyxl  # only XLSX profiles need it

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # a zip, XML or openpyxl error: not a workbook we can read
            raise RegistryError("xlsx") from None
        try:
            name = self.profile.sheet
            if name and name not in book.sheetnames:
                raise RegistryError("sheet", sheet=name)
            sheet = book[name] if name else book.worksheets[0]
            sheet.reset_dimensions()  # some writers store a wrong size: read every row
            values = [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            book.close()
        yield from enumerate(values, 1)

    def _header(self, lines):
        """(line, field -> (index, header text), width) of the first row with the
        required headers."""
        columns = self.profile.columns
        required = self.profile.REQUIRED
        wanted = {f: columns[f].strip().casefold() for f in columns}
        best = []
        for line, values in lines:
            heads = [_text(v).casefold() for v in values]
            present = [f for f in required if wanted[f] in heads]
            best = max(best, present, key=len)
            if len(present) < len(required):
                continue
            found = {}
            for field, head in wanted.items():
                if head not in heads:
                    raise RegistryError("column", line=line, column=columns[field].strip())
                found[field] = (heads.index(head), _text(values[heads.index(head)]))
            width = max(i for i, h in enumerate(heads) if h) + 1
            return line, found, width
        raise RegistryError(
            "header",
            expected=[columns[f].strip() for f in self.profile.FIELDS if f in columns],
            missing=[columns[f].strip() for f in required if f not in best],
            encoding=self.profile.encoding,
        )

    @staticmethod
    def _check_width(line, texts, width):
        if len(texts) < width:
            raise RegistryError("truncated", line=line, found=len(texts), expected=width)
        if any(texts[width:]):
            raise RegistryError("cells", line=line, found=len(texts), expected=width)

    # rows

    @staticmethod
    def _row(cells):
        kind, raw_kind = cells.kind()
        rrn = cells.identifier("rrn", width=12)
        if kind != R.FEE_ONLY and not _RRN.fullmatch(rrn):
            raise cells.error("rrn", "rrn", value=rrn)
        (amount, fee, net), printed = cells.amounts(kind, raw_kind)
        currency = cells.text("currency").upper()
        row = R.RegistryRow(
            line=cells.line,
            key="",
            kind=kind,
            operation_at=cells.operation_at(),
            settlement_date=cells.settlement_date(),
            terminal_id=cells.identifier("terminal_id", required=True),
            rrn=rrn,
            amount=amount,
            fee=fee,
            net=net,
            auth_code=cells.identifier("auth_code", width=6),
            card_mask=cells.text("card_mask"),
            merchant_id=cells.text("merchant_id"),
            batch=cells.text("batch"),
            currency=CURRENCIES.get(currency, currency) or "RUB",
            raw_kind=raw_kind,
        )
        return row, printed

    #: the figures a totals row may give
    TOTALS = ("amount", "fee", "net")

    def _ident(self, row):
        """What identifies a row's operation, for its key."""
        return (
            self.profile.name,
            row.terminal_id,
            row.rrn,
            row.kind,
            str(row.amount),
            row.operation_at.isoformat(),
            row.auth_code,
        )

    def _keyed(self, found):
        """The rows with their keys: a hash of what identifies the operation, and of
        how many identical rows came before (two genuine twins stay two rows)."""
        seen = Counter()
        keyed = []
        for row in found:
            ident = self._ident(row)
            occurrence = seen[ident]
            seen[ident] += 1
            text = "\x1f".join((*ident, str(occurrence)))
            key = hashlib.sha256(text.encode()).hexdigest()[:32]
            keyed.append(replace(row, key=key))
        return tuple(keyed)

    def _totals(self, cells, found):
        """Check the totals row against the rows: each figure it gives must be the sum
        of its column, signed as parsed or as printed."""
        totals = {"line": cells.line}
        for field in self.TOTALS:
            if not cells.has(field) or not cells.text(field):
                continue
            given = cells.number(field)
            parsed = sum((getattr(row, field) or ZERO for row, _printed in found), ZERO)
            as_printed = sum((printed[field] for _row, printed in found), ZERO)
            if given not in (parsed, as_printed):
                raise cells.error("totals", field, expected=parsed, found=given)
            totals[field] = given
        return totals


# -- the banks of the sample registries (tests/data/acquirer/) -----------------


def _kinds(mapping):
    return MappingProxyType({literal.casefold(): kind for literal, kind in mapping.items()})


#: ready profiles, re-tune them on the first real file of each bank
PROFILES = MappingProxyType(
    {
        # cp1251 ";" CSV; amount and fee positive, the net signed by the kind
        "sber": Profile(
            name="sber",
            file_type=CSV,
            columns=MappingProxyType(
                {
                    "date": "Дата операции",
                    "time": "Время операции",
                    "settlement_date": "Дата расчета",
                    "terminal_id": "Номер терминала",
                    "merchant_id": "Номер мерчанта",
                    "kind": "Тип операции",
                    "card_mask": "Номер карты",
                    "auth_code": "Код авторизации",
                    "rrn": "RRN",
                    "amount": "Сумма операции",
                    "fee": "Комиссия",
                    "net": "Сумма к возмещению",
                    "batch": "Номер пакета",
                    "currency": "Валюта",
                }
            ),
            kinds=_kinds(
                {
                    "Оплата": R.PURCHASE,
                    "Возврат": R.REFUND,
                    "Отмена": R.REVERSAL,  # cancels a purchase, same RRN
                    "Опротестование": R.CHARGEBACK,
                }
            ),
            encoding="cp1251",
            delimiter=";",
            decimal_separator=",",
            date_format="%d.%m.%Y",
            time_format="%H:%M:%S",
            amount_signed=False,
        ),
        # UTF-8 "," CSV, ISO date-times; amount positive, amount_to_settle signed
        "tbank": Profile(
            name="tbank",
            file_type=CSV,
            columns=MappingProxyType(
                {
                    "date": "transaction_datetime",
                    "settlement_date": "settlement_date",
                    "terminal_id": "terminal_id",
                    "merchant_id": "merchant_id",
                    "kind": "operation_type",
                    "card_mask": "card_mask",
                    "auth_code": "auth_code",
                    "rrn": "rrn",
                    "amount": "amount",
                    "fee": "fee",
                    "net": "amount_to_settle",
                    "batch": "batch_number",
                    "currency": "currency",
                }
            ),
            # the operation types of T-Bank's acquiring registries (reference §A1)
            kinds=_kinds(
                {
                    "Debit": R.PURCHASE,
                    "Credit": R.REFUND,
                    "CancelRefund": R.CANCEL_REFUND,
                    "Chargeback": R.CHARGEBACK,
                    "2Chargeback": R.CHARGEBACK,
                    "Chargeback_Reversal": R.CHARGEBACK_REVERSAL,
                    "2Chargeback_Reversal": R.CHARGEBACK_REVERSAL,
                    "CR_Chargeback": R.CANCEL_REFUND,  # the issuer sends a refund back
                    "Representment": R.CHARGEBACK_REVERSAL,  # the chargeback disputed back
                    "Representment_Reversal": R.CHARGEBACK,
                    "AUTH_FAIL": R.FEE_ONLY,
                    "CreditClientCorrection": R.CHARGEBACK,  # manual write-off (-)
                    "DebitClientCorrection": R.CHARGEBACK_REVERSAL,  # manual credit (+)
                }
            ),
            encoding="utf-8",
            delimiter=",",
            decimal_separator=".",
            date_format="%Y-%m-%d",
            datetime_format="%Y-%m-%d %H:%M:%S",
            amount_signed=False,
        ),
        # XLSX with Excel date and number cells; text cells as the Russian locale writes
        "vtb": Profile(
            name="vtb",
            file_type=XLSX,
            columns=MappingProxyType(
                {
                    "date": "Дата транзакции",
                    "settlement_date": "Дата зачисления",
                    "terminal_id": "ID терминала",
                    "merchant_id": "ID ТСП",
                    "kind": "Тип",
                    "card_mask": "Карта",
                    "auth_code": "Код авторизации",
                    "rrn": "RRN",
                    "amount": "Сумма",
                    "fee": "Комиссия",
                    "net": "К зачислению",
                }
            ),
            kinds=_kinds(
                {
                    "Покупка": R.PURCHASE,
                    "Возврат покупки": R.REFUND,
                    "Отмена покупки": R.REVERSAL,
                    "Чарджбэк": R.CHARGEBACK,
                }
            ),
            sheet="Операции",
            decimal_separator=",",
            thousands_separator="\u00a0",
            date_format="%d.%m.%Y",
            datetime_format="%d.%m.%Y %H:%M:%S",
            amount_signed=True,
        ),
    }
)
