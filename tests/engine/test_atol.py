"""ATOL Online v5 request bodies and the meaning of its answers."""

import datetime
from decimal import Decimal

import pytest

from scs_fiscal.engine import atol, ffd
from scs_fiscal.engine.ffd import Correction, Payments, Receipt

from .test_ffd import DAY, INSURANCE, SEAT

MOMENT = datetime.datetime(2026, 3, 10, 14, 5, 9)
COMPANY = atol.Company("3811098765", "kassa@scs-airlines.example", "Irkutsk, Airport, desk 1")


def _doc(**over):
    values = {
        "operation": ffd.SALE,
        "tax_system": "osn",
        "day": DAY,
        "items": (SEAT, INSURANCE),
        "payments": Payments(cash=111000, prepayment=100000),
        "cashier": "Anna Smirnova",
        "cashier_inn": "381101234567",
        "customer_contact": "pax@example.com",
        "reference": "IKT1-00042",
    }
    values.update(over)
    return ffd.build(Receipt(**values))


def test_sale_request_body():
    operation, body = atol.request(_doc(), "scs-fd-17", COMPANY, MOMENT)
    assert operation == "sell"
    assert body["external_id"] == "scs-fd-17"
    assert body["timestamp"] == "10.03.2026 14:05:09"
    receipt = body["receipt"]
    assert receipt["company"] == {
        "email": "kassa@scs-airlines.example",
        "sno": "osn",
        "inn": "3811098765",
        "payment_address": "Irkutsk, Airport, desk 1",
    }
    assert receipt["client"] == {"email": "pax@example.com"}
    seat, insurance = receipt["items"]
    assert seat == {
        "name": "Seat selection 12A",
        "price": Decimal("1220.00"),
        "quantity": Decimal(1),
        "measure": 0,
        "sum": Decimal("1220.00"),
        "payment_method": "full_payment",
        "payment_object": 4,
        "vat": {"type": "vat22", "sum": Decimal("220.00")},
        "user_data": "5552401234567",
    }
    assert insurance["agent_info"] == {"type": "another"}
    assert insurance["supplier_info"] == {
        "inn": "3811012348",
        "name": "Insurer JSC",
        "phones": ["+73952000000"],
    }
    assert insurance["vat"] == {"type": "none", "sum": Decimal("0.00")}
    # the certificate part is a prepayment offset (type 2)
    assert receipt["payments"] == [
        {"type": 0, "sum": Decimal("1110.00")},
        {"type": 2, "sum": Decimal("1000.00")},
    ]
    assert receipt["vats"] == [
        {"type": "vat22", "sum": Decimal("220.00")},
        {"type": "none", "sum": Decimal("0.00")},
    ]
    assert receipt["total"] == Decimal("2110.00")
    assert (receipt["cashier"], receipt["cashier_inn"]) == ("Anna Smirnova", "381101234567")
    assert receipt["additional_check_props"] == "IKT1-00042"


def test_refund_and_correction_operations():
    assert atol.request(_doc(operation=ffd.SALE_REFUND), "r1", COMPANY, MOMENT)[0] == "sell_refund"
    correction = _doc(correction=Correction(1, datetime.date(2026, 2, 1), "12/345"))
    operation, body = atol.request(correction, "c1", COMPANY, MOMENT)
    assert operation == "sell_correction"
    assert "receipt" not in body
    assert body["correction"]["correction_info"] == {
        "type": "instruction",
        "base_date": "01.02.2026",
        "base_number": "12/345",
    }
    refund_correction = _doc(
        operation=ffd.SALE_REFUND, correction=Correction(0, datetime.date(2026, 2, 1))
    )
    operation, body = atol.request(refund_correction, "c2", COMPANY, MOMENT)
    assert operation == "sell_refund_correction"
    assert body["correction"]["correction_info"] == {"type": "self", "base_date": "01.02.2026"}


def test_phone_contact_and_external_id_limits():
    body = atol.request(_doc(customer_contact="+79161234567"), "x", COMPANY, MOMENT)[1]
    assert body["receipt"]["client"] == {"phone": "+79161234567"}
    for bad in ("", "x" * 129):
        with pytest.raises(ValueError):
            atol.request(_doc(), bad, COMPANY, MOMENT)


DONE = {
    "uuid": "u-1",
    "status": "done",
    "error": None,
    "payload": {
        "fiscal_receipt_number": 12,
        "shift_number": 31,
        "receipt_datetime": "10.03.2026 14:05:11",
        "total": 2110.0,
        "fn_number": "9999078900012345",
        "fiscal_document_number": 5521,
        "fiscal_document_attribute": "3826971440",
        "ofd_receipt_url": "https://ofd.example/r/1",
    },
}


def test_done_report_gives_the_fiscal_data():
    result = atol.outcome(200, DONE)
    assert result.action == atol.DONE
    assert result.fiscal == {
        "fn_number": "9999078900012345",
        "document_number": 5521,
        "fiscal_sign": "3826971440",
        "receipt_number": 12,
        "shift_number": 31,
        "moment": datetime.datetime(2026, 3, 10, 14, 5, 11),
        "total": Decimal("2110.0"),
        "ofd_url": "https://ofd.example/r/1",
    }
    incomplete = dict(DONE, payload={"fn_number": "9999078900012345"})
    assert atol.outcome(200, incomplete).action == atol.ASK


@pytest.mark.parametrize(
    "status, answer, action",
    [
        (None, None, atol.ASK),  # time-out: the document may exist
        (502, None, atol.ASK),
        (200, {"uuid": "u", "status": "wait", "error": None}, atol.WAIT),
        (200, {"status": "wait", "error": {"code": 34, "text": "not ready"}}, atol.WAIT),
        (400, {"status": "wait", "error": {"code": 33, "text": "exists"}}, atol.ASK),
        (401, {"error": {"code": 11, "text": "expired"}}, atol.TOKEN),
        (401, {"error": {"code": 10, "text": "missing"}}, atol.TOKEN),
        (400, {"status": "fail", "error": {"code": 32, "text": "schema"}}, atol.FAILED),
        (400, {"error": {"code": 13, "text": "invalid"}}, atol.FAILED),
        (200, {"status": "fail", "error": {"code": 1, "type": "timeout"}}, atol.FAILED),
        (400, {"error": {"code": 1, "text": "not processed"}}, atol.RETRY),
        (401, {"error": {"code": 20, "text": "group"}}, atol.RETRY),
        (200, "not json", atol.ASK),
    ],
)
def test_every_answer_has_one_meaning(status, answer, action):
    assert atol.outcome(status, answer).action == action
