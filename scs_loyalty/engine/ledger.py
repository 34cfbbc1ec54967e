"""Bonus points, certificates and vouchers: balance maths without a database.

Policy (the same in the POS, the back office and the server's check):

1. Points accrue per order line on its price after discount, tax included:
   ``floor(amount * rate)``, never on excluded, free or negative lines. Each
   line is rounded down on its own, so a refund reverses exactly that line.
2. Every credit (accrued points, a sold certificate, an issued voucher) is a
   lot. Spending takes from the oldest usable lot first; a lot is usable up to
   and including its expiry day, and lots that never expire go last. What is
   left of a lot after its expiry day is written off.
3. Points may pay at most ``max_share`` percent of an order (rounded down to
   the kopeck), only when the balance is at least ``min_balance``, and only in
   whole points: the money is ``points * point_value``, half up to the kopeck.
4. A refund takes back the points of the refunded share of a line, counted
   cumulatively, so partial refunds add up to exactly what the line accrued.
   Points already spent are either taken anyway (the balance goes negative) or
   their value is kept back from the refund's money.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ._shared import errors, money

KOPECK = money.KOPECK
to_decimal = money.to_decimal

#: take_back policies for points that were already spent
NEGATIVE = "negative"
FROM_REFUND = "from_refund"


class LoyaltyError(errors.CodedError):
    """A loyalty operation that breaks the policy; ``code`` and ``params`` word it."""

    MESSAGES = {
        "rate": "{rate} is not a rate of points per rouble of zero or more",
        "key": "{key} appears more than once",
        "amount": "{amount} is not an amount greater than zero",
        "insufficient": "{amount} cannot be spent: only {available} is usable",
        "share": "{share} is not a share in percent from 0 to 100",
        "value": "{value} is not a point value greater than zero",
        "cap": "{points} points are more than the {cap} this order may be paid with",
        "points": "{points} is not a whole number of points greater than zero",
        "whole_points": "{money} is not paid by whole points worth {value} each",
        "qty": "{refund} more of a line of {qty} cannot be refunded: {refunded} already were",
        "policy": "no take-back policy {policy}",
    }


@dataclass(frozen=True)
class Lot:
    """One credit and what is left of it."""

    key: object
    amount: Decimal
    remaining: Decimal
    day: datetime.date
    expires: datetime.date | None = None

    def usable_on(self, day):
        return self.expires is None or day <= self.expires


@dataclass(frozen=True)
class AccrualLine:
    """An order line's price after discount, tax included, in roubles."""

    key: object
    amount: Decimal
    excluded: bool = False


@dataclass(frozen=True)
class Cap:
    """The most points an order may be paid with, and what they are worth."""

    points: int
    money: Decimal


@dataclass(frozen=True)
class TakeBack:
    """Points taken from the account, those it lacked, and their value kept back."""

    points: int
    shortfall: int
    money: Decimal


def _floor(value):
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _point_value(point_value):
    value = to_decimal(point_value)
    if value <= 0:
        raise LoyaltyError("value", value=point_value)
    return value


def _whole_points(points, zero=False):
    value = to_decimal(points)
    if value != value.to_integral_value() or value < 0 or (value == 0 and not zero):
        raise LoyaltyError("points", points=points)
    return int(value)


def accrue(lines: Iterable[AccrualLine], rate):
    """Points per line key: ``floor(amount * rate)``, 0 for excluded and non-positive lines."""
    rate = to_decimal(rate)
    if rate < 0:
        raise LoyaltyError("rate", rate=rate)
    points = {}
    for line in lines:
        if line.key in points:
            raise LoyaltyError("key", key=line.key)
        amount = to_decimal(line.amount)
        points[line.key] = 0 if line.excluded or amount <= 0 else _floor(amount * rate)
    return points


def _fifo(lots):
    indexed = list(enumerate(lots))
    indexed.sort(
        key=lambda pair: (
            pair[1].day,
            pair[1].expires is None,
            pair[1].expires or datetime.date.min,
            pair[0],
        )
    )
    return [lot for _index, lot in indexed]


def _spendable(lots, day):
    return [lot for lot in _fifo(lots) if lot.usable_on(day) and lot.remaining > 0]


def usable(lots: Iterable[Lot], day):
    """What can be spent on ``day``: the remaining of the lots usable then."""
    return sum((lot.remaining for lot in _spendable(lots, day)), Decimal(0))


def consume(lots: Iterable[Lot], amount, day):
    """Spend ``amount`` on ``day`` oldest lot first; return ``[(lot key, taken)]``."""
    amount = to_decimal(amount)
    if amount <= 0:
        raise LoyaltyError("amount", amount=amount)
    spendable = _spendable(lots, day)
    available = sum((lot.remaining for lot in spendable), Decimal(0))
    if amount > available:
        raise LoyaltyError("insufficient", amount=amount, available=available)
    takes = []
    rest = amount
    for lot in spendable:
        if rest <= 0:
            break
        take = min(rest, lot.remaining)
        takes.append((lot.key, take))
        rest -= take
    return takes


def expire(lots: Iterable[Lot], day):
    """What the expiry job writes off on ``day``: ``[(lot key, remaining)]`` of lapsed lots."""
    return [
        (lot.key, lot.remaining)
        for lot in _fifo(lots)
        if lot.expires is not None and lot.expires < day and lot.remaining > 0
    ]


def points_money(points, point_value):
    """What ``points`` are worth in roubles, half up to the kopeck."""
    value = to_decimal(points) * _point_value(point_value)
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def money_points(money, point_value):
    """The whole number of points that pays ``money``; the POS pays in whole points."""
    money = to_decimal(money)
    value = _point_value(point_value)
    points = int((money / value).to_integral_value(rounding=ROUND_HALF_UP))
    if points_money(points, value) != money:
        raise LoyaltyError("whole_points", money=money, value=value)
    return points


def redemption_cap(order_total, balance, max_share, min_balance, point_value):
    """The most points (and their money) an order of ``order_total`` may be paid with."""
    total = to_decimal(order_total)
    if total <= 0:
        raise LoyaltyError("amount", amount=order_total)
    share = to_decimal(max_share)
    if not 0 <= share <= 100:
        raise LoyaltyError("share", share=max_share)
    value = _point_value(point_value)
    balance = to_decimal(balance)
    if balance <= 0 or balance < to_decimal(min_balance):
        return Cap(0, Decimal("0.00"))
    money_cap = (total * share / 100).quantize(KOPECK, rounding=ROUND_DOWN)
    points = min(_floor(balance), _floor(money_cap / value))
    # points * value <= money_cap, which is on the kopeck grid, so rounding half up
    # cannot lift the money over it; the guard keeps it so if the rounding changes
    while points > 0 and points_money(points, value) > money_cap:
        points -= 1
    return Cap(points, points_money(points, value))


def check_redemption(points, cap: Cap):
    """Refuse paying with ``points`` when they are not whole, positive and within ``cap``."""
    points = _whole_points(points)
    if points > cap.points:
        raise LoyaltyError("cap", points=points, cap=cap.points)


def reversal(accrued, qty, refunded_qty_before, refund_qty, reversed_before):
    """Points to take back when ``refund_qty`` more of a line of ``qty`` is refunded.

    The target is counted on all refunds so far and rounded down, the full
    refund takes everything: the partial reversals add up to ``accrued``.
    """
    qty, before, refund = (to_decimal(x) for x in (qty, refunded_qty_before, refund_qty))
    done = before + refund
    if refund <= 0 or before < 0 or done > qty:
        raise LoyaltyError("qty", qty=qty, refunded=before, refund=refund)
    accrued = _whole_points(accrued, zero=True)
    target = accrued if done >= qty else _floor(accrued * done / qty)
    return max(0, target - _whole_points(reversed_before, zero=True))


def take_back(balance, points, policy, point_value):
    """Take ``points`` back from an account holding ``balance`` under ``policy``."""
    points = _whole_points(points, zero=True)
    value = _point_value(point_value)
    if policy == NEGATIVE:
        return TakeBack(points, 0, Decimal("0.00"))
    if policy != FROM_REFUND:
        raise LoyaltyError("policy", policy=policy)
    taken = min(points, max(_floor(to_decimal(balance)), 0))
    shortfall = points - taken
    return TakeBack(taken, shortfall, points_money(shortfall, value))
