"""An ESC/POS receipt printer on a TCP port, for tests and the demo.

It speaks raw ESC/POS like a network printer on port 9100: everything it
receives is appended to an output file, real-time status queries (DLE EOT 1,
2, 3 and 4) are answered from its state, and the stream is parsed so a test
can count cuts, raster images (GS v 0) and drawer kicks and read the text in
the code page the host selected (ESC t). Faults are injected with
``set_paper("near_end" | "out")``, ``set_cover(open=True)``,
``set_offline()``, ``set_silent()`` (no status answers) and
``run_out_after(n)`` (the roll ends in the middle of a job).

While it cannot print (paper out, cover open, offline) it drops what it
receives, counting the bytes in ``dropped``: a real printer would keep them
in its buffer, but a test must see that nothing came out.

Standalone: ``python scs_hw_proxy/emulators/printer.py --port 9100 --out out.bin``.
It has no imports from the add-on so that it runs as a plain script.
"""

import argparse
import logging
import socketserver
import sys
import threading
import time

DLE, EOT, ENQ, DC4, FS, ESC, GS = 0x10, 0x04, 0x05, 0x14, 0x1C, 0x1B, 0x1D

# Real-time status bytes as the Epson ESC/POS reference defines them: bits 1
# and 4 are always 1, bits 0 and 7 always 0.
STATUS_FIXED = 0x12
PRINTER_OFFLINE = 0x08  # n=1, bit 3
OFFLINE_COVER_OPEN = 0x04  # n=2, bit 2
OFFLINE_PAPER_END = 0x20  # n=2, bit 5: printing stopped at the paper end
OFFLINE_ERROR = 0x40  # n=2, bit 6
ERROR_AUTO_RECOVERABLE = 0x40  # n=3, bit 6 (an open cover while printing)
PAPER_NEAR_END = 0x0C  # n=4, bits 2-3
PAPER_END = 0x60  # n=4, bits 5-6

PAPER_STATES = ("ok", "near_end", "out")

# ESC t n -> Python codec; a table missing here decodes as the power-on one.
CODEPAGES = {0: "cp437", 16: "cp1252", 17: "cp866", 46: "cp1251"}

_logger = logging.getLogger(__name__)


class Parser:
    """Split an ESC/POS byte stream into commands, keeping an incomplete tail.

    ``feed(data)`` yields ``(kind, value, raw)``: ``status`` (n of DLE EOT n),
    ``init``, ``codepage`` (n of ESC t n), ``kick`` (pin), ``cut``, ``raster``
    ((width, height) in dots), ``graphics``, ``text`` (bytes) and ``other``.
    Parameters and image data are skipped by their declared length, so a
    status query is never read inside raster data.
    """

    def __init__(self):
        self._buffer = bytearray()

    def feed(self, data):
        self._buffer += data
        while self._buffer:
            command = self._next(self._buffer)
            if command is None:
                return
            kind, value, size = command
            raw = bytes(self._buffer[:size])
            del self._buffer[:size]
            yield kind, value, raw

    @classmethod
    def _next(cls, b):
        """The first command of ``b`` as (kind, value, size), or None if incomplete."""
        first = b[0]
        if first >= 0x20 or first in _TEXT_CONTROLS:
            end = 1
            while end < len(b) and (b[end] >= 0x20 or b[end] in _TEXT_CONTROLS):
                end += 1
            return "text", bytes(b[:end]), end
        if first not in (DLE, ESC, GS, FS):
            return "other", None, 1
        if len(b) < 2:
            return None
        if first == FS:
            return "other", None, 2 if b[1] in b".&" else 3
        return {DLE: cls._dle, ESC: cls._esc, GS: cls._gs}[first](b, len(b))

    @staticmethod
    def _dle(b, n):
        if b[1] in (EOT, ENQ):
            return None if n < 3 else ("status" if b[1] == EOT else "other", b[2], 3)
        if b[1] == DC4:  # DLE DC4 fn m t: a real-time drawer pulse when fn = 1
            return None if n < 5 else ("kick" if b[2] == 1 else "other", b[3], 5)
        return "other", None, 2

    @staticmethod
    def _esc(b, n):
        second = b[1]
        if second in _ESC_FIXED:
            kind, size = _ESC_FIXED[second]
            if n < size:
                return None
            return kind, (b[2] if size > 2 else None), size
        if second == ord("*"):  # column bit image: 1 or 3 bytes a column
            if n < 5:
                return None
            columns = b[3] + 256 * b[4]
            return "other", None, 5 + columns * (3 if b[2] in (32, 33) else 1)
        if second == ord("D"):  # tab stops, NUL-terminated
            end = b.find(b"\x00", 2)
            return None if end < 0 else ("other", None, end + 1)
        return "other", None, 3  # most ESC commands take one parameter byte

    @staticmethod
    def _gs(b, n):
        second = b[1]
        if second == ord("V"):
            if n < 3:
                return None
            return "cut", None, 4 if b[2] in (65, 66, 97, 98, 103, 104) else 3
        if second == ord("v"):  # GS v 0 m xL xH yL yH, then width bytes x height
            if n < 8:
                return None
            width_bytes, height = b[4] + 256 * b[5], b[6] + 256 * b[7]
            return "raster", (width_bytes * 8, height), 8 + width_bytes * height
        if second in b"(8":  # GS ( fn pL pH ... and GS 8 L p1..p4 ...
            if n < 7:
                return None
            if second == ord("8"):
                return "other", None, 7 + int.from_bytes(b[3:7], "little")
            printing = b[2] == ord("L") and b[6] in (2, 50)
            return ("graphics" if printing else "other"), None, 5 + b[3] + 256 * b[4]
        if second == ord("k"):  # barcode: NUL-terminated (m <= 6) or counted
            if n < 4:
                return None
            if b[2] > 6:
                return "other", None, 4 + b[3]
            end = b.find(b"\x00", 3)
            return None if end < 0 else ("other", None, end + 1)
        return "other", None, 4 if second in b"LW$\\P" else 3


_TEXT_CONTROLS = (0x09, 0x0A, 0x0D)
# ESC commands of a fixed length: second byte -> (kind, size)
_ESC_FIXED = {
    ord("@"): ("init", 2),
    ord("2"): ("other", 2),
    ord("<"): ("other", 2),
    ord("i"): ("cut", 2),
    ord("m"): ("cut", 2),
    ord("t"): ("codepage", 3),
    ord("p"): ("kick", 5),
    ord("$"): ("other", 4),
    ord("\\"): ("other", 4),
    ord("c"): ("other", 4),
}


class Capture:
    """What a printer makes of a byte stream: cuts, images, drawer kicks and text."""

    def __init__(self):
        self.cuts = 0
        self.rasters = []  # (width, height) in dots, one per GS v 0
        self.graphics = 0
        self.kicks = []  # drawer pins, 0 = pin 2, 1 = pin 5
        self.codepage = 0
        self.payload = bytearray()  # everything but real-time status queries
        self._text = []  # (codepage, bytes)

    @classmethod
    def of(cls, data):
        """Parse a whole stream, e.g. what a file:// printer wrote."""
        capture = cls()
        for command in Parser().feed(data):
            capture.apply(*command)
        return capture

    @property
    def images(self):
        return len(self.rasters) + self.graphics

    def apply(self, kind, value, raw):
        if kind == "status":
            return
        self.payload += raw
        if kind == "init":
            self.codepage = 0  # ESC @ selects the power-on table again
        elif kind == "codepage":
            self.codepage = value
        elif kind == "cut":
            self.cuts += 1
        elif kind == "raster":
            self.rasters.append(value)
        elif kind == "graphics":
            self.graphics += 1
        elif kind == "kick":
            self.kicks.append(value & 1)
        elif kind == "text":
            self._text.append((self.codepage, value))

    def text(self):
        return "".join(
            data.decode(CODEPAGES.get(table, "cp437"), errors="replace")
            for table, data in self._text
        )


class PrinterEmulator:
    """A network receipt printer on 127.0.0.1 (port 0: any free port)."""

    def __init__(self, host="127.0.0.1", port=0, out=None):
        self.host = host
        self.requested_port = port
        self.out = out
        self.paper = "ok"
        self.cover_open = False
        self.offline = False
        self.silent = False
        self.dropped = 0
        self.queries = []  # n of every DLE EOT n received
        self.connections = 0
        self._spans = []  # [first, last] time a connection was seen, one per connection
        self.capture = Capture()
        self._received = bytearray()
        self._payload = bytearray()
        self._paper_left = None  # bytes until the roll ends, see run_out_after
        self._changed = threading.Condition()
        self._server = None
        self._thread = None

    # -- life cycle

    def start(self):
        emulator = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                emulator._serve(self.request)

        server = socketserver.ThreadingTCPServer((self.host, self.requested_port), Handler)
        server.daemon_threads = True
        self._server = server
        # A short poll interval keeps stop() fast.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        return f"tcp://{self.host}:{self.port}"

    # -- fault injection

    def set_paper(self, state):
        if state not in PAPER_STATES:
            raise ValueError(f"paper is one of {PAPER_STATES}, not {state!r}")
        with self._changed:
            self.paper = state
            self._paper_left = None

    def set_cover(self, open=True):
        with self._changed:
            self.cover_open = open

    def set_offline(self, offline=True):
        with self._changed:
            self.offline = offline

    def set_silent(self, silent=True):
        """Stop answering status queries, as a printer without a back channel."""
        with self._changed:
            self.silent = silent

    def run_out_after(self, nbytes):
        """The roll ends once ``nbytes`` more bytes of print data have arrived."""
        with self._changed:
            self._paper_left = nbytes

    # -- what it printed

    @property
    def cuts(self):
        return self.capture.cuts

    @property
    def images(self):
        return self.capture.images

    @property
    def rasters(self):
        return list(self.capture.rasters)

    @property
    def kicks(self):
        return list(self.capture.kicks)

    def text(self):
        return self.capture.text()

    def data(self):
        """Every byte received, status queries included (what the out file holds)."""
        return bytes(self._received)

    def payload(self):
        """The bytes received apart from real-time status queries, printed or dropped."""
        return bytes(self._payload)

    @property
    def max_connections(self):
        """The most connections that sent data in overlapping spans of time."""
        spans = list(self._spans)
        return max(
            (sum(a <= end and start <= b for a, b in spans) for start, end in spans), default=0
        )

    def wait_until(self, predicate, timeout=2.0):
        """Wait until ``predicate(self)`` holds; connections end after the host's job."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)

    # -- state

    def can_print(self):
        return self.paper != "out" and not self.cover_open and not self.offline

    def status_byte(self, n):
        """The answer to DLE EOT n in the current state."""
        paper_out = self.paper == "out"
        if n == 1:
            return STATUS_FIXED | (0 if self.can_print() else PRINTER_OFFLINE)
        if n == 2:
            return (
                STATUS_FIXED
                | (OFFLINE_COVER_OPEN if self.cover_open else 0)
                | (OFFLINE_PAPER_END if paper_out else 0)
                | (OFFLINE_ERROR if self.offline else 0)
            )
        if n == 3:
            return STATUS_FIXED | (ERROR_AUTO_RECOVERABLE if self.cover_open else 0)
        if n == 4:
            near_end = paper_out or self.paper == "near_end"
            return (
                STATUS_FIXED | (PAPER_NEAR_END if near_end else 0) | (PAPER_END if paper_out else 0)
            )
        return None

    # -- connection

    def _serve(self, sock):
        parser = Parser()
        span = [time.monotonic()] * 2
        with self._changed:
            self.connections += 1
            self._spans.append(span)
        try:
            while True:
                try:
                    data = sock.recv(65536)
                except OSError:
                    break
                if not data:
                    break
                span[1] = time.monotonic()
                answer = self._receive(parser, data)
                if answer:
                    sock.sendall(answer)
        finally:
            with self._changed:
                self._changed.notify_all()

    def _receive(self, parser, data):
        answer = bytearray()
        with self._changed:
            self._received += data
            if self.out:
                with open(self.out, "ab") as out:
                    out.write(data)
            for kind, value, raw in parser.feed(data):
                if kind == "status":
                    self.queries.append(value)
                    byte = self.status_byte(value)
                    if byte is not None and not self.silent:
                        answer.append(byte)
                    continue
                self._payload += raw
                if self.can_print():
                    self.capture.apply(kind, value, raw)
                    self._consume_paper(len(raw))
                else:
                    self.dropped += len(raw)
            self._changed.notify_all()
        return bytes(answer)

    def _consume_paper(self, size):
        if self._paper_left is None:
            return
        self._paper_left -= size
        if self._paper_left <= 0:
            self.paper = "out"
            self._paper_left = None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--out", help="file to append the received bytes to")
    parser.add_argument("--paper", choices=PAPER_STATES, default="ok")
    parser.add_argument("--cover-open", action="store_true")
    args = parser.parse_args()
    emulator = PrinterEmulator(args.host, args.port, args.out)
    emulator.set_paper(args.paper)
    emulator.set_cover(args.cover_open)
    emulator.start()
    # The first line tells a caller that asked for port 0 where to connect.
    sys.stdout.write(f"ESC/POS printer emulator on {emulator.url}\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        _logger.info("printer emulator stopped")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
