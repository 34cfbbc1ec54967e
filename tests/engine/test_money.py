import datetime
from decimal import Decimal

import pytest

from scs_pos.engine.money import (
    MoneyError,
    from_kopecks,
    general_vat_rate,
    to_decimal,
    to_kopecks,
    vat_included,
)


@pytest.mark.parametrize(
    "amount, kopecks",
    [
        ("0", 0),
        ("1", 100),
        ("1220.00", 122000),
        ("0.005", 1),
        ("0.004", 0),
        (Decimal("-3.335"), -334),
        (7, 700),
    ],
)
def test_to_kopecks_rounds_half_up(amount, kopecks):
    assert to_kopecks(amount) == kopecks


@pytest.mark.parametrize("bad", [1.1, True, "abc", "NaN", "Infinity", None])
def test_to_kopecks_refuses_non_money(bad):
    with pytest.raises((MoneyError, TypeError)):
        to_kopecks(bad)


def test_from_kopecks_roundtrip():
    assert from_kopecks(122050) == Decimal("1220.50")
    assert to_kopecks(from_kopecks(-1)) == -1
    with pytest.raises(MoneyError):
        from_kopecks(1.0)


def test_to_decimal_keeps_exact_value():
    assert to_decimal("0.1") + to_decimal("0.2") == Decimal("0.3")


@pytest.mark.parametrize(
    "day, rate",
    [
        (datetime.date(2019, 1, 1), 20),
        (datetime.date(2025, 12, 31), 20),
        (datetime.date(2026, 1, 1), 22),
        (datetime.datetime(2026, 11, 25, 23, 59), 22),
    ],
)
def test_general_vat_rate_follows_the_operation_date(day, rate):
    assert general_vat_rate(day) == rate


def test_no_rate_before_the_table():
    with pytest.raises(MoneyError):
        general_vat_rate(datetime.date(2018, 12, 31))


@pytest.mark.parametrize(
    "total, rate, vat",
    [
        (12200, 22, 2200),
        (12000, 20, 2000),
        (100, 22, 18),
        (100, 20, 17),
        (1, 22, 0),
        (11000, 10, 1000),
        (5000, 0, 0),
    ],
)
def test_vat_included(total, rate, vat):
    assert vat_included(total, rate) == vat


def test_negative_rate_refused():
    with pytest.raises(MoneyError):
        vat_included(100, -1)
