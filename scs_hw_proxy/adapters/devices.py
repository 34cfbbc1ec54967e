"""The proxy's devices, built once from the server options (``proxy.conf``).

Options (all optional; a device without its option is reported absent):

- ``scs_hw_proxy_journal``: the journal file (default ``<data_dir>/scs_hw_proxy/journal.sqlite3``);
- ``scs_hw_proxy_register``: the fiscal register's serial port or pyserial URL;
  ``scs_hw_proxy_register_baud`` (115200), ``scs_hw_proxy_register_password`` (30);
- ``scs_hw_proxy_printer``: ``usb://VID:PID``, ``serial:///dev/ttyS1``, ``tcp://host:9100``
  or ``file:///dev/usb/lp0``;
- ``scs_hw_proxy_terminal``: the UPOS ``sb_pilot`` executable; ``scs_hw_proxy_terminal_dir``
  (its folder by default), ``scs_hw_proxy_terminal_encoding`` (koi8_r),
  ``scs_hw_proxy_terminal_timeout`` (90 s);
- ``scs_hw_proxy_grace``: seconds an authorisation waits for its receipt (900);
- ``scs_hw_proxy_poll``: seconds between two device polls and journal recoveries (10).
"""

import logging
import os
import threading
import time

from .coordinator import ProxyService
from .journal import Journal

_logger = logging.getLogger(__name__)

STATUS_EVERY = 10  # seconds between two device polls: status_json never waits on a device

_service = None
_service_lock = threading.Lock()


def _int(options, name, default):
    try:
        return int(options.get(name) or default)
    except (TypeError, ValueError):
        _logger.error("hw_proxy: option %s must be an integer; using %s", name, default)
        return default


def build(options):
    """A ``ProxyService`` for ``options`` (a mapping such as ``odoo.tools.config``)."""
    journal_path = options.get("scs_hw_proxy_journal") or os.path.join(
        options.get("data_dir") or ".", "scs_hw_proxy", "journal.sqlite3"
    )
    register = printer = terminal = None
    if options.get("scs_hw_proxy_register"):
        from .shtrih_driver import ShtrihRegister

        register = ShtrihRegister(
            options["scs_hw_proxy_register"],
            baud=_int(options, "scs_hw_proxy_register_baud", 115200),
            password=_int(options, "scs_hw_proxy_register_password", 30),
        )
    if options.get("scs_hw_proxy_printer"):
        from .printer import ReceiptPrinter

        printer = ReceiptPrinter.from_url(options["scs_hw_proxy_printer"])
    if options.get("scs_hw_proxy_terminal"):
        from .upos_bridge import UposBridge

        executable = options["scs_hw_proxy_terminal"]
        terminal = UposBridge(
            options.get("scs_hw_proxy_terminal_dir") or os.path.dirname(executable),
            executable,
            timeout=_int(options, "scs_hw_proxy_terminal_timeout", 90),
            encoding=options.get("scs_hw_proxy_terminal_encoding") or "koi8_r",
        )
    service = ProxyService(
        Journal(journal_path),
        terminal=terminal,
        register=register,
        printer=printer,
        grace_seconds=_int(options, "scs_hw_proxy_grace", 900),
    )
    # until the first poll answers, POS shows each configured device as connecting
    service.device_state = {
        name: {"status": "connecting", "message": ""}
        for name, device in (
            ("scs_register", register),
            ("printer", printer),
            ("scs_terminal", terminal),
        )
        if device is not None
    }
    service.terminal_state = lambda: _terminal_state(terminal)
    return service


def _register_state(register):
    """The register's status as POS shows a device: connected or not, and why."""
    result = register.device_status()
    info = dict(result.get("fiscal") or {})
    if result.get("status") != "done" or not info.get("connected", True):
        return {"status": "disconnected", "message": result.get("error_text") or "no answer"}
    warnings = ", ".join(info.get("fn_warnings") or ())
    problems = [
        text
        for flag, text in (
            (not info.get("paper", True), "no paper"),
            (info.get("cover_open"), "cover open"),
            (info.get("shift_over_24h"), "shift over 24 hours"),
            (warnings, f"fiscal storage: {warnings}"),
        )
        if flag
    ]
    info.update(status="error" if problems else "connected", message="; ".join(problems) or "ready")
    return info


def _terminal_state(terminal):
    """The bridge is a program run per operation: ready when it is there and runnable."""
    executable = terminal.command[-1]
    if not os.access(executable, os.X_OK):
        return {"status": "error", "message": f"{executable} is missing or not executable"}
    if not os.path.isdir(terminal.folder):
        return {"status": "error", "message": f"{terminal.folder} is missing"}
    return {"status": "connected", "message": "ready"}


def _poll(service, every):
    """Keep the devices' state fresh, and decide what the journal left open."""
    probes = (
        ("scs_register", service.register, lambda: _register_state(service.register)),
        ("printer", service.printer, lambda: service.printer.status()),
        ("scs_terminal", service.terminal, service.terminal_state),
    )
    while True:
        state = {}
        for name, device, probe in probes:
            if device is None:
                continue
            try:
                state[name] = probe()
            except Exception as error:  # a device that fails its status is shown as such
                state[name] = {"status": "error", "message": str(error)}
        service.device_state = state
        try:
            service.recover()
        except Exception:
            _logger.exception("hw_proxy: recovery")
        time.sleep(every)


def get(options):
    """The process's one service: built, recovered and polled on first use."""
    global _service
    with _service_lock:
        if _service is None:
            service = build(options)
            service.recover()
            every = _int(options, "scs_hw_proxy_poll", STATUS_EVERY)
            threading.Thread(
                target=_poll, args=(service, every), daemon=True, name="scs-hw"
            ).start()
            _service = service
        return _service
