"""The cash book (KO-4) composed from cash orders: local days in two time zones,
sheets numbered per year, balances carried forward, the cash limit, register cash
as daily orders, and the shift agreement."""

import datetime
from decimal import Decimal

import pytest

from scs_pos.engine import cashbook as C

D = Decimal
UTC = datetime.datetime


def order(number, at, amount, kind=C.INCOMING, **extra):
    return C.CashOrder(key=number, kind=kind, number=number, at=at, amount=D(amount), **extra)


def test_midnight_in_two_zones():
    # 20:30 UTC is 23:30 in Moscow but 04:30 the next day in Irkutsk
    late = order(1, UTC(2026, 3, 2, 20, 30), "100.00")
    early = order(2, UTC(2026, 3, 2, 15, 55), "50.00")  # 18:55 MSK, 23:55 IRK
    after = order(3, UTC(2026, 3, 2, 16, 5), "25.00")  # 19:05 MSK, 00:05 IRK
    moscow = C.compose([late, early, after], "Europe/Moscow")
    assert [(s.day, [o.number for o in s.orders]) for s in moscow.sheets] == [
        (datetime.date(2026, 3, 2), [2, 3, 1])
    ]
    irkutsk = C.compose([late, early, after], "Asia/Irkutsk")
    assert [(s.day, [o.number for o in s.orders]) for s in irkutsk.sheets] == [
        (datetime.date(2026, 3, 2), [2]),
        (datetime.date(2026, 3, 3), [3, 1]),
    ]
    first, second = irkutsk.sheets
    assert (first.opening, first.closing) == (D("0.00"), D("50.00"))
    assert second.opening == first.closing  # carried forward
    assert second.closing == D("175.00") == irkutsk.closing


def test_totals_counts_and_empty_days():
    orders = [
        order(1, UTC(2026, 3, 2, 3), "1000.00"),
        order(1, UTC(2026, 3, 2, 4), "300.00", C.OUTGOING),
        order(2, UTC(2026, 3, 2, 5), "20.50"),
        order(3, UTC(2026, 3, 5, 5), "10.00"),  # no orders on the 3rd and 4th: no sheets
    ]
    book = C.compose(orders, "Asia/Irkutsk", opening=D("500.00"))
    first, second = book.sheets
    assert (first.income, first.expense, first.closing) == (D("1020.50"), D("300.00"), D("1220.50"))
    assert (first.incoming_count, first.outgoing_count) == (2, 1)
    assert (second.day, second.number, second.opening) == (
        datetime.date(2026, 3, 5),
        2,
        D("1220.50"),
    )
    assert book.opening == D("500.00")


def test_sheets_numbered_per_year():
    orders = [
        order(7, UTC(2026, 12, 30, 12), "1.00"),
        order(8, UTC(2026, 12, 31, 12), "1.00"),
        # 1 January 01:00 in Irkutsk is still 31 December in UTC
        order(1, UTC(2026, 12, 31, 17), "1.00"),
    ]
    book = C.compose(orders, "Asia/Irkutsk", sheet_numbers={2026: 300})
    assert [(s.day.isoformat(), s.number, s.year_first) for s in book.sheets] == [
        ("2026-12-30", 301, False),
        ("2026-12-31", 302, False),
        ("2027-01-01", 1, True),
    ]


def test_cash_limit_and_exempt_days():
    orders = [order(n, UTC(2026, 3, d, 5), "6000.00") for n, d in ((1, 2), (2, 3), (3, 8))]
    sunday = datetime.date(2026, 3, 8)
    book = C.compose(orders, "Europe/Moscow", limit=D("10000.00"), exempt=lambda d: d == sunday)
    assert [s.over_limit for s in book.sheets] == [D("0.00"), D("2000.00"), D("0.00")]
    assert all(s.over_limit == 0 for s in C.compose(orders, "Europe/Moscow").sheets)


def test_bad_orders():
    with pytest.raises(C.CashBookError) as err:
        C.compose([order(1, UTC(2026, 3, 2), "0.00")], "Europe/Moscow")
    assert err.value.code == "amount"
    with pytest.raises(C.CashBookError) as err:
        C.compose([order(1, UTC(2026, 3, 2), "1.005")], "Europe/Moscow")
    assert err.value.code == "amount"
    with pytest.raises(C.CashBookError) as err:
        C.compose([order(1, UTC(2026, 3, 2), "1.00", kind="x")], "Europe/Moscow")
    assert err.value.code == "kind"
    with pytest.raises(C.CashBookError) as err:
        C.compose([order(4, UTC(2026, 3, 2), "1.00", C.OUTGOING)], "Europe/Moscow")
    assert (err.value.code, err.value.params["order"]) == ("negative", 4)
    with pytest.raises(C.CashBookError) as err:
        C.compose([], "Mars/Olympus")
    assert err.value.code == "zone"


def test_same_moment_receipt_first():
    at = UTC(2026, 3, 2, 5)
    book = C.compose([order(1, at, "100.00", C.OUTGOING), order(1, at, "100.00")], "Europe/Moscow")
    assert [o.kind for o in book.sheets[0].orders] == [C.INCOMING, C.OUTGOING]


def test_register_orders_by_local_day_never_netted():
    pays = [
        C.RegisterCash(UTC(2026, 3, 2, 15, 55), D("1220.00")),  # 23:55 IRK on the 2nd
        C.RegisterCash(UTC(2026, 3, 2, 16, 5), D("500.00")),  # 00:05 IRK on the 3rd
        C.RegisterCash(UTC(2026, 3, 2, 16, 10), D("-200.00")),
        C.RegisterCash(UTC(2026, 3, 2, 16, 20), D("0.00")),
    ]
    assert C.register_orders(pays, "Asia/Irkutsk") == {
        (datetime.date(2026, 3, 2), C.INCOMING): D("1220.00"),
        (datetime.date(2026, 3, 3), C.INCOMING): D("500.00"),
        (datetime.date(2026, 3, 3), C.OUTGOING): D("200.00"),
    }
    assert C.register_orders(pays, "Europe/Moscow") == {
        (datetime.date(2026, 3, 2), C.INCOMING): D("1720.00"),
        (datetime.date(2026, 3, 2), C.OUTGOING): D("200.00"),
    }


def test_shift_mismatches():
    shifts = [
        C.ShiftCash("z1", D("10000.00"), D("0.00"), D("10000.00"), D("0.00")),
        C.ShiftCash("z2", D("10000.00"), D("50.00"), D("9990.00"), D("50.00")),
    ]
    assert C.shift_mismatches(shifts) == [("z2", D("10.00"), D("0.00"))]
