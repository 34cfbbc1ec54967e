"""FFD 1.2 receipts against hand-checked tag values."""

import datetime
from decimal import Decimal

import pytest

from scs_fiscal.engine.ffd import (
    CORRECTION,
    RECEIPT,
    SALE,
    SALE_REFUND,
    Agent,
    Correction,
    FfdError,
    Item,
    Payments,
    Receipt,
    agreement,
    build,
    item_sum,
    vat_amount,
)

DAY = datetime.date(2026, 3, 10)
SEAT = Item("Seat selection 12A", 122000, Decimal(1), "vat22", user_data="5552401234567")
INSURANCE = Item(
    "Travel insurance",
    89000,
    Decimal(1),
    "none",
    agent=Agent(64, "Insurer JSC", "3811012348", ("+73952000000",)),
)


def receipt(items=(SEAT,), payments=None, **over):
    total = sum(item_sum(i.price, i.quantity) for i in items)
    values = {
        "operation": SALE,
        "tax_system": "osn",
        "day": DAY,
        "items": tuple(items),
        "payments": payments or Payments(cash=total),
        "cashier": "Cashier Anna Smirnova",
        "cashier_inn": "381101234567",
        "reference": "IKT1-00042",
    }
    values.update(over)
    return Receipt(**values)


def test_sale_of_an_own_service_and_an_agent_service():
    doc = build(receipt((SEAT, INSURANCE), Payments(cash=111000, electronic=100000)))
    assert doc["type"] == RECEIPT
    assert (doc[1054], doc[1055], doc[1020], doc[1031], doc[1081]) == (1, 1, 211000, 111000, 100000)
    seat, insurance = doc[1059]
    # 1,220.00 at 22/122 includes 220.00 of VAT
    assert seat == {
        1030: "Seat selection 12A",
        1079: 122000,
        1023: Decimal(1),
        2108: 0,
        1043: 122000,
        1199: 11,
        1200: 22000,
        1212: 4,
        1214: 4,
        1191: "5552401234567",
    }
    assert insurance[1199] == 6 and insurance[1200] == 0
    assert insurance[1222] == 64
    assert insurance[1224] == {1225: "Insurer JSC", 1171: ["+73952000000"]}
    assert insurance[1226] == "3811012348"
    assert doc[1057] == 64
    assert doc["vats"] == {"vat22": 22000, "none": 0}
    assert doc[1105] == 0  # the "without VAT" total has a known tag
    assert (doc[1021], doc[1203], doc[1192]) == (
        "Cashier Anna Smirnova",
        "381101234567",
        "IKT1-00042",
    )


def test_item_sum_rounds_once_half_up():
    # 3 x 333.335 does not exist: prices are kopecks; 2.5 kg at 0.33 is 0.825 -> 0.83
    baggage = Item("Excess baggage", 33, Decimal("2.5"), "vat22", measure=11)
    doc = build(receipt((baggage,)))
    assert doc[1059][0][1043] == 83
    assert doc[1020] == 83
    assert vat_amount(83, "vat22") == 15  # 83 x 22 / 122 = 14.97


def test_vat_of_every_rate():
    expected = {
        "vat0": 0, "none": 0, "vat10": 1000, "vat110": 1000, "vat5": 524,
        "vat105": 524, "vat7": 720, "vat107": 720, "vat22": 1984, "vat122": 1984,
        "vat20": 1833, "vat120": 1833,
    }  # fmt: skip
    for vat, amount in expected.items():
        assert vat_amount(11000, vat) == amount, vat


def test_item_sum_must_be_price_times_quantity():
    wrong = Item("Seat", 122000, Decimal(2), "vat22", amount=244001)
    with pytest.raises(FfdError) as err:
        build(receipt((wrong,)))
    assert err.value.tag == 1043
    assert "244001" in str(err.value) and "244000" in str(err.value)


def test_payments_must_equal_the_total():
    with pytest.raises(FfdError) as err:
        build(receipt(payments=Payments(cash=100000, electronic=21999)))
    assert (err.value.tag, err.value.code) == (1020, "payments")


def test_the_rate_in_force_on_the_day():
    old = Item("Seat", 122000, Decimal(1), "vat20")
    with pytest.raises(FfdError) as err:
        build(receipt((old,)))
    assert (err.value.tag, err.value.code) == (1199, "vat_date")
    with pytest.raises(FfdError):
        build(receipt((SEAT,), day=datetime.date(2025, 12, 31)))
    # a 2026 refund of a 2025 sale keeps the 20% of the sale
    refund = build(receipt((old,), operation=SALE_REFUND, original_day=datetime.date(2025, 12, 20)))
    assert (refund[1054], refund[1059][0][1199], refund[1059][0][1200]) == (2, 1, 20333)


def test_gift_certificate_sale_is_an_advance_and_redemption_an_offset():
    certificate = Item("Gift certificate 5000", 500000, Decimal(1), "vat122", subject=10, method=3)
    sale = build(receipt((certificate,), Payments(electronic=500000)))
    assert (sale[1059][0][1212], sale[1059][0][1214], sale[1059][0][1199]) == (10, 3, 12)
    assert sale[1059][0][1200] == 90164  # 5,000.00 x 22/122 = 901.639...
    with pytest.raises(FfdError) as err:
        build(receipt((Item("Gift certificate", 500000, Decimal(1), "vat22", 10, 3),)))
    assert err.value.code == "vat_advance"
    redemption = build(receipt((SEAT,), Payments(prepayment=100000, cash=22000)))
    assert (redemption[1215], redemption[1031], redemption[1020]) == (100000, 22000, 122000)


def test_correction_receipts():
    by_order = Correction(1, datetime.date(2026, 2, 1), "ЕД-12/345")
    doc = build(receipt(correction=by_order))
    assert doc["type"] == CORRECTION
    assert doc[1173] == 1
    assert doc[1174] == {1178: datetime.date(2026, 2, 1), 1179: "ЕД-12/345"}
    own = build(receipt(correction=Correction(0, datetime.date(2026, 2, 1))))
    assert own[1174] == {1178: datetime.date(2026, 2, 1)}
    with pytest.raises(FfdError) as err:
        build(receipt(correction=Correction(1, datetime.date(2026, 2, 1))))
    assert err.value.tag == 1179
    # a correction of a 2025 settlement uses the 2025 rate
    old = Item("Seat", 122000, Decimal(1), "vat20")
    assert build(receipt((old,), correction=Correction(0, datetime.date(2025, 11, 3))))[1059]


@pytest.mark.parametrize(
    "over, tag",
    [
        ({"tax_system": "envd2"}, 1055),
        ({"operation": 5}, 1054),
        ({"items": ()}, 1059),
        ({"customer_contact": "not a contact"}, 1008),
        ({"cashier_inn": "12345"}, 1203),
        ({"cashier": "x" * 65}, 1021),
        ({"reference": "x" * 17}, 1192),
    ],
)
def test_receipt_level_errors_name_the_tag(over, tag):
    with pytest.raises(FfdError) as err:
        build(receipt(**over))
    assert err.value.tag == tag
    assert f"tag {tag}" in str(err.value)


@pytest.mark.parametrize(
    "item, tag",
    [
        (Item("", 100, Decimal(1), "vat22"), 1030),
        (Item("x" * 129, 100, Decimal(1), "vat22"), 1030),
        (Item("Seat", -1, Decimal(1), "vat22"), 1079),
        (Item("Seat", 100, Decimal(0), "vat22"), 1023),
        (Item("Seat", 100, 1.5, "vat22"), 1023),
        (Item("Seat", 100, Decimal(1), "vat18"), 1199),
        (Item("Seat", 100, Decimal(1), "vat22", subject=28), 1212),
        (Item("Seat", 100, Decimal(1), "vat22", method=8), 1214),
        (Item("Seat", 100, Decimal(1), "vat22", measure=1), 2108),
        (Item("Policy", 100, Decimal(1), "none", agent=Agent(3, "Insurer", "3811012348")), 1222),
        (Item("Policy", 100, Decimal(1), "none", agent=Agent(64, "", "3811012348")), 1224),
        (Item("Policy", 100, Decimal(1), "none", agent=Agent(64, "Insurer", "381101")), 1226),
        (
            Item(
                "Policy",
                100,
                Decimal(1),
                "none",
                agent=Agent(64, "Insurer", "3811012348", ("83952",)),
            ),
            1171,
        ),
    ],
)
def test_item_errors_name_the_tag(item, tag):
    with pytest.raises(FfdError) as err:
        build(receipt((item,), Payments(cash=100)))
    assert err.value.tag == tag


def test_contact_by_phone_or_email():
    assert build(receipt(customer_contact="+79161234567"))[1008] == "+79161234567"
    assert build(receipt(customer_contact="pax@example.com"))[1008] == "pax@example.com"


def test_agreement_lists_every_mismatch():
    doc = build(receipt((SEAT, INSURANCE), Payments(cash=211000)))
    assert agreement(doc, build(receipt((SEAT, INSURANCE), Payments(cash=211000)))) == []
    other = build(receipt((SEAT, INSURANCE), Payments(cash=111000, electronic=100000)))
    assert agreement(doc, other) == [("/1031", 211000, 111000), ("/1081", 0, 100000)]
    fewer = build(receipt((SEAT,), Payments(cash=122000)))
    found = agreement(doc, fewer)
    assert ("/1059#", 2, 1) in found
    assert ("/1020", 211000, 122000) in found
