"""Statements of third-party suppliers (insurers, lounges, other carriers, the
corporate shop) read by profile: bytes of a CSV or XLSX in, :class:`StatementRow`
out, or a :class:`~.registry.RegistryError` naming the line and column.

The supplier lists what our offices sold on its behalf: a document (EMD, policy or
voucher number) per row, or an item code and a quantity where it counts goods (the
corporate shop). The file is read by the registry parser (same encodings, header
blocks, totals rows and number formats); only the fields and the rows differ.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import ClassVar

from . import registry
from .registry import CSV, XLSX, RegistryError

SALE = "sale"
REFUND = "refund"
KINDS = (SALE, REFUND)

REQUIRED = ("date", "amount")
FIELDS = REQUIRED + (
    "document",
    "item",
    "kind",
    "quantity",
    "commission",
    "booking",
    "passenger",
    "currency",
)
#: one of them must be mapped: what identifies a row
IDENTIFIERS = ("document", "item")
ONE = Decimal(1)
_SEPARATORS = re.compile(r"[\s\-/]+")


def document_key(value):
    """A document number as both sides compare it: ``555-2412345678`` and
    ``555 2412345678`` are the same e-ticket."""
    return _SEPARATORS.sub("", value or "").upper()


@dataclass(frozen=True)
class StatementProfile(registry.Profile):
    """How one supplier writes its statement; the fields are :data:`FIELDS`."""

    FIELDS: ClassVar[tuple] = FIELDS
    REQUIRED: ClassVar[tuple] = REQUIRED
    KINDS: ClassVar[tuple] = KINDS

    def __post_init__(self):
        result = super().__post_init__()
        if not any((self.columns.get(f) or "").strip() for f in IDENTIFIERS):
            raise RegistryError("profile_required", profile=self.name, field="document")
        return result


@dataclass(frozen=True)
class StatementRow:
    line: int
    key: str  # stable identity of the row across re-imports
    kind: str  # SALE or REFUND
    day: object  # datetime.date of the sale as the supplier dates it
    amount: Decimal  # signed: a sale +, a refund -
    document: str = ""  # as written
    item: str = ""
    quantity: Decimal = ONE  # positive
    commission: Decimal | None = None  # signed like the amount, when the file gives it
    booking: str = ""
    passenger: str = ""
    currency: str = "RUB"
    raw_kind: str = ""

    @property
    def document_key(self):
        return document_key(self.document)


@dataclass(frozen=True)
class Statement:
    rows: tuple[StatementRow, ...]
    sha256: str
    header_line: int
    totals: dict | None


def parse(data, profile, source=""):
    """Read ``data`` with a :class:`StatementProfile`; see :func:`registry.parse`."""
    data = bytes(data)
    try:
        found = _Parser(profile).parse(data)
    except RegistryError as err:
        if not source:
            raise
        raise RegistryError(err.code, source=source, **err.params) from None
    return Statement(found.rows, found.sha256, found.header_line, found.totals)


class _Parser(registry._Parser):  # pylint: disable=protected-access
    def _row(self, cells):
        profile = self.profile
        printed = cells.number("amount")
        if cells.has("kind") and cells.text("kind"):
            kind, raw_kind = cells.kind()
        else:
            kind, raw_kind = (REFUND if printed < 0 else SALE), ""
        sign = -1 if kind == REFUND else 1
        if profile.amount_signed and printed * sign < 0:
            raise cells.error("sign", "amount", value=printed, kind=kind, raw=raw_kind)
        amount = abs(printed) * sign
        commission, printed_commission = None, Decimal("0.00")
        if cells.has("commission") and cells.text("commission"):
            printed_commission = cells.number("commission")
            commission = abs(printed_commission) * sign
        quantity = ONE
        if cells.has("quantity") and cells.text("quantity"):
            quantity = abs(cells.number("quantity"))
            if not quantity:
                raise cells.error("number", "quantity", value=cells.text("quantity"))
        document = cells.identifier("document") if cells.has("document") else ""
        item = cells.identifier("item") if cells.has("item") else ""
        if not document and not item:
            field = "document" if cells.has("document") else "item"
            raise cells.error("empty", field)
        currency = cells.text("currency").upper() if cells.has("currency") else ""
        row = StatementRow(
            line=cells.line,
            key="",
            kind=kind,
            day=cells.when("date", (profile.date_format, profile.datetime_format)).date(),
            amount=amount,
            document=document,
            item=item,
            quantity=quantity,
            commission=commission,
            booking=cells.text("booking") if cells.has("booking") else "",
            passenger=cells.text("passenger") if cells.has("passenger") else "",
            currency=registry.CURRENCIES.get(currency, currency) or "RUB",
            raw_kind=raw_kind,
        )
        return row, {"amount": printed, "commission": printed_commission}

    TOTALS = ("amount", "commission")

    def _ident(self, row):
        return (
            self.profile.name,
            row.document_key,
            row.item,
            row.kind,
            str(row.amount),
            str(row.quantity),
            row.day.isoformat(),
        )


def _kinds(mapping):
    return MappingProxyType({literal.casefold(): kind for literal, kind in mapping.items()})


#: ready profiles of the supplier statements in tests/data/statements/
PROFILES = MappingProxyType(
    {
        # an insurer's monthly agent report: cp1251 ";" CSV, one row per policy
        "insurer": StatementProfile(
            name="insurer",
            file_type=CSV,
            columns=MappingProxyType(
                {
                    "date": "Дата продажи",
                    "document": "Номер полиса",
                    "kind": "Операция",
                    "booking": "Бронирование",
                    "passenger": "Застрахованный",
                    "amount": "Страховая премия",
                    "commission": "Агентское вознаграждение",
                }
            ),
            kinds=_kinds({"Продажа": SALE, "Возврат": REFUND}),
            encoding="cp1251",
            delimiter=";",
            decimal_separator=",",
            thousands_separator="\u00a0",
            date_format="%d.%m.%Y",
            amount_signed=False,
            totals_marker="Итого",
        ),
        # the corporate shop's XLSX: goods by item code, signed quantities and sums
        "shop": StatementProfile(
            name="shop",
            file_type=XLSX,
            columns=MappingProxyType(
                {
                    "date": "Дата",
                    "item": "Артикул",
                    "quantity": "Количество",
                    "amount": "Сумма",
                }
            ),
            kinds=MappingProxyType({}),
            date_format="%d.%m.%Y",
            decimal_separator=",",
            amount_signed=True,
        ),
    }
)
