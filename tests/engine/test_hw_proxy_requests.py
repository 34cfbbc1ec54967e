"""What the hardware proxy accepts from a POS: checked before any device moves."""

import datetime
from decimal import Decimal

import pytest

from scs_fiscal.engine import ffd
from scs_hw_proxy.engine import requests as checks


def document(**over):
    receipt = ffd.Receipt(
        operation=ffd.SALE,
        tax_system="osn",
        day=datetime.date(2026, 12, 1),
        items=(ffd.Item("Seat 12A", 122000, Decimal("1"), "vat22"),),
        payments=ffd.Payments(cash=22000, electronic=100000),
    )
    data = ffd.to_json(ffd.build(receipt))
    data.update(over)
    return data


def test_a_receipt_that_adds_up_is_accepted():
    args = checks.receipt(
        {"external_id": "sale-1", "document": document(), "txns": ["0a1b2c3d", "0a1b2c3d"]}
    )
    assert (args["total"], args["operation"], args["txns"]) == (122000, 1, ["0a1b2c3d"])
    # the journal keeps the JSON form as it came
    assert args["document"]["1020"] == 122000


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"1020": 122001}, "tag 1020 is 122001, the items add up to 122000"),
        ({"1031": 0}, "the payments add up to 100000, the total is 122000"),
        ({"1054": 9}, "tag 1054 must be 1 to 4"),
        ({"type": 5}, "document type must be 3"),
        ({"1059": []}, "tag 1059 must list 1 to 100 items"),
    ],
)
def test_a_receipt_that_does_not_add_up_is_refused(over, message):
    with pytest.raises(checks.BadRequest, match=message):
        checks.receipt({"external_id": "sale-1", "document": document(**over)})


def test_item_sums_and_values_are_checked():
    bad_sum = document()
    bad_sum["1059"][0]["1043"] = 1
    with pytest.raises(checks.BadRequest, match="tag 1043 of item 1 is 1"):
        checks.receipt({"external_id": "sale-1", "document": bad_sum})
    bad_quantity = document()
    bad_quantity["1059"][0]["1023"] = {"$d": "one"}
    with pytest.raises(checks.BadRequest, match="bad value"):
        checks.receipt({"external_id": "sale-1", "document": bad_quantity})


@pytest.mark.parametrize(
    "params",
    [
        {"external_id": "sale 1", "document": document()},
        {"external_id": "x" * 65, "document": document()},
        {"external_id": "sale-1", "document": document(), "txns": ["XYZ"]},
        {"external_id": "sale-1", "document": "not an object"},
    ],
)
def test_ids_and_card_payments_are_checked(params):
    with pytest.raises(checks.BadRequest):
        checks.receipt(params)


def test_card_operations():
    args = checks.card_operation({"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": 100})
    assert args == {"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": 100}
    for params, message in (
        ({"request_id": "0A1B2C3D", "order_ref": "R-1", "amount": 100}, "8 lower-case hex"),
        ({"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": 0}, "positive number"),
        ({"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": 1.5}, "amount must be int"),
        ({"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": True}, "must be an integer"),
        ({"request_id": "0a1b2c3d", "amount": 100}, "order_ref is required"),
    ):
        with pytest.raises(checks.BadRequest, match=message):
            checks.card_operation(params)
    with pytest.raises(checks.BadRequest, match="12 digits"):
        checks.card_operation(
            {"request_id": "0a1b2c3d", "order_ref": "R-1", "amount": 1, "original_rrn": "12"},
            refund=True,
        )


def test_printer_actions():
    assert checks.printer_action({"data": {"action": "cashbox"}}) == {"action": "cashbox"}
    for data, message in (
        ({"action": "print_receipt", "receipt": "%%%"}, "not base64"),
        ({"action": "print_receipt", "receipt": "QQ==" * 60000}, "too large"),
        ({"action": "self_destruct"}, "print_receipt or cashbox"),
    ):
        with pytest.raises(checks.BadRequest, match=message):
            checks.printer_action({"data": data})


def test_cashier_and_cash():
    expected = {"cashier": "Ivanova A.", "cashier_inn": ""}
    assert checks.cashier({"cashier": " Ivanova A. "}) == expected
    with pytest.raises(checks.BadRequest, match="10 or 12 digits"):
        checks.cashier({"cashier": "Ivanova A.", "cashier_inn": "123"})
    assert checks.cash({"external_id": "cash-in-1", "amount": 500000})["amount"] == 500000
