"""Sberbank UPOS through its command line: one ``sb_pilot`` run per operation.

The bridge runs the executable in the UPOS folder, one operation at a time,
and reads what it left in ``e`` and ``p``. It never raises for what the
terminal did or did not answer: a time-out, a crash or a missing file is an
``unknown`` result, and the caller keeps the payment pending and calls
``resolve`` with the same request id. ``UposError`` is raised only for an
input the terminal was never asked with.
"""

import logging
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from ..engine import upos

_logger = logging.getLogger(__name__)


class UposBridge:
    def __init__(self, folder, executable, timeout=90, encoding="koi8_r"):
        """``executable``: a path, or an argument list (``["wine", "sb_pilot.exe"]``)."""
        self.folder = Path(folder)
        if isinstance(executable, str | os.PathLike):
            executable = [executable]
        self.command = [os.fspath(part) for part in executable]
        self.timeout = timeout
        self.encoding = upos.check_encoding(encoding)
        # UPOS holds the pinpad's port for the whole run: a second run would fail or mix files
        self._lock = threading.Lock()

    # --- operations ----------------------------------------------------------------------------

    def sale(self, amount, request_id):
        return self._run(upos.sale_args(amount, request_id), request_id)

    def refund(self, amount, rrn, request_id):
        return self._run(upos.refund_args(amount, rrn, request_id), request_id)

    def cancel(self, amount, rrn, request_id):
        return self._run(upos.cancel_args(amount, rrn, request_id), request_id)

    def day_close(self):
        return self._run(upos.day_close_args())

    def report(self, full=False):
        return self._run(upos.report_args(full))

    def status(self, request_id):
        """What became of the operation sent with ``/q=<request_id>`` (op 52)."""
        return self._run(upos.status_args(request_id), request_id, status_query=True)

    def resolve(self, request_id, attempts=3, pause=1.0):
        """Ask op 52 until the answer is final; the last unknown answer if it never is."""
        result = upos.unknown("Not asked", upos.check_request_id(request_id))
        for attempt in range(attempts):
            if attempt:
                time.sleep(pause)
            result = self.status(request_id)
            if result.final:
                break
        return result

    # --- one run -------------------------------------------------------------------------------

    def _run(self, args, request_id=None, status_query=False):
        with self._lock:
            e_path, p_path = self.folder / "e", self.folder / "p"
            try:
                # a file left by an earlier run would be read as this run's answer
                e_path.unlink(missing_ok=True)
                p_path.unlink(missing_ok=True)
            except OSError as err:
                return upos.unknown(f"Cannot clear the UPOS result files: {err}", request_id)
            try:
                process = subprocess.Popen(
                    [*self.command, *args],
                    cwd=self.folder,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    **_group_options(),
                )
            except OSError as err:
                # nothing ran, so nothing was charged
                _logger.error("UPOS: cannot start %s: %s", self.command, err)
                return upos.TerminalResult(
                    upos.DECLINED, text=f"Cannot start the terminal software: {err}"
                )
            try:
                # the exit code means nothing (0 whatever happened): only e counts
                process.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                _logger.warning("UPOS: %s killed after %ss", args[0], self.timeout)
                return upos.unknown(
                    f"No answer from the terminal within {self.timeout} s",
                    request_id,
                    upos.parse_slip(_read(p_path), self.encoding),
                )
            return upos.parse_result(
                _read(e_path),
                _read(p_path),
                encoding=self.encoding,
                request_id=request_id,
                status_query=status_query,
            )


def _read(path):
    try:
        return path.read_bytes()
    except OSError:
        return None


def _group_options():
    # own process group, so that a time-out also kills what sb_pilot started
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(process):
    try:
        if os.name == "nt":
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
            )
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except OSError as error:
        _logger.debug("upos: the bridge ended on its own meanwhile (%s)", error)
    process.wait()
