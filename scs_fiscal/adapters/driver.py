"""What a fiscal driver does for the fiscal queue: the cloud one and the local one alike.

A driver is handed an FFD document (``engine.ffd.build``, or a cash in/out
``{"type": "cash_in"|"cash_out", "sum": kopecks}``) with the queue's stable
external id and answers ``engine.atol.Outcome`` values. It never raises for an
answer it got or did not get: a lost answer is ``ASK``, and the queue then
calls ``status`` (or submits again with the same external id, which the driver
must treat as a question, never as a second document).

Shifts: a cloud service opens and closes its registers' shifts itself
(``manages_shifts``); a local register is told to, and its own clock decides
the 24-hour limit (``clock``).
"""

from abc import ABC, abstractmethod


class NotSupported(Exception):
    """The driver's register has no such operation (a cloud service prints no X report)."""


class FiscalDriver(ABC):
    #: the service opens, closes and counts shifts itself
    manages_shifts = False
    #: cash in/out are register operations (not fiscal documents): only local registers
    takes_cash_movements = False

    @abstractmethod
    def submit(self, document, external_id, company, moment):
        """Register ``document`` under ``external_id``; an ``Outcome``."""

    @abstractmethod
    def status(self, uuid):
        """The fate of the document the driver knows as ``uuid``; an ``Outcome``."""

    def open_shift(self, cashier, cashier_inn):
        """Open a shift; an ``Outcome`` whose fiscal data holds ``shift_number``."""
        raise NotSupported("open_shift")

    def close_shift(self, cashier, cashier_inn):
        """Close the shift (Z report); an ``Outcome`` with the shift's counters."""
        raise NotSupported("close_shift")

    def x_report(self):
        """Print the current shift's counters without closing it; an ``Outcome``."""
        raise NotSupported("x_report")

    def clock(self):
        """The register's own local time (naive datetime), or None to use the server's."""
        return None


#: driver-neutral refusals the queue acts on (a local driver maps its register's codes)
SHIFT_CLOSED = 1001  # no shift is open: open one, then send the same document again
SHIFT_EXPIRED = 1002  # the shift is 24 hours old: close it (Z), open one, send again
