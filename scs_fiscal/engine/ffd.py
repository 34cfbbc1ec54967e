"""FFD 1.2 cash receipts (document 3) and correction receipts (31), built and checked.

The builder takes plain data (kopecks, Decimal quantities, dates) and returns
the document as a dict keyed by FFD tag numbers, with the receipt's VAT totals
per rate under ``"vats"`` (the tag numbers of the 2025-2026 rates' totals are
not confirmed; drivers map them). Every rule is checked before anything is
built: an invalid receipt raises :class:`FfdError` naming the tag and the
reason, so it never reaches a register or a cloud service.

Sums: item sum 1043 = unit price 1079 x quantity 1023, rounded half up to the
kopeck once; receipt total 1020 = sum of the item sums = sum of the payment
sums (1031 + 1081 + 1215 + 1216 + 1217), exactly. All amounts are
non-negative: a refund is 1054 = 2.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SALE = 1
SALE_REFUND = 2
OPERATIONS = {SALE: "sell", SALE_REFUND: "sell_refund"}

RECEIPT = 3
CORRECTION = 31

#: 1055, one bit per receipt
TAX_SYSTEMS = {
    "osn": 1,
    "usn_income": 2,
    "usn_income_outcome": 4,
    "esn": 16,
    "patent": 32,
}


@dataclass(frozen=True)
class VatRate:
    tag: int  # the 1199 value
    percent: int
    calculated: bool  # a calculated rate (20/120 ...): advances and prepayments
    since: datetime.date | None = None
    until: datetime.date | None = None


D = datetime.date
#: 1199 values; 20% and 20/120 end with 2025 (22% and 22/122 from 2026-01-01)
VAT_RATES = {
    "vat20": VatRate(1, 20, False, until=D(2025, 12, 31)),
    "vat10": VatRate(2, 10, False),
    "vat120": VatRate(3, 20, True, until=D(2025, 12, 31)),
    "vat110": VatRate(4, 10, True),
    "vat0": VatRate(5, 0, False),
    "none": VatRate(6, 0, False),
    "vat5": VatRate(7, 5, False, since=D(2025, 1, 1)),
    "vat7": VatRate(8, 7, False, since=D(2025, 1, 1)),
    "vat105": VatRate(9, 5, True, since=D(2025, 1, 1)),
    "vat107": VatRate(10, 7, True, since=D(2025, 1, 1)),
    "vat22": VatRate(11, 22, False, since=D(2026, 1, 1)),
    "vat122": VatRate(12, 22, True, since=D(2026, 1, 1)),
}
#: known receipt-level VAT total tags
VAT_TOTAL_TAGS = {
    "vat20": 1102,
    "vat10": 1103,
    "vat0": 1104,
    "none": 1105,
    "vat120": 1106,
    "vat110": 1107,
}

SUBJECTS = frozenset(range(1, 28)) | frozenset(range(30, 34))  # 1212
METHODS = frozenset(range(1, 8))  # 1214
PREPAYMENT_METHODS = frozenset({1, 2, 3})
MEASURES = frozenset(
    {0, 10, 11, 12, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 70, 71, 72, 73, 80, 81, 82, 83, 255}
)
AGENT_SIGNS = frozenset({1, 2, 4, 8, 16, 32, 64})  # 1222 / 1057

MAX_SUM = 2**48 - 1  # VLN of 6 bytes, kopecks
MAX_QUANTITY = Decimal("99999.999")
PHONE = re.compile(r"^\+\d{7,18}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INN = re.compile(r"^(\d{10}|\d{12})$")


class FfdError(ValueError):
    """A receipt that breaks FFD 1.2: ``tag`` is the tag at fault, ``code`` the reason."""

    MESSAGES = {
        "required": "tag {tag}: required",
        "too_long": "tag {tag}: {length} characters, at most {limit}",
        "amount": "tag {tag}: {value} is not a sum of kopecks between 0 and {limit}",
        "quantity": "tag {tag}: quantity {value} must be above 0 and at most 99999.999",
        "value": "tag {tag}: {value} is not an allowed value",
        "vat_date": "tag 1199: {vat} is not in force on {day}",
        "vat_advance": "tag 1199: an advance or prepayment (1214={method}) takes a calculated "
        "rate, not {vat}",
        "item_sum": "tag 1043 of {item}: {value} is not price x quantity = {expected}",
        "payments": "payments add up to {paid}, the receipt total 1020 is {total}",
        "no_items": "tag 1059: a receipt has at least one item",
        "phone": "tag {tag}: {value} is not a phone number in +7XXXXXXXXXX form",
        "contact": "tag 1008: {value} is neither a phone number nor an e-mail address",
        "inn": "tag {tag}: {value} is not an INN of 10 or 12 digits",
        "agent_supplier": "tag 1224/1226 of {item}: an agent line names its supplier and INN",
        "correction": "tag 1179: {reason}",
    }

    def __init__(self, tag, code, **params):
        self.tag = tag
        self.code = code
        self.params = {"tag": tag, **params}
        super().__init__(self.MESSAGES[code].format(**self.params))


@dataclass(frozen=True)
class Agent:
    """The agent data of a line sold on behalf of a supplier (1222, 1224, 1226)."""

    sign: int  # 1222: 64 another agent, 32 commission agent, 16 attorney ...
    supplier_name: str  # 1225
    supplier_inn: str  # 1226
    supplier_phones: tuple = ()  # 1171


@dataclass(frozen=True)
class Item:
    name: str  # 1030
    price: int  # 1079, kopecks, discounts included
    quantity: Decimal  # 1023
    vat: str  # a key of VAT_RATES
    subject: int = 4  # 1212: 4 service
    method: int = 4  # 1214: 4 full payment
    measure: int = 0  # 2108: 0 piece
    amount: int | None = None  # 1043 when the caller has it; checked against price x quantity
    agent: Agent | None = None
    user_data: str = ""  # 1191: e.g. the ticket number


@dataclass(frozen=True)
class Payments:
    cash: int = 0  # 1031
    electronic: int = 0  # 1081
    prepayment: int = 0  # 1215: certificate or advance offset
    credit: int = 0  # 1216
    other: int = 0  # 1217

    def total(self):
        return self.cash + self.electronic + self.prepayment + self.credit + self.other


@dataclass(frozen=True)
class Correction:
    kind: int  # 1173: 0 on own initiative, 1 by a tax order
    base_date: datetime.date  # 1178: the day of the corrected settlement
    order_number: str = ""  # 1179: the tax order, only for kind 1


@dataclass(frozen=True)
class Receipt:
    operation: int  # 1054
    tax_system: str  # 1055, a key of TAX_SYSTEMS
    day: datetime.date  # the operation's day: decides the VAT rates in force
    items: tuple
    payments: Payments
    cashier: str = ""  # 1021
    cashier_inn: str = ""  # 1203
    customer_contact: str = ""  # 1008, for an electronic receipt
    customer_name: str = ""  # 1227
    customer_inn: str = ""  # 1228
    reference: str = ""  # 1192: our order reference
    # a refund keeps the rates of the sale it refunds (FNS letter of 15.12.2025)
    original_day: datetime.date | None = None
    correction: Correction | None = None


def _text(tag, value, limit, required=False):
    value = (value or "").strip()
    if required and not value:
        raise FfdError(tag, "required")
    if len(value) > limit:
        raise FfdError(tag, "too_long", length=len(value), limit=limit)
    return value


def _amount(tag, value):
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SUM:
        raise FfdError(tag, "amount", value=value, limit=MAX_SUM)
    return value


def _quantity(value):
    try:
        quantity = Decimal(value) if not isinstance(value, float) else None
    except (InvalidOperation, TypeError):
        quantity = None
    if quantity is None or not quantity.is_finite() or not 0 < quantity <= MAX_QUANTITY:
        raise FfdError(1023, "quantity", value=value)
    return quantity


def _inn(tag, value):
    value = (value or "").strip()
    if not INN.match(value):
        raise FfdError(tag, "inn", value=value)
    return value


def _one_of(tag, value, allowed):
    if value not in allowed:
        raise FfdError(tag, "value", value=value)
    return value


def item_sum(price, quantity):
    """1043: price x quantity, rounded half up to the kopeck once."""
    return int((Decimal(price) * Decimal(quantity)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_amount(amount, vat):
    """1200: the VAT included in ``amount`` kopecks at ``vat``, rounded half up."""
    rate = VAT_RATES[vat]
    if not rate.percent:
        return 0
    share = Decimal(amount) * rate.percent / (100 + rate.percent)
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _check_vat(item, receipt):
    _one_of(1199, item.vat, VAT_RATES)
    rate = VAT_RATES[item.vat]
    day = receipt.day
    if receipt.operation == SALE_REFUND and receipt.original_day:
        day = receipt.original_day
    if receipt.correction:
        day = receipt.correction.base_date
    if (rate.since and day < rate.since) or (rate.until and day > rate.until):
        raise FfdError(1199, "vat_date", vat=item.vat, day=day.isoformat())
    if item.method in PREPAYMENT_METHODS and rate.percent and not rate.calculated:
        raise FfdError(1199, "vat_advance", vat=item.vat, method=item.method)


def _phone(tag, value):
    value = _text(tag, value, 19)
    if not PHONE.match(value):
        raise FfdError(tag, "phone", value=value)
    return value


def _build_item(item, receipt):
    name = _text(1030, item.name, 128, required=True)
    price = _amount(1079, item.price)
    quantity = _quantity(item.quantity)
    _one_of(1212, item.subject, SUBJECTS)
    _one_of(1214, item.method, METHODS)
    _one_of(2108, item.measure, MEASURES)
    _check_vat(item, receipt)
    expected = item_sum(price, quantity)
    amount = expected if item.amount is None else _amount(1043, item.amount)
    if amount != expected:
        raise FfdError(1043, "item_sum", item=name, value=amount, expected=expected)
    _amount(1043, amount)
    tags = {
        1030: name,
        1079: price,
        1023: quantity,
        2108: item.measure,
        1043: amount,
        1199: VAT_RATES[item.vat].tag,
        1200: vat_amount(amount, item.vat),
        1212: item.subject,
        1214: item.method,
    }
    if item.user_data:
        tags[1191] = _text(1191, item.user_data, 64)
    if item.agent:
        agent = item.agent
        _one_of(1222, agent.sign, AGENT_SIGNS)
        if not (agent.supplier_name or "").strip() or not (agent.supplier_inn or "").strip():
            raise FfdError(1224, "agent_supplier", item=name)
        supplier = {1225: _text(1225, agent.supplier_name, 256, required=True)}
        if agent.supplier_phones:
            supplier[1171] = [_phone(1171, phone) for phone in agent.supplier_phones]
        tags.update({1222: agent.sign, 1224: supplier, 1226: _inn(1226, agent.supplier_inn)})
    return tags


def _contact(value):
    value = _text(1008, value, 64)
    if value and not (PHONE.match(value) or EMAIL.match(value)):
        raise FfdError(1008, "contact", value=value)
    return value


def build(receipt):
    """The FFD 1.2 document of ``receipt``, or :class:`FfdError` before anything is built."""
    _one_of(1054, receipt.operation, OPERATIONS)
    _one_of(1055, receipt.tax_system, TAX_SYSTEMS)
    if not receipt.items:
        raise FfdError(1059, "no_items")
    items = [_build_item(item, receipt) for item in receipt.items]
    total = sum(item[1043] for item in items)
    _amount(1020, total)
    payments = receipt.payments
    sums = {
        1031: payments.cash,
        1081: payments.electronic,
        1215: payments.prepayment,
        1216: payments.credit,
        1217: payments.other,
    }
    for tag, value in sums.items():
        _amount(tag, value)
    if payments.total() != total:
        raise FfdError(1020, "payments", paid=payments.total(), total=total)
    vats = {}
    for item, source in zip(items, receipt.items, strict=True):
        vats[source.vat] = vats.get(source.vat, 0) + item[1200]
    document = {
        "type": CORRECTION if receipt.correction else RECEIPT,
        1054: receipt.operation,
        1055: TAX_SYSTEMS[receipt.tax_system],
        1059: items,
        1020: total,
        **sums,
        "vats": vats,
    }
    for key, value in vats.items():
        if key in VAT_TOTAL_TAGS:
            document[VAT_TOTAL_TAGS[key]] = value
    agent_signs = {item[1222] for item in items if 1222 in item}
    if agent_signs:
        document[1057] = sum(agent_signs)
    optional = (
        (1021, _text(1021, receipt.cashier, 64)),
        (1203, _inn(1203, receipt.cashier_inn) if receipt.cashier_inn else ""),
        (1008, _contact(receipt.customer_contact)),
        (1227, _text(1227, receipt.customer_name, 256)),
        (1228, _inn(1228, receipt.customer_inn) if receipt.customer_inn else ""),
        (1192, _text(1192, receipt.reference, 16)),
    )
    document.update({tag: value for tag, value in optional if value})
    if receipt.correction:
        correction = receipt.correction
        _one_of(1173, correction.kind, (0, 1))
        base = {1178: correction.base_date}
        number = _text(1179, correction.order_number, 32)
        if correction.kind == 1 and not number:
            raise FfdError(1179, "correction", reason="a correction by tax order names the order")
        if correction.kind == 0 and number:
            raise FfdError(1179, "correction", reason="only a correction by tax order names one")
        if number:
            base[1179] = number
        document.update({1173: correction.kind, 1174: base})
    return document


def agreement(document, expected):
    """Mismatches between a fiscal ``document`` and the ``expected`` one built from its order.

    Returns ``[(path, fiscal value, order value), ...]``; empty when they agree.
    """
    mismatches = []

    def walk(path, left, right):
        if isinstance(left, dict) and isinstance(right, dict):
            for key in sorted(set(left) | set(right), key=str):
                walk(f"{path}/{key}", left.get(key), right.get(key))
        elif isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                mismatches.append((f"{path}#", len(left), len(right)))
            for index, (a, b) in enumerate(zip(left, right, strict=False)):
                walk(f"{path}[{index}]", a, b)
        elif left != right:
            mismatches.append((path, left, right))

    walk("", document, expected)
    return mismatches


def split_amount(total, quantity, name=""):
    """``[(price, quantity), ...]`` whose item sums add up to ``total`` kopecks exactly.

    A discounted line's total is rarely price x quantity in whole kopecks
    (3 x 33.333...): registers take whole-kopeck prices, so the line becomes
    two items that differ by one kopeck, as the FNS allows. A fractional
    quantity keeps one item and must divide exactly.
    """
    quantity = _quantity(quantity)
    _amount(1043, total)
    if quantity != quantity.to_integral_value():
        price = int((Decimal(total) / quantity).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if item_sum(price, quantity) != total:
            expected = item_sum(price, quantity)
            raise FfdError(1043, "item_sum", item=name, value=total, expected=expected)
        return [(price, quantity)]
    count = int(quantity)
    price, rest = divmod(total, count)
    if not rest:
        return [(price, quantity)]
    return [(price, Decimal(count - rest)), (price + 1, Decimal(rest))]


def to_json(document):
    """A built document in JSON-safe form (str tags, str quantities, ISO dates), for storage."""

    def encode(value):
        if isinstance(value, dict):
            return {str(key): encode(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [encode(item) for item in value]
        if isinstance(value, Decimal):
            return {"$d": str(value)}
        if isinstance(value, datetime.date):
            return {"$date": value.isoformat()}
        return value

    return encode(document)


def from_json(data):
    """The document :func:`to_json` stored, exactly as it was built."""

    def decode(value):
        if isinstance(value, dict):
            if set(value) == {"$d"}:
                return Decimal(value["$d"])
            if set(value) == {"$date"}:
                return datetime.date.fromisoformat(value["$date"])
            return {
                (int(key) if key.isdigit() else key): decode(item) for key, item in value.items()
            }
        if isinstance(value, list):
            return [decode(item) for item in value]
        return value

    return decode(data)


#: which payment forms an exchange's offset goes back through first (as refunds do: card first)
OFFSET_ORDER = (1081, 1215, 1217, 1216, 1031)


def offset_forms(offset, forms):
    """Spread ``offset`` kopecks over the original payment ``forms`` (tag -> kopecks).

    In an exchange the returned goods' money pays for the new ones without
    leaving the desk: the refund receipt gives it back, and the sale receipt
    takes it again, in the forms of the original sale (a refund repeats the
    original's payment attributes), card first, cash last.
    """
    spread, rest = {}, offset
    for tag in OFFSET_ORDER:
        share = min(rest, forms.get(tag, 0))
        if share > 0:
            spread[tag] = share
            rest -= share
    if rest:
        spread[1031] = spread.get(1031, 0) + rest
    return spread
