import datetime
from decimal import ROUND_DOWN, Decimal

import pytest

from scs_loyalty.engine import ledger
from scs_loyalty.engine.ledger import (
    FROM_REFUND,
    NEGATIVE,
    AccrualLine,
    Cap,
    Lot,
    LoyaltyError,
    TakeBack,
)
from scs_pos.engine.money import MoneyError

D = Decimal
JAN = {day: datetime.date(2026, 1, day) for day in range(1, 32)}  # JAN[5] is 5 January


def _code(call, *args):
    with pytest.raises(LoyaltyError) as err:
        call(*args)
    return err.value


# accrual


def test_accrual_rounds_each_line_down():
    lines = [
        AccrualLine("a", D("399.98")),  # 19.999 -> 19
        AccrualLine("b", D("20.00")),  # exactly 1
        AccrualLine("c", D("19.99")),  # 0.9995 -> 0
        AccrualLine("d", D("1000"), excluded=True),
        AccrualLine("e", D("0")),
        AccrualLine("f", D("-150.00")),
    ]
    assert ledger.accrue(lines, D("0.05")) == {"a": 19, "b": 1, "c": 0, "d": 0, "e": 0, "f": 0}


def test_accrual_at_zero_rate_and_refusals():
    assert ledger.accrue([AccrualLine(1, D("999.99"))], D(0)) == {1: 0}
    assert ledger.accrue([], D("0.05")) == {}
    assert _code(ledger.accrue, [], D("-0.01")).code == "rate"
    assert _code(ledger.accrue, [AccrualLine(1, D(1)), AccrualLine(1, D(2))], 1).code == "key"
    with pytest.raises(MoneyError):
        ledger.accrue([AccrualLine(1, D(100))], 0.05)
    with pytest.raises(MoneyError):
        ledger.accrue([AccrualLine(1, 100.0)], D("0.05"))


# lots: FIFO, usability, expiry


def lots():
    return [
        Lot("never", D(100), D(100), JAN[1], None),
        Lot("late", D(50), D(50), JAN[3], JAN[20]),
        Lot("soon", D(30), D(30), JAN[1], JAN[10]),
        Lot("lapsed", D(40), D(40), JAN[1], JAN[4]),
        Lot("empty", D(10), D(0), JAN[1], JAN[30]),
        Lot("same", D(5), D(5), JAN[1], JAN[10]),
    ]


def test_usable_and_expiry_day_itself():
    assert ledger.usable(lots(), JAN[4]) == D(225)  # "lapsed" still usable on its expiry day
    assert ledger.usable(lots(), JAN[5]) == D(185)
    assert ledger.usable(lots(), JAN[21]) == D(100)


def test_consume_oldest_first_never_expiring_last():
    # same day: earlier expiry first, equal expiry in input order, None last
    assert ledger.consume(lots(), D(120), JAN[5]) == [
        ("soon", D(30)),
        ("same", D(5)),
        ("never", D(85)),
    ]
    assert ledger.consume(lots(), D(80), JAN[4]) == [
        ("lapsed", D(40)),
        ("soon", D(30)),
        ("same", D(5)),
        ("never", D(5)),
    ]
    # the later day goes after all lots of the earlier one
    assert ledger.consume(lots(), D(185), JAN[5])[-1] == ("late", D(50))


def test_consume_refusals():
    err = _code(ledger.consume, lots(), D("185.01"), JAN[5])
    assert (err.code, err.params) == ("insufficient", {"amount": D("185.01"), "available": D(185)})
    assert str(err) == "185.01 cannot be spent: only 185 is usable"
    assert _code(ledger.consume, lots(), D(0), JAN[5]).code == "amount"
    assert _code(ledger.consume, [], D(1), JAN[5]).params["available"] == 0


def test_expire_lists_lapsed_remainders_in_fifo_order():
    assert ledger.expire(lots(), JAN[4]) == []
    assert ledger.expire(lots(), JAN[11]) == [("lapsed", D(40)), ("soon", D(30)), ("same", D(5))]
    assert [key for key, _r in ledger.expire(lots(), JAN[31])] == ["lapsed", "soon", "same", "late"]


# redemption cap


@pytest.mark.parametrize(
    "total, balance, share, minimum, value, points, money",
    [
        ("1000.00", "5000", "30", "0", "1", 300, "300.00"),  # the share binds
        ("1000.00", "120.9", "30", "0", "1", 120, "120.00"),  # the balance binds, whole points
        ("999.99", "5000", "30", "0", "1", 299, "299.00"),  # 299.997 -> 299.99 -> 299 points
        ("999.99", "5000", "30", "0", "0.5", 599, "299.50"),
        ("999.99", "5000", "30", "0", "3", 99, "297.00"),
        ("100.00", "50", "100", "0", "3", 33, "99.00"),
        ("100.00", "5000", "100", "0", "0.333", 300, "99.90"),  # 99.9 exactly
        ("100.00", "5000", "100", "0", "0.335", 298, "99.83"),  # 99.83 = 99.830
        ("1000.00", "99", "50", "100", "1", 0, "0"),  # below the minimum balance
        ("1000.00", "100", "50", "100", "1", 100, "100.00"),  # at the minimum
        ("1000.00", "-5", "50", "0", "1", 0, "0"),
        ("1000.00", "500", "0", "0", "1", 0, "0"),
    ],
)
def test_redemption_cap(total, balance, share, minimum, value, points, money):
    cap = ledger.redemption_cap(D(total), D(balance), D(share), D(minimum), D(value))
    assert cap == Cap(points, D(money))


@pytest.mark.parametrize("value", ["0.01", "0.07", "0.333", "0.5", "0.995", "1", "1.005", "3"])
def test_cap_money_never_above_the_share(value):
    for kopecks in range(1, 20_001, 137):
        total = D(kopecks) / 100
        cap = ledger.redemption_cap(total, D(10**6), D(30), D(0), D(value))
        limit = (total * 30 / 100).quantize(D("0.01"), rounding=ROUND_DOWN)
        assert cap.money <= limit
        assert cap.money == ledger.points_money(cap.points, D(value))
        # the most whole points whose exact value fits (not their rounded money)
        assert (cap.points + 1) * D(value) > limit


def test_cap_refusals():
    args = (D(100), D(100), D(50), D(0), D(1))
    for index, value, code in [(0, D(0), "amount"), (2, D(101), "share"), (2, D(-1), "share")]:
        bad = args[:index] + (value,) + args[index + 1 :]
        assert _code(ledger.redemption_cap, *bad).code == code
    assert _code(ledger.redemption_cap, *args[:4], D(0)).code == "value"
    with pytest.raises(MoneyError):
        ledger.redemption_cap(100.0, *args[1:])


def test_check_redemption():
    cap = Cap(300, D("300.00"))
    ledger.check_redemption(300, cap)
    ledger.check_redemption(D("1.000"), cap)
    err = _code(ledger.check_redemption, 301, cap)
    assert (err.code, err.params) == ("cap", {"points": 301, "cap": 300})
    for points in (0, -1, D("1.5")):
        assert _code(ledger.check_redemption, points, cap).code == "points"


# points and money


@pytest.mark.parametrize(
    "points, value, money",
    [(10, "1", "10.00"), (3, "0.335", "1.01"), (1, "0.005", "0.01"), (7, "0.5", "3.50")],
)
def test_points_money_rounds_half_up(points, value, money):
    assert ledger.points_money(points, D(value)) == D(money)


@pytest.mark.parametrize(
    "money, value, points",
    [
        ("10.00", "1", 10),
        ("3.50", "0.5", 7),
        ("1.01", "0.335", 3),
        ("0.33", "0.334", 1),
        ("0", "3", 0),
        ("99", "3", 33),
    ],
)
def test_money_points(money, value, points):
    assert ledger.money_points(D(money), D(value)) == points


@pytest.mark.parametrize(
    "money, value", [("10.50", "1"), ("3.75", "0.5"), ("100", "3"), ("1.005", "1")]
)
def test_money_points_refuses_parts_of_a_point(money, value):
    err = _code(ledger.money_points, D(money), D(value))
    assert (err.code, err.params) == ("whole_points", {"money": D(money), "value": D(value)})


# reversal on refunds


def test_partial_refunds_reverse_exactly_what_was_accrued():
    taken = []
    for refunded in range(3):
        taken.append(ledger.reversal(100, D(3), D(refunded), D(1), sum(taken)))
    assert taken == [33, 33, 34]


@pytest.mark.parametrize(
    "accrued, qty, before, refund, reversed_before, points",
    [
        (100, "3", "0", "3", 0, 100),
        (100, "3", "0", "2", 0, 66),
        (100, "3", "2", "1", 66, 34),
        (7, "2.5", "0", "1.25", 0, 3),  # weighed goods: half of 7 -> 3
        (7, "2.5", "1.25", "1.25", 3, 4),
        (100, "3", "0", "1", 50, 0),  # more than the target was taken already: nothing more
        (0, "1", "0", "1", 0, 0),
    ],
)
def test_reversal(accrued, qty, before, refund, reversed_before, points):
    assert ledger.reversal(accrued, D(qty), D(before), D(refund), reversed_before) == points


@pytest.mark.parametrize(
    "before, refund", [("0", "0"), ("0", "-1"), ("2", "2"), ("3", "1"), ("-1", "1")]
)
def test_reversal_refuses_impossible_quantities(before, refund):
    err = _code(ledger.reversal, 100, D(3), D(before), D(refund), 0)
    assert err.code == "qty"
    assert err.params == {"qty": D(3), "refunded": D(before), "refund": D(refund)}


# taking points back


@pytest.mark.parametrize(
    "balance, points, policy, value, result",
    [
        ("500", 100, NEGATIVE, "1", (100, 0, "0")),
        ("30", 100, NEGATIVE, "1", (100, 0, "0")),  # balance goes to -70
        ("-20", 100, NEGATIVE, "1", (100, 0, "0")),
        ("500", 100, FROM_REFUND, "1", (100, 0, "0")),
        ("30.7", 100, FROM_REFUND, "1", (30, 70, "70.00")),
        ("30", 100, FROM_REFUND, "0.5", (30, 70, "35.00")),
        ("0", 100, FROM_REFUND, "3", (0, 100, "300.00")),
        ("-20", 100, FROM_REFUND, "1", (0, 100, "100.00")),  # nothing to take from a debt
        ("500", 0, FROM_REFUND, "1", (0, 0, "0")),
    ],
)
def test_take_back(balance, points, policy, value, result):
    taken, shortfall, money = result
    assert ledger.take_back(D(balance), points, policy, D(value)) == TakeBack(
        taken, shortfall, D(money)
    )


def test_take_back_refusals():
    assert _code(ledger.take_back, D(10), 5, "forgive", D(1)).params == {"policy": "forgive"}
    assert _code(ledger.take_back, D(10), -5, NEGATIVE, D(1)).code == "points"
    assert _code(ledger.take_back, D(10), 5, NEGATIVE, D(0)).code == "value"
