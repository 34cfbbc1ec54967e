"""The receipt printer behind the hardware proxy, over python-escpos 3.1.

Odoo 18 POS sends its receipt as a base64 JPEG, 512 px wide, and reads a
true answer as "printed". So every job here checks the printer's real-time
status (DLE EOT 1, 2 and 4) before it prints and again after, and raises
``PrinterError`` rather than return when the paper is out, the cover open or
the printer offline. A connection that cannot read (``file://``, or
``status=off`` in the URL) prints without that check.

A connection is opened per job and closed after it, since a USB printer may
be unplugged and plugged back between two receipts; a lock keeps one job at
a time on the device.

URLs: ``usb://04b8:0202`` (hex vendor:product, optional ``in_ep``/``out_ep``),
``serial:///dev/ttyS1?baudrate=19200`` (or ``serial://COM3``), ``tcp://host:9100``,
``file:///dev/usb/lp0`` (a plain file is appended to). Every scheme accepts
``profile=`` (a python-escpos printer profile) and ``status=off``.
"""

import base64
import binascii
import codecs
import contextlib
import errno
import io
import logging
import os
import threading
from urllib.parse import parse_qsl, unquote, urlsplit

from escpos import printer as escpos_printer
from escpos.capabilities import get_profile
from escpos.exceptions import Error as EscposError
from PIL import Image, UnidentifiedImageError

_logger = logging.getLogger(__name__)

PAPER_OUT = "paper_out"
COVER_OPEN = "cover_open"
OFFLINE = "offline"
BAD_IMAGE = "bad_image"
ERROR_CODES = (PAPER_OUT, COVER_OPEN, OFFLINE, BAD_IMAGE)

PRINT_WIDTH = 512  # dots: what Odoo 18 renders its receipt to
MAX_IMAGE_BYTES = 4 * 1024 * 1024
MAX_IMAGE_HEIGHT = 20000
MAX_IMAGE_WIDTH = 2048  # bounds decoding memory; anything wider than 512 is scaled down
# An 80 mm, 512-dot profile whose tables have CP866 at 17 and CP1251 at 46. It
# also makes image() check the width instead of printing a warning to stdout.
DEFAULT_PROFILE = "TM-T88V"
DRAWER_PINS = (2, 5)

# Real-time status (Epson ESC/POS reference): bits 1 and 4 of every answer are
# 1, bits 0 and 7 are 0, which tells an answer from stray bytes.
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_PRINTER_OFFLINE = 0x08  # DLE EOT 1, bit 3
_OFFLINE_COVER_OPEN = 0x04  # DLE EOT 2, bit 2
_OFFLINE_PAPER_END = 0x20  # DLE EOT 2, bit 5: printing stopped at the paper end
_OFFLINE_ERROR = 0x40  # DLE EOT 2, bit 6
_PAPER_NEAR_END = 0x0C  # DLE EOT 4, bits 2-3
_PAPER_END = 0x60  # DLE EOT 4, bits 5-6

# Characters CP866 and CP1251 lack that receipts and slips use.
REPLACEMENTS = {
    "₽": "руб.",
    "«": '"',
    "»": '"',
    "„": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "—": "-",
    "–": "-",
    "…": "...",
}


class PrinterError(Exception):
    """A job the printer did not print; ``code`` is one of ERROR_CODES."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return f"{self.code}: {self.message}"


class _NoAnswer(Exception):
    """The connection is open but the printer does not answer a status query."""


def decode_receipt(jpeg_base64):
    """The PIL image of a POS receipt, checked and at most PRINT_WIDTH wide."""
    if not isinstance(jpeg_base64, str | bytes) or not jpeg_base64:
        raise PrinterError(BAD_IMAGE, "no receipt image")
    if isinstance(jpeg_base64, bytes):
        jpeg_base64 = jpeg_base64.decode("ascii", "replace")
    data = "".join(jpeg_base64.split())  # line-wrapped base64 is still base64
    if data.startswith("data:"):  # Odoo sends none; tolerate one from other callers
        data = data.partition(",")[2]
    # Check the size before decoding, so a huge body costs no memory.
    if len(data) > (MAX_IMAGE_BYTES + 2) // 3 * 4:
        raise PrinterError(BAD_IMAGE, f"receipt image larger than {MAX_IMAGE_BYTES} bytes")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PrinterError(BAD_IMAGE, f"receipt image is not base64: {exc}") from exc
    try:
        image = Image.open(io.BytesIO(raw))
    except (UnidentifiedImageError, OSError) as exc:
        raise PrinterError(BAD_IMAGE, "receipt image is not an image") from exc
    if image.format != "JPEG":
        raise PrinterError(BAD_IMAGE, f"receipt image is {image.format}, not JPEG")
    width, height = image.size
    if height > MAX_IMAGE_HEIGHT or width > MAX_IMAGE_WIDTH:
        raise PrinterError(
            BAD_IMAGE,
            f"receipt image {width}x{height} px exceeds {MAX_IMAGE_WIDTH}x{MAX_IMAGE_HEIGHT}",
        )
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise PrinterError(BAD_IMAGE, f"receipt image cannot be decoded: {exc}") from exc
    image = image.convert("L")
    if width > PRINT_WIDTH:
        image = image.resize(
            (PRINT_WIDTH, max(1, round(height * PRINT_WIDTH / width))), Image.Resampling.LANCZOS
        )
    return image


def fit_text(text, codec):
    """``text`` in characters ``codec`` can encode, without control characters."""
    out = []
    for char in text:
        if char == "\t" or (ord(char) >= 0x20 and char != "\x7f"):
            try:
                char.encode(codec)
            except UnicodeEncodeError:
                char = REPLACEMENTS.get(char, "?")
        else:
            # A slip from a card terminal must not smuggle ESC/POS commands in.
            char = " "
        out.append(char)
    return "".join(out)


class _AppendFile(escpos_printer.File):
    """File printer that appends: the same code drives /dev/usb/lp0 and a demo file."""

    def open(self, raise_not_found=True):
        if self._device:
            self.close()
        try:
            self.device = open(self.devfile, "ab")  # closed by close()
        except OSError as exc:
            self.device = None
            if raise_not_found:
                raise
            _logger.error("File printer %s cannot be opened: %s", self.devfile, exc)


class ReceiptPrinter:
    """One ESC/POS receipt printer; build it with ``from_url``."""

    def __init__(self, kind, target, options=None, *, timeout=0.5, job_timeout=60.0):
        """``kind`` is usb/serial/tcp/file; ``timeout`` bounds connecting and each
        status answer (POS gives status_json 2.5 s), ``job_timeout`` sending one job."""
        if kind not in ("usb", "serial", "tcp", "file"):
            raise ValueError(f"unknown printer connection {kind!r}")
        self.kind = kind
        self.target = target
        self.options = dict(options or {})
        self.profile = self.options.pop("profile", DEFAULT_PROFILE)
        status_option = self.options.pop("status", "on").lower()
        self.reads_status = kind != "file" and status_option not in ("off", "0", "no")
        self.timeout = timeout
        self.job_timeout = job_timeout
        try:
            self.codepages = get_profile(self.profile).get_code_pages()
            self._device()  # a bad option is a configuration error: say so now
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad printer options {options!r}: {exc}") from exc
        self._lock = threading.Lock()
        self._last_status = None

    @classmethod
    def from_url(cls, url, **kwargs):
        kind, target, options = parse_url(url)
        return cls(kind, target, options, **kwargs)

    def __repr__(self):
        return f"<ReceiptPrinter {self.description}>"

    @property
    def description(self):
        if self.kind == "usb":
            return "usb://%04x:%04x" % self.target
        if self.kind == "tcp":
            return "tcp://%s:%s" % self.target
        return f"{self.kind}://{self.target}"

    # -- jobs

    def print_image(self, jpeg_base64):
        """Print a POS receipt (base64 JPEG) and cut; return only once it is printed."""
        image = decode_receipt(jpeg_base64)  # before touching the printer

        def job(device):
            device.image(image, impl="bitImageRaster")
            device.cut()

        self._run(job)

    def print_text(self, lines, codepage="CP866", cut=True):
        """Print lines of text (e.g. a card terminal slip) in a Cyrillic code page."""
        codepage = codepage.upper()
        if codepage not in self.codepages:
            raise ValueError(f"printer profile {self.profile} has no code page {codepage}")
        codec = codecs.lookup(codepage.lower()).name
        if isinstance(lines, str):
            lines = lines.splitlines()
        text = "".join(fit_text(line, codec) + "\n" for line in lines)

        def job(device):
            device.charcode(codepage)
            device.text(text)
            if cut:
                device.cut()

        self._run(job)

    def open_cashbox(self, pin=2):
        """Send the drawer kick pulse. Not refused on paper out: the cashier needs change."""
        if pin not in DRAWER_PINS:
            raise ValueError(f"drawer pin is one of {DRAWER_PINS}")
        self._run(lambda device: device.cashdraw(pin), check=False)

    def status(self):
        """The printer's state as the proxy's status route reports it.

        ``{"status": "connected"|"disconnected"|"error", "paper": "ok"|"near_end"|"out",
        "cover_open": bool, "message": str}``. It never waits for a running job
        longer than ``timeout``: it then repeats the last state it read.
        """
        if not self._lock.acquire(timeout=self.timeout):
            last = self._last_status or _state("connected", message="")
            return {**last, "message": "printing"}
        try:
            if self.kind == "file":
                state = self._file_state()
            else:
                state = self._probe()
            self._last_status = state
            return dict(state)
        finally:
            self._lock.release()

    # -- internals

    def _probe(self):
        try:
            with self._connection() as device:
                return self._read_state(device)
        except PrinterError as exc:
            return _state("disconnected", message=exc.message)

    def _file_state(self):
        # Opening a missing path to probe it would create a file: look instead.
        path = self.target
        if os.path.exists(path) and os.access(path, os.W_OK):
            return _state("connected", message="status not readable over file://")
        return _state("disconnected", message=f"{path} is not writable")

    def _run(self, job, check=True):
        with self._lock, self._connection() as device:
            if check:
                self._refuse_unless_ready(self._read_state(device))
            self._set_timeout(device, self.job_timeout)
            device.hw("INIT")  # a known state: default modes, power-on code page
            job(device)
            if check:
                self._set_timeout(device, self.timeout)
                # Catches a roll that ended or a cover opened during the job.
                self._refuse_unless_ready(self._read_state(device), during=True)

    @contextlib.contextmanager
    def _connection(self):
        device = self._device()
        try:
            device.open()
        except (OSError, ValueError, EscposError) as exc:
            # ValueError: pyusb without a libusb backend, a bad serial setting.
            raise PrinterError(
                OFFLINE, f"cannot open {self.description}: {_one_line(exc)}"
            ) from exc
        try:
            yield device
        except (OSError, EscposError) as exc:
            raise PrinterError(OFFLINE, f"{self.description} failed: {_one_line(exc)}") from exc
        finally:
            try:
                device.close()
            except (OSError, EscposError) as exc:
                _logger.warning("closing %s: %s", self.description, exc)

    def _device(self):
        """A new, unopened python-escpos printer for one job."""
        options, profile = self.options, self.profile
        if self.kind == "usb":
            vendor, product = self.target
            return escpos_printer.Usb(
                vendor,
                product,
                timeout=int(self.job_timeout * 1000),  # pyusb counts milliseconds
                in_ep=int(options.get("in_ep", "0x82"), 0),
                out_ep=int(options.get("out_ep", "0x01"), 0),
                profile=profile,
            )
        if self.kind == "serial":
            extra = {k: int(options[k]) for k in ("bytesize", "stopbits") if k in options}
            for key in ("xonxoff", "dsrdtr"):
                if key in options:
                    extra[key] = options[key].lower() in ("1", "true", "yes", "on")
            if "parity" in options:
                extra["parity"] = options["parity"].upper()
            return escpos_printer.Serial(
                self.target,
                baudrate=int(options.get("baudrate", 9600)),
                timeout=self.timeout,
                profile=profile,
                **extra,
            )
        if self.kind == "tcp":
            host, port = self.target
            return escpos_printer.Network(host, port, timeout=self.timeout, profile=profile)
        return _AppendFile(self.target, profile=profile)

    def _set_timeout(self, device, seconds):
        # A status answer must come fast; sending a tall receipt may take long.
        # USB writes have job_timeout from the start and reads pyusb's 1 s.
        if self.kind == "tcp":
            device.device.settimeout(seconds)
        elif self.kind == "serial":
            device.device.write_timeout = seconds

    def _query(self, device, n):
        try:
            answer = device.query_status(bytes((0x10, 0x04, n)))
        except OSError as exc:
            if isinstance(exc, TimeoutError) or exc.errno == errno.ETIMEDOUT:
                raise _NoAnswer(f"no answer to DLE EOT {n}") from exc
            raise
        if not answer:
            raise _NoAnswer(f"no answer to DLE EOT {n}")
        byte = answer[-1]  # the latest, should stray bytes precede it
        if byte & _FIXED_MASK != _FIXED_BITS:
            raise _NoAnswer(f"unexpected answer {bytes(answer)!r} to DLE EOT {n}")
        return byte

    def _read_state(self, device):
        if not self.reads_status:
            return _state("connected", message=f"status not readable over {self.kind}://")
        try:
            printer = self._query(device, 1)
            offline = self._query(device, 2)
            paper = self._query(device, 4)
        except _NoAnswer as exc:
            return _state("error", message=f"printer does not answer: {exc}")
        if paper & _PAPER_END or offline & _OFFLINE_PAPER_END:
            roll = "out"
        elif paper & _PAPER_NEAR_END:
            roll = "near_end"
        else:
            roll = "ok"
        cover_open = bool(offline & _OFFLINE_COVER_OPEN)
        if roll == "out":
            return _state("error", "out", cover_open, "paper out")
        if cover_open:
            return _state("error", roll, True, "cover open")
        if offline & _OFFLINE_ERROR:
            return _state("error", roll, False, "printer error")
        if printer & _PRINTER_OFFLINE:
            return _state("error", roll, False, "printer offline")
        return _state("connected", roll, False, "paper near end" if roll == "near_end" else "ready")

    def _refuse_unless_ready(self, state, during=False):
        if state["status"] == "connected":
            return
        code = {"out": PAPER_OUT}.get(state["paper"])
        code = code or (COVER_OPEN if state["cover_open"] else OFFLINE)
        message = state["message"]
        if during:
            message += " while printing: the receipt may be incomplete"
        raise PrinterError(code, message)


def _one_line(exc):
    return " ".join(str(exc).split())


def _state(status, paper="ok", cover_open=False, message=""):
    return {"status": status, "paper": paper, "cover_open": cover_open, "message": message}


def parse_url(url):
    """``(kind, target, options)`` of a printer URL; ValueError if it is not one."""
    parts = urlsplit(url or "")
    options = dict(parse_qsl(parts.query))
    scheme = parts.scheme.lower()
    if scheme == "usb":
        vendor, sep, product = parts.netloc.partition(":")
        try:
            target = (int(vendor, 16), int(product, 16))
        except ValueError:
            target = None
        if not sep or target is None:
            raise ValueError(f"USB printer URL is usb://VID:PID in hex, not {url!r}")
        return "usb", target, options
    if scheme == "serial":
        # serial:///dev/ttyS1 on Linux, serial://COM3 on Windows
        if parts.netloc and parts.path not in ("", "/"):
            raise ValueError(f"serial printer URL is serial:///dev/... or serial://COM3: {url!r}")
        device = unquote(parts.netloc or parts.path.rstrip("/"))
        if not device:
            raise ValueError(f"serial printer URL names no port: {url!r}")
        return "serial", device, options
    if scheme == "tcp":
        if not parts.hostname:
            raise ValueError(f"network printer URL names no host: {url!r}")
        return "tcp", (parts.hostname, parts.port or 9100), options
    if scheme == "file":
        path = unquote(parts.path)
        if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/...
            path = path[1:]
        if not path:
            raise ValueError(f"file printer URL names no path: {url!r}")
        return "file", path, options
    raise ValueError(f"printer URL is usb://, serial://, tcp:// or file://, not {url!r}")
