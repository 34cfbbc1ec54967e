"""Money helpers: Decimal roubles, integer kopecks, Russian VAT.

Fiscal documents carry sums in kopecks; accounting carries Decimal roubles.
Rounding happens once, half up, where the law says (VAT is computed on the
receipt line total, FFD 1.2 tag 1200).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")

#: the general VAT rate (Art. 164 p. 3 of the Tax Code) and the day it took effect
GENERAL_VAT_RATES = (
    (datetime.date(2019, 1, 1), 20),
    (datetime.date(2026, 1, 1), 22),
)


class MoneyError(ValueError):
    """An amount that cannot be a sum of money."""


def to_decimal(amount):
    """Return ``amount`` as a Decimal; floats are refused (they are not exact)."""
    if isinstance(amount, bool) or isinstance(amount, float):
        raise MoneyError(f"money must be Decimal, int or str, not {type(amount).__name__}")
    try:
        value = Decimal(amount)
    except ArithmeticError as err:
        raise MoneyError(f"not an amount of money: {amount!r}") from err
    if not value.is_finite():
        raise MoneyError(f"not an amount of money: {amount!r}")
    return value


def to_kopecks(amount):
    """Roubles (Decimal/int/str) to integer kopecks, rounded half up."""
    return int(to_decimal(amount).quantize(KOPECK, rounding=ROUND_HALF_UP) * 100)


def from_kopecks(kopecks):
    """Integer kopecks to Decimal roubles with two places."""
    if isinstance(kopecks, bool) or not isinstance(kopecks, int):
        raise MoneyError(f"kopecks must be an int, not {type(kopecks).__name__}")
    return (Decimal(kopecks) / 100).quantize(KOPECK)


def general_vat_rate(on_date):
    """The general VAT rate in percent in force on ``on_date``."""
    if isinstance(on_date, datetime.datetime):
        on_date = on_date.date()
    rate = None
    for since, percent in GENERAL_VAT_RATES:
        if on_date >= since:
            rate = percent
    if rate is None:
        raise MoneyError(f"no general VAT rate is known for {on_date}")
    return rate


def vat_included(total_kopecks, rate_percent):
    """VAT contained in a VAT-inclusive total: total * rate / (100 + rate), half up.

    >>> vat_included(12200, 22)
    2200
    >>> vat_included(100, 20)
    17
    """
    if rate_percent < 0:
        raise MoneyError("a VAT rate cannot be negative")
    num = Decimal(total_kopecks) * rate_percent / (100 + Decimal(rate_percent))
    return int(num.quantize(Decimal(1), rounding=ROUND_HALF_UP))
