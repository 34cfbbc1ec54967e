"""The agreement check: does a fiscal document say what its order says?

The order side is described independently of the receipt builder (one
:class:`Line` per order line, whatever the builder made of it), so the check
catches a builder that splits, merges, rounds or maps wrongly, a document
changed after it was built, and a service that registered another total.
Lines are compared grouped by what the law prints per item (name, VAT rate,
payment method, subject, agent attribute and supplier): quantities and sums
must match per group, to the kopeck.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from . import ffd

VAT_BY_TAG = {rate.tag: key for key, rate in ffd.VAT_RATES.items()}
PAYMENT_TAGS = (1031, 1081, 1215, 1216, 1217)


@dataclass(frozen=True)
class Line:
    name: str
    quantity: Decimal
    amount: int  # kopecks, discounts and VAT included
    vat: str  # a key of ffd.VAT_RATES
    method: int = 4  # 1214
    subject: int = 4  # 1212
    agent_sign: int = 0  # 1222, 0 for the airline's own service
    supplier_inn: str = ""  # 1226


@dataclass(frozen=True)
class Order:
    operation: int  # 1054
    lines: tuple
    payments: dict = field(default_factory=dict)  # FFD payment tag -> kopecks
    customer_contact: str = ""  # 1008, when the customer asked for an electronic receipt


@dataclass(frozen=True)
class Mismatch:
    what: str
    fiscal: object
    order: object

    def __str__(self):
        return f"{self.what}: fiscal document {self.fiscal}, order {self.order}"


def _key(name, vat, method, subject, sign, inn):
    label = f"{name} [{vat}, 1214={method}, 1212={subject}"
    if sign:
        label += f", agent {sign} for {inn}"
    return label + "]"


def _group(entries):
    groups = {}
    for key, quantity, amount in entries:
        total = groups.setdefault(key, [Decimal(0), 0])
        total[0] += quantity
        total[1] += amount
    return groups


def check(document, order, fiscal_total=None):
    """Every :class:`Mismatch` between ``document`` (``ffd.build``) and ``order``.

    ``fiscal_total`` is the total (Decimal roubles) the service or register
    reported having registered, when known.
    """
    found = []
    if document.get(1054) != order.operation:
        found.append(Mismatch("operation (1054)", document.get(1054), order.operation))
    items = document.get(1059) or []
    for index, item in enumerate(items, 1):
        expected = ffd.item_sum(item[1079], item[1023])
        if item[1043] != expected:
            found.append(Mismatch(f"item {index} sum (1043)", item[1043], expected))
        vat = VAT_BY_TAG.get(item[1199])
        expected_vat = ffd.vat_amount(item[1043], vat) if vat else None
        if item.get(1200) != expected_vat:
            found.append(Mismatch(f"item {index} VAT (1200)", item.get(1200), expected_vat))
    fiscal = _group(
        (
            _key(
                item[1030], VAT_BY_TAG.get(item[1199]), item[1214], item[1212],
                item.get(1222, 0), item.get(1226, ""),
            ),
            item[1023],
            item[1043],
        )
        for item in items
    )  # fmt: skip
    ordered = _group(
        (
            _key(
                line.name.strip()[:128], line.vat, line.method, line.subject,
                line.agent_sign, line.supplier_inn,
            ),
            line.quantity,
            line.amount,
        )
        for line in order.lines
    )  # fmt: skip
    for key in sorted(set(fiscal) | set(ordered)):
        left, right = fiscal.get(key), ordered.get(key)
        if left is None:
            found.append(Mismatch(f"line {key}", "missing", f"{right[0]} for {right[1]}"))
        elif right is None:
            found.append(Mismatch(f"line {key}", f"{left[0]} for {left[1]}", "missing"))
        else:
            if left[0] != right[0]:
                found.append(Mismatch(f"quantity of {key}", left[0], right[0]))
            if left[1] != right[1]:
                found.append(Mismatch(f"sum of {key}", left[1], right[1]))
    total = sum(line.amount for line in order.lines)
    if document.get(1020) != total:
        found.append(Mismatch("total (1020)", document.get(1020), total))
    for tag in PAYMENT_TAGS:
        if document.get(tag, 0) != order.payments.get(tag, 0):
            found.append(
                Mismatch(f"payment ({tag})", document.get(tag, 0), order.payments.get(tag, 0))
            )
    if order.customer_contact and document.get(1008) != order.customer_contact:
        found.append(
            Mismatch("customer contact (1008)", document.get(1008), order.customer_contact)
        )
    if fiscal_total is not None:
        registered = int((Decimal(fiscal_total) * 100).to_integral_value())
        if registered != document.get(1020):
            found.append(Mismatch("registered total", registered, document.get(1020)))
    return found
