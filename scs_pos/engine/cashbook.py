"""The cash book (KO-4) of one office cash desk, composed from its cash orders.

A cash order is a KO-1 (cash received) or a KO-2 (cash paid out). The book has a
sheet for each local day of the office that has orders (a day without cash
operations has no sheet, as the form's instructions say), in the office's time
zone: a session that crosses midnight puts each order on its own local day. Each
sheet opens with the previous sheet's closing balance, lists the day's orders in
time order, and closes with the day's totals and balance. Sheets are numbered from
1 each calendar year.

Register sales are not one order per receipt: the day's cash sales through the
register are one KO-1, and the day's cash refunds one KO-2 (:func:`register_orders`).
The book day is the office's local day (00:00-24:00): a shift that crosses midnight
is split between the two days, and its Z report agrees with the book only in sum;
:func:`shift_mismatches` checks each shift's fiscal cash counters against the POS.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytz

from .errors import CodedError
from .money import KOPECK, to_decimal

INCOMING = "in"  # KO-1, приходный кассовый ордер
OUTGOING = "out"  # KO-2, расходный кассовый ордер
ZERO = Decimal("0.00")


class CashBookError(CodedError):
    MESSAGES = {
        "amount": "cash order {order}: {amount} is not a positive amount in roubles and kopecks",
        "kind": "cash order {order}: {kind} is neither incoming nor outgoing",
        "negative": "{day}: the desk would hold {balance}, less than nothing, after order {order}",
        "zone": "{zone} is not a time zone",
    }


@dataclass(frozen=True)
class CashOrder:
    key: object
    kind: str  # INCOMING or OUTGOING
    number: int  # within the desk's year
    at: datetime.datetime  # UTC, naive
    amount: Decimal  # positive
    counterparty: str = ""  # "От кого получено или кому выдано"
    account: str = ""  # the corresponding account, e.g. 90.01 or 51
    basis: str = ""


@dataclass(frozen=True)
class Sheet:
    day: datetime.date
    number: int  # the sheet's number within its year
    opening: Decimal
    orders: tuple  # CashOrder, in time order
    income: Decimal
    expense: Decimal
    closing: Decimal
    incoming_count: int
    outgoing_count: int
    over_limit: Decimal = ZERO  # closing above the limit (to deposit), 0 when not
    year_first: bool = False


@dataclass(frozen=True)
class Book:
    sheets: tuple
    opening: Decimal  # before the first sheet
    closing: Decimal  # after the last sheet
    warnings: tuple = field(default_factory=tuple)


def zone(name):
    try:
        return pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        raise CashBookError("zone", zone=name) from None


def local_day(at, tz):
    """The office's local date of a UTC moment (naive or aware)."""
    if at.tzinfo is None:
        at = pytz.utc.localize(at)
    return at.astimezone(tz).date()


def _check(order):
    if order.kind not in (INCOMING, OUTGOING):
        raise CashBookError("kind", order=order.number, kind=order.kind)
    amount = to_decimal(order.amount)
    if amount <= 0 or amount != amount.quantize(KOPECK):
        raise CashBookError("amount", order=order.number, amount=order.amount)


def compose(orders, tz_name, opening=ZERO, limit=None, exempt=None, sheet_numbers=None):
    """The sheets of ``orders`` (any order), opening with ``opening``.

    ``limit``: the office's cash balance limit (None: no limit, e.g. a small
    business); ``exempt(day)`` tells the days the limit does not apply (salary
    days, a working weekend). ``sheet_numbers``: {year: number of that year's
    sheets before these orders} when the book continues an earlier part.
    """
    tz = zone(tz_name)
    by_day = defaultdict(list)
    for order in orders:
        _check(order)
        by_day[local_day(order.at, tz)].append(order)
    numbers = dict(sheet_numbers or {})
    balance = to_decimal(opening).quantize(KOPECK)
    start = balance
    sheets = []
    for day in sorted(by_day):
        todays = sorted(by_day[day], key=lambda o: (o.at, o.kind != INCOMING, o.number))
        day_opening = balance
        income = expense = ZERO
        for order in todays:
            amount = to_decimal(order.amount)
            if order.kind == INCOMING:
                income += amount
                balance += amount
            else:
                expense += amount
                balance -= amount
                if balance < 0:
                    raise CashBookError("negative", day=day, balance=balance, order=order.number)
        numbers[day.year] = numbers.get(day.year, 0) + 1
        over = ZERO
        if limit is not None and balance > limit and not (exempt and exempt(day)):
            over = balance - to_decimal(limit)
        sheets.append(
            Sheet(
                day=day,
                number=numbers[day.year],
                opening=day_opening,
                orders=tuple(todays),
                income=income,
                expense=expense,
                closing=balance,
                incoming_count=sum(o.kind == INCOMING for o in todays),
                outgoing_count=sum(o.kind == OUTGOING for o in todays),
                over_limit=over,
                year_first=numbers[day.year] == 1,
            )
        )
    return Book(sheets=tuple(sheets), opening=start, closing=balance)


@dataclass(frozen=True)
class RegisterCash:
    """One cash payment through the register: a sale (+) or a refund (-)."""

    at: datetime.datetime  # UTC, naive
    amount: Decimal


def register_orders(payments, tz_name):
    """{(local day, kind): amount} of the register's cash: the day's cash sales are
    one KO-1 and its cash refunds one KO-2, never netted (the Z report counts them
    apart, and a refund to a customer is paid out against a signature)."""
    tz = zone(tz_name)
    totals = defaultdict(lambda: ZERO)
    for payment in payments:
        amount = to_decimal(payment.amount).quantize(KOPECK)
        if not amount:
            continue
        kind = INCOMING if amount > 0 else OUTGOING
        totals[(local_day(payment.at, tz), kind)] += abs(amount)
    return dict(totals)


@dataclass(frozen=True)
class ShiftCash:
    key: object
    fiscal_sales: Decimal  # cash of the shift's sale receipts, from the Z report
    fiscal_refunds: Decimal  # cash of its refund receipts
    pos_sales: Decimal  # cash the POS took in the shift's orders
    pos_refunds: Decimal  # cash it paid back (positive)


def shift_mismatches(shifts):
    """The shifts whose fiscal cash differs from the POS: [(key, sales diff, refunds
    diff)], each the fiscal figure less the POS one."""
    found = []
    for shift in shifts:
        sales = to_decimal(shift.fiscal_sales) - to_decimal(shift.pos_sales)
        refunds = to_decimal(shift.fiscal_refunds) - to_decimal(shift.pos_refunds)
        if sales or refunds:
            found.append((shift.key, sales, refunds))
    return found


__all__ = [
    "INCOMING",
    "OUTGOING",
    "Book",
    "CashBookError",
    "CashOrder",
    "RegisterCash",
    "Sheet",
    "ShiftCash",
    "compose",
    "local_day",
    "register_orders",
    "shift_mismatches",
]
