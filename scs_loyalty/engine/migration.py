"""Moving an office onto SCS: its old system's files read, checked and planned.

Policy:

1. One file per kind of data, named after it (``customers.csv``, or
   ``customers_2.xlsx`` for a second part): services, customers, certificates,
   vouchers, points, cash_openings. The first non-empty row names the columns
   (``LAYOUTS``, any order, case does not matter); an unknown column is an error,
   so that a misspelt optional column is not silently dropped.
2. CSV is UTF-8 (with or without a BOM) or, when it is not valid UTF-8, cp1251,
   which the offices' old systems export; ``;`` or ``,`` separates the cells,
   whichever the header row uses. XLSX: the first sheet.
3. Everything is checked before anything is written: every bad cell or row is an
   ``Issue`` (file, line, column, reason) and one issue anywhere means nothing is
   written. Money is roubles with at most two decimals (``1 234,50`` or
   ``1234.50``), dates are ``YYYY-MM-DD`` or ``DD.MM.YYYY``.
4. Each record has a key (a service's code, a customer's legacy id, a card's
   code, a desk's name) that ``Known`` answers for the database: a record the
   database holds with the same data is *unchanged*, one it holds with other data
   is a *conflict* (balances move by the ledger only after go-live), the rest is
   created. Hence a second run of the same files creates nothing.
5. Certificate and voucher codes stay the ones printed for the customers: a code
   that is not one of SCS's (20 symbols with a check symbol) is a *legacy* code,
   kept as typed without spaces and dashes, upper case.

No ``import odoo``: the Odoo layer reads the database into ``Known`` and writes
the ``Plan``.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import codes
from ._shared import errors, inn

KOPECK = Decimal("0.01")
ZERO = Decimal(0)

SERVICES = "services"
CUSTOMERS = "customers"
CERTIFICATES = "certificates"
VOUCHERS = "vouchers"
POINTS = "points"
CASH_OPENINGS = "cash_openings"
KINDS = (SERVICES, CUSTOMERS, CERTIFICATES, VOUCHERS, POINTS, CASH_OPENINGS)
CARD_KINDS = {CERTIFICATES: "certificate", VOUCHERS: "voucher"}

SERVICE_KINDS = ("own", "agent", "goods")
VAT_CODES = ("22", "20", "10", "0", "none")
CERTIFICATE_VAT_RATES = (Decimal(22), Decimal(20), Decimal(10), ZERO)
RUB = ("", "RUB", "RUR", "643", "РУБ", "РУБ.")
_LEGACY_CODE = re.compile(r"^[0-9A-Z]{3,40}$")
_SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,20}$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text, money, points, date, choice
    required: bool = False
    help: str = ""


_CURRENCY = Column("currency", "text", help="RUB; empty means RUB, any other currency is refused")
_CUSTOMER_NAME = Column(
    "customer_name",
    "text",
    help="optional check: must be the customer's name in the customers file or in SCS",
)

#: the columns of each kind's file
LAYOUTS = {
    SERVICES: (
        Column("code", "text", True, "internal reference, the service's key"),
        Column("name", "text", True, "name on the receipt"),
        Column("kind", "choice", True, "own, agent, or goods (a stock item of the shop)"),
        Column("price", "money", True, "sales price, VAT included"),
        Column("vat", "choice", True, "VAT: 22, 20, 10, 0 or none"),
        Column("supplier_inn", "text", help="the principal's INN: required for agent"),
        Column("supplier_name", "text", help="the principal's name, if SCS lacks its INN"),
        Column("booking_code", "text", help="the service's code in the booking system"),
        Column("barcode", "text", help="barcode"),
        _CURRENCY,
    ),
    CUSTOMERS: (
        Column("legacy_id", "text", True, "the customer's id in the old system: the key"),
        Column("name", "text", True, "full name"),
        Column("phone", "text", help="phone"),
        Column("email", "text", help="e-mail"),
        Column("inn", "text", help="INN, for a company or an entrepreneur"),
    ),
    CERTIFICATES: (
        Column("code", "text", True, "the code printed on the certificate: the key"),
        Column("balance", "money", True, "what is left on it, above zero"),
        Column("issued", "date", True, "the day it was sold"),
        Column("expires", "date", help="last day it can be spent; empty: the program's"),
        Column("nominal", "money", help="what it was sold for; empty: the balance"),
        Column("vat_rate", "choice", help="VAT charged on its sale (advance): 22, 20, 10, 0"),
        Column("customer_id", "text", help="legacy id of its buyer, if known"),
        _CUSTOMER_NAME,
        _CURRENCY,
    ),
    VOUCHERS: (
        Column("code", "text", True, "the code printed on the voucher: the key"),
        Column("balance", "money", True, "what is left on it, above zero"),
        Column("issued", "date", True, "the day it was issued"),
        Column("customer_id", "text", True, "legacy id of the passenger"),
        Column("expires", "date", help="last day it can be spent; empty: the program's"),
        Column("reason", "text", help="why the airline owes it"),
        _CUSTOMER_NAME,
        _CURRENCY,
    ),
    POINTS: (
        Column("customer_id", "text", True, "legacy id of the customer"),
        Column("points", "points", True, "points of one accrual still unspent, above zero"),
        Column("accrued", "date", True, "the accrual's day: spending and expiry go by it"),
        Column("expires", "date", help="last day they can be spent; empty: the program's"),
        _CUSTOMER_NAME,
    ),
    CASH_OPENINGS: (
        Column("desk", "text", True, "the cash desk (POS) name in SCS"),
        Column("day", "date", True, "the office's day its first cash book sheet opens"),
        Column("balance", "money", True, "cash in the desk at the start of that day"),
        _CURRENCY,
    ),
}


class MigrationError(errors.CodedError):
    """Why a cell, a row or a file cannot be imported."""

    MESSAGES = {
        "source": "{source} is not a source name (1 to 20 letters, digits, - or _)",
        "no_files": "no files to import",
        "file_kind": "the file's name does not say its kind (one of {kinds})",
        "file_type": "only .csv and .xlsx files are read",
        "xlsx": "not an XLSX workbook that can be read",
        "csv": "unreadable CSV: {problem}",
        "empty": "the file has no header row",
        "unknown_column": "unknown column {column} (columns: {columns})",
        "missing_column": "the required column {column} is missing",
        "twice_column": "column {column} appears twice",
        "width": "{count} cells, the header has {width}",
        "required": "is required",
        "money": "{text} is not an amount in roubles and kopecks",
        "points": "{text} is not a number of points",
        "date": "{text} is not a date (YYYY-MM-DD or DD.MM.YYYY)",
        "choice": "{text} is not one of {choices}",
        "currency": "currency {text}: only roubles (RUB) are imported",
        "negative": "{amount} is negative",
        "not_positive": "{amount} is not above zero",
        "future": "{day} is in the future",
        "expired": "expired on {day}: not open any more",
        "expired_default": "expired on {day}, {months} months after {start} (the "
        "program's validity): not open any more",
        "program_none": "SCS has no {kind} program to import into: create it first",
        "program_many": "SCS has {count} {kind} programs: choose the one to import into",
        "before": "{day} is before {other}",
        "nominal": "the nominal {nominal} is below the balance {balance}",
        "inn": "{problem}",
        "supplier": "an agent service needs its supplier's INN",
        "supplier_unknown": "no supplier with INN {inn} in SCS: give its supplier_name",
        "code": "{text} is not a code (3 to 40 letters and digits)",
        "duplicate": "{key} is already on line {line} of this file",
        "other_file": "{key} is in {file} line {line} with other data",
        "card_kind": "{key} is also a {kind} in {file} line {line}",
        "customer_unknown": "customer {key} is neither in the customers file nor in SCS",
        "customer_name": "customer {key} is {name}, not {given}",
        "conflict": "{key} is already in SCS with other data ({what})",
        "code_taken": "code {key} already belongs to a card SCS issued",
        "points_conflict": "the points of {key} were already imported: {had} in {lines} "
        "lines, not {given} in {given_lines}",
        "desk_unknown": "no cash desk is named {key}",
        "desk_ambiguous": "{count} cash desks are named {key}",
        "desk_office": "cash desk {key} belongs to no office: it keeps no cash book",
        "desk_started": "cash desk {key} keeps its cash book in SCS since {day} "
        "(opening {opening})",
    }


@dataclass(frozen=True)
class Issue:
    """One bad cell, row or file: where it is and why."""

    file: str
    line: int  # 0: the file as a whole
    column: str
    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def reason(self):
        return MigrationError.MESSAGES[self.code].format(**self.params)

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.reason}"


def _meta():
    return field(default="", compare=False)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    kind: str
    price: Decimal
    vat: str
    supplier_inn: str = ""
    booking_code: str = ""
    barcode: str = ""
    supplier_name: str = field(default="", compare=False)
    file: str = _meta()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Customer:
    legacy_id: str
    name: str
    phone: str = ""
    email: str = ""
    inn: str = ""
    file: str = _meta()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Card:
    """An open certificate or voucher: its opening balance is one lot."""

    kind: str  # certificate / voucher
    code: str
    balance: Decimal
    issued: datetime.date
    expires: datetime.date | None = None
    customer_id: str = ""
    nominal: Decimal = field(default=ZERO, compare=False)
    vat_rate: Decimal = field(default=ZERO, compare=False)
    reason: str = field(default="", compare=False)
    legacy: bool = field(default=False, compare=False)
    customer_name: str = field(default="", compare=False)
    file: str = _meta()
    line: int = field(default=0, compare=False)

    @property
    def vat_amount(self):
        """The VAT in the balance, as charged on the advance."""
        rate = self.vat_rate
        return (self.balance * rate / (100 + rate)).quantize(KOPECK, ROUND_HALF_UP)


@dataclass(frozen=True)
class PointsLot:
    """Points of one accrual still unspent; ``number`` orders a customer's lots."""

    customer_id: str
    points: Decimal
    accrued: datetime.date
    expires: datetime.date | None = None
    number: int = 0
    customer_name: str = field(default="", compare=False)
    file: str = _meta()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class CashOpening:
    desk: str
    day: datetime.date
    balance: Decimal
    file: str = _meta()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class SourceFile:
    name: str
    kind: str
    sha256: str
    rows: int


@dataclass
class Batch:
    """What the files hold, read and checked row by row."""

    source: str
    files: list = field(default_factory=list)  # SourceFile
    records: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    issues: list = field(default_factory=list)

    @property
    def key(self):
        """The same files (whatever their names) from the same source: the same key."""
        return _key(self.source, ((f.kind, f.sha256) for f in self.files))

    def keys(self):
        """What to look up in the database: kind -> set of keys."""
        records = self.records
        customers = {c.legacy_id for c in records[CUSTOMERS]}
        for kind in (CERTIFICATES, VOUCHERS, POINTS):
            customers |= {r.customer_id for r in records[kind] if r.customer_id}
        return {
            SERVICES: {s.code for s in records[SERVICES]},
            "suppliers": {s.supplier_inn for s in records[SERVICES] if s.supplier_inn},
            CUSTOMERS: customers,
            "cards": {c.code for kind in CARD_KINDS for c in records[kind]},
            POINTS: {p.customer_id for p in records[POINTS]},
            CASH_OPENINGS: {c.desk for c in records[CASH_OPENINGS]},
        }


@dataclass(frozen=True)
class KnownCard:
    """A card of the database: ``opening`` is its imported balance, None when SCS
    issued it (its code is taken)."""

    kind: str
    opening: Decimal | None
    issued: datetime.date | None = None
    expires: datetime.date | None = None
    customer_id: str = ""


@dataclass(frozen=True)
class KnownPoints:
    points: Decimal
    lines: int


@dataclass(frozen=True)
class KnownDesk:
    count: int = 1
    has_office: bool = True
    first_day: datetime.date | None = None
    first_opening: Decimal | None = None


@dataclass
class Known:
    """The database's side of the files' keys."""

    services: dict = field(default_factory=dict)  # code -> Service
    suppliers: set = field(default_factory=set)  # INNs
    customers: dict = field(default_factory=dict)  # legacy id -> Customer
    cards: dict = field(default_factory=dict)  # code -> KnownCard
    points: dict = field(default_factory=dict)  # legacy id -> KnownPoints (imported)
    desks: dict = field(default_factory=dict)  # name -> KnownDesk


@dataclass
class Total:
    count: int = 0
    amount: Decimal = ZERO

    def add(self, amount=ZERO):
        self.count += 1
        self.amount += amount


@dataclass
class Plan:
    """What to create; nothing may be written unless ``ok``."""

    batch: Batch
    create: dict = field(default_factory=lambda: {kind: [] for kind in KINDS})
    unchanged: Counter = field(default_factory=Counter)
    issues: list = field(default_factory=list)
    new_suppliers: dict = field(default_factory=dict)  # INN -> name

    @property
    def ok(self):
        return not self.issues

    @property
    def created(self):
        return {kind: len(self.create[kind]) for kind in KINDS}


# -- reading -------------------------------------------------------------------------


def _key(source, kinds_and_digests):
    digest = hashlib.sha256((source or "").encode())
    for line in sorted(f"{kind}:{sha}" for kind, sha in kinds_and_digests):
        digest.update(b"\n" + line.encode())
    return digest.hexdigest()


def files_key(source, files):
    """``Batch.key`` of ``files`` ((name, bytes) pairs) without reading them."""
    return _key(source, ((kind_of(name), hashlib.sha256(data).hexdigest()) for name, data in files))


def add_months(day, months):
    """``day`` ``months`` later, on the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def kind_of(name):
    """The kind of a file from its name (``customers_2.csv``: customers), or None."""
    stem = name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    for kind in sorted(KINDS, key=len, reverse=True):
        if stem == kind or (stem.startswith(kind) and stem[len(kind)] in "_-. "):
            return kind
    return None


def _decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _csv_rows(data):
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        yield line, cells


def _xlsx_rows(data):
    import openpyxl  # only XLSX files need it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size: read every row
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    yield from enumerate(rows, 1)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).replace("\u00a0", " ").strip()


_AMOUNT = re.compile(r"^-?\d+(\.\d+)?$")


def _number(value, places):
    """A Decimal of at most ``places`` decimals, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = re.sub(r"[\s']", "", _text(value)).replace(",", ".")
        if not _AMOUNT.match(text):
            return None
        number = Decimal(text)
    try:
        rounded = number.quantize(Decimal(1).scaleb(-places))
    except InvalidOperation:
        return None
    return rounded if rounded == number else None


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class _Row:
    """One data row of a file: typed cells, issues collected on the way."""

    def __init__(self, reader, line, cells):
        self.reader = reader
        self.line = line
        self.cells = cells

    def error(self, column, code, **params):
        self.reader.issues.append(Issue(self.reader.name, self.line, column, code, params))

    def raw(self, name):
        index = self.reader.columns.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, name):
        value = _text(self.raw(name))
        if not value and self.reader.layout[name].required:
            self.error(name, "required")
        return value

    def money(self, name, places=2, code="money"):
        raw = self.raw(name)
        if not _text(raw):
            if self.reader.layout[name].required:
                self.error(name, "required")
            return None
        amount = _number(raw, places)
        if amount is None:
            self.error(name, code, text=_text(raw))
        return amount

    def date(self, name):
        raw = self.raw(name)
        if not _text(raw):
            if self.reader.layout[name].required:
                self.error(name, "required")
            return None
        day = _date(raw)
        if day is None:
            self.error(name, "date", text=_text(raw))
        return day

    def choice(self, name, choices):
        value = self.text(name).lower()
        if value and value not in choices:
            self.error(name, "choice", text=value, choices=", ".join(choices))
            return None
        return value

    def roubles(self):
        value = _text(self.raw("currency")).upper()
        if value not in RUB:
            self.error("currency", "currency", text=value)


class _Reader:
    def __init__(self, name, kind):
        self.name = name
        self.kind = kind
        self.layout = {column.name: column for column in LAYOUTS[kind]}
        self.columns = {}
        self.issues = []

    def rows(self, lines):
        width = None
        for line, cells in lines:
            texts = [_text(c) for c in cells]
            if not any(texts):
                continue
            if width is None:
                width = self._header(line, texts)
                if width is None:
                    return
                continue
            if len(texts) > width and any(texts[width:]):
                self.issues.append(
                    Issue(self.name, line, "", "width", {"count": len(texts), "width": width})
                )
                continue
            yield _Row(self, line, cells)
        if width is None:
            self.issues.append(Issue(self.name, 0, "", "empty"))

    def _header(self, line, texts):
        names = [t.lower() for t in texts]
        while names and not names[-1]:
            names.pop()
        ok = True
        for index, name in enumerate(names):
            if name not in self.layout:
                columns = ", ".join(self.layout)
                self.issues.append(
                    Issue(
                        self.name,
                        line,
                        name,
                        "unknown_column",
                        {"column": name, "columns": columns},
                    )
                )
                ok = False
            elif name in self.columns:
                self.issues.append(Issue(self.name, line, name, "twice_column", {"column": name}))
                ok = False
            else:
                self.columns[name] = index
        for column in LAYOUTS[self.kind]:
            if column.required and column.name not in self.columns:
                self.issues.append(
                    Issue(self.name, line, column.name, "missing_column", {"column": column.name})
                )
                ok = False
        return len(names) if ok else None


def card_code(text):
    """(code, legacy) of a code as printed: SCS's own normalized, else the legacy code
    upper case without spaces and dashes; None when it cannot be a code."""
    if codes.is_valid(text):
        return codes.normalize(text), False
    bare = "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()
    if not _LEGACY_CODE.match(bare):
        return None
    return bare, True


def _service(row):
    code, name = row.text("code"), row.text("name")
    kind = row.choice("kind", SERVICE_KINDS)
    price = row.money("price")
    vat = row.choice("vat", VAT_CODES)
    row.roubles()
    supplier = row.text("supplier_inn")
    if price is not None and price < 0:
        row.error("price", "negative", amount=price)
    if supplier:
        problem = inn.inn_error(supplier)
        if problem:
            row.error("supplier_inn", "inn", problem=problem)
    elif kind == "agent":
        row.error("supplier_inn", "supplier")
    return Service(
        code=code,
        name=name,
        kind=kind,
        price=price,
        vat=vat,
        supplier_inn=supplier,
        booking_code=row.text("booking_code"),
        barcode=row.text("barcode"),
        supplier_name=row.text("supplier_name"),
    )


def _customer(row):
    vat = row.text("inn")
    if vat:
        problem = inn.inn_error(vat)
        if problem:
            row.error("inn", "inn", problem=problem)
    return Customer(
        legacy_id=row.text("legacy_id"),
        name=" ".join(row.text("name").split()),
        phone=row.text("phone"),
        email=row.text("email").lower(),
        inn=vat,
    )


def _positive(row, name, amount):
    if amount is not None and amount <= 0:
        row.error(name, "negative" if amount < 0 else "not_positive", amount=amount)


def _open_dates(row, today, start_name):
    start, expires = row.date(start_name), row.date("expires")
    if start and start > today:
        row.error(start_name, "future", day=start)
    if expires and expires < today:
        row.error("expires", "expired", day=expires)
    elif expires and start and expires < start:
        row.error("expires", "before", day=expires, other=start)
    return start, expires


def _card(kind, today):
    def read(row):
        printed = row.text("code")
        code, legacy = card_code(printed) or (printed, True)
        if printed and not card_code(printed):
            row.error("code", "code", text=printed)
        balance = row.money("balance")
        _positive(row, "balance", balance)
        issued, expires = _open_dates(row, today, "issued")
        row.roubles()
        values = {}
        if kind == CERTIFICATES:
            nominal = row.money("nominal")
            if nominal is not None and balance is not None and nominal < balance:
                row.error("nominal", "nominal", nominal=nominal, balance=balance)
            rate = row.choice("vat_rate", tuple(str(r) for r in CERTIFICATE_VAT_RATES))
            values = {
                "nominal": nominal if nominal is not None else balance,
                "vat_rate": Decimal(rate) if rate else ZERO,
            }
        else:
            values = {"nominal": balance, "reason": row.text("reason")}
        return Card(
            kind=CARD_KINDS[kind],
            code=code,
            legacy=legacy,
            balance=balance,
            issued=issued,
            expires=expires,
            customer_id=row.text("customer_id"),
            customer_name=row.text("customer_name"),
            **values,
        )

    return read


def _points(today):
    def read(row):
        points = row.money("points", code="points")
        _positive(row, "points", points)
        accrued, expires = _open_dates(row, today, "accrued")
        return PointsLot(
            customer_id=row.text("customer_id"),
            points=points,
            accrued=accrued,
            expires=expires,
            customer_name=row.text("customer_name"),
        )

    return read


def _cash_opening(row):
    balance = row.money("balance")
    if balance is not None and balance < 0:
        row.error("balance", "negative", amount=balance)
    row.roubles()
    return CashOpening(desk=row.text("desk"), day=row.date("day"), balance=balance)


def read_files(files, source, today):
    """A ``Batch`` of ``files``, (name, bytes) pairs, from the old system ``source``
    (the legacy ids are unique within it), as of the office's day ``today``."""
    batch = Batch(source=source)
    if not _SOURCE.match(source or ""):
        batch.issues.append(Issue("", 0, "", "source", {"source": source or ""}))
    if not files:
        batch.issues.append(Issue("", 0, "", "no_files"))
    makers = {
        SERVICES: _service,
        CUSTOMERS: _customer,
        CERTIFICATES: _card(CERTIFICATES, today),
        VOUCHERS: _card(VOUCHERS, today),
        POINTS: _points(today),
        CASH_OPENINGS: _cash_opening,
    }
    for name, data in files:
        kind = kind_of(name)
        if kind is None:
            batch.issues.append(Issue(name, 0, "", "file_kind", {"kinds": ", ".join(KINDS)}))
            continue
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in ("csv", "txt", "xlsx"):
            batch.issues.append(Issue(name, 0, "", "file_type"))
            continue
        reader = _Reader(name, kind)
        try:
            lines = list(_xlsx_rows(data) if suffix == "xlsx" else _csv_rows(data))
        except csv.Error as err:
            batch.issues.append(Issue(name, 0, "", "csv", {"problem": str(err)}))
            continue
        except Exception:  # a zip, XML or openpyxl error: not a workbook we can read
            batch.issues.append(Issue(name, 0, "", "xlsx"))
            continue
        count = 0
        for row in reader.rows(lines):
            before = len(reader.issues)
            record = makers[kind](row)
            count += 1
            if len(reader.issues) == before:
                batch.records[kind].append(_with_place(record, name, row.line))
        batch.issues.extend(reader.issues)
        batch.files.append(SourceFile(name, kind, hashlib.sha256(data).hexdigest(), count))
    return batch


def _with_place(record, name, line):
    values = {f: getattr(record, f) for f in record.__dataclass_fields__}
    return type(record)(**{**values, "file": name, "line": line})


# -- planning ------------------------------------------------------------------------


def _same_name(a, b):
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _unique(plan, records, key, kind_label=None):
    """Records of one kind with a key seen once per file; a key in two files must
    carry the same data (kept once). Returns the records kept."""
    seen_in_file, first = {}, {}
    kept = []
    for record in records:
        k = key(record)
        where = seen_in_file.get((record.file, k))
        if where is not None:
            plan.issues.append(
                Issue(record.file, record.line, "", "duplicate", {"key": k, "line": where})
            )
            continue
        seen_in_file[(record.file, k)] = record.line
        other = first.get(k)
        if other is not None:
            if other != record:
                params = {"key": k, "file": other.file, "line": other.line}
                if kind_label and other.kind != record.kind:
                    plan.issues.append(
                        Issue(
                            record.file,
                            record.line,
                            "",
                            "card_kind",
                            {**params, "kind": other.kind},
                        )
                    )
                else:
                    plan.issues.append(Issue(record.file, record.line, "", "other_file", params))
            continue
        first[k] = record
        kept.append(record)
    return kept


def _differences(mine, theirs, names):
    return ", ".join(
        f"{name} {getattr(theirs, name)!s}"
        for name in names
        if getattr(mine, name) != getattr(theirs, name)
    )


def plan(batch, known, today, validity=None):
    """The ``Plan`` of ``batch`` against what the database holds (``known``) on the
    office's day ``today``; ``validity``: program kind (certificate, voucher, points)
    -> months a lot with no expiry in the file is valid (0: it never expires)."""
    planner = _Planner(batch, known, today, validity or {})
    planner.services()
    planner.customers()
    planner.cards()
    planner.points()
    planner.cash_openings()
    planner.plan.issues.sort(key=lambda i: (i.file, i.line, i.column))
    return planner.plan


class _Planner:
    def __init__(self, batch, known, today, validity):
        self.batch = batch
        self.today = today
        self.validity = validity
        self.records = batch.records
        self.known = known
        self.plan = Plan(batch=batch, issues=list(batch.issues))
        self.issues = self.plan.issues
        self.in_files = {}  # legacy id -> Customer of the customers files

    def issue(self, record, column, code, **params):
        self.issues.append(Issue(record.file, record.line, column, code, params))

    def expiring(self, record, kind, start):
        """``record`` with its expiry, the program's when the file gives none; None
        when that day has passed (reported)."""
        if record.expires:
            return record
        months = self.validity.get(kind, 0)
        if not months:
            return record
        expires = add_months(start, months)
        if expires < self.today:
            self.issue(
                record, "expires", "expired_default", day=expires, months=months, start=start
            )
            return None
        return dataclasses.replace(record, expires=expires)

    def conflict(self, record, key, what, column=""):
        self.issue(record, column, "conflict", key=key, what=what)

    def services(self):
        plan, known = self.plan, self.known
        for service in _unique(plan, self.records[SERVICES], lambda s: s.code):
            there = known.services.get(service.code)
            if there is None:
                plan.create[SERVICES].append(service)
                self._supplier(service)
            elif there == service:
                plan.unchanged[SERVICES] += 1
            else:
                names = ("name", "kind", "price", "vat", "supplier_inn", "booking_code", "barcode")
                self.conflict(service, service.code, _differences(service, there, names))

    def _supplier(self, service):
        inn_ = service.supplier_inn
        if not inn_ or inn_ in self.known.suppliers or inn_ in self.plan.new_suppliers:
            return
        if service.supplier_name:
            self.plan.new_suppliers[inn_] = service.supplier_name
        else:
            self.issue(service, "supplier_inn", "supplier_unknown", inn=inn_)

    def customers(self):
        plan, known = self.plan, self.known
        for customer in _unique(plan, self.records[CUSTOMERS], lambda c: c.legacy_id):
            self.in_files[customer.legacy_id] = customer
            there = known.customers.get(customer.legacy_id)
            if there is None:
                plan.create[CUSTOMERS].append(customer)
            elif there == customer:
                plan.unchanged[CUSTOMERS] += 1
            else:
                what = _differences(customer, there, ("name", "phone", "email", "inn"))
                self.conflict(customer, customer.legacy_id, what)

    def _customer_ok(self, record):
        """Whether the customer a card or points row names is known, by that name."""
        key = record.customer_id
        if not key:
            return True
        someone = self.in_files.get(key) or self.known.customers.get(key)
        if someone is None:
            self.issue(record, "customer_id", "customer_unknown", key=key)
            return False
        given = record.customer_name
        if given and not _same_name(given, someone.name):
            self.issue(
                record, "customer_name", "customer_name", key=key, name=someone.name, given=given
            )
            return False
        return True

    def cards(self):
        """Certificates and vouchers: one code, one card, across both kinds."""
        plan = self.plan
        both = self.records[CERTIFICATES] + self.records[VOUCHERS]
        for card in _unique(plan, both, lambda c: c.code, kind_label=True):
            card = self._customer_ok(card) and self.expiring(card, card.kind, card.issued)
            if not card:
                continue
            kind = CERTIFICATES if card.kind == "certificate" else VOUCHERS
            there = self.known.cards.get(card.code)
            if there is None:
                plan.create[kind].append(card)
                continue
            if there.opening is None:
                self.issue(card, "code", "code_taken", key=card.code)
                continue
            mine = KnownCard(card.kind, card.balance, card.issued, card.expires, card.customer_id)
            if mine == there:
                plan.unchanged[kind] += 1
            else:
                names = ("kind", "opening", "issued", "expires", "customer_id")
                what = _differences(mine, there, names).replace("opening", "balance")
                column = "balance" if there.opening != card.balance else ""
                self.conflict(card, card.code, what, column)

    def points(self):
        """A customer's lots, numbered in a stable order: their keys in the ledger."""
        plan = self.plan
        lots = defaultdict(list)
        for lot in self.records[POINTS]:
            lot = self._customer_ok(lot) and self.expiring(lot, "points", lot.accrued)
            if lot:
                lots[lot.customer_id].append(lot)
        for key in sorted(lots):
            mine = sorted(
                lots[key],
                key=lambda p: (p.accrued, p.points, p.expires or p.accrued, p.file, p.line),
            )
            total = sum((p.points for p in mine), ZERO)
            there = self.known.points.get(key)
            if there is None:
                plan.create[POINTS].extend(_with_number(p, n) for n, p in enumerate(mine, 1))
            elif there.points == total and there.lines == len(mine):
                plan.unchanged[POINTS] += len(mine)
            else:
                first = min(mine, key=lambda p: (p.file, p.line))
                self.issue(
                    first,
                    "points",
                    "points_conflict",
                    key=key,
                    had=there.points,
                    lines=there.lines,
                    given=total,
                    given_lines=len(mine),
                )

    def cash_openings(self):
        plan = self.plan
        for opening in _unique(plan, self.records[CASH_OPENINGS], lambda c: c.desk):
            desk = self.known.desks.get(opening.desk)
            key = opening.desk
            if desk is None or not desk.count:
                self.issue(opening, "desk", "desk_unknown", key=key)
            elif desk.count > 1:
                self.issue(opening, "desk", "desk_ambiguous", key=key, count=desk.count)
            elif not desk.has_office:
                self.issue(opening, "desk", "desk_office", key=key)
            elif desk.first_day is None:
                plan.create[CASH_OPENINGS].append(opening)
            elif desk.first_day == opening.day and desk.first_opening == opening.balance:
                plan.unchanged[CASH_OPENINGS] += 1
            else:
                self.issue(
                    opening,
                    "desk",
                    "desk_started",
                    key=key,
                    day=desk.first_day,
                    opening=desk.first_opening,
                )


def _with_number(lot, number):
    values = {f: getattr(lot, f) for f in lot.__dataclass_fields__}
    return PointsLot(**{**values, "number": number})


# -- totals --------------------------------------------------------------------------


def file_totals(batch):
    """Count and sum per kind of what the files hold (each record once)."""
    totals = {kind: Total() for kind in KINDS}
    seen = set()
    for kind in KINDS:
        for record in batch.records[kind]:
            key = _record_key(kind, record)
            if key in seen:
                continue
            seen.add(key)
            totals[kind].add(_amount(kind, record))
    return totals


def known_totals(batch, known):
    """Count and sum per kind of what the database holds of the files' keys."""
    totals = {kind: Total() for kind in KINDS}
    keys = batch.keys()
    for code in keys[SERVICES]:
        if code in known.services:
            totals[SERVICES].add()
    for legacy_id in {c.legacy_id for c in batch.records[CUSTOMERS]}:
        if legacy_id in known.customers:
            totals[CUSTOMERS].add()
    for code in keys["cards"]:
        card = known.cards.get(code)
        if card and card.opening is not None:
            kind = CERTIFICATES if card.kind == "certificate" else VOUCHERS
            totals[kind].add(card.opening)
    for legacy_id in keys[POINTS]:
        points = known.points.get(legacy_id)
        if points:
            totals[POINTS].count += points.lines
            totals[POINTS].amount += points.points
    for name in keys[CASH_OPENINGS]:
        desk = known.desks.get(name)
        if desk and desk.first_opening is not None:
            totals[CASH_OPENINGS].add(desk.first_opening)
    return totals


def _record_key(kind, record):
    if kind == SERVICES:
        return (kind, record.code)
    if kind == CUSTOMERS:
        return (kind, record.legacy_id)
    if kind in CARD_KINDS:
        return ("cards", record.code)
    if kind == CASH_OPENINGS:
        return (kind, record.desk)
    return (kind, record.file, record.line)


def _amount(kind, record):
    if kind in CARD_KINDS or kind == CASH_OPENINGS:
        return record.balance
    if kind == POINTS:
        return record.points
    return ZERO


#: kinds whose records carry an amount (roubles, or points)
AMOUNT_KINDS = (CERTIFICATES, VOUCHERS, POINTS, CASH_OPENINGS)


def render(plan_, before, after=None, labels=None):
    """The report: the issues, then the totals of the files, the database before and
    after (None: nothing was written), side by side, and what was (or would be)
    created and what was left unchanged."""
    labels = labels or {}
    out = []
    batch = plan_.batch
    for f in batch.files:
        out.append(f"{f.name}: {f.kind}, {f.rows} rows, sha256 {f.sha256}")
    if plan_.issues:
        out.append(f"{len(plan_.issues)} bad rows: nothing is written")
        out.extend(str(issue) for issue in plan_.issues)
    files = file_totals(batch)
    created_label = "created" if after else "to_create"
    head = (
        f"{labels.get('kind', 'kind'):<15}{labels.get('files', 'files'):>24}"
        f"{labels.get('before', 'before'):>24}{labels.get('after', 'after'):>24}"
        f"{labels.get(created_label, created_label.replace('_', ' ')):>11}"
        f"{labels.get('unchanged', 'unchanged'):>11}"
    )
    out.append(head)
    out.append("-" * len(head))

    def cell(kind, total):
        if total is None:
            return f"{'-':>24}"
        if kind in AMOUNT_KINDS:
            return f"{total.count:>9,} {total.amount:>14,.2f}"
        return f"{total.count:>24,}"

    created = plan_.created if plan_.ok else dict.fromkeys(KINDS, 0)
    for kind in KINDS:
        out.append(
            f"{labels.get(kind, kind):<15}{cell(kind, files[kind])}{cell(kind, before[kind])}"
            f"{cell(kind, after[kind] if after else None)}"
            f"{created[kind]:>11,}{plan_.unchanged[kind]:>11,}"
        )
    total = sum(created.values())
    unchanged = sum(plan_.unchanged.values())
    if after:
        out.append(f"{total} created, {unchanged} unchanged")
    else:
        out.append(f"{total} to create, {unchanged} unchanged: nothing written")
    return "\n".join(out)
