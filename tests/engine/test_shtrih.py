"""Shtrih-M frames, answers and receipts against hand-checked bytes."""

import datetime
from decimal import Decimal

import pytest

from scs_fiscal.engine import ffd
from scs_hw_proxy.engine import shtrih
from scs_hw_proxy.engine.shtrih import ShtrihError

DAY = datetime.date(2026, 3, 10)
SEAT = ffd.Item("Seat 12A", 122000, Decimal(1), "vat22", user_data="5552401234567")
INSURANCE = ffd.Item(
    "Insurance",
    89000,
    Decimal(1),
    "none",
    agent=ffd.Agent(64, "Insurer JSC", "3811012348", ("+73952000000",)),
)


def document(items=(SEAT, INSURANCE), payments=None, **over):
    total = sum(ffd.item_sum(item.price, item.quantity) for item in items)
    values = {
        "operation": ffd.SALE,
        "tax_system": "osn",
        "day": DAY,
        "items": tuple(items),
        "payments": payments or ffd.Payments(cash=total),
        "cashier": "Кассир Иванова",
        "cashier_inn": "381101234567",
    }
    values.update(over)
    return ffd.build(ffd.Receipt(**values))


def commands(frames):
    return [shtrih.frame_command(raw) for raw in frames]


def h(text):
    return bytes.fromhex(text)


def test_lrc_of_the_short_status_frame():
    # LRC = 05 ^ 10 ^ 1E ^ 00 ^ 00 ^ 00 = 0B
    assert shtrih.short_status(30) == h("02 05 10 1e 00 00 00 0b")
    assert shtrih.lrc(h("05 10 1e 00 00 00")) == 0x0B


def test_two_byte_commands_go_ffh_first():
    # LRC = 06 ^ FF ^ 01 ^ 1E = E6
    assert shtrih.fn_status(30) == h("02 06 ff 01 1e 00 00 00 e6")
    assert shtrih.frame_command(shtrih.find_fd(30, 7)) == 0xFF0A
    assert shtrih.find_fd(30, 7)[2:-1] == h("ff 0a 1e 00 00 00 07 00 00 00")


def test_frames_are_parsed_and_checked():
    raw = shtrih.frame(0xFF45, b"\x01\x02")
    assert shtrih.parse_frame(raw) == h("ff 45 01 02")
    with pytest.raises(ShtrihError, match="LRC"):
        shtrih.parse_frame(raw[:-1] + bytes((raw[-1] ^ 1,)))
    with pytest.raises(ShtrihError, match="LEN"):
        shtrih.parse_frame(raw[:-2] + raw[-1:])
    with pytest.raises(ShtrihError, match="at most 255"):
        shtrih.frame(0xFF0C, bytes(254))


def test_answers_echo_error_data():
    answer = shtrih.parse_answer(h("ff 45 00 01 02"))
    assert (answer.command, answer.error, answer.data, answer.ok) == (0xFF45, 0, h("01 02"), True)
    refused = shtrih.parse_answer(h("8d 4e"))
    assert (refused.command, refused.error, refused.data, refused.ok) == (0x8D, 0x4E, b"", False)


def test_operation_v2_byte_by_byte():
    raw = shtrih.operation_v2(
        30, 1, Decimal("1.5"), 10000, 15000, 0x01, department=1, method=4, subject=4, name="Чай"
    )
    assert (
        raw
        == h(
            "02 23 ff 46"
            " 1e 00 00 00"  # password 30
            " 01"  # 1054: sale
            " 60 e3 16 00 00 00"  # 1.5 = 1 500 000 millionths
            " 10 27 00 00 00"  # price 100.00
            " 98 3a 00 00 00"  # sum 150.00
            " ff ff ff ff ff"  # tax sum not given
            " 01 01 04 04"  # 20 %, department 1, 1214 = 4, 1212 = 4
            " d7 e0 e9"  # "Чай" in CP1251
            " a4"
        )
    )


def test_close_check_v2_byte_by_byte():
    raw = shtrih.close_check_v2(30, {1: 111000, 2: 100000, 14: 5000}, tax_system=1)
    assert len(raw) == 3 + 2 + 116
    body = shtrih.parse_frame(raw)
    assert body[:6] == h("ff 45 1e 00 00 00")
    sums = body[6:86]
    assert sums[0:5] == h("98 b1 01 00 00")  # 1: cash 1110.00
    assert sums[5:10] == h("a0 86 01 00 00")  # 2: electronic 1000.00
    assert sums[10:65] == bytes(55)  # 3..13
    assert sums[65:70] == h("88 13 00 00 00")  # 14: prepayment offset 50.00
    assert sums[70:80] == bytes(10)  # 15 credit, 16 counter-provision
    assert body[86] == 0  # rounding
    assert body[87:117] == bytes(30)  # tax mode 0: six zero tax sums
    assert body[117] == 1  # 1055: ОСН
    assert raw[-1] == 0x47


def test_tax_bytes_of_every_1199_value():
    assert shtrih.TAX_BYTES == {
        1: 0x01,
        2: 0x02,
        3: 0x10,
        4: 0x20,
        5: 0x04,
        6: 0x08,
        7: 0x81,
        8: 0x82,
        9: 0x84,
        10: 0x88,
        11: 0xCB,
        12: 0xCC,
    }
    assert {rate.tag for rate in ffd.VAT_RATES.values()} == set(shtrih.TAX_BYTES)


def test_tlv_strings_are_cp866():
    assert shtrih.encode_tag(1021, "Кассир Иванова") == h(
        "fd 03 0e 00 8a a0 e1 e1 a8 e0 20 88 a2 a0 ad ae a2 a0"
    )
    # CP866 has no typographic quotes: they travel as plain ones
    assert shtrih.encode_tag(1225, "«Авиа»") == h("c9 04 06 00 22 80 a2 a8 a0 22")
    with pytest.raises(ShtrihError, match="cp866"):
        shtrih.encode_tag(1021, "Cashier €")


def test_tlv_integers_inn_and_dates():
    assert shtrih.encode_tag(2108, 0) == h("3c 08 01 00 00")
    assert shtrih.encode_tag(1222, 64) == h("c6 04 01 00 40")  # 1222 = 04C6h
    assert shtrih.encode_tag(1079, 122000) == h("37 04 03 00 90 dc 01")  # VLN, shortest
    assert shtrih.encode_tag(1031, 0) == h("07 04 01 00 00")  # 1031 = 0407h
    assert shtrih.encode_tag(1226, "3811012348") == h("ca 04 0c 00") + b"3811012348  "
    with pytest.raises(ShtrihError, match="INN"):
        shtrih.encode_tag(1226, "38110")
    # 2026-03-01 00:00 UTC = 1772323200 = 69A38180h
    assert shtrih.encode_tag(1178, datetime.date(2026, 3, 1)) == h("9a 04 04 00 80 81 a3 69")


def test_agent_stlv():
    stlv = shtrih.encode_tag(1224, {1225: "ООО «Авиа»", 1171: ["+79990000000", "+73952000000"]})
    assert stlv[:4] == h("c8 04 2e 00")  # 1224, 46 bytes
    inner = shtrih.decode_tlv(stlv[4:])
    assert inner == [
        (1225, h("8e 8e 8e 20 22 80 a2 a8 a0 22")),
        (1171, b"+79990000000"),
        (1171, b"+73952000000"),
    ]


def test_quantities_are_exact_millionths():
    assert shtrih.millionths(Decimal("1")) == 1_000_000
    assert shtrih.millionths(Decimal("0.000001")) == 1
    assert shtrih.millionths(Decimal("2.5000000")) == 2_500_000  # zeros are not decimals
    with pytest.raises(ShtrihError, match="more than 6 decimals"):
        shtrih.millionths(Decimal("0.0000001"))
    with pytest.raises(ShtrihError, match="more than 6 decimals"):
        shtrih.millionths(Decimal("1." + "0" * 30 + "1"))  # beyond Decimal's 28 digits
    assert shtrih.millionths(Decimal("1E+2")) == 100_000_000
    with pytest.raises(ShtrihError, match="float"):
        shtrih.millionths(1.5)
    with pytest.raises(ShtrihError, match="above 0"):
        shtrih.millionths(Decimal(0))


def test_a_receipt_becomes_its_frames_in_order():
    doc = document(payments=ffd.Payments(cash=111000, electronic=100000))
    frames = shtrih.receipt_frames(doc, 30)
    assert commands(frames) == [
        shtrih.OPEN_CHECK,
        shtrih.CHECK_TLV,  # 1021
        shtrih.CHECK_TLV,  # 1203
        shtrih.OPERATION,  # seat
        shtrih.OPERATION_TLV,  # 2108
        shtrih.OPERATION_TLV,  # 1191
        shtrih.OPERATION,  # insurance
        shtrih.OPERATION_TLV,  # 2108
        shtrih.OPERATION_TLV,  # 1222
        shtrih.OPERATION_TLV,  # 1224
        shtrih.OPERATION_TLV,  # 1226
        shtrih.CLOSE_CHECK,
    ]
    assert frames[0] == shtrih.frame(0x8D, h("1e 00 00 00 00"))  # type 0: sale
    assert shtrih.parse_frame(frames[2])[6:] == shtrih.encode_tag(1203, "381101234567")
    seat = shtrih.parse_frame(frames[3])
    assert seat[6] == 1  # 1054
    assert seat[28] == 0xCB  # 22 %
    assert seat[23:28] == (22000).to_bytes(5, "little")  # the builder's 1200
    assert seat[32:] == b"Seat 12A"
    tlvs = [shtrih.decode_tlv(shtrih.parse_frame(raw)[6:])[0][0] for raw in frames[7:11]]
    assert tlvs == [2108, 1222, 1224, 1226]
    close = shtrih.parse_frame(frames[-1])
    assert close[6:11] == (111000).to_bytes(5, "little")
    assert close[11:16] == (100000).to_bytes(5, "little")


def test_refund_correction_and_the_json_form():
    refund = document(operation=ffd.SALE_REFUND)
    assert shtrih.receipt_frames(refund, 30)[0][-2] == 2  # 8Dh type 2: sale refund
    assert shtrih.parse_frame(shtrih.receipt_frames(refund, 30)[3])[6] == 2
    correction = document(correction=ffd.Correction(0, datetime.date(2026, 3, 1)))
    frames = shtrih.receipt_frames(correction, 30)
    assert frames[0][-2] == 0x80  # 80h + sale: unconfirmed opener
    assert shtrih.parse_frame(frames[1])[6:] == h("95 04 01 00 00")  # 1173 = 0
    assert shtrih.parse_frame(frames[2])[6:] == h("96 04 08 00 9a 04 04 00 80 81 a3 69")
    as_json = ffd.to_json(document())
    assert shtrih.receipt_frames(as_json, 30) == shtrih.receipt_frames(document(), 30)


def test_payment_slots_and_tags_first():
    doc = document(payments=ffd.Payments(cash=1000, prepayment=200000, credit=5000, other=5000))
    close = shtrih.parse_frame(shtrih.receipt_frames(doc, 30)[-1])
    sums = [int.from_bytes(close[6 + 5 * i : 11 + 5 * i], "little") for i in range(16)]
    assert sums == [1000] + [0] * 12 + [200000, 5000, 5000]
    frames = shtrih.receipt_frames(document(items=(SEAT,)), 30, tags_first=True)
    assert commands(frames)[3:6] == [shtrih.OPERATION_TLV, shtrih.OPERATION_TLV, shtrih.OPERATION]


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({1031: 0}, 0x45, "less than the total"),
        ({1031: 0, 1081: 300000}, 0x4D, "exceed the total"),
        ({"item": {1043: 122002}}, 0x33, "not price x quantity"),
        ({"item": {1023: Decimal("1.0000001")}}, 0x33, "more than 6 decimals"),
        ({"item": {1199: 13}}, 0x33, "no tax byte"),
        ({1054: 5}, 0x33, "1054"),
        ({1055: 3}, 0x33, "not one bit"),
        ({"type": 5}, 0x33, "not 3 or 31"),
        ({1059: []}, 0x8E, "at least one item"),
    ],
)
def test_bad_receipts_are_refused_before_any_frame(change, code, message):
    doc = document(items=(SEAT,))
    item_change = change.pop("item", None)
    if item_change:
        doc[1059][0].update(item_change)
        doc.pop(1020)
    doc.update(change)
    with pytest.raises(ShtrihError, match=message) as refused:
        shtrih.receipt_frames(doc, 30)
    assert refused.value.code == code


def test_a_tlv_too_large_for_one_command():
    doc = document(items=(SEAT,), customer_name="Ф" * 250)
    with pytest.raises(ShtrihError) as refused:
        shtrih.receipt_frames(doc, 30)
    assert refused.value.code == 0x10


def test_cash_frames():
    assert shtrih.cash_frames({"type": "cash_in", "sum": 150000}, 1) == [
        h("02 0a 50 01 00 00 00 f0 49 02 00 00") + bytes((shtrih.lrc(h("0a 50 01 f0 49 02")),))
    ]
    assert shtrih.frame_command(shtrih.cash_frames({"type": "cash_out", "sum": 1}, 1)[0]) == 0x51
    with pytest.raises(ShtrihError):
        shtrih.cash_frames({"type": "cash_in", "sum": 1.5}, 1)


def test_short_status_decoder():
    data = h("1e 82 04 28 03 00 9c bb 00 00 00 00 00 00")
    status = shtrih.decode_short_status(data)
    assert status["mode"] == 8 and status["mode_status"] == 2  # check open: sale refund
    assert status["submode"] == 3
    assert status["cover_open"] and status["paper"]
    no_paper = shtrih.decode_short_status(h("1e 00 00 02 01 00 9c bb 00 00 00 00 00 00"))
    assert (no_paper["mode"], no_paper["paper"], no_paper["cover_open"]) == (2, False, False)


def test_fn_status_decoder():
    data = h("03 00 00 01 04 1a 03 0a 0e 05") + b"9999078902012345" + h("2a 00 00 00")
    fn = shtrih.decode_fn_status(data)
    assert fn["shift_open"] and fn["warnings"] == ["fn_nearly_full"]
    assert fn["moment"] == datetime.datetime(2026, 3, 10, 14, 5)
    assert (fn["fn_number"], fn["last_fd"]) == ("9999078902012345", 42)


def test_find_fd_and_close_check_decoders():
    data = h("03 00 1a 03 0a 0e 05 2a 00 00 00 78 56 34 12 01 38 38 03 00 00")
    found = shtrih.decode_find_fd(data)
    assert found == {
        "type": 3,
        "ofd_receipt": False,
        "moment": datetime.datetime(2026, 3, 10, 14, 5),
        "document_number": 42,
        "fiscal_sign": 0x12345678,
        "operation": 1,
        "sum": 211000,
    }
    short = shtrih.decode_close_check(h("00 00 00 00 00 2a 00 00 00 78 56 34 12"))
    assert short == {"change": 0, "document_number": 42, "fiscal_sign": 305419896, "moment": None}
    long = shtrih.decode_close_check(h("e8 03 00 00 00 2a 00 00 00 78 56 34 12 1a 03 0a 0e 05"))
    assert long["change"] == 1000 and long["moment"] == datetime.datetime(2026, 3, 10, 14, 5)
    assert shtrih.decode_shift_params(h("01 07 00 0c 00")) == {
        "shift_open": True,
        "shift_number": 7,
        "check_number": 12,
    }


def test_errors_are_classified():
    assert shtrih.classify(0x50) == shtrih.TRANSIENT
    assert shtrih.classify(0x58) == shtrih.CONTINUE
    assert shtrih.classify(0x6B) == shtrih.DEVICE
    assert shtrih.classify(0x3D) == shtrih.SHIFT_CLOSED
    assert shtrih.classify(0x4E) == shtrih.classify(0x16) == shtrih.SHIFT_EXPIRED
    assert shtrih.classify(0x4A) == shtrih.CHECK_OPEN
    assert shtrih.classify(0x45) == shtrih.classify(0x4F) == shtrih.PERSON
    assert shtrih.error_text(0x6B) == "no receipt paper"
    assert shtrih.error_text(0xEE) == "register error EEh"
