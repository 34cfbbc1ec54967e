"""The UPOS bridge against the fake ``sb_pilot`` in a temporary UPOS folder (real processes)."""

import datetime
import os
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from scs_hw_proxy.adapters.upos_bridge import UposBridge
from scs_hw_proxy.emulators import sb_pilot
from scs_hw_proxy.engine.upos import UposError

EMULATOR = Path(sb_pilot.__file__)
# the interpreter itself, not the shebang: the shell shim costs 0.1 s a run
FAST = [sys.executable, str(EMULATOR)]


@pytest.fixture
def folder(tmp_path):
    sb_pilot.prepare(tmp_path, terminal_id="00770001")
    return tmp_path


@pytest.fixture
def bridge(folder):
    return UposBridge(folder, FAST, timeout=10)


def rid(n):
    return f"{n:08x}"


def state(folder):
    return sb_pilot.load_state(folder)


def test_emulator_is_an_executable_script(folder):
    assert EMULATOR.read_text(encoding="utf-8").startswith("#!/usr/bin/env python3\n")
    assert EMULATOR.stat().st_mode & stat.S_IXUSR
    result = UposBridge(folder, EMULATOR, timeout=10).sale(100, rid(1))
    assert result.outcome == "approved"


@pytest.mark.parametrize("encoding", ["KOI8-R", "CP866", "CP1251"])
def test_sale(tmp_path, encoding):
    sb_pilot.prepare(tmp_path, encoding=encoding, terminal_id="00770001")
    before = datetime.datetime.now().replace(microsecond=0)
    result = UposBridge(tmp_path, FAST, timeout=10, encoding=encoding).sale(150000, rid(7))
    assert (result.outcome, result.code, result.text) == ("approved", 0, "Одобрено")
    assert result.card_mask == "220220******1234"
    assert result.card_type == "МИР"
    assert result.terminal_id == "00770001"
    assert result.request_id == "00000007"
    assert len(result.rrn) == 12 and result.rrn.isdigit()
    assert len(result.auth_code) == 6 and len(result.card_hash) == 40
    assert result.expiry == "12/28" and result.operation_number == "0001"
    assert before <= result.moment <= datetime.datetime.now()
    assert len(result.slip) == 2
    assert "ОПЛАТА" in result.slip[0] and "Сумма (Руб): 1500.00" in result.slip[0]
    assert result.slip[1].endswith("Экземпляр кассира")
    txn = state(tmp_path)["transactions"][result.rrn]
    assert (txn["op"], txn["amount"], txn["request_id"]) == ("sale", 150000, "00000007")


def test_slip_cut_byte(tmp_path):
    sb_pilot.prepare(tmp_path, slip_cut=True)
    result = UposBridge(tmp_path, FAST, timeout=10).sale(100, rid(1))
    assert b"\x01" in (tmp_path / "p").read_bytes()
    assert len(result.slip) == 2


def test_operation_numbers_and_rrns_increase(bridge):
    results = [bridge.sale(100 * n, rid(n)) for n in (1, 2, 3)]
    assert [r.operation_number for r in results] == ["0001", "0002", "0003"]
    rrns = [r.rrn for r in results]
    assert rrns == sorted(rrns) and len(set(rrns)) == 3


def test_refund_by_rrn_partial_then_over_limit(bridge, folder):
    sale = bridge.sale(150000, rid(1))
    first = bridge.refund(50000, sale.rrn, rid(2))
    assert first.outcome == "approved" and first.rrn != sale.rrn
    assert "ВОЗВРАТ" in first.slip[0]
    too_much = bridge.refund(100001, sale.rrn, rid(3))
    assert (too_much.outcome, too_much.code) == ("declined", 4413)
    assert too_much.message == "Card declined: invalid amount"
    assert bridge.refund(100000, sale.rrn, rid(4)).outcome == "approved"
    assert bridge.refund(1, sale.rrn, rid(5)).code == 4413
    assert state(folder)["transactions"][sale.rrn]["refunded"] == 150000


def test_refund_of_unknown_rrn(bridge):
    result = bridge.refund(100, "600000999999", rid(1))
    assert (result.outcome, result.code, result.message) == (
        "declined",
        4118,
        "Operation not found",
    )


def test_cancel(bridge, folder):
    sale = bridge.sale(150000, rid(1))
    assert bridge.cancel(100000, sale.rrn, rid(2)).code == 4413  # a cancel is the whole sale
    cancel = bridge.cancel(150000, sale.rrn, rid(3))
    assert cancel.outcome == "approved"
    assert "ОТМЕНА" in cancel.slip[0]
    assert state(folder)["transactions"][sale.rrn]["cancelled"] is True
    assert bridge.cancel(150000, sale.rrn, rid(4)).code == 4118
    assert bridge.refund(100, sale.rrn, rid(5)).code == 4413  # nothing left to refund


def test_cancel_after_day_close_must_be_a_refund(bridge):
    sale = bridge.sale(150000, rid(1))
    assert bridge.day_close().outcome == "approved"
    assert bridge.cancel(150000, sale.rrn, rid(2)).code == 4118
    assert bridge.refund(150000, sale.rrn, rid(3)).outcome == "approved"


def test_day_close_totals_and_reset(bridge, folder):
    first, second = bridge.sale(150000, rid(1)), bridge.sale(20050, rid(2))
    bridge.refund(50000, first.rrn, rid(3))
    bridge.cancel(20050, second.rrn, rid(4))
    close = bridge.day_close()
    assert (close.outcome, close.text) == ("approved", "Сверка итогов выполнена")
    assert close.request_id == "" and close.terminal_id == "00770001"
    (slip,) = close.slip
    assert "СВЕРКА ИТОГОВ" in slip and "Смена: 1" in slip
    assert "ОПЛАТА: 2 на сумму 1700.50" in slip
    assert "ВОЗВРАТ: 1 на сумму 500.00" in slip
    assert "ОТМЕНА: 1 на сумму 200.50" in slip
    assert "ИТОГО: 1000.00" in slip
    (again,) = bridge.day_close().slip
    assert "Смена: 2" in again and "ОПЛАТА: 0 на сумму 0.00" in again
    assert [d["batch"] for d in state(folder)["closed_days"]] == [1, 2]


def test_report_short_and_full_do_not_reset(bridge):
    sale = bridge.sale(150000, rid(1))
    short = bridge.report()
    assert short.outcome == "approved"
    assert "КРАТКИЙ ОТЧЕТ" in short.slip[0] and "ОПЛАТА: 1 на сумму 1500.00" in short.slip[0]
    assert sale.rrn not in short.slip[0]
    full = bridge.report(full=True)
    assert "ПОЛНЫЙ ОТЧЕТ" in full.slip[0] and sale.rrn in full.slip[0]
    assert "ОПЛАТА: 1 на сумму 1500.00" in bridge.report().slip[0]


@pytest.mark.parametrize(
    "fault,code,message",
    [
        ("declined", 4451, "Card declined: insufficient funds"),
        ("pin_timeout", 2002, "PIN entry timed out"),
        ("no_link", 4119, "No link to the bank"),
        ("card_not_read", 4334, "Card not read or timed out: try again"),
    ],
)
def test_declining_faults(bridge, folder, fault, code, message):
    sb_pilot.inject(folder, fault)
    result = bridge.sale(150000, rid(1))
    assert (result.outcome, result.code, result.message) == ("declined", code, message)
    assert result.rrn == "" and result.auth_code == ""
    assert state(folder)["transactions"] == {}
    assert bridge.sale(150000, rid(2)).outcome == "approved"  # one fault, one run


def test_declined_sale_resolves_declined(bridge, folder):
    sb_pilot.inject(folder, "declined")
    assert bridge.sale(150000, rid(1)).code == 4451
    resolved = bridge.resolve(rid(1))
    assert (resolved.outcome, resolved.code) == ("declined", 4451)


def test_hang_is_unknown_within_timeout_then_resolves_approved(folder):
    bridge = UposBridge(folder, FAST, timeout=2)
    sb_pilot.inject(folder, "hang")
    started = time.monotonic()
    result = bridge.sale(150000, rid(1))
    assert time.monotonic() - started < 4
    assert (result.outcome, result.code) == ("unknown", None)
    assert "within 2 s" in result.text and result.request_id == "00000001"
    # the terminal took the money before it hung
    (txn,) = state(folder)["transactions"].values()
    resolved = bridge.resolve(rid(1))
    assert (resolved.outcome, resolved.rrn, resolved.auth_code) == (
        "approved",
        txn["rrn"],
        txn["auth_code"],
    )
    assert resolved.request_id == "00000001"
    # the killed run's pinpad lock did not block the next run
    assert bridge.sale(100, rid(2)).outcome == "approved"


def test_no_result_then_resolves_approved(bridge, folder):
    sb_pilot.inject(folder, "no_result")
    result = bridge.sale(150000, rid(1))
    assert result.outcome == "unknown" and "no result file" in result.text
    assert not (folder / "e").exists()
    resolved = bridge.resolve(rid(1))
    assert resolved.outcome == "approved" and resolved.rrn


def test_resolve_of_an_operation_never_done(bridge):
    resolved = bridge.resolve(rid(9))
    assert (resolved.outcome, resolved.code, resolved.message) == (
        "declined",
        4311,
        "Operation not performed",
    )


def test_resolve_stays_unknown_when_the_terminal_never_answers(bridge, folder):
    sb_pilot.inject(folder, "no_result", "no_result", "no_result", "no_result")
    assert bridge.sale(150000, rid(1)).outcome == "unknown"
    assert bridge.resolve(rid(1), attempts=3, pause=0).outcome == "unknown"
    assert len(state(folder)["runs"]) == 4
    assert bridge.resolve(rid(1), pause=0).outcome == "approved"


def test_failed_status_query_is_not_a_decline(bridge, folder):
    bridge.sale(150000, rid(1))
    sb_pilot.inject(folder, "no_link")
    assert bridge.status(rid(1)).outcome == "unknown"
    assert bridge.status(rid(1)).outcome == "approved"


def test_stale_result_files_are_deleted_before_a_run(bridge, folder):
    (folder / "e").write_bytes("0,Одобрено\n".encode("koi8-r"))
    (folder / "p").write_bytes(b"old slip")
    sb_pilot.inject(folder, "no_result")
    result = bridge.sale(150000, rid(1))
    assert result.outcome == "unknown" and result.slip == ()
    assert not (folder / "p").exists()


def test_lock_serialises_concurrent_calls(tmp_path):
    sb_pilot.prepare(tmp_path, delay=0.3)
    bridge = UposBridge(tmp_path, FAST, timeout=10)
    results = {}

    def pay(n):
        results[n] = bridge.sale(1000 * n, rid(n))

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.outcome == "approved" for r in results.values())
    assert {r.request_id for r in results.values()} == {rid(n) for n in range(1, 5)}
    assert len({r.rrn for r in results.values()}) == 4
    runs = sorted(state(tmp_path)["runs"], key=lambda run: run[1])
    assert all(before[2] <= after[1] for before, after in zip(runs, runs[1:], strict=False))


def test_emulator_refuses_a_second_run_on_the_pinpad(bridge, folder):
    # what the lock prevents: a run while another holds the port answers 99
    (folder / sb_pilot.LOCK_FILE).write_text(str(os.getpid()))
    result = bridge.sale(150000, rid(1))
    assert (result.outcome, result.code) == ("declined", 99)
    assert state(folder)["runs"] == []


def test_invalid_input_raises_before_anything_runs(bridge, folder):
    with pytest.raises(UposError):
        bridge.sale(1500.0, rid(1))
    with pytest.raises(UposError):
        bridge.refund(100, "123", rid(1))
    with pytest.raises(UposError):
        bridge.resolve("nope")
    assert state(folder)["runs"] == []


def test_missing_executable_is_a_certain_decline(folder):
    result = UposBridge(folder, folder / "no_such_sb_pilot").sale(100, rid(1))
    assert result.outcome == "declined" and "Cannot start" in result.text


POSIX = pytest.mark.skipif(os.name == "nt", reason="shell scripts and /proc")


@POSIX
def test_exit_code_is_ignored(tmp_path):
    script = tmp_path / "fake.sh"
    script.write_text("#!/bin/sh\nprintf '0,OK\\n' > e\nexit 7\n")
    script.chmod(0o755)
    assert UposBridge(tmp_path, script).report().outcome == "approved"


@POSIX
def test_timeout_kills_the_whole_process_group(tmp_path):
    script = tmp_path / "fake.sh"
    script.write_text("#!/bin/sh\nsleep 60 &\necho $! > child.pid\nwait\n")
    script.chmod(0o755)
    result = UposBridge(tmp_path, script, timeout=0.5).report()
    assert result.outcome == "unknown"
    child = int((tmp_path / "child.pid").read_text())
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.02)
    else:
        pytest.fail("the child of the timed-out run is still alive")


def _alive(pid):
    # a killed orphan may linger as a zombie until its new parent reaps it: that is dead
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"
