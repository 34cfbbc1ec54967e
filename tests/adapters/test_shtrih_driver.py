"""The Shtrih-M driver against the register emulator on a real pty pair.

Most tests run the emulator in this process without wire pacing and with the
driver's answer time-outs shrunk; one runs it as its own process with its
control API and a restart in the middle.
"""

import datetime
import socket
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
import serial

from scs_fiscal.engine import ffd
from scs_hw_proxy.adapters.shtrih_driver import (
    SHIFT_CLOSED,
    SHIFT_EXPIRED,
    ShtrihRegister,
)
from scs_hw_proxy.emulators.shtrih_register import RegisterProcess, ShtrihRegisterEmulator
from scs_hw_proxy.engine import shtrih

ROOT = Path(__file__).resolve().parents[2]
EMULATOR = ROOT / "scs_hw_proxy" / "emulators" / "shtrih_register.py"
DAY = datetime.date(2026, 3, 10)
CASHIER = ("Кассир Иванова А.", "381101234567")
SEAT = ffd.Item("Место 12A", 122000, Decimal(1), "vat22", user_data="5552401234567")
BAGGAGE = ffd.Item("Excess baggage, kg", 45000, Decimal("2.5"), "vat22", measure=11)
INSURANCE = ffd.Item(
    "Страховка",
    89000,
    Decimal(1),
    "none",
    agent=ffd.Agent(64, "АО «Страхование»", "3811012348", ("+73952000000",)),
)
FAST = {"timeout_scale": 0.02, "ack_timeout": 0.2, "enq_timeout": 0.2, "busy_wait": 0.01}


def receipt(items=(SEAT, INSURANCE), operation=ffd.SALE, **payments):
    total = sum(ffd.item_sum(item.price, item.quantity) for item in items)
    return ffd.build(
        ffd.Receipt(
            operation=operation,
            tax_system="osn",
            day=DAY,
            items=tuple(items),
            payments=ffd.Payments(**payments) if payments else ffd.Payments(cash=total),
            cashier=CASHIER[0],
            cashier_inn=CASHIER[1],
        )
    )


@pytest.fixture
def emulator():
    emu = ShtrihRegisterEmulator(pace=False, utc_offset_hours=10).start()
    yield emu
    emu.stop()


@pytest.fixture
def register(emulator):
    reg = ShtrihRegister(emulator.slave_path, utc_offset_hours=10, **FAST)
    yield reg
    reg.close()


@pytest.fixture
def shift(register):
    assert register.open_shift(*CASHIER)["status"] == "done"
    return register


def checks(emulator):
    return [doc for doc in emulator.documents if doc["type"] in (3, 31)]


def test_shift_open_x_z_and_closed_shift(emulator, register):
    status = register.device_status()
    assert status["status"] == "done"
    assert status["fiscal"]["connected"] and not status["fiscal"]["shift_open"]
    refused = register.print_receipt(receipt())
    assert (refused["status"], refused["error_code"]) == ("retry", SHIFT_CLOSED)
    opened = register.open_shift(*CASHIER)
    assert opened["status"] == "done"
    assert opened["fiscal"]["shift_number"] == 1 and opened["fiscal"]["document_number"] == 1
    assert opened["fiscal"]["fn_number"] == "9999078902012345"
    assert opened["fiscal"]["moment"].endswith("+10:00")
    # the cashier's tags reached the shift-open report
    assert [tag for tag, _ in emulator.documents[0]["tags"]] == [1021, 1203]
    again = register.open_shift(*CASHIER)
    assert again["status"] == "done" and again["fiscal"]["already_open"]
    assert register.device_status()["fiscal"]["shift_age_hours"] < 0.01
    assert register.x_report()["status"] == "done"
    closed = register.close_shift(*CASHIER)
    assert closed["status"] == "done"
    assert (closed["fiscal"]["document_number"], closed["fiscal"]["shift_number"]) == (2, 1)
    assert [doc["type"] for doc in emulator.documents] == [2, 5]
    assert register.close_shift(*CASHIER)["error_code"] == SHIFT_CLOSED
    assert register.x_report()["error_code"] == SHIFT_CLOSED
    assert register.cash_in(100)["error_code"] == SHIFT_CLOSED


def test_the_24_hour_limit_is_on_the_registers_clock(emulator, shift):
    emulator.set_clock(shift_opened_hours_ago=24.1)
    status = shift.device_status()
    assert status["fiscal"]["shift_over_24h"] and "shift_over_24h" in status["warnings"]
    refused = shift.print_receipt(receipt())
    assert (refused["status"], refused["error_code"]) == ("retry", SHIFT_EXPIRED)
    assert shift.cash_in(100)["error_code"] == SHIFT_EXPIRED  # 4Eh from the register
    assert shift.open_shift(*CASHIER)["error_code"] == SHIFT_EXPIRED
    assert not checks(emulator)
    assert shift.close_shift(*CASHIER)["status"] == "done"
    assert shift.open_shift(*CASHIER)["fiscal"]["shift_number"] == 2
    assert shift.print_receipt(receipt())["status"] == "done"


def test_a_check_left_open_past_24_hours_is_refused_by_the_fn(emulator, shift):
    frames = shtrih.receipt_frames(receipt(), 30)
    for raw in frames[:-1]:
        assert shift.link.exchange(raw).ok
    emulator.inject("shift_over_24h")  # the clock jumps 25 hours
    answer = shift.link.exchange(frames[-1])
    assert answer.error == 0x16 and shtrih.classify(0x16) == shtrih.SHIFT_EXPIRED
    refused = shift.print_receipt(receipt())  # cancels the stale check, then sees mode 3
    assert refused["error_code"] == SHIFT_EXPIRED
    assert emulator.snapshot()["check_open"] is False


def test_cash_in_and_out(emulator, shift):
    assert shift.cash_in(500000)["fiscal"]["through_number"] == 1
    assert shift.cash_out(120000)["status"] == "done"
    refused = shift.cash_out(400000)
    assert (refused["status"], refused["error_code"]) == ("failed", 0x46)
    assert emulator.state["cash"] == 380000
    assert shift.cash_in(-5)["status"] == "failed"


def test_sale_and_refund_with_an_agent_line_and_mixed_payments(emulator, shift):
    shift.cash_in(100000)
    sale = receipt((SEAT, BAGGAGE, INSURANCE), cash=100000, electronic=200000, prepayment=23500)
    done = shift.print_receipt(sale)
    assert done["status"] == "done", done
    fiscal = done["fiscal"]
    assert fiscal["document_number"] == 2 and fiscal["shift_number"] == 1
    assert done["fd_before"] == 1 and done["total"] == 323500 and done["operation"] == 1
    (doc,) = checks(emulator)
    assert fiscal["fiscal_sign"] == str(doc["fiscal_sign"])
    assert fiscal["moment"] == doc["moment"][:16] + ":00+10:00"  # whole minutes
    assert (doc["operation"], doc["sum"], doc["items"]) == (1, 323500, 3)
    assert doc["payments"] == {"1": 100000, "2": 200000, "14": 23500}
    assert [tag for tag, _ in doc["tags"]] == [1021, 1203]
    assert bytes.fromhex(doc["tags"][0][1]).decode("cp866") == CASHIER[0]
    seat, baggage, agent = doc["item_tags"]
    assert [tag for tag, _ in seat] == [2108, 1191]
    assert baggage[0] == (2108, "0b")  # kg
    assert [tag for tag, _ in agent] == [2108, 1222, 1224, 1226]
    assert bytes.fromhex(agent[3][1]) == b"3811012348  "
    assert emulator.state["cash"] == 200000
    refund = shift.print_receipt(
        receipt((SEAT, INSURANCE), ffd.SALE_REFUND, cash=11000, electronic=200000)
    )
    assert refund["status"] == "done" and refund["fiscal"]["document_number"] == 3
    assert [(d["operation"], d["sum"]) for d in checks(emulator)] == [(1, 323500), (2, 211000)]
    assert emulator.state["cash"] == 189000


def test_cash_overpayment_gives_change(emulator, shift):
    sale = receipt((SEAT,))
    sale[1031] = 150000  # the customer handed over more than the total
    done = shift.print_receipt(sale)
    assert done["fiscal"]["change"] == 28000
    assert emulator.state["cash"] == 122000


def test_correction_receipt(emulator, shift):
    items = (ffd.Item("Seat 3C", 95000, Decimal(1), "vat22"),)
    correction = ffd.build(
        ffd.Receipt(
            operation=ffd.SALE,
            tax_system="osn",
            day=DAY,
            items=items,
            payments=ffd.Payments(cash=95000),
            correction=ffd.Correction(0, datetime.date(2026, 3, 1)),
        )
    )
    assert shift.print_receipt(correction)["status"] == "done"
    (doc,) = checks(emulator)
    assert doc["type"] == 31 and [tag for tag, _ in doc["tags"]] == [1173, 1174]


def test_the_register_checks_payments_itself(emulator, shift):
    frames = shtrih.receipt_frames(receipt((SEAT,)), 30)
    for raw in frames[:-1]:
        assert shift.link.exchange(raw).ok
    short = shtrih.close_check_v2(30, {1: 100000}, tax_system=1)
    assert shift.link.exchange(short).error == 0x45
    too_much = shtrih.close_check_v2(30, {2: 100000, 14: 30000}, tax_system=1)
    assert shift.link.exchange(too_much).error == 0x4D
    change = shtrih.close_check_v2(30, {1: 200000}, tax_system=1)
    closed = shtrih.decode_close_check(shift.link.exchange(change).data)
    assert closed["change"] == 78000 and closed["document_number"] == 2


def test_the_registers_clock_and_a_busy_line(emulator, shift):
    clock = shift.clock()
    assert abs((clock - emulator.now()).total_seconds()) < 5
    assert shift.device_status()["fiscal"]["connected"]
    with shift._lock:  # a long command holds the line: the poll gets the last status
        status = shift.device_status(wait=0.01)
    assert status["fiscal"]["busy"] and status["status"] == "done"


def test_invalid_documents_fail_before_any_byte(emulator, register):
    broken = receipt()
    broken[1059][0][1023] = Decimal("1.0000001")
    failed = register.print_receipt(broken)
    assert (failed["status"], failed["error_code"]) == ("failed", 0x33)
    assert "more than 6 decimals" in failed["error_text"]
    assert emulator.frames_in == 0


def test_paper_out_then_retry_after_it_is_loaded(emulator, shift):
    emulator.inject("paper_out")
    status = shift.device_status()
    assert not status["fiscal"]["paper"] and "paper_out" in status["warnings"]
    refused = shift.print_receipt(receipt())
    assert (refused["status"], refused["error_code"]) == ("retry", 0x6B)
    assert shift.x_report()["error_code"] == 0x6B
    emulator.inject("paper_out", 0)
    assert shift.print_receipt(receipt())["status"] == "done"
    assert len(checks(emulator)) == 1


def test_paper_running_out_before_the_close(emulator, shift):
    def out_of_paper(index, count):
        if index == count - 2:
            emulator.inject("paper_out")

    refused = shift.print_receipt(receipt(), progress=out_of_paper)
    assert (refused["status"], refused["error_code"]) == ("retry", 0x6B)
    assert emulator.snapshot()["check_open"]  # no paper to print the cancellation on
    emulator.inject("paper_out", 0)
    assert shift.print_receipt(receipt())["status"] == "done"  # cancels the stale one first
    assert len(checks(emulator)) == 1


def test_paper_ending_while_printing_waits_for_continue(emulator, shift):
    emulator.inject("paper_out_mid_print")
    assert shift.print_receipt(receipt())["status"] == "done"  # registered, print cut short
    emulator.inject("paper_out", 0)
    assert shift.device_status()["fiscal"]["waits_continue"]
    assert shift.x_report()["status"] == "done"  # 58h, then B0h, then 40h again
    assert shift.print_receipt(receipt())["status"] == "done"
    assert len(checks(emulator)) == 2


def test_cover_open(emulator, shift):
    emulator.inject("cover_open")
    status = shift.device_status()
    assert status["fiscal"]["cover_open"] and "cover_open" in status["warnings"]
    refused = shift.print_receipt(receipt())
    assert refused["status"] == "retry" and "cover" in refused["error_text"]
    emulator.inject("cover_open", 0)
    assert shift.print_receipt(receipt())["status"] == "done"


def test_timeout_mid_command_asks_and_resolve_says_retry(emulator, shift):
    emulator.inject("timeout_mid_command", 1, command="FF45")
    lost = shift.print_receipt(receipt())
    assert lost["status"] == "ask" and lost["fd_before"] == 1
    assert emulator.snapshot()["check_open"] and not checks(emulator)
    resolved = shift.resolve(lost["fd_before"], lost["total"], lost["operation"])
    assert resolved["status"] == "retry"
    assert not emulator.snapshot()["check_open"]  # the half-sent check was cancelled
    assert shift.print_receipt(receipt())["status"] == "done"
    assert len(checks(emulator)) == 1


def test_power_loss_after_print_asks_and_resolve_finds_it(emulator, shift):
    emulator.inject("power_loss_after_print", 1, command=0xFF45)
    lost = shift.print_receipt(receipt())
    assert lost["status"] == "ask" and lost["fd_before"] == 1
    (doc,) = checks(emulator)  # registered and printed, answer gone
    resolved = shift.resolve(lost["fd_before"], lost["total"], lost["operation"])
    assert resolved["status"] == "done"
    assert resolved["fiscal"]["document_number"] == doc["fd"] == 2
    assert resolved["fiscal"]["fiscal_sign"] == str(doc["fiscal_sign"])
    assert resolved["fiscal"]["shift_number"] == 1
    # asked again, the same answer: the receipt is in the register exactly once
    assert shift.resolve(1, lost["total"], lost["operation"])["fiscal"]["document_number"] == 2
    assert shift.resolve(1, lost["total"], 2)["status"] == "retry"  # not a refund of it
    assert len(checks(emulator)) == 1


def test_resolve_without_an_answer_asks_again(emulator, shift):
    emulator.inject("timeout_mid_command", 20)
    assert shift.resolve(1, 211000, 1)["status"] == "ask"
    emulator.inject("timeout_mid_command", 0)
    assert shift.resolve(1, 211000, 1)["status"] == "retry"


def test_no_register(tmp_path):
    reg = ShtrihRegister(str(tmp_path / "ttyNone"), **FAST)
    status = reg.device_status()
    assert status["status"] == "retry" and status["fiscal"] == {"connected": False}
    assert reg.print_receipt(receipt())["status"] == "retry"  # nothing was sent
    assert reg.resolve(1, 100, 1)["status"] == "ask"


def test_busy_printer_is_waited_for(emulator, shift):
    emulator.inject("busy", 3)
    assert shift.print_receipt(receipt())["status"] == "done"
    emulator.inject("busy", 50)
    refused = shift.print_receipt(receipt())
    assert (refused["status"], refused["error_code"]) == ("retry", 0x50)
    emulator.inject("busy", 0)
    assert len(checks(emulator)) == 1


def test_fn_nearly_full_is_reported(emulator, shift):
    emulator.inject("fn_nearly_full")
    assert "fn_nearly_full" in shift.device_status()["warnings"]
    done = shift.print_receipt(receipt())
    assert done["status"] == "done" and done["warnings"] == ["fn_nearly_full"]
    assert shift.last_fd()["warnings"] == ["fn_nearly_full"]


def test_damaged_answers_are_asked_for_again(emulator, shift):
    emulator.inject("bad_lrc", 2)
    assert shift.print_receipt(receipt())["status"] == "done"
    assert emulator.naks_in == 2
    assert len(checks(emulator)) == 1


def test_damaged_commands_are_sent_again(emulator, shift):
    emulator.inject("nak_frames", 2)  # a NAK means the register dropped it: safe to resend
    assert shift.print_receipt(receipt())["status"] == "done"
    assert len(checks(emulator)) == 1


def test_the_emulator_paces_its_bytes_to_the_baud_rate():
    with ShtrihRegisterEmulator(baud=115200, pace=True) as emu:
        reg = ShtrihRegister(emu.slave_path, **FAST)
        reg.open_shift(*CASHIER)
        before = emu.bytes_in + emu.bytes_out
        t0 = time.perf_counter()
        assert reg.print_receipt(receipt())["status"] == "done"
        elapsed = time.perf_counter() - t0
        wire = (emu.bytes_in + emu.bytes_out - before) * 10 / 115200
        reg.close()
    assert wire <= elapsed < wire * 3 + 0.05


def test_the_link_bytes_by_hand(emulator):
    port = serial.Serial(emulator.slave_path, timeout=0.5)
    try:
        port.write(b"\x05")
        assert port.read(1) == b"\x15"  # idle
        good = shtrih.short_status(30)
        port.write(good[:-1] + bytes((good[-1] ^ 0x55,)))
        assert port.read(1) == b"\x15"  # bad LRC: NAK
        port.write(good)
        assert port.read(1) == b"\x06"
        answer = port.read(3 + 16)
        body = shtrih.parse_frame(answer)
        assert body[:2] == b"\x10\x00" and body[5] == 4  # mode 4: shift closed
        port.write(b"\x05")  # never ACKed: the register holds it and repeats it
        assert port.read(1 + len(answer)) == b"\x06" + answer
        port.write(b"\x06\x05")
        assert port.read(1) == b"\x15"
        port.write(good)  # an answer never ACKed ...
        assert port.read(1 + len(answer))
    finally:
        port.close()
    reg = ShtrihRegister(emulator.slave_path, **FAST)
    assert reg.device_status()["status"] == "done"  # ... is drained after ENQ gets ACK
    assert len(reg.link.stale) == 1
    reg.close()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_standalone_emulator_survives_a_restart(tmp_path):
    port = _free_port()
    emu = RegisterProcess(tmp_path, port, pace=True, baud=921600, utc_offset=10)
    try:
        reg = ShtrihRegister(str(emu.link), baud=921600, **FAST)
        assert reg.open_shift(*CASHIER)["status"] == "done"
        assert reg.print_receipt(receipt())["status"] == "done"
        emu.post("/fault", {"name": "power_loss_after_print", "count": 1, "command": "FF45"})
        lost = reg.print_receipt(receipt((SEAT,), electronic=122000))
        assert lost["status"] == "ask"
        state = emu.state()
        assert state["bytes_in"] > 0 and state["bytes_out"] > 0
        assert [(d["type"], d["fd"]) for d in state["documents"]] == [(2, 1), (3, 2), (3, 3)]
    finally:
        emu.stop()
    # a power cycle of the whole register
    emu = RegisterProcess(tmp_path, port, pace=True, baud=921600, utc_offset=10)
    try:
        state = emu.state()
        assert state["last_fd"] == 3 and state["shift"]["open"]
        # the same driver: its port went away with the old pty and is opened again
        resolved = reg.resolve(lost["fd_before"], lost["total"], lost["operation"])
        assert resolved["status"] == "done" and resolved["fiscal"]["document_number"] == 3
        with pytest.raises(urllib.error.HTTPError):
            emu.post("/fault", {"name": "no_such_fault"})
        emu.post("/clock", {"shift_opened_hours_ago": 25})
        assert emu.state()["mode"] == 3
        assert reg.device_status()["fiscal"]["shift_over_24h"]
        assert reg.print_receipt(receipt())["error_code"] == SHIFT_EXPIRED
        assert reg.close_shift(*CASHIER)["status"] == "done"
        assert [d["type"] for d in emu.state()["documents"]] == [2, 3, 3, 5]
        reg.close()
    finally:
        emu.stop()
