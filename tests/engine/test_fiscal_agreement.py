"""The agreement check, the line split and the stored form of FFD documents."""

import datetime
from decimal import Decimal

import pytest

from scs_fiscal.engine import agreement
from scs_fiscal.engine.ffd import (
    SALE,
    SALE_REFUND,
    Agent,
    Correction,
    FfdError,
    Item,
    Payments,
    Receipt,
    build,
    from_json,
    split_amount,
    to_json,
)

DAY = datetime.date(2026, 3, 10)
AGENT = Agent(64, "Insurer JSC", "3811012348")


def document(operation=SALE):
    items = (
        Item("Seat 12A", 122000, Decimal(1), "vat22"),
        Item("Baggage", 3333, Decimal(2), "vat22"),
        Item("Baggage", 3334, Decimal(1), "vat22"),
        Item("Insurance", 89000, Decimal(1), "none", agent=AGENT),
    )
    return build(Receipt(operation, "osn", DAY, items, Payments(cash=20000, electronic=201000)))


def order(**over):
    values = {
        "operation": SALE,
        "lines": (
            agreement.Line("Seat 12A", Decimal(1), 122000, "vat22"),
            agreement.Line("Baggage", Decimal(3), 10000, "vat22"),
            agreement.Line("Insurance", Decimal(1), 89000, "none", agent_sign=64,
                           supplier_inn="3811012348"),
        ),
        "payments": {1031: 20000, 1081: 201000},
    }  # fmt: skip
    values.update(over)
    return agreement.Order(**values)


def test_a_split_line_agrees_with_its_order_line():
    assert agreement.check(document(), order(), fiscal_total=Decimal("2210.00")) == []


def test_every_difference_is_listed():
    lines = order().lines
    changed = order(
        operation=SALE_REFUND,
        lines=(
            lines[0],
            agreement.Line("Baggage", Decimal(3), 10001, "vat22"),
            agreement.Line("Insurance", Decimal(1), 89000, "none", agent_sign=64,
                           supplier_inn="7707083893"),
        ),
        payments={1031: 20001, 1081: 201000},
    )  # fmt: skip
    found = {m.what: (m.fiscal, m.order) for m in agreement.check(document(), changed, "2210.01")}
    assert found["operation (1054)"] == (1, 2)
    assert found["sum of Baggage [vat22, 1214=4, 1212=4]"] == (10000, 10001)
    assert found["line Insurance [none, 1214=4, 1212=4, agent 64 for 3811012348]"] == (
        "1 for 89000",
        "missing",
    )
    assert found["line Insurance [none, 1214=4, 1212=4, agent 64 for 7707083893]"] == (
        "missing",
        "1 for 89000",
    )
    assert found["total (1020)"] == (221000, 221001)
    assert found["payment (1031)"] == (20000, 20001)
    assert found["registered total"] == (221001, 221000)
    assert len(found) == 7


def test_a_tampered_document_is_caught():
    doc = document()
    doc[1059][0][1043] = 122001
    doc[1059][0][1200] = 1
    found = {m.what for m in agreement.check(doc, order())}
    assert found == {
        "item 1 sum (1043)",
        "item 1 VAT (1200)",
        "sum of Seat 12A [vat22, 1214=4, 1212=4]",
    }


def test_quantity_difference_and_contact():
    wanted = order(
        lines=order().lines[:1] + (agreement.Line("Baggage", Decimal(2), 10000, "vat22"),)
        + order().lines[2:],
        customer_contact="+79140000000",
    )  # fmt: skip
    found = {m.what: (m.fiscal, m.order) for m in agreement.check(document(), wanted)}
    assert found == {
        "quantity of Baggage [vat22, 1214=4, 1212=4]": (Decimal(3), Decimal(2)),
        "customer contact (1008)": (None, "+79140000000"),
    }


@pytest.mark.parametrize(
    "total, quantity, expected",
    [
        (10000, 3, [(3333, 2), (3334, 1)]),
        (9999, 3, [(3333, 3)]),
        (100, 7, [(14, 5), (15, 2)]),
        (0, 2, [(0, 2)]),
        (150, Decimal("1.5"), [(100, Decimal("1.5"))]),
    ],
)
def test_split_amount_adds_up_exactly(total, quantity, expected):
    parts = split_amount(total, Decimal(quantity))
    assert [(price, Decimal(qty)) for price, qty in expected] == parts
    assert sum(price * qty for price, qty in parts) == total


def test_split_amount_refuses_what_cannot_add_up():
    with pytest.raises(FfdError, match="tag 1043 of Fuel"):
        split_amount(101, Decimal("2.5"), "Fuel")


def test_stored_form_round_trips():
    doc = build(
        Receipt(
            SALE, "osn", DAY, (Item("Seat", 122000, Decimal("1"), "vat22"),),
            Payments(cash=122000), correction=Correction(1, DAY, "12-34"),
        )
    )  # fmt: skip
    stored = to_json(doc)
    assert all(isinstance(key, str) for key in stored)
    assert from_json(stored) == doc
