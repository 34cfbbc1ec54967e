"""Sberbank UPOS command lines and result files, as plain data."""

import datetime

import pytest

from scs_hw_proxy.engine import upos
from scs_hw_proxy.engine.upos import TerminalResult, UposError

RID = "0a1b2c3d"
RRN = "412345678901"

# an approval as UPOS writes it: code line, then one field a line, request id on line 19
APPROVAL = [
    "0,Одобрено",
    "220220******1234",
    "12/28",
    "A1B2C3",
    "0042",
    "МИР",
    "1",
    "00982134",
    "20260310140509",
    RRN,
    "B393E9A952712E39B45F29B7D1E27C8CE15BDCA3",
    "",
    "",
    "780000123456",
    "",
    "",
    "",
    "",
    "",
    RID.upper(),
]


def e_file(lines, encoding, newline="\n"):
    return newline.join(lines).encode(encoding) + newline.encode()


# --- command lines -----------------------------------------------------------------------------


def test_command_lines():
    assert upos.sale_args(150000, RID) == ["1", "150000", "0", "/q=0a1b2c3d"]
    assert upos.refund_args(5000, RRN, "0A1B2C3D") == [
        "3",
        "5000",
        "0",
        "QSELECT",
        RRN,
        "/q=0a1b2c3d",
    ]
    assert upos.cancel_args(150000, RRN, RID) == ["8", "150000", "0", "QSELECT", RRN, f"/q={RID}"]
    assert upos.day_close_args() == ["7"]
    assert upos.report_args() == ["9", "0"]
    assert upos.report_args(full=True) == ["9", "1"]
    assert upos.status_args("DEADBEEF") == ["52", "deadbeef"]


@pytest.mark.parametrize(
    "amount", [0, -100, 1500.0, "150000", True, None, upos.MAX_AMOUNT + 1, 10**12]
)
def test_amount_must_be_positive_int_kopecks(amount):
    with pytest.raises(UposError, match="(?i)amount"):
        upos.sale_args(amount, RID)


def test_amount_limits():
    assert upos.sale_args(1, RID)[1] == "1"
    assert upos.sale_args(upos.MAX_AMOUNT, RID)[1] == str(upos.MAX_AMOUNT)


@pytest.mark.parametrize("rrn", ["", "41234567890", "4123456789012", "41234567890a", 412345678901])
def test_rrn_is_12_digits(rrn):
    with pytest.raises(UposError, match="RRN"):
        upos.refund_args(100, rrn, RID)
    with pytest.raises(UposError, match="RRN"):
        upos.cancel_args(100, rrn, RID)


@pytest.mark.parametrize("rid", ["", "0a1b2c3", "0a1b2c3d4", "0a1b2c3g", "/q=0a1b", None, 12345678])
def test_request_id_is_8_hex(rid):
    with pytest.raises(UposError, match="Request id"):
        upos.sale_args(100, rid)
    with pytest.raises(UposError, match="Request id"):
        upos.status_args(rid)


def test_new_request_ids_are_valid_and_fresh():
    ids = {upos.new_request_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(upos.check_request_id(i) == i for i in ids)


def test_encoding_setting():
    assert upos.check_encoding("KOI8-R") == "koi8-r"
    assert upos.check_encoding("koi8_r") == "koi8-r"
    assert upos.check_encoding("CP866") == "cp866"
    assert upos.check_encoding("windows-1251") == "cp1251"
    for wrong in ("utf-8", "latin-1", "nope", None):
        with pytest.raises(UposError):
            upos.check_encoding(wrong)


# --- e file ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,newline", [("koi8-r", "\n"), ("cp866", "\r\n"), ("cp1251", "\r\n")]
)
def test_approval_in_each_encoding(encoding, newline):
    data = e_file(APPROVAL, encoding, newline)
    assert data != e_file(APPROVAL, "utf-8")  # really another byte layout
    result = upos.parse_result(data, encoding=encoding, request_id=RID)
    assert result == TerminalResult(
        outcome="approved",
        code=0,
        text="Одобрено",
        card_mask="220220******1234",
        expiry="12/28",
        auth_code="A1B2C3",
        operation_number="0042",
        card_type="МИР",
        terminal_id="00982134",
        moment=datetime.datetime(2026, 3, 10, 14, 5, 9),
        rrn=RRN,
        card_hash="b393e9a952712e39b45f29b7d1e27c8ce15bdca3",
        request_id=RID,
        slip=(),
    )
    assert result.final and result.message == "Approved"


def test_wrong_encoding_setting_garbles_only_the_texts():
    result = upos.parse_result(e_file(APPROVAL, "cp866"), encoding="koi8-r")
    assert result.outcome == "approved"
    assert result.card_type != "МИР"


def test_decline_keeps_terminal_text_and_english_message():
    data = e_file(["4451,Недостаточно средств", "220220******1234"], "cp866")
    result = upos.parse_result(data, encoding="cp866", request_id=RID)
    assert (result.outcome, result.code, result.text) == ("declined", 4451, "Недостаточно средств")
    assert result.message == "Card declined: insufficient funds"
    assert result.card_mask == "220220******1234"
    assert (result.rrn, result.auth_code, result.moment) == ("", "", None)
    assert result.request_id == RID


@pytest.mark.parametrize(
    "data,reason",
    [
        (None, "no result file"),
        (b"", "empty"),
        (b"\n\r\n  \n", "empty"),
        (b"\x98\x98,\x98", "not cp1251"),  # 0x98 is no CP1251 character
        ("Ошибка\n".encode("cp1251"), "Unreadable"),
        (b",0\n", "Unreadable"),
    ],
)
def test_no_readable_answer_is_unknown(data, reason):
    result = upos.parse_result(data, encoding="cp1251", request_id=RID)
    assert result.outcome == "unknown" and not result.final
    assert result.code is None
    assert reason in result.text
    assert result.request_id == RID
    assert "pending" in result.message


def test_answer_about_another_request_is_unknown():
    lines = [*APPROVAL[:19], "deadbeef"]
    result = upos.parse_result(e_file(lines, "koi8-r"), request_id=RID)
    assert result.outcome == "unknown"
    assert "deadbeef" in result.text
    assert result.rrn == "" and result.request_id == RID


def test_answer_without_echo_is_taken_as_ours():
    result = upos.parse_result(e_file(APPROVAL[:11], "koi8-r"), request_id=RID)
    assert result.outcome == "approved"
    assert result.request_id == RID


def test_echo_without_request_sent_is_reported():
    result = upos.parse_result(e_file(APPROVAL, "koi8-r"))
    assert result.request_id == RID


def test_malformed_fields_are_dropped():
    lines = list(APPROVAL)
    lines[8], lines[9], lines[10] = "2026-03-10 14:05", "12345", "not a hash"
    result = upos.parse_result(e_file(lines, "koi8-r"), request_id=RID)
    assert result.outcome == "approved"
    assert (result.moment, result.rrn, result.card_hash) == (None, "", "")


def test_short_approval_of_a_day_close():
    result = upos.parse_result(e_file(["0,Сверка итогов выполнена"], "koi8-r"))
    assert result.outcome == "approved"
    assert result.text == "Сверка итогов выполнена"
    assert result.card_mask == result.rrn == result.request_id == ""


# --- card mask (PCI DSS) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "mask", ["", "220220******1234", "************1234", "4276****0123", "220220*********1234"]
)
def test_masks_kept(mask):
    assert upos.check_mask(mask) == mask


@pytest.mark.parametrize(
    "mask",
    [
        "2202201234561234",
        "2202201*****1234",
        "220220******12345",
        "2202 20** **** 1234",
        "220220XXXXXX1234",
        "****",
        "220220" + "*" * 20 + "1234",
    ],
)
def test_masks_refused(mask):
    with pytest.raises(UposError, match="masked"):
        upos.check_mask(mask)
    with pytest.raises(UposError, match="masked"):
        TerminalResult("approved", code=0, card_mask=mask)


def test_full_card_number_from_the_terminal_is_never_kept():
    lines = list(APPROVAL)
    lines[1] = "2202201234561234"
    assert upos.parse_result(e_file(lines, "koi8-r")).card_mask == "220220******1234"
    lines[1] = "2202 2012 3456 1234"
    assert upos.parse_result(e_file(lines, "koi8-r")).card_mask == "220220******1234"
    lines[1] = "22022012345612"
    assert upos.parse_result(e_file(lines, "koi8-r")).card_mask == "220220****5612"
    lines[1] = "2202201***561234"
    assert upos.parse_result(e_file(lines, "koi8-r")).card_mask == ""


def test_outcome_must_be_known():
    with pytest.raises(UposError):
        TerminalResult("ok")


PENDING = "No answer from the terminal: the payment stays pending until it is checked"

# --- codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code,outcome,message",
    [
        (0, "approved", "Approved"),
        (4451, "declined", "Card declined: insufficient funds"),
        (4455, "declined", "Card declined: wrong PIN"),
        (4454, "declined", "Card declined: card expired"),
        (4499, "declined", "Card declined by the bank (code 4499)"),
        (2000, "declined", "Cancelled at the pinpad (or no session keys yet: run a day close)"),
        (2002, "declined", "PIN entry timed out"),
        (4334, "declined", "Card not read or timed out: try again"),
        (4119, "declined", "No link to the bank"),
        (4300, "declined", "Terminal error: parameters missing from the command line"),
        (4303, "declined", "Terminal error: wrong operation or card type"),
        (4134, "declined", "No day close for over 5 days: run a day close"),
        (99, "declined", "Pinpad link lost or its port is busy: check the pinpad cable"),
        (4311, "declined", "Operation not performed"),
        (1234, "declined", "Terminal error 1234"),
        (None, "unknown", PENDING),
    ],
)
def test_classify(code, outcome, message):
    assert upos.classify(code) == (outcome, message)


@pytest.mark.parametrize(
    "line,outcome",
    [
        ("0,Одобрено", "approved"),
        ("4311,Операция не выполнена", "declined"),
        ("4118,Операция не найдена", "declined"),
        ("4451,Недостаточно средств", "declined"),
        ("2002,Истекло время ввода ПИН", "declined"),
        ("99,Нет связи с пинпадом", "unknown"),
        ("4119,Нет связи с банком", "unknown"),
        ("4300,Не заданы параметры", "unknown"),
    ],
)
def test_status_answer_is_final_only_about_the_operation(line, outcome):
    # a 52 that failed on its own (pinpad, bank link) says nothing about the sale it was asked for
    result = upos.parse_result(e_file([line], "koi8-r"), request_id=RID, status_query=True)
    assert result.outcome == outcome


# --- slip --------------------------------------------------------------------------------------

SLIP_COPY = ["ПАО СБЕРБАНК", "ОПЛАТА", "Сумма (Руб): 1500.00", "ОДОБРЕНО"]


@pytest.mark.parametrize("encoding", ["koi8-r", "cp866", "cp1251"])
def test_slip_copies_split_on_rule(encoding):
    text = "\n".join([*SLIP_COPY, "Экземпляр клиента", "======", *SLIP_COPY, "Экземпляр кассира"])
    copies = upos.parse_slip((text + "\n").encode(encoding), encoding)
    assert len(copies) == 2
    assert copies[0].splitlines() == [*SLIP_COPY, "Экземпляр клиента"]
    assert copies[1].endswith("Экземпляр кассира")


def test_slip_copies_split_on_cut_byte_and_rule():
    one = "\r\n".join(SLIP_COPY).encode("cp866")
    assert len(upos.parse_slip(one + b"\x01" + one, "cp866")) == 2
    assert len(upos.parse_slip(one + b"\r\n========\r\n\x01" + one + b"\x01", "cp866")) == 2
    assert upos.parse_slip(one, "cp866") == ("\n".join(SLIP_COPY),)
    assert upos.parse_slip(b"", "cp866") == upos.parse_slip(None) == ()


def test_slip_rule_must_be_a_whole_line():
    text = "ИТОГО ====== 1500.00\n=====\n"
    assert len(upos.parse_slip(text.encode("koi8-r"))) == 1


def test_result_carries_slip_and_serialises():
    slip = "\n======\n".join(["Экземпляр клиента", "Экземпляр кассира"]).encode("koi8-r")
    result = upos.parse_result(e_file(APPROVAL, "koi8-r"), slip, request_id=RID)
    assert result.slip == ("Экземпляр клиента", "Экземпляр кассира")
    data = result.as_dict()
    assert data["moment"] == "2026-03-10T14:05:09"
    assert data["slip"] == ["Экземпляр клиента", "Экземпляр кассира"]
    assert data["message"] == "Approved" and data["outcome"] == "approved"
    missing = upos.parse_result(None, slip, request_id=RID)
    assert missing.outcome == "unknown" and len(missing.slip) == 2
