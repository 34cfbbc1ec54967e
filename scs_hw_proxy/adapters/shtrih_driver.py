"""The Shtrih-M fiscal register driver of the hardware proxy, over pyserial.

:class:`ShtrihLink` moves frames as Shtrih-M's own drivers do (ENQ first,
ACK/NAK, the held answer asked for again with ENQ) and raises :class:`LinkLost`
when the register leaves a command without an answer. :class:`ShtrihRegister`
prints receipts, opens and closes shifts, and answers plain dicts::

    {"status": "done" | "retry" | "ask" | "failed", "fiscal": {...},
     "error_code": int | None, "error_text": str, "warnings": [...]}

done: registered, ``fiscal`` holds the data; retry: certainly not registered,
send again (after a person loads paper, or a shift is opened: error codes 1001
SHIFT_CLOSED / 1002 SHIFT_EXPIRED as in scs_fiscal's driver interface); ask:
the answer was lost after the command left, so call :meth:`ShtrihRegister.resolve`
with the result's ``fd_before``, never send it again blindly; failed: refused
for good, a person must act. The port is any pyserial URL: ``/dev/ttyS0``, a
pty path, ``socket://host:port``.
"""

import datetime
import logging
import threading
import time

import serial

from ..engine import shtrih

_logger = logging.getLogger(__name__)

try:
    import termios

    _PORT_ERRORS = (serial.SerialException, OSError, termios.error)
except ImportError:  # Windows
    _PORT_ERRORS = (serial.SerialException, OSError)

DONE, RETRY, ASK, FAILED = "done", "retry", "ask", "failed"
#: driver-neutral refusals, the values of scs_fiscal.adapters.driver
SHIFT_CLOSED = 1001
SHIFT_EXPIRED = 1002
#: how many FDs resolve reads back at most
RESOLVE_WINDOW = 100

_ENQ, _ACK, _NAK = bytes((shtrih.ENQ,)), bytes((shtrih.ACK,)), bytes((shtrih.NAK,))


class LinkLost(Exception):
    """No usable answer. ``sent``: the command may have reached the register."""

    def __init__(self, text, sent=True):
        super().__init__(text)
        self.sent = sent


class ShtrihLink:
    """One serial line to one register; not thread-safe (ShtrihRegister locks)."""

    def __init__(
        self,
        url,
        baud=115200,
        *,
        byte_timeout=0.05,
        enq_timeout=0.5,
        ack_timeout=0.5,
        timeout_scale=1.0,
        enq_tries=2,
        nak_tries=3,
    ):
        self.url = url
        self.baud = baud
        self.byte_timeout = byte_timeout
        self.enq_timeout = enq_timeout
        self.ack_timeout = ack_timeout
        self.timeout_scale = timeout_scale  # tests shrink the answer time-outs
        self.enq_tries = enq_tries
        self.nak_tries = nak_tries
        self.byte_time = 10 / baud  # 8N1
        self.port = None
        self.bytes_out = 0
        self.bytes_in = 0
        self.stale = []  # answers found waiting on ENQ and dropped (for diagnosis)

    def open(self):
        if self.port is None:
            try:
                self.port = serial.serial_for_url(
                    self.url, baudrate=self.baud, timeout=self.byte_timeout, write_timeout=2
                )
            except (serial.SerialException, OSError, ValueError) as exc:
                raise LinkLost(f"cannot open {self.url}: {exc}", sent=False) from exc

    def close(self):
        if self.port is not None:
            try:
                self.port.close()
            except _PORT_ERRORS as exc:
                _logger.debug("shtrih: closing %s: %s", self.url, exc)
            self.port = None

    def _read(self, count, timeout):
        if self.port.timeout != timeout:
            self.port.timeout = timeout
        data = self.port.read(count)
        self.bytes_in += len(data)
        return data

    def _write(self, data):
        self.port.write(data)
        self.bytes_out += len(data)

    def exchange(self, raw, resend=None):
        """Send one frame and return its :class:`shtrih.Answer`, or raise :class:`LinkLost`.

        ``resend``: whether the frame may go again when the register shows no sign
        of having taken it; by default only for read-only commands.
        """
        command = shtrih.frame_command(raw)
        if resend is None:
            resend = command in shtrih.READ_ONLY
        for attempt in (1, 2):
            self.open()
            sent = False
            try:
                self._ready()
                sent = True
                self._send(raw, resend)
                answer = self._receive(shtrih.answer_timeout(command) * self.timeout_scale)
                break
            except LinkLost as exc:
                exc.sent = exc.sent and sent
                raise
            except _PORT_ERRORS as exc:
                self.close()
                # a port that went away (USB unplugged, emulator restarted) is opened again
                # once, if nothing was sent on it
                if sent or attempt == 2:
                    raise LinkLost(f"{self.url}: {exc}", sent=sent) from exc
        if answer.command != command:
            raise LinkLost(f"answer to {answer.command:X}h, not to {command:X}h")
        return answer

    def _ready(self):
        """ENQ until the register answers NAK (idle), dropping any answer it still holds."""
        # bytes already waiting belong to an older exchange: the register re-sends on ENQ
        self.port.reset_input_buffer()
        silent = 0
        for _ in range(self.enq_tries + self.nak_tries):
            self._write(_ENQ)
            reply = self._read(1, self.enq_timeout)
            if reply == _NAK:
                return
            if reply == _ACK:
                self.stale.append(self._receive(shtrih.DEFAULT_ANSWER_TIMEOUT * self.timeout_scale))
                continue
            if not reply:
                silent += 1
                if silent >= self.enq_tries:
                    raise LinkLost("no answer to ENQ: register off or not connected", sent=False)
        raise LinkLost("the register does not become ready", sent=False)

    def _send(self, raw, resend):
        for _ in range(self.nak_tries):
            self._write(raw)
            reply = self._read(1, self.ack_timeout)
            if reply == _ACK:
                return
            if reply == _NAK:
                continue  # damaged on the way: the register dropped it, send again
            # no ACK: ask whether it took the command (ACK: its answer follows)
            self._write(_ENQ)
            probe = self._read(1, self.enq_timeout)
            if probe == _ACK:
                return
            if probe == _NAK and resend:
                continue
            raise LinkLost("no ACK to the command")
        raise LinkLost(f"the command was refused {self.nak_tries} times (NAK)")

    def _frame(self, timeout):
        """An answer body; None when nothing came, b"" when it came damaged."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            byte = self._read(1, left) if left > 0 else b""
            if not byte:
                return None
            if byte[0] == shtrih.STX:
                break
        head = self._read(1, self.byte_timeout)
        if not head:
            return b""
        rest = self._read(head[0] + 1, self.byte_timeout + (head[0] + 1) * self.byte_time * 2)
        if len(rest) != head[0] + 1 or shtrih.lrc(head + rest[:-1]) != rest[-1]:
            return b""
        return rest[:-1]

    def _receive(self, timeout):
        probed = damaged = 0
        while True:
            body = self._frame(timeout)
            if body:
                self._write(_ACK)
                try:
                    return shtrih.parse_answer(body)
                except shtrih.ShtrihError as exc:
                    raise LinkLost(f"unreadable answer: {exc}") from exc
            if body is None:
                if probed:
                    raise LinkLost("no answer from the register")
                probed = 1
                self._write(_ENQ)  # ACK: still preparing, or holding the answer: it follows
                if self._read(1, self.enq_timeout) != _ACK:
                    raise LinkLost("the answer was lost (no answer held after ENQ)")
                continue
            damaged += 1
            if damaged > self.nak_tries:
                raise LinkLost("answers keep arriving damaged")
            self.port.reset_input_buffer()
            self._write(_NAK + _ENQ)  # the register answers ACK and repeats the answer
            if self._read(1, self.enq_timeout) != _ACK:
                raise LinkLost("a damaged answer was not repeated")


def _result(status, fiscal=None, code=None, text="", warnings=(), **extra):
    return {
        "status": status,
        "fiscal": fiscal or {},
        "error_code": code,
        "error_text": text,
        "warnings": list(warnings),
        **extra,
    }


def _refusal(code, **extra):
    """The result of a register error ``code`` (the command was not run)."""
    kind = shtrih.classify(code)
    text = f"{shtrih.error_text(code)} ({code:02X}h)"
    if kind == shtrih.SHIFT_CLOSED:
        return _result(RETRY, code=SHIFT_CLOSED, text=text, **extra)
    if kind == shtrih.SHIFT_EXPIRED:
        return _result(RETRY, code=SHIFT_EXPIRED, text=text, **extra)
    if kind == shtrih.PERSON:
        return _result(FAILED, code=code, text=text, **extra)
    return _result(RETRY, code=code, text=text, **extra)


class Refused(Exception):
    def __init__(self, result):
        self.result = result


class ShtrihRegister:
    """A Shtrih-M register for the proxy: one command at a time, results as plain dicts.

    Passwords: ``password`` (system administrator) for status, FN and receipt
    commands, ``admin_password`` for X and Z, ``cashier_password`` for opening
    the shift and cash in/out. ``utc_offset_hours`` gives moments an offset;
    without it they are the register's naive local time.
    """

    def __init__(
        self,
        url,
        baud=115200,
        password=30,
        admin_password=30,
        cashier_password=1,
        utc_offset_hours=None,
        *,
        timeout_scale=1.0,
        byte_timeout=0.05,
        enq_timeout=0.5,
        ack_timeout=0.5,
        busy_tries=5,
        busy_wait=0.3,
        department=1,
        tags_first=False,
    ):
        self.link = ShtrihLink(
            url,
            baud,
            byte_timeout=byte_timeout,
            enq_timeout=enq_timeout,
            ack_timeout=ack_timeout,
            timeout_scale=timeout_scale,
        )
        self.password = password
        self.admin_password = admin_password
        self.cashier_password = cashier_password
        self.zone = (
            None
            if utc_offset_hours is None
            else datetime.timezone(datetime.timedelta(hours=utc_offset_hours))
        )
        self.busy_tries = busy_tries
        self.busy_wait = busy_wait
        self.department = department
        self.tags_first = tags_first
        self._lock = threading.Lock()
        self._opened = None  # (register moment, monotonic) of the shift this driver opened
        self._last_status = None

    def close(self):
        with self._lock:
            self.link.close()

    # --- plumbing -----------------------------------------------------------

    def _command(self, raw):
        """The answer to ``raw``, after 50h (busy) and 58h (continue printing) are dealt with."""
        for attempt in range(self.busy_tries + 1):
            answer = self.link.exchange(raw)
            kind = shtrih.classify(answer.error) if answer.error else None
            if attempt < self.busy_tries and kind == shtrih.TRANSIENT:
                time.sleep(self.busy_wait)  # not run: the printer is still busy
                continue
            if attempt < self.busy_tries and kind == shtrih.CONTINUE:
                self.link.exchange(shtrih.continue_print(self.password))
                continue  # refused with 58h, so not run: safe to send again
            return answer
        return answer

    def _ok(self, raw, decode=None):
        """The decoded answer, or :class:`Refused` carrying the error's result."""
        answer = self._command(raw)
        if answer.error:
            raise Refused(_refusal(answer.error))
        return decode(answer.data) if decode else answer.data

    def _status(self):
        return self._ok(shtrih.short_status(self.password), shtrih.decode_short_status)

    def _fn(self):
        return self._ok(shtrih.fn_status(self.password), shtrih.decode_fn_status)

    def _shift(self):
        return self._ok(shtrih.shift_params(self.password), shtrih.decode_shift_params)

    def _moment(self, moment):
        if moment is None:
            return None
        return (moment.replace(tzinfo=self.zone) if self.zone else moment).isoformat()

    def _cancel(self):
        """88h; the error code when the register refuses (no paper to print it on)."""
        answer = self._command(shtrih.cancel_check(self.password))
        return answer.error if answer.error not in (0, 0x55) else None

    def _cashier_tags(self, cashier, inn):
        """1021/1203 for the shift report. Sent ahead of E0h/41h: unconfirmed on real units,
        so a refusal is a warning, not a failure."""
        warnings = []
        for tag, value in ((1021, cashier), (1203, inn)):
            if not value:
                continue
            try:
                raw = shtrih.check_tlv(self.password, shtrih.encode_tag(tag, value))
            except shtrih.ShtrihError as exc:
                warnings.append(f"tag {tag} not sent: {exc.text}")
                continue
            if self._command(raw).error:
                warnings.append(f"tag {tag} refused by the register")
        return warnings

    def _shift_age(self):
        if self._opened is None:
            return None
        return round((time.monotonic() - self._opened[1]) / 3600, 3)

    # --- status -------------------------------------------------------------

    def device_status(self, wait=1.0):
        """Connected, mode, shift, paper, cover, FN warnings: 10h + FF01h, for the status poll.

        While another command holds the line for more than ``wait`` seconds (a Z report
        takes up to a minute) the last status comes back, marked ``busy``.
        """
        if not self._lock.acquire(timeout=wait):
            last = self._last_status or _result(RETRY, {"connected": None}, text="busy")
            return {**last, "fiscal": {**last["fiscal"], "busy": True}}
        try:
            self._last_status = self._device_status()
            return self._last_status
        finally:
            self._lock.release()

    def _device_status(self):
        try:
            status = self._status()
            fn = self._fn()
        except LinkLost as exc:
            return _result(RETRY, {"connected": False}, text=str(exc))
        except Refused as refused:
            return {**refused.result, "fiscal": {"connected": True}}
        mode = status["mode"]
        if not fn["shift_open"]:
            self._opened = None
        fiscal = {
            "connected": True,
            "mode": mode,
            "submode": status["submode"],
            "shift_open": fn["shift_open"],
            "shift_over_24h": mode == shtrih.MODE_SHIFT_EXPIRED,
            # known when this driver opened the shift; the register's mode 3 is the authority
            "shift_age_hours": self._shift_age() if fn["shift_open"] else None,
            "check_open": mode == shtrih.MODE_CHECK_OPEN,
            "paper": status["paper"],
            "cover_open": status["cover_open"],
            "waits_continue": status["submode"] == shtrih.SUBMODE_WAIT_CONTINUE,
            "fn_number": fn["fn_number"],
            "last_fd": fn["last_fd"],
            "fn_warnings": fn["warnings"],
        }
        warnings = list(fn["warnings"])
        warnings += ["paper_out"] if not status["paper"] else []
        warnings += ["cover_open"] if status["cover_open"] else []
        warnings += ["shift_over_24h"] if fiscal["shift_over_24h"] else []
        return _result(DONE, fiscal, warnings=warnings)

    def last_fd(self):
        """The number of the last fiscal document (FF01h)."""
        with self._lock:
            try:
                fn = self._fn()
            except LinkLost as exc:
                return _result(RETRY, text=str(exc))
            except Refused as refused:
                return refused.result
            fiscal = {"fn_number": fn["fn_number"], "document_number": fn["last_fd"]}
            return _result(DONE, fiscal, warnings=fn["warnings"])

    def clock(self):
        """The register's own local time (11h), or None when it cannot be read."""
        with self._lock:
            try:
                return self._ok(shtrih.full_status(self.password), shtrih.decode_full_status)[
                    "clock"
                ]
            except (LinkLost, Refused):
                return None

    # --- shifts and reports ---------------------------------------------------

    def _shift_command(self, body, want_open):
        """Run ``body(status)`` under the lock after a status read: a shift command whose
        lost answer is decided by the shift state it left (``_after_lost_shift``)."""
        with self._lock:
            try:
                status = self._status()
            except LinkLost as exc:
                return _result(RETRY, text=str(exc))
            except Refused as refused:
                return refused.result
            try:
                return body(status)
            except LinkLost as exc:
                return self._after_lost_shift(exc, want_open=want_open)
            except Refused as refused:
                return refused.result

    def open_shift(self, cashier="", inn=""):
        def body(status):
            if status["mode"] == shtrih.MODE_SHIFT_EXPIRED:
                return _result(RETRY, code=SHIFT_EXPIRED, text="the open shift is over 24 h")
            if status["mode"] in (shtrih.MODE_SHIFT_OPEN, shtrih.MODE_CHECK_OPEN):
                return self._shift_done(already_open=True)
            warnings = self._cashier_tags(cashier, inn)
            answer = self._command(shtrih.open_shift(self.cashier_password))
            if answer.error and answer.error != 0x3C:  # 3Ch: it is open already
                return _refusal(answer.error, warnings=warnings)
            return self._shift_done(opened=True, warnings=warnings)

        return self._shift_command(body, want_open=True)

    def _shift_done(self, already_open=False, opened=False, warnings=()):
        fn = self._fn()
        shift = self._shift()
        if opened:
            self._opened = (fn["moment"], time.monotonic())
        fiscal = {
            "fn_number": fn["fn_number"],
            "shift_number": shift["shift_number"],
            "document_number": fn["last_fd"],
            "moment": self._moment(fn["moment"]),
            "already_open": already_open,
        }
        return _result(DONE, fiscal, warnings=[*warnings, *fn["warnings"]])

    def _after_lost_shift(self, lost, want_open):
        """E0h/41h lost their answer: the shift state tells what happened."""
        if not lost.sent:
            return _result(RETRY, text=str(lost))
        try:
            status = self._status()
            is_open = status["mode"] != shtrih.MODE_SHIFT_CLOSED
            if is_open != want_open:
                return _result(RETRY, text=f"{lost}; the shift did not change")
            if want_open:
                return self._shift_done(opened=True)
            fn = self._fn()
            self._opened = None
            fiscal = {"fn_number": fn["fn_number"], "document_number": fn["last_fd"]}
            return _result(DONE, fiscal, warnings=fn["warnings"])
        except LinkLost as again:
            return _result(ASK, text=f"{lost}; then {again}")
        except Refused as refused:
            return refused.result

    def close_shift(self, cashier="", inn=""):
        """Z report (41h), then FF01h for its FD number."""

        def body(status):
            if status["mode"] == shtrih.MODE_SHIFT_CLOSED:
                return _result(RETRY, code=SHIFT_CLOSED, text="no shift is open")
            if status["mode"] == shtrih.MODE_CHECK_OPEN:
                refused_code = self._cancel()
                if refused_code:
                    return _refusal(refused_code)
            shift = self._shift()
            warnings = self._cashier_tags(cashier, inn)
            answer = self._command(shtrih.z_report(self.admin_password))
            if answer.error:
                return _refusal(answer.error, warnings=warnings)
            fn = self._fn()
            self._opened = None
            fiscal = {
                "fn_number": fn["fn_number"],
                "document_number": fn["last_fd"],
                "shift_number": shift["shift_number"],
                "checks": shift["check_number"],
                "moment": self._moment(fn["moment"]),
            }
            return _result(DONE, fiscal, warnings=[*warnings, *fn["warnings"]])

        return self._shift_command(body, want_open=False)

    def _simple(self, raw, decode=None):
        """A command whose lost answer is a question (X report, cash in/out)."""
        with self._lock:
            try:
                answer = self._command(raw)
            except LinkLost as exc:
                return _result(ASK if exc.sent else RETRY, text=str(exc))
            if answer.error:
                return _refusal(answer.error)
            return _result(DONE, decode(answer.data) if decode else {})

    def x_report(self):
        return self._simple(shtrih.x_report(self.admin_password))

    def cash_in(self, kop):
        try:
            (raw,) = shtrih.cash_frames({"type": "cash_in", "sum": kop}, self.cashier_password)
        except shtrih.ShtrihError as exc:
            return _result(FAILED, code=exc.code, text=exc.text)
        return self._simple(raw, shtrih.decode_cash)

    def cash_out(self, kop):
        try:
            (raw,) = shtrih.cash_frames({"type": "cash_out", "sum": kop}, self.cashier_password)
        except shtrih.ShtrihError as exc:
            return _result(FAILED, code=exc.code, text=exc.text)
        return self._simple(raw, shtrih.decode_cash)

    # --- receipts -------------------------------------------------------------

    def print_receipt(self, document, progress=None):
        """Print one FFD 1.2 receipt (decoded dict). On a lost answer: ``ask`` with
        ``fd_before``, ``total`` and ``operation``, the arguments of :meth:`resolve`.

        ``progress(index, count)`` is called once frame ``index`` (0-based) of the
        ``count`` receipt frames is answered.
        """
        try:
            frames = shtrih.receipt_frames(
                document, self.password, department=self.department, tags_first=self.tags_first
            )
        except shtrih.ShtrihError as exc:
            return _result(FAILED, code=exc.code, text=exc.text)
        document = shtrih.decode_document(document)
        key = {
            "total": sum(item[1043] for item in document[1059]),
            "operation": document[1054],
        }
        with self._lock:
            try:
                ready = self._ready_for_receipt()
            except LinkLost as exc:
                return _result(RETRY, text=str(exc), **key)  # nothing of the receipt was sent
            except Refused as refused:
                return {**refused.result, **key}
            if "status" in ready:
                return {**ready, **key}
            fn, shift = ready["fn"], ready["shift"]
            key["fd_before"] = fn["last_fd"]
            answer = None
            for index, raw in enumerate(frames):
                if index and progress:
                    progress(index - 1, len(frames))
                try:
                    answer = self._command(raw)
                except LinkLost as exc:
                    if not index and not exc.sent:
                        return _result(RETRY, text=str(exc), warnings=fn["warnings"], **key)
                    text = f"{exc}; resolve before sending again"
                    return _result(ASK, text=text, warnings=fn["warnings"], **key)
                if answer.error:
                    try:
                        self._cancel()  # the check stays unregistered; a stale one blocks the next
                    except LinkLost as exc:
                        # the next receipt cancels a stale check first
                        _logger.warning("shtrih: the refused check was not cancelled: %s", exc)
                    return {**_refusal(answer.error, warnings=fn["warnings"]), **key}
            if progress:
                progress(len(frames) - 1, len(frames))
            closed = shtrih.decode_close_check(answer.data)
            moment = closed["moment"] or self._fd_moment(closed["document_number"])
            fiscal = {
                "fn_number": fn["fn_number"],
                "document_number": closed["document_number"],
                "fiscal_sign": str(closed["fiscal_sign"]),
                "moment": self._moment(moment),
                "shift_number": shift["shift_number"],
                "change": closed["change"],
            }
            return _result(DONE, fiscal, warnings=fn["warnings"], **key)

    def _ready_for_receipt(self):
        status = self._status()
        if status["cover_open"]:
            return _result(RETRY, text="the register's cover is open", warnings=["cover_open"])
        if status["submode"] == shtrih.SUBMODE_WAIT_CONTINUE:
            self._command(shtrih.continue_print(self.password))
        if status["mode"] == shtrih.MODE_CHECK_OPEN:
            refused_code = self._cancel()  # a stale check of a crashed sender
            if refused_code:
                return _refusal(refused_code)
        elif status["mode"] == shtrih.MODE_SHIFT_CLOSED:
            return _result(RETRY, code=SHIFT_CLOSED, text="no shift is open")
        elif status["mode"] == shtrih.MODE_SHIFT_EXPIRED:
            return _result(RETRY, code=SHIFT_EXPIRED, text="the shift is over 24 hours")
        if not status["paper"]:
            return _result(RETRY, code=0x6B, text=shtrih.error_text(0x6B), warnings=["paper_out"])
        return {"fn": self._fn(), "shift": self._shift()}

    def _fd_moment(self, number):
        try:
            return self._find(number).get("moment")
        except (LinkLost, Refused):
            return None  # registered all the same; the moment is only missing

    def _find(self, number):
        return self._ok(shtrih.find_fd(self.password, number), shtrih.decode_find_fd)

    def resolve(self, fd_before, total_kop, operation):
        """What became of a receipt whose answer was lost (or whose sender crashed).

        done: FD fd_before+1.. holds a check of that sum and operation (its fiscal
        data); retry: certainly not registered (an open check is cancelled); ask:
        the register does not answer.
        """
        with self._lock:
            try:
                status = self._status()
                fn = self._fn()
                if fn["last_fd"] < fd_before:
                    text = f"the last FD {fn['last_fd']} is below {fd_before}: another FN?"
                    return _result(FAILED, text=text)
                found = None
                last = min(fn["last_fd"], fd_before + RESOLVE_WINDOW)
                for number in range(fd_before + 1, last + 1):
                    answer = self._command(shtrih.find_fd(self.password, number))
                    if answer.error:
                        continue
                    doc = shtrih.decode_find_fd(answer.data)
                    if (
                        doc["type"] in (shtrih.DOC_RECEIPT, shtrih.DOC_CORRECTION)
                        and doc.get("sum") == total_kop
                        and doc.get("operation") == operation
                    ):
                        found = doc
                        break
                warnings = list(fn["warnings"])
                if status["mode"] == shtrih.MODE_CHECK_OPEN:
                    refused_code = self._cancel()
                    if refused_code:
                        warnings.append(f"the open check is not cancelled ({refused_code:02X}h)")
                if found is None:
                    text = f"no check of {total_kop} after FD {fd_before}: not registered"
                    return _result(RETRY, text=text, warnings=warnings)
                shift = self._shift()
                fiscal = {
                    "fn_number": fn["fn_number"],
                    "document_number": found["document_number"],
                    "fiscal_sign": str(found["fiscal_sign"]),
                    "moment": self._moment(found["moment"]),
                    # the check's own shift unless a Z and a new shift came in between
                    "shift_number": shift["shift_number"],
                    "change": None,  # not kept in the FN
                }
                return _result(DONE, fiscal, warnings=warnings)
            except LinkLost as exc:
                return _result(ASK, text=str(exc))
            except Refused as refused:
                return refused.result
