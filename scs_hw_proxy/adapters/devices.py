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
- ``scs_hw_proxy_grace``: seconds an authorisation waits for its receipt (900).
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
    service.device_state = {}
    service.terminal_state = lambda: _terminal_state(terminal)
    return service


def _terminal_state(terminal):
    """The bridge is a program run per operation: ready when it is there and runnable."""
    executable = terminal.executable if isinstance(terminal.executable, str) else None
    if executable and not os.access(executable, os.X_OK):
        return {"status": "error", "message": f"{executable} is missing or not executable"}
    if not os.path.isdir(terminal.folder):
        return {"status": "error", "message": f"{terminal.folder} is missing"}
    return {"status": "connected", "message": "ready"}


def _poll(service):
    """Keep the devices' state fresh, and decide what the journal left open."""
    while True:
        state = {}
        if service.register is not None:
            try:
                state["scs_register"] = service.register.device_status()
            except Exception as error:  # a device that fails its status is shown as such
                state["scs_register"] = {"status": "error", "message": str(error)}
        if service.printer is not None:
            try:
                state["printer"] = service.printer.status()
            except Exception as error:
                state["printer"] = {"status": "error", "message": str(error)}
        if service.terminal is not None:
            state["scs_terminal"] = service.terminal_state()
        service.device_state = state
        try:
            service.recover()
        except Exception:
            _logger.exception("hw_proxy: recovery")
        time.sleep(STATUS_EVERY)


def get(options):
    """The process's one service: built, recovered and polled on first use."""
    global _service
    with _service_lock:
        if _service is None:
            service = build(options)
            service.recover()
            threading.Thread(target=_poll, args=(service,), daemon=True, name="scs-hw").start()
            _service = service
        return _service
