"""The receipt printer driver against the ESC/POS printer emulator (and a file:// printer)."""

import base64
import io
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from scs_hw_proxy.adapters import printer as driver
from scs_hw_proxy.adapters.printer import PrinterError, ReceiptPrinter
from scs_hw_proxy.emulators.printer import Capture, PrinterEmulator

ROOT = Path(__file__).resolve().parents[2]
CP866 = b"\x1bt\x11"  # ESC t 17
QUERIES = (b"\x10\x04\x01", b"\x10\x04\x02", b"\x10\x04\x04")


def receipt(width=512, height=300, fmt="JPEG"):
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, width - 10, 40), fill="black")
    draw.text((10, 60), "SCS Airlines, desk 1", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def emulator(tmp_path):
    emulator = PrinterEmulator(out=tmp_path / "out.bin").start()
    yield emulator
    emulator.stop()


@pytest.fixture
def printer(emulator):
    return ReceiptPrinter.from_url(emulator.url, timeout=0.3)


def test_receipt_image_is_printed_and_cut(emulator, printer, tmp_path):
    printer.print_image(receipt())
    assert emulator.rasters == [(512, 300)]
    assert emulator.cuts == 1
    assert emulator.payload().startswith(b"\x1b@")  # ESC @ before the job
    assert emulator.payload().endswith(b"\x1dV\x00")  # GS V 0: full cut
    assert (tmp_path / "out.bin").read_bytes() == emulator.data()
    # checked before printing and again after
    assert emulator.queries == [1, 2, 4, 1, 2, 4]


def test_tall_receipt_goes_in_fragments_with_one_cut(emulator, printer):
    printer.print_image(receipt(height=2000))
    assert emulator.rasters == [(512, 960), (512, 960), (512, 80)]
    assert emulator.cuts == 1


def test_narrow_receipt_prints_as_it_comes_and_a_wide_one_fits_512_dots(emulator, printer):
    printer.print_image(receipt(width=384, height=100))
    printer.print_image(receipt(width=1024, height=200))
    assert emulator.rasters == [(384, 100), (512, 100)]


def test_cyrillic_slip_in_cp866(emulator, printer):
    printer.print_text(["ОПЛАТА КАРТОЙ", "Сумма: 1 220,00 ₽", "Терминал №12 — «одобрено»"])
    payload = emulator.payload()
    assert payload.startswith(b"\x1b@" + CP866)
    assert "ОПЛАТА КАРТОЙ\n".encode("cp866") in payload
    assert emulator.text() == ('ОПЛАТА КАРТОЙ\nСумма: 1 220,00 руб.\nТерминал №12 - "одобрено"\n')
    assert "₽".encode() not in payload and b"?" not in payload
    assert emulator.cuts == 1


def test_cp1251_and_no_commands_smuggled_in_text(emulator, printer):
    printer.print_text("Итого 500 ₽\x1bp\x00\x19\x19", codepage="cp1251", cut=False)
    payload = emulator.payload()
    assert b"\x1bt." in payload  # ESC t 46
    assert "Итого 500 руб.".encode("cp1251") in payload
    assert emulator.kicks == [] and emulator.cuts == 0


def test_code_page_outside_the_profile_is_refused(printer):
    with pytest.raises(ValueError, match="CP999"):
        printer.print_text(["x"], codepage="CP999")


def test_cashbox_pulse(emulator, printer):
    printer.open_cashbox()
    assert emulator.wait_until(lambda e: e.kicks)
    assert b"\x1bp\x00\x32\x32" in emulator.payload()  # ESC p 0: pin 2, 100 ms on/off
    assert emulator.kicks == [0]
    assert emulator.queries == []


@pytest.mark.parametrize(
    "fault, expected",
    [
        ({}, ("connected", "ok", False, "ready")),
        ({"paper": "near_end"}, ("connected", "near_end", False, "paper near end")),
        ({"paper": "out"}, ("error", "out", False, "paper out")),
        ({"cover": True}, ("error", "ok", True, "cover open")),
        ({"offline": True}, ("error", "ok", False, "printer error")),
    ],
)
def test_status(emulator, printer, fault, expected):
    if "paper" in fault:
        emulator.set_paper(fault["paper"])
    if "cover" in fault:
        emulator.set_cover(open=fault["cover"])
    if "offline" in fault:
        emulator.set_offline()
    status = printer.status()
    assert set(status) == {"status", "paper", "cover_open", "message"}
    assert (status["status"], status["paper"], status["cover_open"], status["message"]) == expected


def test_status_of_a_printer_that_is_gone(emulator, printer):
    emulator.stop()
    status = printer.status()
    assert status["status"] == "disconnected"
    assert "cannot open tcp://127.0.0.1" in status["message"]
    with pytest.raises(PrinterError) as error:
        printer.print_image(receipt())
    assert error.value.code == "offline"


def test_status_of_a_printer_that_does_not_answer(emulator, printer):
    emulator.set_silent()
    assert printer.status()["status"] == "error"
    with pytest.raises(PrinterError) as error:
        printer.print_text(["x"])
    assert error.value.code == "offline"
    assert emulator.payload() == b""


def test_status_does_not_wait_for_a_running_job(printer):
    assert printer.status()["status"] == "connected"
    with printer._lock:  # a long receipt being printed
        started = time.monotonic()
        status = printer.status()
    assert time.monotonic() - started < 1
    assert (status["status"], status["message"]) == ("connected", "printing")


@pytest.mark.parametrize(
    "fault, code",
    [({"paper": "out"}, "paper_out"), ({"cover": True}, "cover_open"), ({"offline": 1}, "offline")],
)
@pytest.mark.parametrize("job", ["image", "text"])
def test_nothing_is_sent_to_a_printer_that_cannot_print(emulator, printer, fault, code, job):
    emulator.set_paper(fault.get("paper", "ok"))
    emulator.set_cover(open=fault.get("cover", False))
    emulator.set_offline(bool(fault.get("offline")))
    with pytest.raises(PrinterError) as error:
        if job == "image":
            printer.print_image(receipt())
        else:
            printer.print_text(["Чек"])
    assert error.value.code == code
    assert emulator.payload() == b""
    assert emulator.data() == b"".join(QUERIES)
    assert (emulator.cuts, emulator.images, emulator.text()) == (0, 0, "")


def test_paper_running_out_during_the_receipt_is_not_printed(emulator, printer):
    emulator.run_out_after(5000)
    with pytest.raises(PrinterError) as error:
        printer.print_image(receipt(height=600))
    assert error.value.code == "paper_out"
    assert "may be incomplete" in error.value.message
    assert emulator.cuts == 0 and emulator.dropped


def test_jobs_run_one_at_a_time(emulator, printer):
    threads = [threading.Thread(target=printer.print_image, args=(receipt(),)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (emulator.cuts, emulator.connections, emulator.max_connections) == (4, 4, 1)


def _bad_images():
    jpeg = base64.b64decode(receipt())
    yield "empty", ""
    yield "not base64", "this is not base64!"
    yield "png", receipt(fmt="PNG")
    yield "text", base64.b64encode(b"just some text").decode()
    yield "truncated", base64.b64encode(jpeg[: len(jpeg) // 2]).decode()
    yield "over 4 MB", "A" * (driver.MAX_IMAGE_BYTES // 3 * 4 + 8)
    yield "too tall", receipt(width=8, height=driver.MAX_IMAGE_HEIGHT + 1)
    yield "too wide", receipt(width=driver.MAX_IMAGE_WIDTH + 8, height=8)


@pytest.mark.parametrize("name, data", list(_bad_images()), ids=lambda v: v[:12])
def test_bad_images_are_refused_before_the_printer_is_touched(emulator, printer, name, data):
    with pytest.raises(PrinterError) as error:
        printer.print_image(data)
    assert error.value.code == "bad_image", name
    assert emulator.connections == 0


def test_file_printer_appends_jobs(tmp_path):
    path = tmp_path / "lp0"
    printer = ReceiptPrinter.from_url(f"file://{path}")
    assert printer.status()["status"] == "disconnected"  # not created by a status call
    assert not path.exists()
    printer.print_image(receipt())
    printer.print_text(["Слип"])
    printer.open_cashbox(pin=5)
    capture = Capture.of(path.read_bytes())
    assert (capture.rasters, capture.cuts, capture.kicks) == ([(512, 300)], 2, [1])
    assert capture.text() == "Слип\n"
    assert CP866 in capture.payload
    assert printer.status() == {
        "status": "connected",
        "paper": "ok",
        "cover_open": False,
        "message": "status not readable over file://",
    }


def test_status_off_prints_without_asking(emulator):
    printer = ReceiptPrinter.from_url(emulator.url + "?status=off")
    emulator.set_paper("out")  # a printer that cannot tell
    emulator.set_silent()
    printer.print_text(["x"])
    assert emulator.queries == []


@pytest.mark.parametrize(
    "url, kind, target, options",
    [
        ("usb://04b8:0202", "usb", (0x04B8, 0x0202), {}),
        ("usb://04B8:0E15?out_ep=0x02", "usb", (0x04B8, 0x0E15), {"out_ep": "0x02"}),
        ("serial:///dev/ttyS1?baudrate=19200", "serial", "/dev/ttyS1", {"baudrate": "19200"}),
        ("serial://COM3", "serial", "COM3", {}),
        ("serial://COM3/?parity=e", "serial", "COM3", {"parity": "e"}),
        ("tcp://10.0.0.5:9100", "tcp", ("10.0.0.5", 9100), {}),
        ("tcp://printer.desk1", "tcp", ("printer.desk1", 9100), {}),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0", {}),
    ],
)
def test_urls(url, kind, target, options):
    printer = ReceiptPrinter.from_url(url)
    assert (printer.kind, printer.target, printer.options) == (kind, target, options)
    assert printer.profile == "TM-T88V"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "lpt://1",
        "usb://04b8",
        "usb://zz:01",
        "usb://04b8:0202?in_ep=x",
        "tcp://:9100",
        "serial://",
        "serial://dev/ttyS1",
        "serial:///dev/ttyS1?baudrate=fast",
        "file://",
        "tcp://host?profile=NoSuchPrinter",
    ],
)
def test_bad_urls(url):
    with pytest.raises(ValueError):
        ReceiptPrinter.from_url(url)


def test_missing_usb_printer_is_disconnected():
    printer = ReceiptPrinter.from_url("usb://ffff:fffe")
    assert printer.status()["status"] == "disconnected"
    with pytest.raises(PrinterError) as error:
        printer.open_cashbox()
    assert error.value.code == "offline"


def test_emulator_runs_standalone(tmp_path):
    with socket.socket() as probe:  # a free port for --port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "standalone.bin"
    script = ROOT / "scs_hw_proxy" / "emulators" / "printer.py"
    process = subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--out", str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip().endswith(f"tcp://127.0.0.1:{port}")
        ReceiptPrinter.from_url(f"tcp://127.0.0.1:{port}").print_text(["Привет"])
    finally:
        process.terminate()
        process.wait(5)
    assert Capture.of(out.read_bytes()).text() == "Привет\n"
