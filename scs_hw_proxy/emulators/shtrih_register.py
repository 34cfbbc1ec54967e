"""A Shtrih-M fiscal register (FFD 1.2 firmware) behind a pseudo-terminal, for tests, demos
and benchmarks.

It speaks the bytes a real register speaks (ENQ/ACK/NAK, STX frames, the
commands of ``engine/shtrih.py``) on the master side of ``os.openpty()``; a
driver opens the slave path as a serial port. It keeps a fiscal storage (shift,
FD counter, registered documents, cash) that an optional JSON state file
carries across restarts, keeps its own clock (another time zone than the host,
and a 24-hour shift limit on that clock), paces its output to the baud rate,
counts the bytes both ways, and injects the faults a desk meets: no paper, an
open cover, a command that gets no answer, a power loss after printing, a shift
over 24 hours, a nearly full fiscal storage, a busy printer, line noise.

It is written apart from the engine on purpose (stdlib only), so that the two
check each other, and so that it runs as a standalone process::

    python scs_hw_proxy/emulators/shtrih_register.py --link /tmp/x/ttySCS \\
        --state /tmp/x/state.json --control-port 8765 [--baud 115200] [--utc-offset 10]

Control API on 127.0.0.1: ``GET /state``; ``POST /fault {"name", "count"[,
"command": "FF45"]}`` (count 0 clears); ``POST /clock {"shift_opened_hours_ago": h}`` or
``{"advance_hours": h}``.
"""

import argparse
import datetime
import hashlib
import http.server
import json
import os
import select
import signal
import sys
import threading
import time
import tty
from pathlib import Path

STX, ENQ, ACK, NAK = 0x02, 0x05, 0x06, 0x15
BYTE_TIMEOUT = 0.05  # between the bytes of one frame [P116]
NOT_GIVEN = 0xFFFFFFFFFF
SHIFT_LIMIT = datetime.timedelta(hours=24)
FN_NUMBER = "9999078902012345"
SERIAL = 110034567
INN = "3811098765"

READ_ONLY = {0x10, 0x11, 0xFF01, 0xFF0A, 0xFF40}
PRINTING = {0x17, 0x40, 0x41, 0x50, 0x51, 0x88, 0xE0, 0xFF45}
TAX_BYTES = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x81, 0x82, 0x84, 0x88, 0xCB, 0xCC}
TAX_SYSTEMS = {1, 2, 4, 16, 32}
#: 8Dh check type (low bits) <-> 1054
CHECK_TO_OPERATION = {0: 1, 1: 3, 2: 2, 3: 4}
OPERATION_TO_CHECK = {v: k for k, v in CHECK_TO_OPERATION.items()}
#: the submode after the paper comes back from "no paper while printing"
SUBMODE_WAIT_CONTINUE = 3

FAULTS = (
    "paper_out",  # no paper until cleared: 6Bh on printing commands, submode 1
    "cover_open",  # the cover is open until cleared: flag bit 10, refused like no paper
    "paper_out_mid_print",  # the next printing command runs, then the paper ends: 58h later
    "timeout_mid_command",  # the next n frames are read and dropped: no ACK, no answer
    "power_loss_after_print",  # the next printing command runs, then the answer is lost
    "shift_over_24h",  # the clock jumps 25 hours ahead
    "fn_nearly_full",  # FF01h warns that the archive is 90 % full until cleared
    "busy",  # the next n commands answer 50h "still printing"
    "bad_lrc",  # the next n answers leave with a broken LRC
    "nak_frames",  # line noise: the next n frames are NAKed
)


class CommandError(Exception):
    def __init__(self, code):
        self.code = code


def _lrc(data):
    value = 0
    for byte in data:
        value ^= byte
    return value


def _frame(body):
    head = bytes((len(body),)) + body
    return bytes((STX,)) + head + bytes((_lrc(head),))


def _le(data):
    return int.from_bytes(data, "little")


def _dt5(moment):
    if moment is None:
        return bytes(5)
    return bytes((moment.year - 2000, moment.month, moment.day, moment.hour, moment.minute))


def _tlvs(data):
    items, pos = [], 0
    while pos < len(data):
        if pos + 4 > len(data):
            raise CommandError(0x33)
        tag, length = _le(data[pos : pos + 2]), _le(data[pos + 2 : pos + 4])
        value = data[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise CommandError(0x33)
        items.append((tag, value.hex()))
        pos += 4 + length
    if not items:
        raise CommandError(0x33)
    return items


def _fresh_state(fn_number):
    return {
        "fn_number": fn_number,
        "shift": {"number": 0, "open": False, "opened_at": None, "checks": 0},
        "last_fd": 0,
        "documents": [],
        "cash": 0,
        "through_number": 0,
        "clock_shift_seconds": 0,
        "check": None,  # the open check, kept across a power cycle here (assumed, unconfirmed)
        "pending_tags": [],
    }


class ShtrihRegisterEmulator:
    """One register on a pty pair. ``start()`` it, open ``slave_path`` with pyserial."""

    def __init__(
        self,
        *,
        state_path=None,
        baud=115200,
        pace=True,
        utc_offset_hours=3,
        fn_number=FN_NUMBER,
        boot_seconds=0.05,
        reply_delay=0.0,
        close_answer_moment=True,
    ):
        self.state_path = Path(state_path) if state_path else None
        self.baud = baud
        self.pace = pace
        self.offset = datetime.timedelta(hours=utc_offset_hours)
        self.boot_seconds = boot_seconds
        # a real unit waits at least one byte time-out before each reply [P116]; 0 by default
        self.reply_delay = reply_delay
        self.close_answer_moment = close_answer_moment  # FF45h answer of 21 bytes with the date
        self.state = _fresh_state(fn_number)
        if self.state_path and self.state_path.exists():
            self.state.update(json.loads(self.state_path.read_text()))
        self.faults = dict.fromkeys(FAULTS, 0)
        self.fault_commands = {}
        self.bytes_in = 0
        self.bytes_out = 0
        self.frames_in = 0
        self.naks_in = 0
        self._held = None  # the answer frame kept until the host ACKs it
        self._wait_continue = False  # paper ended while printing: B0h needed
        self._deaf_until = 0.0
        self._line = 0.0  # when the half-duplex line is free again (pacing)
        self._buffer = bytearray()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread = None
        self.master = self.slave = None

    # --- lifetime -----------------------------------------------------------

    def start(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no CR/LF translation: a serial line carries bytes
        self.slave_path = os.ttyname(self.slave)
        self._thread = threading.Thread(target=self._serve, name="shtrih-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(2)
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)
        self.master = self.slave = None

    def __enter__(self):
        return self.start() if self._thread is None else self

    def __exit__(self, *exc):
        self.stop()

    # --- control ------------------------------------------------------------

    def inject(self, name, count=1, command=None):
        """Arm fault ``name`` for ``count`` commands (flags: until count 0 clears them).

        ``command`` (int, or hex text such as "FF45") aims timeout_mid_command and
        power_loss_after_print at one command; by default any frame, any printing one.
        """
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(FAULTS)}")
        if isinstance(command, str):
            command = int(command.removesuffix("h"), 16)
        with self._lock:
            self.fault_commands[name] = command
            if name == "shift_over_24h":
                self.advance_clock(hours=25 * max(count, 1))
                return
            # clearing paper_out after a print cut short leaves submode 3: B0h is awaited
            self.faults[name] = max(0, int(count))

    def advance_clock(self, hours):
        with self._lock:
            self.state["clock_shift_seconds"] += int(hours * 3600)
            self._save()

    def set_clock(self, shift_opened_hours_ago=None, advance_hours=None):
        with self._lock:
            if advance_hours:
                self.advance_clock(advance_hours)
            if shift_opened_hours_ago is not None:
                if not self.state["shift"]["open"]:
                    raise ValueError("no shift is open")
                opened = self.now() - datetime.timedelta(hours=shift_opened_hours_ago)
                self.state["shift"]["opened_at"] = opened.isoformat()
                self._save()

    def now(self):
        """The register's own clock (naive local time of its zone)."""
        utc = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
        return utc + self.offset + datetime.timedelta(seconds=self.state["clock_shift_seconds"])

    @property
    def documents(self):
        return list(self.state["documents"])

    def snapshot(self):
        with self._lock:
            shift = self.state["shift"]
            check = self.state["check"]
            return {
                "mode": self._mode(),
                "submode": self._submode(),
                "clock": self.now().isoformat(),
                "fn_number": self.state["fn_number"],
                "last_fd": self.state["last_fd"],
                "cash": self.state["cash"],
                "shift": {
                    **shift,
                    "age_hours": round(self._shift_age().total_seconds() / 3600, 3)
                    if shift["open"]
                    else None,
                },
                "check_open": check is not None,
                "check": None
                if check is None
                else {"type": check["type"], "items": len(check["items"])},
                "documents": [
                    {k: d[k] for k in ("fd", "type", "operation", "sum", "fiscal_sign", "items")}
                    | {"moment": d["moment"]}
                    for d in self.state["documents"]
                ],
                "faults": {k: v for k, v in self.faults.items() if v},
                "bytes_in": self.bytes_in,
                "bytes_out": self.bytes_out,
                "frames_in": self.frames_in,
                "naks_in": self.naks_in,
            }

    # --- line ---------------------------------------------------------------

    def _byte_time(self):
        return 10 / self.baud  # 8N1: start, 8 data, stop

    def _fill(self, timeout):
        """Read what the host sent within ``timeout``; False when nothing came."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 4096)
        except OSError:
            return False
        now = time.perf_counter()
        self.bytes_in += len(data)
        if time.monotonic() < self._deaf_until:
            return True  # powered off: the bytes fall on the floor
        if self.pace:
            # the host's bytes took wire time to arrive: nothing can answer them sooner
            self._line = max(self._line, now) + len(data) * self._byte_time()
        self._buffer += data
        return True

    def _read(self, count, timeout):
        deadline = time.monotonic() + timeout
        while len(self._buffer) < count:
            left = deadline - time.monotonic()
            if left <= 0 or not self._fill(left) and time.monotonic() >= deadline:
                return None
        data, self._buffer[:count] = bytes(self._buffer[:count]), b""
        return data

    def _write(self, data):
        if self.pace or self.reply_delay:
            start = max(self._line, time.perf_counter()) + self.reply_delay
            self._line = start + (len(data) * self._byte_time() if self.pace else 0)
            left = self._line - time.perf_counter()
            if left > 0:
                time.sleep(left)
        self.bytes_out += len(data)
        view = memoryview(data)
        while view:
            written = os.write(self.master, view)
            view = view[written:]

    def _serve(self):
        while not self._stop.is_set():
            if not self._buffer and not self._fill(0.05):
                continue
            if not self._buffer:
                continue
            byte = self._buffer[0]
            del self._buffer[0]
            try:
                self._on_byte(byte)
            except OSError:
                if self._stop.is_set():
                    return
                raise

    def _on_byte(self, byte):
        if byte == ENQ:
            if self._held is not None:
                self._write(bytes((ACK,)) + self._held)  # the held answer follows the ACK
            else:
                self._write(bytes((NAK,)))
        elif byte == ACK:
            self._held = None
        elif byte == NAK:
            self.naks_in += 1  # the host will ENQ for the held answer
        elif byte == STX:
            self._on_frame()

    def _on_frame(self):
        head = self._read(1, BYTE_TIMEOUT)
        if head is None:
            return
        rest = self._read(head[0] + 1, BYTE_TIMEOUT + (head[0] + 1) * self._byte_time() * 2)
        if rest is None:
            return  # a partial frame: no ACK, the host's time-out decides
        self.frames_in += 1
        body, check = rest[:-1], rest[-1]
        with self._lock:
            if self.faults["nak_frames"]:
                self.faults["nak_frames"] -= 1
                self._write(bytes((NAK,)))
                return
            if _lrc(head + body) != check or not body:
                self._write(bytes((NAK,)))
                return
            command = 0xFF00 | body[1] if body[0] == 0xFF and len(body) > 1 else body[0]
            data = body[2:] if command > 0xFF else body[1:]
            echo = body[:2] if command > 0xFF else body[:1]
            if self._aimed("timeout_mid_command", command, any_command=True):
                self.faults["timeout_mid_command"] -= 1
                return  # read and dropped: no ACK, no answer, nothing done
            self._held = None  # a new command replaces an answer never asked for
            lose = self._aimed("power_loss_after_print", command)
            error, payload = self._execute(command, data)
            answer = _frame(echo + bytes((error,)) + (payload if not error else b""))
            if lose and not error:
                self.faults["power_loss_after_print"] -= 1
                self._write(bytes((ACK,)))
                self._deaf_until = time.monotonic() + self.boot_seconds
                return  # done and printed; after power-on the answer is gone [P116]
            self._held = answer
            if self.faults["bad_lrc"]:
                self.faults["bad_lrc"] -= 1
                answer = answer[:-1] + bytes((answer[-1] ^ 0xFF,))
            self._write(bytes((ACK,)) + answer)

    def _aimed(self, fault, command, any_command=False):
        if not self.faults[fault]:
            return False
        target = self.fault_commands.get(fault)
        if target is None:
            return any_command or command in PRINTING
        return command == target

    # --- register -----------------------------------------------------------

    def _save(self):
        if not self.state_path:
            return
        # written aside then renamed: a crash leaves the old state or the new one, never half
        tmp = self.state_path.with_name(self.state_path.name + ".tmp")
        tmp.write_text(json.dumps(self.state))
        os.replace(tmp, self.state_path)

    def _shift_age(self):
        opened = self.state["shift"]["opened_at"]
        if not opened:
            return datetime.timedelta(0)
        return self.now() - datetime.datetime.fromisoformat(opened)

    def _mode(self):
        check = self.state["check"]
        if check is not None:
            return 8 | (check["type"] & 0x03) << 4
        if not self.state["shift"]["open"]:
            return 4
        return 3 if self._shift_age() >= SHIFT_LIMIT else 2

    def _paper_missing(self):
        return bool(self.faults["paper_out"] or self.faults["cover_open"])

    def _submode(self):
        if self._paper_missing():
            return 2 if self._wait_continue else 1
        if self._wait_continue:
            return SUBMODE_WAIT_CONTINUE
        return 5 if self.faults["busy"] else 0

    def _flags(self):
        flags = 0
        if not self.faults["paper_out"]:
            flags |= 1 << 1  # receipt roll present
            if not self.faults["cover_open"]:
                flags |= 1 << 7  # paper seen by the sensor
        if self.faults["cover_open"]:
            flags |= 1 << 10
        return flags

    def _operator(self, data, admin=False):
        if len(data) < 4:
            raise CommandError(0x33)
        password = _le(data[:4])
        # operator n has password n (JavaPOS/pyshtrih defaults; unconfirmed for all models)
        if not 1 <= password <= 30 or (admin and password not in (29, 30)):
            raise CommandError(0x4F)
        return password

    def _need_shift(self, check_allowed=False):
        mode = self._mode() & 0x0F
        if mode == 8 and not check_allowed:
            raise CommandError(0x4A)
        if mode == 4:
            raise CommandError(0x3D)
        if mode == 3:
            raise CommandError(0x4E)

    def _print(self):
        if self._paper_missing():
            # an open cover hides the paper from the sensor: refused like no paper (unconfirmed)
            raise CommandError(0x6B)

    def _register(self, kind, **fields):
        state = self.state
        state["last_fd"] += 1
        fd = state["last_fd"]
        moment = self.now()
        total = fields.get("sum", 0)
        digest = hashlib.sha256(f"{state['fn_number']}:{fd}:{kind}:{total}".encode()).digest()
        document = {
            "fd": fd,
            "type": kind,
            "moment": moment.isoformat(),
            "fiscal_sign": int.from_bytes(digest[:4], "big"),
            "shift": state["shift"]["number"],
            "operation": None,
            "sum": total,
            "items": 0,
            "tags": state["pending_tags"],
            **fields,
        }
        state["pending_tags"] = []
        state["documents"].append(document)
        return document

    def _execute(self, command, data):
        handler = self._handlers().get(command)
        if handler is None:
            return 0x37, b""
        try:
            if command not in READ_ONLY and command != 0xB0:
                if self.faults["busy"]:
                    self.faults["busy"] -= 1
                    return 0x50, b""
                if self._wait_continue and not self._paper_missing():
                    return 0x58, b""
            payload = handler(data)
        except CommandError as exc:
            return exc.code, b""
        if command in PRINTING and self.faults["paper_out_mid_print"]:
            self.faults["paper_out_mid_print"] = 0
            self.faults["paper_out"] = 1
            self._wait_continue = True
        if command not in READ_ONLY:
            self._save()
        return 0, payload

    def _handlers(self):
        return {
            0x10: self._short_status,
            0x11: self._full_status,
            0x17: self._print_string,
            0x40: self._x_report,
            0x41: self._z_report,
            0x50: self._cash_in,
            0x51: self._cash_out,
            0x88: self._cancel_check,
            0x8D: self._open_check,
            0xB0: self._continue_print,
            0xE0: self._open_shift,
            0xFF01: self._fn_status,
            0xFF0A: self._find_fd,
            0xFF0C: self._check_tlv,
            0xFF40: self._shift_params,
            0xFF45: self._close_check,
            0xFF46: self._operation,
            0xFF4D: self._operation_tlv,
        }

    def _short_status(self, data):
        operator = self._operator(data)
        check = self.state["check"]
        items = len(check["items"]) if check else 0
        return (
            bytes((operator,))
            + self._flags().to_bytes(2, "little")
            + bytes((self._mode(), self._submode(), items & 0xFF, 0x9C, 0xBB))
            + bytes(2)
            + bytes((items >> 8 & 0xFF,))
            + bytes(3)
        )

    def _full_status(self, data):
        operator = self._operator(data)
        now = self.now()
        closed = self.state["shift"]["number"] - (1 if self.state["shift"]["open"] else 0)
        return (
            bytes((operator,))
            + b"C2"  # firmware version
            + (5317).to_bytes(2, "little")  # build
            + bytes((18, 2, 26))  # firmware date
            + bytes((1,))  # hall number
            + (self.state["through_number"] & 0xFFFF).to_bytes(2, "little")
            + self._flags().to_bytes(2, "little")
            + bytes((self._mode(), self._submode(), 0))
            + b"C2"
            + (5317).to_bytes(2, "little")
            + bytes((18, 2, 26))
            + bytes((now.day, now.month, now.year - 2000, now.hour, now.minute, now.second))
            + bytes((0,))
            + SERIAL.to_bytes(4, "little")
            + closed.to_bytes(2, "little")
            + bytes(4)
            + int(INN).to_bytes(6, "little")
        )

    def _print_string(self, data):
        operator = self._operator(data)
        self._print()
        return bytes((operator,))

    def _x_report(self, data):
        operator = self._operator(data, admin=True)
        self._need_shift()  # refused with a closed shift here (unconfirmed)
        self._print()
        return bytes((operator,))

    def _z_report(self, data):
        operator = self._operator(data, admin=True)
        mode = self._mode() & 0x0F
        if mode == 8:
            raise CommandError(0x4A)
        if mode == 4:
            raise CommandError(0x3D)
        self._print()
        shift = self.state["shift"]
        self._register(5, checks=shift["checks"])
        shift.update(open=False, opened_at=None)
        return bytes((operator,))

    def _cash(self, data, sign):
        operator = self._operator(data)
        if len(data) < 9:
            raise CommandError(0x33)
        amount = _le(data[4:9])
        self._need_shift()  # 3Dh with a closed shift: from the error table (unconfirmed)
        self._print()
        if sign < 0 and amount > self.state["cash"]:
            raise CommandError(0x46)
        self.state["cash"] += sign * amount
        self.state["through_number"] += 1
        return bytes((operator,)) + (self.state["through_number"] & 0xFFFF).to_bytes(2, "little")

    def _cash_in(self, data):
        return self._cash(data, 1)

    def _cash_out(self, data):
        return self._cash(data, -1)

    def _cancel_check(self, data):
        operator = self._operator(data)
        if self.state["check"] is None:
            raise CommandError(0x55)
        self._print()
        self.state["check"] = None
        return bytes((operator,))

    def _new_check(self, check_type):
        self.state["check"] = {"type": check_type, "items": [], "tags": []}
        self.state["pending_tags"] = []  # tags left by a refused shift report

    def _open_check(self, data):
        operator = self._operator(data)
        if len(data) < 5 or data[4] & 0x7F not in CHECK_TO_OPERATION or data[4] & 0x7C:
            raise CommandError(0x33)
        self._need_shift()
        self._new_check(data[4])
        return bytes((operator,))

    def _continue_print(self, data):
        operator = self._operator(data)
        if self._paper_missing():
            raise CommandError(0x6B)
        self._wait_continue = False
        return bytes((operator,))

    def _open_shift(self, data):
        operator = self._operator(data)
        if self.state["check"] is not None:
            raise CommandError(0x4A)
        if self.state["shift"]["open"]:
            raise CommandError(0x3C)  # from the error table (unconfirmed)
        self._print()
        shift = self.state["shift"]
        shift.update(number=shift["number"] + 1, open=True, checks=0)
        shift["opened_at"] = self.now().isoformat()
        self._register(2)
        return bytes((operator,))

    def _fn_status(self, data):
        self._operator(data)
        check = self.state["check"]
        current = 0 if check is None else (0x14 if check["type"] & 0x80 else 0x04)
        documents = self.state["documents"]
        last = datetime.datetime.fromisoformat(documents[-1]["moment"]) if documents else None
        warnings = 0x04 if self.faults["fn_nearly_full"] else 0
        return (
            bytes((0x03, current, 1 if check and check["items"] else 0))
            + bytes((1 if self.state["shift"]["open"] else 0, warnings))
            + _dt5(last)
            + self.state["fn_number"].encode("ascii")[:16].ljust(16, b"0")
            + self.state["last_fd"].to_bytes(4, "little")
        )

    def _find_fd(self, data):
        self._operator(data)
        if len(data) < 8:
            raise CommandError(0x33)
        number = _le(data[4:8])
        documents = self.state["documents"]
        if not 1 <= number <= len(documents):
            raise CommandError(0x08)
        doc = documents[number - 1]
        answer = (
            bytes((doc["type"], 0))
            + _dt5(datetime.datetime.fromisoformat(doc["moment"]))
            + doc["fd"].to_bytes(4, "little")
            + doc["fiscal_sign"].to_bytes(4, "little")
        )
        if doc["type"] in (3, 31):
            answer += bytes((doc["operation"],)) + doc["sum"].to_bytes(5, "little")
        return answer

    def _check_tlv(self, data):
        self._operator(data)
        tags = _tlvs(data[4:])
        check = self.state["check"]
        # with no check open the tags wait for the next document (the shift reports)
        (check["tags"] if check else self.state["pending_tags"]).extend(tags)
        return b""

    def _shift_params(self, data):
        self._operator(data)
        shift = self.state["shift"]
        return (
            bytes((1 if shift["open"] else 0,))
            + shift["number"].to_bytes(2, "little")
            + shift["checks"].to_bytes(2, "little")
        )

    def _operation(self, data):
        self._operator(data)
        if len(data) < 30:
            raise CommandError(0x33)
        operation, quantity = data[4], _le(data[5:11])
        price, amount, tax = _le(data[11:16]), _le(data[16:21]), _le(data[21:26])
        rate, department, method, subject = data[26], data[27], data[28], data[29]
        if operation not in OPERATION_TO_CHECK or quantity == 0:
            raise CommandError(0x33)
        if amount == NOT_GIVEN:
            amount = (price * quantity + 500_000) // 1_000_000
        elif abs(amount * 1_000_000 - price * quantity) > 1_000_000:
            raise CommandError(0x33)  # more than a kopeck off price x quantity
        if rate not in TAX_BYTES or department > 16 or not 1 <= method <= 7:
            raise CommandError(0x33)
        if not 1 <= subject <= 33 or len(data) - 30 > 128:
            raise CommandError(0x33)
        check = self.state["check"]
        if check is None:
            self._need_shift()
            self._new_check(OPERATION_TO_CHECK[operation])  # the first item opens the check
            check = self.state["check"]
        elif CHECK_TO_OPERATION[check["type"] & 0x03] != operation:
            raise CommandError(0x49)
        check["items"].append(
            {
                "name": data[30:].decode("cp1251", "replace"),
                "price": price,
                "quantity": quantity,
                "sum": amount,
                "tax_rate": rate,
                "tax_sum": None if tax == NOT_GIVEN else tax,
                "method": method,
                "subject": subject,
                "tags": [],
            }
        )
        return b""

    def _operation_tlv(self, data):
        self._operator(data)
        check = self.state["check"]
        if check is None:
            raise CommandError(0x55)
        if not check["items"]:
            raise CommandError(0x33)  # no operation to bind the tags to
        check["items"][-1]["tags"].extend(_tlvs(data[4:]))
        return b""

    def _close_check(self, data):
        self._operator(data)
        check = self.state["check"]
        if check is None:
            raise CommandError(0x55)
        if len(data) < 116:
            raise CommandError(0x33)
        sums = [_le(data[4 + 5 * i : 9 + 5 * i]) for i in range(16)]
        tax_system = data[115]
        total = sum(item["sum"] for item in check["items"])
        cash, non_cash = sums[0], sum(sums[1:])
        if not total:
            raise CommandError(0x8E)
        if non_cash > total:
            raise CommandError(0x4D)
        if cash + non_cash < total:
            raise CommandError(0x45)
        if tax_system not in TAX_SYSTEMS:
            raise CommandError(0x33)
        if self.state["shift"]["open"] and self._shift_age() >= SHIFT_LIMIT:
            raise CommandError(0x16)  # the FN refuses a document of an expired shift
        change = cash + non_cash - total
        operation = CHECK_TO_OPERATION[check["type"] & 0x03]
        drawer = cash - change if operation in (1, 4) else change - cash
        if self.state["cash"] + drawer < 0:
            raise CommandError(0x46)
        self._print()
        self.state["cash"] += drawer
        shift = self.state["shift"]
        shift["checks"] += 1
        self.state["pending_tags"] = check["tags"]
        doc = self._register(
            31 if check["type"] & 0x80 else 3,
            operation=operation,
            sum=total,
            items=len(check["items"]),
            payments={str(i + 1): s for i, s in enumerate(sums) if s},
            tax_system=tax_system,
            check_number=shift["checks"],
            item_tags=[item["tags"] for item in check["items"]],
        )
        self.state["check"] = None
        answer = (
            change.to_bytes(5, "little")
            + doc["fd"].to_bytes(4, "little")
            + doc["fiscal_sign"].to_bytes(4, "little")
        )
        if self.close_answer_moment:
            answer += _dt5(datetime.datetime.fromisoformat(doc["moment"]))
        return answer


# --- control API and the standalone process -----------------------------------


def serve_control(emulator, port, host="127.0.0.1"):
    """The HTTP control API in a thread; returns the server (``shutdown()`` it)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _reply(self, status, payload):
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path == "/state":
                return self._reply(200, emulator.snapshot())
            return self._reply(404, {"error": "GET /state"})

        def do_POST(self):  # noqa: N802
            try:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path == "/fault":
                    emulator.inject(body["name"], body.get("count", 1), body.get("command"))
                elif self.path == "/clock":
                    emulator.set_clock(
                        shift_opened_hours_ago=body.get("shift_opened_hours_ago"),
                        advance_hours=body.get("advance_hours"),
                    )
                else:
                    return self._reply(404, {"error": "POST /fault or /clock"})
            except (KeyError, TypeError, ValueError) as exc:
                return self._reply(400, {"error": str(exc)})
            return self._reply(200, emulator.snapshot())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="shtrih-control", daemon=True).start()
    return server


def _link(target, link):
    link = Path(link)
    link.parent.mkdir(parents=True, exist_ok=True)
    tmp = link.with_name(link.name + ".new")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)  # a driver never sees the link missing


class RegisterProcess:
    """The emulator as its own process (a register outlives the proxy), and its control API."""

    def __init__(self, folder, port, *, pace=False, baud=115200, utc_offset=3, reply_delay=0.0):
        import subprocess
        import urllib.request

        self._urlopen = urllib.request.urlopen
        self._request = urllib.request.Request
        folder = Path(folder)
        self.port = port
        self.link = folder / "ttySCS"
        args = ["--baud", str(baud)] if pace else ["--no-pace"]
        if reply_delay:
            args += ["--reply-delay", str(reply_delay)]
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--link", str(self.link)]
            + ["--state", str(folder / "register.json"), "--control-port", str(port)]
            + ["--utc-offset", str(utc_offset), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                self.state()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the register emulator did not start") from None
                time.sleep(0.05)

    def state(self):
        with self._urlopen(f"http://127.0.0.1:{self.port}/state", timeout=5) as res:
            return json.loads(res.read())

    def post(self, path, body):
        request = self._request(
            f"http://127.0.0.1:{self.port}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with self._urlopen(request, timeout=5) as res:
            return json.loads(res.read())

    def fault(self, name, count=1):
        return self.post("/fault", {"name": name, "count": count})

    def clock(self, **change):
        return self.post("/clock", change)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Shtrih-M register emulator on a pty")
    parser.add_argument("--link", required=True, help="symlink to create for the slave pty")
    parser.add_argument("--state", required=True, help="JSON file of the fiscal storage")
    parser.add_argument("--control-port", type=int, required=True)
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--utc-offset", type=float, default=3, help="the register's zone")
    parser.add_argument("--no-pace", action="store_true", help="answer without wire time")
    parser.add_argument(
        "--reply-delay", type=float, default=0.0, help="seconds before each ACK or answer"
    )
    args = parser.parse_args(argv)
    emulator = ShtrihRegisterEmulator(
        state_path=args.state,
        baud=args.baud,
        pace=not args.no_pace,
        utc_offset_hours=args.utc_offset,
        reply_delay=args.reply_delay,
    ).start()
    _link(emulator.slave_path, args.link)
    server = serve_control(emulator, args.control_port)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    sys.stdout.write(
        f"shtrih emulator: {args.link} -> {emulator.slave_path}, "
        f"control http://127.0.0.1:{server.server_address[1]}\n"
    )
    sys.stdout.flush()
    done.wait()
    server.shutdown()
    emulator.stop()
    if Path(args.link).is_symlink():
        Path(args.link).unlink()


if __name__ == "__main__":
    main()
